"""
The vendor-independent part of a database connection wrapper.

A ``BaseDatabaseWrapper`` owns one DB-API connection (opened lazily) plus the
bookkeeping Django layers on top of it: atomic-block and savepoint state,
on_commit hooks, the query log, thread ownership and connection ageing.
Vendors subclass it and fill in the few driver-facing hooks at the top of
the "driver hooks" section.
"""
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
from django.db.utils import DatabaseError, DatabaseErrorWrapper, Error, OperationalError

# Settings are read per statement (DEBUG, USE_TZ): imported once, here.
from django.conf import settings as django_settings

NO_DB_ALIAS = "__no_db__"

_OUTSIDE_ATOMIC = "The rollback flag doesn't work outside of an 'atomic' block."


def _debug_setting():
    try:
        return bool(getattr(django_settings, "DEBUG", False))
    except Exception:
        return False  # settings not configured yet: not in debug mode


def _use_tz():
    return bool(getattr(django_settings, "USE_TZ", False))


def _time_zone_setting():
    return getattr(django_settings, "TIME_ZONE", None)


def _missing(name, article="a"):
    def hook(self, *args, **kwargs):
        raise NotImplementedError(
            "subclasses of BaseDatabaseWrapper may require %s %s() method" % (article, name)
        )

    hook.__name__ = name
    hook.__doc__ = "Driver-specific; concrete backends implement %s()." % name
    return hook


def _driver_words(driver_error):
    """What the driver said, without the placeholders some drivers put in
    (PyMySQL's ``(0, '')`` for a socket that is already gone)."""
    words = [str(arg).strip() for arg in driver_error.args if arg not in (0, "", None)]
    return ": ".join(words) or "the connection was already closed"


def _call_hook(func, robust, when):
    """Run one on_commit callback; robust ones log failures instead of raising."""
    if not robust:
        func()
        return
    try:
        func()
    except Exception as exc:
        utils.logger.error(
            "Error calling %s in on_commit()%s (%s).",
            getattr(func, "__qualname__", func),
            when,
            exc,
            exc_info=True,
        )


