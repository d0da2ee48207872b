"""QuerySet.using(), Manager.db_manager() and the per-operation routing of
reads and writes (patch 0003)."""
import datetime
import pickle

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import ConnectionDoesNotExist, connections, transaction
from django.db.models import Count, Max
from django.db.models.query import RawQuerySet
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext, override_settings

from ..models import Book, Manuscript, PenName, Person, Poem, Tag
from .support import one_connection_for

HERE = __name__


def names_on(alias):
    """Person names stored on ``alias``, read with a raw cursor (no ORM)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s FROM %s ORDER BY %s" % (
                connection.ops.quote_name("name"),
                connection.ops.quote_name(Person._meta.db_table),
                connection.ops.quote_name("name"),
            )
        )
        return [row[0] for row in cursor.fetchall()]


class SplitRouter:
    """Reads go to 'other', writes to 'default'."""

    def db_for_read(self, model, **hints):
        return "other"

    def db_for_write(self, model, **hints):
        return "default"


class HintRouter:
    """Sends a model's queries where the hint 'to' says."""

    def db_for_read(self, model, **hints):
        return hints.get("to")

    def db_for_write(self, model, **hints):
        return hints.get("to")


class OtherRouter:
    def db_for_read(self, model, **hints):
        return "other"

    def db_for_write(self, model, **hints):
        return "other"


class RefusingRouter:
    """Any question fails the test: str(query) must not ask."""

    def db_for_read(self, model, **hints):
        raise AssertionError("db_for_read was called")

    def db_for_write(self, model, **hints):
        raise AssertionError("db_for_write was called")


class WhereTheStatementsWent:
    """``with WhereTheStatementsWent() as went: ...`` then ``went.aliases``:
    the aliases that ran at least one statement inside the block."""

    ALIASES = ("default", "other")

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in self.ALIASES}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc_info):
        # In reverse (two aliases may share a connection: the first one in
        # restores its debug flag last), and as after success, so that the
        # window closes here even when the block raised.
        for context in reversed(list(self.contexts.values())):
            context.__exit__(None, None, None)

    @property
    def aliases(self):
        return {alias for alias, context in self.contexts.items() if len(context)}


