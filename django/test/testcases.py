"""The test case classes: SimpleTestCase, TransactionTestCase, TestCase.

* :class:`SimpleTestCase` is for tests that never touch the database; a
  query inside it fails with :class:`DatabaseOperationForbidden`.
* :class:`TransactionTestCase` lets tests commit; after each test every
  table of the installed models is emptied (``flush``).
* :class:`TestCase` wraps the class in a transaction and every test in a
  savepoint that is rolled back, which is much faster, and adds
  ``setUpTestData()`` for data shared by the class's tests.

Several databases: a class declares the aliases its tests use in
``databases`` (a set, or ``'__all__'``; ``multi_db = True`` is the older
spelling of ``'__all__'``). The per-test work (transactions, flushes,
fixtures) happens on each of them, in settings order, and every other alias
is refused for the lifetime of the class (django.db.backends.refusals), in
every thread, so a test cannot lean on a database it did not declare.

A TEST MIRROR alias has no test database of its own: when the class
declares it with its target it uses the target's connection (the test's
transaction included) and no per-test work happens on it; declared alone,
it is prepared like any other alias. The guard judges the alias a query
names: a class that declares only the target is refused the mirror, as
any undeclared alias.
"""
import collections
import contextlib
import copy
import functools
import re
import sys
import unittest

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends import refusals
from django.test.signals import setting_changed
from django.test.utils import CaptureQueriesContext, modify_settings, override_settings

__all__ = [
    "DatabaseOperationForbidden", "SimpleTestCase", "TransactionTestCase", "TestCase",
    "skipIfDBFeature", "skipUnlessDBFeature", "skipUnlessAnyDBFeature",
]


class DatabaseOperationForbidden(AssertionError):
    """A test touched a database its class did not declare in ``databases``."""


_MISSING = object()

# The value of ``databases`` that means every configured alias.
ALL_DATABASES = "__all__"


class _QueryCountAssertion(CaptureQueriesContext):
    """Captures like its base, then asserts the count when the block ends."""

    def __init__(self, test_case, expected, connection):
        super().__init__(connection)
        self.test_case, self.expected = test_case, expected

    def __exit__(self, exc_type, exc_value, traceback):
        super().__exit__(exc_type, exc_value, traceback)
        # An exception inside the block is the real failure; let it through.
        if exc_type is None:
            self._compare()

    def _compare(self):
        executed = len(self)
        listing = "\n".join(
            "%d. %s" % (number, query["sql"])
            for number, query in enumerate(self.captured_queries, start=1)
        )
        self.test_case.assertEqual(
            executed, self.expected,
            "%d queries executed, %d expected\nCaptured queries were:\n%s"
            % (executed, self.expected, listing),
        )


def _with_or_call(context, func, args, kwargs):
    """The helper behind assertions usable both ways.

    Without ``func`` the context manager is returned for a ``with`` block;
    with it, ``func(*args, **kwargs)`` runs inside the context.
    """
    if func is None:
        return context
    with context:
        func(*args, **kwargs)


