"""Which database an instance belongs to: ``instance._state.db`` for every
instance a query builds, ``refresh_from_db(using=)``, deferred fields read
where the instance came from, and the alias kept through pickling and
copying (patch 0004, the reading side).

Every behaviour is checked on 'default' and on 'other': under test_multidb
'other' is another engine, so the same model is read from two vendors."""
import copy
import pickle

from django.db import ConnectionDoesNotExist, connections
from django.db.models import Prefetch, signals
from django.test import TestCase
from django.test.utils import CaptureQueriesContext, override_settings

from ..models import Book, PenName, Person, Shelf
from .support import one_connection_for

ALIASES = ("default", "other")


def table(alias, model):
    return connections[alias].ops.quote_name(model._meta.db_table)


class NewInstanceTests(TestCase):
    def test_a_constructed_instance_belongs_to_no_database(self):
        person = Person(name="Ann")
        self.assertIsNone(person._state.db)
        self.assertTrue(person._state.adding)


class FetchedInstanceTests(TestCase):
    databases = {"default", "other"}

    def assertLoadedFrom(self, alias, instances):
        instances = list(instances)
        self.assertTrue(instances)
        for instance in instances:
            self.assertEqual(instance._state.db, alias)
            self.assertFalse(instance._state.adding)

    def for_each_alias(self):
        """(alias, a Person and a Book of theirs stored on alias) per alias."""
        for alias in ALIASES:
            with self.subTest(alias=alias):
                author = Person.objects.using(alias).create(name="Ann %s" % alias)
                book = Book.objects.using(alias).create(title="Book %s" % alias, author=author)
                yield alias, author, book

    def test_iteration(self):
        for alias, _author, _book in self.for_each_alias():
            self.assertLoadedFrom(alias, Person.objects.using(alias).all())

    def test_get_and_first(self):
        for alias, author, _book in self.for_each_alias():
            people = Person.objects.using(alias)
            self.assertLoadedFrom(alias, [people.get(pk=author.pk), people.first(), people.last()])

    def test_iterator_in_chunks(self):
        for alias, _author, _book in self.for_each_alias():
            Person.objects.using(alias).create(name="Bob %s" % alias)
            streamed = Person.objects.using(alias).iterator(chunk_size=1)
            self.assertLoadedFrom(alias, streamed)

    def test_in_bulk(self):
        for alias, author, _book in self.for_each_alias():
            found = Person.objects.using(alias).in_bulk([author.pk])
            self.assertLoadedFrom(alias, found.values())

    def test_select_related_objects_carry_the_querys_alias(self):
        for alias, _author, _book in self.for_each_alias():
            book = Book.objects.using(alias).select_related("author").get()
            with self.assertNumQueries(0, using=alias):
                author = book.author
            self.assertLoadedFrom(alias, [book, author])

    def test_prefetched_objects_carry_the_prefetch_querys_alias(self):
        for alias, _author, _book in self.for_each_alias():
            people = Person.objects.using(alias).prefetch_related(
                Prefetch("books", queryset=Book.objects.using(alias))
            )
            (author,) = people
            self.assertLoadedFrom(alias, [author])
            self.assertLoadedFrom(alias, author.books.all())

    def test_prefetch_without_a_queryset(self):
        # The prefetch query of a plain lookup is routed: 'default' here.
        author = Person.objects.create(name="Ann")
        Book.objects.create(title="Dune", author=author)
        (fetched,) = Person.objects.prefetch_related("books")
        self.assertLoadedFrom("default", fetched.books.all())

    def test_prefetched_many_to_many_objects(self):
        for alias, author, _book in self.for_each_alias():
            shelf = Shelf.objects.using(alias).create(label="s")
            shelf.readers.through.objects.using(alias).create(shelf_id=shelf.pk, person_id=author.pk)
            shelves = Shelf.objects.using(alias).prefetch_related(
                Prefetch("readers", queryset=Person.objects.using(alias))
            )
            (fetched,) = shelves
            self.assertLoadedFrom(alias, fetched.readers.all())

    def test_raw(self):
        for alias, _author, _book in self.for_each_alias():
            sql = "SELECT * FROM %s" % table(alias, Person)
            self.assertLoadedFrom(alias, Person.objects.raw(sql, using=alias))
            self.assertLoadedFrom(alias, Person.objects.raw(sql).using(alias))

    def test_from_db_of_the_model(self):
        # A model overriding from_db() is built through it.
        for alias in ALIASES:
            with self.subTest(alias=alias):
                PenName.objects.using(alias).create(name="Ann")
                self.assertLoadedFrom(alias, PenName.objects.using(alias).all())

    def test_deferred_fields(self):
        for alias, _author, _book in self.for_each_alias():
            self.assertLoadedFrom(alias, Book.objects.using(alias).only("title"))
            self.assertLoadedFrom(alias, Book.objects.using(alias).defer("title"))

    def test_init_signal_listeners(self):
        def listener(**kwargs):
            pass

        signals.post_init.connect(listener, sender=Person)
        self.addCleanup(signals.post_init.disconnect, listener, sender=Person)
        for alias, _author, _book in self.for_each_alias():
            self.assertLoadedFrom(alias, Person.objects.using(alias).all())

    def test_instances_of_two_aliases_read_interleaved(self):
        for alias in ALIASES:
            Person.objects.using(alias).bulk_create([Person(name="%s %d" % (alias, n)) for n in range(3)])
        streams = [Person.objects.using(alias).iterator(chunk_size=2) for alias in ALIASES]
        pairs = list(zip(*streams))
        self.assertEqual(len(pairs), 3)
        for on_default, on_other in pairs:
            self.assertEqual((on_default._state.db, on_other._state.db), ALIASES)
            self.assertEqual([on_default.name[:7], on_other.name[:5]], ["default", "other"])

    def test_two_aliases_on_one_connection_read_interleaved(self):
        # Both aliases share one wrapper, so one statement cache and the
        # memo of each shape: what is kept there must not decide the alias.
        Person.objects.bulk_create([Person(name="Ann"), Person(name="Bob")])
        with one_connection_for("other", "default"):
            streams = [Person.objects.using(alias).iterator(chunk_size=1) for alias in ALIASES]
            pairs = list(zip(*streams))
        self.assertEqual(len(pairs), 2)
        for on_default, on_other in pairs:
            self.assertEqual((on_default._state.db, on_other._state.db), ALIASES)


