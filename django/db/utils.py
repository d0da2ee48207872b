"""
Database error classes, the error-translating context manager, backend
loading and the single-database settings dictionary.

The baseline is single-database: the settings are ``DATABASE_ENGINE``,
``DATABASE_NAME``, ... and :func:`database_settings` turns them into the
dictionary a ``DatabaseWrapper`` takes.
"""
import functools
import importlib.util
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


# Our class for each PEP 249 name, for translating a driver's exceptions.
PEP249_CLASSES = {
    cls.__name__: cls
    for cls in (
        Error, InterfaceError, DatabaseError, DataError, OperationalError,
        IntegrityError, InternalError, ProgrammingError, NotSupportedError,
    )
}

# Errors about the values sent, which say nothing about the connection.
DATA_ERRORS = (DataError, IntegrityError)


def pep249_counterpart(driver, exc_type):
    """
    Our class for an exception class of the ``driver`` module, or None when
    ``exc_type`` does not come from that driver. The exception's own
    ancestry decides: its nearest ancestor that the driver exports under a
    PEP 249 name (psycopg's AdminShutdown is an OperationalError).
    """
    for ancestor in exc_type.__mro__:
        name = ancestor.__name__
        if name in PEP249_CLASSES and getattr(driver, name, None) is ancestor:
            return PEP249_CLASSES[name]
    return None


class DatabaseErrorWrapper:
    """
    Context manager (and decorator) that re-raises the driver's PEP 249
    exceptions as the same-named classes of this module. The driver's
    exception is kept as ``__cause__`` and its message is preserved, except
    when the server closed the connection: the connection wrapper then says
    so in words (see ``BaseDatabaseWrapper.connection_lost()``).
    """

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def __enter__(self):
        return None

    def __exit__(self, exc_type, exc_value, traceback):
        translated = None if exc_type is None else self.translate(exc_value)
        if translated is None:
            return None  # nothing raised, or not the driver's business
        raise translated.with_traceback(traceback) from exc_value

    def translate(self, driver_error):
        """
        Our exception for ``driver_error`` (None if it is not the driver's),
        with the bookkeeping an error implies for the connection: anything
        but a data error puts the connection in doubt (checked by
        close_if_unusable_or_obsolete()), a lost connection is let go, and
        an error inside an atomic block dooms the block.
        """
        backend = self.wrapper
        ours = pep249_counterpart(backend.Database, type(driver_error))
        if ours is None:
            return None
        # Drivers disagree on some classes (SQLite reports bad SQL as an
        # OperationalError): the backend has the last word.
        ours = backend.refine_error_class(ours, driver_error)
        if ours in DATA_ERRORS:
            error = ours(*driver_error.args)
        else:
            backend.errors_occurred = True
            if backend.connection_was_lost(driver_error):
                error = backend.connection_lost(driver_error)
            else:
                error = ours(*driver_error.args)
        if backend.in_atomic_block:
            backend.needs_rollback = True
            backend.rollback_exc = error
        return error

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


def _importable(module_path):
    """Whether ``module_path`` names a module that exists, without running
    it (its own imports, such as the driver, are its business)."""
    try:
        return importlib.util.find_spec(module_path) is not None
    except (ImportError, ValueError):
        return False  # a package on the way is missing, or the path is malformed


def load_backend(engine):
    """
    Return the ``base`` module of the backend named by ``engine``: a short
    name (``sqlite3``, ``postgresql``, ``postgresql_psycopg2``, ``mysql``) or
    the dotted path of a backend package. A backend that exists but fails
    to import (its driver is missing) raises its own ImportError.
    """
    from django.core.exceptions import ImproperlyConfigured

    if not engine:
        raise ImproperlyConfigured(
            "settings.DATABASE_ENGINE is improperly configured. Please supply "
            "the ENGINE value (one of: %s)." % ", ".join(_builtin_backend_names())
        )
    package = resolve_engine(engine)
    if not _importable(package + ".base"):
        raise ImproperlyConfigured(
            "%r isn't an available database backend (DATABASE_ENGINE=%r). "
            "Try using 'django.db.backends.XXX', where XXX is one of: %s."
            % (package, engine, ", ".join(map(repr, _builtin_backend_names())))
        )
    return import_module(package + ".base")


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
