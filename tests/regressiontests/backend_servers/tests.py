"""
Backend behaviour that must be the same on every vendor, checked with raw
SQL assembled from the backend API (``connection.operators``,
``ops.lookup_cast()``, ``ops.quote_name()``, ...) against the run's own
test database -- the way the query layer will assemble it.
"""
from django.core.management.color import no_style
from django.db import DataError, IntegrityError, connection
from django.test import TransactionTestCase

from .servers import FakeField, fake_model

TABLE = "backend_servers_word"


def qn(name):
    return connection.ops.quote_name(name)


def column_type(internal_type, **params):
    return connection.data_types[internal_type] % params


def auto_pk_sql(column="id"):
    """The column definition an AutoField primary key gets on this backend."""
    suffix = connection.data_types_suffix.get("AutoField", "")
    return ("%s %s NOT NULL PRIMARY KEY %s" % (qn(column), column_type("AutoField"), suffix)).strip()


class WordTableMixin:
    """A table of words, created for each test and dropped afterwards."""

    def setUp(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE %s (%s, %s %s NOT NULL UNIQUE)"
                % (qn(TABLE), auto_pk_sql(), qn("word"), column_type("CharField", max_length=40))
            )

    def tearDown(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE %s" % qn(TABLE))

    def insert(self, *words):
        with connection.cursor() as cursor:
            for word in words:
                cursor.execute(
                    "INSERT INTO %s (%s) VALUES (%%s)" % (qn(TABLE), qn("word")), [word]
                )

    def lookup(self, lookup_name, value):
        """Words matching ``word__<lookup_name>=value``, built like the ORM does."""
        ops = connection.ops
        lhs = ops.lookup_cast(lookup_name, "CharField") % qn("word")
        if lookup_name in connection.operators:
            condition = "%s %s" % (lhs, connection.operators[lookup_name] % "%s")
        else:
            condition = ops.regex_lookup(lookup_name) % (lhs, "%s")
        if lookup_name in ("contains", "icontains"):
            value = "%%%s%%" % ops.prep_for_like_query(value)
        elif lookup_name in ("startswith", "istartswith"):
            value = "%s%%" % ops.prep_for_like_query(value)
        elif lookup_name in ("endswith", "iendswith"):
            value = "%%%s" % ops.prep_for_like_query(value)
        elif lookup_name == "iexact":
            value = ops.prep_for_iexact_query(value)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s FROM %s WHERE %s ORDER BY %s"
                % (qn("word"), qn(TABLE), condition, qn("id")),
                [value],
            )
            return [row[0] for row in cursor.fetchall()]


class LookupSemanticsTests(WordTableMixin, TransactionTestCase):
    """exact/contains/... are case-sensitive and the i* variants are not, everywhere."""

    def setUp(self):
        super().setUp()
        self.insert("Hello", "hello", "HELLO world", "say hello")

    def test_exact_is_case_sensitive(self):
        self.assertEqual(self.lookup("exact", "hello"), ["hello"])
        self.assertEqual(self.lookup("exact", "HELLO"), [])

    def test_iexact(self):
        self.assertEqual(self.lookup("iexact", "HELLO"), ["Hello", "hello"])

    def test_contains_and_icontains(self):
        self.assertEqual(self.lookup("contains", "ell"), ["Hello", "hello", "say hello"])
        self.assertEqual(self.lookup("contains", "ELL"), ["HELLO world"])
        self.assertEqual(
            self.lookup("icontains", "ELL"), ["Hello", "hello", "HELLO world", "say hello"]
        )

    def test_startswith_endswith(self):
        self.assertEqual(self.lookup("startswith", "He"), ["Hello"])
        self.assertEqual(self.lookup("istartswith", "he"), ["Hello", "hello", "HELLO world"])
        self.assertEqual(self.lookup("endswith", "LLO"), [])
        self.assertEqual(self.lookup("iendswith", "LLO"), ["Hello", "hello", "say hello"])

    def test_regex(self):
        self.assertEqual(self.lookup("regex", "^h"), ["hello"])
        self.assertEqual(self.lookup("iregex", "^h"), ["Hello", "hello", "HELLO world"])


