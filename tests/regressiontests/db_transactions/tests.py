"""transaction.atomic, savepoints, on_commit and the older API, on raw SQL."""
from django.db import IntegrityError, connection, get_connection, transaction
from django.db.transaction import TransactionManagementError
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext

TABLE = "db_transactions_row"


def qn(name):
    return connection.ops.quote_name(name)


class RawTableMixin:
    def setUp(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE %s (%s INTEGER PRIMARY KEY, %s VARCHAR(20))"
                % (qn(TABLE), qn("id"), qn("name"))
            )

    def tearDown(self):
        conn = get_connection()
        # A failed test may leave a transaction open; don't hide its error.
        if conn.in_atomic_block or not conn.get_autocommit():
            conn.in_atomic_block = False
            conn.rollback()
            conn.set_autocommit(True)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE %s" % qn(TABLE))

    def insert(self, pk, name="x"):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO %s (%s, %s) VALUES (%%s, %%s)" % (qn(TABLE), qn("id"), qn("name")),
                [pk, name],
            )

    def ids(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s FROM %s ORDER BY %s" % (qn("id"), qn(TABLE), qn("id")))
            return [row[0] for row in cursor.fetchall()]


class AtomicTests(RawTableMixin, TransactionTestCase):
    def test_commit_and_autocommit_state(self):
        self.assertTrue(transaction.get_autocommit())
        with transaction.atomic():
            self.assertFalse(transaction.get_autocommit())
            self.assertTrue(connection.in_atomic_block)
            self.insert(1)
        self.assertTrue(transaction.get_autocommit())
        self.assertFalse(connection.in_atomic_block)
        self.assertEqual(self.ids(), [1])

    def test_rollback_on_exception(self):
        with self.assertRaises(ValueError):
            with transaction.atomic():
                self.insert(1)
                raise ValueError("boom")
        self.assertEqual(self.ids(), [])

    def test_decorator_forms(self):
        @transaction.atomic
        def bare():
            self.assertTrue(connection.in_atomic_block)
            self.insert(1)

        @transaction.atomic()
        def called():
            self.insert(2)

        @transaction.atomic(savepoint=False)
        def fails():
            self.insert(3)
            raise ValueError

        bare()
        called()
        with self.assertRaises(ValueError):
            fails()
        self.assertEqual(bare.__name__, "bare")
        self.assertEqual(self.ids(), [1, 2])

    def test_positional_non_callable_is_rejected(self):
        # A positional argument is a function or a database alias.
        with self.assertRaisesMessage(TypeError, "takes a function or a database alias; got 42"):
            transaction.atomic(42)

    def test_nested_inner_rollback_keeps_outer_work(self):
        with transaction.atomic():
            self.insert(1)
            with self.assertRaises(ValueError):
                with transaction.atomic():
                    self.insert(2)
                    raise ValueError
            self.insert(3)
        self.assertEqual(self.ids(), [1, 3])

    def test_nested_integrity_error_is_recoverable_with_savepoint(self):
        with transaction.atomic():
            self.insert(1)
            with self.assertRaises(IntegrityError):
                with transaction.atomic():
                    self.insert(1)
            self.insert(2)
        self.assertEqual(self.ids(), [1, 2])

    def test_savepoint_false_inner_failure_dooms_outer(self):
        with self.assertRaises(ValueError):
            with transaction.atomic():
                self.insert(1)
                try:
                    with transaction.atomic(savepoint=False):
                        self.insert(2)
                        raise ValueError("inner")
                except ValueError:
                    self.assertTrue(transaction.get_rollback())
                    raise
        self.assertEqual(self.ids(), [])

    def test_savepoint_false_swallowed_error_rolls_back_outer(self):
        with transaction.atomic():
            self.insert(1)
            try:
                with transaction.atomic(savepoint=False):
                    raise ValueError
            except ValueError:
                pass
            self.assertTrue(transaction.get_rollback())
        self.assertEqual(self.ids(), [])

    def test_query_after_error_without_savepoint_is_forbidden(self):
        msg = (
            "An error occurred in the current transaction. You can't execute "
            "queries until the end of the 'atomic' block."
        )
        with transaction.atomic():
            self.insert(1)
            with self.assertRaises(IntegrityError):
                with transaction.atomic(savepoint=False):
                    self.insert(1)
            with self.assertRaisesMessage(TransactionManagementError, msg):
                self.insert(2)
        self.assertEqual(self.ids(), [])

    def test_commit_and_rollback_forbidden_inside_atomic(self):
        msg = "This is forbidden when an 'atomic' block is active."
        with transaction.atomic():
            with self.assertRaisesMessage(TransactionManagementError, msg):
                transaction.commit()
            with self.assertRaisesMessage(TransactionManagementError, msg):
                transaction.rollback()
            with self.assertRaisesMessage(TransactionManagementError, msg):
                transaction.set_autocommit(True)

    def test_rollback_flag_outside_atomic(self):
        msg = "The rollback flag doesn't work outside of an 'atomic' block."
        with self.assertRaisesMessage(TransactionManagementError, msg):
            transaction.set_rollback(True)
        with self.assertRaisesMessage(TransactionManagementError, msg):
            transaction.get_rollback()

    def test_set_rollback_rolls_back_without_exception(self):
        with transaction.atomic():
            self.insert(1)
            self.assertFalse(transaction.get_rollback())
            transaction.set_rollback(True)
        self.assertEqual(self.ids(), [])

    def test_set_rollback_in_inner_block_only_undoes_inner(self):
        with transaction.atomic():
            self.insert(1)
            with transaction.atomic():
                self.insert(2)
                transaction.set_rollback(True)
        self.assertEqual(self.ids(), [1])

    def test_mark_for_rollback_on_error(self):
        with transaction.atomic():
            self.insert(1)
            with self.assertRaises(ValueError):
                with transaction.mark_for_rollback_on_error():
                    raise ValueError
            self.assertTrue(transaction.get_rollback())
        self.assertEqual(self.ids(), [])
        # Outside atomic it only re-raises.
        with self.assertRaises(KeyError):
            with transaction.mark_for_rollback_on_error():
                raise KeyError

    def test_manual_savepoints(self):
        with transaction.atomic():
            self.insert(1)
            sid = transaction.savepoint()
            self.assertIsNotNone(sid)
            self.insert(2)
            transaction.savepoint_rollback(sid)
            sid = transaction.savepoint()
            self.insert(3)
            transaction.savepoint_commit(sid)
        self.assertEqual(self.ids(), [1, 3])
        transaction.clean_savepoints()
        self.assertEqual(connection.savepoint_state, 0)
        # Outside a transaction there is nothing to save.
        self.assertIsNone(transaction.savepoint())

    def test_durable(self):
        with transaction.atomic(durable=True):
            self.insert(1)
        msg = "A durable atomic block cannot be nested within another atomic block."
        with transaction.atomic():
            with self.assertRaisesMessage(RuntimeError, msg):
                with transaction.atomic(durable=True):
                    pass
        self.assertEqual(self.ids(), [1])

    def test_atomic_in_manual_mode_does_not_commit(self):
        transaction.set_autocommit(False)
        try:
            with transaction.atomic():
                self.insert(1)
            self.assertFalse(connection.in_atomic_block)
            transaction.rollback()
        finally:
            transaction.set_autocommit(True)
        self.assertEqual(self.ids(), [])


class OnCommitTests(RawTableMixin, TransactionTestCase):
    def setUp(self):
        super().setUp()
        self.calls = []

    def hook(self, value):
        return lambda: self.calls.append(value)

    def test_runs_after_outermost_commit_in_order(self):
        with transaction.atomic():
            transaction.on_commit(self.hook(1))
            with transaction.atomic():
                transaction.on_commit(self.hook(2))
            transaction.on_commit(self.hook(3))
            self.assertEqual(self.calls, [])
        self.assertEqual(self.calls, [1, 2, 3])

    def test_discarded_on_rollback(self):
        with self.assertRaises(ValueError):
            with transaction.atomic():
                transaction.on_commit(self.hook(1))
                raise ValueError
        self.assertEqual(self.calls, [])
        self.assertEqual(connection.run_on_commit, [])

    def test_discarded_in_rolled_back_savepoint(self):
        with transaction.atomic():
            transaction.on_commit(self.hook(1))
            try:
                with transaction.atomic():
                    transaction.on_commit(self.hook(2))
                    with transaction.atomic():
                        transaction.on_commit(self.hook(3))
                    raise ValueError
            except ValueError:
                pass
            transaction.on_commit(self.hook(4))
        self.assertEqual(self.calls, [1, 4])

    def test_immediate_in_autocommit(self):
        transaction.on_commit(self.hook(1))
        self.assertEqual(self.calls, [1])

    def test_robust_hook_errors_are_logged(self):
        def bad():
            raise ValueError("hook failed")

        with self.assertLogs("django.db.backends", "ERROR") as logs:
            with transaction.atomic():
                transaction.on_commit(bad, robust=True)
                transaction.on_commit(self.hook(1))
            transaction.on_commit(bad, robust=True)
        self.assertEqual(self.calls, [1])
        self.assertEqual(len(logs.records), 2)

    def test_non_robust_hook_error_propagates(self):
        def bad():
            raise ValueError("hook failed")

        with self.assertRaisesMessage(ValueError, "hook failed"):
            with transaction.atomic():
                transaction.on_commit(bad)
                self.insert(1)
        # The transaction was committed before the hook ran.
        self.assertEqual(self.ids(), [1])

    def test_not_callable(self):
        with self.assertRaisesMessage(TypeError, "on_commit()'s callback must be a callable."):
            transaction.on_commit(None)

    def test_forbidden_in_manual_mode(self):
        transaction.set_autocommit(False)
        try:
            with self.assertRaisesMessage(TransactionManagementError, "manual transaction management"):
                transaction.on_commit(self.hook(1))
        finally:
            transaction.set_autocommit(True)

    def test_hooks_run_when_autocommit_restored_after_manual_commit(self):
        transaction.set_autocommit(False)
        try:
            with transaction.atomic():
                transaction.on_commit(self.hook(1))
            self.assertEqual(self.calls, [])
            transaction.commit()
        finally:
            transaction.set_autocommit(True)
        self.assertEqual(self.calls, [1])


class OldApiTests(RawTableMixin, TransactionTestCase):
    def test_commit_on_success(self):
        @transaction.commit_on_success
        def ok():
            self.insert(1)

        @transaction.commit_on_success()
        def fails():
            self.insert(2)
            raise ValueError

        ok()
        with self.assertRaises(ValueError):
            fails()
        with transaction.commit_on_success():
            self.insert(3)
        self.assertEqual(self.ids(), [1, 3])

    def test_commit_manually_commit_and_rollback(self):
        @transaction.commit_manually
        def work():
            self.assertFalse(transaction.get_autocommit())
            self.insert(1)
            transaction.commit()
            self.insert(2)
            transaction.rollback()

        work()
        self.assertTrue(transaction.get_autocommit())
        self.assertEqual(self.ids(), [1])

    def test_commit_manually_reads_leave_nothing_pending(self):
        self.insert(1)

        @transaction.commit_manually
        def read():
            return self.ids()

        self.assertEqual(read(), [1])
        self.assertEqual(read(), [1])
        self.assertTrue(transaction.get_autocommit())

    def test_commit_manually_pending_transaction(self):
        msg = "Transaction managed block ended with pending COMMIT/ROLLBACK"
        with self.assertRaisesMessage(TransactionManagementError, msg):
            with transaction.commit_manually():
                self.insert(1)
        self.assertTrue(transaction.get_autocommit())
        self.assertEqual(self.ids(), [])

    def test_commit_manually_exception_rolls_back(self):
        with self.assertRaises(ValueError):
            with transaction.commit_manually():
                self.insert(1)
                raise ValueError
        self.assertEqual(self.ids(), [])

    def test_commit_manually_inside_atomic_forbidden(self):
        with transaction.atomic():
            with self.assertRaises(TransactionManagementError):
                with transaction.commit_manually():
                    pass

    def test_transaction_management_error_is_a_programming_error(self):
        from django.db import ProgrammingError

        self.assertTrue(issubclass(TransactionManagementError, ProgrammingError))


class DurableInTestCaseTests(TestCase):
    """TestCase wraps tests in atomic blocks that don't count for durability."""

    def test_durable_works_inside_testcase(self):
        self.assertTrue(connection.in_atomic_block)
        with transaction.atomic(durable=True):
            pass

    def test_nested_durable_still_fails(self):
        with transaction.atomic():
            with self.assertRaises(RuntimeError):
                with transaction.atomic(durable=True):
                    pass


class AtomicBookkeepingTests(RawTableMixin, TransactionTestCase):
    def test_begin_and_commit_are_logged(self):
        with CaptureQueriesContext(connection) as captured:
            with transaction.atomic():
                self.insert(1)
        statements = [query["sql"] for query in captured.captured_queries]
        self.assertEqual(statements[0], "BEGIN")
        self.assertEqual(statements[-1], "COMMIT")

    def test_a_savepoint_that_cannot_be_created_leaves_no_block_behind(self):
        from unittest import mock

        from django.db import DatabaseError

        conn = get_connection()
        with transaction.atomic():
            with mock.patch.object(conn, "savepoint", side_effect=DatabaseError("no savepoint")):
                with self.assertRaisesMessage(DatabaseError, "no savepoint"):
                    with transaction.atomic():
                        pass  # never entered
            self.assertEqual(len(conn.atomic_levels), 1)
            self.insert(1)
        self.assertFalse(conn.in_atomic_block)
        self.assertEqual(self.ids(), [1])

    def test_joining_a_manual_transaction_that_cannot_take_a_savepoint(self):
        from unittest import mock

        from django.db import DatabaseError

        conn = get_connection()
        conn.set_autocommit(False)
        try:
            with mock.patch.object(conn, "savepoint", side_effect=DatabaseError("no savepoint")):
                with self.assertRaises(DatabaseError):
                    with transaction.atomic():
                        pass
            self.assertFalse(conn.in_atomic_block)
            self.assertEqual(conn.atomic_levels, [])
            conn.rollback()
        finally:
            conn.set_autocommit(True)


class AtomicFailureTests(RawTableMixin, TransactionTestCase):
    """What Atomic does when COMMIT, RELEASE or ROLLBACK themselves fail."""

    def test_failed_commit_rolls_back_and_raises(self):
        from unittest import mock

        from django.db import DatabaseError

        conn = get_connection()
        real_commit = conn.commit
        with mock.patch.object(conn, "commit", side_effect=DatabaseError("commit failed")):
            with self.assertRaisesMessage(DatabaseError, "commit failed"):
                with transaction.atomic():
                    self.insert(1)
        self.assertIs(conn.commit.__func__, real_commit.__func__)
        self.assertTrue(transaction.get_autocommit())
        self.assertEqual(self.ids(), [])

    def test_failed_savepoint_release_rolls_back_to_savepoint(self):
        from unittest import mock

        from django.db import DatabaseError

        conn = get_connection()
        real = conn.savepoint_commit
        calls = []

        def flaky(sid):
            calls.append(sid)
            if len(calls) == 1:
                raise DatabaseError("release failed")
            return real(sid)

        with transaction.atomic():
            self.insert(1)
            with mock.patch.object(conn, "savepoint_commit", side_effect=flaky):
                with self.assertRaisesMessage(DatabaseError, "release failed"):
                    with transaction.atomic():
                        self.insert(2)
            self.insert(3)
        self.assertEqual(self.ids(), [1, 3])

    def test_failed_savepoint_rollback_marks_outer_block(self):
        from unittest import mock

        from django.db import DatabaseError

        conn = get_connection()
        with self.assertRaises(ValueError):
            with transaction.atomic():
                self.insert(1)
                with mock.patch.object(conn, "savepoint_rollback", side_effect=DatabaseError("x")):
                    try:
                        with transaction.atomic():
                            raise ValueError
                    finally:
                        self.assertTrue(conn.needs_rollback)
        self.assertEqual(self.ids(), [])

    def test_failed_rollback_closes_connection(self):
        from unittest import mock

        from django.db import DatabaseError

        conn = get_connection()
        with mock.patch.object(conn, "rollback", side_effect=DatabaseError("rollback failed")), \
                mock.patch.object(conn, "close", wraps=conn.close) as close:
            with self.assertRaises(ValueError):
                with transaction.atomic():
                    raise ValueError
        close.assert_called_once_with()
        # The connection state is sane for the next block.
        conn.rollback()
        conn.set_autocommit(True)
        with transaction.atomic():
            self.insert(1)
        self.assertEqual(self.ids(), [1])

    def test_connection_closed_inside_atomic(self):
        from django.db.backends.base.base import BaseDatabaseWrapper

        conn = get_connection()
        with transaction.atomic():
            self.insert(1)
            with transaction.atomic():
                # Close for real (SQLite ignores close() on memory databases).
                BaseDatabaseWrapper.close(conn)
                self.assertTrue(conn.closed_in_transaction)
            self.assertTrue(conn.needs_rollback)
        self.assertIsNone(conn.connection)
        # The next query reconnects; the closed transaction's work is gone.
        self.assertEqual(self.ids(), [])