class UsingTests(TestCase):
    databases = {"default", "other"}

    def test_rows_written_with_using_are_on_that_database_only(self):
        Person.objects.using("other").create(name="Ann")
        Person(name="Bob").save(using="other")
        Person.objects.using("other").bulk_create([Person(name="Cy")])
        self.assertEqual(names_on("other"), ["Ann", "Bob", "Cy"])
        self.assertEqual(names_on("default"), [])

    def test_reads_with_using(self):
        Person.objects.using("other").create(name="Ann")
        Person.objects.create(name="Dee")
        on_other = Person.objects.using("other")
        self.assertEqual([p.name for p in on_other.all()], ["Ann"])
        self.assertEqual(on_other.get(name="Ann").name, "Ann")
        self.assertEqual(on_other.count(), 1)
        self.assertFalse(on_other.filter(name="Dee").exists())
        self.assertEqual(on_other.aggregate(Max("name")), {"name__max": "Ann"})
        self.assertEqual([p.name for p in on_other.iterator()], ["Ann"])
        self.assertEqual(list(on_other.values_list("name", flat=True)), ["Ann"])
        self.assertEqual([p.name for p in Person.objects.all()], ["Dee"])

    def test_updates_and_deletes_with_using(self):
        Person.objects.using("other").create(name="Ann")
        Person.objects.create(name="Ann")
        self.assertEqual(Person.objects.using("other").update(name="Eve"), 1)
        self.assertEqual(names_on("other"), ["Eve"])
        self.assertEqual(names_on("default"), ["Ann"])
        self.assertEqual(Person.objects.using("other").delete()[0], 1)
        self.assertEqual(names_on("other"), [])
        self.assertEqual(names_on("default"), ["Ann"])

    def test_deleting_cascades_on_the_same_database(self):
        author = Person.objects.using("other").create(name="Ann")
        Book.objects.using("other").create(title="T", author=author)
        Person.objects.create(name="Ann")
        author.delete(using="other")
        self.assertEqual(Book.objects.using("other").count(), 0)
        self.assertEqual(names_on("default"), ["Ann"])

    def test_get_or_create_and_update_or_create_with_using(self):
        obj, created = Person.objects.using("other").get_or_create(name="Ann")
        self.assertTrue(created)
        again, created = Person.objects.using("other").get_or_create(name="Ann")
        self.assertFalse(created)
        self.assertEqual(again.pk, obj.pk)
        Person.objects.using("other").update_or_create(pk=obj.pk, defaults={"name": "Bea"})
        self.assertEqual(names_on("other"), ["Bea"])
        self.assertEqual(names_on("default"), [])

    def test_raw_with_using(self):
        Person.objects.using("other").create(name="Ann")
        table = connections["other"].ops.quote_name(Person._meta.db_table)
        raw = Person.objects.raw("SELECT * FROM %s" % table, using="other")
        self.assertIsInstance(raw, RawQuerySet)
        self.assertEqual(raw.db, "other")
        self.assertEqual([p.name for p in raw], ["Ann"])
        self.assertEqual(list(Person.objects.raw("SELECT * FROM %s" % table)), [])
        self.assertEqual([p.name for p in Person.objects.raw("SELECT * FROM %s" % table).using("other")], ["Ann"])
        self.assertEqual([p.name for p in Person.objects.using("other").raw("SELECT * FROM %s" % table)], ["Ann"])

    def test_from_db_is_handed_the_alias(self):
        PenName.objects.using("other").create(name="Ann")
        del PenName.loaded_from[:]
        list(PenName.objects.using("other").all())
        list(PenName.objects.using("other").select_related())
        self.assertEqual(PenName.loaded_from, ["other", "other"])

    def test_db_manager_keeps_the_managers_own_methods(self):
        manager = PenName.objects.db_manager("other")
        self.assertIsInstance(manager, type(PenName.objects))
        self.assertEqual(manager.db, "other")
        manager.register("Ann")
        self.assertEqual(PenName.objects.using("other").get().name, "Ann")
        self.assertFalse(PenName.objects.exists())
        # The model's own manager is unchanged.
        self.assertEqual(PenName.objects.db, "default")

    def test_db_manager_create_user(self):
        User.objects.db_manager("other").create_user("ann", password="pw")
        self.assertTrue(User.objects.using("other").filter(username="ann").exists())
        self.assertFalse(User.objects.filter(username="ann").exists())

    def test_chained_querysets_keep_the_alias(self):
        Person.objects.using("other").create(name="Ann")
        qs = Person.objects.using("other")
        for derived in (
            qs.filter(name="Ann"), qs.exclude(name="x"), qs.order_by("-name"), qs.values("name"),
            qs.values_list("name"), qs.annotate(n=Count("books")), qs[:5], qs.all(), qs.distinct(),
            qs.select_related(), qs.only("name"),
        ):
            self.assertEqual(derived.db, "other")
        revived = pickle.loads(pickle.dumps(qs.filter(name="Ann")))
        self.assertEqual(revived.db, "other")
        self.assertEqual([p.name for p in revived.filter(name="Ann")], ["Ann"])

    @override_settings(DATABASE_ROUTERS=["%s.HintRouter" % HERE])
    def test_chained_querysets_keep_the_hints(self):
        qs = Person.objects.db_manager(hints={"to": "other"}).all()
        for derived in (qs.filter(name="x"), qs.order_by("name"), qs.values("name"), qs[:2]):
            self.assertEqual(derived.db, "other")
        self.assertEqual(Person.objects.all().db, "default")

    @override_settings(DATABASE_ROUTERS=["%s.OtherRouter" % HERE])
    def test_using_none_means_routed(self):
        self.assertEqual(Person.objects.using("default").db, "default")
        self.assertEqual(Person.objects.using("default").using(None).db, "other")
        self.assertEqual(Person.objects.db_manager(None).db, "other")


