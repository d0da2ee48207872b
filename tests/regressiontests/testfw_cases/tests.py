"""Tests of django.test: the test case classes, settings overrides, query capture."""
import unittest
import warnings
from unittest import mock

from django.conf import settings
from django.db import connection, transaction
from django.test import (
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    ignore_warnings,
    modify_settings,
    override_settings,
    skipIfDBFeature,
    skipUnlessAnyDBFeature,
    skipUnlessDBFeature,
    tag,
)
from django.test.signals import setting_changed
from django.test.testcases import DatabaseOperationForbidden
from django.test.utils import (
    CaptureQueriesContext,
    TestContextDecorator,
    captured_stderr,
    captured_stdin,
    captured_stdout,
    get_runner,
    setup_test_environment,
    teardown_test_environment,
)

TABLE = "testfw_item"


def run_case(case_class, *names):
    """Run some tests of ``case_class`` in a fresh result; return the result."""
    loader = unittest.TestLoader()
    if names:
        suite = unittest.TestSuite(case_class(name) for name in names)
    else:
        suite = loader.loadTestsFromTestCase(case_class)
    result = unittest.TestResult()
    suite.run(result)
    return result


def create_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE %s (id INTEGER PRIMARY KEY, name VARCHAR(30) NOT NULL)"
            % connection.ops.quote_name(TABLE)
        )


def drop_table():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE %s" % connection.ops.quote_name(TABLE))


def insert(pk, name):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO %s (id, name) VALUES (%%s, %%s)" % connection.ops.quote_name(TABLE),
            [pk, name],
        )


def names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM %s ORDER BY id" % connection.ops.quote_name(TABLE))
        return [row[0] for row in cursor.fetchall()]


class RawTableMixin:
    """Creates the raw table outside any transaction (DDL commits on MySQL)."""

    @classmethod
    def setUpClass(cls):
        create_table()
        try:
            super().setUpClass()
        except Exception:
            drop_table()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            drop_table()


class SimpleTestCaseForbidsQueries(TestCase):
    def test_query_fails_with_clear_message(self):
        class Inner(SimpleTestCase):
            def test_query(self):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")

        result = run_case(Inner)
        self.assertEqual(len(result.failures), 1, result.errors)
        message = result.failures[0][1]
        self.assertIn("DatabaseOperationForbidden", message)
        self.assertIn(
            "Database queries to 'default' are not allowed in SimpleTestCase subclasses", message
        )
        self.assertIn("Inner", message)
        self.assertIn("add 'default' to", message)
        self.assertIn("Either subclass TestCase or TransactionTestCase", message)
        # The connection works again once the class is done.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            self.assertEqual(cursor.fetchone()[0], 1)

    def test_nested_simple_test_cases_keep_outer_protection(self):
        class Outer(SimpleTestCase):
            def test_nested(self):
                class Nested(SimpleTestCase):
                    def test_nothing(self):
                        pass

                run_case(Nested)
                # Nested's cleanup must not lift Outer's protection.
                with self.assertRaises(DatabaseOperationForbidden):
                    connection.cursor()

        result = run_case(Outer)
        self.assertTrue(result.wasSuccessful(), result.failures + result.errors)

    def test_allow_database_queries(self):
        class Inner(SimpleTestCase):
            allow_database_queries = True

            def test_query(self):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")

        result = run_case(Inner)
        self.assertTrue(result.wasSuccessful(), result.failures + result.errors)

    def test_forbidden_error_is_an_assertion_error(self):
        self.assertTrue(issubclass(DatabaseOperationForbidden, AssertionError))


