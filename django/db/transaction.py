"""
Transaction management: ``atomic`` blocks with nested savepoints,
``on_commit`` hooks and the low-level autocommit/savepoint API.

Every function takes ``using``, the alias of the database it acts on
(None means ``DEFAULT_DB_ALIAS``); transaction state lives on that alias's
wrapper for the current thread, so blocks on different databases nest
freely and do not affect each other.
"""
from contextlib import ContextDecorator

from django.db.utils import DEFAULT_DB_ALIAS, DatabaseError, Error, ProgrammingError


class TransactionManagementError(ProgrammingError):
    """Transaction management is used improperly."""


def _wrapper_for(using):
    """
    The one place this module finds its connection: this thread's wrapper
    of the alias ``using``. The backends pass a wrapper itself (a schema
    editor or flush works on its own wrapper, which may be a twin that no
    alias names).
    """
    from django.db import connections

    if using is None:
        return connections[DEFAULT_DB_ALIAS]
    if isinstance(using, str):
        return connections[using]
    from django.db.backends.base.base import BaseDatabaseWrapper

    if isinstance(using, BaseDatabaseWrapper):
        return using
    raise TypeError("using must be a database alias, not %r." % (using,))


def get_connection(using=None):
    """The connection wrapper transactions on ``using`` operate on."""
    return _wrapper_for(using)