class SharedConnectionTests(TestCase):
    """Two aliases on one connection: the same statement shape is compiled
    once for both (the statement cache is the connection's), yet every
    object is built for the alias of the query that read it."""

    databases = {"default", "other"}

    def setUp(self):
        for number in range(3):
            pen = PenName.objects.create(name="Pen %d" % number)
            Manuscript.objects.create(title="Draft %d" % number, pen_name=pen)

    def assertBuiltFor(self, alias, manuscripts):
        self.assertEqual(len(manuscripts), 3)
        pen_name = Manuscript._meta.get_field("pen_name")
        for manuscript in manuscripts:
            # Built from the joined row, not fetched on access.
            self.assertTrue(pen_name.is_cached(manuscript))
            self.assertEqual((manuscript.title, manuscript.built_for), (manuscript.title, alias))
            self.assertEqual(
                (manuscript.title, manuscript.pen_name.built_for), (manuscript.title, alias)
            )

    def test_select_related_iterated_on_both_aliases_at_once(self):
        with one_connection_for("other", "default"):
            self.assertIs(connections["other"], connections["default"])
            on_default = Manuscript.objects.using("default").select_related("pen_name")
            on_other = Manuscript.objects.using("other").select_related("pen_name")
            reading_default = on_default.iterator(chunk_size=1)
            read_default = [next(reading_default)]
            reading_other = on_other.iterator(chunk_size=1)
            read_other = [next(reading_other)]
            # Each continues after the other one started.
            read_default.extend(reading_default)
            read_other.extend(reading_other)
        self.assertBuiltFor("default", read_default)
        self.assertBuiltFor("other", read_other)


class GenericRelationDeletionTests(TestCase):
    """Deleting on a database deletes the objects' generic related rows
    (GenericRelation) on that database, and nowhere else."""

    databases = {"default", "other"}

    def setUp(self):
        self.number_content_types_apart()
        # The same primary key on both databases: a query sent to the wrong
        # database would find the other database's tags.
        for alias in ("default", "other"):
            poem = Poem.objects.using(alias).create(pk=7, title="Ode")
            content_type = ContentType.objects.db_manager(alias).get_for_model(Poem)
            Tag.objects.using(alias).create(
                label="on " + alias, content_type=content_type, object_id=poem.pk
            )

    def number_content_types_apart(self):
        """Give Poem another content type id on 'other' than on 'default',
        as when the two databases got their rows in different orders."""
        self.addCleanup(ContentType.objects.clear_cache)
        on_other = ContentType.objects.db_manager("other")
        on_other.create(app_label="multiple_database", model="placeholder")
        on_other.filter(app_label="multiple_database", model="poem").delete()
        ContentType.objects.clear_cache()
        self.assertNotEqual(
            on_other.get_for_model(Poem).pk,
            ContentType.objects.db_manager("default").get_for_model(Poem).pk,
        )

    def labels_on(self, alias):
        return list(Tag.objects.using(alias).values_list("label", flat=True))

    def test_deleting_an_instance(self):
        Poem.objects.using("other").get().delete(using="other")
        self.assertEqual(self.labels_on("other"), [])
        self.assertEqual(self.labels_on("default"), ["on default"])
        self.assertTrue(Poem.objects.using("default").exists())

    def test_deleting_a_queryset(self):
        Poem.objects.using("other").filter(title="Ode").delete()
        self.assertEqual(self.labels_on("other"), [])
        self.assertEqual(self.labels_on("default"), ["on default"])
        self.assertTrue(Poem.objects.using("default").exists())

    def test_deleting_on_default_leaves_other_alone(self):
        Poem.objects.get().delete()
        self.assertEqual(self.labels_on("default"), [])
        self.assertEqual(self.labels_on("other"), ["on other"])


