"""The test framework on several databases.

What a test class declares in ``databases`` (or ``multi_db``), what TestCase
and TransactionTestCase then do on each declared database (roll back,
flush, load fixtures), and the guard that refuses every other database, in
every thread, even through a cursor opened before the refusal.

Most tests run a small test class of their own (``run_case``) and look at
what it saw and what it left behind; every settings module defines 'default'
and 'other', so those two are the aliases used. Rows on 'other' are read and
written with raw SQL (in this patch the ORM has no way to choose a database).
"""
import threading
import unittest

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import SimpleTestCase, TestCase, TransactionTestCase
from django.test.testcases import DatabaseOperationForbidden

from .models import Gadget

TABLE = "multidb_testfw_gadget"


def run_case(case_class):
    """Run every test of ``case_class`` in a fresh result; return the result."""
    result = unittest.TestResult()
    unittest.TestLoader().loadTestsFromTestCase(case_class).run(result)
    return result


def label(case_class):
    return "%s.%s" % (case_class.__module__, case_class.__qualname__)


def add_gadget(alias, pk, name):
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO %s (id, name) VALUES (%%s, %%s)" % connection.ops.quote_name(TABLE),
            [pk, name],
        )


def gadget_names(alias):
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM %s ORDER BY name" % connection.ops.quote_name(TABLE))
        return [row[0] for row in cursor.fetchall()]


