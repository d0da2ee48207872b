"""The test case classes: SimpleTestCase, TransactionTestCase, TestCase.

* :class:`SimpleTestCase` is for tests that never touch the database; a
  query inside it fails with :class:`DatabaseOperationForbidden`.
* :class:`TransactionTestCase` lets tests commit; after each test every
  table of the installed models is emptied (``flush``).
* :class:`TestCase` wraps the class in a transaction and every test in a
  savepoint that is rolled back, which is much faster, and adds
  ``setUpTestData()`` for data shared by the class's tests.
"""
import collections
import contextlib
import copy
import functools
import unittest

from django.apps import apps
from django.conf import settings
from django.db import get_connection, transaction
from django.test.signals import setting_changed
from django.test.utils import CaptureQueriesContext, modify_settings, override_settings

__all__ = [
    "DatabaseOperationForbidden", "SimpleTestCase", "TransactionTestCase", "TestCase",
    "skipIfDBFeature", "skipUnlessDBFeature", "skipUnlessAnyDBFeature",
]


class DatabaseOperationForbidden(AssertionError):
    """A SimpleTestCase (or a class that disallows queries) touched the database."""


_MISSING = object()


def _refusal(message):
    """A stand-in for a connection method while queries are forbidden."""

    def refuse(*args, **kwargs):
        raise DatabaseOperationForbidden(message)

    return refuse


class _AssertNumQueriesContext(CaptureQueriesContext):
    """Captures like its base, then asserts the count when the block ends."""

    def __init__(self, test_case, num, connection):
        super().__init__(connection)
        self.test_case, self.num = test_case, num

    def __exit__(self, exc_type, exc_value, traceback):
        super().__exit__(exc_type, exc_value, traceback)
        # An exception inside the block is the real failure; let it through.
        if exc_type is None:
            self._verify_count()

    def _verify_count(self):
        executed = len(self)
        listing = "\n".join(
            "%d. %s" % (number, query["sql"])
            for number, query in enumerate(self.captured_queries, start=1)
        )
        self.test_case.assertEqual(
            executed, self.num,
            "%d queries executed, %d expected\nCaptured queries were:\n%s"
            % (executed, self.num, listing),
        )