@override_settings(DATABASE_ROUTERS=["%s.SplitRouter" % HERE])
class PerOperationRoutingTests(TestCase):
    """Reads go where db_for_read says, writes where db_for_write says."""

    databases = {"default", "other"}

    def setUp(self):
        # Explicit keys would leave PostgreSQL's sequence behind.
        self.ann = Person.objects.using("default").create(name="Ann")
        Person.objects.using("other").create(name="Ann")

    def assertRanOn(self, alias, operation):
        with WhereTheStatementsWent() as went:
            operation()
        self.assertEqual(went.aliases, {alias})

    def test_reads(self):
        objects = Person.objects
        for read in (
            lambda: objects.get(name="Ann"),
            lambda: list(objects.filter(name="Ann")),
            objects.count,
            objects.exists,
            lambda: objects.aggregate(Max("name")),
            lambda: list(objects.iterator()),
            lambda: objects.in_bulk([self.ann.pk]),
            lambda: list(objects.values("name")),
        ):
            self.assertRanOn("other", read)

    def test_writes(self):
        objects = Person.objects
        ann = self.ann
        for write in (
            lambda: objects.create(name="Bob"),
            lambda: objects.filter(name="Bob").update(name="Cy"),
            lambda: objects.bulk_create([Person(name="Dee")]),
            lambda: objects.bulk_update([ann], ["name"]),
            lambda: list(objects.select_for_update().filter(name="Ann")),
            lambda: objects.update_or_create(name="Ann", defaults={"name": "Eve"}),
            lambda: objects.filter(name="Dee").delete(),
        ):
            self.assertRanOn("default", write)

    def test_get_or_create_reads_on_the_write_database(self):
        self.assertRanOn("default", lambda: Person.objects.get_or_create(name="Ann"))
        self.assertRanOn("default", lambda: Person.objects.get_or_create(name="New"))

    def test_explicit_using_wins_over_the_routers(self):
        self.assertRanOn("default", Person.objects.using("default").count)
        self.assertRanOn("other", lambda: Person.objects.using("other").create(name="Bob"))


class DatesReadTests(TestCase):
    databases = {"default", "other"}

    @override_settings(DATABASE_ROUTERS=["%s.OtherRouter" % HERE])
    def test_dates_are_read_where_reads_go(self):
        User.objects.create_user("ann", date_joined=datetime.datetime(2009, 5, 1))
        self.assertEqual(
            [d.year for d in User.objects.using("other").dates("date_joined", "year")], [2009]
        )
        with WhereTheStatementsWent() as went:
            list(User.objects.dates("date_joined", "year"))
        self.assertEqual(went.aliases, {"other"})


class BadAliasTests(SimpleTestCase):
    """Refused before any SQL: a SimpleTestCase fails on any query."""

    def test_unknown_aliases_are_refused(self):
        for bad in (123, "", "nowhere"):
            for attempt in (
                lambda: Person.objects.using(bad),
                lambda: Person.objects.all().using(bad),
                lambda: Person.objects.db_manager(bad),
                lambda: Person.objects.raw("SELECT 1", using=bad),
                lambda: Person.objects.raw("SELECT 1").using(bad),
            ):
                with self.subTest(alias=bad):
                    with self.assertRaises(ConnectionDoesNotExist) as caught:
                        attempt()
                    message = str(caught.exception)
                    self.assertIn(repr(bad), message)
                    self.assertIn("'default'", message)
                    self.assertIn("'other'", message)


class RenderingTests(TestCase):
    # Rendering may ask the server its version (MySQL), hence the databases.
    databases = {"default", "other"}

    @override_settings(DATABASE_ROUTERS=["%s.RefusingRouter" % HERE])
    def test_str_query_does_not_ask_the_routers(self):
        self.assertIn("WHERE", str(Person.objects.filter(name="x").query))
        self.assertIn("WHERE", str(Person.objects.using("other").filter(name="x").query))

    def test_str_query_renders_for_the_explicit_alias(self):
        for alias in ("default", "other"):
            table = connections[alias].ops.quote_name(Person._meta.db_table)
            with self.subTest(alias=alias):
                self.assertIn(table, str(Person.objects.using(alias).filter(name="x").query))
                self.assertIn(table, str(Person.objects.db_manager(alias).filter(name="x").query))
        # Without using(): rendered as 'default' would run it.
        default_table = connections["default"].ops.quote_name(Person._meta.db_table)
        self.assertIn(default_table, str(Person.objects.filter(name="x").query))


