"""Rows that point to another database (patch 0005, item 7).

Where the routers allow a relation across databases, a foreign key value
may name a row that exists only on another database, as 1.2 allowed. So:

* syncdb on an alias leaves out the foreign key constraint to a model that
  a router explicitly keeps off that alias (``allow_migrate`` False); the
  column and its index stay, and such a row can really be written there
  (PostgreSQL and MariaDB enforce foreign keys, SQLite does at commit);
* TestCase checks deferred constraints at teardown only in tests that
  declare a single database;
* ``check`` warns (fields.W380) about a relation whose two models the
  routers place apart while it keeps ``db_constraint=True``.
"""
import unittest

from django.apps import apps
from django.core import checks
from django.core.checks.cross_database import check_cross_database_constraints
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.test import SimpleTestCase, TestCase, TransactionTestCase, skipUnlessDBFeature
from django.test.utils import override_settings

from ..models import Depot, Parcel, Review

HERE = __name__
THROUGH = Parcel.handlers.through


class DepotsOffOther:
    """Depot's table does not belong on 'other'; no opinion on the rest."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if model_name == "depot" and db == "other":
            return False
        return None


class NoOpinion:
    """Has allow_migrate but never answers: nothing is kept off anywhere."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None


class DepotsWrittenToOther:
    def db_for_write(self, model, **hints):
        return "other" if model is Depot else None


class DepotsOnlyOnOther:
    """Everything is written to 'default', but Depot's table is only on 'other'."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "other" if model_name == "depot" else None


class BooksWrittenToOther:
    def db_for_write(self, model, **hints):
        return "other" if model._meta.model_name == "book" else None


def foreign_keys(alias, model):
    """``{column: target table}`` of the foreign key constraints on ``model``'s table."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        info["columns"][0]: info["foreign_key"][0]
        for info in constraints.values() if info.get("foreign_key")
    }


def indexed_columns(alias, model):
    connection = connections[alias]
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [info["columns"] for info in constraints.values() if info.get("index")]


def rebuild_parcel_tables(alias, routers):
    """Drop Parcel's tables on ``alias`` and let syncdb create them again
    under ``routers``, the way a test database or a deployment gets them."""
    with override_settings(DATABASE_ROUTERS=routers):
        with connections[alias].schema_editor() as editor:
            editor.delete_model(Parcel)
        call_command("syncdb", database=alias, verbosity=0, interactive=False)


def create_table_sql(alias, model, routers):
    """The DDL a schema editor on ``alias`` writes for ``model`` under ``routers``."""
    with override_settings(DATABASE_ROUTERS=routers):
        with connections[alias].schema_editor(collect_sql=True, atomic=False) as editor:
            editor.create_model(model)
    return "\n".join(editor.collected_sql)


def references(alias, model):
    """How the DDL names a foreign key constraint to ``model``'s table."""
    return "REFERENCES %s" % connections[alias].ops.quote_name(model._meta.db_table)


class SyncdbOmitsConstraintTests(TransactionTestCase):
    """syncdb on 'other' under a router keeping Depot off 'other'."""

    databases = {"default", "other"}

    def setUp(self):
        rebuild_parcel_tables("other", [DepotsOffOther()])
        # Put the ordinary tables back (with their constraints) for the other tests.
        self.addCleanup(rebuild_parcel_tables, "other", [])

    def test_table_has_no_constraint_to_a_model_kept_off_the_alias(self):
        self.assertNotIn(Parcel._meta.get_field("depot").column, foreign_keys("other", Parcel))

    def test_the_column_keeps_its_index(self):
        self.assertIn(["depot_id"], indexed_columns("other", Parcel))

    def test_a_row_may_name_a_depot_that_exists_only_on_default(self):
        depot = Depot.objects.using("default").create(city="Lyon")
        with transaction.atomic(using="other"):  # SQLite checks its deferred keys at commit
            Parcel.objects.using("other").create(depot_id=depot.pk, label="crate")
        self.assertEqual(
            list(Parcel.objects.using("other").values_list("label", "depot_id")), [("crate", depot.pk)]
        )
        self.assertFalse(Depot.objects.using("other").exists())

    def test_many_to_many_table_keeps_only_the_constraint_to_its_own_side(self):
        keys = foreign_keys("other", THROUGH)
        self.assertEqual(list(keys.values()), [Parcel._meta.db_table])
        self.assertIn(THROUGH._meta.get_field("parcel").column, keys)


class SyncdbKeepsConstraintTests(TransactionTestCase):
    """The control: without an explicit refusal the constraint is created,
    and the same dangling row is refused."""

    databases = {"default", "other"}

    def setUp(self):
        rebuild_parcel_tables("other", [NoOpinion()])
        self.addCleanup(rebuild_parcel_tables, "other", [])

    def test_a_router_without_opinion_keeps_the_constraint(self):
        self.assertEqual(foreign_keys("other", Parcel), {"depot_id": Depot._meta.db_table})

    def test_a_row_naming_a_missing_depot_is_refused(self):
        with self.assertRaises(IntegrityError):
            with transaction.atomic(using="other"):
                Parcel.objects.using("other").create(depot_id=12345, label="crate")
        self.assertFalse(Parcel.objects.using("other").exists())


