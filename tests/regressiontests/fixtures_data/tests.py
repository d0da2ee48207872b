import bz2
import datetime
import decimal
import gzip
import io
import json
import lzma
import os
import shutil
import sys
import tempfile
import uuid
import zipfile

from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError, models
from django.db.models import signals
from django.test import TestCase, TransactionTestCase, override_settings

from .models import Note, Row, Stamp, Tag, Thing

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")


def thing_rows():
    return [
        tuple(getattr(t, f.attname) for f in Thing._meta.concrete_fields)
        for t in Thing.objects.order_by("pk")
    ]


def full_thing(**kwargs):
    values = dict(
        name="full", num=-7, big=2 ** 40, price=decimal.Decimal("1234.567"), ratio=0.25,
        flag=True, moment=datetime.datetime(2021, 3, 4, 5, 6, 7, 891011),
        day=datetime.date(1999, 12, 31), clock=datetime.time(23, 59, 58, 123456),
        span=datetime.timedelta(days=3, hours=4, microseconds=5),
        uid=uuid.UUID("0f0e0d0c-0b0a-0908-0706-050403020100"), blob=b"\x00\x01binary\xff",
        data={"list": [1, 2.5, "x", None, True], "nested": {"k": "v"}}, text="ünïcode ✓",
    )
    values.update(kwargs)
    return Thing.objects.create(**values)


def normalized(rows):
    # Drivers return BinaryField values as bytes or memoryview.
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]


