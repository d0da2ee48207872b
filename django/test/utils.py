"""Helpers for tests: settings overrides, query capture, isolated apps."""
import asyncio
import functools
import sys
import unittest
import warnings
from collections.abc import Sequence
import contextlib
from contextlib import ExitStack, contextmanager
from io import StringIO

from django.apps import apps
from django.conf import UserSettingsHolder, settings
from django.conf.databases import LEGACY_SETTINGS, settle_databases
from django.test.signals import setting_changed
from django.utils.module_loading import import_string

__all__ = [
    "CaptureQueriesContext", "TestContextDecorator", "captured_output",
    "captured_stderr", "captured_stdin", "captured_stdout", "get_runner",
    "ignore_warnings", "isolate_apps", "modify_settings", "override_settings",
    "setup_test_environment", "tag", "teardown_test_environment",
]


# --- test environment ----------------------------------------------------

# DEBUG as it was before setup_test_environment(); empty when not set up.
_debug_before_tests = []


def setup_test_environment(debug=None):
    """Put settings into the state tests expect (DEBUG off unless asked).

    Must be undone with :func:`teardown_test_environment` before it can be
    called again.
    """
    _require_environment(set_up=False, calling="setup_test_environment() was already called "
                         "and can't be called again without first calling "
                         "teardown_test_environment().")
    _debug_before_tests.append(settings.DEBUG)
    settings.DEBUG = bool(debug)
    _use_test_email_backend()


def teardown_test_environment():
    """Restore what :func:`setup_test_environment` changed."""
    _require_environment(set_up=True, calling="teardown_test_environment() called without "
                         "setup_test_environment().")
    settings.DEBUG = _debug_before_tests.pop()
    _restore_email_backend()


# EMAIL_BACKEND as it was before setup_test_environment().
_email_backend_before_tests = []


def _use_test_email_backend():
    """Tests send mail to django.core.mail.outbox (a list), never to a server."""
    from django.core import mail

    _email_backend_before_tests.append(settings.EMAIL_BACKEND)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


def _restore_email_backend():
    from django.core import mail

    settings.EMAIL_BACKEND = _email_backend_before_tests.pop()
    if hasattr(mail, "outbox"):
        del mail.outbox


def _require_environment(set_up, calling):
    if bool(_debug_before_tests) != set_up:
        raise RuntimeError(calling)


def get_runner(settings, test_runner_class=None):
    """The test runner class named by ``test_runner_class`` or TEST_RUNNER."""
    path = test_runner_class or getattr(
        settings, "TEST_RUNNER", "django.test.runner.DiscoverRunner"
    )
    return import_string(path)


def _settings_layer(base, overrides):
    """A settings object showing ``overrides`` over ``base`` (which stays untouched)."""
    layer = UserSettingsHolder(base)
    for name, value in overrides.items():
        setattr(layer, name, value)
    if "DATABASES" in overrides or not LEGACY_SETTINGS.keys().isdisjoint(overrides):
        # Completed (or converted from DATABASE_*) as when settings are read.
        settle_databases(layer, set(overrides))
    return layer


# --- decorators that are also context managers ----------------------------


