"""The vendor-independent part of a database connection wrapper."""
import _thread
import copy
import datetime
import threading
import time
import warnings
import zoneinfo
from collections import deque
from contextlib import contextmanager

from django.db.backends import utils
from django.db.backends.signals import connection_created
from django.db.transaction import TransactionManagementError
from django.db.utils import DatabaseError, DatabaseErrorWrapper, Error

NO_DB_ALIAS = "__no_db__"


def _debug_setting():
    try:
        from django.conf import settings

        return bool(getattr(settings, "DEBUG", False))
    except Exception:
        # Settings not configured: behave as DEBUG=False.
        return False


class BaseDatabaseWrapper:
    """Represent a database connection (one per thread)."""

    # Mapping of Field internal types to column types; backends fill these.
    data_types = {}
    data_types_suffix = {}
    data_type_check_constraints = {}
    ops = None
    vendor = "unknown"
    display_name = "unknown"
    SchemaEditorClass = None
    # Driver module (PEP 249); backends set it.
    Database = None
    # Lookup name -> SQL template, and pattern lookups used with expressions.
    operators = {}
    pattern_ops = {}
    pattern_esc = None

    client_class = None
    creation_class = None
    features_class = None
    introspection_class = None
    ops_class = None
    validation_class = None

    queries_limit = 9000

    def __init__(self, settings_dict, alias="default"):
        # The driver connection; None until connect().
        self.connection = None
        self.settings_dict = settings_dict
        # The baseline is single-database; the alias exists only for messages.
        self.alias = alias
        self.queries_log = deque(maxlen=self.queries_limit)
        self.force_debug_cursor = False

        # Transaction state.
        self.autocommit = False
        self.in_atomic_block = False
        self.savepoint_state = 0
        self.savepoint_ids = []
        # Stack of the Atomic objects currently active (for durable checks).
        self.atomic_blocks = []
        self.commit_on_exit = True
        self.needs_rollback = False
        self.rollback_exc = None

        # Connection termination.
        self.close_at = None
        self.closed_in_transaction = False
        self.errors_occurred = False
        self.health_check_enabled = False
        self.health_check_done = False

        # Thread-safety.
        self._thread_sharing_lock = threading.Lock()
        self._thread_sharing_count = 0
        self._thread_ident = _thread.get_ident()

        # (sids, func, robust) tuples registered by on_commit().
        self.run_on_commit = []
        self.run_commit_hooks_on_set_autocommit_on = False
        # Set by statements run under transaction.commit_manually and reset
        # by commit()/rollback(): tells whether work is pending.
        self.transaction_dirty = False

        self.execute_wrappers = []

        self.client = self.client_class(self) if self.client_class else None
        self.creation = self.creation_class(self) if self.creation_class else None
        self.features = self.features_class(self) if self.features_class else None
        self.introspection = self.introspection_class(self) if self.introspection_class else None
        self.ops = self.ops_class(self) if self.ops_class else None
        if self.validation_class:
            self.validation = self.validation_class(self)
        else:
            from .validation import BaseDatabaseValidation

            self.validation = BaseDatabaseValidation(self)

    def __repr__(self):
        return "<%s vendor=%r name=%r>" % (
            self.__class__.__qualname__,
            self.vendor,
            self.settings_dict.get("NAME"),
        )

    def ensure_timezone(self):
        """Make the connection's time zone match settings; return whether it changed."""
        return False

    @property
    def timezone(self):
        """
        The time zone of datetimes stored in the database: None when USE_TZ
        is off (naive datetimes), else UTC unless the connection's TIME_ZONE
        says otherwise.
        """
        from django.conf import settings

        if not getattr(settings, "USE_TZ", False):
            return None
        name = self.settings_dict.get("TIME_ZONE")
        if name is None:
            return datetime.timezone.utc
        return zoneinfo.ZoneInfo(name)

    @property
    def timezone_name(self):
        """Name of the time zone the database connection should use."""
        from django.conf import settings

        if not getattr(settings, "USE_TZ", False):
            return getattr(settings, "TIME_ZONE", None) or "UTC"
        return self.settings_dict.get("TIME_ZONE") or "UTC"

    @property
    def queries_logged(self):
        return self.force_debug_cursor or _debug_setting()

    @property
    def queries(self):
        if len(self.queries_log) == self.queries_log.maxlen:
            warnings.warn(
                "Limit for query logging exceeded, only the last {} queries "
                "will be returned.".format(self.queries_log.maxlen)
            )
        return list(self.queries_log)

    def get_database_version(self):
        """Return a tuple of the database's version."""
        raise NotImplementedError(
            "subclasses of BaseDatabaseWrapper may require a get_database_version() method."
        )

    def check_database_version_supported(self):
        pass

    # ##### Backend-specific methods for creating connections and cursors #####

    def get_connection_params(self):
        """Return a dict of parameters suitable for get_new_connection."""
        raise NotImplementedError(
            "subclasses of BaseDatabaseWrapper may require a get_connection_params() method"
        )

    def get_new_connection(self, conn_params):
        """Open a connection to the database."""
        raise NotImplementedError(
            "subclasses of BaseDatabaseWrapper may require a get_new_connection() method"
        )

    def init_connection_state(self):
        """Initialize the database connection settings."""

    def create_cursor(self, name=None):
        """Create a driver cursor."""
        raise NotImplementedError(
            "subclasses of BaseDatabaseWrapper may require a create_cursor() method"
        )

    # ##### Backend-specific methods for creating connections #####

    def connect(self):
        """Connect to the database. Assume that the connection is closed."""
        self.check_settings()
        # In case the previous connection was closed while in an atomic block.
        self.in_atomic_block = False
        self.savepoint_ids = []
        self.atomic_blocks = []
        self.needs_rollback = False
        # CONN_MAX_AGE: seconds, 0 = close at the end of each request,
        # None = keep forever.
        max_age = self.settings_dict.get("CONN_MAX_AGE", 0)
        self.close_at = None if max_age is None else time.monotonic() + max_age
        self.closed_in_transaction = False
        self.errors_occurred = False
        self.health_check_done = False
        conn_params = self.get_connection_params()
        self.connection = self.get_new_connection(conn_params)
        self.set_autocommit(self.settings_dict.get("AUTOCOMMIT", True))
        self.init_connection_state()
        connection_created.send(sender=self.__class__, connection=self)
        self.run_on_commit = []

    def check_settings(self):
        pass

    def ensure_connection(self):
        """Guarantee that a connection to the database is established."""
        if self.connection is None:
            with self.wrap_database_errors:
                self.connect()

    # ##### Backend-specific wrappers for PEP-249 connection methods #####

    def _prepare_cursor(self, cursor):
        self.validate_thread_sharing()
        if self.queries_logged:
            wrapped = self.make_debug_cursor(cursor)
        else:
            wrapped = self.make_cursor(cursor)
        return wrapped

    def _cursor(self, name=None):
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(self.create_cursor(name))

    def _commit(self):
        if self.connection is not None:
            with utils.debug_transaction(self, "COMMIT"), self.wrap_database_errors:
                return self.connection.commit()

    def _rollback(self):
        if self.connection is not None:
            with utils.debug_transaction(self, "ROLLBACK"), self.wrap_database_errors:
                return self.connection.rollback()

    def _close(self):
        if self.connection is not None:
            with self.wrap_database_errors:
                return self.connection.close()

    # ##### Generic wrappers for PEP-249 connection methods #####

    def cursor(self):
        """Create a cursor, opening a connection if necessary."""
        return self._cursor()

    def commit(self):
        """Commit a transaction and reset the dirty flag."""
        self.validate_thread_sharing()
        self.validate_no_atomic_block()
        self._commit()
        self.transaction_dirty = False
        # A successful commit means that the database connection works.
        self.errors_occurred = False
        self.run_commit_hooks_on_set_autocommit_on = True

    def rollback(self):
        """Roll back a transaction and reset the dirty flag."""
        self.validate_thread_sharing()
        self.validate_no_atomic_block()
        self._rollback()
        self.transaction_dirty = False
        # A successful rollback means that the database connection works.
        self.errors_occurred = False
        self.needs_rollback = False
        self.run_on_commit = []

    def close(self):
        """Close the connection to the database."""
        self.validate_thread_sharing()
        self.run_on_commit = []
        # Don't call validate_no_atomic_block() to avoid making it difficult
        # to get rid of a connection in an invalid state. The next connect()
        # will reset the transaction state anyway.
        if self.closed_in_transaction or self.connection is None:
            return
        try:
            self._close()
        finally:
            if self.in_atomic_block:
                self.closed_in_transaction = True
                self.needs_rollback = True
            else:
                self.connection = None

    # ##### Backend-specific savepoint management methods #####

    def _savepoint(self, sid):
        with self.cursor() as cursor:
            cursor.execute(self.ops.savepoint_create_sql(sid))

    def _savepoint_rollback(self, sid):
        with self.cursor() as cursor:
            cursor.execute(self.ops.savepoint_rollback_sql(sid))

    def _savepoint_commit(self, sid):
        with self.cursor() as cursor:
            cursor.execute(self.ops.savepoint_commit_sql(sid))

    def _savepoint_allowed(self):
        # Savepoints cannot be created outside a transaction.
        return self.features.uses_savepoints and not self.get_autocommit()

    # ##### Generic savepoint management methods #####

    def savepoint(self):
        """
        Create a savepoint inside the current transaction and return its id,
        or None if savepoints are not usable here (e.g. in autocommit mode).
        """
        if not self._savepoint_allowed():
            return None
        thread_ident = _thread.get_ident()
        tid = str(thread_ident).replace("-", "")
        self.savepoint_state += 1
        sid = "s%s_x%d" % (tid, self.savepoint_state)
        self.validate_thread_sharing()
        self._savepoint(sid)
        return sid

    def savepoint_rollback(self, sid):
        """Roll back to a savepoint. Do nothing if savepoints are not supported."""
        if not self._savepoint_allowed():
            return
        self.validate_thread_sharing()
        self._savepoint_rollback(sid)
        # Hooks registered after this savepoint was created are discarded.
        self.run_on_commit = [
            (sids, func, robust) for (sids, func, robust) in self.run_on_commit if sid not in sids
        ]

    def savepoint_commit(self, sid):
        """Release a savepoint. Do nothing if savepoints are not supported."""
        if not self._savepoint_allowed():
            return
        self.validate_thread_sharing()
        self._savepoint_commit(sid)

    def clean_savepoints(self):
        """Reset the counter used to generate unique savepoint ids in this thread."""
        self.savepoint_state = 0

    # ##### Backend-specific transaction management methods #####

    def _set_autocommit(self, autocommit):
        """Backend-specific implementation to enable or disable autocommit."""
        raise NotImplementedError(
            "subclasses of BaseDatabaseWrapper may require a _set_autocommit() method"
        )

    # ##### Generic transaction management methods #####

    def get_autocommit(self):
        """Get the autocommit state."""
        self.ensure_connection()
        return self.autocommit

    def set_autocommit(self, autocommit, force_begin_transaction_with_broken_autocommit=False):
        """
        Enable or disable autocommit.

        ``force_begin_transaction_with_broken_autocommit`` is for drivers
        whose autocommit-off does not start a transaction by itself: the
        backend's ``_start_transaction_under_autocommit()`` is used instead.
        """
        self.validate_no_atomic_block()
        self.close_if_health_check_failed()
        self.ensure_connection()

        start_transaction_under_autocommit = (
            force_begin_transaction_with_broken_autocommit
            and not autocommit
            and hasattr(self, "_start_transaction_under_autocommit")
        )
        if start_transaction_under_autocommit:
            self._start_transaction_under_autocommit()
        elif autocommit:
            self._set_autocommit(autocommit)
        else:
            with utils.debug_transaction(self, "BEGIN"):
                self._set_autocommit(autocommit)
        self.autocommit = autocommit

        if autocommit and self.run_commit_hooks_on_set_autocommit_on:
            self.run_and_clear_commit_hooks()
            self.run_commit_hooks_on_set_autocommit_on = False

    def get_rollback(self):
        """Get the "needs rollback" flag -- for *advanced use* only."""
        if not self.in_atomic_block:
            raise TransactionManagementError(
                "The rollback flag doesn't work outside of an 'atomic' block."
            )
        return self.needs_rollback

    def set_rollback(self, rollback):
        """Set or unset the "needs rollback" flag -- for *advanced use* only."""
        if not self.in_atomic_block:
            raise TransactionManagementError(
                "The rollback flag doesn't work outside of an 'atomic' block."
            )
        self.needs_rollback = rollback

    def validate_no_atomic_block(self):
        """Raise an error if an atomic block is active."""
        if self.in_atomic_block:
            raise TransactionManagementError("This is forbidden when an 'atomic' block is active.")

    def validate_no_broken_transaction(self):
        if self.needs_rollback:
            raise TransactionManagementError(
                "An error occurred in the current transaction. You can't "
                "execute queries until the end of the 'atomic' block."
            ) from self.rollback_exc

    # ##### Foreign key constraints checks handling #####

    @contextmanager
    def constraint_checks_disabled(self):
        """Disable foreign key constraint checking for the duration of the block."""
        disabled = self.disable_constraint_checking()
        try:
            yield
        finally:
            if disabled:
                self.enable_constraint_checking()

    def disable_constraint_checking(self):
        """
        Backends that can disable constraint checking return True when they
        did, so that enable_constraint_checking() is called afterwards.
        """
        return False

    def enable_constraint_checking(self):
        """Re-enable constraint checking (see disable_constraint_checking)."""

    def check_constraints(self, table_names=None):
        """
        Raise IntegrityError for rows that violate foreign keys in the given
        tables (all tables if None). Backends that can defer checks do this.
        """

    # ##### Connection termination handling #####

    def is_usable(self):
        """
        Test if the database connection is usable. Called by
        close_if_unusable_or_obsolete(); it is the only caller.
        """
        raise NotImplementedError(
            "subclasses of BaseDatabaseWrapper may require an is_usable() method"
        )

    def close_if_health_check_failed(self):
        """Close the connection if health checks are on and it is unusable."""
        if (
            self.connection is None
            or not self.health_check_enabled
            or self.health_check_done
        ):
            return
        if not self.is_usable():
            self.close()
        self.health_check_done = True

    def close_if_unusable_or_obsolete(self):
        """
        Close the current connection if unrecoverable errors have occurred
        or if it outlived its maximum age.
        """
        if self.connection is not None:
            self.health_check_done = False
            # If the application didn't restore the original autocommit
            # setting, don't take chances, drop the connection.
            if self.get_autocommit() != self.settings_dict.get("AUTOCOMMIT", True):
                self.close()
                return

            # If an exception other than DataError or IntegrityError occurred
            # since the last commit / rollback, check if the connection works.
            if self.errors_occurred:
                if self.is_usable():
                    self.errors_occurred = False
                    self.health_check_done = True
                else:
                    # Some drivers refuse to close a connection that is
                    # already broken; close() forgets it either way.
                    try:
                        self.close()
                    except Error:
                        pass
                    return

            if self.close_at is not None and time.monotonic() >= self.close_at:
                self.close()
                return

    # ##### Thread safety handling #####

    @property
    def allow_thread_sharing(self):
        with self._thread_sharing_lock:
            return self._thread_sharing_count > 0

    def inc_thread_sharing(self):
        with self._thread_sharing_lock:
            self._thread_sharing_count += 1

    def dec_thread_sharing(self):
        with self._thread_sharing_lock:
            if self._thread_sharing_count <= 0:
                raise RuntimeError("Cannot decrement the thread sharing count below zero.")
            self._thread_sharing_count -= 1

    def validate_thread_sharing(self):
        """
        Raise DatabaseError if this wrapper is used from a thread other than
        the one that created it, unless sharing was explicitly allowed.
        """
        if not self.allow_thread_sharing and self._thread_ident != _thread.get_ident():
            raise DatabaseError(
                "DatabaseWrapper objects created in a thread can only be used in "
                "that same thread. The object was created in thread id %s and "
                "this is thread id %s." % (self._thread_ident, _thread.get_ident())
            )

    # ##### Miscellaneous #####

    def prepare_database(self):
        """Hook to do any database check or preparation (e.g. extensions)."""

    def refine_error_class(self, error_class, driver_error):
        """
        Hook for DatabaseErrorWrapper: return the django.db.utils class to
        raise for ``driver_error`` (``error_class`` was chosen from the
        driver's class). Backends override it where their driver's choice
        differs from the other backends'.
        """
        return error_class

    @property
    def wrap_database_errors(self):
        """Context manager and decorator that re-throws backend errors as ours."""
        return DatabaseErrorWrapper(self)

    def chunked_cursor(self):
        """A cursor that reads rows in chunks where the backend supports it."""
        return self.cursor()

    def make_debug_cursor(self, cursor):
        """Create a cursor that logs all queries in self.queries_log."""
        return utils.CursorDebugWrapper(cursor, self)

    def make_cursor(self, cursor):
        """Create a cursor without debug logging."""
        return utils.CursorWrapper(cursor, self)

    @contextmanager
    def temporary_connection(self):
        """
        Ensure a connection exists for the duration of the block, closing it
        afterwards if it was opened here. Yield a cursor.
        """
        must_close = self.connection is None
        try:
            with self.cursor() as cursor:
                yield cursor
        finally:
            if must_close:
                self.close()

    @contextmanager
    def _nodb_cursor(self):
        """
        A cursor on a connection to a database other than the configured one
        (for creating/dropping the test database). Backends override it.
        """
        conn = self.__class__({**self.settings_dict, "NAME": None}, alias=NO_DB_ALIAS)
        try:
            with conn.cursor() as cursor:
                yield cursor
        finally:
            conn.close()

    def schema_editor(self, *args, **kwargs):
        """Return a new instance of this backend's SchemaEditor."""
        if self.SchemaEditorClass is None:
            raise NotImplementedError(
                "The SchemaEditorClass attribute of this database wrapper is still None"
            )
        return self.SchemaEditorClass(self, *args, **kwargs)

    def on_commit(self, func, robust=False):
        if not callable(func):
            raise TypeError("on_commit()'s callback must be a callable.")
        if self.in_atomic_block:
            # Transaction in progress; save for execution on commit.
            self.run_on_commit.append((set(self.savepoint_ids), func, robust))
        elif not self.get_autocommit():
            raise TransactionManagementError(
                "on_commit() cannot be used in manual transaction management"
            )
        else:
            # No transaction in progress and in autocommit mode; execute now.
            if robust:
                try:
                    func()
                except Exception as e:
                    utils.logger.error(
                        "Error calling %s in on_commit() (%s).",
                        getattr(func, "__qualname__", func),
                        e,
                        exc_info=True,
                    )
            else:
                func()

    def run_and_clear_commit_hooks(self):
        self.validate_no_atomic_block()
        current_run_on_commit = self.run_on_commit
        self.run_on_commit = []
        while current_run_on_commit:
            _, func, robust = current_run_on_commit.pop(0)
            if robust:
                try:
                    func()
                except Exception as e:
                    utils.logger.error(
                        "Error calling %s in on_commit() during transaction (%s).",
                        getattr(func, "__qualname__", func),
                        e,
                        exc_info=True,
                    )
            else:
                func()

    @contextmanager
    def execute_wrapper(self, wrapper):
        """
        Install ``wrapper`` around every statement run on this connection for
        the duration of the block (see Django's database instrumentation).
        """
        self.execute_wrappers.append(wrapper)
        try:
            yield
        finally:
            self.execute_wrappers.pop()

    def copy(self, alias=None):
        """Return a new, unconnected wrapper with the same settings."""
        settings_dict = copy.deepcopy(self.settings_dict)
        return type(self)(settings_dict, alias=alias or self.alias)
