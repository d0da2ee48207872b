"""
Database error classes, the error-translating context manager, backend
loading and ``ConnectionHandler``, the per-thread wrappers of every alias
in ``DATABASES`` (``django.db.connections`` is the project's one).
"""
import functools
import importlib.util
import pkgutil
import sys
import threading
import weakref
from importlib import import_module

from django.conf.databases import DEFAULT_DB_ALIAS, complete_databases
from django.utils.connection import ConnectionDoesNotExist

__all__ = [
    "DEFAULT_DB_ALIAS", "ConnectionDoesNotExist", "ConnectionHandler", "load_backend",
    "Error", "InterfaceError", "DatabaseError", "DataError", "OperationalError",
    "IntegrityError", "InternalError", "ProgrammingError", "NotSupportedError",
    "DatabaseErrorWrapper", "ConnectionRouter",
]


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


# Short engine names accepted in ENGINE.
BUILTIN_BACKENDS = {
    "sqlite3": "django.db.backends.sqlite3",
    "postgresql": "django.db.backends.postgresql",
    "postgresql_psycopg2": "django.db.backends.postgresql",
    # The dotted spelling of the old name, as older settings (and
    # dj-database-url's users) write it.
    "django.db.backends.postgresql_psycopg2": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
}


def builtin_backend_names():
    """The engine names that need no dotted path, sorted."""
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


def backend_exists(package):
    """Whether the backend package ``package`` (a dotted path) has a
    ``base`` module, found without running it (its own imports, such as
    the driver, are its business)."""
    try:
        return importlib.util.find_spec(package + ".base") is not None
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
            "settings.DATABASES is improperly configured. Please supply the ENGINE "
            "value (one of: %s)." % ", ".join(builtin_backend_names())
        )
    package = resolve_engine(engine)
    if not backend_exists(package):
        raise ImproperlyConfigured(
            "%r isn't an available database backend (ENGINE=%r). "
            "Try using 'django.db.backends.XXX', where XXX is one of: %s."
            % (package, engine, ", ".join(map(repr, builtin_backend_names())))
        )
    return import_module(package + ".base")


class _ThreadsWrappers(dict):
    """
    alias -> wrapper, for one thread. It lives in the thread's local
    storage, which Python frees as soon as the thread ends; the finaliser
    then ends the sessions of the wrappers the thread created. Waiting for
    the wrappers themselves to be freed is not enough: each refers to itself
    through its helpers (``ops``, ``features``...), so only a later garbage
    collection would close them. Wrappers a thread was handed
    (``connections[alias] = wrapper``) belong to someone else and are left
    alone.
    """

    __slots__ = ("lent",)

    def __init__(self):
        super().__init__()
        self.lent = set()

    def __del__(self):
        for alias, wrapper in list(self.items()):
            if alias in self.lent:
                continue
            try:
                # Not close(): SQLite keeps an in-memory database open through
                # close(), and the ending thread is the only user.
                wrapper.drop_connection()
            except Exception:
                pass  # finalisers must not raise; the server times the session out


class _ThreadSlot(threading.local):
    # __init__ runs once in each thread that touches the slot.
    def __init__(self):
        self.wrappers = _ThreadsWrappers()