class TestContextDecorator:
    """Base for helpers usable as a class decorator, function decorator or
    ``with`` block.

    Subclasses implement :meth:`enable` (its return value is what ``with``
    binds, and what is passed to a decorated function as ``kwarg_name`` if
    given) and :meth:`disable`.  Decorating a ``unittest.TestCase`` class
    enables around each test (in setUp, disabled by a cleanup); when
    ``attr_name`` is given the enabled value is set on the test case.
    """

    def __init__(self, attr_name=None, kwarg_name=None):
        self.attr_name, self.kwarg_name = attr_name, kwarg_name

    # The two hooks every concrete helper provides.
    def enable(self):
        raise NotImplementedError("%s must implement enable()" % type(self).__name__)

    def disable(self):
        raise NotImplementedError("%s must implement disable()" % type(self).__name__)

    # Context-manager protocol: ``with helper as value``.
    def __enter__(self):
        return self.enable()

    def __exit__(self, *exc_info):
        self.disable()

    def __call__(self, target):
        if isinstance(target, type):
            return self.decorate_class(target)
        if not callable(target):
            raise TypeError("Cannot decorate object of type %s" % type(target))
        return self.decorate_callable(target)

    def decorate_class(self, cls):
        """Enable around every test of a TestCase class (via its setUp)."""
        if not issubclass(cls, unittest.TestCase):
            raise TypeError("Can only decorate subclasses of unittest.TestCase")
        original_setup = cls.setUp

        def setUp(test):
            self._enable_for(test)
            original_setup(test)

        cls.setUp = setUp
        return cls

    def _enable_for(self, test):
        """Enable for one test, until its cleanups run; expose the value as ``attr_name``.

        The cleanup is registered before the test's own setUp runs, so the
        helper is disabled even when that setUp fails.
        """
        value = self.enable()
        test.addCleanup(self.disable)
        vars(test).update({self.attr_name: value} if self.attr_name else {})

    def _call_kwargs(self, kwargs, enabled):
        return {**kwargs, self.kwarg_name: enabled} if self.kwarg_name else kwargs

    def decorate_callable(self, func):
        """Wrap ``func`` (sync or async) so every call runs inside the helper."""
        if asyncio.iscoroutinefunction(func):
            async def wrapper(*args, **kwargs):
                with self as enabled:
                    return await func(*args, **self._call_kwargs(kwargs, enabled))
        else:
            def wrapper(*args, **kwargs):
                with self as enabled:
                    return func(*args, **self._call_kwargs(kwargs, enabled))
        return functools.wraps(func)(wrapper)


class override_settings(TestContextDecorator):
    """Run code with some settings replaced::

        @override_settings(DEBUG=True)
        def test_debug(self): ...

        with override_settings(TIME_ZONE="UTC"):
            ...

    On a ``django.test.SimpleTestCase`` class the settings are overridden
    for the whole class (from setUpClass to tearDownClass), and nested
    class decorators and subclass decorators combine.  Every changed
    setting sends ``setting_changed`` on enter and on exit.
    """

    # Name of the SimpleTestCase class attribute that accumulates overrides
    # (SimpleTestCase.setUpClass applies them).
    class_storage = "_settings_overrides"

    def __init__(self, **kwargs):
        super().__init__()
        self.options = kwargs

    def enable(self):
        # The registry goes first: a bad INSTALLED_APPS then fails before any
        # setting has changed (set_installed_apps() restores the registry).
        if self._replaces_apps():
            apps.set_installed_apps(self.options["INSTALLED_APPS"])
        self._outer_settings = settings._wrapped
        settings._wrapped = _settings_layer(self._outer_settings, self.options)
        self._announce(entering=True)

    def disable(self):
        settings._wrapped, self._outer_settings = self._outer_settings, None
        if self._replaces_apps():
            apps.unset_installed_apps()
        self._announce(entering=False)

    def _replaces_apps(self):
        # The app registry mirrors INSTALLED_APPS; other settings need no such help.
        return "INSTALLED_APPS" in self.options

    def _announce(self, entering):
        """Send ``setting_changed`` for every overridden name, then raise the first failure.

        Every receiver hears about every setting even if one of them fails,
        so caches elsewhere are never left half-updated.  A failure on entry
        undoes the override before it propagates: the caller's ``with`` body
        never runs, so nothing else would.
        """
        sender = type(settings._wrapped)
        failures = [
            reply
            for name in self.options
            for _receiver, reply in setting_changed.send_robust(
                sender=sender, setting=name, enter=entering,
                value=self.options[name] if entering else getattr(settings, name, None),
            )
            if isinstance(reply, Exception)
        ]
        if not failures:
            return
        if entering:
            # The entry failure is the interesting one; it wins over
            # anything the undoing raises.
            with contextlib.suppress(Exception):
                self.disable()
        raise failures[0]

    def combine(self, inherited):
        """What a class should store given what it inherited (never mutated)."""
        return {**(inherited or {}), **self.options}

    def save_options(self, test_func):
        """Record the overrides on a SimpleTestCase class (merged with inherited ones)."""
        setattr(test_func, self.class_storage, self.combine(getattr(test_func, self.class_storage)))

    def decorate_class(self, cls):
        from django.test.testcases import SimpleTestCase

        if issubclass(cls, SimpleTestCase):
            # Applied once for the whole class by SimpleTestCase.setUpClass.
            self.save_options(cls)
            return cls
        if issubclass(cls, unittest.TestCase):
            return super().decorate_class(cls)
        raise ValueError(
            "Only subclasses of Django SimpleTestCase can be decorated with override_settings"
        )


