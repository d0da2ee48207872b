"""The test runner: find tests, set up the test database, run, report.

``DiscoverRunner(...).run_tests(labels)`` returns the number of failed and
erroneous tests.  A label is one of:

* an installed application's label (``myapp``), which runs the ``tests``
  module (or package) of that app, optionally followed by a class and a
  method (``myapp.MyTests``, ``myapp.MyTests.test_one``);
* a dotted module, class or method path (``myapp.tests.MyTests``);
* a directory, searched with unittest discovery for ``test*.py``.
"""
import os
import unittest
from importlib import import_module

from django.conf import settings
from django.test.utils import setup_test_environment, teardown_test_environment


class LabelError(ValueError):
    """A test label names nothing that can be run."""


class ImportFailure(unittest.TestCase):
    """Stands for a tests module that could not be imported; fails when run."""

    def __init__(self, module_name, exception):
        super().__init__("runTest")
        self.module_name = module_name
        self.exception = exception

    def id(self):
        return self.module_name

    def __str__(self):
        return "%s (import failed)" % self.module_name

    def runTest(self):
        raise ImportError(
            "Could not import %s: %s: %s"
            % (self.module_name, type(self.exception).__name__, self.exception)
        ) from self.exception


class DebugSQLTextTestResult(unittest.TextTestResult):
    """Prints the SQL run by each failing or erroneous test."""

    def startTest(self, test):
        from django.db import DEFAULT_DB_ALIAS, connections

        self._sql_connection = connections[DEFAULT_DB_ALIAS]
        self._saved_force_debug = self._sql_connection.force_debug_cursor
        self._sql_connection.force_debug_cursor = True
        self._sql_start = len(self._sql_connection.queries_log)
        super().startTest(test)

    def _collect(self):
        connection = getattr(self, "_sql_connection", None)
        if connection is None:
            return []
        return [q["sql"] for q in list(connection.queries_log)[self._sql_start:]]

    def stopTest(self, test):
        connection = getattr(self, "_sql_connection", None)
        if connection is not None:
            connection.force_debug_cursor = self._saved_force_debug
        super().stopTest(test)

    def addError(self, test, err):
        super().addError(test, err)
        self.errors[-1] = self.errors[-1] + (self._collect(),)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.failures[-1] = self.failures[-1] + (self._collect(),)

    def printErrorList(self, flavour, errors):
        # Entries recorded by add*() above carry the test's SQL as a third item.
        for test, err, *extra in errors:
            queries = extra[0] if extra else []
            report = [
                self.separator1,
                "%s: %s" % (flavour, self.getDescription(test)),
                self.separator2,
                err,
                self.separator2,
                "SQL executed (%d queries):" % len(queries),
            ]
            report.extend("%d. %s" % pair for pair in enumerate(queries, start=1))
            for line in report:
                self.stream.writeln(line)


class CountingMixin:
    """Counts each test once as passed, failed (incl. errors) or skipped."""

    def _outcomes(self):
        if not hasattr(self, "_test_outcomes"):
            self._test_outcomes = {}
        return self._test_outcomes

    def _record(self, test, outcome):
        test = getattr(test, "test_case", test)  # subtests count for their test
        key = test.id() if hasattr(test, "id") else str(test)
        outcomes = self._outcomes()
        if outcomes.get(key) == "failed":
            return
        outcomes[key] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failed")

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "failed")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "passed")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "failed")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None and not issubclass(err[0], unittest.SkipTest):
            self._record(test, "failed")

    def counts(self):
        """``(passed, failed, skipped)``."""
        values = list(self._outcomes().values())
        return values.count("passed"), values.count("failed"), values.count("skipped")


class CountingTextTestResult(CountingMixin, unittest.TextTestResult):
    pass


class CountingDebugSQLTextTestResult(CountingMixin, DebugSQLTextTestResult):
    pass