class FrameworkStepTests(SimpleTestCase):
    """_pre_setup() and _post_teardown() frame each test, outside setUp/tearDown."""

    def recording_case(self, events, failing_step=None):
        class Recorded(SimpleTestCase):
            def _pre_setup(self):
                events.append("pre_setup")
                if failing_step == "pre_setup":
                    raise RuntimeError("pre_setup broke")

            def _post_teardown(self):
                events.append("post_teardown")
                if failing_step == "post_teardown":
                    raise RuntimeError("post_teardown broke")

            def setUp(self):
                events.append("setUp")
                self.addCleanup(events.append, "cleanup")

            def tearDown(self):
                events.append("tearDown")

            def test_it(self):
                events.append("test")

            @unittest.skip("skipped on purpose")
            def test_skipped(self):
                events.append("skipped test ran")

        return Recorded

    def test_order_around_the_test(self):
        events = []
        result = run_case(self.recording_case(events), "test_it")
        self.assertTrue(result.wasSuccessful())
        self.assertEqual(events, ["pre_setup", "setUp", "test", "tearDown", "cleanup", "post_teardown"])

    def test_failing_pre_setup_is_an_error_and_the_test_does_not_run(self):
        events = []
        result = run_case(self.recording_case(events, "pre_setup"), "test_it")
        self.assertEqual(events, ["pre_setup"])
        self.assertEqual(len(result.errors), 1)
        self.assertIn("pre_setup broke", result.errors[0][1])

    def test_failing_post_teardown_is_an_error(self):
        events = []
        result = run_case(self.recording_case(events, "post_teardown"), "test_it")
        self.assertEqual(events[-1], "post_teardown")
        self.assertEqual(len(result.errors), 1)
        self.assertIn("post_teardown broke", result.errors[0][1])

    def test_skipped_test_gets_no_framework_steps(self):
        events = []
        result = run_case(self.recording_case(events), "test_skipped")
        self.assertEqual(events, [])
        self.assertEqual(len(result.skipped), 1)

    def test_debug_runs_the_steps_and_lets_errors_out(self):
        events = []
        self.recording_case(events)("test_it").debug()
        self.assertEqual(events, ["pre_setup", "setUp", "test", "tearDown", "cleanup", "post_teardown"])
        with self.assertRaisesMessage(RuntimeError, "pre_setup broke"):
            self.recording_case([], "pre_setup")("test_it").debug()
        skipped_events = []
        with self.assertRaises(unittest.SkipTest):
            self.recording_case(skipped_events)("test_skipped").debug()
        self.assertEqual(skipped_events, [])


class TestCaseRollback(RawTableMixin, TestCase):
    replaced = ["class attribute"]

    @classmethod
    def setUpTestData(cls):
        insert(1, "shared")
        cls.shared = {"names": ["shared"]}
        cls.replaced = ["from setUpTestData"]

    def test_0_replaced_attribute_is_copied_per_test(self):
        self.assertEqual(self.replaced, ["from setUpTestData"])
        self.replaced.append("changed")
        self.assertIsNot(self.replaced, type(self).__dict__["replaced"].data)

    def test_1_insert(self):
        insert(2, "mine")
        self.assertEqual(names(), ["shared", "mine"])
        self.shared["names"].append("mine")

    def test_2_rolled_back(self):
        self.assertEqual(names(), ["shared"])
        self.assertEqual(self.replaced, ["from setUpTestData"])
        # Class data is deep-copied per test, so test_1's change is gone too.
        self.assertEqual(self.shared, {"names": ["shared"]})

    def test_in_atomic_block(self):
        self.assertTrue(connection.in_atomic_block)

    def test_durable_atomic_inside_test(self):
        with transaction.atomic(durable=True):
            insert(3, "durable")
        self.assertEqual(names(), ["shared", "durable"])

    def test_nested_durable_still_fails(self):
        with self.assertRaisesMessage(RuntimeError, "durable"):
            with transaction.atomic():
                with transaction.atomic(durable=True):
                    pass

    def test_capture_on_commit_callbacks(self):
        called = []
        with self.captureOnCommitCallbacks() as callbacks:
            transaction.on_commit(lambda: called.append("a"))
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(called, [])
        callbacks[0]()
        self.assertEqual(called, ["a"])

    def test_capture_on_commit_callbacks_execute(self):
        called = []

        def outer():
            called.append("outer")
            transaction.on_commit(lambda: called.append("inner"))

        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            transaction.on_commit(outer)
        self.assertEqual(called, ["outer", "inner"])
        self.assertEqual(len(callbacks), 2)

    def test_capture_on_commit_callbacks_after_a_rolled_back_savepoint(self):
        called = []
        with self.captureOnCommitCallbacks() as callbacks:
            transaction.on_commit(lambda: called.append("kept"))
            with self.assertRaises(ZeroDivisionError):
                with transaction.atomic():
                    transaction.on_commit(lambda: called.append("rolled back"))
                    1 / 0
            transaction.on_commit(lambda: called.append("after"))
        for callback in callbacks:
            callback()
        self.assertEqual(called, ["kept", "after"])

    def test_reset_sequences_not_allowed(self):
        class Inner(TestCase):
            reset_sequences = True

            def test_nothing(self):
                pass

        result = run_case(Inner)
        self.assertEqual(len(result.errors), 1)
        self.assertIn("reset_sequences cannot be used on TestCase instances", result.errors[0][1])