def _as_list(items):
    return [items] if isinstance(items, str) else list(items)


# How each modify_settings action turns (current list, items) into a new list.
# Appending/prepending skips items already present so nesting is idempotent.
_LIST_ACTIONS = {
    "append": lambda current, items: current + [i for i in items if i not in current],
    "prepend": lambda current, items: [i for i in items if i not in current] + current,
    "remove": lambda current, items: [i for i in current if i not in items],
}


def _checked_actions(setting, actions):
    """``actions`` ({action: items}) if every action is one of _LIST_ACTIONS."""
    unknown = sorted(set(actions) - _LIST_ACTIONS.keys())
    if unknown:
        raise ValueError(
            "Unsupported action(s) %s for setting %s; use 'append', 'prepend' "
            "or 'remove'." % (", ".join(unknown), setting)
        )
    return actions


class modify_settings(override_settings):
    """Change list settings by appending, prepending or removing items::

        @modify_settings(INSTALLED_APPS={"append": "myapp", "remove": ["other"]})

    Each value may be a string or a list of strings.  Operations apply to the
    value in force when the block is entered, so they nest.
    """

    class_storage = "_settings_list_changes"

    def __init__(self, *args, **kwargs):
        # Public form: keyword arguments.  Internal form (used when a test
        # class replays accumulated modifications): one list of pairs.
        if args and kwargs:
            raise TypeError("modify_settings() takes either a list of operations or keywords")
        TestContextDecorator.__init__(self)
        self.operations = [
            (name, _checked_actions(name, actions))
            for name, actions in (args[0] if args else kwargs.items())
        ]

    def combine(self, inherited):
        return list(inherited or []) + self.operations

    def enable(self):
        # Compute the final values now, from whatever is in force at entry.
        resulting = {}
        for name, actions in self.operations:
            if name in resulting:
                current = resulting[name]  # the same setting listed twice
            else:
                current = list(getattr(settings, name, []))
            for action, items in actions.items():
                current = _LIST_ACTIONS[action](current, _as_list(items))
            resulting[name] = current
        self.options = resulting
        super().enable()


# --- query capture ------------------------------------------------------------


def _real_connection(connection):
    """Resolve the ``django.db.connection`` proxy to this thread's wrapper."""
    from django.db import ConnectionProxy, connections

    if isinstance(connection, ConnectionProxy):
        return connections[connection._proxied_alias]
    return connection


class CaptureQueriesContext(Sequence):
    """Record the queries run on ``connection`` inside a ``with`` block::

        with CaptureQueriesContext(connection) as ctx:
            Thing.objects.count()
        ctx.captured_queries  # [{'sql': ..., 'time': ...}]

    It forces the connection's debug cursor on for the block, whatever
    DEBUG says, and behaves as a read-only sequence of the captured queries
    (``len(ctx)``, ``ctx[i]``, iteration).
    """

    def __init__(self, connection):
        self.connection = _real_connection(connection)
        # Window [initial_queries, final_queries) into connection.queries;
        # final_queries stays None while the block is still running.
        self.initial_queries = 0
        self.final_queries = None

    @property
    def captured_queries(self):
        return self.connection.queries[self.initial_queries:self.final_queries]

    # Sequence derives iteration, ``in`` and index() from these two.
    def __getitem__(self, index):
        return self.captured_queries[index]

    def __len__(self):
        stop = self.final_queries
        if stop is None:
            stop = len(self.connection.queries_log)
        return max(stop - self.initial_queries, 0)

    def __enter__(self):
        conn = self.connection
        self._saved_force_debug = conn.force_debug_cursor
        conn.force_debug_cursor = True
        # Connecting may run setup queries; they are not the block's.
        conn.ensure_connection()
        self.initial_queries, self.final_queries = len(conn.queries_log), None
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.connection.force_debug_cursor = self._saved_force_debug
        if exc_type is None:
            self.final_queries = len(self.connection.queries_log)