class PicklingTests(TestCase):
    databases = {"default", "other"}

    def test_pickling_and_copying_keep_the_alias(self):
        for alias in ALIASES:
            with self.subTest(alias=alias):
                Person.objects.using(alias).create(name="Ann")
                # Fresh instances each time: their state is made lazily, and
                # must survive pickling before anyone asked for it.
                for clone in (
                    pickle.loads(pickle.dumps(Person.objects.using(alias).get())),
                    copy.copy(Person.objects.using(alias).get()),
                    copy.deepcopy(Person.objects.using(alias).get()),
                ):
                    self.assertEqual(clone._state.db, alias)
                    self.assertFalse(clone._state.adding)
                    self.assertEqual(clone.name, "Ann")

    def test_the_original_keeps_its_alias_too(self):
        for alias in ALIASES:
            with self.subTest(alias=alias):
                Person.objects.using(alias).create(name="Ann")
                person = Person.objects.using(alias).get()
                pickle.dumps(person)
                copy.copy(person)
                self.assertEqual(person._state.db, alias)

    def test_an_unsaved_instance_stays_without_database(self):
        clone = pickle.loads(pickle.dumps(Person(name="Ann")))
        self.assertIsNone(clone._state.db)
        self.assertTrue(clone._state.adding)

    def test_pickled_with_its_select_related_objects(self):
        for alias in ALIASES:
            with self.subTest(alias=alias):
                author = Person.objects.using(alias).create(name="Ann")
                Book.objects.using(alias).create(title="Dune", author=author)
                book = pickle.loads(pickle.dumps(Book.objects.using(alias).select_related("author").get()))
                self.assertEqual((book._state.db, book.author._state.db), (alias, alias))


class BulkCreateTests(TestCase):
    databases = {"default", "other"}

    def test_bulk_created_objects_belong_to_the_database_written(self):
        for alias in ALIASES:
            with self.subTest(alias=alias):
                people = Person.objects.using(alias).bulk_create([Person(name="Ann"), Person(name="Bob")])
                for person in people:
                    self.assertEqual(person._state.db, alias)
                    self.assertFalse(person._state.adding)

    def test_with_conflicts_ignored(self):
        for alias in ALIASES:
            with self.subTest(alias=alias):
                (person,) = Person.objects.using(alias).bulk_create([Person(name="Ann")], ignore_conflicts=True)
                self.assertEqual(person._state.db, alias)


class ReadsTo:
    """A router sending every read to ``alias`` and noting each call of
    db_for_read as (model, hints)."""

    def __init__(self, alias=None):
        self.alias = alias
        self.calls = []

    def db_for_read(self, model, **hints):
        self.calls.append((model, hints))
        return self.alias