class TransactionTestCaseCommits(RawTableMixin, TransactionTestCase):
    def tearDown(self):
        # The table is raw SQL, not a model, so flush does not know it.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM %s" % connection.ops.quote_name(TABLE))

    def test_not_in_atomic_block(self):
        self.assertFalse(connection.in_atomic_block)

    def test_commit_is_real(self):
        with transaction.atomic():
            insert(10, "committed")
        self.assertEqual(names(), ["committed"])
        with self.assertRaises(ZeroDivisionError):
            with transaction.atomic():
                insert(11, "rolled back")
                1 / 0
        self.assertEqual(names(), ["committed"])

    def test_fixtures_without_loaddata(self):
        class Inner(TransactionTestCase):
            fixtures = ["nothing.json"]

            def test_nothing(self):
                pass

        with mock.patch("django.core.management.get_commands", return_value={}):
            result = run_case(Inner)
        self.assertEqual(len(result.errors), 1)
        self.assertIn("declares fixtures ['nothing.json'] but there is no 'loaddata'",
                      result.errors[0][1])


class QueryCaptureTests(TestCase):
    def test_capture_queries_context(self):
        with CaptureQueriesContext(connection) as ctx:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.execute("SELECT 2")
        self.assertEqual(len(ctx), 2)
        self.assertIn("SELECT 1", ctx[0]["sql"])
        self.assertIn("SELECT 2", [q["sql"] for q in ctx][1])
        self.assertIn("time", ctx.captured_queries[0])

    def test_capture_turns_debug_cursor_on_and_back(self):
        before = connection.force_debug_cursor
        with CaptureQueriesContext(connection):
            self.assertTrue(connection.force_debug_cursor)
        self.assertEqual(connection.force_debug_cursor, before)

    def test_assert_num_queries_context_manager(self):
        with self.assertNumQueries(1):
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")

    def test_assert_num_queries_callable(self):
        def run(n):
            with connection.cursor() as cursor:
                for _ in range(n):
                    cursor.execute("SELECT 3")

        self.assertNumQueries(2, run, 2)
        self.assertNumQueries(0, run, n=0)

    def test_assert_num_queries_failure_lists_queries(self):
        with self.assertRaises(AssertionError) as cm:
            with self.assertNumQueries(1):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 41")
                    cursor.execute("SELECT 42")
        message = str(cm.exception)
        self.assertIn("2 != 1 : 2 queries executed, 1 expected", message)
        self.assertIn("Captured queries were:\n1. SELECT 41\n2. SELECT 42", message)

    def test_exception_inside_is_not_masked(self):
        with self.assertRaises(KeyError):
            with self.assertNumQueries(5):
                raise KeyError("x")


class FakeQuerySet(list):
    """Enough of a QuerySet for assertQuerysetEqual: iterable, with ``ordered``."""

    ordered = False