class SimpleTestCase(unittest.TestCase):
    """A unittest.TestCase with Django's assertions and settings helpers.

    Database queries are forbidden unless the class sets
    ``allow_database_queries = True``.
    """

    allow_database_queries = False
    _overridden_settings = None
    _modified_settings = None

    # Connection methods that reach the database.
    _disallowed_connection_methods = ("connect", "temporary_connection", "cursor", "chunked_cursor")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Class-level @override_settings/@modify_settings only recorded what
        # to change; apply it for the lifetime of the class.
        for context in cls._class_settings_contexts():
            context.enable()
            cls.addClassCleanup(context.disable)
        if not cls.allow_database_queries:
            cls._add_database_failures()
            cls.addClassCleanup(cls._remove_database_failures)

    @classmethod
    def _class_settings_contexts(cls):
        if cls._overridden_settings:
            yield override_settings(**cls._overridden_settings)
        if cls._modified_settings:
            yield modify_settings(cls._modified_settings)

    @classmethod
    def _add_database_failures(cls):
        message = (
            "Database queries are not allowed in SimpleTestCase subclasses "
            "(%s.%s). Either subclass TestCase or TransactionTestCase to ensure "
            "proper test isolation or set allow_database_queries = True on the "
            "class to silence this failure." % (cls.__module__, cls.__qualname__)
        )
        connection = get_connection()
        # Remember what was there (an enclosing SimpleTestCase may have
        # wrapped the methods already) so removal restores exactly that.
        saved = {}
        for name in cls._disallowed_connection_methods:
            method = getattr(connection, name, None)
            if method is not None:
                saved[name] = connection.__dict__.get(name, _MISSING)
                setattr(connection, name, _refusal(message))
        cls._forbidden_state = (connection, saved)

    @classmethod
    def _remove_database_failures(cls):
        state = cls.__dict__.get("_forbidden_state")
        if state is None:
            return
        connection, saved = state
        for name, previous in saved.items():
            if previous is _MISSING:
                connection.__dict__.pop(name, None)
            else:
                setattr(connection, name, previous)
        del cls._forbidden_state

    def __call__(self, result=None):
        """Run _pre_setup() and _post_teardown() around the test itself.

        They are separate from setUp()/tearDown() so that subclasses need
        not call super() for the framework's work to happen.
        """
        self._setup_and_call(result)

    def debug(self):
        """Run the test without collecting errors in a TestResult."""
        self._setup_and_call(None, debug=True)

    def _setup_and_call(self, result, debug=False):
        method = getattr(self, self._testMethodName)
        skipped = any(
            getattr(target, "__unittest_skip__", False) for target in (type(self), method)
        )
        # A skipped test gets neither the framework setup nor its teardown.
        if not skipped and not self._framework_step(self._pre_setup, result, debug):
            return
        if debug:
            super().debug()
        else:
            super().__call__(result)
        if not skipped:
            self._framework_step(self._post_teardown, result, debug)

    def _framework_step(self, step, result, debug):
        """Run _pre_setup/_post_teardown; report a failure as a test error.

        Returns False if ``step`` failed.  In debug mode errors propagate,
        as unittest's debug() promises.
        """
        try:
            step()
        except Exception as exc:
            if debug:
                raise
            if result is None:
                result = self.defaultTestResult()
            result.addError(self, (type(exc), exc, exc.__traceback__))
            return False
        return True

    def _pre_setup(self):
        """Per-test framework setup, before setUp()."""

    def _post_teardown(self):
        """Per-test framework cleanup, after tearDown()."""

    def settings(self, **kwargs):
        """``with self.settings(DEBUG=True):`` overrides settings for a block."""
        return override_settings(**kwargs)

    def modify_settings(self, **kwargs):
        """``with self.modify_settings(INSTALLED_APPS={'append': ...}):``."""
        return modify_settings(**kwargs)

    @contextlib.contextmanager
    def _assert_raises_or_warns_cm(self, func, cm_attr, expected_exception, expected_message):
        with func(expected_exception) as cm:
            yield cm
        self.assertIn(expected_message, str(getattr(cm, cm_attr)))

    def _assertFooMessage(self, func, cm_attr, expected_exception, expected_message,
                          *args, **kwargs):
        callable_obj = None
        if args:
            callable_obj, *args = args
        cm = self._assert_raises_or_warns_cm(func, cm_attr, expected_exception, expected_message)
        if callable_obj is None:
            return cm
        with cm:
            callable_obj(*args, **kwargs)

    def assertRaisesMessage(self, expected_exception, expected_message, *args, **kwargs):
        """Like assertRaises, and the exception's str() contains ``expected_message``.

        Usable as ``with self.assertRaisesMessage(E, 'msg'):`` or with a
        callable and its arguments.
        """
        return self._assertFooMessage(
            self.assertRaises, "exception", expected_exception, expected_message,
            *args, **kwargs,
        )

    def assertWarnsMessage(self, expected_warning, expected_message, *args, **kwargs):
        """Like assertWarns, and the warning's text contains ``expected_message``."""
        return self._assertFooMessage(
            self.assertWarns, "warning", expected_warning, expected_message, *args, **kwargs,
        )