class BaseDatabaseWrapper:
    """One database connection, used by a single thread unless shared."""

    # Filled in by each vendor.
    vendor = "unknown"
    display_name = "unknown"
    Database = None  # the PEP 249 driver module
    data_types = {}
    data_types_suffix = {}
    data_type_check_constraints = {}
    operators = {}
    pattern_ops = {}
    pattern_esc = None
    SchemaEditorClass = None
    ops = None

    # Helper classes instantiated per wrapper (see _build_helpers()).
    client_class = None
    creation_class = None
    features_class = None
    introspection_class = None
    ops_class = None
    validation_class = None

    # Seconds a server backend waits for a new connection to be accepted
    # and greeted, unless DATABASE_OPTIONS["connect_timeout"] says otherwise.
    default_connect_timeout = 10

    # The debug query log is a ring buffer so a long DEBUG process
    # cannot grow without bound.
    queries_limit = 9000

    def __init__(self, settings_dict, alias="default"):
        self.settings_dict = settings_dict
        self.alias = alias  # only used in messages: the baseline has one database
        self.connection = None  # the driver connection, opened on demand
        self.queries_log = deque(maxlen=self.queries_limit)
        self.force_debug_cursor = False
        self.execute_wrappers = []
        # Compiled statements by query shape, owned by the SQL compilers:
        # SELECTs (django.db.models.sql.statement_cache) and INSERTs.
        self.compiled_selects = {}
        self.compiled_inserts = {}
        self._error_wrapper = DatabaseErrorWrapper(self)
        # (driver connection, cursor wrapper): see statement_cursor().
        self._kept_cursor = None

        self.autocommit = False
        self.savepoint_state = 0  # counter behind savepoint names
        self.commit_on_exit = True
        self.rollback_exc = None
        self._reset_transaction_state()
        # (savepoint ids, callback, robust) registered by on_commit().
        self.run_on_commit = []
        self.run_commit_hooks_on_set_autocommit_on = False
        # True while work done under commit_manually awaits commit/rollback.
        self.transaction_dirty = False

        self._reset_lifetime_state()
        self.close_at = None
        self.health_check_enabled = False

        self._thread_ident = _thread.get_ident()
        self._thread_sharing_lock = threading.Lock()
        self._thread_sharing_count = 0

        self._build_helpers()

    def _build_helpers(self):
        def make(cls):
            return cls(self) if cls else None

        self.client = make(self.client_class)
        self.creation = make(self.creation_class)
        self.features = make(self.features_class)
        self.introspection = make(self.introspection_class)
        self.ops = make(self.ops_class)
        validation_class = self.validation_class
        if validation_class is None:
            from .validation import BaseDatabaseValidation as validation_class
        self.validation = validation_class(self)

    def _reset_transaction_state(self):
        # A fresh connection is never inside an atomic block, whatever the
        # previous one was doing when it went away.
        self.in_atomic_block = False
        self.savepoint_ids = []
        self.atomic_blocks = []  # active Atomic objects, for durable checks
        self.needs_rollback = False

    def _reset_lifetime_state(self):
        self.closed_in_transaction = False
        self.errors_occurred = False
        self.health_check_done = False

    def __repr__(self):
        return "<%s vendor=%r name=%r>" % (
            type(self).__qualname__,
            self.vendor,
            self.settings_dict.get("NAME"),
        )

    # ------------------------------------------------------------------
    # Time zones
    # ------------------------------------------------------------------
    @property
    def timezone(self):
        """tzinfo of stored datetimes: None (naive) without USE_TZ, else UTC
        unless the connection's TIME_ZONE names another zone."""
        if not _use_tz():
            return None
        name = self.settings_dict.get("TIME_ZONE")
        return datetime.timezone.utc if name is None else zoneinfo.ZoneInfo(name)

    @property
    def timezone_name(self):
        """The zone name to set on the session."""
        if _use_tz():
            return self.settings_dict.get("TIME_ZONE") or "UTC"
        return _time_zone_setting() or "UTC"

    def ensure_timezone(self):
        return False  # no session time zone to fix up by default

    # ------------------------------------------------------------------
    # Query log
    # ------------------------------------------------------------------
    @property
    def queries_logged(self):
        return self.force_debug_cursor or _debug_setting()

    @property
    def queries(self):
        log = self.queries_log
        if len(log) == log.maxlen:
            warnings.warn(
                "Limit for query logging exceeded, only the last %d queries "
                "will be returned." % log.maxlen
            )
        return list(log)

    # ------------------------------------------------------------------
    # Driver hooks
    # ------------------------------------------------------------------
    get_database_version = _missing("get_database_version")
    get_connection_params = _missing("get_connection_params")
    get_new_connection = _missing("get_new_connection")
    create_cursor = _missing("create_cursor")
    _set_autocommit = _missing("_set_autocommit")
    is_usable = _missing("is_usable", article="an")

    def init_connection_state(self):
        """Per-connection session setup run right after connecting."""

    # Optional hooks, no-ops by default.
    def check_settings(self):
        """Reject unusable settings before connecting."""

    def check_database_version_supported(self):
        """Raise if the server is older than features.minimum_database_version."""

    def prepare_database(self):
        """One-off preparation such as installing extensions."""

    def refine_error_class(self, error_class, driver_error):
        """
        Let a backend correct the django.db.utils class chosen for
        ``driver_error`` when its driver classifies an error differently
        from the others.  Used by DatabaseErrorWrapper.
        """
        return error_class

    # ------------------------------------------------------------------
    # Opening and closing
    # ------------------------------------------------------------------
    def connect(self):
        """Open a new driver connection (the old one is assumed closed)."""
        self.check_settings()
        self._reset_transaction_state()
        self._reset_lifetime_state()
        # CONN_MAX_AGE None means "never expire"; 0 expires at the first check.
        max_age = self.settings_dict.get("CONN_MAX_AGE", 0)
        self.close_at = None if max_age is None else time.monotonic() + max_age
        self.connection = self.get_new_connection(self.get_connection_params())
        self.set_autocommit(self.settings_dict.get("AUTOCOMMIT", True))
        self.init_connection_state()
        connection_created.send(sender=type(self), connection=self)
        self.run_on_commit = []

    def ensure_connection(self):
        if self.connection is None:
            with self.wrap_database_errors:
                self.connect()

    def _driver_call(self, method_name, debug_label=None):
        """Call a method on the driver connection, if there is one."""
        if self.connection is None:
            return None
        method = getattr(self.connection, method_name)
        if debug_label is None:
            with self.wrap_database_errors:
                return method()
        with utils.debug_transaction(self, debug_label), self.wrap_database_errors:
            return method()

    def _commit(self):
        return self._driver_call("commit", "COMMIT")

    def _rollback(self):
        # A rollback may undo session settings create_cursor() made sure of
        # (PostgreSQL's time zone): the next statement gets a new cursor.
        self.drop_kept_cursor()
        return self._driver_call("rollback", "ROLLBACK")

    def _close(self):
        return self._driver_call("close")

    def close(self):
        """
        Close the driver connection; the next statement opens a new one.
        Inside an atomic block the closed connection object stays until
        the outermost block exits, so that block fails and rolls back
        instead of carrying on, half done, on a new connection. Closing
        never raises: a broken connection must always be disposable.
        """
        self.validate_thread_sharing()
        self.run_on_commit = []
        self.drop_kept_cursor()
        if self.connection is None:
            return
        if not self.closed_in_transaction:
            try:
                self._close()
            except (Error, self.Database.Error):
                pass  # already broken: there is nothing left to close
        if self.in_atomic_block:
            self.closed_in_transaction = self.needs_rollback = True
        else:
            self.drop_connection()

    def drop_connection(self):
        """
        Forget the driver connection, closing whatever is left of it without
        another word to the server (which has gone, or has been told):
        the next statement opens a new connection.
        """
        leftover, self.connection = self.connection, None
        self.closed_in_transaction = False
        self.drop_kept_cursor()
        if leftover is not None:
            try:
                leftover.close()
            except Exception:
                pass  # a dead socket has nothing more to free

    # ------------------------------------------------------------------
    # Lost connections
    # ------------------------------------------------------------------
    def connection_was_lost(self, driver_error):
        """
        Whether the driver connection is known to be gone after
        ``driver_error``, judged from the driver's local state only: this
        runs on the error path of statements, never as a round trip.
        Backends of database servers override it.
        """
        return False

    def connection_lost(self, driver_error):
        """
        The server closed the connection under us: decide what becomes of
        the wrapper and return the OperationalError that says so.

        Outside a transaction nothing is lost but the connection: it is
        dropped at once and the next statement opens a new one. Inside a
        transaction (an atomic block, or autocommit turned off) the work
        done so far is gone; the dead connection stays, so every statement
        fails until the transaction ends (the outermost atomic block
        exits, or rollback() is called). Reconnecting silently there would
        carry on, half done, in a new transaction or in autocommit.
        """
        words = _driver_words(driver_error)
        if self.in_atomic_block or not self.autocommit:
            self.closed_in_transaction = True
            self.drop_kept_cursor()
            return OperationalError(
                "The database server closed the connection during a transaction "
                "(%s): the transaction's work is lost. A new connection is opened "
                "once the transaction ends (its outermost atomic block exits, or "
                "rollback() is called)." % words
            )
        self.drop_connection()
        return OperationalError(
            "The database server closed the connection (%s). The next statement "
            "opens a new connection." % words
        )

    @contextmanager
    def temporary_connection(self):
        """Yield a cursor, closing the connection afterwards if we opened it."""
        opened_here = self.connection is None
        try:
            with self.cursor() as cursor:
                yield cursor
        finally:
            if opened_here:
                self.close()

    @contextmanager
    def _nodb_cursor(self):
        """A cursor not bound to the configured database (used to create or
        drop the test database).  Vendors pick a maintenance database."""
        other = type(self)(dict(self.settings_dict, NAME=None), alias=NO_DB_ALIAS)
        try:
            with other.cursor() as cursor:
                yield cursor
        finally:
            other.close()

    def copy(self, alias=None):
        """An unconnected twin of this wrapper with its own settings copy."""
        return type(self)(copy.deepcopy(self.settings_dict), alias=alias or self.alias)

    # ------------------------------------------------------------------
    # Cursors
    # ------------------------------------------------------------------
    def _prepare_cursor(self, cursor):
        self.validate_thread_sharing()
        wrap = self.make_debug_cursor if self.queries_logged else self.make_cursor
        return wrap(cursor)

    def _cursor(self, name=None):
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(self.create_cursor(name))

    def cursor(self):
        """A wrapped cursor; connects first when needed."""
        return self._cursor()

    def chunked_cursor(self):
        return self.cursor()  # vendors with server-side cursors override

    # The ORM runs most statements start to finish: execute, read every
    # row, close. Making a driver cursor (and our wrapper) for each costs as
    # much Python work as a small statement itself (psycopg builds an
    # adapters map per cursor), so such statements hand their cursor back
    # and the next one reuses it. A cursor that read more than
    # kept_cursor_max_rows rows is closed instead: the driver holds the last
    # result until the next statement.
    kept_cursor_max_rows = 100

    def statement_cursor(self):
        """
        A cursor for one statement whose results are read to the end inside
        the ``with`` block; the ORM's way to run SQL (``cursor()`` always
        gives a new cursor and remains the one for everybody else).
        """
        return _StatementCursor(self)

    def drop_kept_cursor(self):
        """Forget the kept cursor (without closing it: another thread may
        call this); the next statement gets a new one, and with it the
        checks create_cursor() makes."""
        self._kept_cursor = None

    def _take_kept_cursor(self):
        kept = self._kept_cursor
        if kept is None:
            return self.cursor()
        self._kept_cursor = None
        # What cursor() checks on every call, inlined: this runs per statement.
        if _thread.get_ident() != self._thread_ident:
            self.validate_thread_sharing()
        if self.health_check_enabled:
            self.close_if_health_check_failed()
        driver_connection, cursor = kept
        if (driver_connection is self.connection
                and isinstance(cursor, utils.CursorDebugWrapper) == self.queries_logged):
            return cursor
        # Reconnected, or DEBUG changed (the wrapper class differs).
        self._close_quietly(cursor)
        return self.cursor()

    def _keep_cursor(self, cursor):
        if self._kept_cursor is None and self.connection is not None:
            rowcount = cursor.rowcount
            if rowcount is None or rowcount <= self.kept_cursor_max_rows:
                self._kept_cursor = (self.connection, cursor)
                return
        self._close_quietly(cursor)

    def _close_quietly(self, cursor):
        try:
            cursor.close()
        except (Error, self.Database.Error):
            pass  # a dead connection: the cursor goes with it

    def make_cursor(self, cursor):
        return utils.CursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor):
        return utils.CursorDebugWrapper(cursor, self)

    @property
    def wrap_database_errors(self):
        """Context manager/decorator translating driver errors into ours.
        It keeps no state between uses: one serves every statement."""
        return self._error_wrapper

    @contextmanager
    def execute_wrapper(self, wrapper):
        """Run every statement through ``wrapper`` while the block is active."""
        wrappers = self.execute_wrappers
        wrappers.append(wrapper)
        try:
            yield
        finally:
            wrappers.pop()

    def schema_editor(self, *args, **kwargs):
        editor_class = self.SchemaEditorClass
        if editor_class is None:
            raise NotImplementedError(
                "The SchemaEditorClass attribute of this database wrapper is still None"
            )
        return editor_class(self, *args, **kwargs)

    # ------------------------------------------------------------------
    # Transactions
    # ------------------------------------------------------------------
    def _end_transaction(self, driver_call):
        # Manual commit/rollback are for code outside atomic blocks only.
        for check in (self.validate_thread_sharing, self.validate_no_atomic_block):
            check()
        driver_call()
        # Reaching the server proves the connection is healthy again.
        self.transaction_dirty = False
        self.errors_occurred = False

    def commit(self):
        self._end_transaction(self._commit)
        # Hooks queued in manual mode fire once autocommit is back on.
        self.run_commit_hooks_on_set_autocommit_on = True

    def rollback(self):
        # The server rolled back what it lost with the connection: a
        # transaction that ended that way ends here without a word to it.
        lost = self.closed_in_transaction and not self.in_atomic_block
        self._end_transaction(self.drop_connection if lost else self._rollback)
        self.needs_rollback = False
        self.run_on_commit = []

    def get_autocommit(self):
        self.ensure_connection()
        return self.autocommit

    def set_autocommit(self, autocommit, force_begin_transaction_with_broken_autocommit=False):
        """
        Switch autocommit on or off.  Some drivers do not open a transaction
        when autocommit is turned off; with the ``force_...`` flag the
        backend's ``_start_transaction_under_autocommit()`` does it instead.
        """
        self.validate_no_atomic_block()
        self.close_if_health_check_failed()
        self.ensure_connection()

        if autocommit:
            self._set_autocommit(True)
        elif force_begin_transaction_with_broken_autocommit and hasattr(
            self, "_start_transaction_under_autocommit"
        ):
            self._start_transaction_under_autocommit()
        else:
            with utils.debug_transaction(self, "BEGIN"):
                self._set_autocommit(False)
        self.autocommit = autocommit

        if autocommit and self.run_commit_hooks_on_set_autocommit_on:
            self.run_and_clear_commit_hooks()
            self.run_commit_hooks_on_set_autocommit_on = False

    def get_rollback(self):
        if not self.in_atomic_block:
            raise TransactionManagementError(_OUTSIDE_ATOMIC)
        return self.needs_rollback

    def set_rollback(self, rollback):
        if not self.in_atomic_block:
            raise TransactionManagementError(_OUTSIDE_ATOMIC)
        self.needs_rollback = rollback

    def validate_no_atomic_block(self):
        if self.in_atomic_block:
            raise TransactionManagementError("This is forbidden when an 'atomic' block is active.")

    def validate_no_broken_transaction(self):
        if self.needs_rollback:
            raise TransactionManagementError(
                "An error occurred in the current transaction. You can't "
                "execute queries until the end of the 'atomic' block."
            ) from self.rollback_exc

    # ------------------------------------------------------------------
    # Savepoints (silently skipped where the database cannot use them:
    # outside a transaction or on backends without the feature).
    # ------------------------------------------------------------------
    def _savepoint_allowed(self):
        return self.features.uses_savepoints and not self.get_autocommit()

    def _run_savepoint_sql(self, sql):
        with self.cursor() as cursor:
            cursor.execute(sql)

    def _savepoint(self, sid):
        self._run_savepoint_sql(self.ops.savepoint_create_sql(sid))

    def _savepoint_rollback(self, sid):
        self.drop_kept_cursor()  # as in _rollback()
        self._run_savepoint_sql(self.ops.savepoint_rollback_sql(sid))

    def _savepoint_commit(self, sid):
        self._run_savepoint_sql(self.ops.savepoint_commit_sql(sid))

    def _guarded_savepoint_step(self, step, sid):
        # Shared by create/rollback/release: a no-op where savepoints are
        # not allowed, otherwise the thread check then the vendor SQL.
        if not self._savepoint_allowed():
            return False
        self.validate_thread_sharing()
        step(sid)
        return True

    def savepoint(self):
        """Create a savepoint and return its name (None when not allowed)."""
        if not self._savepoint_allowed():
            return None
        self.savepoint_state += 1
        # The thread id keeps names unique if a connection is shared.
        thread_part = str(_thread.get_ident()).replace("-", "")
        sid = "s%s_x%d" % (thread_part, self.savepoint_state)
        self._guarded_savepoint_step(self._savepoint, sid)
        return sid

    def savepoint_rollback(self, sid):
        if self._guarded_savepoint_step(self._savepoint_rollback, sid):
            # Work done after the savepoint is gone, and so are its hooks.
            self.run_on_commit = [hook for hook in self.run_on_commit if sid not in hook[0]]

    def savepoint_commit(self, sid):
        self._guarded_savepoint_step(self._savepoint_commit, sid)

    def clean_savepoints(self):
        self.savepoint_state = 0

    # ------------------------------------------------------------------
    # on_commit hooks
    # ------------------------------------------------------------------
    def on_commit(self, func, robust=False):
        if not callable(func):
            raise TypeError("on_commit()'s callback must be a callable.")
        if self.in_atomic_block:
            # Remember which savepoints are open so a savepoint rollback
            # can discard the hook again.
            self.run_on_commit.append((set(self.savepoint_ids), func, robust))
        elif self.get_autocommit():
            _call_hook(func, robust, "")  # nothing pending: run right away
        else:
            raise TransactionManagementError(
                "on_commit() cannot be used in manual transaction management"
            )

    def run_and_clear_commit_hooks(self):
        self.validate_no_atomic_block()
        pending, self.run_on_commit = self.run_on_commit, []
        # Consume from the front so a hook that raises leaves the later
        # ones unrun rather than running twice.
        pending = deque(pending)
        while pending:
            _sids, func, robust = pending.popleft()
            _call_hook(func, robust, " during transaction")

    # ------------------------------------------------------------------
    # Foreign key checks
    # ------------------------------------------------------------------
    @contextmanager
    def constraint_checks_disabled(self):
        turned_off = self.disable_constraint_checking()
        try:
            yield
        finally:
            if turned_off:
                self.enable_constraint_checking()

    def disable_constraint_checking(self):
        """Return True only if checks were actually turned off."""
        return False

    def enable_constraint_checking(self):
        pass

    def check_constraints(self, table_names=None):
        """Raise IntegrityError for dangling foreign keys (where supported)."""

    # ------------------------------------------------------------------
    # Health checks and ageing
    # ------------------------------------------------------------------
    def close_if_health_check_failed(self):
        # At most one probe per request, and only when enabled.
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not self.is_usable():
            self.close()
        self.health_check_done = True

    def close_if_unusable_or_obsolete(self):
        """Drop the connection if it is in doubt or past CONN_MAX_AGE."""
        if self.connection is None:
            return
        self.health_check_done = False
        if self.get_autocommit() != self.settings_dict.get("AUTOCOMMIT", True):
            # Someone left autocommit changed: don't hand that state on.
            self.close()
            return
        if self.errors_occurred:
            if not self.is_usable():
                try:
                    self.close()
                except Error:
                    pass  # broken connections may refuse to close; forget it anyway
                return
            self.errors_occurred = False
            self.health_check_done = True
        if self.close_at is not None and time.monotonic() >= self.close_at:
            self.close()

    # ------------------------------------------------------------------
    # Thread ownership
    # ------------------------------------------------------------------
    # A counter, not a flag: several helpers (e.g. test servers) may share
    # the connection at once and each gives its share back independently.
    @property
    def allow_thread_sharing(self):
        with self._thread_sharing_lock:
            shared = self._thread_sharing_count
        return shared > 0

    def _change_thread_sharing(self, delta):
        with self._thread_sharing_lock:
            new_count = self._thread_sharing_count + delta
            if new_count < 0:
                raise RuntimeError("Cannot decrement the thread sharing count below zero.")
            self._thread_sharing_count = new_count

    def inc_thread_sharing(self):
        self._change_thread_sharing(+1)

    def dec_thread_sharing(self):
        self._change_thread_sharing(-1)

    def validate_thread_sharing(self):
        current = _thread.get_ident()
        if current != self._thread_ident and not self.allow_thread_sharing:
            raise DatabaseError(
                "DatabaseWrapper objects created in a thread can only be used in "
                "that same thread. The object was created in thread id %s and "
                "this is thread id %s." % (self._thread_ident, current)
            )


class _StatementCursor:
    """``with connection.statement_cursor() as cursor``: on success the
    cursor is kept for the next statement, on an error it is closed."""

    __slots__ = ("db", "cursor")

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.cursor = cursor = self.db._take_kept_cursor()
        return cursor

    def __exit__(self, exc_type, exc_value, tb):
        if exc_type is None:
            self.db._keep_cursor(self.cursor)
        else:
            self.db._close_quietly(self.cursor)