class AssertionHelperTests(TransactionTestCase):
    # Needs no table: only the helpers.

    def test_queryset_equal(self):
        self.assertQuerysetEqual([1, 2, 3], [1, 2, 3])
        self.assertQuerySetEqual([1, 2], ["1", "2"], transform=str)
        self.assertQuerysetEqual([3, 1, 2], [1, 2, 3], ordered=False)
        with self.assertRaises(AssertionError):
            self.assertQuerysetEqual([1, 2], [2, 1])
        with self.assertRaises(AssertionError):
            self.assertQuerysetEqual([1, 1, 2], [1, 2, 2], ordered=False)

    def test_unordered_queryset_with_many_values(self):
        with self.assertRaisesMessage(
            ValueError, "Trying to compare non-ordered queryset against more than one ordered value."
        ):
            self.assertQuerysetEqual(FakeQuerySet([1, 2]), [1, 2])
        # One value, or ordered=False, is fine.
        self.assertQuerysetEqual(FakeQuerySet([1]), [1])
        self.assertQuerysetEqual(FakeQuerySet([2, 1]), [1, 2], ordered=False)

    def test_queryset_equal_msg(self):
        with self.assertRaisesMessage(AssertionError, "custom message"):
            self.assertQuerysetEqual([1], [2], msg="custom message")

    def test_assert_raises_message(self):
        def boom(text, suffix=""):
            raise ValueError(text + suffix)

        self.assertRaisesMessage(ValueError, "bad", boom, "very bad")
        self.assertRaisesMessage(ValueError, "bad!", boom, "bad", suffix="!")
        with self.assertRaisesMessage(ValueError, "exact"):
            raise ValueError("not exactly")  # substring match
        with self.assertRaises(AssertionError):
            with self.assertRaisesMessage(ValueError, "missing"):
                raise ValueError("something else")
        with self.assertRaises(AssertionError):
            with self.assertRaisesMessage(ValueError, "x"):
                pass

    def test_assert_warns_message(self):
        def warn():
            warnings.warn("beware the ides", DeprecationWarning)

        self.assertWarnsMessage(DeprecationWarning, "ides", warn)
        with self.assertWarnsMessage(UserWarning, "careful"):
            warnings.warn("be careful")
        with self.assertRaises(AssertionError):
            with self.assertWarnsMessage(UserWarning, "absent"):
                warnings.warn("present")


@override_settings(H4_CLASS_SETTING="class", H4_BOTH="class")
class OverrideSettingsClassTests(SimpleTestCase):
    def test_class_level(self):
        self.assertEqual(settings.H4_CLASS_SETTING, "class")

    @override_settings(H4_BOTH="method")
    def test_method_beats_class(self):
        self.assertEqual(settings.H4_BOTH, "method")
        self.assertEqual(settings.H4_CLASS_SETTING, "class")

    def test_context_manager(self):
        with override_settings(H4_BOTH="block"):
            self.assertEqual(settings.H4_BOTH, "block")
        self.assertEqual(settings.H4_BOTH, "class")
        with self.settings(H4_BOTH="self.settings"):
            self.assertEqual(settings.H4_BOTH, "self.settings")


@override_settings(H4_CHILD="child")
class OverrideSettingsSubclassTests(OverrideSettingsClassTests):
    def test_inherits_parent_overrides(self):
        self.assertEqual(settings.H4_CLASS_SETTING, "class")
        self.assertEqual(settings.H4_CHILD, "child")


