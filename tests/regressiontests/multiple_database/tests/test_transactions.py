"""
django.db.transaction with using=: each alias has its own transaction,
autocommit state, savepoints and on_commit hooks. Rows are written with raw
SQL through connections[alias] (patch 0001 has no QuerySet.using()).
"""
from django.db import close_old_connections, connections, reset_queries, transaction
from django.db.backends.signals import connection_created
from django.db.transaction import TransactionManagementError
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext, override_settings

from .support import (
    create_entry_table, entry_ids, insert_entry, run_in_thread, sqlite_file_databases,
)


class RawTablesTestCase(TransactionTestCase):
    databases = {"default", "other"}

    def setUp(self):
        create_entry_table(self, "default", "other")


class AtomicUsingTests(RawTablesTestCase):
    def test_commit_on_other_only(self):
        with transaction.atomic(using="other"):
            self.assertTrue(connections["other"].in_atomic_block)
            self.assertFalse(connections["default"].in_atomic_block)
            self.assertFalse(transaction.get_autocommit(using="other"))
            self.assertTrue(transaction.get_autocommit(using="default"))
            self.assertTrue(transaction.get_autocommit())
            insert_entry("other", 1)
        self.assertTrue(transaction.get_autocommit(using="other"))
        self.assertEqual(entry_ids("other"), [1])
        self.assertEqual(entry_ids("default"), [])

    def test_rollback_on_other_only(self):
        with self.assertRaises(ValueError):
            with transaction.atomic(using="other"):
                insert_entry("other", 1)
                insert_entry("default", 2)  # autocommit: kept
                raise ValueError("undo other")
        self.assertEqual(entry_ids("other"), [])
        self.assertEqual(entry_ids("default"), [2])

    def test_default_block_does_not_cover_other(self):
        with self.assertRaises(ValueError):
            with transaction.atomic():
                insert_entry("default", 1)
                insert_entry("other", 2)  # autocommit: kept
                raise ValueError("undo default")
        self.assertEqual(entry_ids("default"), [])
        self.assertEqual(entry_ids("other"), [2])

    def test_using_none_is_default(self):
        with transaction.atomic(using=None):
            self.assertTrue(connections["default"].in_atomic_block)
            self.assertFalse(connections["other"].in_atomic_block)

    def test_as_decorator(self):
        @transaction.atomic(using="other")
        def write(pk, fail=False):
            self.assertTrue(connections["other"].in_atomic_block)
            insert_entry("other", pk)
            if fail:
                raise ValueError(pk)

        write(1)
        with self.assertRaises(ValueError):
            write(2, fail=True)
        self.assertEqual(entry_ids("other"), [1])

    def test_blocks_on_both_aliases_end_separately(self):
        with transaction.atomic(using="default"):
            insert_entry("default", 1)
            with self.assertRaises(ValueError):
                with transaction.atomic(using="other"):
                    insert_entry("other", 2)
                    raise ValueError("only other")
            self.assertTrue(connections["default"].in_atomic_block)
            self.assertFalse(connections["other"].in_atomic_block)
        self.assertEqual(entry_ids("default"), [1])
        self.assertEqual(entry_ids("other"), [])

    def test_nested_blocks_on_other(self):
        with transaction.atomic(using="other"):
            insert_entry("other", 1)
            with self.assertRaises(ValueError):
                with transaction.atomic(using="other"):
                    insert_entry("other", 2)
                    raise ValueError("inner only")
            insert_entry("other", 3)
        self.assertEqual(entry_ids("other"), [1, 3])

    def test_durable_is_per_alias(self):
        with transaction.atomic(using="default"):
            with transaction.atomic(using="other", durable=True):
                insert_entry("other", 1)
            with self.assertRaises(RuntimeError):
                with transaction.atomic(using="default", durable=True):
                    pass
        self.assertEqual(entry_ids("other"), [1])


class RollbackFlagTests(RawTablesTestCase):
    def test_set_rollback_on_other(self):
        with transaction.atomic(using="default"):
            insert_entry("default", 1)
            with transaction.atomic(using="other"):
                insert_entry("other", 2)
                transaction.set_rollback(True, using="other")
                self.assertTrue(transaction.get_rollback(using="other"))
                self.assertFalse(transaction.get_rollback(using="default"))
                self.assertFalse(transaction.get_rollback())
        self.assertEqual(entry_ids("default"), [1])
        self.assertEqual(entry_ids("other"), [])

    def test_set_rollback_needs_a_block_on_that_alias(self):
        with transaction.atomic(using="default"):
            with self.assertRaises(TransactionManagementError):
                transaction.set_rollback(True, using="other")
            with self.assertRaises(TransactionManagementError):
                transaction.get_rollback(using="other")

    def test_mark_for_rollback_on_error(self):
        with transaction.atomic(using="default"), transaction.atomic(using="other"):
            insert_entry("other", 1)
            insert_entry("default", 2)
            with self.assertRaises(ValueError):
                with transaction.mark_for_rollback_on_error(using="other"):
                    raise ValueError("dooms other")
            self.assertTrue(transaction.get_rollback(using="other"))
            self.assertFalse(transaction.get_rollback(using="default"))
        self.assertEqual(entry_ids("other"), [])
        self.assertEqual(entry_ids("default"), [2])


class SavepointUsingTests(RawTablesTestCase):
    def test_savepoints_on_other(self):
        with transaction.atomic(using="other"), transaction.atomic(using="default"):
            insert_entry("other", 1)
            sid = transaction.savepoint(using="other")
            self.assertIsNotNone(sid)
            insert_entry("other", 2)
            insert_entry("default", 3)
            transaction.savepoint_rollback(sid, using="other")
            kept = transaction.savepoint(using="other")
            insert_entry("other", 4)
            transaction.savepoint_commit(kept, using="other")
            transaction.clean_savepoints(using="other")
        self.assertEqual(entry_ids("other"), [1, 4])
        self.assertEqual(entry_ids("default"), [3])