def _outside_packages(directory):
    """The first directory at or above ``directory`` that is not a package:
    discovery must import a package's test modules by their dotted names
    (``polls.tests``, whose relative imports then work), not as top-level
    modules."""
    root = os.path.abspath(directory)
    while os.path.isfile(os.path.join(root, "__init__.py")):
        root = os.path.dirname(root)
    return root


def _name_globs(patterns):
    """``-k`` patterns as fnmatch globs (None when there are none).

    As with unittest's -k, a pattern without ``*`` matches anywhere in the
    test name.
    """
    if not patterns:
        return None
    return {pattern if "*" in pattern else "*" + pattern + "*" for pattern in patterns}


class DiscoverRunner:
    """Runs tests found by label, against a freshly created test database."""

    def __init__(self, pattern=None, top_level=None, verbosity=1, interactive=True,
                 failfast=False, keepdb=False, reverse=False, debug_sql=False,
                 tags=None, exclude_tags=None, test_name_patterns=None, buffer=False,
                 **kwargs):
        # Options kept exactly as given.
        vars(self).update(
            top_level=top_level, verbosity=verbosity, interactive=interactive,
            failfast=failfast, keepdb=keepdb, reverse=reverse, debug_sql=debug_sql,
            buffer=buffer,
        )
        self.pattern = pattern or "test*.py"
        self.tags, self.exclude_tags = set(tags or ()), set(exclude_tags or ())
        self.test_name_patterns = _name_globs(test_name_patterns)
        self.result = None

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument("--keepdb", action="store_true",
                            help="Preserves the test DB between runs.")
        parser.add_argument("-r", "--reverse", action="store_true",
                            help="Reverses test case order.")
        parser.add_argument("-d", "--debug-sql", action="store_true",
                            help="Prints the SQL queries of failing tests.")
        parser.add_argument("--tag", action="append", dest="tags",
                            help="Run only tests with the specified tag.")
        parser.add_argument("--exclude-tag", action="append", dest="exclude_tags",
                            help="Do not run tests with the specified tag.")
        parser.add_argument("-k", action="append", dest="test_name_patterns",
                            help="Only run test methods and classes that match the pattern "
                            "or substring. Can be used multiple times.")
        parser.add_argument("-b", "--buffer", action="store_true",
                            help="Discard output from passing tests.")

    # --- environment --------------------------------------------------------

    def setup_test_environment(self, **kwargs):
        setup_test_environment(debug=False)

    def teardown_test_environment(self, **kwargs):
        teardown_test_environment()

    # --- building the suite ----------------------------------------------------

    def _make_loader(self):
        loader = unittest.TestLoader()
        if self.test_name_patterns:
            loader.testNamePatterns = sorted(self.test_name_patterns)
        return loader

    def load_tests_for_label(self, label, loader):
        """A suite for one label; LabelError if it names nothing."""
        from django.apps import apps

        if os.path.isdir(label):
            return loader.discover(start_dir=label, pattern=self.pattern,
                                   top_level_dir=self.top_level or _outside_packages(label))
        first, rest = label.partition(".")[::2]
        app_config = None
        if apps.ready:
            for config in apps.get_app_configs():
                if config.label == first:
                    app_config = config
                    break
        if app_config is not None:
            module = self._tests_module(app_config)
            if isinstance(module, ImportFailure):
                # Report it as a failing test so the other apps still run.
                return unittest.TestSuite([module])
            if module is None:
                if rest:
                    raise LabelError("Application %r has no tests module." % first)
                return unittest.TestSuite()
            if not rest:
                return loader.loadTestsFromModule(module)
            target = module
            for part in rest.split("."):
                if not hasattr(target, part):
                    raise LabelError(
                        "Test label %r: %s.tests has no %r." % (label, app_config.name, rest)
                    )
                target = getattr(target, part)
            return loader.loadTestsFromName(rest, module)
        suite = loader.loadTestsFromName(label)
        failed = [t for t in _iter_tests(suite) if isinstance(t, unittest.loader._FailedTest)]
        if failed:
            # unittest reports an unknown name as a failing test; for a
            # label given on purpose that is a usage error instead.
            raise LabelError(
                "Test label %r is neither an installed application label, a "
                "dotted test path nor a directory (%s)."
                % (label, getattr(failed[0], "_exception", "not found"))
            )
        return suite

    @staticmethod
    def _tests_module(app_config):
        """The app's tests module, None if it has none, or an ImportFailure."""
        name = "%s.tests" % app_config.name
        try:
            return import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                return None
            return ImportFailure(name, exc)
        except Exception as exc:  # noqa: BLE001 - a broken module is one failing test
            return ImportFailure(name, exc)

    def build_suite(self, test_labels=None, **kwargs):
        """A TestSuite for the labels (every installed app when empty)."""
        from django.apps import apps

        loader = self._make_loader()
        suite = unittest.TestSuite()
        if not test_labels:
            test_labels = [config.label for config in apps.get_app_configs()]
        for label in test_labels:
            suite.addTests(self.load_tests_for_label(label, loader))
        tests = list(_iter_tests(suite))
        if self.tags or self.exclude_tags:
            tests = [t for t in tests if self._tags_match(t)]
        tests = _reorder_by_class(tests)
        if self.reverse:
            tests.reverse()
        return unittest.TestSuite(tests)

    def _tags_match(self, test):
        method = getattr(test, getattr(test, "_testMethodName", ""), None)
        tags = set(getattr(type(test), "tags", set())) | set(getattr(method, "tags", set()))
        if self.tags and not tags & self.tags:
            return False
        return not tags & self.exclude_tags

    # --- databases ---------------------------------------------------------------

    def setup_databases(self, **kwargs):
        """Create a test database for every alias; return what
        teardown_databases needs (see django.test.databases)."""
        from django.test.databases import set_up_test_databases

        return set_up_test_databases(
            verbosity=self.verbosity, interactive=self.interactive, keepdb=self.keepdb,
        )

    def teardown_databases(self, old_config, **kwargs):
        """Destroy the test databases (keepdb: keep them) and give every
        alias its configured NAME back."""
        from django.test.databases import tear_down_test_databases

        tear_down_test_databases(old_config, verbosity=self.verbosity, keepdb=self.keepdb)

    # --- running -------------------------------------------------------------------

    def get_resultclass(self):
        return CountingDebugSQLTextTestResult if self.debug_sql else CountingTextTestResult

    def run_suite(self, suite, **kwargs):
        runner = unittest.TextTestRunner(
            verbosity=self.verbosity, failfast=self.failfast,
            resultclass=self.get_resultclass(), buffer=self.buffer,
        )
        return runner.run(suite)

    def run_checks(self):
        from django.core.management import call_command

        call_command("check", verbosity=self.verbosity)

    def suite_result(self, suite, result, **kwargs):
        return len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)

    def run_tests(self, test_labels, **kwargs):
        """Run the tests; return the number of failures and errors."""
        self.setup_test_environment()
        try:
            suite = self.build_suite(test_labels)
            old_config = self.setup_databases()
            try:
                self.run_checks()
                self.result = self.run_suite(suite)
            finally:
                self.teardown_databases(old_config)
        finally:
            self.teardown_test_environment()
        return self.suite_result(suite, self.result)


def _iter_tests(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _iter_tests(test)
        else:
            yield test


def test_kind_rank(test_class):
    """Sort key of the run order: TestCase 0, TransactionTestCase 1, others 2.

    TransactionTestCase tests leave the database empty rather than as they
    found it, so running them after the TestCase tests keeps those safe.
    """
    from django.test.testcases import TestCase, TransactionTestCase

    if isinstance(test_class, type):
        if issubclass(test_class, TestCase):
            return 0
        if issubclass(test_class, TransactionTestCase):
            return 1
    return 2


def _reorder_by_class(tests):
    """Stable sort of tests by :func:`test_kind_rank` of their class."""
    return sorted(tests, key=lambda test: test_kind_rank(type(test)))
