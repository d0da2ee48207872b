"""
What a connection does when the server goes away under it, when the server
never answers, and when the thread that owns it ends (docs/ref/databases.txt,
"Lost connections and timeouts").

The server side is provoked for real: the session is ended from a second
connection (PostgreSQL's pg_terminate_backend(), MariaDB's KILL), and the
"server that never greets" is a local TCP listener that accepts connections
and says nothing. The real servers are never restarted.
"""
import gc
import socket
import threading
import time

from django.db import DatabaseError, OperationalError, connection, get_connection, transaction
from django.db import set_connection
from django.test import SimpleTestCase, TransactionTestCase

from thread_support import run_in_thread

from .models import Note

# Per server: this session's id, how to end a session, and the sessions
# open on a database.
SESSION_SQL = {
    "postgresql": (
        "SELECT pg_backend_pid()",
        "SELECT pg_terminate_backend(%s)",
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
        "SELECT count(*) FROM pg_stat_activity WHERE pid = %s",
    ),
    "mysql": (
        "SELECT CONNECTION_ID()",
        "KILL %s",
        "SELECT count(*) FROM information_schema.processlist WHERE db = %s",
        "SELECT count(*) FROM information_schema.processlist WHERE id = %s",
    ),
}

# How long the server may take to let go of a session (polled, not slept).
SETTLE_SECONDS = 10


def wait_until(condition, seconds=SETTLE_SECONDS):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class Server:
    """A second connection to the test database that watches and ends sessions."""

    def __init__(self):
        self.id_sql, self.end_sql, self.count_sql, self.alive_sql = SESSION_SQL[connection.vendor]
        self.admin = get_connection().copy()

    def close(self):
        self.admin.close()

    def scalar(self, sql, params=()):
        with self.admin.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def session_of(self, wrapper):
        with wrapper.cursor() as cursor:
            cursor.execute(self.id_sql)
            return cursor.fetchone()[0]

    def end_session(self, wrapper):
        """End ``wrapper``'s session on the server; return its id."""
        session = self.session_of(wrapper)
        self.run(self.end_sql, [session])
        assert wait_until(lambda: not self.scalar(self.alive_sql, [session])), "session survived"
        return session

    def run(self, sql, params):
        with self.admin.cursor() as cursor:
            cursor.execute(sql, params)

    def sessions(self):
        return self.scalar(self.count_sql, [connection.settings_dict["NAME"]])


class ServerTestCase(TransactionTestCase):
    def setUp(self):
        if connection.vendor not in SESSION_SQL:
            self.skipTest("needs a database server")
        self.server = Server()
        self.addCleanup(self.server.close)


class LostConnectionTests(ServerTestCase):
    def test_first_statement_says_the_server_closed_the_connection(self):
        Note.objects.create(text="before")
        self.server.end_session(get_connection())
        with self.assertRaisesMessage(OperationalError, "server closed the connection") as caught:
            Note.objects.count()
        self.assertNotIn("(0, '')", str(caught.exception))

    def test_next_statement_reconnects(self):
        Note.objects.create(text="before")
        old_session = self.server.end_session(get_connection())
        with self.assertRaises(OperationalError):
            list(Note.objects.all())
        self.assertEqual([n.text for n in Note.objects.all()], ["before"])
        self.assertNotEqual(self.server.session_of(get_connection()), old_session)

    def test_raw_cursor_reconnects_too(self):
        self.server.end_session(get_connection())
        with self.assertRaises(OperationalError):
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            self.assertEqual(cursor.fetchone()[0], 1)

    def test_kept_cursor_does_not_poison_the_next_statement(self):
        note = Note.objects.create(text="kept")
        Note.objects.get(pk=note.pk)  # the ORM's cursor is kept now
        self.server.end_session(get_connection())
        with self.assertRaises(OperationalError):
            Note.objects.get(pk=note.pk)
        self.assertEqual(Note.objects.get(pk=note.pk).text, "kept")
        Note.objects.create(text="after")
        self.assertEqual(Note.objects.count(), 2)

    def test_atomic_block_fails_and_the_next_block_works(self):
        self.server.end_session(get_connection())
        with self.assertRaisesMessage(OperationalError, "server closed the connection"):
            with transaction.atomic():
                Note.objects.create(text="lost")
        with transaction.atomic():
            Note.objects.create(text="kept")
        self.assertEqual([n.text for n in Note.objects.all()], ["kept"])

    def test_lost_inside_atomic_fails_the_whole_block(self):
        with self.assertRaises(OperationalError):
            with transaction.atomic():
                Note.objects.create(text="lost with the transaction")
                self.server.end_session(get_connection())
                try:
                    Note.objects.create(text="never written")
                except OperationalError as exc:
                    self.assertIn("during a transaction", str(exc))
                    # Still inside the block: nothing more can run.
                    with self.assertRaises(DatabaseError):
                        Note.objects.count()
                    raise
        self.assertFalse(get_connection().in_atomic_block)
        with transaction.atomic():
            Note.objects.create(text="next block")
        self.assertEqual([n.text for n in Note.objects.all()], ["next block"])

    def test_lost_inside_nested_atomic(self):
        with self.assertRaises(OperationalError):
            with transaction.atomic():
                Note.objects.create(text="outer")
                with transaction.atomic():
                    self.server.end_session(get_connection())
                    Note.objects.create(text="inner")
        self.assertEqual(Note.objects.count(), 0)

    def test_manual_transaction_fails_until_rolled_back(self):
        conn = get_connection()
        conn.set_autocommit(False)
        try:
            Note.objects.create(text="pending")
            self.server.end_session(conn)
            with self.assertRaisesMessage(OperationalError, "during a transaction"):
                Note.objects.count()
            # No silent switch to autocommit: the transaction's owner must
            # acknowledge the loss first.
            with self.assertRaisesMessage(OperationalError, "during a transaction"):
                Note.objects.create(text="not autocommitted")
            with self.assertRaisesMessage(OperationalError, "during a transaction"):
                conn.commit()
            conn.rollback()
        finally:
            conn.set_autocommit(True)
        self.assertEqual(Note.objects.count(), 0)