class RefreshFromDbTests(TestCase):
    databases = {"default", "other"}

    def twins(self, pk=1001):
        """A Person stored under the same key on both databases, named after
        its database, as read from 'default'."""
        for alias in ALIASES:
            Person.objects.using(alias).create(pk=pk, name=alias)
        return Person.objects.get(pk=pk)

    def test_reads_from_its_own_database_by_default(self):
        for alias in ALIASES:
            with self.subTest(alias=alias):
                person = Person.objects.using(alias).create(name="Ann")
                fetched = Person.objects.using(alias).get(pk=person.pk)
                Person.objects.using(alias).filter(pk=person.pk).update(name="Eve")
                with CaptureQueriesContext(connections[alias]) as captured:
                    fetched.refresh_from_db()
                self.assertEqual(len(captured), 1)
                self.assertEqual(fetched.name, "Eve")
                self.assertEqual(fetched._state.db, alias)

    def test_using_reads_there_and_moves_the_instance(self):
        person = self.twins()
        person.refresh_from_db(using="other")
        self.assertEqual(person.name, "other")
        self.assertEqual(person._state.db, "other")
        person.refresh_from_db()
        self.assertEqual(person.name, "other")
        person.refresh_from_db(using="default")
        self.assertEqual((person.name, person._state.db), ("default", "default"))

    def test_the_router_is_asked_once_with_the_instance(self):
        person = self.twins()
        router = ReadsTo("other")
        with override_settings(DATABASE_ROUTERS=[router]):
            person.refresh_from_db()
        self.assertEqual(router.calls, [(Person, {"instance": person})])
        self.assertEqual((person.name, person._state.db), ("other", "other"))

    def test_a_router_without_opinion_leaves_the_instances_database(self):
        person = self.twins()
        person._state.db = "other"
        router = ReadsTo(None)
        with override_settings(DATABASE_ROUTERS=[router]):
            person.refresh_from_db(fields=["name"])
        self.assertEqual(len(router.calls), 1)
        self.assertEqual((person.name, person._state.db), ("other", "other"))

    def test_using_wins_over_the_routers(self):
        person = self.twins()
        router = ReadsTo("default")
        with override_settings(DATABASE_ROUTERS=[router]):
            person.refresh_from_db(using="other")
        self.assertEqual(router.calls, [])
        self.assertEqual((person.name, person._state.db), ("other", "other"))

    def test_from_queryset_keeps_its_alias(self):
        person = self.twins()
        person.refresh_from_db(from_queryset=Person.objects.using("other"))
        self.assertEqual((person.name, person._state.db), ("other", "other"))

    def test_from_queryset_with_using(self):
        person = self.twins()
        person.refresh_from_db(using="default", from_queryset=Person.objects.using("other"))
        self.assertEqual((person.name, person._state.db), ("default", "default"))

    def test_a_routed_from_queryset_asks_the_routers_once(self):
        person = self.twins()
        router = ReadsTo("other")
        with override_settings(DATABASE_ROUTERS=[router]):
            person.refresh_from_db(from_queryset=Person.objects.filter(name__gt=""))
        self.assertEqual(len(router.calls), 1)
        self.assertEqual((person.name, person._state.db), ("other", "other"))

    def test_an_unknown_alias_is_refused_before_any_sql(self):
        person = self.twins()
        with CaptureQueriesContext(connections["default"]) as captured:
            with self.assertRaisesMessage(ConnectionDoesNotExist, "'nope'"):
                person.refresh_from_db(using="nope")
        self.assertEqual(len(captured), 0)


class DeferredLoadingTests(TestCase):
    databases = {"default", "other"}

    def test_deferred_fields_load_from_the_instances_database(self):
        for alias in ALIASES:
            Book.objects.using(alias).create(pk=2002, title="Title on %s" % alias)
        for alias in ALIASES:
            with self.subTest(alias=alias):
                book = Book.objects.using(alias).only("author").get(pk=2002)
                with CaptureQueriesContext(connections[alias]) as captured:
                    self.assertEqual(book.title, "Title on %s" % alias)
                self.assertEqual(len(captured), 1)
                self.assertEqual(book._state.db, alias)

    def test_whatever_the_routers_say(self):
        for alias in ALIASES:
            Book.objects.using(alias).create(pk=2002, title="Title on %s" % alias)
        book = Book.objects.using("other").only("author").get(pk=2002)
        router = ReadsTo("default")
        with override_settings(DATABASE_ROUTERS=[router]):
            self.assertEqual(book.title, "Title on other")
        self.assertEqual(router.calls, [])
