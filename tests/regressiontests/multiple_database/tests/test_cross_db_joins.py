"""Joins across databases (patch 0003): a query compiled for one alias that
joins a table the routers keep on another database is refused before any
SQL is sent; set-ups that work (replicas, no routers) are never refused."""
from unittest import mock

from django.db import connections, router
from django.db.models.sql.db_checks import CrossDatabaseJoinError, JoinCheck
from django.test import TestCase
from django.test.utils import CaptureQueriesContext, override_settings

from ..models import Archive, Book, Editor, Person, Review, Shelf
from .support import one_connection_for

THROUGH = Shelf._meta.get_field("readers").remote_field.through


class KeepOnDefault:
    """The named models are read on 'default' and have no table anywhere
    else; every other question gets no opinion. Counts its questions."""

    def __init__(self, *models):
        self.names = {model._meta.model_name for model in models}
        self.asked = []

    def db_for_read(self, model, **hints):
        self.asked.append(("db_for_read", model))
        return "default" if model._meta.model_name in self.names else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        self.asked.append(("allow_migrate", db, model_name))
        if model_name in self.names:
            return db == "default"
        return None


class PrimaryReplica:
    """'default' is the primary, 'other' a replica that every read goes to:
    tables are migrated on the primary only (the replica copies them)."""

    def db_for_read(self, model, **hints):
        return "other"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReadsOnlyRouter:
    """Defines db_for_read only, and notes each question."""

    def __init__(self):
        self.asked = []

    def db_for_read(self, model, **hints):
        self.asked.append(model)
        return "default"


def sql_on_other(queryset):
    return queryset.query.get_compiler(using="other").as_sql()


class BothDatabases(TestCase):
    # Compiling may open the connection (MariaDB asks the server version).
    databases = {"default", "other"}


class RefusedTests(BothDatabases):
    def setUp(self):
        self.router = KeepOnDefault(Person)

    def test_filter_across_a_foreign_key(self):
        with override_settings(DATABASE_ROUTERS=[self.router]):
            with self.assertRaises(CrossDatabaseJoinError) as caught:
                sql_on_other(Book.objects.filter(author__name="Ann"))
        message = str(caught.exception)
        for part in ("multiple_database.Book", "multiple_database.Person", "'other'", "'default'"):
            self.assertIn(part, message)

    def test_is_a_value_error(self):
        with override_settings(DATABASE_ROUTERS=[self.router]):
            with self.assertRaises(ValueError):
                sql_on_other(Book.objects.filter(author__name="Ann"))

    def test_select_related(self):
        with override_settings(DATABASE_ROUTERS=[self.router]):
            with self.assertRaisesMessage(CrossDatabaseJoinError, "multiple_database.Person"):
                sql_on_other(Book.objects.select_related("author"))

    def test_ordering_across_a_relation(self):
        with override_settings(DATABASE_ROUTERS=[self.router]):
            with self.assertRaisesMessage(CrossDatabaseJoinError, "multiple_database.Person"):
                sql_on_other(Book.objects.order_by("author__name"))

    def test_reverse_relation(self):
        # Person is the base model here: the joined Book is on 'other'.
        router = KeepOnDefault(Book)
        with override_settings(DATABASE_ROUTERS=[router]):
            with self.assertRaisesMessage(CrossDatabaseJoinError, "multiple_database.Book"):
                sql_on_other(Person.objects.filter(books__title="T"))

    def test_subquery(self):
        with override_settings(DATABASE_ROUTERS=[self.router]):
            with self.assertRaisesMessage(CrossDatabaseJoinError, "multiple_database.Person"):
                sql_on_other(Book.objects.filter(author__in=Person.objects.filter(name="Ann")))

    def test_no_sql_is_sent(self):
        query = Book.objects.filter(author__name="Ann").query
        with override_settings(DATABASE_ROUTERS=[self.router]):
            with CaptureQueriesContext(connections["other"]) as sent:
                with self.assertRaises(CrossDatabaseJoinError):
                    list(query.get_compiler(using="other").results_iter())
        self.assertEqual(len(sent), 0)

    def test_refused_even_when_the_statement_is_cached(self):
        # Compiled with no routers (the connection's statement cache keeps
        # it: overriding a setting would empty that cache, assigning the
        # routers does not), then again once the routers refuse the join.
        with override_settings(DATABASE_ROUTERS=[]):
            sql_on_other(Book.objects.select_related("author"))
            router.routers = [self.router]
            with self.assertRaisesMessage(CrossDatabaseJoinError, "multiple_database.Person"):
                sql_on_other(Book.objects.select_related("author"))
            with self.assertRaisesMessage(CrossDatabaseJoinError, "multiple_database.Person"):
                sql_on_other(Book.objects.order_by("author__name"))

    def test_the_routers_database_still_works(self):
        Person.objects.create(name="Ann")
        with override_settings(DATABASE_ROUTERS=[self.router]):
            compiler = Book.objects.filter(author__name="Ann").query.get_compiler(using="default")
            self.assertEqual(list(compiler.results_iter()), [])


