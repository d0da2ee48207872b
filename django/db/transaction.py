"""
Transaction management: ``atomic`` blocks with nested savepoints,
``on_commit`` hooks and the low-level autocommit/savepoint API.

Single-database baseline: no function takes a ``using`` argument; all of
them reach the current thread's connection through ``_get_connection()``.
"""
from contextlib import ContextDecorator, contextmanager

from django.db.utils import DatabaseError, Error, ProgrammingError


class TransactionManagementError(ProgrammingError):
    """Transaction management is used improperly."""


def _get_connection():
    """The one place this module finds its connection (the branch adds aliases here)."""
    from django.db import get_connection

    return get_connection()


def get_connection():
    """Return the connection wrapper transactions operate on."""
    return _get_connection()


def get_autocommit():
    """Get the autocommit status of the connection."""
    return _get_connection().get_autocommit()


def set_autocommit(autocommit):
    """Set the autocommit status of the connection."""
    return _get_connection().set_autocommit(autocommit)


def commit():
    """Commit a transaction (forbidden inside an atomic block)."""
    _get_connection().commit()


def rollback():
    """Roll back a transaction (forbidden inside an atomic block)."""
    _get_connection().rollback()


def savepoint():
    """
    Create a savepoint (if supported and required by the backend) inside the
    current transaction. Return an identifier for the savepoint, or None.
    """
    return _get_connection().savepoint()


def savepoint_rollback(sid):
    """Roll back the most recent savepoint (if one exists)."""
    _get_connection().savepoint_rollback(sid)


def savepoint_commit(sid):
    """Commit (release) the most recent savepoint (if one exists)."""
    _get_connection().savepoint_commit(sid)


def clean_savepoints():
    """Reset the counter used to generate unique savepoint ids in this thread."""
    _get_connection().clean_savepoints()


def get_rollback():
    """Get the "needs rollback" flag -- for *advanced use* only."""
    return _get_connection().get_rollback()


def set_rollback(rollback):
    """
    Set or unset the "needs rollback" flag -- for *advanced use* only.

    When ``rollback`` is True, the innermost atomic block rolls back on exit
    instead of committing. Outside an atomic block this raises
    TransactionManagementError.
    """
    return _get_connection().set_rollback(rollback)


@contextmanager
def mark_for_rollback_on_error():
    """
    Internal low-level utility: if an exception escapes the block while an
    atomic block is active, mark that block for rollback. Used by code that
    runs several queries without its own savepoint.
    """
    try:
        yield
    except Exception as exc:
        connection = _get_connection()
        if connection.in_atomic_block:
            connection.needs_rollback = True
            connection.rollback_exc = exc
        raise


def on_commit(func, robust=False):
    """
    Register ``func`` to be called when the current transaction is committed.
    If the current transaction is rolled back, ``func`` is not called. With
    ``robust=True`` an exception raised by ``func`` is logged and swallowed.
    """
    _get_connection().on_commit(func, robust)


#################################
# Decorators / context managers #
#################################