class LikeEscapingTests(WordTableMixin, TransactionTestCase):
    """%, _ and \\ in a value are literal characters, not wildcards."""

    def setUp(self):
        super().setUp()
        self.insert("100%", "1000", "a_b", "axb", "back\\slash", "backXslash")

    def test_percent(self):
        self.assertEqual(self.lookup("contains", "%"), ["100%"])
        self.assertEqual(self.lookup("endswith", "0%"), ["100%"])

    def test_underscore(self):
        self.assertEqual(self.lookup("contains", "_"), ["a_b"])
        self.assertEqual(self.lookup("istartswith", "A_"), ["a_b"])

    def test_backslash(self):
        self.assertEqual(self.lookup("contains", "\\"), ["back\\slash"])
        self.assertEqual(self.lookup("iexact", "BACK\\SLASH"), ["back\\slash"])


class PatternExpressionTests(TransactionTestCase):
    """pattern_ops/pattern_esc: the right-hand side is a column, not a value."""

    table = "backend_servers_pattern"

    def setUp(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE %s (%s, %s %s, %s %s)"
                % (qn(self.table), auto_pk_sql(), qn("word"), column_type("CharField", max_length=20),
                   qn("part"), column_type("CharField", max_length=20))
            )
            for word, part in [("a%b", "%"), ("axb", "%"), ("x_y", "_"), ("xzy", "_"),
                               ("Hello", "ell"), ("HELLO", "ell"), ("back\\slash", "\\")]:
                cursor.execute(
                    "INSERT INTO %s (%s, %s) VALUES (%%s, %%s)" % (qn(self.table), qn("word"), qn("part")),
                    [word, part],
                )

    def tearDown(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE %s" % qn(self.table))

    def matching(self, lookup_name):
        rhs = connection.pattern_esc.format(qn("part"))
        lhs = connection.ops.lookup_cast(lookup_name, "CharField") % qn("word")
        condition = "%s %s" % (lhs, connection.pattern_ops[lookup_name].format(rhs))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s FROM %s WHERE %s ORDER BY %s" % (qn("word"), qn(self.table), condition, qn("id")),
                [],
            )
            return [row[0] for row in cursor.fetchall()]

    def test_wildcards_in_the_column_are_literal(self):
        self.assertEqual(self.matching("contains"), ["a%b", "x_y", "Hello", "back\\slash"])
        self.assertEqual(self.matching("icontains"), ["a%b", "x_y", "Hello", "HELLO", "back\\slash"])
        self.assertEqual(self.matching("startswith"), [])
        self.assertEqual(self.matching("iendswith"), [])


class QuoteNameTests(TransactionTestCase):
    """Hostile identifiers stay single identifiers (no SQL injection)."""

    hostile_table = 'backend_servers_we"ird`ta\'ble; DROP TABLE x; --'
    hostile_column = 'co"l`u\'mn'

    def test_round_trip_through_hostile_names(self):
        table, column = qn(self.hostile_table), qn(self.hostile_column)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE %s (%s %s)" % (table, column, column_type("IntegerField"))
            )
            try:
                cursor.execute("INSERT INTO %s (%s) VALUES (%%s)" % (table, column), [7])
                cursor.execute("SELECT %s FROM %s" % (column, table))
                self.assertEqual([tuple(r) for r in cursor.fetchall()], [(7,)])
                self.assertIn(
                    self.hostile_table, connection.introspection.table_names(cursor)
                )
            finally:
                cursor.execute("DROP TABLE %s" % table)

    def test_quoting_is_idempotent(self):
        once = qn("plain")
        self.assertEqual(qn(once), once)
        self.assertNotEqual(qn(self.hostile_table), self.hostile_table)


    def test_name_that_only_looks_quoted_is_quoted(self):
        # Starting and ending with the quote character does not make a name
        # a quoted identifier: its inner quotes must still be doubled.
        quote = connection.ops.identifier_quote
        sneaky = "%sx%s; DROP TABLE backend_servers_canary; --%s" % (quote, quote, quote)
        quoted = qn(sneaky)
        self.assertNotEqual(quoted, sneaky)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE %s (n %s)" % (quoted, column_type("IntegerField")))
            try:
                self.assertIn(sneaky, connection.introspection.table_names(cursor))
            finally:
                cursor.execute("DROP TABLE %s" % quoted)

    def test_nul_is_refused(self):
        with self.assertRaisesMessage(ValueError, "Identifiers cannot contain NUL characters"):
            qn("a\x00b")


