"""Tests of tests/runtests.py and DiscoverRunner, run in subprocesses."""
import os
import subprocess
import sys
import unittest

from django.test import SimpleTestCase
from django.test.runner import DiscoverRunner, LabelError

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
RUNTESTS = os.path.join(TESTS_DIR, "runtests.py")
FIXTURES = os.path.join(TESTS_DIR, "runner_fixtures")
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)  # for runner_fixtures under pytest too


def runtests(*args, settings=None):
    """Run runtests.py with the fixture apps; return (stdout, stderr, returncode)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    # Install only the fixture applications: the subprocess must not depend
    # on (or spend time on) the rest of the suite.
    env["RUNTESTS_TEST_DIRS"] = FIXTURES
    env.pop("RUNTESTS_EXTRA_TEST_DIRS", None)
    command = [sys.executable, RUNTESTS, *args]
    if settings:
        command.append("--settings=%s" % settings)
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300,
                          cwd=os.path.dirname(TESTS_DIR))
    return proc.stdout, proc.stderr, proc.returncode


def current_settings():
    return os.environ.get("DJANGO_SETTINGS_MODULE")


class RuntestsTests(SimpleTestCase):
    def last_line(self, out):
        return out.strip().splitlines()[-1]

    def test_counts_and_failure_status(self):
        out, err, code = runtests("runnerfix_mixed", settings=current_settings())
        # pass + expected failure pass; fail, error, sql failure, setUpClass fail.
        self.assertEqual(self.last_line(out), "2 passed, 4 failed, 1 skipped", err)
        self.assertEqual(code, 1)
        self.assertIn("deliberate error", err)
        self.assertIn("broken setUpClass", err)

    def test_success_status(self):
        out, err, code = runtests("runnerfix_clean", settings=current_settings())
        self.assertEqual(self.last_line(out), "2 passed, 0 failed, 0 skipped", err)
        self.assertEqual(code, 0)

    def test_class_and_method_labels(self):
        out, err, code = runtests("runnerfix_mixed.MixedTests.test_pass", "runnerfix_clean.CleanTests",
                                  settings=current_settings())
        self.assertEqual(self.last_line(out), "3 passed, 0 failed, 0 skipped", err)
        self.assertEqual(code, 0)

    def test_k_pattern(self):
        out, err, code = runtests("runnerfix_mixed", "runnerfix_clean", "-k", "test_pass",
                                  settings=current_settings())
        self.assertEqual(self.last_line(out), "1 passed, 0 failed, 0 skipped", err)
        out, err, code = runtests("runnerfix_clean", "-k", "*_tw?", settings=current_settings())
        self.assertEqual(self.last_line(out), "1 passed, 0 failed, 0 skipped", err)

    def test_failfast(self):
        out, err, code = runtests("runnerfix_mixed.MixedTests", "--failfast",
                                  settings=current_settings())
        self.assertEqual(code, 1)
        # test_error fails first (alphabetical order); the rest never run.
        self.assertEqual(self.last_line(out), "0 passed, 1 failed, 0 skipped", err)

    def test_unknown_label(self):
        out, err, code = runtests("no_such_app_h4", settings=current_settings())
        self.assertEqual(code, 1)
        self.assertIn("no_such_app_h4", err)
        out, err, code = runtests("runnerfix_clean.NoSuchClass", settings=current_settings())
        self.assertEqual(code, 1)
        self.assertIn("runnerfix_clean.NoSuchClass", err)

    def test_debug_sql(self):
        out, err, code = runtests("runnerfix_mixed.SqlTests", "--debug-sql",
                                  settings=current_settings())
        self.assertEqual(code, 1)
        self.assertIn("SQL executed", err)
        self.assertIn("SELECT 4242", err)

    def test_verbosity_two_names_tests(self):
        out, err, code = runtests("runnerfix_clean", "-v", "2", settings=current_settings())
        self.assertIn("test_one", err)
        self.assertIn("Creating test database", err)

    def test_extra_test_dir_option(self):
        proc = subprocess.run(
            [sys.executable, RUNTESTS, "--extra-test-dir", FIXTURES, "runnerfix_clean", "-v", "0"],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "RUNTESTS_TEST_DIRS": os.path.join(FIXTURES, "runnerfix_clean")},
        )
        self.assertEqual(proc.stdout.strip().splitlines()[-1], "2 passed, 0 failed, 0 skipped",
                         proc.stderr)

    def test_missing_test_dir(self):
        proc = subprocess.run(
            [sys.executable, RUNTESTS, "--extra-test-dir", FIXTURES, "runnerfix_clean", "-v", "0"],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "RUNTESTS_TEST_DIRS": os.path.join(TESTS_DIR, "no_such_dir_h4")},
        )
        self.assertEqual(proc.returncode, 1)
        self.assertIn("no_such_dir_h4", proc.stderr + proc.stdout)

    def test_crash_still_prints_counts(self):
        # A settings module whose database cannot be created.
        out, err, code = runtests("runnerfix_clean", settings="runner_fixtures.broken_settings")
        self.assertEqual(code, 1)
        self.assertEqual(self.last_line(out), "0 passed, 1 failed, 0 skipped")
        self.assertIn("h4-no-such-backend", err)

    def test_broken_tests_module_is_one_failure(self):
        out, err, code = runtests("runnerfix_broken", "runnerfix_clean", settings=current_settings())
        self.assertEqual(code, 1)
        self.assertEqual(self.last_line(out), "2 passed, 1 failed, 0 skipped", err)
        self.assertIn("Could not import runner_fixtures.runnerfix_broken.tests", err)
        self.assertIn("h4_no_such_module_anywhere", err)

    def test_tags(self):
        out, err, code = runtests("runnerfix_clean", "--tag", "nothing-has-this",
                                  settings=current_settings())
        self.assertEqual(self.last_line(out), "0 passed, 0 failed, 0 skipped", err)
        self.assertEqual(code, 0)


class DiscoverRunnerTests(SimpleTestCase):
    def test_label_resolution(self):
        runner = DiscoverRunner(verbosity=0)
        suite = runner.build_suite(["testfw_runner.DiscoverRunnerTests.test_label_resolution"])
        self.assertEqual([t.id() for t in suite],
                         ["regressiontests.testfw_runner.tests.DiscoverRunnerTests.test_label_resolution"])
        # A dotted module path works too.
        suite = runner.build_suite(["regressiontests.testfw_runner.tests.DiscoverRunnerTests"])
        self.assertGreater(suite.countTestCases(), 1)

    def test_unknown_label_error(self):
        runner = DiscoverRunner(verbosity=0)
        with self.assertRaisesMessage(LabelError, "'h4.nothing.here'"):
            runner.build_suite(["h4.nothing.here"])
        with self.assertRaisesMessage(LabelError, "testfw_runner.tests has no 'Nope'"):
            runner.build_suite(["testfw_runner.Nope"])

    def test_directory_label(self):
        runner = DiscoverRunner(verbosity=0, pattern="tests.py",
                                top_level=TESTS_DIR)
        here = os.path.dirname(os.path.realpath(__file__))
        suite = runner.build_suite([here])
        self.assertGreater(suite.countTestCases(), 1)

    def test_reverse_and_order(self):
        from django.test import TestCase, TransactionTestCase

        class A(SimpleTestCase):
            def test_a(self):
                pass

        class B(TransactionTestCase):
            def test_b(self):
                pass

        class C(TestCase):
            def test_c(self):
                pass

        from django.test.runner import _reorder_by_class

        ordered = _reorder_by_class([A("test_a"), B("test_b"), C("test_c")])
        self.assertEqual([type(t).__name__ for t in ordered], ["C", "B", "A"])

    def test_exclude_tag(self):
        from django.test import tag

        @tag("slow")
        class Tagged(unittest.TestCase):
            def test_x(self):
                pass

        runner = DiscoverRunner(exclude_tags=["slow"])
        self.assertFalse(runner._tags_match(Tagged("test_x")))
        runner = DiscoverRunner(tags=["slow"])
        self.assertTrue(runner._tags_match(Tagged("test_x")))


class TestCommandTests(SimpleTestCase):
    """``python -m django test`` with the fixture apps installed."""

    def run_test_command(self, *args):
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["PYTHONPATH"] = os.pathsep.join([os.path.dirname(TESTS_DIR), TESTS_DIR])
        proc = subprocess.run(
            [sys.executable, "-m", "django", "test", "--settings=runner_fixtures.fixture_settings",
             *args],
            capture_output=True, text=True, env=env, timeout=300,
        )
        return proc.stdout, proc.stderr, proc.returncode

    def test_passing_label(self):
        out, err, code = self.run_test_command("runnerfix_clean", "-v", "2")
        self.assertEqual(code, 0, err)
        self.assertIn("test_one", err)
        self.assertIn("Ran 2 tests", err)

    def test_failing_label(self):
        out, err, code = self.run_test_command("runnerfix_mixed.MixedTests", "--noinput")
        self.assertEqual(code, 1)
        self.assertIn("deliberate error", err)

    def test_k_and_testrunner_options(self):
        out, err, code = self.run_test_command(
            "runnerfix_mixed", "-k", "test_pass", "--testrunner=django.test.runner.DiscoverRunner"
        )
        self.assertEqual(code, 0, err)
        self.assertIn("Ran 1 test", err)


class ResultCountingTests(SimpleTestCase):
    """The runner's result classes, run in this process on fixture test cases."""

    allow_database_queries = True  # the fixture's SqlTests queries

    def run_fixture(self, *names, debug_sql=False):
        from django.test.utils import captured_stderr

        from runner_fixtures.runnerfix_mixed import tests as fixture

        runner = DiscoverRunner(verbosity=0, debug_sql=debug_sql)
        suite = unittest.TestSuite()
        for name in names:
            class_name, _, method = name.partition(".")
            suite.addTest(getattr(fixture, class_name)(method))
        with captured_stderr() as err:
            result = runner.run_suite(suite)
        return result, err.getvalue()

    def test_counts(self):
        result, err = self.run_fixture(
            "MixedTests.test_pass", "MixedTests.test_fail", "MixedTests.test_error",
            "MixedTests.test_skip", "MixedTests.test_expected_failure",
        )
        self.assertEqual(result.counts(), (2, 2, 1))
        self.assertEqual(DiscoverRunner().suite_result(None, result), 2)

    def test_subtest_failure_counts_once(self):
        class Sub(unittest.TestCase):
            def test_sub(self):
                for i in range(3):
                    with self.subTest(i=i):
                        self.assertEqual(i, 0)

        runner = DiscoverRunner(verbosity=0)
        from django.test.utils import captured_stderr

        with captured_stderr():
            result = runner.run_suite(unittest.TestSuite([Sub("test_sub")]))
        self.assertEqual(result.counts(), (0, 1, 0))

    def test_debug_sql_lists_queries_of_failures(self):
        result, err = self.run_fixture("SqlTests.test_sql_then_fail", "MixedTests.test_error",
                                       debug_sql=True)
        self.assertEqual(result.counts(), (0, 2, 0))
        self.assertIn("SQL executed (1 queries):\n1. SELECT 4242", err)
        self.assertIn("SQL executed (0 queries):", err)