class ConnectionHandler:
    """
    The database wrappers of every alias, one per alias and thread, each
    created on first use: ``handler[alias]``. Iterating gives the aliases
    in settings order.

    ``databases`` is a ``DATABASES`` dict to use instead of the settings;
    without it the handler reads ``settings.DATABASES`` when first needed
    and again after :meth:`reread_settings` (which ``override_settings``
    triggers). Wrappers of the same alias share its settings dictionary, so
    the test runner's switch to the test database reaches every thread.
    """

    def __init__(self, databases=None):
        self._given = databases
        self._settled = None
        self._slot = _ThreadSlot()
        # Every wrapper still alive, whichever thread made it, for the
        # operations that must reach them all (close_in_every_thread()).
        self._alive = weakref.WeakSet()
        self._alive_lock = threading.Lock()

    @property
    def databases(self):
        """alias -> completed settings dict (see django.conf.databases)."""
        settled = self._settled
        if settled is None:
            if self._given is None:
                from django.conf import settings

                settled = complete_databases(settings.DATABASES)
            else:
                settled = complete_databases(self._given)
            self._settled = settled
        return settled

    def __getitem__(self, alias):
        # The per-query path: one thread-local dict lookup.
        try:
            return self._slot.wrappers[alias]
        except KeyError:
            return self._create(alias)

    def checked_alias(self, alias):
        """``alias`` if DATABASES configures it (None stays None: "route"),
        else ConnectionDoesNotExist naming it and the configured aliases:
        the check using(), db_manager() and the deserializers make before
        any SQL is built."""
        if alias is None:
            return None
        databases = self.databases
        if type(alias) is not str or alias not in databases:
            raise ConnectionDoesNotExist(
                "There is no database %r to use; DATABASES configures %s."
                % (alias, ", ".join(map(repr, databases)))
            )
        return alias

    def _create(self, alias):
        databases = self.databases
        if alias not in databases:
            raise ConnectionDoesNotExist(
                "The connection %r doesn't exist; DATABASES configures %s."
                % (alias, ", ".join(map(repr, databases)))
            )
        settings_dict = databases[alias]
        if not settings_dict["ENGINE"]:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                "settings.DATABASES is improperly configured: DATABASES[%r] has no "
                "ENGINE. Please supply the ENGINE value (one of: %s)."
                % (alias, ", ".join(builtin_backend_names()))
            )
        wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
        self._remember(wrapper)
        self._slot.wrappers[alias] = wrapper
        return wrapper

    def _remember(self, wrapper):
        with self._alive_lock:
            self._alive.add(wrapper)

    def __setitem__(self, alias, wrapper):
        """Make ``wrapper`` this thread's wrapper for ``alias`` (the test
        framework shares one in-memory database between threads so). The
        thread does not close it when it ends: its owner does."""
        self._remember(wrapper)
        wrappers = self._slot.wrappers
        wrappers[alias] = wrapper
        wrappers.lent.add(alias)

    def __delitem__(self, alias):
        """Forget this thread's wrapper for ``alias``; the next use creates one."""
        wrappers = self._slot.wrappers
        wrappers.pop(alias, None)
        wrappers.lent.discard(alias)

    def __iter__(self):
        return iter(self.databases)

    def __contains__(self, alias):
        return alias in self.databases

    def __len__(self):
        return len(self.databases)

    def all(self, initialized_only=False):
        """This thread's wrapper of every alias, in settings order (only the
        ones already created with ``initialized_only``)."""
        if not initialized_only:
            return [self[alias] for alias in self.databases]
        mine = self._slot.wrappers
        return [mine[alias] for alias in self.databases if alias in mine]

    def close_all(self):
        """Close this thread's connections (each reopens on next use)."""
        for wrapper in self.all(initialized_only=True):
            wrapper.close()

    def _every_wrapper(self):
        with self._alive_lock:
            return list(self._alive)

    def close_in_every_thread(self):
        """Close every live wrapper, other threads' ones included (at
        interpreter exit, or when the settings they were built from go)."""
        for wrapper in self._every_wrapper():
            try:
                # Closing another thread's wrapper: allow it briefly.
                wrapper.inc_thread_sharing()
                try:
                    wrapper.close()
                finally:
                    wrapper.dec_thread_sharing()
            except Exception:
                pass

    def drop_kept_cursors(self):
        """Make every wrapper's next statement use a new cursor (a setting
        that cursors are checked against, such as TIME_ZONE, changed)."""
        for wrapper in self._every_wrapper():
            wrapper.drop_kept_cursor()

    def reread_settings(self):
        """
        Close and forget every thread's wrappers and read DATABASES again on
        next use (the settings changed). A thread still holding an old
        wrapper keeps a closed one; its next ``handler[alias]`` is new.
        """
        self.close_in_every_thread()
        with self._alive_lock:
            self._alive = weakref.WeakSet()
        self._slot = _ThreadSlot()
        self._settled = None


# -- routers -------------------------------------------------------------------

# Entries of DATABASE_ROUTERS that are plain data, not a router: a typo
# such as a nested list or a None is reported rather than silently asked
# for methods it cannot have.
_NOT_ROUTERS = (type(None), bool, int, float, complex, bytes, list, tuple, dict, set, frozenset)

# The router methods, in the order the docs present them.
ROUTER_METHODS = ("db_for_read", "db_for_write", "allow_relation", "allow_migrate")