class IntegrityTests(WordTableMixin, TransactionTestCase):
    def test_unique_violation_keeps_driver_message(self):
        self.insert("same")
        with self.assertRaises(IntegrityError) as ctx:
            self.insert("same")
        message = str(ctx.exception).lower()
        self.assertTrue("unique" in message or "duplicate" in message, message)
        self.assertIsNotNone(ctx.exception.__cause__)

    def test_not_null_violation(self):
        with self.assertRaises(IntegrityError) as ctx:
            self.insert(None)
        message = str(ctx.exception).lower()
        self.assertIn("null", message)
        self.assertIn("word", message)

    def test_unicode_round_trip(self):
        words = ["emoji 😀🎉", "ñandú", "中文", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]
        self.insert(*words)
        self.assertEqual(self.lookup("contains", " "), ["emoji 😀🎉"])
        for word in words:
            self.assertEqual(self.lookup("exact", word), [word])


class SequenceResetTests(TransactionTestCase):
    """After explicit ids, sequence_reset_sql() lets default inserts continue."""

    table = "backend_servers_seq"

    def setUp(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE %s (%s, %s %s)"
                % (qn(self.table), auto_pk_sql(), qn("label"), column_type("CharField", max_length=10))
            )
        self.model = fake_model(
            self.table, FakeField("id", "AutoField"), FakeField("label", "CharField")
        )

    def tearDown(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE %s" % qn(self.table))

    def run_sql(self, statements):
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def test_default_insert_after_explicit_ids(self):
        with connection.cursor() as cursor:
            for pk in (1, 2, 10):
                cursor.execute(
                    "INSERT INTO %s (%s, %s) VALUES (%%s, %%s)"
                    % (qn(self.table), qn("id"), qn("label")),
                    [pk, "x%d" % pk],
                )
        self.run_sql(connection.ops.sequence_reset_sql(no_style(), [self.model]))
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO %s (%s) VALUES (%%s)" % (qn(self.table), qn("label")), ["new"])
            cursor.execute("SELECT %s FROM %s WHERE %s = %%s" % (qn("id"), qn(self.table), qn("label")), ["new"])
            self.assertEqual(cursor.fetchone()[0], 11)

    def test_flush_with_reset_restarts_ids(self):
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO %s (%s) VALUES (%%s)" % (qn(self.table), qn("label")), ["a"])
        sql = connection.ops.sql_flush(no_style(), [self.table], reset_sequences=True)
        connection.ops.execute_sql_flush(sql)
        sequences = connection.introspection.get_sequences(connection.cursor(), self.table)
        self.run_sql(connection.ops.sequence_reset_by_name_sql(no_style(), sequences))
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM %s" % qn(self.table))
            self.assertEqual(cursor.fetchone()[0], 0)
            cursor.execute("INSERT INTO %s (%s) VALUES (%%s)" % (qn(self.table), qn("label")), ["b"])
            cursor.execute("SELECT %s FROM %s" % (qn("id"), qn(self.table)))
            self.assertEqual(cursor.fetchone()[0], 1)

    def test_returning_inserted_ids(self):
        if not connection.features.can_return_columns_from_insert:
            self.skipTest("%s cannot return columns from INSERT" % connection.display_name)
        id_field = self.model._meta.local_fields[0]
        returning, params = connection.ops.return_insert_columns([id_field])
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO %s (%s) %s %s"
                % (
                    qn(self.table),
                    qn("label"),
                    connection.ops.bulk_insert_sql([], [["%s"], ["%s"], ["%s"]]),
                    returning,
                ),
                ["a", "b", "c", *params],
            )
            rows = connection.ops.fetch_returned_insert_rows(cursor)
        self.assertEqual([tuple(row) for row in rows], [(1,), (2,), (3,)])