class SchemaEditorAliasTests(SimpleTestCase):
    """The decision is the schema editor's, made for the alias it works on
    (SQL collected, nothing run)."""

    def test_constraint_left_out_only_on_the_alias_the_target_is_kept_off(self):
        routers = [DepotsOffOther()]
        self.assertNotIn(references("other", Depot), create_table_sql("other", Parcel, routers))
        self.assertIn(references("default", Depot), create_table_sql("default", Parcel, routers))

    def test_constraint_written_with_no_router(self):
        self.assertIn(references("other", Depot), create_table_sql("other", Parcel, []))

    def test_db_constraint_false_writes_no_constraint(self):
        sql = create_table_sql("default", Review, [])
        self.assertIn(connections["default"].ops.quote_name("book_id"), sql)
        self.assertNotIn("REFERENCES", sql)


# -- TestCase's deferred constraint check at teardown ---------------------------


def dangling_parcel_case(**declaration):
    """A TestCase class (declaring ``declaration``) whose one test leaves a
    parcel on 'default' naming a depot that exists nowhere."""

    def test_dangling(self):
        Parcel.objects.using("default").create(depot_id=98765, label="lost")

    namespace = {"test_dangling": test_dangling, "__module__": HERE, **declaration}
    return type("Dangling", (TestCase,), namespace)


def run_case(case_class):
    result = unittest.TestResult()
    unittest.TestLoader().loadTestsFromTestCase(case_class).run(result)
    return result


@skipUnlessDBFeature("can_defer_constraint_checks")
class TeardownConstraintCheckTests(TransactionTestCase):
    databases = "__all__"

    def assertLeftNothing(self):
        self.assertFalse(Parcel.objects.using("default").exists())

    def test_single_database_test_is_checked(self):
        result = run_case(dangling_parcel_case(databases={"default"}))
        self.assertEqual(len(result.errors), 1, result.errors)
        self.assertIn("IntegrityError", result.errors[0][1])
        self.assertLeftNothing()

    def test_test_declaring_two_databases_is_not_checked(self):
        result = run_case(dangling_parcel_case(databases={"default", "other"}))
        self.assertTrue(result.wasSuccessful(), result.errors)
        self.assertLeftNothing()

    def test_multi_db_test_is_not_checked(self):
        result = run_case(dangling_parcel_case(multi_db=True))
        self.assertTrue(result.wasSuccessful(), result.errors)
        self.assertLeftNothing()


# -- the check --------------------------------------------------------------------


def warnings_under(routers):
    config = apps.get_app_config("multiple_database")
    with override_settings(DATABASE_ROUTERS=routers):
        return [m for m in checks.run_checks(app_configs=[config]) if m.id == "fields.W380"]


class CrossDatabaseConstraintCheckTests(SimpleTestCase):
    def test_relation_written_to_two_databases_is_named(self):
        found = {message.obj: message for message in warnings_under([DepotsWrittenToOther()])}
        depot = Parcel._meta.get_field("depot")
        self.assertEqual(set(found), {depot, Parcel._meta.get_field("handlers")})
        warning = found[depot]
        self.assertIsInstance(warning, checks.Warning)
        self.assertEqual(
            warning.msg,
            "multiple_database.Parcel.depot keeps its foreign key constraint, but the routers "
            "write multiple_database.Parcel to 'default' and multiple_database.Depot to 'other'.",
        )
        self.assertIn("db_constraint=False", warning.hint)

    def test_many_to_many_is_named_by_its_field(self):
        found = {m.obj: m for m in warnings_under([DepotsWrittenToOther()])}
        warning = found[Parcel._meta.get_field("handlers")]
        self.assertTrue(warning.msg.startswith("multiple_database.Parcel.handlers keeps"), warning.msg)
        self.assertIn("multiple_database.Depot to 'other'", warning.msg)

    def test_target_kept_off_the_source_database_is_named(self):
        found = {m.obj: m for m in warnings_under([DepotsOnlyOnOther()])}
        warning = found[Parcel._meta.get_field("depot")]
        self.assertIn("keep multiple_database.Depot off that database", warning.msg)
        self.assertIn("'default'", warning.msg)

    def test_db_constraint_false_is_not_named(self):
        named = {m.obj for m in warnings_under([BooksWrittenToOther()])}
        self.assertNotIn(Review._meta.get_field("book"), named)

    def test_no_warning_without_routers(self):
        self.assertEqual(warnings_under([]), [])

    def test_a_router_that_needs_an_instance_does_not_break_check(self):
        # Sharding by a key on the instance: db_for_write(model) alone has
        # no answer; check names nothing for it rather than crashing.
        class ByInstance:
            def db_for_write(self, model, **hints):
                if "instance" not in hints:
                    raise LookupError("no shard key")
                return "default"

        self.assertEqual(warnings_under([ByInstance()]), [])

    def test_no_warning_when_routers_keep_both_together(self):
        self.assertEqual(warnings_under([NoOpinion()]), [])

    def test_check_function_is_registered(self):
        self.assertIn(check_cross_database_constraints, checks.registry.get_checks())
