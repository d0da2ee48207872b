"""Fixtures and dumps per database (patch 0007).

``loaddata NAME --database=ALIAS`` loads ``NAME.json`` and ``NAME.ALIAS.json``
(compressed or not) into ALIAS, skips the objects of models the routers keep
off ALIAS and says so in its summary, and resolves natural keys on ALIAS;
``dumpdata --database=ALIAS`` reads ALIAS and dumps only what the routers
place there. The fixtures are h7*.json* in this app's fixtures directory.
"""
import io
import json
import os
import tempfile
import warnings

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from regressiontests.fixtures_rel.models import Author, Book
from router_support import KeepOff

from .models import Row, Tag


class OldStyleKeepOff:
    """A 1.2 router: allow_syncdb(db, model) keeps Tag off 'other'."""

    def allow_syncdb(self, db, model):
        if db == "other" and model is Tag:
            return False
        return None


def tag_names(alias):
    return sorted(Tag.objects.using(alias).values_list("name", flat=True))


def load(*labels, **options):
    """Run loaddata; return its summary line."""
    out = io.StringIO()
    call_command("loaddata", *labels, stdout=out, **options)
    return out.getvalue()


class FixturesPerDatabaseTests(TestCase):
    databases = {"default", "other"}

    def test_default_gets_the_plain_and_its_own_fixture(self):
        self.assertEqual(load("h7split"), "Installed 2 object(s) from 2 fixture(s)\n")
        self.assertEqual(tag_names("default"), ["default-only", "everywhere"])
        self.assertFalse(Row.objects.using("default").exists())
        self.assertEqual(tag_names("other"), [])

    def test_other_gets_the_plain_and_its_own_fixture(self):
        self.assertEqual(load("h7split", database="other"), "Installed 3 object(s) from 2 fixture(s)\n")
        self.assertEqual(tag_names("other"), ["everywhere", "other-only"])
        self.assertEqual(Row.objects.using("other").get().label, "other-row")
        self.assertEqual(tag_names("default"), [])

    def test_with_the_format_given(self):
        self.assertEqual(
            load("h7split.json", "--database=other"), "Installed 3 object(s) from 2 fixture(s)\n"
        )
        self.assertEqual(tag_names("other"), ["everywhere", "other-only"])

    def test_compressed_fixture_of_one_database(self):
        load("h7packed", database="other")
        load("h7packed.json.gz", database="other")
        self.assertEqual(tag_names("other"), ["packed"])
        # Nothing of that name is meant for 'default'.
        with self.assertRaisesMessage(CommandError, "No fixture named 'h7packed' found."):
            load("h7packed")
        self.assertEqual(tag_names("default"), [])

    def test_objects_of_models_kept_off_the_database_are_skipped(self):
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "fixtures_data.tag")]):
            summary = load("h7split", database="other")
        self.assertEqual(summary, "Installed 1 object(s) (of 3) from 2 fixture(s)\n")
        self.assertEqual(tag_names("other"), [])
        self.assertTrue(Row.objects.using("other").exists())

    def test_nothing_installed_says_of_how_many(self):
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "fixtures_data")]):
            summary = load("h7split", database="other")
        self.assertEqual(summary, "Installed 0 object(s) (of 3) from 2 fixture(s)\n")
        self.assertEqual(tag_names("other"), [])
        self.assertFalse(Row.objects.using("other").exists())

    def test_a_1_2_router_allow_syncdb_is_honoured(self):
        with override_settings(DATABASE_ROUTERS=[OldStyleKeepOff()]):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                summary = load("h7split", database="other")
                self.assertEqual(summary, "Installed 1 object(s) (of 3) from 2 fixture(s)\n")
                self.assertEqual(load("h7split"), "Installed 2 object(s) from 2 fixture(s)\n")
        self.assertEqual(tag_names("other"), [])
        self.assertEqual(Row.objects.using("other").count(), 1)
        self.assertEqual(tag_names("default"), ["default-only", "everywhere"])

    def test_natural_keys_are_resolved_on_the_target_database(self):
        # 'default' has its own Ursula, with another primary key.
        Author.objects.using("default").create(name="Someone")
        Author.objects.using("default").create(name="Ursula")
        ursula = Author.objects.using("other").create(name="Ursula")
        load("h7natural", database="other")
        self.assertEqual(Book.objects.using("other").get().author_id, ursula.pk)
        self.assertFalse(Book.objects.using("default").exists())

    def test_a_missing_natural_key_target_on_the_database_fails(self):
        Author.objects.using("default").create(name="Ursula")
        with self.assertRaisesMessage(Exception, "h7natural.other.json"):
            load("h7natural", database="other")
        self.assertFalse(Book.objects.using("other").exists())


class TestCaseFixturesPerDatabaseTests(TestCase):
    """TestCase.fixtures are loaded into each declared database, each with
    its own NAME.ALIAS.json (the test framework's part, patch 0006)."""

    databases = {"default", "other"}
    fixtures = ["h7split"]

    def test_each_database_gets_its_own_rows(self):
        self.assertEqual(tag_names("default"), ["default-only", "everywhere"])
        self.assertEqual(tag_names("other"), ["everywhere", "other-only"])
        self.assertFalse(Row.objects.using("default").exists())
        self.assertEqual(Row.objects.using("other").count(), 1)


def dump(*labels, **options):
    out = io.StringIO()
    call_command("dumpdata", *labels, stdout=out, **options)
    return out.getvalue()


class DumpdataPerDatabaseTests(TestCase):
    databases = {"default", "other"}

    def setUp(self):
        Tag.objects.using("default").create(name="on-default")
        Tag.objects.using("other").create(name="on-other", weight=4)

    def test_rows_are_read_from_the_database_named(self):
        dumped = json.loads(dump("fixtures_data.Tag", database="other"))
        self.assertEqual([obj["fields"] for obj in dumped], [{"name": "on-other", "weight": 4}])
        dumped = json.loads(dump("fixtures_data.Tag"))
        self.assertEqual([obj["fields"]["name"] for obj in dumped], ["on-default"])

    def test_an_app_the_routers_keep_elsewhere_dumps_as_empty(self):
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "fixtures_data")]):
            self.assertEqual(dump("fixtures_data", database="other"), "[]\n")
            self.assertEqual(dump("fixtures_data.Tag", "--database", "other"), "[]\n")
            # Still dumped where it belongs.
            self.assertIn('"on-default"', dump("fixtures_data.Tag"))

    def test_an_empty_dump_to_a_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "out.json")
            with override_settings(DATABASE_ROUTERS=[KeepOff("other", "fixtures_data")]):
                call_command("dumpdata", "fixtures_data", database="other", output=path)
            with open(path, encoding="utf-8") as handle:
                self.assertEqual(handle.read(), "[]")

    def test_only_the_models_placed_there_are_dumped(self):
        Row.objects.using("other").create(n=1, label="kept")
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "fixtures_data.tag")]):
            dumped = json.loads(dump("fixtures_data", database="other"))
        self.assertEqual({obj["model"] for obj in dumped}, {"fixtures_data.row"})

    def test_a_dump_loads_back_into_another_database(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "tags.json")
            call_command(
                "dumpdata", "fixtures_data.Tag", database="other", output=path, natural_primary=True
            )
            call_command("loaddata", path, database="default", verbosity=0)
        self.assertEqual(tag_names("default"), ["on-default", "on-other"])
