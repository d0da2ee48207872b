"""The database wrapper and cursors: raw SQL through connection.cursor()."""
import warnings
from collections import deque

from django.db import connection, get_connection, reset_queries
from django.db.backends.signals import connection_created
from django.db.utils import Error
from django.test import TransactionTestCase
from django.test.utils import override_settings

TABLE = "db_backends_item"


def qn(name):
    return connection.ops.quote_name(name)


class RawTableMixin:
    """Create a small table for the test and drop it afterwards."""

    def setUp(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE %s (%s INTEGER PRIMARY KEY, %s VARCHAR(40), %s INTEGER)"
                % (qn(TABLE), qn("id"), qn("name"), qn("size"))
            )

    def tearDown(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE %s" % qn(TABLE))

    def insert(self, *rows):
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO %s (%s, %s, %s) VALUES (%%s, %%s, %%s)"
                % (qn(TABLE), qn("id"), qn("name"), qn("size")),
                rows,
            )

    def names(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s FROM %s ORDER BY %s" % (qn("name"), qn(TABLE), qn("id")))
            return [row[0] for row in cursor.fetchall()]


class CursorTests(RawTableMixin, TransactionTestCase):
    def test_cursor_is_context_manager_and_closes(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            self.assertEqual(cursor.fetchone()[0], 1)
        with self.assertRaises(Error):
            cursor.execute("SELECT 1")

    def test_params_are_quoted_by_the_driver(self):
        tricky = ["100% sure", "it's", 'say "hi"', "back\\slash", "%s", "%%"]
        self.insert(*[(i, value, i) for i, value in enumerate(tricky)])
        self.assertEqual(self.names(), tricky)
        with connection.cursor() as cursor:
            for value in tricky:
                cursor.execute(
                    "SELECT COUNT(*) FROM %s WHERE %s = %%s" % (qn(TABLE), qn("name")), [value]
                )
                self.assertEqual(cursor.fetchone()[0], 1, value)

    def test_literal_percent_is_doubled_when_params_are_given(self):
        self.insert((1, "100% sure", 1), (2, "no", 2))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s FROM %s WHERE %s LIKE '100%%%%' AND %s > %%s"
                % (qn("id"), qn(TABLE), qn("name"), qn("size")),
                [0],
            )
            self.assertEqual([tuple(row) for row in cursor.fetchall()], [(1,)])

    def test_executemany_rowcount_description(self):
        self.insert((1, "a", 10), (2, "b", 20), (3, "c", 30))
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE %s SET %s = %s + 1 WHERE %s >= %%s" % (qn(TABLE), qn("size"), qn("size"), qn("size")),
                [20],
            )
            self.assertEqual(cursor.rowcount, 2)
            cursor.execute("SELECT %s, %s FROM %s ORDER BY %s" % (qn("id"), qn("size"), qn(TABLE), qn("id")))
            self.assertEqual([col[0] for col in cursor.description], ["id", "size"])
            self.assertEqual(cursor.fetchone(), (1, 10))
            self.assertEqual(list(cursor.fetchmany(1)), [(2, 21)])
            self.assertEqual(list(cursor.fetchall()), [(3, 31)])
            cursor.execute("SELECT %s FROM %s ORDER BY %s" % (qn("id"), qn(TABLE), qn("id")))
            self.assertEqual([row[0] for row in cursor], [1, 2, 3])

    def test_executemany_with_no_rows(self):
        self.insert()
        self.assertEqual(self.names(), [])

    def test_executemany_with_generator(self):
        self.insert(*((i, "n%d" % i, i) for i in range(5)))
        self.assertEqual(len(self.names()), 5)

    def test_pyformat_params(self):
        self.insert((1, "a", 10))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s FROM %s WHERE %s = %%(size)s" % (qn("name"), qn(TABLE), qn("size")),
                {"size": 10},
            )
            self.assertEqual(cursor.fetchall()[0][0], "a")

    def test_chunked_cursor_and_temporary_connection(self):
        self.insert((1, "a", 1))
        with connection.chunked_cursor() as cursor:
            cursor.execute("SELECT %s FROM %s" % (qn("name"), qn(TABLE)))
            self.assertEqual(cursor.fetchone()[0], "a")
        with connection.temporary_connection() as cursor:
            cursor.execute("SELECT 1")
            self.assertEqual(cursor.fetchone()[0], 1)

    def test_execute_wrapper_sees_every_statement(self):
        seen = []

        def wrapper(execute, sql, params, many, context):
            seen.append((sql, many, context["connection"]))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            self.insert((1, "a", 1))
            self.names()
        self.assertEqual(len(seen), 2)
        self.assertTrue(seen[0][1])
        self.assertFalse(seen[1][1])
        self.assertIs(seen[0][2], get_connection())
        self.names()
        self.assertEqual(len(seen), 2)