class Atomic(ContextDecorator):
    """
    Guarantee the atomic execution of a block of code.

    The outermost block opens a transaction and commits (or rolls back) it
    on exit. Inner blocks create a savepoint (unless ``savepoint=False``) and
    release or roll back to it. With ``savepoint=False`` an inner failure
    marks the outer transaction for rollback instead.

    ``durable=True`` asserts that the block is outermost (RuntimeError
    otherwise), so that its work really is committed on exit. The test
    framework wraps tests in blocks created with ``_from_testcase=True``;
    those do not count as enclosing blocks for the durability check.

    State is kept on the connection (not on this object) so that a single
    Atomic instance can be reused as a decorator and is re-entrant.
    """

    def __init__(self, savepoint=True, durable=False, _from_testcase=False):
        self.savepoint = savepoint
        self.durable = durable
        self._from_testcase = _from_testcase

    def __enter__(self):
        connection = _get_connection()

        if (
            self.durable
            and connection.atomic_blocks
            and not connection.atomic_blocks[-1]._from_testcase
        ):
            raise RuntimeError(
                "A durable atomic block cannot be nested within another atomic block."
            )
        if not connection.in_atomic_block:
            # Reset state when entering an outermost atomic block.
            connection.commit_on_exit = True
            connection.needs_rollback = False
            if not connection.get_autocommit():
                # Pretend we're already in an atomic block to bypass the code
                # that disables autocommit to enter a transaction, and make a
                # note to deal with this case in __exit__.
                connection.in_atomic_block = True
                connection.commit_on_exit = False

        if connection.in_atomic_block:
            # We're already in a transaction; create a savepoint, unless we
            # were told not to or we're already in a transaction that has
            # been marked for rollback (the savepoint would be pointless).
            if self.savepoint and not connection.needs_rollback:
                sid = connection.savepoint()
                connection.savepoint_ids.append(sid)
            else:
                connection.savepoint_ids.append(None)
        else:
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            connection.in_atomic_block = True

        if connection.in_atomic_block:
            connection.atomic_blocks.append(self)

    def __exit__(self, exc_type, exc_value, traceback):
        connection = _get_connection()

        if connection.in_atomic_block:
            connection.atomic_blocks.pop()

        if connection.savepoint_ids:
            sid = connection.savepoint_ids.pop()
        else:
            # Prematurely unset this flag to allow using commit or rollback.
            connection.in_atomic_block = False

        try:
            if connection.closed_in_transaction:
                # The database will perform a rollback by itself.
                # Wait until we exit the outermost block.
                pass

            elif exc_type is None and not connection.needs_rollback:
                if connection.in_atomic_block:
                    # Release savepoint if there is one.
                    if sid is not None:
                        try:
                            connection.savepoint_commit(sid)
                        except DatabaseError:
                            try:
                                connection.savepoint_rollback(sid)
                                # The savepoint won't be reused. Release it to
                                # minimize overhead for the database server.
                                connection.savepoint_commit(sid)
                            except Error:
                                # If rolling back to a savepoint fails, mark
                                # for rollback at a higher level and avoid
                                # shadowing the original exception.
                                connection.needs_rollback = True
                            raise
                else:
                    # Commit transaction.
                    try:
                        connection.commit()
                    except DatabaseError:
                        try:
                            connection.rollback()
                        except Error:
                            # An error during rollback means that something
                            # went wrong with the connection. Drop it.
                            connection.close()
                        raise
            else:
                # This flag will be set to True again if there isn't a
                # savepoint allowing to perform the rollback at this level.
                connection.needs_rollback = False
                if connection.in_atomic_block:
                    # Roll back to savepoint if there is one, mark for
                    # rollback otherwise.
                    if sid is None:
                        connection.needs_rollback = True
                        if exc_value is not None:
                            connection.rollback_exc = exc_value
                    else:
                        try:
                            connection.savepoint_rollback(sid)
                            # The savepoint won't be reused. Release it to
                            # minimize overhead for the database server.
                            connection.savepoint_commit(sid)
                        except Error:
                            # If rolling back to a savepoint fails, mark for
                            # rollback at a higher level and avoid shadowing
                            # the original exception.
                            connection.needs_rollback = True
                else:
                    # Roll back transaction.
                    try:
                        connection.rollback()
                    except Error:
                        # An error during rollback means that something
                        # went wrong with the connection. Drop it.
                        connection.close()

        finally:
            # Outermost block exit when autocommit was enabled.
            if not connection.in_atomic_block:
                if connection.closed_in_transaction:
                    connection.connection = None
                else:
                    connection.set_autocommit(True)
            # Outermost block exit when autocommit was disabled.
            elif not connection.savepoint_ids and not connection.commit_on_exit:
                if connection.closed_in_transaction:
                    connection.connection = None
                else:
                    connection.in_atomic_block = False


def atomic(func=None, *, savepoint=True, durable=False):
    """
    ``atomic`` used bare (``@atomic``), called (``@atomic(savepoint=False)``)
    or as a context manager (``with atomic():``).
    """
    if callable(func):
        return Atomic(savepoint, durable)(func)
    if func is not None:
        raise TypeError(
            "atomic() takes a function or keyword arguments only; got %r. "
            "Single-database baseline: there is no 'using' argument." % (func,)
        )
    return Atomic(savepoint, durable)


def non_atomic_requests(view):
    """Mark a view as not wrapped in a transaction (ATOMIC_REQUESTS)."""
    view._non_atomic_requests = True
    return view


######################################
# Older API: commit_on_success etc.  #
######################################


def commit_on_success(func=None):
    """
    Pre-atomic spelling of ``atomic``: commit when the block succeeds, roll
    back when it raises. Works as ``@commit_on_success``,
    ``@commit_on_success()`` and ``with commit_on_success():``.
    """
    return atomic(func) if callable(func) else Atomic()


class _CommitManually(ContextDecorator):
    """
    Turn autocommit off for the block: the code commits or rolls back
    itself. Leaving the block with a transaction still pending (a statement
    ran since the last commit()/rollback()) rolls it back and raises
    TransactionManagementError.
    """

    def __enter__(self):
        connection = _get_connection()
        connection.validate_no_atomic_block()
        self._previous_autocommit = connection.get_autocommit()
        connection.set_autocommit(False)
        # commit()/rollback() on the wrapper reset this flag; the execute
        # wrapper below sets it for every statement.
        connection.transaction_dirty = False
        connection.execute_wrappers.append(_mark_dirty)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        connection = _get_connection()
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
        return type(self)()


def _mark_dirty(execute, sql, params, many, context):
    # Reads leave nothing to commit; anything else makes work pending.
    if sql.lstrip()[:6].upper() != "SELECT":
        context["connection"].transaction_dirty = True
    return execute(sql, params, many, context)


def commit_manually(func=None):
    """
    Hand transaction control to the code in the block (autocommit off). The
    block must end with commit() or rollback(); otherwise the pending work
    is rolled back and TransactionManagementError is raised.
    """
    return _CommitManually()(func) if callable(func) else _CommitManually()