def _improper(message):
    from django.core.exceptions import ImproperlyConfigured

    return ImproperlyConfigured(message)


def _router_from_entry(entry):
    """The router object for one DATABASE_ROUTERS entry: a dotted path is
    imported and, when it names a class, instantiated; an object is used
    as it is."""
    if isinstance(entry, str):
        module_path, dot, attribute = entry.rpartition(".")
        if not module_path:
            raise _improper(
                "DATABASE_ROUTERS entry %r is not a dotted path to a router." % (entry,)
            )
        try:
            found = getattr(import_module(module_path), attribute)
        except (ImportError, AttributeError) as exc:
            raise _improper(
                "DATABASE_ROUTERS entry %r could not be imported: %s" % (entry, exc)
            ) from exc
        return found() if isinstance(found, type) else found
    if isinstance(entry, _NOT_ROUTERS):
        raise _improper(
            "DATABASE_ROUTERS entry %r is neither a dotted path (a string) nor a "
            "router object." % (entry,)
        )
    return entry


def routers_from(entries):
    """The router objects of a DATABASE_ROUTERS value (paths or objects)."""
    if isinstance(entries, (str, bytes)) or not isinstance(entries, (list, tuple)):
        raise _improper(
            "DATABASE_ROUTERS must be a list or tuple of routers, not %r." % (entries,)
        )
    return [_router_from_entry(entry) for entry in entries]


def _describe(router):
    kind = router if isinstance(router, type) else type(router)
    return "%s.%s" % (kind.__module__, kind.__qualname__)


def _as_model_class(model):
    """Routers are always handed a model class: an instance stands for its
    class and an 'app_label.ModelName' string is looked up."""
    if isinstance(model, type):
        return model
    if isinstance(model, str):
        from django.apps import apps

        return apps.get_model(model)
    return type(model)


class _SyncdbAdapter:
    """Lets a 1.2 router's ``allow_syncdb(db, model)`` answer
    ``allow_migrate`` questions about a model (others: no opinion)."""

    __slots__ = ("legacy",)

    def __init__(self, legacy):
        self.legacy = legacy

    def __call__(self, db, app_label, model_name=None, **hints):
        model = hints.get("model")
        if model is None:
            return None
        return self.legacy(db, model)