class TransactionTestCase(SimpleTestCase):
    """Tests that may commit; tables are emptied after each test.

    Class attributes:

    ``fixtures``
        Fixture names loaded (``loaddata``) before each test.
    ``reset_sequences``
        Reset the primary-key sequences of the installed models before each
        test, so ids start at 1.
    ``available_apps``
        Restrict the app registry (and what is flushed) to these apps during
        the test; None means every installed app.
    """

    # Tests of this kind exist precisely to touch the database.
    allow_database_queries = True
    # Per-class knobs, documented above.
    fixtures = None
    reset_sequences = False
    available_apps = None
    # Accepted for compatibility; nothing is serialized in this framework.
    serialized_rollback = False

    def _pre_setup(self):
        super()._pre_setup()
        if self.available_apps is not None:
            apps.set_available_apps(self.available_apps)
            _installed_apps_changed(self.available_apps, enter=True)
        try:
            self._fixture_setup()
        except Exception:
            if self.available_apps is not None:
                self._unset_available_apps()
            raise

    def _unset_available_apps(self):
        apps.unset_available_apps()
        _installed_apps_changed(settings.INSTALLED_APPS, enter=False)

    def _fixture_setup(self):
        if self.reset_sequences:
            self._reset_sequences()
        if self.fixtures:
            _load_fixtures(self.fixtures)

    def _reset_sequences(self):
        """Restart every model's primary key sequence (ids start at 1 again)."""
        connection = get_connection()
        if not connection.features.supports_sequence_reset:
            return
        statements = connection.ops.sequence_reset_by_name_sql(
            _no_style(), connection.introspection.sequence_list()
        )
        if not statements:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _post_teardown(self):
        restricted = self.available_apps is not None
        try:
            self._fixture_teardown()
        finally:
            # The full registry comes back even when emptying tables failed.
            if restricted:
                self._unset_available_apps()
        super()._post_teardown()

    def _fixture_teardown(self):
        flush_database(reset_sequences=False, available_apps=self.available_apps)

    def assertNumQueries(self, num, func=None, *args, **kwargs):
        """Assert ``func(*args, **kwargs)`` (or the ``with`` block) runs ``num`` queries."""
        context = _AssertNumQueriesContext(self, num, get_connection())
        if func is None:
            return context
        with context:
            func(*args, **kwargs)

    def assertQuerySetEqual(self, qs, values, transform=None, ordered=True, msg=None):
        """Compare a queryset (or any iterable) with a list of values.

        ``transform`` is applied to each item first.  With ``ordered=False``
        the comparison ignores order (but not repeats).  Comparing an
        unordered queryset with more than one value and ``ordered=True``
        raises ValueError, because the result order would be arbitrary.
        """
        values = list(values)
        items = qs if transform is None else map(transform, qs)
        if not ordered:
            return self.assertDictEqual(
            collections.Counter(items), collections.Counter(values), msg=msg
        )
        if len(values) > 1 and hasattr(qs, "ordered") and not qs.ordered:
            raise ValueError(
                "Trying to compare non-ordered queryset against more than one ordered value."
            )
        return self.assertEqual(list(items), values, msg=msg)

    assertQuerysetEqual = assertQuerySetEqual


class TestData:
    """Gives each test its own deep copy of a class attribute from setUpTestData().

    Attributes that cannot be deep-copied are shared as they are.
    """

    memo_attr = "_testdata_memo"

    def __init__(self, name, data):
        self.name, self.data = name, data

    def get_memo(self, testcase):
        # One memo per test, shared by every attribute, so that objects
        # reachable from two attributes are still one object in the test.
        return testcase.__dict__.setdefault(self.memo_attr, {})

    def __get__(self, instance, owner):
        if instance is None:
            return self.data
        try:
            private = copy.deepcopy(self.data, self.get_memo(instance))
        except TypeError:
            private = self.data  # not copyable: share it
        # Cached on the instance: this (non-data) descriptor is not asked again.
        instance.__dict__[self.name] = private
        return private

    def __repr__(self):
        return "<%s: name=%r, data=%r>" % (type(self).__name__, self.name, self.data)