def _forward(method_name, summary):
    """A module-level function that calls ``method_name`` on the wrapper of
    its ``using`` keyword argument."""

    def call(*args, using=None, **kwargs):
        return getattr(_wrapper_for(using), method_name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = method_name
    call.__doc__ = summary + " ``using``: the database alias (default: 'default')."
    return call


# The low-level API is the wrapper's own, minus the connection argument.
get_autocommit = _forward("get_autocommit", "Whether the connection is in autocommit mode.")
set_autocommit = _forward("set_autocommit", "Switch autocommit on or off (not inside atomic).")
commit = _forward("commit", "Commit the current transaction (not inside atomic).")
rollback = _forward("rollback", "Roll back the current transaction (not inside atomic).")
savepoint = _forward("savepoint", "Create a savepoint; return its id, or None where unsupported.")
savepoint_rollback = _forward("savepoint_rollback", "Roll back to the savepoint ``sid``.")
savepoint_commit = _forward("savepoint_commit", "Release the savepoint ``sid``.")
clean_savepoints = _forward("clean_savepoints", "Restart savepoint numbering for this thread.")
get_rollback = _forward(
    "get_rollback", "Whether the innermost atomic block will roll back on exit."
)
set_rollback = _forward(
    "set_rollback",
    "Force (True) or cancel (False) rollback of the innermost atomic block. "
    "Raises TransactionManagementError outside atomic.",
)


def on_commit(func, using=None, robust=False):
    """
    Call ``func`` once the current transaction on ``using`` commits (at
    once when no transaction is open); never if it rolls back.
    ``robust=True`` logs and swallows exceptions from ``func``.
    """
    _wrapper_for(using).on_commit(func, robust)


class _MarkForRollbackOnError(ContextDecorator):
    # A plain class rather than @contextmanager: Model.save() enters one per
    # call, and it holds no state but its alias, so one instance per alias
    # serves every block.
    __slots__ = ("using",)

    def __init__(self, using):
        self.using = using

    def __enter__(self):
        return None

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is not None and issubclass(exc_type, Exception):
            connection = _wrapper_for(self.using)
            if connection.in_atomic_block:
                connection.needs_rollback = True
                connection.rollback_exc = exc_value
        return False


_ROLLBACK_MARKERS = {}


def mark_for_rollback_on_error(using=None):
    """
    For code that runs several statements without a savepoint of its own:
    an exception leaving the block dooms the enclosing atomic block on
    ``using``, so a half-done change can never be committed.
    """
    try:
        return _ROLLBACK_MARKERS[using]
    except KeyError:
        if not isinstance(using, (str, type(None))):
            raise TypeError("using must be a database alias, not %r." % (using,))
        return _ROLLBACK_MARKERS.setdefault(using, _MarkForRollbackOnError(using))


# ---------------------------------------------------------------------------
# atomic
# ---------------------------------------------------------------------------
#
# Every active block has a level on the connection (connection.atomic_levels,
# innermost last): one Atomic object may be active several times at once (a
# decorated function calling itself), so what a block must do on exit cannot
# live on the Atomic. How a block began decides how it ends:
#
#   _Outermost  began the transaction (autocommit was on): on exit it commits
#               or rolls back, and autocommit comes back.
#   _Nested     inside a transaction: its savepoint, if it has one, is
#               released or rolled back; a failure without one dooms the
#               enclosing transaction (needs_rollback), which rolls back when
#               a level that can undo the work exits.
#   _Joining    outermost, but autocommit was off: it joins the transaction
#               someone opened by hand, as a nested level would, and leaves
#               the commit or rollback to them.
#
# A level fails if an exception leaves the block or the transaction is marked
# for rollback (set_rollback(True), or an error inside it). When the
# connection was closed inside the block (closed_in_transaction), nothing
# can reach the server: nested levels do nothing and the outermost drops the
# dead connection, whose work the server has already rolled back.


def _discard_savepoint(connection, sid):
    """Undo everything since ``sid``, then free it on the server (it is
    never reused). If either step fails, an enclosing level has to undo the
    work: the transaction is doomed."""
    for step in (connection.savepoint_rollback, connection.savepoint_commit):
        try:
            step(sid)
        except Error:
            connection.needs_rollback = True
            return


def _rollback_or_drop(connection):
    # A rollback that fails means the connection itself is broken.
    try:
        connection.rollback()
    except Error:
        connection.close()


def _complete_or_undo(complete, undo):
    """Run complete(); if the database refuses, undo() and re-raise."""
    try:
        complete()
    except DatabaseError:
        undo()
        raise


class _Nested:
    __slots__ = ("atomic", "savepoint")

    def __init__(self, atomic):
        self.atomic = atomic
        self.savepoint = None

    def begin(self, connection):
        connection.atomic_levels.append(self)
        # A savepoint in an already doomed transaction would be useless.
        if self.atomic.savepoint and not connection.needs_rollback:
            try:
                self.savepoint = connection.savepoint()
            except BaseException:
                connection.atomic_levels.pop()
                raise

    def end(self, connection, failed, exc_value):
        sid = self.savepoint
        if connection.closed_in_transaction:
            return
        if not failed:
            if sid is not None:
                _complete_or_undo(
                    lambda: connection.savepoint_commit(sid),
                    lambda: _discard_savepoint(connection, sid),
                )
        elif sid is not None:
            connection.needs_rollback = False
            _discard_savepoint(connection, sid)
        else:
            connection.needs_rollback = True
            if exc_value is not None:
                connection.rollback_exc = exc_value


class _Joining(_Nested):
    __slots__ = ()

    def begin(self, connection):
        connection.needs_rollback = False
        connection.in_atomic_block = True
        try:
            super().begin(connection)
        except BaseException:
            connection.in_atomic_block = False
            raise

    def end(self, connection, failed, exc_value):
        try:
            super().end(connection, failed, exc_value)
        finally:
            connection.in_atomic_block = False


class _Outermost:
    __slots__ = ("atomic",)
    savepoint = None

    def __init__(self, atomic):
        self.atomic = atomic

    def begin(self, connection):
        connection.needs_rollback = False
        connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        connection.in_atomic_block = True
        connection.atomic_levels.append(self)

    def end(self, connection, failed, exc_value):
        # Out of the block first: commit() and rollback() refuse to run in one.
        connection.in_atomic_block = False
        connection.needs_rollback = False
        if connection.closed_in_transaction:
            connection.drop_connection()
            return
        try:
            if failed:
                _rollback_or_drop(connection)
            else:
                _complete_or_undo(connection.commit, lambda: _rollback_or_drop(connection))
        finally:
            if connection.connection is not None:  # else a new one starts in autocommit
                connection.set_autocommit(True)


class Atomic(ContextDecorator):
    """
    The outermost block owns a transaction: it begins it and commits or
    rolls it back on exit.  Nested blocks each get a savepoint (unless
    ``savepoint=False``, in which case a failure inside them dooms the
    whole transaction instead).

    ``durable=True`` insists on being outermost (RuntimeError otherwise) so
    its work is known to be committed on exit; blocks opened by the test
    framework (``_opened_by_test_case=True``) do not count as enclosing.

    All state lives on the connection (see the levels above), which makes
    one instance reusable as a decorator and safe to nest within itself.
    """

    def __init__(self, using=None, savepoint=True, durable=False, _opened_by_test_case=False):
        # The alias is looked up at each entry, never kept as a wrapper: one
        # instance (a decorator) serves every thread.
        self.savepoint, self.durable = savepoint, durable
        self._opened_by_test_case = _opened_by_test_case
        self.using = using

    def __enter__(self):
        connection = _wrapper_for(self.using)
        levels = connection.atomic_levels
        if self.durable and levels and not levels[-1].atomic._opened_by_test_case:
            raise RuntimeError(
                "A durable atomic block cannot be nested within another atomic block."
            )
        if levels:
            level = _Nested(self)
        elif connection.get_autocommit():
            level = _Outermost(self)
        else:
            level = _Joining(self)
        level.begin(connection)

    def __exit__(self, exc_type, exc_value, traceback):
        connection = _wrapper_for(self.using)
        level = connection.atomic_levels.pop()
        failed = exc_type is not None or connection.needs_rollback
        level.end(connection, failed, exc_value)


def atomic(using=None, savepoint=True, durable=False):
    """
    ``atomic`` used bare (``@atomic``), called (``@atomic(using='other')``,
    ``@atomic('other')``) or as a context manager (``with atomic():``).
    ``using`` is the database alias (default: 'default').
    """
    if callable(using):
        return Atomic(None, savepoint, durable)(using)
    if using is not None and not isinstance(using, str):
        raise TypeError("atomic() takes a function or a database alias; got %r." % (using,))
    return Atomic(using, savepoint, durable)


def non_atomic_requests(view):
    """Mark a view as not wrapped in a transaction (ATOMIC_REQUESTS)."""
    view._non_atomic_requests = True
    return view


######################################
# Older API: commit_on_success etc.  #
######################################


def commit_on_success(using=None):
    """
    Pre-atomic spelling of ``atomic``: commit when the block succeeds, roll
    back when it raises. Works as ``@commit_on_success``,
    ``@commit_on_success(using='other')`` and ``with commit_on_success():``.
    """
    return atomic(using)


class _CommitManually(ContextDecorator):
    """
    Turn autocommit off for the block: the code commits or rolls back
    itself. Leaving the block with a transaction still pending (a statement
    ran since the last commit()/rollback()) rolls it back and raises
    TransactionManagementError.
    """

    def __init__(self, using=None):
        self.using = using

    def __enter__(self):
        connection = _wrapper_for(self.using)
        connection.validate_no_atomic_block()
        self._previous_autocommit = connection.get_autocommit()
        connection.set_autocommit(False)
        # commit()/rollback() on the wrapper reset this flag; the execute
        # wrapper below sets it for every statement.
        connection.transaction_dirty = False
        connection.execute_wrappers.append(_mark_dirty)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        connection = _wrapper_for(self.using)
        try:
            connection.execute_wrappers.remove(_mark_dirty)
        except ValueError:
            pass
        pending = connection.transaction_dirty
        try:
            # Also ends a read-only transaction (some drivers refuse to turn
            # autocommit back on inside one); nothing to lose there.
            connection.rollback()
        finally:
            connection.transaction_dirty = False
            connection.set_autocommit(self._previous_autocommit)
        if pending and exc_type is None:
            raise TransactionManagementError(
                "Transaction managed block ended with pending COMMIT/ROLLBACK"
            )
        return False


    def _recreate_cm(self):
        # Each call of a decorated function gets its own saved state.
        return type(self)(self.using)


def _mark_dirty(execute, sql, params, many, context):
    # Reads leave nothing to commit; anything else makes work pending.
    if sql.lstrip()[:6].upper() != "SELECT":
        context["connection"].transaction_dirty = True
    return execute(sql, params, many, context)


def commit_manually(using=None):
    """
    Hand transaction control to the code in the block on database ``using``
    (autocommit off). The block must end with commit() or rollback();
    otherwise the pending work is rolled back and TransactionManagementError
    is raised.
    """
    if callable(using):
        return _CommitManually()(using)
    return _CommitManually(using)