class ManualTransactionTests(RawTablesTestCase):
    def test_autocommit_and_commit_rollback(self):
        transaction.set_autocommit(False, using="other")
        try:
            self.assertFalse(transaction.get_autocommit(using="other"))
            self.assertTrue(transaction.get_autocommit(using="default"))
            insert_entry("other", 1)
            transaction.commit(using="other")
            insert_entry("other", 2)
            insert_entry("default", 3)
            transaction.rollback(using="other")
        finally:
            transaction.set_autocommit(True, using="other")
        self.assertEqual(entry_ids("other"), [1])
        self.assertEqual(entry_ids("default"), [3])

    def test_commit_on_success(self):
        @transaction.commit_on_success(using="other")
        def write(pk, fail=False):
            insert_entry("other", pk)
            if fail:
                raise ValueError(pk)

        write(1)
        with self.assertRaises(ValueError):
            write(2, fail=True)
        with transaction.commit_on_success(using="other"):
            self.assertFalse(transaction.get_autocommit(using="other"))
            self.assertTrue(transaction.get_autocommit())
            insert_entry("other", 3)
        self.assertEqual(entry_ids("other"), [1, 3])

    def test_commit_manually(self):
        with transaction.commit_manually(using="other"):
            self.assertFalse(transaction.get_autocommit(using="other"))
            self.assertTrue(transaction.get_autocommit())
            insert_entry("other", 1)
            transaction.commit(using="other")
            insert_entry("other", 2)
            transaction.rollback(using="other")
        self.assertTrue(transaction.get_autocommit(using="other"))
        self.assertEqual(entry_ids("other"), [1])

    def test_commit_manually_pending_work_is_refused(self):
        with self.assertRaises(TransactionManagementError):
            with transaction.commit_manually(using="other"):
                insert_entry("other", 1)
        self.assertEqual(entry_ids("other"), [])
        self.assertTrue(transaction.get_autocommit(using="other"))


class OnCommitUsingTests(RawTablesTestCase):
    def test_fires_on_that_alias_commit(self):
        fired = []
        with transaction.atomic(using="other"):
            transaction.on_commit(lambda: fired.append("other"), using="other")
            with transaction.atomic(using="default"):
                insert_entry("default", 1)
            # default committed: other's hook still waits.
            self.assertEqual(fired, [])
        self.assertEqual(fired, ["other"])

    def test_runs_at_once_when_that_alias_has_no_transaction(self):
        fired = []
        with transaction.atomic(using="default"):
            transaction.on_commit(lambda: fired.append("other"), using="other")
            self.assertEqual(fired, ["other"])

    def test_never_runs_on_rollback(self):
        fired = []
        with self.assertRaises(ValueError):
            with transaction.atomic(using="other"):
                transaction.on_commit(lambda: fired.append("other"), using="other")
                raise ValueError
        self.assertEqual(fired, [])

    def test_default_hook_is_not_fired_by_other(self):
        fired = []
        with transaction.atomic(using="default"):
            transaction.on_commit(lambda: fired.append("default"))
            with transaction.atomic(using="other"):
                insert_entry("other", 1)
            self.assertEqual(fired, [])
        self.assertEqual(fired, ["default"])


class ConnectionCreatedTests(TransactionTestCase):
    databases = {"default", "other"}

    def test_signal_carries_the_wrapper_and_its_alias(self):
        seen = []

        def receiver(sender, connection, **kwargs):
            seen.append((connection.alias, connection))

        connection_created.connect(receiver)
        self.addCleanup(connection_created.disconnect, receiver)

        def work():
            # A fresh thread has no connection yet: both are opened here.
            with connections["other"].cursor() as cursor:
                cursor.execute("SELECT 1")
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
            return connections["other"], connections["default"]

        other, default = run_in_thread(work)
        self.assertEqual(seen, [("other", other), ("default", default)])
        self.assertIs(seen[0][1], other)


class QueryLogTests(TransactionTestCase):
    databases = {"default", "other"}

    def select_one(self, alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")

    def test_queries_are_logged_per_connection(self):
        with CaptureQueriesContext(connections["other"]) as other_log, \
                CaptureQueriesContext(connections["default"]) as default_log:
            self.select_one("other")
            self.select_one("other")
            self.select_one("default")
        self.assertEqual(len(other_log), 2)
        self.assertEqual(len(default_log), 1)

    @override_settings(DEBUG=True)
    def test_reset_queries_clears_every_alias(self):
        # Connected first: what connecting runs is not the test's business.
        for alias in ("default", "other"):
            connections[alias].ensure_connection()
        reset_queries()
        self.select_one("other")
        self.select_one("default")
        self.select_one("default")
        self.assertEqual(len(connections["other"].queries), 1)
        self.assertEqual(len(connections["default"].queries), 2)
        self.assertIn("SELECT 1", connections["other"].queries[0]["sql"])
        reset_queries()
        self.assertEqual(connections["other"].queries, [])
        self.assertEqual(connections["default"].queries, [])


class CloseOldConnectionsTests(TransactionTestCase):
    databases = {"default", "other"}

    def test_covers_every_alias(self):
        # File databases with CONN_MAX_AGE = 0: obsolete as soon as opened.
        with sqlite_file_databases(self, "default", "other"):
            for alias in ("default", "other"):
                with connections[alias].cursor() as cursor:
                    cursor.execute("SELECT 1")
            close_old_connections()
            for alias in ("default", "other"):
                with self.subTest(alias=alias):
                    self.assertIsNone(connections[alias].connection)