class ThroughModelTests(BothDatabases):
    def test_many_to_many_table_judged_by_its_through_model(self):
        with override_settings(DATABASE_ROUTERS=[KeepOnDefault(THROUGH)]):
            with self.assertRaisesMessage(CrossDatabaseJoinError, THROUGH._meta.label):
                sql_on_other(Shelf.objects.filter(readers__name="Ann"))
            with self.assertRaisesMessage(CrossDatabaseJoinError, THROUGH._meta.label):
                sql_on_other(Person.objects.filter(shelves__label="top"))

    def test_the_through_model_alone_decides(self):
        # Person kept off 'other': reaching Person's table is refused, but
        # a filter on the through table's own column does not join it.
        with override_settings(DATABASE_ROUTERS=[KeepOnDefault(Person)]):
            with self.assertRaisesMessage(CrossDatabaseJoinError, "multiple_database.Person,"):
                sql_on_other(Shelf.objects.filter(readers__name="Ann"))
            # Without touching Person's table, the through table is fine.
            sql_on_other(Shelf.objects.filter(readers=1))


class NeverRefusedTests(BothDatabases):
    def test_replica_read_from_but_never_migrated_to(self):
        ann = Person.objects.create(name="Ann")
        with override_settings(DATABASE_ROUTERS=[PrimaryReplica()]):
            sql_on_other(Book.objects.select_related("author").filter(author__name="Ann"))
            # And it runs ('other' is a test database of its own: empty).
            compiler = Book.objects.filter(author=ann).query.get_compiler(using="other")
            self.assertEqual(list(compiler.results_iter()), [])

    def test_no_opinion_is_not_a_refusal(self):
        class ReadsElsewhere:
            def db_for_read(self, model, **hints):
                return "default"

            def allow_migrate(self, db, app_label, model_name=None, **hints):
                return None

        with override_settings(DATABASE_ROUTERS=[ReadsElsewhere()]):
            sql_on_other(Book.objects.filter(author__name="Ann"))

    def test_reads_on_the_same_database(self):
        class OnOther(KeepOnDefault):
            def db_for_read(self, model, **hints):
                return "other"

        with override_settings(DATABASE_ROUTERS=[OnOther(Person)]):
            sql_on_other(Book.objects.filter(author__name="Ann"))

    def test_proxy_is_never_asked_about(self):
        # The router keeps the proxy off 'other', but the join reads
        # Person's table, and Person is allowed there.
        router = KeepOnDefault(Editor)
        with override_settings(DATABASE_ROUTERS=[router]):
            sql_on_other(Review.objects.filter(editor__name="Ann"))
        self.assertNotIn(("allow_migrate", "other", "editor"), router.asked)

    def test_unmanaged_model_is_never_asked_about(self):
        router = KeepOnDefault(Archive)
        with override_settings(DATABASE_ROUTERS=[router]):
            sql_on_other(Review.objects.filter(archive__name="old"))
        self.assertNotIn(("allow_migrate", "other", "archive"), router.asked)

    def test_base_model_is_the_callers_choice(self):
        with override_settings(DATABASE_ROUTERS=[KeepOnDefault(Person)]):
            sql_on_other(Person.objects.filter(name="Ann"))

    def test_a_router_that_needs_an_instance_is_not_asked_to_read(self):
        # Sharding by a key on the instance: without one it cannot answer,
        # and the check must not make it try for a table allowed there.
        class ByInstance:
            def db_for_read(self, model, **hints):
                if "instance" not in hints:
                    raise LookupError("no shard key")
                return hints["instance"]._state.db

            def allow_migrate(self, db, app_label, model_name=None, **hints):
                return True

        with override_settings(DATABASE_ROUTERS=[ByInstance()]):
            sql_on_other(Book.objects.filter(author__name="Ann"))


def never_checked():
    """Inside the block, entering the join check fails the test."""
    return mock.patch.object(JoinCheck, "refuse", side_effect=AssertionError("the join was checked"))