class LostConnectionWithoutServerTests(SimpleTestCase):
    """The bookkeeping, with a stand-in for the driver connection."""

    def test_close_of_a_lost_connection_never_raises(self):
        conn = get_connection().copy()
        conn.ensure_connection()
        conn.connection.close()  # gone behind the wrapper's back
        conn.close()
        self.assertIsNone(conn.connection)


# A short connect timeout for the tests (libpq counts anything under 2 s as 2).
SHORT_TIMEOUT = 2


class SilentServer:
    """
    A TCP listener on 127.0.0.1 that never accepts: the kernel completes the
    connections it queues, and then nobody says a word. Closing it resets
    the queued connections, which frees a client still waiting for them.
    """

    def __enter__(self):
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=8)
        self.port = self.listener.getsockname()[1]
        return self

    def __exit__(self, *exc_info):
        self.listener.close()


def attempt_in_thread(func, seconds):
    """Run ``func`` in a daemon thread for at most ``seconds``; return
    (finished, elapsed, error)."""
    outcome = {}

    def target():
        started = time.monotonic()
        try:
            func()
        except Exception as exc:
            outcome["error"] = exc
        outcome["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive(), outcome.get("elapsed"), outcome.get("error"), thread


class ConnectTimeoutTests(ServerTestCase):
    def wrapper(self, **options):
        settings_dict = dict(get_connection().settings_dict, OPTIONS=options)
        return type(get_connection())(settings_dict)

    def test_connecting_times_out_after_ten_seconds_by_default(self):
        self.assertEqual(self.wrapper().get_connection_params()["connect_timeout"], 10)

    def test_options_override_the_connect_timeout(self):
        params = self.wrapper(connect_timeout=3).get_connection_params()
        self.assertEqual(params["connect_timeout"], 3)

    def test_a_server_that_never_greets_fails_within_the_timeout(self):
        with SilentServer() as server:
            def connect():
                wrapper = self.wrapper(connect_timeout=SHORT_TIMEOUT)
                wrapper.settings_dict.update(HOST="127.0.0.1", PORT=str(server.port))
                wrapper.ensure_connection()

            finished, elapsed, error, thread = attempt_in_thread(connect, 3 * SHORT_TIMEOUT)
        thread.join(SETTLE_SECONDS)  # the listener is closed: a hung attempt ends now
        self.assertTrue(finished, "connecting hung past %d s" % (3 * SHORT_TIMEOUT))
        self.assertIsInstance(error, OperationalError)
        self.assertLess(elapsed, 2 * SHORT_TIMEOUT)

    def test_statements_may_run_longer_than_the_connect_timeout(self):
        wrapper = self.wrapper(connect_timeout=1)
        self.addCleanup(wrapper.close)
        sleep = {"postgresql": "SELECT pg_sleep(1.5)", "mysql": "SELECT SLEEP(1.5)"}
        with wrapper.cursor() as cursor:
            cursor.execute(sleep[connection.vendor])
            cursor.fetchall()


class ThreadEndTests(TransactionTestCase):
    def setUp(self):
        # A wrapper refers to itself through its helpers, so without the
        # fix only a garbage collection would close it: keep that from
        # happening by chance during a test.
        gc.disable()
        self.addCleanup(gc.enable)

    def test_a_thread_that_ends_closes_its_connection(self):
        def work():
            Note.objects.create(text="from a thread")
            return get_connection()

        wrapper = run_in_thread(work)
        self.assertIsNot(wrapper, get_connection())
        self.assertIsNone(wrapper.connection)
        self.assertEqual(Note.objects.get().text, "from a thread")

    def test_a_borrowed_connection_stays_open(self):
        main = get_connection()
        main.ensure_connection()
        main.inc_thread_sharing()
        self.addCleanup(main.dec_thread_sharing)

        def borrow():
            set_connection(main)
            return Note.objects.count()

        self.assertEqual(run_in_thread(borrow), 0)
        self.assertIsNotNone(main.connection)
        self.assertEqual(Note.objects.count(), 0)


class ThreadEndServerTests(ServerTestCase):
    def setUp(self):
        super().setUp()
        gc.disable()
        self.addCleanup(gc.enable)

    def test_the_server_session_ends_with_the_thread(self):
        before = self.server.sessions()

        def work():
            return Note.objects.count()

        self.assertEqual(run_in_thread(work), 0)
        self.assertTrue(
            wait_until(lambda: self.server.sessions() == before),
            "%d sessions on the server, %d before the thread" % (self.server.sessions(), before),
        )
