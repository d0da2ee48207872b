"""Helpers for tests: settings overrides, query capture, isolated apps."""
import asyncio
import functools
import sys
import warnings
from contextlib import contextmanager
from io import StringIO
from unittest import TestCase as _UnittestTestCase

from django.apps import apps
from django.conf import UserSettingsHolder, settings
from django.test.signals import setting_changed
from django.utils.module_loading import import_string

__all__ = [
    "CaptureQueriesContext", "TestContextDecorator", "captured_output",
    "captured_stderr", "captured_stdin", "captured_stdout", "get_runner",
    "ignore_warnings", "isolate_apps", "modify_settings", "override_settings",
    "setup_test_environment", "tag", "teardown_test_environment",
]


# --- test environment ----------------------------------------------------

_TEST_ENVIRONMENT = {}


def setup_test_environment(debug=None):
    """Put settings into the state tests expect (DEBUG off unless asked).

    Must be undone with :func:`teardown_test_environment` before it can be
    called again.
    """
    if _TEST_ENVIRONMENT:
        raise RuntimeError(
            "setup_test_environment() was already called and can't be called "
            "again without first calling teardown_test_environment()."
        )
    _TEST_ENVIRONMENT["DEBUG"] = settings.DEBUG
    settings.DEBUG = bool(debug)


def teardown_test_environment():
    """Restore what :func:`setup_test_environment` changed."""
    if not _TEST_ENVIRONMENT:
        raise RuntimeError("teardown_test_environment() called without setup_test_environment().")
    settings.DEBUG = _TEST_ENVIRONMENT.pop("DEBUG")
    _TEST_ENVIRONMENT.clear()


def get_runner(settings, test_runner_class=None):
    """The test runner class named by ``test_runner_class`` or TEST_RUNNER."""
    path = test_runner_class or getattr(
        settings, "TEST_RUNNER", "django.test.runner.DiscoverRunner"
    )
    return import_string(path)


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
        self.attr_name = attr_name
        self.kwarg_name = kwarg_name

    def enable(self):
        raise NotImplementedError

    def disable(self):
        raise NotImplementedError

    def __enter__(self):
        return self.enable()

    def __exit__(self, exc_type, exc_value, traceback):
        self.disable()

    def decorate_class(self, cls):
        if not issubclass(cls, _UnittestTestCase):
            raise TypeError("Can only decorate subclasses of unittest.TestCase")
        decorated_setUp = cls.setUp
        context = self

        def setUp(inner_self):
            value = context.enable()
            inner_self.addCleanup(context.disable)
            if context.attr_name:
                setattr(inner_self, context.attr_name, value)
            decorated_setUp(inner_self)

        cls.setUp = setUp
        return cls

    def decorate_callable(self, func):
        if asyncio.iscoroutinefunction(func):
            @functools.wraps(func)
            async def async_inner(*args, **kwargs):
                with self as value:
                    if self.kwarg_name:
                        kwargs[self.kwarg_name] = value
                    return await func(*args, **kwargs)

            return async_inner

        @functools.wraps(func)
        def inner(*args, **kwargs):
            with self as value:
                if self.kwarg_name:
                    kwargs[self.kwarg_name] = value
                return func(*args, **kwargs)

        return inner

    def __call__(self, decorated):
        if isinstance(decorated, type):
            return self.decorate_class(decorated)
        if callable(decorated):
            return self.decorate_callable(decorated)
        raise TypeError("Cannot decorate object of type %s" % type(decorated))


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

    enable_exception = None

    def __init__(self, **kwargs):
        self.options = kwargs
        super().__init__()

    def enable(self):
        if "INSTALLED_APPS" in self.options:
            try:
                apps.set_installed_apps(self.options["INSTALLED_APPS"])
            except Exception:
                apps.unset_installed_apps()
                raise
        override = UserSettingsHolder(settings._wrapped)
        for key, value in self.options.items():
            setattr(override, key, value)
        self.wrapped = settings._wrapped
        settings._wrapped = override
        for key, value in self.options.items():
            try:
                setting_changed.send(
                    sender=settings._wrapped.__class__, setting=key, value=value, enter=True
                )
            except Exception as exc:  # noqa: BLE001 - undo first, then report
                self.enable_exception = exc
                self.disable()

    def disable(self):
        if "INSTALLED_APPS" in self.options:
            apps.unset_installed_apps()
        settings._wrapped = self.wrapped
        del self.wrapped
        responses = []
        for key in self.options:
            new_value = getattr(settings, key, None)
            responses.extend(
                setting_changed.send_robust(
                    sender=settings._wrapped.__class__, setting=key,
                    value=new_value, enter=False,
                )
            )
        if self.enable_exception is not None:
            exc = self.enable_exception
            self.enable_exception = None
            raise exc
        for _, response in responses:
            if isinstance(response, Exception):
                raise response

    def save_options(self, test_func):
        """Record the overrides on a SimpleTestCase class (merged with inherited ones)."""
        if test_func._overridden_settings is None:
            test_func._overridden_settings = self.options
        else:
            test_func._overridden_settings = {**test_func._overridden_settings, **self.options}

    def decorate_class(self, cls):
        from django.test.testcases import SimpleTestCase

        if issubclass(cls, _UnittestTestCase) and issubclass(cls, SimpleTestCase):
            self.save_options(cls)
            return cls
        if issubclass(cls, _UnittestTestCase):
            return super().decorate_class(cls)
        raise ValueError(
            "Only subclasses of Django SimpleTestCase can be decorated with override_settings"
        )