class LoadDataTests(TestCase):
    def test_load_all_types(self):
        out = io.StringIO()
        call_command("loaddata", "things", stdout=out)
        self.assertEqual(out.getvalue().strip(), "Installed 2 object(s) from 1 fixture(s)")
        t = Thing.objects.get(pk=1)
        self.assertEqual(t.price, decimal.Decimal("12.500"))
        self.assertEqual(t.moment, datetime.datetime(2009, 5, 4, 10, 30))
        self.assertEqual(t.day, datetime.date(2009, 5, 4))  # "2009-5-4" is accepted
        self.assertEqual(t.clock, datetime.time(8, 15, 30))
        self.assertEqual(t.span, datetime.timedelta(days=1, hours=2, minutes=3, seconds=4))
        self.assertEqual(t.uid, uuid.UUID("12345678-1234-5678-1234-567812345678"))
        self.assertEqual(bytes(t.blob), b"\x00\x01\x02\xff")
        self.assertEqual(t.data, {"a": [1, 2, {"b": None}]})
        self.assertIs(t.flag, True)
        self.assertEqual(Thing.objects.get(pk=2).name, "beta")

    def test_name_with_extension_and_absolute_path(self):
        call_command("loaddata", "things.json", verbosity=0)
        self.assertEqual(Thing.objects.count(), 2)
        Thing.objects.all().delete()
        call_command("loaddata", os.path.join(FIXTURES, "things.json"), verbosity=0)
        self.assertEqual(Thing.objects.count(), 2)

    def test_relative_path_from_cwd(self):
        cwd = os.getcwd()
        os.chdir(HERE)
        try:
            call_command("loaddata", os.path.join("fixtures", "things"), verbosity=0)
        finally:
            os.chdir(cwd)
        self.assertEqual(Thing.objects.count(), 2)

    def test_jsonl_fixture(self):
        call_command("loaddata", "lines", verbosity=0)
        self.assertEqual(sorted(Tag.objects.values_list("name", flat=True)), ["l1", "l2"])

    def test_missing_fixture(self):
        with self.assertRaisesMessage(CommandError, "No fixture named 'nothere' found."):
            call_command("loaddata", "nothere", verbosity=0)

    def test_unknown_format(self):
        with self.assertRaisesMessage(CommandError, "xml3 is not a known serialization format"):
            call_command("loaddata", "things.xml3", verbosity=0)

    def test_fixture_failing_halfway_leaves_nothing(self):
        Thing.objects.create(pk=99, name="before")
        with self.assertRaises(DeserializationError) as cm:
            call_command("loaddata", "broken_halfway", verbosity=0)
        message = str(cm.exception)
        self.assertIn("broken_halfway.json", message)
        self.assertIn("object #3", message)
        self.assertIn("colour", message)
        self.assertIn("fixtures_data.Thing", message)
        self.assertEqual(list(Thing.objects.values_list("pk", flat=True)), [99])

    def test_several_fixtures_one_transaction(self):
        with self.assertRaises(DeserializationError):
            call_command("loaddata", "things", "tags", "broken_halfway", verbosity=0)
        self.assertEqual(Thing.objects.count(), 0)
        self.assertEqual(Tag.objects.count(), 0)

    def test_unknown_model(self):
        with self.assertRaises(DeserializationError) as cm:
            call_command("loaddata", "bad_model", verbosity=0)
        message = str(cm.exception)
        self.assertIn("bad_model.json", message)
        self.assertIn("Object #2", message)
        self.assertIn("Invalid model identifier: 'fixtures_data.nosuchmodel'", message)
        self.assertFalse(Thing.objects.exists())

    def test_bad_value(self):
        with self.assertRaises(DeserializationError) as cm:
            call_command("loaddata", "bad_value", verbosity=0)
        message = str(cm.exception)
        self.assertIn("bad_value.json", message)
        self.assertIn("object #2", message)
        self.assertIn("field 'day'", message)
        self.assertIn("not a date", message)
        self.assertFalse(Thing.objects.exists())

    def test_malformed_json_names_the_fixture(self):
        with self.assertRaises(DeserializationError) as cm:
            call_command("loaddata", "malformed", verbosity=0)
        self.assertIn("malformed.json", str(cm.exception))
        self.assertIn("Invalid JSON", str(cm.exception))
        self.assertFalse(Thing.objects.exists())

    def test_empty_fixture_warns(self):
        with self.assertWarnsMessage(RuntimeWarning, "No fixture data found for 'empty'"):
            call_command("loaddata", "empty", verbosity=0)

    def test_ignorenonexistent(self):
        with self.assertRaises(DeserializationError):
            call_command("loaddata", "extra_field", verbosity=0)
        call_command("loaddata", "extra_field", ignorenonexistent=True, verbosity=0)
        self.assertEqual(Tag.objects.get(pk=7).name, "green")

    def test_exclude(self):
        out = io.StringIO()
        call_command("loaddata", "things", "tags", exclude=["fixtures_data.Thing"], stdout=out)
        self.assertEqual(Thing.objects.count(), 0)
        self.assertEqual(Tag.objects.count(), 2)
        self.assertIn("Installed 2 object(s) (of 4) from 2 fixture(s)", out.getvalue())
        call_command("loaddata", "things", exclude=["fixtures_data"], verbosity=0)
        self.assertEqual(Thing.objects.count(), 0)
        with self.assertRaisesMessage(CommandError, "Unknown model: fixtures_data.Nope"):
            call_command("loaddata", "things", exclude=["fixtures_data.Nope"], verbosity=0)

    def test_app_option(self):
        call_command("loaddata", "things", app_label="fixtures_data", verbosity=0)
        self.assertEqual(Thing.objects.count(), 2)
        with self.assertRaisesMessage(CommandError, "No fixture named 'things' found."):
            call_command("loaddata", "things", app_label="mgmt_commands", verbosity=0)

    def test_stdin(self):
        data = '[{"model": "fixtures_data.tag", "pk": 3, "fields": {"name": "stdin"}}]'
        old = sys.stdin
        sys.stdin = io.StringIO(data)
        try:
            call_command("loaddata", "-", format="json", verbosity=0)
        finally:
            sys.stdin = old
        self.assertEqual(Tag.objects.get(pk=3).name, "stdin")
        with self.assertRaisesMessage(CommandError, "--format must be specified"):
            call_command("loaddata", "-", verbosity=0)

    def test_raw_save_keeps_auto_now_and_sends_signals_once(self):
        seen = []

        def pre(sender, instance, raw, **kwargs):
            seen.append(("pre", raw))

        def post(sender, instance, raw, created, **kwargs):
            seen.append(("post", raw))

        signals.pre_save.connect(pre, sender=Stamp)
        signals.post_save.connect(post, sender=Stamp)
        try:
            call_command("loaddata", "stamps", verbosity=0)
        finally:
            signals.pre_save.disconnect(pre, sender=Stamp)
            signals.post_save.disconnect(post, sender=Stamp)
        self.assertEqual(seen, [("pre", True), ("post", True)])
        self.assertEqual(Stamp.objects.get().modified, datetime.datetime(2001, 2, 3, 4, 5, 6))

    def test_natural_primary_key_updates_existing_row(self):
        Tag.objects.create(name="red", weight=1)
        call_command("loaddata", "tags", verbosity=0)
        self.assertEqual(Tag.objects.count(), 2)
        self.assertEqual(Tag.objects.get(name="red").weight, 3)

    def test_database_error_names_fixture_and_object(self):
        from django.db import IntegrityError

        with self.assertRaises(IntegrityError) as cm:
            call_command("loaddata", "duplicate_tags", verbosity=0)
        message = str(cm.exception)
        self.assertIn("duplicate_tags.json", message)
        self.assertIn("Could not load fixtures_data.Tag(pk=62) (object #2)", message)
        self.assertFalse(Tag.objects.exists())

    def test_unknown_excluded_app_and_double_stdin(self):
        with self.assertRaisesMessage(CommandError, "nosuchapp"):
            call_command("loaddata", "things", exclude=["nosuchapp"], verbosity=0)
        with self.assertRaisesMessage(CommandError, "can only be given once"):
            call_command("loaddata", "-", "-", format="json", verbosity=0)

    def test_proxy_objects_are_skipped(self):
        out = io.StringIO()
        data = '[{"model": "fixtures_data.tagproxy", "pk": 3, "fields": {"name": "p"}}]'
        old = sys.stdin
        sys.stdin = io.StringIO(data)
        try:
            call_command("loaddata", "-", format="json", stdout=out)
        finally:
            sys.stdin = old
        self.assertIn("Installed 0 object(s) (of 1) from 1 fixture(s)", out.getvalue())
        self.assertFalse(Tag.objects.exists())

    def test_verbosity_2(self):
        out = io.StringIO()
        call_command("loaddata", "things", verbosity=2, stdout=out)
        text = out.getvalue()
        self.assertIn("Installing json fixture 'things'", text)
        self.assertIn("Installed 2 object(s) from fixture 'things'.", text)


class FixtureDirsTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp()
        with open(os.path.join(FIXTURES, "things.json"), "rb") as f:
            cls.payload = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)
        super().tearDownClass()

    def write(self, name, opener=open):
        path = os.path.join(self.tmp, name)
        with opener(path, "wb") as f:
            f.write(self.payload)
        return path

    def load(self, label):
        with override_settings(FIXTURE_DIRS=[self.tmp]):
            call_command("loaddata", label, verbosity=0)
        self.assertEqual(Thing.objects.count(), 2)
        Thing.objects.all().delete()

    def test_compressed(self):
        self.write("gzthings.json.gz", gzip.open)
        self.write("bzthings.json.bz2", bz2.open)
        self.write("xzthings.json.xz", lzma.open)
        with zipfile.ZipFile(os.path.join(self.tmp, "zipthings.json.zip"), "w") as z:
            z.writestr("zipthings.json", self.payload)
        for label in ("gzthings", "gzthings.json", "gzthings.json.gz", "bzthings", "xzthings", "zipthings"):
            with self.subTest(label=label):
                self.load(label)

    def test_zip_with_two_files_fails(self):
        with zipfile.ZipFile(os.path.join(self.tmp, "twofiles.json.zip"), "w") as z:
            z.writestr("a.json", self.payload)
            z.writestr("b.json", self.payload)
        with override_settings(FIXTURE_DIRS=[self.tmp]):
            with self.assertRaisesMessage(ValueError, "must contain one file"):
                call_command("loaddata", "twofiles", verbosity=0)

    def test_ambiguous_fixture(self):
        self.write("twin.json")
        self.write("twin.json.gz", gzip.open)
        with override_settings(FIXTURE_DIRS=[self.tmp]):
            with self.assertRaisesMessage(CommandError, "Multiple fixtures named 'twin'"):
                call_command("loaddata", "twin", verbosity=0)

    def test_fixture_dirs_validation(self):
        from django.core.exceptions import ImproperlyConfigured

        with override_settings(FIXTURE_DIRS=[self.tmp, self.tmp]):
            with self.assertRaisesMessage(ImproperlyConfigured, "duplicates"):
                call_command("loaddata", "things", verbosity=0)
        with override_settings(FIXTURE_DIRS=[FIXTURES]):
            with self.assertRaisesMessage(ImproperlyConfigured, "default fixture directory"):
                call_command("loaddata", "things", verbosity=0)