class TestCase(TransactionTestCase):
    """Each test runs in a transaction that is rolled back at its end.

    The whole class runs inside an outer transaction too, so data created by
    ``setUpTestData()`` (a classmethod) is created once and seen by every
    test, each of which starts from it unchanged.  On a database without
    transactions this behaves like TransactionTestCase.
    """

    @classmethod
    def _databases_support_transactions(cls):
        return get_connection().features.supports_transactions

    @classmethod
    def _enter_atomics(cls):
        # _from_testcase lets durable=True blocks inside tests still work.
        atomic = transaction.Atomic(savepoint=True, durable=False, _from_testcase=True)
        atomic.__enter__()
        return atomic

    @classmethod
    def _rollback_atomics(cls, atomic):
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls._databases_support_transactions():
            cls._build_class_data()

    @classmethod
    def _build_class_data(cls):
        """Open the class transaction and run fixtures + setUpTestData() in it."""
        cls.cls_atomics = cls._enter_atomics()
        snapshot = dict(cls.__dict__)
        try:
            if cls.fixtures:
                _load_fixtures(cls.fixtures)
            cls.setUpTestData()
        except Exception:
            cls._rollback_atomics(cls.cls_atomics)
            raise
        # Whatever setUpTestData() set or replaced becomes per-test copies.
        created = [
            (name, value) for name, value in cls.__dict__.items()
            if value is not snapshot.get(name)
        ]
        for name, value in created:
            setattr(cls, name, TestData(name, value))

    @classmethod
    def tearDownClass(cls):
        # End the class transaction here rather than in a class cleanup:
        # code a subclass runs after super().tearDownClass() (dropping a
        # table, say) must not be rolled back along with the test data.
        # Only undo what setUpClass actually opened for this very class.
        opened = cls.__dict__.get("cls_atomics")
        if opened is not None:
            del cls.cls_atomics
            cls._rollback_atomics(opened)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        """Create data shared by all tests of the class (runs once)."""

    def _fixture_setup(self):
        if not self._databases_support_transactions():
            # Without transactions, reload the fixtures for every test.
            self.setUpTestData()
            return super()._fixture_setup()
        if self.reset_sequences:
            raise TypeError("reset_sequences cannot be used on TestCase instances")
        self.atomics = self._enter_atomics()

    def _fixture_teardown(self):
        if self._databases_support_transactions():
            try:
                self._check_deferred_constraints()
            finally:
                self._rollback_atomics(self.atomics)
        else:
            super()._fixture_teardown()

    def _check_deferred_constraints(self):
        connection = get_connection()
        if self._should_check_constraints(connection):
            connection.check_constraints()

    def _should_check_constraints(self, connection):
        # Deferred constraints would only be checked at commit, which never
        # comes; check them explicitly so such bugs still show.
        return (
            getattr(connection.features, "can_defer_constraint_checks", False)
            and not connection.needs_rollback
            and connection.is_usable()
        )

    @classmethod
    @contextlib.contextmanager
    def captureOnCommitCallbacks(cls, *, execute=False):
        """Collect the ``transaction.on_commit()`` callbacks registered in the block.

        Yields a list that is filled when the block ends; with
        ``execute=True`` the callbacks are also run then (including any
        they register in turn).
        """
        callbacks = []
        connection = get_connection()
        start = len(connection.run_on_commit)
        try:
            yield callbacks
        finally:
            while True:
                count = len(connection.run_on_commit)
                for entry in connection.run_on_commit[start:]:
                    func = entry[1]
                    callbacks.append(func)
                    if execute:
                        func()
                if count == len(connection.run_on_commit):
                    break
                start = count


# --- helpers shared by the test cases ------------------------------------------


def _installed_apps_changed(value, enter):
    """Tell caches (e.g. the command list) that the set of apps changed."""
    setting_changed.send(
        sender=settings._wrapped.__class__, setting="INSTALLED_APPS", value=value, enter=enter
    )


def _no_style():
    from django.core.management.color import no_style

    return no_style()


def _load_fixtures(fixtures):
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command, get_commands

    if "loaddata" not in get_commands():
        raise ImproperlyConfigured(
            "This test case declares fixtures %r but there is no 'loaddata' "
            "management command to load them." % (list(fixtures),)
        )
    call_command("loaddata", *fixtures, verbosity=0)