class modify_settings(override_settings):
    """Change list settings by appending, prepending or removing items::

        @modify_settings(INSTALLED_APPS={"append": "myapp", "remove": ["other"]})

    Each value may be a string or a list of strings.  Operations apply to the
    value in force when the block is entered, so they nest.
    """

    def __init__(self, *args, **kwargs):
        if args:
            # Internal form: a list of (setting, operations) pairs.
            assert not kwargs
            self.operations = args[0]
        else:
            assert not args
            self.operations = list(kwargs.items())
        for name, operations in self.operations:
            unknown = set(operations) - {"append", "prepend", "remove"}
            if unknown:
                raise ValueError(
                    "Unsupported action(s) %s for setting %s; use 'append', 'prepend' "
                    "or 'remove'." % (", ".join(sorted(unknown)), name)
                )
        super(override_settings, self).__init__()

    def save_options(self, test_func):
        if test_func._modified_settings is None:
            test_func._modified_settings = self.operations
        else:
            test_func._modified_settings = list(test_func._modified_settings) + self.operations

    def enable(self):
        self.options = {}
        for name, operations in self.operations:
            try:
                # Nesting: a setting already modified by an outer block.
                value = self.options[name]
            except KeyError:
                value = list(getattr(settings, name, []))
            for action, items in operations.items():
                if isinstance(items, str):
                    items = [items]
                if action == "append":
                    value = value + [item for item in items if item not in value]
                elif action == "prepend":
                    value = [item for item in items if item not in value] + value
                else:
                    value = [item for item in value if item not in items]
            self.options[name] = value
        super().enable()


# --- query capture ------------------------------------------------------------


def _real_connection(connection):
    """Resolve the ``django.db.connection`` proxy to this thread's wrapper."""
    from django.db import ConnectionProxy, get_connection

    if isinstance(connection, ConnectionProxy):
        return get_connection()
    return connection


class CaptureQueriesContext:
    """Record the queries run on ``connection`` inside a ``with`` block::

        with CaptureQueriesContext(connection) as ctx:
            Thing.objects.count()
        ctx.captured_queries  # [{'sql': ..., 'time': ...}]

    It forces the connection's debug cursor on for the block, whatever
    DEBUG says, and supports ``len(ctx)``, ``ctx[i]`` and iteration.
    """

    def __init__(self, connection):
        self.connection = _real_connection(connection)
        self.initial_queries = 0
        self.final_queries = None

    def __iter__(self):
        return iter(self.captured_queries)

    def __getitem__(self, index):
        return self.captured_queries[index]

    def __len__(self):
        return len(self.captured_queries)

    @property
    def captured_queries(self):
        end = self.final_queries
        return self.connection.queries[self.initial_queries:end]

    def __enter__(self):
        self.force_debug_cursor = self.connection.force_debug_cursor
        self.connection.force_debug_cursor = True
        # Connecting may run setup queries; they are not the block's.
        self.connection.ensure_connection()
        self.initial_queries = len(self.connection.queries_log)
        self.final_queries = None
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.connection.force_debug_cursor = self.force_debug_cursor
        if exc_type is not None:
            return
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
        self.installed_apps = installed_apps
        super().__init__(**kwargs)

    def enable(self):
        from django.apps.registry import Apps
        from django.db.models.options import Options

        self.old_apps = getattr(Options, "default_apps", apps)
        isolated = Apps(self.installed_apps)
        Options.default_apps = isolated
        return isolated

    def disable(self):
        from django.db.models.options import Options

        Options.default_apps = self.old_apps


# --- output capture, tags, warnings ---------------------------------------------


@contextmanager
def captured_output(stream_name):
    """Replace ``sys.<stream_name>`` with a StringIO for the block and yield it."""
    original = getattr(sys, stream_name)
    setattr(sys, stream_name, StringIO())
    try:
        yield getattr(sys, stream_name)
    finally:
        setattr(sys, stream_name, original)


def captured_stdout():
    """``with captured_stdout() as out: print('x')`` then ``out.getvalue()``."""
    return captured_output("stdout")


def captured_stderr():
    return captured_output("stderr")


def captured_stdin():
    """Write to the yielded StringIO and ``seek(0)`` before the code reads."""
    return captured_output("stdin")


def tag(*tags):
    """Add tags to a test class or method (used by the runner's --tag)."""

    def decorator(obj):
        existing = set(getattr(obj, "tags", set()))
        obj.tags = existing.union(tags)
        return obj

    return decorator


class ignore_warnings(TestContextDecorator):
    """Silence matching warnings (``category=``, ``message=``, ``module=``)."""

    def __init__(self, **kwargs):
        self.ignore_kwargs = kwargs
        if "message" in kwargs or "module" in kwargs:
            self.filter_func = warnings.filterwarnings
        else:
            self.filter_func = warnings.simplefilter
        super().__init__()

    def enable(self):
        self.catch_warnings = warnings.catch_warnings()
        self.catch_warnings.__enter__()
        self.filter_func("ignore", **self.ignore_kwargs)

    def disable(self):
        self.catch_warnings.__exit__(*sys.exc_info())

