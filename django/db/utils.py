"""
Database error classes, the error-translating context manager, backend
loading and the single-database settings dictionary.

The baseline is single-database: the settings are ``DATABASE_ENGINE``,
``DATABASE_NAME``, ... and :func:`database_settings` turns them into the
dictionary a ``DatabaseWrapper`` takes.
"""
import functools
import pkgutil
from importlib import import_module


# The PEP 249 exception hierarchy, re-declared here so that user code can
# catch database errors without knowing which driver is underneath;
# DatabaseErrorWrapper maps each driver exception onto its namesake.
class Error(Exception):
    """Base of every database error."""


class InterfaceError(Error):
    """The driver interface itself failed (not the database)."""


class DatabaseError(Error):
    """Base of errors reported by the database."""


class DataError(DatabaseError):
    """A value was invalid for its column (too long, out of range...)."""


class OperationalError(DatabaseError):
    """The database could not operate: connection lost, locks, etc."""


class IntegrityError(DatabaseError):
    """A constraint (unique, foreign key, not null, check) was violated."""


class InternalError(DatabaseError):
    """The database reported an internal inconsistency."""


class ProgrammingError(DatabaseError):
    """The SQL was wrong: syntax, unknown table or column..."""


class NotSupportedError(DatabaseError):
    """The database (or this backend) does not offer the feature used."""


# Most specific first: the first class the driver's exception is an instance
# of wins.
_ERROR_NAMES = (
    "DataError",
    "OperationalError",
    "IntegrityError",
    "InternalError",
    "ProgrammingError",
    "NotSupportedError",
    "DatabaseError",
    "InterfaceError",
    "Error",
)


class DatabaseErrorWrapper:
    """
    Context manager (and decorator) that re-raises the driver's PEP 249
    exceptions as the same-named classes of this module. The driver's
    exception is kept as ``__cause__`` and its message is preserved.
    """

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def __enter__(self):
        return None

    def _our_class(self, exc_type):
        """The class of this module matching ``exc_type``'s driver class."""
        driver = self.wrapper.Database
        for name in _ERROR_NAMES:
            driver_cls = getattr(driver, name, None)
            if driver_cls is not None and issubclass(exc_type, driver_cls):
                return globals()[name]
        return None

    def __exit__(self, exc_type, exc_value, traceback):
        our_cls = None if exc_type is None else self._our_class(exc_type)
        if our_cls is not None:
            # Drivers disagree on some classes (SQLite reports bad SQL as an
            # OperationalError); the backend may refine the choice.
            refine = getattr(self.wrapper, "refine_error_class", None)
            if refine is not None:
                our_cls = refine(our_cls, exc_value)
            our_value = our_cls(*exc_value.args)
            # Any database error other than a data/integrity problem may mean
            # the connection is broken; remember it so that
            # close_if_unusable_or_obsolete() checks it.
            if our_cls not in (DataError, IntegrityError):
                self.wrapper.errors_occurred = True
            # An error inside an atomic block leaves the transaction in an
            # unknown state: mark it for rollback (the Atomic exit or a
            # savepoint rollback clears this).
            if self.wrapper.in_atomic_block:
                self.wrapper.needs_rollback = True
                self.wrapper.rollback_exc = our_value
            raise our_value.with_traceback(traceback) from exc_value
        return None

    def __call__(self, func):
        # Also usable as a decorator, e.g. around a cursor's fetch methods.
        @functools.wraps(func)
        def translated(*args, **kwargs):
            with self:
                return func(*args, **kwargs)

        return translated


# Short engine names accepted in DATABASE_ENGINE.
BUILTIN_BACKENDS = {
    "sqlite3": "django.db.backends.sqlite3",
    "postgresql": "django.db.backends.postgresql",
    "postgresql_psycopg2": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
}


def _builtin_backend_names():
    import django.db.backends as backends_pkg

    names = set()
    for info in pkgutil.iter_modules(backends_pkg.__path__):
        if info.ispkg and info.name not in ("base", "dummy") and not info.name.startswith("_"):
            names.add(info.name)
    names.update(BUILTIN_BACKENDS)
    return sorted(names)


def resolve_engine(engine):
    """Return the dotted path of the backend package for ``engine``."""
    if not engine:
        return engine
    return BUILTIN_BACKENDS.get(engine, engine)


def load_backend(engine):
    """
    Return the ``base`` module of the backend named by ``engine``: a short
    name (``sqlite3``, ``postgresql``, ``postgresql_psycopg2``, ``mysql``) or
    the dotted path of a backend package.
    """
    from django.core.exceptions import ImproperlyConfigured

    if not engine:
        raise ImproperlyConfigured(
            "settings.DATABASE_ENGINE is improperly configured. Please supply "
            "the ENGINE value (one of: %s)." % ", ".join(_builtin_backend_names())
        )
    path = resolve_engine(engine)
    try:
        return import_module("%s.base" % path)
    except ImportError as exc:
        # Distinguish "no such backend" from "the backend exists but one of
        # its own imports (e.g. the driver) is missing".
        missing = getattr(exc, "name", None) or ""
        if missing and (path == missing or path.startswith(missing + ".") or missing.startswith(path)):
            raise ImproperlyConfigured(
                "%r isn't an available database backend (DATABASE_ENGINE=%r). "
                "Try using 'django.db.backends.XXX', where XXX is one of: %s."
                % (path, engine, ", ".join(repr(n) for n in _builtin_backend_names()))
            ) from exc
        raise


def database_settings():
    """
    Build the settings dictionary a DatabaseWrapper takes from the
    single-database ``DATABASE_*`` settings. Never raises for missing values:
    backends complain in ``get_connection_params()`` when first used.
    """
    from django.conf import settings

    def get(name, default=None):
        value = getattr(settings, name, default)
        return default if value is None else value

    options = get("DATABASE_OPTIONS", {}) or {}
    return {
        "ENGINE": resolve_engine(get("DATABASE_ENGINE", "")),
        "NAME": get("DATABASE_NAME", ""),
        "USER": get("DATABASE_USER", ""),
        "PASSWORD": get("DATABASE_PASSWORD", ""),
        "HOST": get("DATABASE_HOST", ""),
        "PORT": get("DATABASE_PORT", ""),
        "OPTIONS": dict(options),
        "TEST_NAME": getattr(settings, "TEST_DATABASE_NAME", None) or None,
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
    }