class RecordingRunner:
    """A TEST_RUNNER stand-in for the ``test`` command tests."""

    calls = []

    def __init__(self, **kwargs):
        self.kwargs = kwargs

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument("--recording-flag", action="store_true")

    def run_tests(self, labels):
        RecordingRunner.calls.append((labels, self.kwargs))
        return 1 if "fail" in labels else 0


class TestCommandInProcessTests(SimpleTestCase):
    runner_path = "regressiontests.testfw_runner.tests.RecordingRunner"

    def setUp(self):
        RecordingRunner.calls = []

    def test_call_command(self):
        from django.core.management import call_command

        call_command("test", "a", "b", testrunner=self.runner_path, failfast=True, verbosity=0)
        labels, kwargs = RecordingRunner.calls[0]
        self.assertEqual(labels, ["a", "b"])
        self.assertEqual(kwargs["failfast"], True)
        self.assertEqual(kwargs["verbosity"], 0)

    def test_command_line_failure_exits_1(self):
        from django.core.management import execute_from_command_line

        with self.assertRaises(SystemExit) as cm:
            execute_from_command_line(
                ["django-admin", "test", "--testrunner", self.runner_path, "fail", "--noinput"]
            )
        self.assertEqual(cm.exception.code, 1)
        self.assertEqual(RecordingRunner.calls[0][1]["interactive"], False)

    def test_runner_options_come_from_the_runner(self):
        from django.core.management import execute_from_command_line

        execute_from_command_line(
            ["django-admin", "test", "--testrunner=%s" % self.runner_path, "--recording-flag", "ok"]
        )
        self.assertEqual(RecordingRunner.calls[0][0], ["ok"])