class CostTests(BothDatabases):
    def test_no_routers_no_check(self):
        self.assertEqual(router.routers, [])
        # The first query after the routers changed finds that nothing can
        # be refused; the next ones do not enter the check at all.
        sql_on_other(Person.objects.all())
        with never_checked():
            sql_on_other(Book.objects.select_related("author").filter(author__name="Ann"))
            sql_on_other(Person.objects.filter(books__title="T"))

    def test_routers_without_allow_migrate_are_not_asked(self):
        recorder = ReadsOnlyRouter()
        with override_settings(DATABASE_ROUTERS=[recorder]):
            sql_on_other(Book.objects.filter(author__name="Ann"))
            with never_checked():
                sql_on_other(Book.objects.filter(author__name="Bob"))
        self.assertEqual(recorder.asked, [])

    def test_each_decision_is_asked_once(self):
        recorder = KeepOnDefault()
        with override_settings(DATABASE_ROUTERS=[recorder]):
            sql_on_other(Book.objects.filter(author__name="Ann"))
            first = list(recorder.asked)
            sql_on_other(Book.objects.filter(author__name="Bob"))
            sql_on_other(Book.objects.select_related("author"))
        # A table the routers allow on 'other' needs no db_for_read answer.
        self.assertEqual(first, [("allow_migrate", "other", "person")])
        self.assertEqual(recorder.asked, first)


class CacheDroppedTests(BothDatabases):
    def test_new_routers_are_asked_again(self):
        refusing = KeepOnDefault(Person)
        queryset = Book.objects.filter(author__name="Ann")
        with override_settings(DATABASE_ROUTERS=[refusing]):
            with self.assertRaises(CrossDatabaseJoinError):
                sql_on_other(queryset)
            with override_settings(DATABASE_ROUTERS=[PrimaryReplica()]):
                sql_on_other(queryset)
            with self.assertRaises(CrossDatabaseJoinError):
                sql_on_other(queryset)
        sql_on_other(queryset)

    def test_assigned_routers_are_asked(self):
        queryset = Book.objects.filter(author__name="Ann")
        with override_settings(DATABASE_ROUTERS=[]):
            sql_on_other(queryset)
            router.routers = [KeepOnDefault(Person)]
            with self.assertRaises(CrossDatabaseJoinError):
                sql_on_other(queryset)
            router.routers = []
            sql_on_other(queryset)


class HintsTests(BothDatabases):
    """The routers are asked about a model without the query's hints (see
    the db_checks module docstring for why)."""

    def test_a_related_managers_instance_is_not_a_hint(self):
        class ReadsFollowTheInstance(KeepOnDefault):
            """Person's reads follow a hinted instance; without one they go
            to 'default', where its table is kept."""

            def db_for_read(self, model, **hints):
                self.asked.append(("db_for_read", model, hints))
                if hints.get("instance") is not None:
                    return "other"
                return "default" if model._meta.model_name in self.names else None

        ann = Person.objects.create(name="Ann")
        recorder = ReadsFollowTheInstance(Person)
        related = ann.books.using("other").filter(author__name="Ann")
        with override_settings(DATABASE_ROUTERS=[recorder]):
            with self.assertRaisesMessage(CrossDatabaseJoinError, "multiple_database.Person"):
                list(related)
        self.assertIn(("db_for_read", Person, {}), recorder.asked)
        self.assertEqual(
            [hints for name, *rest, hints in recorder.asked if name == "db_for_read" and hints], []
        )


class SharedConnectionTests(BothDatabases):
    def test_judged_for_the_querys_alias_not_its_connections(self):
        # 'other' served by default's connection is still 'other' to the
        # routers, which keep Person's table off it.
        Person.objects.create(name="Ann")
        with override_settings(DATABASE_ROUTERS=[KeepOnDefault(Person)]):
            with one_connection_for("other", "default"):
                with self.assertRaisesMessage(CrossDatabaseJoinError, "on the database 'other'"):
                    list(Book.objects.using("other").filter(author__name="Ann"))
                self.assertEqual(list(Book.objects.using("default").filter(author__name="Ann")), [])


class GenerationTests(BothDatabases):
    """router.generation changes whenever the routers may have changed, so
    that answers kept from the old routers are worked out again."""

    def test_changes_with_override_settings_and_assignment(self):
        seen = [router.generation]
        with override_settings(DATABASE_ROUTERS=[PrimaryReplica()]):
            seen.append(router.generation)
            router.routers = [KeepOnDefault(Person)]
            seen.append(router.generation)
        seen.append(router.generation)
        self.assertEqual(len(set(seen)), 4, seen)

    def test_unchanged_by_questions(self):
        with override_settings(DATABASE_ROUTERS=[PrimaryReplica()]):
            seen = router.generation
            router.db_for_read(Person)
            router.allow_migrate_model("other", Person)
            sql_on_other(Book.objects.filter(author__name="Ann"))
            self.assertEqual(router.generation, seen)


class DefinesTests(BothDatabases):
    def test_whether_some_router_defines_a_method(self):
        with override_settings(DATABASE_ROUTERS=[ReadsOnlyRouter(), PrimaryReplica()]):
            self.assertTrue(router.defines("db_for_read"))
            self.assertTrue(router.defines("allow_migrate"))
            self.assertFalse(router.defines("allow_relation"))
        with override_settings(DATABASE_ROUTERS=[ReadsOnlyRouter()]):
            self.assertFalse(router.defines("allow_migrate"))
        self.assertFalse(router.defines("db_for_read"))