class SimpleTestCase(unittest.TestCase):
    """A unittest.TestCase with Django's assertions and settings helpers.

    Database queries are forbidden unless the class declares the aliases
    it uses in ``databases`` (``allow_database_queries = True`` is an older
    spelling of ``databases = '__all__'``).
    """

    # The database aliases the tests may use: a set, or '__all__'.
    databases = set()
    allow_database_queries = False
    # What class-level @override_settings / @modify_settings recorded.
    _settings_overrides = None
    _settings_list_changes = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Class-level @override_settings/@modify_settings only recorded what
        # to change; apply it for the lifetime of the class. DATABASES may
        # be among them, so the aliases are resolved afterwards.
        for context in cls._class_settings_contexts():
            context.enable()
            cls.addClassCleanup(context.disable)
        cls._usable_aliases = _declared_aliases(cls)
        cls.addClassCleanup(delattr, cls, "_usable_aliases")
        cls.addClassCleanup(_refuse_undeclared(cls, cls._usable_aliases))
        cls.addClassCleanup(_share_mirror_connections(cls._usable_aliases))

    @classmethod
    def _aliases_in_use(cls):
        """The declared aliases, in settings order (resolved at class setup)."""
        resolved = vars(cls).get("_usable_aliases")
        return _declared_aliases(cls) if resolved is None else resolved

    @classmethod
    def _databases_to_prepare(cls):
        """The declared aliases with a connection of their own, in settings
        order: the ones transactions, flushes and fixtures act on. A TEST
        MIRROR alias declared with its target is left out: it uses the
        target's connection (see _share_mirror_connections())."""
        declared = cls._aliases_in_use()
        return tuple(
            alias for alias in declared if _declared_mirror_target(alias, declared) is None
        )

    @classmethod
    def _class_settings_contexts(cls):
        if cls._settings_overrides:
            yield override_settings(**cls._settings_overrides)
        if cls._settings_list_changes:
            yield modify_settings(cls._settings_list_changes)

    # The framework's per-test work (_pre_setup, _post_teardown) runs
    # around unittest's own run of the test, before setUp() and after the
    # cleanups, so subclasses need not call super() for it to happen, and
    # a test result's start/stop (and the SQL it records) frame only the
    # test.  A skipped test gets neither.
    def __call__(self, result=None):
        if self._skipped():
            return super().__call__(result)
        report = result if result is not None else self.defaultTestResult()
        if self._framework_step(self._pre_setup, report):
            super().__call__(result)
            self._framework_step(self._post_teardown, report)

    def debug(self):
        """Run the test without collecting errors in a TestResult (they propagate)."""
        if self._skipped():
            return super().debug()
        self._pre_setup()
        super().debug()
        self._post_teardown()

    def _skipped(self):
        test_method = getattr(self, self._testMethodName)
        return any(getattr(target, "__unittest_skip__", False) for target in (type(self), test_method))

    def _framework_step(self, step, result):
        """Run ``step``; a failure is reported as the test's error. True if it succeeded."""
        try:
            step()
        except Exception:
            result.addError(self, sys.exc_info())
            return False
        return True

    def _pre_setup(self):
        """Per-test framework setup, before setUp(): each test starts with an
        empty django.core.mail.outbox (when the test environment made one)."""
        from django.core import mail

        if hasattr(mail, "outbox"):
            mail.outbox = []

    def _post_teardown(self):
        """Per-test framework cleanup, after tearDown()."""

    def settings(self, **kwargs):
        """``with self.settings(DEBUG=True):`` overrides settings for a block."""
        return override_settings(**kwargs)

    def modify_settings(self, **kwargs):
        """``with self.modify_settings(INSTALLED_APPS={'append': ...}):``."""
        return modify_settings(**kwargs)

    # str(exception) containing a text is a search for that text, escaped.
    def assertRaisesMessage(self, expected_exception, expected_message, *args, **kwargs):
        """Like assertRaises, and the exception's str() contains ``expected_message``.

        Usable as ``with self.assertRaisesMessage(E, 'msg'):`` or with a
        callable and its arguments.
        """
        return self.assertRaisesRegex(
            expected_exception, re.escape(expected_message), *args, **kwargs
        )

    def assertWarnsMessage(self, expected_warning, expected_message, *args, **kwargs):
        """Like assertWarns, and the warning's text contains ``expected_message``."""
        return self.assertWarnsRegex(expected_warning, re.escape(expected_message), *args, **kwargs)


