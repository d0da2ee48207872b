import io
import json
import os
import tempfile

from django.core import serializers
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError
from django.test import TestCase, TransactionTestCase

from .models import Author, Book, Chapter, Genre, Node, Profile


def dump(*args, **kwargs):
    out = io.StringIO()
    call_command("dumpdata", *args, stdout=out, **kwargs)
    return out.getvalue()


def library_state():
    return {
        "authors": sorted(Author.objects.values_list("name", flat=True)),
        "books": sorted(
            (b.title, b.author.name, sorted(g.name for g in b.genres.all()), sorted(a.name for a in b.fans.all()))
            for b in Book.objects.all()
        ),
        "chapters": sorted((c.book.title if c.book else "", c.number) for c in Chapter.objects.all()),
        "profiles": sorted((p.author.name, p.bio) for p in Profile.objects.all()),
    }


class RelationSerializationTests(TestCase):
    def setUp(self):
        self.frank = Author.objects.create(name="Frank")
        self.ursula = Author.objects.create(name="Ursula")
        self.sf = Genre.objects.create(name="sf")
        self.book = Book.objects.create(title="Dune", author=self.frank)
        self.book.genres.set([self.sf])
        self.book.fans.set([self.ursula])

    def test_pk_references(self):
        data = serializers.serialize("python", Book.objects.all())
        self.assertEqual(data[0]["fields"], {
            "title": "Dune", "author": self.frank.pk, "genres": [self.sf.pk], "fans": [self.ursula.pk],
        })
        text = serializers.serialize("json", Book.objects.all())
        self.book.genres.clear()
        self.book.fans.clear()
        (obj,) = list(serializers.deserialize("json", text))
        self.assertEqual(obj.m2m_data, {"genres": [self.sf.pk], "fans": [self.ursula.pk]})
        obj.save()
        self.assertEqual(list(self.book.genres.all()), [self.sf])
        self.assertEqual(list(self.book.fans.all()), [self.ursula])

    def test_save_without_m2m(self):
        text = serializers.serialize("json", Book.objects.all())
        self.book.genres.clear()
        (obj,) = list(serializers.deserialize("json", text))
        obj.save(save_m2m=False)
        self.assertEqual(list(self.book.genres.all()), [])

    def test_natural_keys(self):
        Profile.objects.create(author=self.frank, bio="b")
        Chapter.objects.create(book=self.book, number=1)
        data = serializers.serialize(
            "python", Book.objects.all(), use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
        self.assertEqual(data, [{"model": "fixtures_rel.book", "fields": {
            "title": "Dune", "author": ["Frank"], "genres": [self.sf.pk], "fans": [["Ursula"]],
        }}])
        chapters = serializers.serialize("python", Chapter.objects.all(), use_natural_foreign_keys=True)
        self.assertEqual(chapters[0]["fields"]["book"], ["Dune", "Frank"])
        # Loading natural data for an existing row updates it in place.
        self.book.fans.clear()
        (obj,) = list(serializers.deserialize("python", data))
        self.assertEqual(obj.object.pk, self.book.pk)
        obj.save()
        self.assertEqual(Book.objects.count(), 1)
        self.assertEqual(list(self.book.fans.all()), [self.ursula])

    def test_null_fk(self):
        Chapter.objects.create(book=None, number=3)
        data = serializers.serialize("python", Chapter.objects.all(), use_natural_foreign_keys=True)
        self.assertIsNone(data[0]["fields"]["book"])
        (obj,) = list(serializers.deserialize("python", data))
        self.assertIsNone(obj.object.book_id)

    def test_sort_dependencies(self):
        from django.apps import apps

        config = apps.get_app_config("fixtures_rel")
        ordered = serializers.sort_dependencies([(config, [Chapter, Book, Profile, Author, Genre, Node])])
        self.assertLess(ordered.index(Author), ordered.index(Book))
        self.assertLess(ordered.index(Book), ordered.index(Chapter))
        self.assertLess(ordered.index(Author), ordered.index(Profile))

    def test_m2m_errors(self):
        text = json.dumps([{"model": "fixtures_rel.book", "pk": 9, "fields": {"genres": 5}}])
        with self.assertRaisesMessage(DeserializationError, "field 'genres'") as ctx:
            list(serializers.deserialize("json", text))
        # Not a list: the whole value is the culprit.
        self.assertIn("field_value was '5'", str(ctx.exception))
        text = json.dumps([{"model": "fixtures_rel.book", "pk": 9, "fields": {"genres": [1, "x"]}}])
        with self.assertRaisesMessage(DeserializationError, "field_value was 'x'"):
            list(serializers.deserialize("json", text))
        text = json.dumps([{"model": "fixtures_rel.book", "pk": 9, "fields": {"fans": [["Nobody"]]}}])
        with self.assertRaisesMessage(DeserializationError, "field 'fans'"):
            list(serializers.deserialize("json", text))
        # With forward references allowed, the missing key is deferred.
        (obj,) = list(serializers.deserialize("json", text, handle_forward_references=True))
        self.assertEqual(list(obj.deferred_fields.values()), [[["Nobody"]]])


class RelationFixtureTests(TestCase):
    def test_any_order_and_self_reference(self):
        out = io.StringIO()
        call_command("loaddata", "library", stdout=out)
        self.assertIn("Installed 7 object(s) from 1 fixture(s)", out.getvalue())
        book = Book.objects.get()
        self.assertEqual(book.author.name, "Frank")
        self.assertEqual(sorted(g.name for g in book.genres.all()), ["classic", "sf"])
        self.assertEqual([a.name for a in book.fans.all()], ["Ursula"])
        self.assertEqual(Node.objects.get(name="child").parent.name, "root")

    def test_natural_forward_references(self):
        call_command("loaddata", "natural", verbosity=0)
        book = Book.objects.get()
        self.assertEqual((book.title, book.author.name), ("Earthsea", "Ursula"))
        self.assertEqual([a.name for a in book.fans.all()], ["Frank"])
        self.assertEqual(Chapter.objects.get().book, book)

    def test_missing_natural_key(self):
        with self.assertRaises(DeserializationError) as cm:
            call_command("loaddata", "missing_natural", verbosity=0)
        self.assertIn("missing_natural.json", str(cm.exception))
        self.assertIn("field 'author'", str(cm.exception))
        self.assertFalse(Book.objects.exists())

    def test_broken_fk_leaves_database_unchanged(self):
        Author.objects.create(pk=50, name="Existing")
        with self.assertRaises(IntegrityError) as cm:
            call_command("loaddata", "broken_fk", verbosity=0)
        message = str(cm.exception)
        self.assertIn("Problem installing fixture", message)
        self.assertIn("fixtures_rel_book", message)
        self.assertIn("broken_fk.json", message)
        self.assertEqual(list(Author.objects.values_list("name", flat=True)), ["Existing"])
        self.assertFalse(Book.objects.exists())

    def test_bad_m2m_value(self):
        with self.assertRaises(DeserializationError) as cm:
            call_command("loaddata", "bad_m2m", verbosity=0)
        message = str(cm.exception)
        self.assertIn("bad_m2m.json", message)
        self.assertIn("object #2", message)
        self.assertIn("field 'genres'", message)
        self.assertFalse(Genre.objects.exists())


class RelationRoundTripTests(TransactionTestCase):
    available_apps = ["regressiontests.fixtures_rel"]

    def make_library(self):
        frank = Author.objects.create(name="Frank")
        ursula = Author.objects.create(name="Ursula")
        sf = Genre.objects.create(name="sf")
        dune = Book.objects.create(title="Dune", author=frank)
        dune.genres.set([sf])
        dune.fans.set([ursula, frank])
        Book.objects.create(title="Earthsea", author=ursula).fans.set([frank])
        Chapter.objects.create(book=dune, number=1)
        Chapter.objects.create(book=None, number=2)
        Profile.objects.create(author=ursula, bio="wizard")
        root = Node.objects.create(name="root")
        Node.objects.create(name="leaf", parent=root)

    def round_trip(self, **options):
        self.make_library()
        before = library_state()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "library.json")
            call_command("dumpdata", "fixtures_rel", output=path, indent=1, **options)
            call_command("flush", interactive=False, verbosity=0)
            self.assertFalse(Author.objects.exists())
            call_command("loaddata", path, verbosity=0)
        self.assertEqual(library_state(), before)
        self.assertEqual(Node.objects.get(name="leaf").parent.name, "root")

    def test_round_trip_pks(self):
        self.round_trip()

    def test_round_trip_natural_keys(self):
        self.round_trip(use_natural_foreign_keys=True, use_natural_primary_keys=True)

    def test_natural_dump_orders_dependencies_first(self):
        self.make_library()
        models = [d["model"] for d in json.loads(dump("fixtures_rel", use_natural_foreign_keys=True))]
        self.assertLess(models.index("fixtures_rel.author"), models.index("fixtures_rel.book"))
        self.assertLess(models.index("fixtures_rel.book"), models.index("fixtures_rel.chapter"))


class DocExamplesTests(TestCase):
    """The ``>>>`` examples of the serialization and data command docs run."""

    def run_doc(self, relative_path):
        from doc_examples import run_doc_examples

        globs = {"Author": Author, "Book": Book, "Genre": Genre}
        run_doc_examples(self, relative_path, globs, more_than=10)

    def test_serialization_topic(self):
        self.run_doc("topics/serialization.txt")


class DocDataCommandsTests(TransactionTestCase):
    """The ``>>>`` examples of docs/ref/django-admin-data.txt run (DDL included,
    hence a TransactionTestCase)."""

    available_apps = ["regressiontests.fixtures_rel"]

    def tearDown(self):
        from django.db import get_connection

        connection = get_connection()
        with connection.cursor() as cursor:
            if "legacy_city" in connection.introspection.table_names(cursor):
                cursor.execute("DROP TABLE %s" % connection.ops.quote_name("legacy_city"))

    def test_data_commands_reference(self):
        DocExamplesTests.run_doc(self, "ref/django-admin-data.txt")