def refusal(alias):
    """The DatabaseOperationForbidden a query on ``alias`` raises, or None if it runs."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseOperationForbidden as refused:
        return refused
    return None


def probe_class(base, **attributes):
    """A test class on ``base`` whose one test tries a query on every alias.

    Returns the class and the dict (alias -> refusal or None) it fills.
    """
    seen = {}

    def test_probe(self):
        for alias in connections:
            seen[alias] = refusal(alias)

    namespace = {"test_probe": test_probe, "__module__": __name__, **attributes}
    return type("Probe", (base,), namespace), seen


def allowed_aliases(base, **attributes):
    """The aliases a ``base`` class with ``attributes`` may query."""
    case_class, seen = probe_class(base, **attributes)
    result = run_case(case_class)
    if not result.wasSuccessful():
        raise AssertionError(result.errors + result.failures)
    return {alias for alias, refused in seen.items() if refused is None}


class DeclaredDatabasesTests(SimpleTestCase):
    """``databases`` (and its older spellings) decides what a class may query."""

    databases = "__all__"

    def every_alias(self):
        return set(connections)

    def test_simple_test_case_declares_no_database(self):
        self.assertEqual(allowed_aliases(SimpleTestCase), set())

    def test_transaction_test_case_and_test_case_declare_default(self):
        self.assertEqual(allowed_aliases(TransactionTestCase), {DEFAULT_DB_ALIAS})
        self.assertEqual(allowed_aliases(TestCase), {DEFAULT_DB_ALIAS})

    def test_a_set_of_aliases(self):
        self.assertEqual(allowed_aliases(TestCase, databases={"other"}), {"other"})
        self.assertEqual(
            allowed_aliases(TransactionTestCase, databases={"default", "other"}),
            {"default", "other"},
        )

    def test_all_means_every_configured_alias(self):
        self.assertEqual(allowed_aliases(TestCase, databases="__all__"), self.every_alias())

    def test_multi_db_true_means_every_alias(self):
        self.assertEqual(allowed_aliases(TestCase, multi_db=True), self.every_alias())
        self.assertEqual(allowed_aliases(TransactionTestCase, multi_db=True), self.every_alias())

    def test_multi_db_false_means_default(self):
        self.assertEqual(allowed_aliases(TestCase, multi_db=False), {DEFAULT_DB_ALIAS})

    def test_allow_database_queries_means_every_alias(self):
        self.assertEqual(
            allowed_aliases(SimpleTestCase, allow_database_queries=True), self.every_alias()
        )

    def test_a_subclass_declaration_wins_over_its_parent(self):
        class AllOfThem(TestCase):
            multi_db = True

        self.assertEqual(allowed_aliases(AllOfThem, databases={"other"}), {"other"})

    def test_unknown_alias_is_an_error_at_class_setup(self):
        case_class, seen = probe_class(TestCase, databases={"default", "nowhere"})
        result = run_case(case_class)
        self.assertEqual(seen, {}, "the test must not run")
        self.assertEqual(len(result.errors), 1, result.errors)
        message = result.errors[0][1]
        self.assertIn("ImproperlyConfigured", message)
        self.assertIn("'nowhere'", message)
        self.assertIn(label(case_class) + ".databases", message)
        configured = ", ".join(repr(alias) for alias in connections)
        self.assertIn("(configured aliases: %s)" % configured, message)

    def test_a_string_other_than_all_is_an_error(self):
        case_class, seen = probe_class(TestCase, databases="other")
        result = run_case(case_class)
        self.assertEqual(seen, {})
        self.assertEqual(len(result.errors), 1, result.errors)
        self.assertIn(
            "%s.databases must be a set of database aliases or '__all__', not 'other'"
            % label(case_class),
            result.errors[0][1],
        )

    def test_every_database_is_usable_again_after_the_class(self):
        run_case(probe_class(SimpleTestCase)[0])
        for alias in connections:
            self.assertIsNone(refusal(alias), alias)


class GuardTests(SimpleTestCase):
    """A query to an undeclared database fails, whatever way it takes."""

    databases = "__all__"

    def refusal_seen_by(self, base, body, **attributes):
        """Run ``body`` as the test of a ``base`` class; return what it raised."""
        raised = []

        def test_body(self):
            try:
                body()
            except DatabaseOperationForbidden as refused:
                raised.append(refused)

        namespace = {"test_body": test_body, "__module__": __name__, **attributes}
        case_class = type("Guarded", (base,), namespace)
        result = run_case(case_class)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        return case_class, (raised[0] if raised else None)

    def test_message_names_alias_test_and_attribute(self):
        case_class, refused = self.refusal_seen_by(TestCase, lambda: refusal_or_raise("other"))
        self.assertIsInstance(refused, AssertionError)
        self.assertEqual(
            str(refused),
            "Database queries to 'other' are not allowed in this test. Add 'other' "
            "to %s.databases to ensure proper test isolation and silence this failure."
            % label(case_class),
        )

    def test_simple_test_case_message_suggests_a_database_test_case(self):
        case_class, refused = self.refusal_seen_by(
            SimpleTestCase, lambda: refusal_or_raise("default")
        )
        message = str(refused)
        self.assertIn("Database queries to 'default' are not allowed in SimpleTestCase", message)
        self.assertIn("Either subclass TestCase or TransactionTestCase", message)
        self.assertIn("add 'default' to %s.databases" % label(case_class), message)

    def test_orm_query_refused(self):
        case_class, refused = self.refusal_seen_by(SimpleTestCase, Gadget.objects.count)
        self.assertIn("'default'", str(refused))

    def test_orm_query_refused_although_a_statement_cursor_was_kept(self):
        # The ORM keeps its cursor between statements; the refusal must
        # still stop the next statement that reuses it.
        Gadget.objects.count()
        Gadget.objects.count()
        case_class, refused = self.refusal_seen_by(SimpleTestCase, Gadget.objects.count)
        self.assertIsNotNone(refused)
        self.assertEqual(Gadget.objects.count(), 0)

    def test_kept_statement_cursor_of_another_alias_refused(self):
        def one_statement():
            with connections["other"].statement_cursor() as cursor:
                cursor.execute("SELECT 1")
                return cursor.fetchall()

        one_statement()
        case_class, refused = self.refusal_seen_by(TestCase, one_statement)
        self.assertIn("'other'", str(refused))
        self.assertEqual([tuple(row) for row in one_statement()], [(1,)])

    def test_cursor_opened_before_the_refusal_refused(self):
        cursor = connections["other"].cursor()
        self.addCleanup(cursor.close)

        def reuse():
            cursor.execute("SELECT 1")

        case_class, refused = self.refusal_seen_by(TestCase, reuse)
        self.assertIn("'other'", str(refused))
        cursor.execute("SELECT 2")
        self.assertEqual(cursor.fetchone()[0], 2)

    def test_opening_a_connection_refused(self):
        # A new thread's wrapper has no connection yet (closing
        # connections['other'] would not do: SQLite keeps an in-memory
        # test database open through close()).
        def connect():
            raised = []

            def work():
                try:
                    connections["other"].ensure_connection()
                except DatabaseOperationForbidden as refused:
                    raised.append(refused)

            thread = threading.Thread(target=work)
            thread.start()
            thread.join()
            if raised:
                raise raised[0]

        case_class, refused = self.refusal_seen_by(TestCase, connect)
        self.assertIn("'other'", str(refused))

    def test_a_thread_started_by_the_test_is_refused(self):
        in_thread = {}

        def from_a_thread():
            def work():
                in_thread["other"] = refusal("other")

            thread = threading.Thread(target=work)
            thread.start()
            thread.join()

        self.refusal_seen_by(TestCase, from_a_thread)
        self.assertIsInstance(in_thread["other"], DatabaseOperationForbidden)
        self.assertIn("'other'", str(in_thread["other"]))

    def test_a_wrapper_built_on_other_settings_is_not_refused(self):
        # Not the alias's database: a test's own scratch wrapper.
        def own_wrapper():
            twin = connections["default"].copy()
            try:
                with twin.cursor() as cursor:
                    cursor.execute("SELECT 1")
            finally:
                twin.close()

        case_class, refused = self.refusal_seen_by(SimpleTestCase, own_wrapper)
        self.assertIsNone(refused)

    def test_nested_class_leaves_outer_refusal_in_force(self):
        def nested():
            run_case(probe_class(TestCase, databases="__all__")[0])
            refusal_or_raise("other")

        case_class, refused = self.refusal_seen_by(TestCase, nested)
        self.assertIsNotNone(refused)


def refusal_or_raise(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")


class PerDatabaseRollbackTests(TransactionTestCase):
    """TestCase rolls back every declared database, per test and per class."""

    databases = "__all__"

    def test_each_test_is_rolled_back_on_every_database(self):
        seen = []

        class Writes(TestCase):
            databases = {"default", "other"}

            def test_write(self):
                add_gadget("default", 1, "on default")
                add_gadget("other", 1, "on other")
                seen.append((gadget_names("default"), gadget_names("other")))

        result = run_case(Writes)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        self.assertEqual(seen, [(["on default"], ["on other"])])
        self.assertEqual(gadget_names("default"), [])
        self.assertEqual(gadget_names("other"), [])

    def test_class_data_is_shared_then_rolled_back_on_every_database(self):
        seen = []

        class ClassData(TestCase):
            databases = {"default", "other"}

            @classmethod
            def setUpTestData(cls):
                add_gadget("other", 1, "class row")

            def test_a(self):
                seen.append(gadget_names("other"))
                add_gadget("other", 2, "test row")

            def test_b(self):
                seen.append(gadget_names("other"))
                add_gadget("other", 2, "test row")

        result = run_case(ClassData)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        self.assertEqual(seen, [["class row"], ["class row"]])
        self.assertEqual(gadget_names("other"), [])

    def test_each_declared_database_is_in_a_transaction_during_the_test(self):
        seen = {}

        class Inside(TestCase):
            databases = {"default", "other"}

            def test_inside(self):
                for alias in ("default", "other"):
                    seen[alias] = connections[alias].in_atomic_block

        run_case(Inside)
        self.assertEqual(seen, {"default": True, "other": True})
        self.assertFalse(connections["other"].in_atomic_block)


class PerDatabaseHelpersTests(TestCase):
    """captureOnCommitCallbacks and assertNumQueries take ``using``."""

    databases = {"default", "other"}

    def test_capture_on_commit_callbacks_of_one_database(self):
        def on_other():
            pass

        def on_default():
            pass

        with self.captureOnCommitCallbacks(using="other") as callbacks:
            transaction.on_commit(on_other, using="other")
            transaction.on_commit(on_default)
        self.assertEqual(callbacks, [on_other])

    def test_capture_on_commit_callbacks_executes_on_that_database(self):
        ran = []
        with self.captureOnCommitCallbacks(using="other", execute=True) as callbacks:
            transaction.on_commit(lambda: ran.append("other"), using="other")
        self.assertEqual((len(callbacks), ran), (1, ["other"]))

    def test_assert_num_queries_counts_the_database_named(self):
        with self.assertNumQueries(2, using="other"):
            add_gadget("other", 1, "one")
            gadget_names("other")
        with self.assertNumQueries(0):
            gadget_names("other")

    def test_assert_num_queries_with_a_callable_and_using(self):
        self.assertNumQueries(1, gadget_names, "other", using="other")

    def test_assert_num_queries_fails_on_a_wrong_count(self):
        with self.assertRaisesMessage(AssertionError, "2 queries executed, 1 expected"):
            with self.assertNumQueries(1, using="other"):
                gadget_names("other")
                gadget_names("other")


class PerDatabaseFlushTests(TransactionTestCase):
    """TransactionTestCase empties each declared database, and only those."""

    databases = "__all__"

    def test_every_declared_database_is_flushed(self):
        class Commits(TransactionTestCase):
            databases = {"default", "other"}

            def test_commit(self):
                add_gadget("default", 1, "kept?")
                add_gadget("other", 1, "kept?")

        result = run_case(Commits)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        self.assertEqual(gadget_names("default"), [])
        self.assertEqual(gadget_names("other"), [])

    def test_an_undeclared_database_is_left_alone(self):
        add_gadget("other", 1, "not theirs")

        class DefaultOnly(TransactionTestCase):
            def test_commit(self):
                add_gadget("default", 1, "theirs")

        result = run_case(DefaultOnly)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        self.assertEqual(gadget_names("default"), [])
        self.assertEqual(gadget_names("other"), ["not theirs"])


class PerDatabaseFixturesTests(TransactionTestCase):
    """Fixtures are loaded into each declared database (patch 0006; until
    then into 'default' only)."""

    databases = "__all__"

    def check_loaded(self, base):
        seen = {}

        class Loaded(base):
            databases = {"default", "other"}
            fixtures = ["multidb_gadgets"]

            def test_loaded(self):
                for alias in ("default", "other"):
                    seen[alias] = gadget_names(alias)

        result = run_case(Loaded)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        self.assertEqual(seen, {"default": ["lever", "pulley"], "other": ["lever", "pulley"]})
        self.assertEqual(gadget_names("default"), [])
        self.assertEqual(gadget_names("other"), [])

    def test_test_case(self):
        self.check_loaded(TestCase)

    def test_transaction_test_case(self):
        self.check_loaded(TransactionTestCase)

    def test_loaded_into_other_alone_when_default_is_not_declared(self):
        class OtherOnly(TestCase):
            databases = {"other"}
            fixtures = ["multidb_gadgets"]

            def test_loaded(self):
                self.assertEqual(gadget_names("other"), ["lever", "pulley"])

        result = run_case(OtherOnly)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)


# Patch 0006's tests live in a module of their own; the runner and pytest
# collect this module only.
from .test_framework_0006 import *  # noqa: E402,F401,F403