class OverrideSettingsTests(SimpleTestCase):
    def test_gone_after_class(self):
        self.assertFalse(hasattr(settings, "H4_CLASS_SETTING"))
        self.assertIsNone(OverrideSettingsClassTests._settings_overrides.get("H4_CHILD"))

    def test_decorated_function(self):
        @override_settings(H4_FUNC=1)
        def read():
            return settings.H4_FUNC

        self.assertEqual(read(), 1)
        self.assertFalse(hasattr(settings, "H4_FUNC"))

    def test_signal_sent_on_enter_and_exit(self):
        received = []

        def receiver(**kwargs):
            received.append((kwargs["setting"], kwargs["value"], kwargs["enter"]))

        setting_changed.connect(receiver)
        try:
            with override_settings(SECRET_KEY="temporary"):
                pass
        finally:
            setting_changed.disconnect(receiver)
        self.assertEqual(received, [("SECRET_KEY", "temporary", True),
                                    ("SECRET_KEY", settings.SECRET_KEY, False)])

    def test_failing_receiver_on_entry_undoes_the_override(self):
        heard = []

        def fussy(**kwargs):
            heard.append((kwargs["setting"], kwargs["enter"]))
            if kwargs["setting"] == "H4_BAD" and kwargs["enter"]:
                raise RuntimeError("cannot take H4_BAD")

        setting_changed.connect(fussy)
        try:
            with self.assertRaisesMessage(RuntimeError, "cannot take H4_BAD"):
                with override_settings(H4_BAD=1, H4_GOOD=2):
                    self.fail("the block must not run")
        finally:
            setting_changed.disconnect(fussy)
        self.assertFalse(hasattr(settings, "H4_BAD") or hasattr(settings, "H4_GOOD"))
        # Every setting was announced on entry, then on the undoing exit.
        self.assertEqual(
            heard, [("H4_BAD", True), ("H4_GOOD", True), ("H4_BAD", False), ("H4_GOOD", False)]
        )

    def test_failing_receiver_on_exit_still_restores(self):
        def fussy(**kwargs):
            if not kwargs["enter"] and kwargs["setting"] == "H4_EXIT":
                raise RuntimeError("exit trouble")

        setting_changed.connect(fussy)
        try:
            with self.assertRaisesMessage(RuntimeError, "exit trouble"):
                with override_settings(H4_EXIT=1):
                    self.assertEqual(settings.H4_EXIT, 1)
        finally:
            setting_changed.disconnect(fussy)
        self.assertFalse(hasattr(settings, "H4_EXIT"))

    def test_plain_unittest_class(self):
        @override_settings(H4_PLAIN="yes")
        class Plain(unittest.TestCase):
            def test_it(self):
                self.assertEqual(settings.H4_PLAIN, "yes")

        result = run_case(Plain)
        self.assertTrue(result.wasSuccessful(), result.failures)
        self.assertFalse(hasattr(settings, "H4_PLAIN"))

    def test_non_test_class_rejected(self):
        with self.assertRaisesMessage(ValueError, "Only subclasses of Django SimpleTestCase"):
            override_settings(X=1)(type("NotATest", (), {}))

    def test_decorating_other_objects_rejected(self):
        with self.assertRaisesMessage(TypeError, "Cannot decorate object of type"):
            override_settings(X=1)(42)

    def test_deleting_a_setting_is_visible(self):
        with override_settings(H4_TMP="x"):
            self.assertEqual(settings.H4_TMP, "x")
            del settings.H4_TMP
            self.assertFalse(hasattr(settings, "H4_TMP"))

    def test_database_settings_reset_connection(self):
        from django.db import connections

        changed = {alias: dict(entry, OPTIONS={"h4": True}) for alias, entry in settings.DATABASES.items()}
        with mock.patch.object(connections, "reread_settings") as reset:
            with override_settings(DATABASES=changed):
                self.assertEqual(reset.call_count, 1)
                # Completed as when settings are read.
                self.assertEqual(settings.DATABASES["default"]["OPTIONS"], {"h4": True})
        self.assertEqual(reset.call_count, 2)

    def test_time_zone_change_is_applied(self):
        import time

        with override_settings(TIME_ZONE="Asia/Tokyo"):
            self.assertEqual(time.tzname[0], "JST")
        with override_settings(USE_TZ=True):
            self.assertTrue(settings.USE_TZ)

    def test_installed_apps_override(self):
        from django.apps import apps

        with override_settings(INSTALLED_APPS=["regressiontests.testfw_cases"]):
            self.assertEqual([c.label for c in apps.get_app_configs()], ["testfw_cases"])
        self.assertIn("testfw_runner", [c.label for c in apps.get_app_configs()])

    def test_bad_installed_apps_leaves_registry_and_settings_alone(self):
        from django.apps import apps

        before = [c.label for c in apps.get_app_configs()]
        depth = len(apps.stored_app_configs)
        with self.assertRaises(ImportError):
            with override_settings(INSTALLED_APPS=["regressiontests.no_such_app"], H4_X=1):
                pass
        self.assertEqual([c.label for c in apps.get_app_configs()], before)
        self.assertEqual(len(apps.stored_app_configs), depth)
        self.assertFalse(hasattr(settings, "H4_X"))


