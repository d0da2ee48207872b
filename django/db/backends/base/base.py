"""
The vendor-independent part of a database connection wrapper.

A ``BaseDatabaseWrapper`` owns one DB-API connection (opened lazily) plus the
bookkeeping Django layers on top of it: atomic-block and savepoint state,
on_commit hooks, the query log, thread ownership, connection ageing, and
what becomes of the wrapper when the server closes the connection
(connection_lost(), decided on the error path, never by a probe).
Vendors subclass it and fill in the few driver-facing hooks at the top of
the "driver hooks" section.
"""
import _thread
import asyncio.events
import copy
import datetime
import os
import threading
import time
import warnings
import zoneinfo
from collections import deque
from contextlib import contextmanager

from django.core.exceptions import SynchronousOnlyOperation
from django.db.backends import utils
from django.db.backends.refusals import REFUSED, check as check_not_refused
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


def refuse_inside_event_loop(wrapper):
    """
    Raise SynchronousOnlyOperation when called from a thread running an
    event loop: a blocking database call there would stall every task of
    the loop. asyncio.to_thread() and thread pools run in threads of their
    own (with wrappers of their own). DJANGO_ALLOW_ASYNC_UNSAFE lifts the
    rule (notebooks and shells run a loop of their own).
    """
    # The C helper behind get_running_loop(), without its exception: this
    # runs for every statement, and the answer is nearly always "no loop".
    if asyncio.events._get_running_loop() is None:
        return
    if os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"):
        return
    raise SynchronousOnlyOperation(
        "Database access (alias %r) from inside a running event loop would block it. "
        "Run the ORM code in a thread (asyncio.to_thread(), sync_to_async()) or set "
        "DJANGO_ALLOW_ASYNC_UNSAFE to allow it." % (wrapper.alias,)
    )