class DeclaredFixturesTests(TestCase):
    """The test framework's ``fixtures = [...]`` goes through loaddata."""

    fixtures = ["things", "tags.json"]

    def test_loaded(self):
        self.assertEqual(Thing.objects.count(), 2)
        self.assertEqual(sorted(Tag.objects.values_list("name", flat=True)), ["blue", "red"])


class DeclaredFixturesTransactionTests(TransactionTestCase):
    fixtures = ["things"]
    available_apps = ["regressiontests.fixtures_data"]

    def test_loaded(self):
        self.assertEqual(Thing.objects.count(), 2)


class DumpDataTests(TestCase):
    def dump(self, *args, **kwargs):
        out = io.StringIO()
        call_command("dumpdata", *args, stdout=out, **kwargs)
        return out.getvalue()

    def test_round_trip_all_types(self):
        full_thing()
        full_thing(name="nulls", big=None, price=None, ratio=None, moment=None, day=None,
                   clock=None, span=None, uid=None, blob=None, data=None, text="")
        full_thing(name="negative span", span=datetime.timedelta(days=-1, seconds=5),
                   data=[1, "two"], blob=b"")
        before = normalized(thing_rows())
        text = self.dump("fixtures_data.Thing", indent=2)
        Thing.objects.all().delete()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "dump.json")
            with open(path, "w") as f:
                f.write(text)
            call_command("loaddata", path, verbosity=0)
        self.assertEqual(normalized(thing_rows()), before)
        # New rows still get fresh ids after the explicit ones (sequence reset).
        new = Thing.objects.create(name="after")
        self.assertGreater(new.pk, max(row[0] for row in before))

    @override_settings(USE_TZ=True, TIME_ZONE="America/Chicago")
    def test_round_trip_aware_datetimes(self):
        from django.utils import timezone

        moment = datetime.datetime(2021, 6, 1, 12, 0, 0, 500, tzinfo=datetime.timezone.utc)
        Thing.objects.create(name="tz", moment=moment)
        text = self.dump("fixtures_data.Thing")
        self.assertIn('"2021-06-01T12:00:00.000500Z"', text)
        Thing.objects.all().delete()
        for obj in serializers.deserialize("json", text):
            obj.save()
        loaded = Thing.objects.get().moment
        self.assertTrue(timezone.is_aware(loaded))
        self.assertEqual(loaded, moment)

    def test_dump_formats_and_options(self):
        Tag.objects.create(pk=5, name="x")
        compact = json.loads(self.dump("fixtures_data.Tag"))
        self.assertEqual(compact, [{"model": "fixtures_data.tag", "pk": 5, "fields": {"name": "x", "weight": 1}}])
        natural = json.loads(self.dump("fixtures_data.Tag", use_natural_primary_keys=True))
        self.assertEqual(natural, [{"model": "fixtures_data.tag", "fields": {"name": "x", "weight": 1}}])
        lines = self.dump("fixtures_data.Tag", format="jsonl").splitlines()
        self.assertEqual([json.loads(line)["pk"] for line in lines], [5])
        with self.assertRaisesMessage(CommandError, "Unknown serialization format: yaml9"):
            self.dump(format="yaml9")
        with self.assertRaisesMessage(CommandError, "Unknown serialization format: python"):
            self.dump(format="python")

    def test_app_model_labels_exclude_and_pks(self):
        Tag.objects.create(pk=1, name="a")
        Tag.objects.create(pk=2, name="b")
        Thing.objects.create(pk=1, name="t")
        everything = json.loads(self.dump("fixtures_data"))
        self.assertEqual({d["model"] for d in everything}, {"fixtures_data.tag", "fixtures_data.thing"})
        no_things = json.loads(self.dump("fixtures_data", exclude=["fixtures_data.Thing"]))
        self.assertEqual({d["model"] for d in no_things}, {"fixtures_data.tag"})
        others = json.loads(self.dump(exclude=["fixtures_data"]))
        self.assertFalse([d for d in others if d["model"].startswith("fixtures_data.")])
        only_two = json.loads(self.dump("fixtures_data.Tag", primary_keys="2"))
        self.assertEqual([d["pk"] for d in only_two], [2])
        with self.assertRaisesMessage(CommandError, "only use --pks option with one model"):
            self.dump(primary_keys="1")
        with self.assertRaisesMessage(CommandError, "Unknown model: fixtures_data.Nope"):
            self.dump("fixtures_data.Nope")
        with self.assertRaisesMessage(CommandError, "nosuchapp"):
            self.dump("nosuchapp")

    def test_proxy_model_label(self):
        from django.core.management.commands.dumpdata import ProxyModelWarning

        Tag.objects.create(name="t")
        with self.assertWarnsMessage(ProxyModelWarning, "fixtures_data.TagProxy is a proxy model"):
            self.assertEqual(json.loads(self.dump("fixtures_data.TagProxy")), [])
        # Named with its concrete model it is silently left out.
        self.assertEqual(len(json.loads(self.dump("fixtures_data.TagProxy", "fixtures_data.Tag"))), 1)

    def test_model_then_whole_app(self):
        Tag.objects.create(name="t")
        Thing.objects.create(name="x")
        models = {d["model"] for d in json.loads(self.dump("fixtures_data.Tag", "fixtures_data"))}
        self.assertEqual(models, {"fixtures_data.tag", "fixtures_data.thing"})
        with self.assertRaisesMessage(CommandError, "only use --pks option with one model"):
            self.dump("fixtures_data.Tag", "fixtures_data.Thing", primary_keys="1")
        with self.assertRaisesMessage(CommandError, "only use --pks option with one model"):
            self.dump("fixtures_data", primary_keys="1")

    def test_serialization_failure(self):
        from unittest import mock

        Tag.objects.create(name="t")
        with mock.patch("django.core.serializers.json.Serializer.end_object", side_effect=RuntimeError("boom")):
            with self.assertRaisesMessage(CommandError, "Unable to serialize database: boom"):
                self.dump("fixtures_data.Tag")
            with self.assertRaisesMessage(RuntimeError, "boom"):
                self.dump("fixtures_data.Tag", traceback=True)

    def test_all_uses_base_manager(self):
        Note.everything.create(text="shown")
        Note.everything.create(text="hidden", visible=False)
        default = json.loads(self.dump("fixtures_data.Note"))
        self.assertEqual([d["fields"]["text"] for d in default], ["shown"])
        everything = json.loads(self.dump("fixtures_data.Note", use_base_manager=True))
        self.assertEqual([d["fields"]["text"] for d in everything], ["shown", "hidden"])

    def test_output_file_compressed(self):
        Tag.objects.create(pk=1, name="c")
        with tempfile.TemporaryDirectory() as tmp:
            for ext, opener in (("", open), (".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open)):
                path = os.path.join(tmp, "out.json" + ext)
                call_command("dumpdata", "fixtures_data.Tag", output=path)
                with opener(path, "rb") as f:
                    self.assertEqual(json.loads(f.read())[0]["fields"]["name"], "c")
                Tag.objects.all().delete()
                call_command("loaddata", path, verbosity=0)
                self.assertEqual(Tag.objects.get().name, "c")
            path = os.path.join(tmp, "out.json.zip")
            call_command("dumpdata", "fixtures_data.Tag", output=path)
            with zipfile.ZipFile(path) as z:
                self.assertEqual(z.namelist(), ["out.json"])
            Tag.objects.all().delete()
            call_command("loaddata", path, verbosity=0)
            self.assertEqual(Tag.objects.get().name, "c")


class CountingSink(io.TextIOBase):
    """A text stream that only counts what it is given."""

    def __init__(self):
        self.size = 0
        self.writes = 0

    def write(self, text):
        self.size += len(text)
        self.writes += 1
        return len(text)


def peak_memory(func):
    import tracemalloc

    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


class StreamingDumpTests(TestCase):
    def test_json_serializer_streams(self):
        # 20,000 unsaved rows from a generator: the serializer writes each
        # object as it comes, so memory stays far below the output size.
        sink = CountingSink()
        rows = (Row(id=i, n=i, label="row number %d" % i) for i in range(20000))
        peak = peak_memory(lambda: serializers.serialize("json", rows, stream=sink))
        self.assertGreater(sink.size, 20000 * 50)
        self.assertGreater(sink.writes, 20000)
        self.assertLess(peak, sink.size / 4, "peak %d bytes for a %d-byte dump" % (peak, sink.size))

    def test_dumpdata_uses_iterator(self):
        from django.db import get_connection
        from django.db.models.query import QuerySet

        Row.objects.bulk_create([Row(n=i, label="row number %d" % i) for i in range(20000)])
        calls = []
        original = QuerySet.iterator

        def spy(self, *args, **kwargs):
            calls.append(self.model)
            return original(self, *args, **kwargs)

        sink = CountingSink()
        QuerySet.iterator = spy
        try:
            peak = peak_memory(lambda: call_command("dumpdata", "fixtures_data.Row", stdout=sink))
        finally:
            QuerySet.iterator = original
        self.assertEqual(calls, [Row])
        self.assertGreater(sink.size, 20000 * 50)
        # PyMySQL reads a whole result set into the client before the first
        # row is returned, so only the other drivers have bounded memory here.
        if get_connection().vendor != "mysql":
            self.assertLess(peak, sink.size * 0.75, "peak %d bytes for a %d-byte dump" % (peak, sink.size))


class FlushRoundTripTests(TransactionTestCase):
    """dumpdata -> flush -> loaddata gives back identical rows."""

    available_apps = ["regressiontests.fixtures_data"]

    def round_trip(self, moment):
        full_thing(moment=moment)
        full_thing(name="nulls", big=None, price=None, ratio=None, moment=None, day=None,
                   clock=None, span=None, uid=None, blob=None, data=None, text="")
        full_thing(name="odd values", moment=moment, price=decimal.Decimal("-0.001"), ratio=-1e-7,
                   span=datetime.timedelta(days=-1, seconds=5), data=[1, "two", {"3": [None]}],
                   blob=b"", text="line\nbreak \"quoted\" \\ back")
        Tag.objects.create(name="t")
        before = normalized(thing_rows())
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "all.json.gz")
            call_command("dumpdata", "fixtures_data", output=path)
            call_command("flush", interactive=False, verbosity=0)
            self.assertFalse(Thing.objects.exists())
            out = io.StringIO()
            call_command("loaddata", path, stdout=out)
        self.assertEqual(out.getvalue(), "Installed 4 object(s) from 1 fixture(s)\n")
        self.assertEqual(normalized(thing_rows()), before)
        self.assertEqual(Tag.objects.get().name, "t")
        self.assertGreater(Thing.objects.create(name="new").pk, max(row[0] for row in before))

    def test_without_time_zones(self):
        self.round_trip(datetime.datetime(2021, 3, 4, 5, 6, 7, 891011))

    @override_settings(USE_TZ=True, TIME_ZONE="Asia/Tokyo")
    def test_with_time_zones(self):
        plus_five = datetime.timezone(datetime.timedelta(hours=5))
        self.round_trip(datetime.datetime(2021, 3, 4, 5, 6, 7, 891011, tzinfo=plus_five))


# Fixtures and dumps per database (patch 0007) have a module of their own.
from .test_databases import (  # noqa: E402
    DumpdataPerDatabaseTests,
    FixturesPerDatabaseTests,
    TestCaseFixturesPerDatabaseTests,
)