@override_settings(H4_LIST=["a", "b", "c"])
@modify_settings(H4_LIST={"append": "d", "prepend": ["z"], "remove": "b"})
class ModifySettingsClassTests(SimpleTestCase):
    def test_class_level(self):
        self.assertEqual(settings.H4_LIST, ["z", "a", "c", "d"])

    @modify_settings(H4_LIST={"remove": ["a", "c"]})
    def test_method_nests(self):
        self.assertEqual(settings.H4_LIST, ["z", "d"])

    def test_context_manager(self):
        with self.modify_settings(H4_LIST={"append": ["a", "e"]}):
            # Existing items are not duplicated.
            self.assertEqual(settings.H4_LIST, ["z", "a", "c", "d", "e"])
        self.assertEqual(settings.H4_LIST, ["z", "a", "c", "d"])

    def test_unknown_action(self):
        with self.assertRaisesMessage(ValueError, "Unsupported action(s) insert for setting H4_LIST"):
            modify_settings(H4_LIST={"insert": "x"})


class FeatureSkipTests(SimpleTestCase):
    def test_method_decorators(self):
        class Inner(SimpleTestCase):
            @skipUnlessDBFeature("supports_transactions")
            def test_has(self):
                pass

            @skipIfDBFeature("supports_transactions")
            def test_has_not(self):
                pass

            @skipUnlessAnyDBFeature("supports_transactions", "h4_missing_feature")
            def test_any(self):
                pass

        with mock.patch.object(type(connection.features), "h4_missing_feature", False, create=True):
            result = run_case(Inner)
        self.assertEqual(result.testsRun, 3)
        self.assertEqual(
            [(test._testMethodName, reason) for test, reason in result.skipped],
            [("test_has_not", "Database has feature(s) supports_transactions")],
        )

    def test_class_decorator_evaluated_at_run_time(self):
        @skipUnlessDBFeature("h4_feature")
        class Inner(SimpleTestCase):
            def test_one(self):
                pass

        features_class = type(connection.features)
        with mock.patch.object(features_class, "h4_feature", False, create=True):
            result = run_case(Inner)
            self.assertEqual(len(result.skipped), 1)
            self.assertEqual(result.skipped[0][1], "Database doesn't support feature(s): h4_feature")
        with mock.patch.object(features_class, "h4_feature", True, create=True):
            result = run_case(Inner)
            self.assertEqual(result.skipped, [])
            self.assertTrue(result.wasSuccessful())

    def test_stacked_class_decorators(self):
        @skipIfDBFeature("h4_b")
        @skipUnlessDBFeature("h4_a")
        class Inner(SimpleTestCase):
            def test_one(self):
                pass

        features_class = type(connection.features)
        with mock.patch.object(features_class, "h4_a", True, create=True), \
                mock.patch.object(features_class, "h4_b", True, create=True):
            result = run_case(Inner)
        self.assertEqual(result.skipped[0][1], "Database has feature(s) h4_b")

    def test_unknown_feature_is_an_error(self):
        class Inner(SimpleTestCase):
            @skipUnlessDBFeature("h4_no_such_feature")
            def test_one(self):
                pass

        result = run_case(Inner)
        self.assertEqual(len(result.errors), 1)
        self.assertIn("no database feature 'h4_no_such_feature'", result.errors[0][1])

    def test_non_testcase_class_rejected(self):
        with self.assertRaisesMessage(TypeError, "it is not a TestCase"):
            skipIfDBFeature("x")(type("Plain", (), {}))


