"""One connection per thread; wrappers refuse to be used from other threads."""
import threading

from thread_support import run_in_thread

import django.db
from django.db import DatabaseError, connection, get_connection
from django.test import TransactionTestCase

TABLE = "db_threads_item"


def qn(name):
    return connection.ops.quote_name(name)


class ThreadTests(TransactionTestCase):
    def setUp(self):
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE %s (%s INTEGER PRIMARY KEY)" % (qn(TABLE), qn("id")))
            cursor.execute("INSERT INTO %s (%s) VALUES (%%s)" % (qn(TABLE), qn("id")), [7])

    def tearDown(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE %s" % qn(TABLE))

    def test_each_thread_has_its_own_wrapper(self):
        main = get_connection()
        self.assertIs(get_connection(), main)
        other = run_in_thread(get_connection)
        self.assertIsNot(other, main)
        self.assertEqual(other.settings_dict["NAME"], main.settings_dict["NAME"])

    def test_other_thread_sees_committed_data(self):
        def read():
            with connection.cursor() as cursor:
                cursor.execute("SELECT %s FROM %s" % (qn("id"), qn(TABLE)))
                return [row[0] for row in cursor.fetchall()]

        self.assertEqual(run_in_thread(read), [7])

    def test_using_wrapper_from_another_thread_raises(self):
        main = get_connection()

        def use():
            main.cursor()

        with self.assertRaisesMessage(DatabaseError, "can only be used in that same thread"):
            run_in_thread(use)

    def test_thread_sharing_can_be_allowed(self):
        main = get_connection()
        main.inc_thread_sharing()
        try:
            self.assertTrue(main.allow_thread_sharing)

            def use():
                with main.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    return cursor.fetchone()[0]

            outcome = {}

            def target():
                outcome["value"] = use()

            thread = threading.Thread(target=target)
            thread.start()
            thread.join(60)
            self.assertEqual(outcome["value"], 1)
        finally:
            main.dec_thread_sharing()
        self.assertFalse(main.allow_thread_sharing)
        with self.assertRaisesMessage(RuntimeError, "below zero"):
            main.dec_thread_sharing()

    def test_reset_connections_gives_new_wrapper(self):
        before = get_connection()
        run_in_thread(get_connection)
        django.db.reset_connections()
        after = get_connection()
        self.assertIsNot(before, after)
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s FROM %s" % (qn("id"), qn(TABLE)))
            self.assertEqual(cursor.fetchone()[0], 7)