def flush_database(reset_sequences=False, available_apps=None):
    """Empty the tables of the installed models in the test database.

    Uses the ``flush`` command when it exists; otherwise deletes the rows of
    every existing table that belongs to an installed model.
    """
    from django.core.management import call_command, get_commands

    if "flush" in get_commands():
        # With available_apps, tables of other apps may still reference
        # the flushed ones, and post-migrate rows belong to absent apps.
        restricted = available_apps is not None
        call_command(
            "flush", interactive=False, verbosity=0, reset_sequences=reset_sequences,
            allow_cascade=restricted, inhibit_post_migrate=restricted,
        )
        return
    connection = get_connection()
    # Models' tables and their many-to-many tables, those that exist.
    tables = sorted(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )
    if not tables:
        return
    statements = connection.ops.sql_flush(
        _no_style(), tables, reset_sequences=reset_sequences,
        allow_cascade=available_apps is not None,
    )
    connection.ops.execute_sql_flush(statements)


# --- database feature skips ------------------------------------------------------


class _CheckCondition:
    """A lazily evaluated ``__unittest_skip__`` for a test class."""

    def __init__(self, *conditions):
        self.conditions = conditions

    def add_condition(self, condition, reason):
        return type(self)(*self.conditions, (condition, reason))

    def __bool__(self):
        return any(condition() for condition, _ in self.conditions)

    def reason(self):
        for condition, reason in self.conditions:
            if condition():
                return reason
        return ""


class _SkipReason:
    """``__unittest_skip_why__`` that names the condition which applied."""

    def __get__(self, instance, owner):
        skip = owner.__dict__.get("__unittest_skip__")
        if skip is None:
            for klass in owner.__mro__:
                if "__unittest_skip__" in klass.__dict__:
                    skip = klass.__dict__["__unittest_skip__"]
                    break
        return skip.reason() if isinstance(skip, _CheckCondition) else ""


def _deferred_skip(condition, reason, name):
    def decorator(test_item):
        if isinstance(test_item, type) and issubclass(test_item, unittest.TestCase):
            current = test_item.__dict__.get("__unittest_skip__")
            if not isinstance(current, _CheckCondition):
                inherited = getattr(test_item, "__unittest_skip__", False)
                if isinstance(inherited, _CheckCondition):
                    current = inherited
                else:
                    current = _CheckCondition()
                    if inherited:
                        current = current.add_condition(lambda: True, "inherited skip")
            test_item.__unittest_skip__ = current.add_condition(condition, reason)
            test_item.__unittest_skip_why__ = _SkipReason()
            return test_item
        if isinstance(test_item, type):
            raise TypeError("%s cannot decorate %r: it is not a TestCase." % (name, test_item))

        @functools.wraps(test_item)
        def skip_wrapper(*args, **kwargs):
            if condition():
                raise unittest.SkipTest(reason)
            return test_item(*args, **kwargs)

        return skip_wrapper

    return decorator


def _feature(name):
    features = get_connection().features
    try:
        return getattr(features, name)
    except AttributeError:
        raise AttributeError(
            "%s has no database feature %r." % (type(features).__name__, name)
        ) from None


def _feature_skip(name, reason_template, skip_when, doc):
    """Build one of the public skip*DBFeature decorator factories.

    ``skip_when`` receives an iterator of the features' truth values and
    says whether to skip.
    """

    def factory(*features):
        return _deferred_skip(
            lambda: skip_when(_feature(feature) for feature in features),
            reason_template % ", ".join(features),
            name,
        )

    factory.__name__ = factory.__qualname__ = name
    factory.__doc__ = doc
    return factory


skipIfDBFeature = _feature_skip(
    "skipIfDBFeature", "Database has feature(s) %s", any,
    "Skip the test (class or method) if the database has any of these features.",
)
skipUnlessDBFeature = _feature_skip(
    "skipUnlessDBFeature", "Database doesn't support feature(s): %s",
    lambda flags: not all(flags),
    "Skip the test (class or method) unless the database has all these features.",
)
skipUnlessAnyDBFeature = _feature_skip(
    "skipUnlessAnyDBFeature", "Database doesn't support any of the feature(s): %s",
    lambda flags: not any(flags),
    "Skip the test unless the database has at least one of these features.",
)