class UtilityTests(SimpleTestCase):
    def test_captured_output(self):
        with captured_stdout() as out, captured_stderr() as err:
            print("to out")
            import sys

            sys.stderr.write("to err")
        self.assertEqual(out.getvalue(), "to out\n")
        self.assertEqual(err.getvalue(), "to err")

    def test_captured_stdin(self):
        with captured_stdin() as stdin:
            stdin.write("typed\n")
            stdin.seek(0)
            self.assertEqual(input(), "typed")

    def test_tag(self):
        @tag("slow", "db")
        def test_func():
            pass

        self.assertEqual(test_func.tags, {"slow", "db"})
        tag("fast")(test_func)
        self.assertEqual(test_func.tags, {"slow", "db", "fast"})

    def test_ignore_warnings(self):
        @ignore_warnings(category=UserWarning)
        def noisy():
            warnings.warn("hush")
            return 1

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertEqual(noisy(), 1)
            with ignore_warnings(message="quiet"):
                warnings.warn("quiet please")
        self.assertEqual(caught, [])

    def test_setup_test_environment_twice(self):
        # The runner already called it.
        with self.assertRaisesMessage(RuntimeError, "setup_test_environment() was already called"):
            setup_test_environment()

    def test_teardown_then_setup(self):
        teardown_test_environment()
        with self.assertRaisesMessage(RuntimeError, "without setup_test_environment"):
            teardown_test_environment()
        setup_test_environment(debug=True)
        self.assertTrue(settings.DEBUG)
        teardown_test_environment()
        setup_test_environment()
        self.assertFalse(settings.DEBUG)

    def test_get_runner(self):
        from django.test.runner import DiscoverRunner

        self.assertIs(get_runner(settings), DiscoverRunner)
        self.assertIs(
            get_runner(settings, "django.test.runner.DiscoverRunner"), DiscoverRunner
        )

    def test_context_decorator_attr_and_kwarg(self):
        class Counter(TestContextDecorator):
            entered = 0

            def enable(self):
                Counter.entered += 1
                return "value"

            def disable(self):
                Counter.entered -= 1

        @Counter(kwarg_name="counter")
        def func(counter):
            return counter, Counter.entered

        self.assertEqual(func(), ("value", 1))
        self.assertEqual(Counter.entered, 0)

        @Counter(attr_name="counted")
        class Inner(unittest.TestCase):
            def test_it(self):
                assert self.counted == "value"

        self.assertTrue(run_case(Inner).wasSuccessful())
        with self.assertRaisesMessage(TypeError, "Can only decorate subclasses of unittest.TestCase"):
            Counter()(type("Plain", (), {}))

    def test_async_function_decorator(self):
        import asyncio

        @override_settings(H4_ASYNC=3)
        async def coro():
            return settings.H4_ASYNC

        self.assertEqual(asyncio.run(coro()), 3)