# --- isolated app registries -------------------------------------------------


class isolate_apps(TestContextDecorator):
    """Give models declared in a test their own app registry.

    ``@isolate_apps('app_label', ...)`` builds ``Apps(app_labels)`` and makes
    it the default registry of new models (``Options.default_apps``) while
    active, so test-only models never reach ``django.apps.apps``.  Use
    ``attr_name='apps'`` on a class or ``kwarg_name='apps'`` on a function to
    receive the registry.
    """

    def __init__(self, *installed_apps, **kwargs):
        super().__init__(**kwargs)
        self.installed_apps = installed_apps
        self._previous = []

    @staticmethod
    def _options_class():
        # Imported late: django.db.models must not load when test utilities do.
        from django.db.models.options import Options

        return Options

    def enable(self):
        from django.apps.registry import Apps

        options = self._options_class()
        self._previous.append(getattr(options, "default_apps", apps))
        options.default_apps = registry = Apps(self.installed_apps)
        return registry

    def disable(self):
        self._options_class().default_apps = self._previous.pop()


# --- output capture, tags, warnings ---------------------------------------------


@contextmanager
def captured_output(stream_name):
    """Replace ``sys.<stream_name>`` with a StringIO for the block and yield it."""
    saved, buffer = getattr(sys, stream_name), StringIO()
    setattr(sys, stream_name, buffer)
    try:
        yield buffer
    finally:
        setattr(sys, stream_name, saved)


def captured_stdout():
    """``with captured_stdout() as out: print('x')`` then ``out.getvalue()``."""
    return captured_output("stdout")


def captured_stderr():
    """Like :func:`captured_stdout`, for ``sys.stderr``."""
    return captured_output("stderr")


def captured_stdin():
    """Write to the yielded StringIO and ``seek(0)`` before the code reads."""
    return captured_output("stdin")


def tag(*tags):
    """Add tags to a test class or method (used by the runner's --tag)."""

    def decorator(obj):
        obj.tags = set(getattr(obj, "tags", ())) | set(tags)
        return obj

    return decorator


class ignore_warnings(TestContextDecorator):
    """Silence matching warnings (``category=``, ``message=``, ``module=``)."""

    def __init__(self, **kwargs):
        super().__init__()
        self.ignore_kwargs = kwargs

    def enable(self):
        self._stack = ExitStack()
        self._stack.enter_context(warnings.catch_warnings())
        # simplefilter() cannot match on message text or module name.
        if {"message", "module"} & self.ignore_kwargs.keys():
            warnings.filterwarnings("ignore", **self.ignore_kwargs)
        else:
            warnings.simplefilter("ignore", **self.ignore_kwargs)

    def disable(self):
        self._stack.close()


# --- test databases as functions (what pytest-django calls) -----------------

def setup_databases(verbosity, interactive, *, time_keeper=None, keepdb=False,
                    debug_sql=False, parallel=0, aliases=None, serialized_aliases=None,
                    **kwargs):
    """
    Create the test databases of ``aliases`` (every alias of DATABASES when
    None; an alias with TEST MIRROR brings its target along) and return the
    ``old_config`` that teardown_databases() takes. ``keepdb`` reuses and
    keeps them. ``time_keeper``, ``debug_sql`` and ``serialized_aliases``
    are accepted for signature compatibility; serialization is not
    available, and parallel test databases (``parallel`` > 1) are refused.
    """
    from django.test.databases import set_up_test_databases

    if parallel and parallel > 1:
        raise NotImplementedError(
            "setup_databases(parallel=%r): parallel test databases are not supported; "
            "use parallel=0." % (parallel,)
        )
    return set_up_test_databases(
        verbosity=verbosity, interactive=interactive, keepdb=keepdb,
        aliases=None if aliases is None else list(aliases),
    )


def teardown_databases(old_config, verbosity, parallel=0, keepdb=False):
    """Destroy the test databases setup_databases() made (``keepdb`` keeps
    them) and give every alias its configured NAME back."""
    from django.test.databases import tear_down_test_databases

    tear_down_test_databases(old_config, verbosity=verbosity, keepdb=keepdb)


__all__ += ["setup_databases", "teardown_databases"]