class VendorSQLTests(TestCase):
    """Each alias's statements are rendered by its own backend, also when a
    statement of the same shape was cached for another one (test_multidb
    puts a different vendor behind each alias)."""

    databases = "__all__"

    def test_each_alias_runs_its_own_sql(self):
        aliases = list(connections)
        for round_ in range(2):
            for alias in [*aliases, *reversed(aliases)]:
                table = connections[alias].ops.quote_name(Person._meta.db_table)
                with self.subTest(alias=alias, round=round_):
                    with CaptureQueriesContext(connections[alias]) as captured:
                        list(Person.objects.using(alias).filter(name="x"))
                        Person.objects.using(alias).create(name="Z")
                        Person.objects.using(alias).filter(name="x").update(name="y")
                    self.assertEqual(len(captured), 3)
                    for query in captured:
                        self.assertIn(table, query["sql"])


class SubqueryTests(TestCase):
    databases = {"default", "other"}
    CROSSING = "Subqueries aren't allowed across different databases."

    def setUp(self):
        ann = Person.objects.using("other").create(name="Ann")
        Book.objects.using("other").create(title="T", author=ann)

    def test_inner_without_alias_runs_on_the_outer_database(self):
        inner = Book.objects.values("author")
        outer = Person.objects.using("other").filter(pk__in=inner)
        self.assertEqual([p.name for p in outer], ["Ann"])
        with WhereTheStatementsWent() as went:
            outer.all().count()
        self.assertEqual(went.aliases, {"other"})

    def test_inner_on_the_same_explicit_alias(self):
        inner = Book.objects.using("other").values("author")
        self.assertEqual(Person.objects.using("other").filter(pk__in=inner).count(), 1)

    def test_inner_on_another_explicit_alias_is_refused(self):
        inner = Book.objects.using("other").values_list("author", flat=True)
        outer = Person.objects.filter(pk__in=inner)
        for attempt in (lambda: str(outer.query), lambda: list(outer), outer.count, outer.exists):
            with self.assertRaisesMessage(ValueError, self.CROSSING):
                attempt()
        # Evaluated first, the inner rows are plain values: allowed.
        self.assertEqual(Person.objects.filter(pk__in=list(inner)).count(), 0)

    def assertEveryStatementRefused(self, outer):
        """Every way of running ``outer`` raises the crossing error, before
        any SQL is sent."""
        attempts = {
            "iteration": lambda: list(outer),
            "count": outer.count,
            "count over a subquery": outer.distinct().count,
            "exists": outer.exists,
            "aggregate": lambda: outer.aggregate(Max("name")),
            "explain": outer.explain,
            "update": lambda: outer.update(name="Zed"),
            # A join makes UPDATE select its rows' keys first.
            "update across a join": lambda: outer.filter(books__title="T").update(name="Zed"),
            "delete": outer.delete,
        }
        for name, attempt in attempts.items():
            with self.subTest(name):
                with self.assertRaisesMessage(ValueError, self.CROSSING):
                    # update() dooms the transaction it fails in, as any
                    # failed write does: a savepoint keeps the test's usable.
                    with transaction.atomic(using=outer.db), WhereTheStatementsWent() as went:
                        attempt()
                self.assertEqual(went.aliases, set())

    def test_explicit_outer_alias_and_another_inner_one_are_refused(self):
        inner = Book.objects.using("other").values("author")
        self.assertEveryStatementRefused(Person.objects.using("default").filter(pk__in=inner))

    def test_refused_when_both_aliases_share_one_connection(self):
        # One connection serving both aliases does not make them one
        # database: each statement compares the aliases.
        inner = Book.objects.using("other").values("author")
        with one_connection_for("other", "default"):
            self.assertIs(connections["other"], connections["default"])
            self.assertEveryStatementRefused(Person.objects.using("default").filter(pk__in=inner))
            self.assertEveryStatementRefused(Person.objects.using("other").filter(
                pk__in=Book.objects.using("default").values("author")
            ))
            # The same alias inside and out is fine (and reads default's
            # database, which 'other' is on here).
            bo = Person.objects.using("other").create(name="Bo")
            Book.objects.using("other").create(title="U", author=bo)
            same = Person.objects.using("other").filter(pk__in=inner)
            self.assertEqual(same.count(), 1)
            self.assertTrue(same.exists())