def flush_rows():
    from regressiontests.testfw_cases.models import FlushItem

    table = connection.ops.quote_name(FlushItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM %s ORDER BY id" % table)
        return [tuple(row) for row in cursor.fetchall()]


def add_flush_row(name):
    from regressiontests.testfw_cases.models import FlushItem

    table = connection.ops.quote_name(FlushItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO %s (name) VALUES (%%s)" % table, [name])


class TransactionTestCaseFlushes(TransactionTestCase):
    """Rows committed by one test are gone in the next (the table is a model's)."""

    def test_1_commit_rows(self):
        add_flush_row("one")
        add_flush_row("two")
        self.assertEqual([r[1] for r in flush_rows()], ["one", "two"])

    def test_2_table_is_empty(self):
        self.assertEqual(flush_rows(), [])

    def test_3_fallback_without_flush_command(self):
        from django.test.testcases import flush_database

        add_flush_row("left over")
        commands = {"check": "django.core"}
        with mock.patch("django.core.management.get_commands", return_value=commands):
            flush_database()
        self.assertEqual(flush_rows(), [])


class ResetSequencesTests(TransactionTestCase):
    reset_sequences = True

    def test_1_ids_start_at_one(self):
        add_flush_row("a")
        self.assertEqual(flush_rows()[0][0], 1)

    def test_2_ids_start_at_one_again(self):
        add_flush_row("b")
        self.assertEqual(flush_rows()[0][0], 1)


class AvailableAppsTests(TransactionTestCase):
    available_apps = ["regressiontests.testfw_cases"]

    def test_registry_is_restricted(self):
        from django.apps import apps

        from django.core.management import get_commands

        self.assertEqual([c.label for c in apps.get_app_configs()], ["testfw_cases"])
        # The command list follows the restricted registry.
        self.assertNotIn("h4_dance", get_commands())
        add_flush_row("kept until teardown")



class AvailableAppsRestoreTests(TransactionTestCase):
    def test_registry_restored_afterwards(self):
        from django.apps import apps

        class Inner(TransactionTestCase):
            available_apps = ["regressiontests.testfw_cases"]

            def test_nothing(self):
                pass

        from django.core.management import get_commands

        self.assertTrue(run_case(Inner).wasSuccessful())
        self.assertIn("testfw_runner", [c.label for c in apps.get_app_configs()])
        self.assertIn("h4_dance", get_commands())


class IsolateAppsTests(SimpleTestCase):
    def test_context_manager(self):
        from django.apps import apps
        from django.db import models
        from django.test.utils import isolate_apps

        with isolate_apps("regressiontests.testfw_cases") as isolated:
            class Isolated(models.Model):
                class Meta:
                    app_label = "testfw_cases"

        self.assertIs(Isolated._meta.apps, isolated)
        self.assertIs(isolated.get_model("testfw_cases", "Isolated"), Isolated)
        with self.assertRaises(LookupError):
            apps.get_model("testfw_cases", "Isolated")

    def test_kwarg_name(self):
        from django.db import models
        from django.test.utils import isolate_apps

        @isolate_apps("regressiontests.testfw_cases", kwarg_name="registry")
        def make(registry):
            class Other(models.Model):
                class Meta:
                    app_label = "testfw_cases"

            return registry, Other

        registry, model = make()
        self.assertIs(model._meta.apps, registry)


class TestCaseFixtures(TestCase):
    """``fixtures`` are loaded once for the class, inside its transaction."""

    fixtures = ["testfw_items"]

    def test_1_loaded(self):
        self.assertEqual(flush_rows(), [(1, "from fixture"), (2, "also from fixture")])
        add_flush_row("added by test")

    def test_2_still_just_the_fixture(self):
        self.assertEqual(len(flush_rows()), 2)


class TransactionTestCaseFixtures(TransactionTestCase):
    """``fixtures`` are loaded before every test and flushed after it."""

    fixtures = ["testfw_items.json"]

    def test_1_loaded(self):
        self.assertEqual(len(flush_rows()), 2)
        add_flush_row("added by test")

    def test_2_loaded_again(self):
        self.assertEqual([r[1] for r in flush_rows()], ["from fixture", "also from fixture"])


class TestCaseWithoutTransactions(TransactionTestCase):
    """On a database without transactions TestCase acts as TransactionTestCase."""

    def test_falls_back_to_flushing(self):
        calls = []

        class Inner(TestCase):
            @classmethod
            def setUpTestData(cls):
                calls.append("setUpTestData")
                add_flush_row("shared")

            def test_a(self):
                self.assertFalse(connection.in_atomic_block)
                add_flush_row("from test_a")
                self.assertEqual(len(flush_rows()), 2)

            def test_b(self):
                self.assertEqual([r[1] for r in flush_rows()], ["shared"])

        with mock.patch.object(connection.features, "supports_transactions", False):
            result = run_case(Inner)
        self.assertTrue(result.wasSuccessful(), result.failures + result.errors)
        # Once per test instead of once per class.
        self.assertEqual(calls, ["setUpTestData", "setUpTestData"])
        self.assertEqual(flush_rows(), [])