class TransactionTestCase(SimpleTestCase):
    """Tests that may commit; tables are emptied after each test.

    Class attributes:

    ``fixtures``
        Fixture names loaded (``loaddata --database``) into each declared
        database before each test.
    ``reset_sequences``
        Reset the primary-key sequences of the installed models before each
        test, so ids start at 1.
    ``available_apps``
        Restrict the app registry (and what is flushed) to these apps during
        the test, and send them post_migrate on each declared database
        before it; None means every installed app.
    """

    # Tests of this kind exist precisely to touch the database: 'default'
    # unless the class says otherwise (multi_db = True is 1.2's '__all__').
    databases = {DEFAULT_DB_ALIAS}
    multi_db = False
    # Per-class knobs, documented above.
    fixtures = None
    reset_sequences = False
    available_apps = None
    # Accepted for compatibility; nothing is serialized in this framework.
    serialized_rollback = False

    def _pre_setup(self):
        super()._pre_setup()
        # What _post_teardown() undoes besides emptying the tables; the
        # undo happens here instead if the setup fails half-way.
        with contextlib.ExitStack() as undo:
            if self.available_apps is not None:
                _restrict_apps(self.available_apps)
                undo.callback(_unrestrict_apps)
                # Their flush sends no post_migrate (other apps' rows may
                # be gone): the available apps get it now, per database.
                for alias in self._databases_to_prepare():
                    _emit_post_migrate(alias)
            self._fixture_setup()
            self._undo_after_test = undo.pop_all()

    def _fixture_setup(self):
        for alias in self._databases_to_prepare():
            if self.reset_sequences:
                _restart_sequences(alias)
            if self.fixtures:
                _load_fixtures(self.fixtures, alias)

    def _post_teardown(self):
        # The full registry comes back even when emptying tables failed.
        with self.__dict__.pop("_undo_after_test", contextlib.ExitStack()):
            self._fixture_teardown()
        super()._post_teardown()

    def _fixture_teardown(self):
        for alias in self._databases_to_prepare():
            flush_database(
                reset_sequences=False, available_apps=self.available_apps, using=alias
            )

    def assertNumQueries(self, num, func=None, *args, using=DEFAULT_DB_ALIAS, **kwargs):
        """Assert ``func(*args, **kwargs)`` (or the ``with`` block) runs ``num``
        queries on the database ``using``."""
        counter = _QueryCountAssertion(self, num, connections[using])
        return _with_or_call(counter, func, args, kwargs)

    def assertQuerySetEqual(self, qs, values, transform=None, ordered=True, msg=None):
        """Compare a queryset (or any iterable) with a list of values.

        ``transform`` is applied to each item first.  With ``ordered=False``
        the comparison ignores order (but not repeats).  Comparing an
        unordered queryset with more than one value and ``ordered=True``
        raises ValueError, because the result order would be arbitrary.
        """
        expected = list(values)
        actual = [transform(item) for item in qs] if transform else list(qs)
        if not ordered:
            return self.assertEqual(
                collections.Counter(actual), collections.Counter(expected), msg=msg
            )
        if len(expected) > 1 and getattr(qs, "ordered", True) is False:
            raise ValueError(
                "Trying to compare non-ordered queryset against more than one ordered value."
            )
        return self.assertEqual(actual, expected, msg=msg)

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


class _RolledBackBlock:
    """A transaction block on one database that always ends in a rollback.

    TestCase opens one per database around the whole class (its
    setUpTestData() data) and one per database inside it around each test.
    Marked as the test framework's, so a ``durable=True`` block inside a
    test still counts as outermost.
    """

    def __init__(self, alias):
        self.alias = alias
        self.atomic = transaction.Atomic(
            using=alias, savepoint=True, durable=False, _opened_by_test_case=True
        )
        self.atomic.__enter__()

    def discard(self):
        transaction.set_rollback(True, using=self.alias)
        self.atomic.__exit__(None, None, None)


class _RolledBackBlocks:
    """One _RolledBackBlock on each of a test's databases, opened in order
    and discarded in reverse; every block is discarded even if one fails."""

    def __init__(self, aliases):
        self.blocks = []
        try:
            for alias in aliases:
                self.blocks.append(_RolledBackBlock(alias))
        except BaseException:
            self.discard()
            raise

    def discard(self, before_each=None):
        with contextlib.ExitStack() as discarding:
            # ExitStack unwinds last in, first out: the last opened goes first.
            for block in self.blocks:
                discarding.callback(block.discard)
                if before_each is not None:
                    discarding.callback(before_each, block.alias)
            self.blocks = []