class ConnectionRouter:
    """
    Asks the routers of ``DATABASE_ROUTERS`` (or the ``routers`` given)
    which database a model's reads and writes go to, whether two objects
    may be related and whether a model's table belongs on a database.

    Each question goes to the routers that define the method, in order;
    the first answer other than None wins, else a fallback applies. The
    routers are read on first use and again after the setting changes
    (``override_settings``) or ``routers`` is assigned. Each method's chain
    of bound methods is built once per list, so a question costs a
    dictionary lookup, and nothing more when no router defines the method.

    ``generation`` is a number that changes whenever the routers may have
    changed (assigned, or the setting reread): code that keeps answers
    worked out from the routers keys them by it.
    """

    def __init__(self, routers=None):
        self._given = routers
        self._list = None
        self._methods_by_name = {}
        self.generation = 0

    # -- the list of routers ---------------------------------------------------
    @property
    def routers(self):
        found = self._list
        if found is None:
            if self._given is None:
                from django.conf import settings

                found = routers_from(getattr(settings, "DATABASE_ROUTERS", []))
            else:
                found = routers_from(self._given)
            self._list = found
            self._methods_by_name = {}
        return found

    @routers.setter
    def routers(self, value):
        self._list = routers_from(value)
        self._methods_by_name = {}
        self.generation += 1

    def reread_settings(self):
        """Forget the routers (DATABASE_ROUTERS changed); read them on next use."""
        self._list = None
        self._methods_by_name = {}
        self.generation += 1

    def defines(self, name):
        """Whether some router defines the method ``name`` (a 1.2 router's
        ``allow_syncdb`` counts as ``allow_migrate``): when none does, every
        such question gets its fallback."""
        return bool(self._asked(name))

    def _asked(self, name):
        """``[(router, bound method)]`` of the routers defining ``name``.
        Whether a router defines the method is decided here, once: an
        AttributeError raised later inside the method is the router's own
        and reaches the caller."""
        chain = self._methods_by_name.get(name)
        if chain is None:
            routers = self.routers  # (re)loading clears the chains
            chain = []
            for router in routers:
                method = getattr(router, name, None)
                if method is None and name == "allow_migrate":
                    legacy = getattr(router, "allow_syncdb", None)
                    if legacy is not None:
                        import warnings

                        warnings.warn(
                            "Router %s defines allow_syncdb(), which is deprecated: "
                            "rename it allow_migrate(db, app_label, model_name=None, "
                            "**hints) (the model is in hints['model'])." % _describe(router),
                            DeprecationWarning, stacklevel=4,
                        )
                        method = _SyncdbAdapter(legacy)
                if method is not None:
                    chain.append((router, method))
            self._methods_by_name[name] = chain
        return chain

    # -- the questions ---------------------------------------------------------
    def _first_alias(self, name, model, hints):
        # Every routed query and save() comes through here: the common case
        # (a model class, chains already built) costs no extra call.
        if not isinstance(model, type):
            model = _as_model_class(model)
        chain = self._methods_by_name.get(name)
        if chain is None:
            chain = self._asked(name)
        for router, method in chain:
            alias = method(model, **hints)
            if alias is not None:
                # django.db (which imports this module) holds the handler.
                # Read from sys.modules: an import statement here would run
                # importlib's code on every routed query and save().
                databases = sys.modules["django.db"].connections.databases
                if alias not in databases:
                    raise ConnectionDoesNotExist(
                        "Router %s returned the database %r from %s(%s), but DATABASES "
                        "configures %s." % (
                            _describe(router), alias, name, model._meta.label,
                            ", ".join(map(repr, databases)),
                        )
                    )
                return alias
        return None

    def route_read(self, model, hints=None):
        """``db_for_read`` with the hints as a dict (or None): the form the
        query path calls, so that no keyword dict is built per query."""
        if self._methods_by_name.get("db_for_read", True):
            alias = self._first_alias("db_for_read", model, hints or {})
            if alias is not None:
                return alias
        return _alias_of_hinted_instance(hints)

    def route_write(self, model, hints=None):
        """``db_for_write`` with the hints as a dict (or None), see route_read()."""
        if self._methods_by_name.get("db_for_write", True):
            alias = self._first_alias("db_for_write", model, hints or {})
            if alias is not None:
                return alias
        return _alias_of_hinted_instance(hints)

    def db_for_read(self, model, **hints):
        """The alias ``model``'s reads go to: the first router's answer, else
        the database of ``hints['instance']``, else ``default``."""
        return self.route_read(model, hints)

    def db_for_write(self, model, **hints):
        """The alias ``model``'s writes go to (fallbacks as db_for_read())."""
        return self.route_write(model, hints)

    def _first_opinion(self, name, *args, **kwargs):
        """The first answer other than None of the routers defining ``name``."""
        for router, method in self._asked(name):
            opinion = method(*args, **kwargs)
            if opinion is not None:
                return opinion
        return None

    def allow_relation(self, obj1, obj2, **hints):
        """Whether ``obj1`` and ``obj2`` may be related: the first router's
        answer, else whether both live on the same database."""
        opinion = self._first_opinion("allow_relation", obj1, obj2, **hints)
        return obj1._state.db == obj2._state.db if opinion is None else opinion

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Whether the tables of ``app_label`` (``model_name``) belong on
        ``db``: the first router's answer, else True."""
        if "model" in hints:
            hints["model"] = _as_model_class(hints["model"])
        opinion = self._first_opinion("allow_migrate", db, app_label, model_name=model_name, **hints)
        return True if opinion is None else opinion

    def allow_migrate_model(self, db, model):
        """allow_migrate() for one model class (a through model for a
        many-to-many table), handed to the routers as ``hints['model']``."""
        model = _as_model_class(model)
        opts = model._meta
        return self.allow_migrate(db, opts.app_label, model_name=opts.model_name, model=model)


def _alias_of_hinted_instance(hints):
    """The fallback of db_for_read/db_for_write: the database the hinted
    instance came from, else ``default``."""
    if hints:
        instance = hints.get("instance")
        if instance is not None:
            alias = instance._state.db
            if alias:
                return alias
    return DEFAULT_DB_ALIAS