class StrictStorageTests(WordTableMixin, TransactionTestCase):
    """A value too long for its column is an error, never a silent truncation."""

    def test_too_long_value(self):
        if connection.vendor == "sqlite":
            self.skipTest("SQLite does not enforce varchar lengths")
        with self.assertRaises(DataError):
            self.insert("x" * 41)
        self.assertEqual(self.lookup("startswith", "x"), [])


class ServerGoneTests(TransactionTestCase):
    """The run's own connection, killed by the server, is replaced on the next request."""

    def test_close_old_connections_discards_killed_connection(self):
        import django.db
        from django.db import InterfaceError, OperationalError, get_connection

        from .servers import base_settings, make_wrapper

        conn = get_connection()
        if conn.vendor == "postgresql":
            own_id, kill = "SELECT pg_backend_pid()", "SELECT pg_terminate_backend(%s)"
        elif conn.vendor == "mysql":
            own_id, kill = "SELECT CONNECTION_ID()", "KILL %s"
        else:
            self.skipTest("%s has no server to kill connections" % conn.display_name)
        with conn.cursor() as cursor:
            cursor.execute(own_id)
            session = cursor.fetchone()[0]
        killer = make_wrapper(base_settings(conn.vendor, conn.settings_dict["NAME"]))
        try:
            with killer.cursor() as cursor:
                cursor.execute(kill, [session])
        finally:
            killer.close()
        with self.assertRaises((OperationalError, InterfaceError)):
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1")
        self.assertFalse(conn.is_usable())
        django.db.close_old_connections()
        self.assertIsNone(conn.connection)
        with conn.cursor() as cursor:
            cursor.execute(own_id)
            self.assertNotEqual(cursor.fetchone()[0], session)


class UnreachableServerTests(TransactionTestCase):
    """The helper that vendor tests use when a server is down."""

    def test_skip_names_the_server(self):
        import os
        import unittest
        from unittest import mock

        from .servers import unreachable

        with mock.patch.dict(os.environ, {"CI": ""}):
            with self.assertRaises(unittest.SkipTest) as ctx:
                unreachable("postgresql", "connection refused")
        self.assertIn("PostgreSQL at ", str(ctx.exception))
        self.assertIn("is not reachable (connection refused)", str(ctx.exception))

    def test_ci_turns_the_skip_into_a_failure(self):
        import os
        from unittest import mock

        from .servers import unreachable

        with mock.patch.dict(os.environ, {"CI": "true"}):
            with self.assertRaisesMessage(AssertionError, "MariaDB/MySQL at "):
                unreachable("mysql", "connection refused")

    def test_scratch_database_on_a_dead_port(self):
        import os
        import unittest
        from unittest import mock

        from .servers import ScratchDatabase

        env = {"CI": "", "DJANGO_TEST_PG_PORT": "1", "DJANGO_TEST_MYSQL_PORT": "1"}
        for vendor in ("postgresql", "mysql"):
            with self.subTest(vendor=vendor), mock.patch.dict(os.environ, env):
                if connection.vendor == vendor:
                    continue  # the run's own settings win over the environment
                with self.assertRaisesMessage(unittest.SkipTest, "not reachable"):
                    ScratchDatabase(vendor, "test_never_created_h3")