def _missing(name):
    def hook(self, *args, **kwargs):
        raise NotImplementedError(
            "subclasses of BaseDatabaseWrapper may require a %s() method" % name
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


# A wrapper's bookkeeping, by lifetime: attribute -> starting value (a
# callable makes a fresh mutable one). connect() starts the transaction
# and connection states afresh: a new connection is in no atomic block,
# whatever the previous one was doing when it went away.
_WRAPPER_STATE = {
    "connection": None,  # the driver connection, opened on demand
    "force_debug_cursor": False,
    "execute_wrappers": list,
    # Compiled statements by query shape, owned by the SQL compilers:
    # SELECTs (django.db.models.sql.statement_cache) and INSERTs.
    "compiled_selects": dict,
    "compiled_inserts": dict,
    "_kept_cursor": None,  # (driver connection, cursor wrapper): statement_cursor()
    "autocommit": False,
    "savepoint_state": 0,  # counter behind savepoint names
    "rollback_exc": None,
    "run_on_commit": list,  # (savepoint ids, callback, robust) from on_commit()
    "run_commit_hooks_on_set_autocommit_on": False,
    "transaction_dirty": False,  # work under commit_manually awaits commit/rollback
    "close_at": None,  # monotonic time after which the connection retires
    "health_check_enabled": False,
    "_sharing_count": 0,  # see inc_thread_sharing()
}
_TRANSACTION_STATE = {
    "in_atomic_block": False,
    # One per active atomic block, innermost last (see django.db.transaction):
    # each knows its Atomic and its savepoint id, if it has one.
    "atomic_levels": list,
    "needs_rollback": False,
}
_CONNECTION_STATE = {
    "closed_in_transaction": False,
    "errors_occurred": False,
    "health_check_done": False,
}


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
    # and greeted, unless DATABASES OPTIONS["connect_timeout"] says otherwise.
    default_connect_timeout = 10

    # The debug query log is a ring buffer so a long DEBUG process
    # cannot grow without bound.
    queries_limit = 9000

    def __init__(self, settings_dict, alias="default"):
        self.settings_dict = settings_dict
        self.alias = alias  # its key in django.db.connections (also named in messages)
        self.queries_log = deque(maxlen=self.queries_limit)
        self._error_wrapper = DatabaseErrorWrapper(self)
        # Thread ownership: see validate_thread_sharing().
        self._owner_thread = _thread.get_ident()
        self._sharing_lock = threading.Lock()
        for state in (_WRAPPER_STATE, _TRANSACTION_STATE, _CONNECTION_STATE):
            self._start_afresh(state)
        self._make_helpers()

    def _start_afresh(self, state):
        """Give each attribute of ``state`` its starting value."""
        for name, start in state.items():
            setattr(self, name, start() if callable(start) else start)

    def _make_helpers(self):
        # One instance of each helper class per wrapper; validation has a
        # default, the others stay None when a backend has none.
        for attribute in ("client", "creation", "features", "introspection", "ops"):
            helper_class = getattr(self, attribute + "_class")
            setattr(self, attribute, helper_class(self) if helper_class else None)
        validation_class = self.validation_class
        if validation_class is None:
            from .validation import BaseDatabaseValidation as validation_class
        self.validation = validation_class(self)

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

    def is_usable(self):
        """Whether the connection still answers (a round trip: see
        probe_connection()); False when there is none."""
        if self.connection is None:
            return False
        try:
            self.probe_connection()
        except (Error, self.Database.Error):
            return False
        return True

    def probe_connection(self):
        """One round trip to the server on the bare driver connection (no
        logging, no error translation); raises if it does not answer."""
        probe = self.connection.cursor()
        try:
            probe.execute("SELECT 1")
        finally:
            probe.close()

    def init_connection_state(self):
        """Per-connection session setup run right after connecting."""

    def settings_as_params(self, keywords):
        """
        {driver keyword: value as text} for the DATABASES keys named in
        ``keywords`` (setting -> keyword) that are not empty: what a server
        backend's get_connection_params() starts from.
        """
        settings_dict = self.settings_dict
        return {
            keyword: str(settings_dict[setting])
            for setting, keyword in keywords.items()
            if settings_dict.get(setting)
        }

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
        refuse_inside_event_loop(self)
        if REFUSED:
            check_not_refused(self)
        self.check_settings()
        self._start_afresh(_TRANSACTION_STATE)
        self._start_afresh(_CONNECTION_STATE)
        self.health_check_done = True  # a connection just opened needs no probe
        # CONN_MAX_AGE None means "never expire"; 0 expires at the first check.
        max_age = self.settings_dict.get("CONN_MAX_AGE", 0)
        self.close_at = None if max_age is None else time.monotonic() + max_age
        self.connection = self.get_new_connection(self.get_connection_params())
        self.set_autocommit(self.settings_dict.get("AUTOCOMMIT", True))
        self.init_connection_state()
        connection_created.send(sender=type(self), connection=self)
        self.run_on_commit = []

    def ensure_connection(self):
        """
        Connect unless connected. With health checks on, a connection that
        fails its probe (at most one per request) is dropped first, so a new
        one replaces it.
        """
        if self.health_check_enabled:
            self.close_if_health_check_failed()
        if self.connection is not None:
            return
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
        refuse_inside_event_loop(self)
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
        Forget the driver connection, closing whatever is left of it and
        ignoring any error (the server may be gone already): the next
        statement opens a new connection.
        """
        leftover, self.connection = self.connection, None
        self.closed_in_transaction = False
        self.run_on_commit = []  # their transaction, if any, went with it
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

    def temporary_connection(self):
        """
        ``with connection.temporary_connection() as cursor``: a cursor for
        the block; the connection is closed afterwards if it was closed
        when this was called.
        """
        return _ScopedCursor(self, close_connection=self.connection is None)

    def _nodb_cursor(self):
        """
        A cursor not bound to the configured database, for creating or
        dropping the test database, closed with its connection after the
        ``with`` block. maintenance_databases() names where it connects.
        """
        return _ScopedCursor(self._maintenance_connection(), close_connection=True)

    def maintenance_databases(self):
        """
        The databases _nodb_cursor() may connect to, in order of preference:
        each but the last is skipped if it cannot be reached. None: the
        server without a database selected.
        """
        return (None,)

    def _maintenance_connection(self):
        *fallbacks, last = self.maintenance_databases()
        for name in fallbacks:
            candidate = self._twin_on(name)
            try:
                candidate.ensure_connection()
            except OperationalError:
                candidate.close()
            else:
                return candidate
        return self._twin_on(last)

    def _twin_on(self, database_name):
        return type(self)(dict(self.settings_dict, NAME=database_name), alias=NO_DB_ALIAS)

    def copy(self, alias=None):
        """An unconnected twin of this wrapper with its own settings copy."""
        return type(self)(copy.deepcopy(self.settings_dict), alias=alias or self.alias)

    # ------------------------------------------------------------------
    # Cursors
    # ------------------------------------------------------------------
    def _cursor(self, name=None):
        # A refused alias (a test that did not declare it) gets no cursor,
        # even on a connection opened before the refusal.
        if REFUSED:
            check_not_refused(self)
        # Ownership first: a thread that may not use the wrapper must not
        # open its connection either.
        refuse_inside_event_loop(self)
        self.validate_thread_sharing()
        self.ensure_connection()
        with self.wrap_database_errors:
            driver_cursor = self.create_cursor(name)
        if self.queries_logged:
            return self.make_debug_cursor(driver_cursor)
        return self.make_cursor(driver_cursor)

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
        # What cursor() checks on every call, inlined: this runs per statement.
        if asyncio.events._get_running_loop() is not None:
            refuse_inside_event_loop(self)
        self._kept_cursor = None
        if _thread.get_ident() != self._owner_thread:
            self.validate_thread_sharing()
        if self.health_check_enabled:
            self.close_if_health_check_failed()
        driver_connection, cursor = kept
        if (driver_connection is self.connection
                and isinstance(cursor, utils.CursorDebugWrapper) == self.queries_logged):
            return cursor
        # Reconnected, or DEBUG changed (the wrapper class differs).
        self.close_cursor_quietly(cursor)
        return self.cursor()

    def _keep_cursor(self, cursor):
        if self._kept_cursor is None and self.connection is not None:
            rowcount = cursor.rowcount
            if rowcount is None or rowcount <= self.kept_cursor_max_rows:
                self._kept_cursor = (self.connection, cursor)
                return
        self.close_cursor_quietly(cursor)

    def close_cursor_quietly(self, cursor):
        """Close ``cursor``; if its connection is dead the cursor is gone
        with it, and the error saying so is not worth raising."""
        try:
            cursor.close()
        except (Error, self.Database.Error):
            pass

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
        Switch autocommit on or off (never inside an atomic block). With the
        ``force_...`` flag, as the outermost atomic block asks, the backend's
        begin_transaction() opens the transaction: some drivers do not begin
        one before every kind of statement once autocommit is off.
        """
        self.validate_no_atomic_block()
        self.ensure_connection()
        if not autocommit:
            explicit = force_begin_transaction_with_broken_autocommit
            (self.begin_transaction if explicit else self._autocommit_off)()
            self.autocommit = False
            return
        self._set_autocommit(True)
        self.autocommit = True
        if self.run_commit_hooks_on_set_autocommit_on:
            # Hooks queued by commit() in manual mode: their transaction is
            # over now.
            self.run_commit_hooks_on_set_autocommit_on = False
            self.run_and_clear_commit_hooks()

    def _autocommit_off(self):
        with utils.debug_transaction(self, "BEGIN"):
            self._set_autocommit(False)

    def begin_transaction(self):
        """
        Open the outermost atomic block's transaction. Turning autocommit
        off is enough where the driver then begins a transaction before the
        next statement; backends whose driver does not override this.
        """
        self._autocommit_off()

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
    def _can_use_savepoints(self):
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

    def _savepoint_step(self, step, sid):
        """Run the vendor step for ``sid`` where savepoints can be used;
        return whether it ran."""
        usable = self._can_use_savepoints()
        if usable:
            self.validate_thread_sharing()
            step(sid)
        return usable

    def savepoint(self):
        """Create a savepoint and return its name (None when not allowed)."""
        if not self._can_use_savepoints():
            return None
        self.savepoint_state += 1
        # The thread's id keeps names unique on a connection shared by threads.
        sid = "sp_%x_%d" % (_thread.get_ident(), self.savepoint_state)
        self._savepoint_step(self._savepoint, sid)
        return sid

    def savepoint_rollback(self, sid):
        if self._savepoint_step(self._savepoint_rollback, sid):
            # Work done after the savepoint is gone, and so are its hooks.
            self.run_on_commit = [hook for hook in self.run_on_commit if sid not in hook[0]]

    def savepoint_commit(self, sid):
        self._savepoint_step(self._savepoint_commit, sid)

    def clean_savepoints(self):
        self.savepoint_state = 0

    # ------------------------------------------------------------------
    # on_commit hooks
    # ------------------------------------------------------------------
    def on_commit(self, func, robust=False):
        if not callable(func):
            raise TypeError("on_commit()'s callback must be a callable.")
        if self.in_atomic_block:
            # Keyed by the savepoints open now: rolling back to one of them
            # discards the hook again.
            open_savepoints = {level.savepoint for level in self.atomic_levels}
            self.run_on_commit.append((open_savepoints, func, robust))
        else:
            self._run_hook_now(func, robust)

    def _run_hook_now(self, func, robust):
        # In autocommit nothing is pending: the hook runs at once. Under
        # manual transaction management nobody could say when it should.
        if not self.get_autocommit():
            raise TransactionManagementError(
                "on_commit() cannot be used in manual transaction management"
            )
        _call_hook(func, robust, "")

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
    def constraint_checks_disabled(self):
        """``with``: foreign key checks off for the block (where the backend
        can turn them off), on again afterwards."""
        return _ConstraintChecksOff(self)

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
        """With health checks enabled, probe the connection once per request
        (is_usable()) and drop it if the probe fails."""
        due = self.health_check_enabled and not self.health_check_done
        if due and self.connection is not None:
            self.health_check_done = True
            if not self.is_usable():
                self.close()

    def close_if_unusable_or_obsolete(self):
        """Between requests: retire the connection if it is in doubt or past
        CONN_MAX_AGE; a new request may probe it again."""
        if self.connection is None:
            return
        self.health_check_done = False
        if self._should_retire():
            self.close()

    def _should_retire(self):
        if self.get_autocommit() != self.settings_dict.get("AUTOCOMMIT", True):
            return True  # someone left autocommit changed: don't hand that on
        if self.errors_occurred:
            # An error put the connection in doubt: a probe settles it, and
            # a passing one serves as this request's health check.
            if not self.is_usable():
                return True
            self.errors_occurred = False
            self.health_check_done = True
        return self.close_at is not None and time.monotonic() >= self.close_at

    # ------------------------------------------------------------------
    # Thread ownership
    # ------------------------------------------------------------------
    # A wrapper serves the thread that created it. Sharing is counted, not
    # flagged: several helpers (e.g. test servers) may share it at once and
    # each gives its share back independently.
    @property
    def allow_thread_sharing(self):
        return self._sharing_count > 0

    def _change_thread_sharing(self, delta):
        with self._sharing_lock:
            if self._sharing_count + delta < 0:
                raise RuntimeError("Cannot decrement the thread sharing count below zero.")
            self._sharing_count += delta

    def inc_thread_sharing(self):
        self._change_thread_sharing(+1)

    def dec_thread_sharing(self):
        self._change_thread_sharing(-1)

    def validate_thread_sharing(self):
        current = _thread.get_ident()
        if current == self._owner_thread or self._sharing_count > 0:
            return
        raise DatabaseError(
            "DatabaseWrapper objects created in a thread can only be used in "
            "that same thread. The object was created in thread id %s and "
            "this is thread id %s." % (self._owner_thread, current)
        )


class _ScopedCursor:
    """
    ``with``: a new cursor of ``db`` for the block, closed after it; the
    connection is closed too if ``close_connection`` (even when opening
    the cursor failed, so nothing this opened stays open).
    """

    __slots__ = ("db", "close_connection", "cursor")

    def __init__(self, db, close_connection):
        self.db = db
        self.close_connection = close_connection

    def __enter__(self):
        try:
            self.cursor = self.db.cursor()
        except BaseException:
            self._release_connection()
            raise
        return self.cursor

    def __exit__(self, exc_type, exc_value, tb):
        try:
            self.db.close_cursor_quietly(self.cursor)
        finally:
            self._release_connection()

    def _release_connection(self):
        if self.close_connection:
            self.db.close()


class _ConstraintChecksOff:
    """See BaseDatabaseWrapper.constraint_checks_disabled(). Checks come back
    on only if turning them off took effect (SQLite cannot inside a
    transaction, and says so)."""

    __slots__ = ("db", "turned_off")

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.turned_off = self.db.disable_constraint_checking()

    def __exit__(self, exc_type, exc_value, tb):
        if self.turned_off:
            self.db.enable_constraint_checking()


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
            self.db.close_cursor_quietly(self.cursor)
