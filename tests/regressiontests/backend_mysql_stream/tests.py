"""
Streaming reads on MariaDB/MySQL: chunked_cursor() is an unbuffered
(SSCursor) cursor whose unread rows are spilled into memory when anything
else needs the connection. The cursor tests open their own wrapper on a
scratch database, so they run under every settings module (skipped, or
failed when CI=true, if the server is unreachable); the ORM tests run on
the database of the run.
"""
import gc
import os
import tracemalloc
import warnings
from unittest import mock

from django.db import IntegrityError, InterfaceError, get_connection, transaction
from django.test import SimpleTestCase, TestCase

from regressiontests.backend_servers.servers import ScratchDatabase

from .models import StreamItem

SCRATCH = "test_backend_mysql_stream_%d" % os.getpid()
ROWS = 50000


class StreamingCursorTests(SimpleTestCase):
    """A scratch table of ROWS rows; ``self.db`` is a wrapper on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scratch = ScratchDatabase("mysql", SCRATCH)
        cls.addClassCleanup(cls.scratch.destroy)
        db = cls.scratch.wrapper()
        with db.cursor() as cursor:
            cursor.execute("CREATE TABLE stream (id integer PRIMARY KEY, filler varchar(100))")
            # seq_1_to_N is MariaDB's sequence engine; plain MySQL gets a loop.
            if db.mysql_is_mariadb:
                cursor.execute(
                    "INSERT INTO stream SELECT seq, REPEAT('x', 80) FROM seq_1_to_%d" % ROWS
                )
            else:  # pragma: no cover - the development server is MariaDB
                cursor.executemany(
                    "INSERT INTO stream VALUES (%s, REPEAT('x', 80))",
                    [(i,) for i in range(1, ROWS + 1)],
                )
        db.close()

    def setUp(self):
        self.db = self.scratch.wrapper()
        self.addCleanup(self.db.close)

    def start_stream(self, sql="SELECT id FROM stream ORDER BY id"):
        cursor = self.db.chunked_cursor()
        self.addCleanup(cursor.close)
        cursor.execute(sql)
        return cursor

    def count(self):
        with self.db.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM stream")
            return cursor.fetchone()[0]

    def ids(self, rows):
        return [row[0] for row in rows]

    def test_driver_cursor_is_unbuffered(self):
        from pymysql.cursors import SSCursor

        cursor = self.start_stream()
        self.assertIsInstance(cursor.cursor.cursor, SSCursor)
        self.assertEqual(self.ids(cursor.fetchmany(3)), [1, 2, 3])
        self.assertEqual(self.ids([cursor.fetchone()]), [4])

    def test_streaming_memory_is_bounded(self):
        def read_all():
            with self.db.cursor() as cursor:
                cursor.execute("SELECT id, filler FROM stream ORDER BY id")
                return len(cursor.fetchall())

        def read_streamed():
            cursor = self.db.chunked_cursor()
            cursor.execute("SELECT id, filler FROM stream ORDER BY id")
            total = 0
            for rows in iter(lambda: cursor.fetchmany(2000), ()):
                self.assertLessEqual(len(rows), 2000)
                total += len(rows)
            cursor.close()
            return total

        peaks = {}
        for reader in (read_all, read_streamed):
            self.db.ensure_connection()
            tracemalloc.start()
            try:
                self.assertEqual(reader(), ROWS)
                peaks[reader.__name__] = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
        # About 11 MB against under 1 MB on the development machine.
        self.assertLess(peaks["read_streamed"] * 5, peaks["read_all"], peaks)

    def test_other_query_spills_the_stream(self):
        cursor = self.start_stream()
        first = self.ids(cursor.fetchmany(100))
        self.assertEqual(self.count(), ROWS)  # the connection is free again
        rest = self.ids(cursor.fetchmany(1000))
        rest += self.ids([cursor.fetchone()])
        rest += self.ids(cursor)  # iteration serves the buffer too
        self.assertEqual(first + rest, list(range(1, ROWS + 1)))
        self.assertEqual(cursor.fetchone(), None)
        self.assertEqual(cursor.fetchmany(10), ())
        self.assertEqual(cursor.fetchall(), [])

    def test_fetchall_after_spill_and_a_second_stream(self):
        cursor = self.start_stream()
        cursor.fetchmany(10)
        # A second stream spills the first one; both then read correctly.
        other = self.start_stream("SELECT id FROM stream WHERE id <= 5 ORDER BY id")
        self.assertEqual(self.ids(cursor.fetchall()), list(range(11, ROWS + 1)))
        self.assertEqual(self.ids(other.fetchall()), [1, 2, 3, 4, 5])
        # Re-executing a spilled cursor forgets its buffer.
        cursor.execute("SELECT 42")
        self.assertEqual(cursor.fetchall(), [(42,)])

    def test_early_close_leaves_connection_usable(self):
        cursor = self.start_stream()
        cursor.fetchmany(5)
        cursor.close()
        self.assertEqual(self.count(), ROWS)
        self.assertTrue(self.db.is_usable())
        # Through the context manager protocol as well.
        with self.db.chunked_cursor() as cursor:
            cursor.execute("SELECT id FROM stream")
            cursor.fetchone()
        self.assertEqual(self.count(), ROWS)

    def test_reexecute_half_read_stream(self):
        cursor = self.start_stream()
        cursor.fetchmany(5)
        with warnings.catch_warnings():
            # PyMySQL warns when it has to drop an unread result itself.
            warnings.simplefilter("error")
            cursor.execute("SELECT 42")
            self.assertEqual(cursor.fetchall(), [(42,)])
            self.assertEqual(self.count(), ROWS)

    def test_commit_and_rollback_during_stream(self):
        self.db.set_autocommit(False)
        cursor = self.start_stream()
        self.assertEqual(self.ids(cursor.fetchmany(2)), [1, 2])
        self.db.commit()
        self.assertEqual(self.ids(cursor.fetchmany(2)), [3, 4])
        other = self.start_stream("SELECT id FROM stream WHERE id > %d ORDER BY id" % (ROWS - 10))
        self.assertEqual(self.ids([other.fetchone()]), [ROWS - 9])
        self.db.rollback()
        self.assertEqual(self.ids(other.fetchall()), list(range(ROWS - 8, ROWS + 1)))
        self.assertEqual(self.ids(cursor.fetchmany(2)), [5, 6])
        self.db.set_autocommit(True)
        self.assertEqual(self.ids(cursor.fetchmany(2)), [7, 8])

    def test_is_usable_and_close_spill(self):
        cursor = self.start_stream()
        cursor.fetchone()
        self.assertTrue(self.db.is_usable())
        self.assertEqual(self.ids(cursor.fetchmany(2)), [2, 3])
        self.db.close()
        # The rows were kept: the iteration finishes without the connection.
        self.assertEqual(len(cursor.fetchall()), ROWS - 3)

    def test_connection_lost_during_spill(self):
        if not self.db.mysql_is_mariadb:  # pragma: no cover
            self.skipTest("needs MariaDB's sequence engine (seq_1_to_N)")
        # Big enough not to fit in the socket buffers; no cleanup holds the
        # cursor, so the dead driver objects are collected below.
        cursor = self.db.chunked_cursor()
        cursor.execute("SELECT seq, REPEAT('x', 200) FROM seq_1_to_300000")
        cursor.fetchmany(3)
        killer = self.scratch.wrapper()
        self.addCleanup(killer.close)
        with killer.cursor() as other:
            other.execute("KILL %s" % self.db.connection.thread_id())
        with mock.patch("sys.unraisablehook"):  # PyMySQL's __del__ on a dead socket
            self.assertFalse(self.db.is_usable())
            # Whatever was lost, the cursor says so instead of ending early.
            with self.assertRaises(InterfaceError):
                while cursor.fetchmany(100000):
                    pass
            cursor.close()
            self.db.close()
            del cursor
            gc.collect()
        self.db.connect()
        self.assertEqual(self.count(), ROWS)

    def test_savepoint_during_stream(self):
        self.db.set_autocommit(False)
        self.addCleanup(self.db.set_autocommit, True)
        self.addCleanup(self.db.rollback)
        cursor = self.start_stream()
        cursor.fetchone()
        sid = self.db.savepoint()
        self.db.savepoint_rollback(sid)
        self.assertEqual(self.ids(cursor.fetchmany(2)), [2, 3])


class ORMIteratorTests(TestCase):
    """QuerySet.iterator() on the run's database, streaming on MariaDB."""

    @classmethod
    def setUpTestData(cls):
        StreamItem.objects.bulk_create(
            [StreamItem(number=i, label="item %d" % i) for i in range(450)]
        )

    def test_iterator_equals_all(self):
        streamed = list(StreamItem.objects.iterator(chunk_size=100))
        self.assertEqual(streamed, list(StreamItem.objects.all()))
        self.assertEqual([item.number for item in streamed], list(range(450)))

    def test_queries_inside_the_loop(self):
        seen = []
        for item in StreamItem.objects.iterator(chunk_size=100):
            self.assertEqual(StreamItem.objects.count(), 450)
            if item.number % 100 == 0:
                # A write and a read of the same table mid-stream.
                StreamItem.objects.filter(pk=item.pk).update(label="touched")
                self.assertEqual(StreamItem.objects.get(pk=item.pk).label, "touched")
            seen.append(item.number)
        self.assertEqual(seen, list(range(450)))
        self.assertEqual(StreamItem.objects.filter(label="touched").count(), 5)

    def test_abandoned_iterator(self):
        iterator = StreamItem.objects.iterator(chunk_size=10)
        self.assertEqual(next(iterator).number, 0)
        del iterator
        self.assertEqual(StreamItem.objects.count(), 450)


class ConstraintCheckingAfterErrorTests(TestCase):
    def setUp(self):
        StreamItem.objects.create(pk=1, number=1, label="first")

    def test_enable_after_error_in_atomic(self):
        connection = get_connection()
        with transaction.atomic():
            disabled = connection.disable_constraint_checking()
            try:
                with transaction.atomic(savepoint=False):
                    StreamItem.objects.create(pk=1, number=1, label="duplicate")
            except IntegrityError:
                pass
            self.assertTrue(connection.needs_rollback)
            # Restoring session state must not hit the broken-transaction guard.
            if disabled:
                connection.enable_constraint_checking()
        if connection.vendor == "mysql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT @@foreign_key_checks")
                self.assertEqual(cursor.fetchone()[0], 1)