class TestCase(TransactionTestCase):
    """Each test runs in a transaction that is rolled back at its end.

    The whole class runs inside an outer transaction too, so data created by
    ``setUpTestData()`` (a classmethod) is created once and seen by every
    test, each of which starts from it unchanged.  On a database without
    transactions this behaves like TransactionTestCase.
    """

    @classmethod
    def _rolls_back(cls):
        """Whether tests are isolated by rollbacks (else by flushing, as
        TransactionTestCase): only if every declared database has transactions."""
        return all(
            connections[alias].features.supports_transactions
            for alias in cls._databases_to_prepare()
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls._rolls_back():
            cls._build_class_data()

    @classmethod
    def _build_class_data(cls):
        """Open the class transactions and run fixtures + setUpTestData() in them."""
        aliases = cls._databases_to_prepare()
        block = _RolledBackBlocks(aliases)
        before = dict(vars(cls))
        try:
            if cls.fixtures:
                for alias in aliases:
                    _load_fixtures(cls.fixtures, alias)
            cls.setUpTestData()
        except Exception:
            block.discard()
            raise
        # Whatever setUpTestData() set or replaced becomes per-test copies.
        for name, value in list(vars(cls).items()):
            if before.get(name, _MISSING) is not value:
                setattr(cls, name, TestData(name, value))
        cls._class_block = block

    @classmethod
    def tearDownClass(cls):
        # End the class transaction here rather than in a class cleanup:
        # code a subclass runs after super().tearDownClass() (dropping a
        # table, say) must not be rolled back along with the test data.
        # Only undo what setUpClass actually opened for this very class.
        block = vars(cls).get("_class_block")
        if block is not None:
            del cls._class_block
            block.discard()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        """Create data shared by all tests of the class (runs once)."""

    def _fixture_setup(self):
        if not self._rolls_back():
            # Tests are isolated by flushing: setUpTestData() data must be
            # recreated for every test, like the fixtures.
            self.setUpTestData()
            super()._fixture_setup()
        elif self.reset_sequences:
            raise TypeError("reset_sequences cannot be used on TestCase instances")
        else:
            self._test_block = _RolledBackBlocks(self._databases_to_prepare())

    def _fixture_teardown(self):
        block = self.__dict__.pop("_test_block", None)
        if block is None:
            return super()._fixture_teardown()
        # A test of several databases may legitimately hold rows whose
        # foreign key names a row on another database (where the routers
        # allow the relation), as under 1.2, whose TestCase rolled back
        # without checking: only a single-database test is checked.
        single = len(self._databases_to_prepare()) == 1
        block.discard(before_each=_check_deferred_constraints if single else None)

    @classmethod
    @contextlib.contextmanager
    def captureOnCommitCallbacks(cls, *, using=DEFAULT_DB_ALIAS, execute=False):
        """Collect the ``transaction.on_commit()`` callbacks registered in the
        block on the database ``using``.

        Yields a list that is filled when the block ends; with
        ``execute=True`` the callbacks are also run then (including any
        they register in turn).
        """
        callbacks = []
        connection = connections[using]
        position = len(connection.run_on_commit)
        try:
            yield callbacks
        finally:
            # The list is read afresh at every step: a rolled back savepoint
            # replaces it (without its callbacks), and a callback run here
            # may register more, which this walk then reaches too.
            while position < len(connection.run_on_commit):
                callback = connection.run_on_commit[position][1]
                position += 1
                callbacks.append(callback)
                if execute:
                    callback()


# --- helpers shared by the test cases ------------------------------------------


def _class_label(test_class):
    return "%s.%s" % (test_class.__module__, test_class.__qualname__)


def _declaration(test_class):
    """What ``test_class`` says about its databases: a collection of aliases or
    '__all__'. The most derived class that sets ``databases``, ``multi_db``
    or ``allow_database_queries`` decides (in that order within one class)."""
    for klass in test_class.__mro__:
        attributes = vars(klass)
        if "databases" in attributes:
            return attributes["databases"]
        if "multi_db" in attributes:
            return ALL_DATABASES if attributes["multi_db"] else {DEFAULT_DB_ALIAS}
        if "allow_database_queries" in attributes:
            return ALL_DATABASES if attributes["allow_database_queries"] else set()
    return set()


def _declared_aliases(test_class):
    """The aliases ``test_class`` may use, as a tuple in settings order.

    Bad input is an ImproperlyConfigured naming the class: a ``databases``
    that is neither '__all__' nor a collection of aliases, or an alias that
    settings.DATABASES does not define.
    """
    declared = _declaration(test_class)
    configured = list(connections)
    if declared == ALL_DATABASES:
        return tuple(configured)
    if isinstance(declared, (str, bytes)) or not isinstance(
        declared, (set, frozenset, list, tuple)
    ):
        raise ImproperlyConfigured(
            "%s.databases must be a set of database aliases or '__all__', not %r."
            % (_class_label(test_class), declared)
        )
    unknown = [alias for alias in declared if alias not in configured]
    if unknown:
        raise ImproperlyConfigured(
            "%s.databases names %s, which settings.DATABASES does not define "
            "(configured aliases: %s)."
            % (
                _class_label(test_class),
                ", ".join(sorted(repr(alias) for alias in unknown)),
                ", ".join(repr(alias) for alias in configured),
            )
        )
    return tuple(alias for alias in configured if alias in declared)


def _refusal_message(test_class, alias):
    # Django's wording, word for word: tests assert on it. The class is
    # named where the fix goes (its ``databases``).
    label = _class_label(test_class)
    if not issubclass(test_class, TransactionTestCase):
        return (
            "Database queries to %r are not allowed in SimpleTestCase subclasses. "
            "Either subclass TestCase or TransactionTestCase to ensure proper test "
            "isolation or add %r to %s.databases to silence this failure."
            % (alias, alias, label)
        )
    return (
        "Database queries to %r are not allowed in this test. Add %r to "
        "%s.databases to ensure proper test isolation and silence this failure."
        % (alias, alias, label)
    )


def _refuse_undeclared(test_class, declared):
    """Refuse every configured alias ``test_class`` did not declare, in every
    thread; return the function that lifts exactly these refusals (an
    enclosing test class's stay in force)."""
    handles = [
        refusals.refuse(
            alias, connections[alias].settings_dict, DatabaseOperationForbidden,
            _refusal_message(test_class, alias),
        )
        for alias in connections
        if alias not in declared
    ]

    def lift_all():
        for handle in handles:
            refusals.lift(handle)

    return lift_all


def _declared_mirror_target(alias, declared):
    """The alias whose test database ``alias`` mirrors (TEST MIRROR), if
    ``declared`` names it too; else None."""
    databases = connections.databases
    if databases[alias]["TEST"]["MIRROR"] is None:
        return None
    from django.test.databases import mirror_target

    target = mirror_target(databases, alias)
    return target if target in declared else None


def _share_mirror_connections(declared):
    """
    In this thread, a declared TEST MIRROR alias whose target is declared
    too is given the target's wrapper, so it reads and writes through the
    target's connection: inside the test's transaction it sees what was
    written on the target and not yet committed. Other mirrors keep their
    own wrapper (a mirror declared alone gets its own transaction, flush
    and fixtures; an undeclared one is refused by its own name). Returns
    the function that gives each mirror its own wrapper back, unless the
    settings were reread meanwhile (the shared wrapper is gone then).
    """
    shared = []
    for alias in declared:
        target = _declared_mirror_target(alias, declared)
        if target is not None:
            shared.append((alias, connections[alias], connections[target]))
            connections[alias] = connections[target]

    def unshare():
        for alias, own, target_wrapper in reversed(shared):
            if connections[alias] is target_wrapper:
                connections[alias] = own

    return unshare


def _restrict_apps(available_apps):
    apps.set_available_apps(available_apps)
    _installed_apps_changed(available_apps, enter=True)


def _unrestrict_apps():
    apps.unset_available_apps()
    _installed_apps_changed(settings.INSTALLED_APPS, enter=False)


def _installed_apps_changed(value, enter):
    """Tell caches (e.g. the command list) that the set of apps changed."""
    setting_changed.send(
        sender=settings._wrapped.__class__, setting="INSTALLED_APPS", value=value, enter=enter
    )


def _restart_sequences(alias):
    """Restart every model's primary key sequence on ``alias`` (ids start at 1 again)."""
    connection = connections[alias]
    statements = connection.features.supports_sequence_reset and (
        connection.ops.sequence_reset_by_name_sql(
            _no_style(), connection.introspection.sequence_list()
        )
    )
    if statements:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _check_deferred_constraints(alias):
    connection = connections[alias]
    # Deferred constraints would only be checked at commit, which never
    # comes for a test's transaction; check them explicitly so such bugs
    # still show (unless the test already broke the transaction).
    if (getattr(connection.features, "can_defer_constraint_checks", False)
            and not connection.needs_rollback and connection.is_usable()):
        connection.check_constraints()


def _no_style():
    from django.core.management.color import no_style

    return no_style()


def _load_fixtures(fixtures, alias):
    """loaddata ``fixtures`` into the database ``alias`` (the routers
    decide, there as for any loaddata, which objects belong on it)."""
    from django.core.management import call_command, get_commands

    if "loaddata" not in get_commands():
        raise ImproperlyConfigured(
            "This test case declares fixtures %r but there is no 'loaddata' "
            "management command to load them." % (list(fixtures),)
        )
    call_command("loaddata", *fixtures, verbosity=0, database=alias)


def _emit_post_migrate(alias):
    """post_migrate (post_syncdb) for the apps of the registry in force,
    on the database ``alias``, as syncdb sends it."""
    from django.core.management.sql import emit_post_migrate_signal

    emit_post_migrate_signal(verbosity=0, interactive=False, using=alias)


def flush_database(reset_sequences=False, available_apps=None, using=DEFAULT_DB_ALIAS):
    """Empty the tables of the installed models in the test database ``using``.

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
            allow_cascade=restricted, inhibit_post_migrate=restricted, database=using,
        )
        return
    connection = connections[using]
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
    features = connections[DEFAULT_DB_ALIAS].features
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