class PortableLookupTests(RawTableMixin, TransactionTestCase):
    """
    The pattern operators of every backend have PostgreSQL's semantics:
    contains/startswith/endswith are case-sensitive, the i-variants not.
    """

    def count(self, lookup, value):
        ops = connection.ops
        lhs = ops.lookup_cast(lookup, "CharField") % qn("name")
        rhs = connection.operators[lookup] % "%s"
        pattern = {
            "contains": "%%%s%%",
            "icontains": "%%%s%%",
            "startswith": "%s%%",
            "istartswith": "%s%%",
            "endswith": "%%%s",
            "iendswith": "%%%s",
            "exact": "%s",
            "iexact": "%s",
        }[lookup] % (
            ops.prep_for_iexact_query(value) if lookup == "iexact" else
            value if lookup == "exact" else ops.prep_for_like_query(value)
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM %s WHERE %s %s" % (qn(TABLE), lhs, rhs), [pattern])
            return cursor.fetchone()[0]

    def test_case_sensitivity(self):
        self.insert((1, "Hello World", 1), (2, "hello_world", 2), (3, "100%", 3))
        self.assertEqual(self.count("contains", "World"), 1)
        self.assertEqual(self.count("contains", "world"), 1)
        self.assertEqual(self.count("icontains", "WORLD"), 2)
        self.assertEqual(self.count("startswith", "hello"), 1)
        self.assertEqual(self.count("istartswith", "HELLO"), 2)
        self.assertEqual(self.count("endswith", "World"), 1)
        self.assertEqual(self.count("iendswith", "world"), 2)
        self.assertEqual(self.count("exact", "hello_world"), 1)
        self.assertEqual(self.count("iexact", "HELLO_WORLD"), 1)
        # Wildcards in the value are literal characters.
        self.assertEqual(self.count("contains", "_"), 1)
        self.assertEqual(self.count("contains", "%"), 1)
        self.assertEqual(self.count("iexact", "hello world"), 1)
        self.assertEqual(self.count("iexact", "hello-world"), 0)


class QueryLoggingTests(TransactionTestCase):
    def tearDown(self):
        connection.force_debug_cursor = False

    @override_settings(DEBUG=False)
    def test_not_logged_without_debug(self):
        reset_queries()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        self.assertFalse(connection.queries_logged)
        self.assertEqual(connection.queries, [])

    @override_settings(DEBUG=True)
    def test_logged_with_debug(self):
        reset_queries()
        self.assertTrue(connection.queries_logged)
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s", ["needle42"])
        self.assertEqual(len(connection.queries), 1)
        entry = connection.queries[0]
        self.assertEqual(set(entry), {"sql", "time"})
        self.assertIn("needle42", entry["sql"])
        float(entry["time"])
        reset_queries()
        self.assertEqual(connection.queries, [])

    @override_settings(DEBUG=False)
    def test_force_debug_cursor_and_executemany(self):
        reset_queries()
        connection.force_debug_cursor = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        self.assertEqual(len(connection.queries), 1)

    @override_settings(DEBUG=False)
    def test_log_is_bounded(self):
        self.assertEqual(connection.queries_log.maxlen, 9000)
        old_log = connection.queries_log
        connection.queries_log = deque(maxlen=3)
        connection.force_debug_cursor = True
        try:
            with connection.cursor() as cursor:
                for i in range(5):
                    cursor.execute("SELECT %s", [i])
            self.assertEqual(len(connection.queries_log), 3)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                queries = connection.queries
            self.assertEqual(len(queries), 3)
            self.assertIn("only the last 3 queries", str(caught[0].message))
        finally:
            connection.queries_log = old_log


class ConnectionLifecycleTests(TransactionTestCase):
    def test_connection_created_signal(self):
        received = []

        def receiver(sender, connection, **kwargs):
            received.append((sender, connection))

        new = connection.copy()
        connection_created.connect(receiver)
        try:
            new.ensure_connection()
        finally:
            connection_created.disconnect(receiver)
            new.close()
        self.assertEqual(received, [(type(new), new)])

    def test_ensure_connection_is_usable(self):
        new = connection.copy()
        self.assertIsNone(new.connection)
        new.ensure_connection()
        self.assertIsNotNone(new.connection)
        self.assertTrue(new.is_usable())
        self.assertTrue(new.get_autocommit())
        new.close()
        new.ensure_connection()
        self.assertTrue(new.is_usable())
        new.close()

    def test_close_old_connections_discards_broken_connection(self):
        import django.db as db

        original = get_connection()
        new = connection.copy()
        db.set_connection(new)
        try:
            new.ensure_connection()
            # Break the connection underneath the wrapper.
            new.connection.close()
            with self.assertRaises(Error):
                with new.cursor() as cursor:
                    cursor.execute("SELECT 1")
            self.assertTrue(new.errors_occurred)
            db.close_old_connections()
            self.assertIsNone(new.connection)
            # The next use reconnects.
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                self.assertEqual(cursor.fetchone()[0], 1)
        finally:
            db.set_connection(original)
            new.close()

    def test_close_old_connections_keeps_healthy_persistent_connection(self):
        import django.db as db

        original = get_connection()
        new = type(original)({**original.settings_dict, "CONN_MAX_AGE": None})
        db.set_connection(new)
        try:
            new.ensure_connection()
            raw = new.connection
            db.close_old_connections()
            self.assertIs(new.connection, raw)
        finally:
            db.set_connection(original)
            new.close()

    def test_close_old_connections_closes_obsolete_connection(self):
        import django.db as db

        original = get_connection()
        new = type(original)({**original.settings_dict, "CONN_MAX_AGE": 0})
        db.set_connection(new)
        try:
            new.ensure_connection()
            self.assertIsNotNone(new.close_at)
            # An expired connection is closed (SQLite keeps an in-memory
            # database open: closing it would destroy it).
            new.close_at = 0
            db.close_old_connections()
            if not (new.vendor == "sqlite" and new.is_in_memory_db()):
                self.assertIsNone(new.connection)
            # A connection left with autocommit off is closed too.
            new.ensure_connection()
            new.close_at = None
            new.set_autocommit(False)
            db.close_old_connections()
            if not (new.vendor == "sqlite" and new.is_in_memory_db()):
                self.assertIsNone(new.connection)
        finally:
            db.set_connection(original)
            new.close()

    def test_connection_proxy_forwards(self):
        self.assertIs(connection.ops, get_connection().ops)
        self.assertEqual(connection, get_connection())
        self.assertIn("ConnectionProxy", repr(connection))
        connection.some_test_attribute = 1
        self.assertEqual(get_connection().some_test_attribute, 1)
        del connection.some_test_attribute
        self.assertFalse(hasattr(get_connection(), "some_test_attribute"))


class RequestSignalTests(TransactionTestCase):
    def test_request_started_resets_queries(self):
        from django.core.signals import request_started

        conn = get_connection()
        conn.queries_log.append({"sql": "SELECT 1", "time": "0.000"})
        request_started.send(sender=None)
        self.assertEqual(len(conn.queries_log), 0)

    def test_request_finished_closes_broken_connection(self):
        import django.db as db
        from django.core.signals import request_finished

        original = get_connection()
        new = type(original)({**original.settings_dict, "CONN_MAX_AGE": None})
        db.set_connection(new)
        try:
            new.ensure_connection()
            new.errors_occurred = True
            new.connection.close()
            request_finished.send(sender=None)
            self.assertIsNone(new.connection)
        finally:
            db.set_connection(original)
            new.close()


class ClientInterruptTests(TransactionTestCase):
    """dbshell lends Ctrl-C to clients that cancel a statement with it."""

    def run_client(self, client_class):
        import signal
        from unittest import mock

        seen = []
        client = client_class(connection)
        with mock.patch("django.db.backends.base.client.shutil.which", return_value="/bin/true"), \
                mock.patch("django.db.backends.base.client.subprocess.run",
                           side_effect=lambda *args, **kwargs: seen.append(signal.getsignal(signal.SIGINT))):
            client.runshell([])
        return seen

    def test_psql_and_mariadb_get_ctrl_c_while_they_run(self):
        import signal

        from django.db.backends.mysql.client import DatabaseClient as MariaDBClient
        from django.db.backends.postgresql.client import DatabaseClient as PostgresClient

        before = signal.getsignal(signal.SIGINT)
        for client_class in (PostgresClient, MariaDBClient):
            with self.subTest(client=client_class.__module__):
                self.assertEqual(self.run_client(client_class), [signal.SIG_IGN])
                self.assertIs(signal.getsignal(signal.SIGINT), before)

    def test_the_sqlite_shell_leaves_ctrl_c_alone(self):
        import signal

        from django.db.backends.sqlite3.client import DatabaseClient as SQLiteClient

        self.assertEqual(self.run_client(SQLiteClient), [signal.getsignal(signal.SIGINT)])
