"""SQLite backend specifics: SQL functions, operations, introspection, creation."""
import datetime
import decimal
import os
import tempfile
import unittest
import uuid
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, ProgrammingError, connection, get_connection
from django.db.backends.sqlite3 import _functions as f
from django.test import SimpleTestCase, TransactionTestCase


def sqlite_only(cls):
    return unittest.skipUnless(connection.vendor == "sqlite", "SQLite specific")(cls)


class FakeField:
    def __init__(self, internal_type, decimal_places=None):
        self.internal_type = internal_type
        self.decimal_places = decimal_places

    def get_internal_type(self):
        return self.internal_type


class FakeExpression:
    def __init__(self, internal_type, **kwargs):
        self.output_field = FakeField(internal_type, **kwargs)


class FunctionTests(SimpleTestCase):
    """The Python functions registered on SQLite connections."""

    def test_extract(self):
        dt = "2024-03-10 13:45:30.123456"
        self.assertEqual(f.django_datetime_extract("year", dt), 2024)
        self.assertEqual(f.django_datetime_extract("quarter", dt), 1)
        self.assertEqual(f.django_datetime_extract("week_day", dt), 1)  # Sunday
        self.assertEqual(f.django_datetime_extract("iso_week_day", dt), 7)
        self.assertEqual(f.django_datetime_extract("week", dt), 10)
        self.assertEqual(f.django_datetime_extract("iso_year", "2021-01-01"), 2020)
        self.assertEqual(f.django_datetime_extract("second", dt), 30)
        self.assertIsNone(f.django_datetime_extract("year", None))
        self.assertIsNone(f.django_datetime_extract("year", "garbage"))
        with self.assertRaisesMessage(ValueError, "Unsupported lookup type: 'nope'"):
            f.django_datetime_extract("nope", dt)

    def test_extract_with_time_zones(self):
        dt = "2024-03-10 23:30:00"
        self.assertEqual(f.django_datetime_extract("day", dt, "Europe/Paris", "UTC"), 11)
        self.assertEqual(f.django_datetime_extract("hour", dt, "UTC+02:00", "UTC"), 1)
        self.assertEqual(f.django_datetime_extract("hour", dt, "UTC-01:30", "UTC"), 22)

    def test_trunc(self):
        dt = "2024-05-17 13:45:30"
        expected = {
            "year": "2024-01-01",
            "quarter": "2024-04-01",
            "month": "2024-05-01",
            "week": "2024-05-13",
            "day": "2024-05-17",
        }
        for kind, value in expected.items():
            self.assertEqual(f.django_date_trunc(kind, dt, None, None), value)
            self.assertEqual(
                f.django_datetime_trunc(kind, dt, None, None), value + " 00:00:00"
            )
        self.assertEqual(f.django_datetime_trunc("hour", dt, None, None), "2024-05-17 13:00:00")
        self.assertEqual(f.django_datetime_trunc("minute", dt, None, None), "2024-05-17 13:45:00")
        self.assertEqual(f.django_datetime_trunc("second", dt, None, None), "2024-05-17 13:45:30")
        self.assertEqual(f.django_time_trunc("hour", "13:45:30", None, None), "13:00:00")
        self.assertEqual(f.django_time_trunc("minute", dt, None, None), "13:45:00")
        self.assertEqual(f.django_time_trunc("second", "13:45:30.5", None, None), "13:45:30")
        for func in (f.django_date_trunc, f.django_datetime_trunc, f.django_time_trunc):
            self.assertIsNone(func("day", None, None, None))
            with self.assertRaises(ValueError):
                func("fortnight", dt, None, None)
        self.assertIsNone(f.django_time_trunc("hour", "garbage", None, None))

    def test_casts_and_time_extract(self):
        dt = "2024-05-17 13:45:30"
        self.assertEqual(f.django_datetime_cast_date(dt, None, None), "2024-05-17")
        self.assertEqual(f.django_datetime_cast_time(dt, None, None), "13:45:30")
        self.assertIsNone(f.django_datetime_cast_date(None, None, None))
        self.assertIsNone(f.django_datetime_cast_time("2024-05-17", None, None))
        self.assertEqual(f.django_time_extract("minute", "13:45:30"), 45)
        self.assertIsNone(f.django_time_extract("minute", None))
        self.assertIsNone(f.django_time_extract("minute", "x"))

    def test_duration_arithmetic(self):
        self.assertEqual(
            f.django_format_dtdelta("+", "2024-01-01 00:00:00", 86400 * 10**6),
            "2024-01-02 00:00:00",
        )
        self.assertEqual(
            f.django_format_dtdelta("-", "2024-01-02", "2024-01-01"), "1 day, 0:00:00"
        )
        self.assertEqual(f.django_format_dtdelta("*", 3, 2), 6)
        self.assertEqual(f.django_format_dtdelta("/", 3, 2), 1.5)
        self.assertIsNone(f.django_format_dtdelta("+", None, 1))
        self.assertIsNone(f.django_format_dtdelta("+", "garbage", 1))
        self.assertEqual(
            f.django_timestamp_diff("2024-01-02 00:00:01", "2024-01-01"), (86400 + 1) * 10**6
        )
        self.assertEqual(f.django_time_diff("10:00:01", "09:00:00"), 3601 * 10**6)
        self.assertIsNone(f.django_time_diff(None, "09:00:00"))
        self.assertIsNone(f.django_timestamp_diff(None, "2024-01-01"))

    def test_text_and_math_helpers(self):
        self.assertTrue(f.regexp("^a.c$", "abc"))
        self.assertFalse(f.regexp("^a.c$", "abcd"))
        self.assertTrue(f.regexp(r"\d", 123))
        self.assertIsNone(f.regexp(None, "x"))
        self.assertEqual(f.lpad("ab", 5, "xy"), "xyxab")
        self.assertEqual(f.lpad("abcdef", 3, "x"), "abc")
        self.assertEqual(f.rpad("ab", 5, "xy"), "abxyx")
        self.assertEqual(f.repeat("ab", 2), "abab")
        self.assertEqual(f.reverse("abc"), "cba")
        self.assertEqual(f.DIGESTS["md5"]("a"), "0cc175b9c0f1b6a831c399e269772661")
        self.assertEqual(len(f.DIGESTS["sha256"]("a")), 64)
        self.assertEqual(f.sign(-3), -1)
        self.assertEqual(f.bitxor(6, 3), 5)
        self.assertAlmostEqual(f.cot(1), 0.6420926159)
        self.assertEqual(f.log_base_first(2, 8), 3)
        for func in (f.reverse, f.DIGESTS["md5"], f.sign, f.cot):
            self.assertIsNone(func(None))
        for func in (f.bitxor, f.log_base_first, f.repeat):
            self.assertIsNone(func(None, 1))
        self.assertIsNone(f.lpad(None, 1, "x"))
        self.assertIsNone(f.rpad(None, 1, "x"))
        self.assertIsNone(f._null_in_null_out(abs)(None))
        self.assertEqual(f._null_in_null_out(abs)(-1), 1)

    def test_python_like_fallback(self):
        # Builds that ignore the PRAGMA get a Python LIKE instead.
        conn = mock.Mock()
        conn.execute.return_value.fetchone.return_value = (1,)
        f.ensure_case_sensitive_like(conn)
        self.assertEqual(
            [c.args[:2] for c in conn.create_function.call_args_list], [("like", 2), ("like", 3)]
        )
        conn = mock.Mock()
        conn.execute.return_value.fetchone.return_value = (0,)
        f.ensure_case_sensitive_like(conn)
        conn.create_function.assert_not_called()
        # like(pattern, string[, escape]), as SQLite calls it.
        self.assertFalse(f.case_sensitive_like("A%", "abc"))
        self.assertTrue(f.case_sensitive_like("a%", "abc"))
        self.assertTrue(f.case_sensitive_like("a_c", "a\nc"))
        self.assertTrue(f.case_sensitive_like("a\\_c", "a_c", "\\"))
        self.assertFalse(f.case_sensitive_like("a\\_c", "abc", "\\"))
        self.assertTrue(f.case_sensitive_like("100\\%", "100%", "\\"))
        self.assertTrue(f.case_sensitive_like("a.c", "a.c"))
        self.assertFalse(f.case_sensitive_like("a.c", "abc"))
        self.assertIsNone(f.case_sensitive_like(None, "a"))
        import sqlite3

        real = sqlite3.connect(":memory:")
        try:
            real.create_function("like", 3, f.case_sensitive_like)
            self.assertEqual(
                real.execute("SELECT 'abc' LIKE 'A%' ESCAPE '\\', 'a_c' LIKE 'a\\_c' ESCAPE '\\'").fetchone(),
                (0, 1),
            )
        finally:
            real.close()

    def test_aggregates(self):
        agg = f.StatisticsAggregate.of(f.statistics.pstdev)()
        for value in (2, 4, None, 4, 4, 5, 5, 7, 9):
            agg.step(value)
        self.assertEqual(agg.finalize(), 2.0)
        empty = f.StatisticsAggregate.of(f.statistics.stdev)()
        self.assertIsNone(empty.finalize())

    def test_math_fallbacks_registered_when_missing(self):
        import sqlite3

        conn = sqlite3.connect(":memory:")
        try:
            with mock.patch.object(f, "_answers", return_value=False):
                f.register(conn)
            self.assertEqual(conn.execute("SELECT SQRT(16), POWER(2, 3), PI() > 3").fetchone(), (4.0, 8, 1))
            self.assertEqual(conn.execute("SELECT STDDEV_POP(x) FROM (SELECT 1 x UNION SELECT 3)").fetchone(), (1.0,))
        finally:
            conn.close()


@sqlite_only
class SQLiteConnectionTests(TransactionTestCase):
    def test_functions_are_registered(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT django_date_extract('year', %s), django_datetime_trunc('month', %s, NULL, NULL), "
                "%s REGEXP %s",
                ["2020-02-03", "2020-02-03 10:00:00", "abc", "b"],
            )
            self.assertEqual(cursor.fetchone(), (2020, "2020-02-01 00:00:00", 1))

    def test_pragmas(self):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            self.assertEqual(cursor.fetchone()[0], 1)
            cursor.execute("SELECT 'a' LIKE 'A'")
            self.assertEqual(cursor.fetchone()[0], 0)

    def test_placeholders(self):
        convert = type(connection.cursor().cursor).convert_query
        self.assertEqual(convert("SELECT %s, '%%'", [1]), "SELECT ?, '%'")
        self.assertEqual(convert("SELECT %(a)s", {"a": 1}), "SELECT :a")
        with connection.cursor() as cursor:
            cursor.execute("SELECT '%%'")
            self.assertEqual(cursor.fetchone()[0], "%%")
            cursor.execute("SELECT '%%', %s", ["x"])
            self.assertEqual(cursor.fetchone(), ("%", "x"))

    def test_programming_error_for_bad_sql(self):
        with connection.cursor() as cursor:
            for sql in ("SELEKT 1", "SELECT nope FROM sqlite_master", "SELECT no_func()"):
                with self.assertRaises(ProgrammingError):
                    cursor.execute(sql)

    def test_missing_name(self):
        wrapper = type(get_connection())({**connection.settings_dict, "NAME": ""})
        with self.assertRaisesMessage(ImproperlyConfigured, "settings.DATABASES['default'] is improperly configured"):
            wrapper.cursor()

    def test_file_database_close_and_usable(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "db.sqlite3")
            wrapper = type(get_connection())({**connection.settings_dict, "NAME": path})
            with wrapper.cursor() as cursor:
                cursor.execute("CREATE TABLE t (x INTEGER)")
            self.assertFalse(wrapper.is_in_memory_db())
            self.assertTrue(wrapper.is_usable())
            wrapper.close()
            self.assertIsNone(wrapper.connection)
            self.assertFalse(wrapper.is_usable())
            self.assertEqual(wrapper.introspection.table_names(), ["t"])
            wrapper.close()

    def test_constraint_checks(self):
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE db_sqlite_parent (id INTEGER PRIMARY KEY)")
            cursor.execute(
                "CREATE TABLE db_sqlite_child (id INTEGER PRIMARY KEY, "
                "parent_id INTEGER REFERENCES db_sqlite_parent (id) DEFERRABLE INITIALLY DEFERRED)"
            )
        try:
            with connection.constraint_checks_disabled():
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO db_sqlite_child VALUES (1, 42)")
            msg = (
                "The row in table 'db_sqlite_child' with primary key '1' has an invalid "
                "foreign key: db_sqlite_child.parent_id contains a value '42' that does "
                "not have a corresponding value in db_sqlite_parent.id."
            )
            with self.assertRaisesMessage(IntegrityError, msg):
                connection.check_constraints(table_names=["db_sqlite_child"])
            with self.assertRaisesMessage(IntegrityError, msg):
                connection.check_constraints()
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM db_sqlite_child")
            connection.check_constraints()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE db_sqlite_child")
                cursor.execute("DROP TABLE db_sqlite_parent")

    def test_introspection(self):
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE db_sqlite_parent (id INTEGER PRIMARY KEY AUTOINCREMENT)")
            cursor.execute(
                'CREATE TABLE db_sqlite_child (id integer NOT NULL PRIMARY KEY, '
                'name varchar(30) NOT NULL DEFAULT \'x\', "data" text NULL CHECK ((JSON_VALID("data") OR "data" IS NULL)), '
                'parent_id integer NULL REFERENCES db_sqlite_parent (id), '
                'CONSTRAINT "named_unique" UNIQUE ("name", "parent_id"), '
                'CONSTRAINT "positive_id" CHECK ("id" >= 0))'
            )
            cursor.execute('CREATE INDEX "child_name_idx" ON db_sqlite_child (name DESC)')
            cursor.execute("CREATE VIEW db_sqlite_view AS SELECT 1 AS x")
        try:
            intro = connection.introspection
            names = intro.table_names()
            self.assertIn("db_sqlite_child", names)
            self.assertNotIn("db_sqlite_view", names)
            self.assertIn("db_sqlite_view", intro.table_names(include_views=True))
            with connection.cursor() as cursor:
                desc = intro.get_table_description(cursor, "db_sqlite_child")
                self.assertEqual([d.name for d in desc], ["id", "name", "data", "parent_id"])
                self.assertEqual(desc[1].display_size, 30)
                self.assertFalse(desc[1].null_ok)
                self.assertTrue(desc[0].pk)
                self.assertTrue(desc[2].has_json_constraint)
                self.assertEqual(
                    [intro.get_field_type(d.type_code, d) for d in desc],
                    ["AutoField", "CharField", "JSONField", "IntegerField"],
                )
                self.assertEqual(
                    intro.get_relations(cursor, "db_sqlite_child"),
                    {"parent_id": ("id", "db_sqlite_parent")},
                )
                self.assertEqual(intro.get_primary_key_column(cursor, "db_sqlite_child"), "id")
                self.assertEqual(
                    intro.get_sequences(cursor, "db_sqlite_child"),
                    [{"table": "db_sqlite_child", "column": "id"}],
                )
                constraints = intro.get_constraints(cursor, "db_sqlite_child")
                self.assertEqual(constraints["__primary__"]["columns"], ["id"])
                self.assertTrue(constraints["named_unique"]["unique"])
                self.assertEqual(constraints["named_unique"]["columns"], ["name", "parent_id"])
                self.assertTrue(constraints["positive_id"]["check"])
                self.assertEqual(constraints["child_name_idx"]["orders"], ["DESC"])
                self.assertTrue(constraints["child_name_idx"]["index"])
                fks = [c for c in constraints.values() if c["foreign_key"]]
                self.assertEqual(fks[0]["foreign_key"], ("db_sqlite_parent", "id"))
                with self.assertRaisesMessage(Exception, "does not exist"):
                    intro.get_table_description(cursor, "db_sqlite_missing")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP VIEW db_sqlite_view")
                cursor.execute("DROP TABLE db_sqlite_child")
                cursor.execute("DROP TABLE db_sqlite_parent")

    def test_flush_and_sequence_reset(self):
        from django.core.management.color import no_style

        ops = connection.ops
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE db_sqlite_seq (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER)")
            cursor.execute(
                "CREATE TABLE db_sqlite_ref (id INTEGER PRIMARY KEY, "
                "seq_id INTEGER REFERENCES db_sqlite_seq (id))"
            )
            cursor.execute("INSERT INTO db_sqlite_seq (v) VALUES (1), (2)")
            cursor.execute("INSERT INTO db_sqlite_ref VALUES (1, 1)")
        try:
            sql = ops.sql_flush(no_style(), ["db_sqlite_seq"], reset_sequences=True, allow_cascade=True)
            self.assertEqual(
                sql,
                [
                    'DELETE FROM "db_sqlite_ref";',
                    'DELETE FROM "db_sqlite_seq";',
                    'UPDATE "sqlite_sequence" SET "seq" = 0 WHERE "name" IN (\'db_sqlite_ref\', \'db_sqlite_seq\');',
                ],
            )
            ops.execute_sql_flush(sql)
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO db_sqlite_seq (v) VALUES (3)")
                cursor.execute("SELECT id FROM db_sqlite_seq")
                self.assertEqual(cursor.fetchone()[0], 1)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE db_sqlite_ref")
                cursor.execute("DROP TABLE db_sqlite_seq")

    def test_sequence_reset_by_name_without_sqlite_sequence(self):
        with mock.patch.object(connection.ops, "connection") as conn:
            conn.cursor.return_value.__enter__.return_value.fetchone.return_value = [0]
            self.assertEqual(connection.ops.sequence_reset_by_name_sql(None, [{"table": "t"}]), [])
        self.assertEqual(connection.ops.sequence_reset_by_name_sql(None, []), [])


@sqlite_only
class SQLiteOperationsTests(TransactionTestCase):
    def test_quote_name(self):
        ops = connection.ops
        self.assertEqual(ops.quote_name("a"), '"a"')
        self.assertEqual(ops.quote_name('"a"'), '"a"')
        self.assertEqual(ops.quote_name('a"b'), '"a""b"')

    def test_converters(self):
        ops = connection.ops

        def convert(internal_type, value, **kwargs):
            expression = FakeExpression(internal_type, **kwargs)
            for converter in ops.get_db_converters(expression):
                value = converter(value, expression, connection)
            return value

        self.assertEqual(
            convert("DateTimeField", "2024-01-02 03:04:05.000006"),
            datetime.datetime(2024, 1, 2, 3, 4, 5, 6),
        )
        self.assertEqual(convert("DateTimeField", "2024-01-02"), datetime.datetime(2024, 1, 2))
        self.assertEqual(convert("DateField", "2024-01-02"), datetime.date(2024, 1, 2))
        self.assertEqual(convert("DateField", "2024-01-02 10:00:00"), datetime.date(2024, 1, 2))
        self.assertEqual(convert("TimeField", "03:04:05.5"), datetime.time(3, 4, 5, 500000))
        self.assertEqual(convert("DecimalField", 1.1, decimal_places=2), decimal.Decimal("1.10"))
        self.assertEqual(convert("DecimalField", "2.5"), decimal.Decimal("2.5"))
        u = uuid.uuid4()
        self.assertEqual(convert("UUIDField", u.hex), u)
        self.assertIs(convert("BooleanField", 1), True)
        self.assertIs(convert("BooleanField", 0), False)
        self.assertEqual(convert("CharField", "x"), "x")
        for internal_type in ("DateTimeField", "DateField", "TimeField", "DecimalField", "UUIDField", "BooleanField"):
            self.assertIsNone(convert(internal_type, None))
        from django.test.utils import override_settings

        with override_settings(USE_TZ=True):
            self.assertEqual(
                convert("DateTimeField", "2024-01-02 03:04:05").tzinfo, datetime.timezone.utc
            )

    def test_adapters(self):
        ops = connection.ops
        aware = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
        with self.assertRaisesMessage(ValueError, "when USE_TZ is False"):
            ops.adapt_datetimefield_value(aware)
        from django.test.utils import override_settings

        with override_settings(USE_TZ=True):
            self.assertEqual(ops.adapt_datetimefield_value(aware), "2024-01-02 02:04:05")
        self.assertEqual(ops.adapt_datetimefield_value(datetime.datetime(2024, 1, 2)), "2024-01-02 00:00:00")
        self.assertIsNone(ops.adapt_datetimefield_value(None))
        self.assertEqual(ops.adapt_timefield_value(datetime.time(1, 2)), "01:02:00")
        self.assertIsNone(ops.adapt_timefield_value(None))
        with self.assertRaisesMessage(ValueError, "timezone-aware times"):
            ops.adapt_timefield_value(datetime.time(1, 2, tzinfo=datetime.timezone.utc))
        expr = mock.Mock(spec=["resolve_expression"])
        self.assertIs(ops.adapt_datetimefield_value(expr), expr)
        self.assertIs(ops.adapt_timefield_value(expr), expr)

    def test_sql_generation(self):
        ops = connection.ops
        self.assertEqual(
            ops.date_extract_sql("YEAR", '"t"."d"', ()),
            ('django_date_extract(%s, "t"."d")', ("year",)),
        )
        self.assertEqual(ops.date_trunc_sql("month", "d", (), None), ("django_date_trunc(%s, d, %s, %s)", ("month", None, None)))
        self.assertEqual(ops.time_trunc_sql("hour", "d", ())[1], ("hour", None, None))
        self.assertEqual(ops.datetime_cast_date_sql("d", (), None)[0], "django_datetime_cast_date(d, %s, %s)")
        self.assertEqual(ops.datetime_cast_time_sql("d", (), None)[0], "django_datetime_cast_time(d, %s, %s)")
        self.assertEqual(ops.datetime_extract_sql("hour", "d", (), None)[1], ("hour", None, None))
        self.assertEqual(ops.datetime_trunc_sql("hour", "d", (), None)[1], ("hour", None, None))
        self.assertEqual(ops.time_extract_sql("hour", "d", ())[0], "django_time_extract(%s, d)")
        from django.test.utils import override_settings

        with override_settings(USE_TZ=True):
            self.assertEqual(
                ops.datetime_extract_sql("hour", "d", (), "Europe/Paris")[1],
                ("hour", "Europe/Paris", "UTC"),
            )
        self.assertEqual(ops.format_for_duration_arithmetic("x"), "x")
        self.assertEqual(ops.combine_expression("^", ["a", "b"]), "POWER(a,b)")
        self.assertEqual(ops.combine_expression("#", ["a", "b"]), "BITXOR(a,b)")
        self.assertEqual(ops.combine_expression("+", ["a", "b"]), "a + b")
        self.assertEqual(ops.combine_duration_expression("+", ["a", "b"]), "django_format_dtdelta('+', a, b)")
        with self.assertRaisesMessage(Exception, "Invalid connector for timedelta: %."):
            ops.combine_duration_expression("%", ["a", "b"])
        with self.assertRaisesMessage(ValueError, "Too many params"):
            ops.combine_duration_expression("+", ["a", "b", "c"])
        self.assertEqual(ops.subtract_temporals("TimeField", ("a", [1]), ("b", [2])), ("django_time_diff(a, b)", (1, 2)))
        self.assertEqual(ops.subtract_temporals("DateField", ("a", []), ("b", []))[0], "django_timestamp_diff(a, b)")
        self.assertEqual(ops.pk_default_value(), "NULL")
        self.assertEqual(ops.no_limit_value(), -1)
        self.assertEqual(ops.limit_offset_sql(5, None), "LIMIT -1 OFFSET 5")
        self.assertEqual(ops.insert_statement(), "INSERT INTO")
        self.assertEqual(ops.insert_statement(mock.Mock(value="ignore")), "INSERT OR IGNORE INTO")
        self.assertEqual(
            ops.on_conflict_suffix_sql([], mock.Mock(value="update"), ["a"], ["b"]),
            'ON CONFLICT("b") DO UPDATE SET "a" = EXCLUDED."a"',
        )
        self.assertEqual(ops.on_conflict_suffix_sql([], None, [], []), "")
        self.assertEqual(ops.lookup_cast("icontains"), "UPPER(%s)")
        self.assertEqual(ops.lookup_cast("contains"), "%s")
        self.assertEqual(ops.regex_lookup("regex"), "%s REGEXP %s")
        self.assertEqual(ops.regex_lookup("iregex"), "%s REGEXP '(?i)' || %s")
        self.assertEqual(ops.bulk_batch_size(["a"], [1] * 600), 500)
        self.assertEqual(ops.bulk_batch_size(["a", "b", "c"], [1] * 600), 333)
        self.assertEqual(ops.bulk_batch_size([], [1] * 7), 7)
        self.assertEqual(ops.bulk_insert_sql(None, [["%s", "%s"], ["%s", "%s"]]), "VALUES (%s, %s), (%s, %s)")
        self.assertEqual(ops.return_insert_columns([]), ("", ()))
        field = mock.Mock(column="id")
        field.model._meta.db_table = "t"
        self.assertEqual(ops.return_insert_columns([field]), ('RETURNING "t"."id"', ()))
        self.assertEqual(ops.explain_query_prefix(), "EXPLAIN QUERY PLAN")
        with self.assertRaisesMessage(ValueError, "Unknown options: verbose."):
            ops.explain_query_prefix(verbose=True)
        with self.assertRaisesMessage(ValueError, "JSON is not a recognized format."):
            ops.explain_query_prefix(format="json")

    def test_last_executed_query(self):
        ops = connection.ops
        rendered = ops.last_executed_query(
            None,
            "SELECT %s, %s, %s, %s, %s, %s, %s, %s",
            [None, True, 3, "it's", b"\x01", datetime.datetime(2024, 1, 2, 3, 4), datetime.date(2024, 1, 2), decimal.Decimal("1.5")],
        )
        self.assertEqual(
            rendered,
            "SELECT NULL, 1, 3, 'it''s', X'01', '2024-01-02 03:04:00', '2024-01-02', 1.5",
        )
        self.assertEqual(ops.last_executed_query(None, "SELECT %(a)s", {"a": "x"}), "SELECT 'x'")
        self.assertEqual(ops.last_executed_query(None, "SELECT 1", None), "SELECT 1")
        self.assertEqual(ops.last_executed_query(None, "SELECT %s %s", [1]), "SELECT %s %s")
        self.assertEqual(ops.last_executed_query(None, "SELECT %(b)s", {"a": 1}), "SELECT %(b)s")

    def test_check_expression_support(self):
        from django.db import NotSupportedError

        class Sum:
            distinct = False
            source_expressions = []

            def get_source_expressions(self):
                return [FakeExpression("DateField")]

        with self.assertRaisesMessage(NotSupportedError, "date/time fields in sqlite3"):
            connection.ops.check_expression_support(Sum())

        class Agg:
            distinct = True
            source_expressions = [1, 2]

        with self.assertRaisesMessage(NotSupportedError, "multiple arguments"):
            connection.ops.check_expression_support(Agg())

    def test_features(self):
        features = connection.features
        self.assertTrue(features.supports_json_field)
        self.assertTrue(features.can_introspect_json_field)
        self.assertFalse(features.has_case_insensitive_like)
        self.assertEqual(features.max_query_params, 999)
        self.assertTrue(features.supports_transactions)

    def test_client(self):
        client = connection.client
        args, env = client.settings_to_cmd_args_env({"NAME": "db.sqlite3"}, ["-bail"])
        self.assertEqual(args, ["sqlite3", "db.sqlite3", "-bail"])
        self.assertIsNone(env)
        with mock.patch.object(type(client), "executable_name", "no-such-sqlite-binary"):
            with self.assertRaisesMessage(ImproperlyConfigured, "'no-such-sqlite-binary' program"):
                client.runshell([])
        with mock.patch("subprocess.run") as run, mock.patch("shutil.which", return_value="/bin/sqlite3"):
            client.runshell(["-x"])
        self.assertEqual(run.call_args[0][0][0], "sqlite3")


@sqlite_only
class SQLiteCreationTests(SimpleTestCase):
    def make_wrapper(self, TEST_NAME=None, **settings):
        # A settings dict of its own (TEST included): nothing here may
        # touch the suite's DATABASES entry.
        base = type(get_connection())
        return base({**connection.settings_dict, "TEST": {"NAME": TEST_NAME}, **settings})

    def test_test_db_names(self):
        wrapper = self.make_wrapper(NAME="x.db", TEST_NAME=None)
        self.assertEqual(
            wrapper.creation._get_test_db_name(), "file:memorydb_default?mode=memory&cache=shared"
        )
        self.assertEqual(wrapper.creation.test_db_signature(), ("x.db", "default"))
        wrapper = self.make_wrapper(NAME="x.db", TEST_NAME="test_x.db")
        self.assertEqual(wrapper.creation._get_test_db_name(), "test_x.db")
        self.assertEqual(wrapper.creation.test_db_signature(), ("x.db", "test_x.db"))
        self.assertEqual(
            wrapper.creation.get_test_db_clone_settings("1")["NAME"], "x_1.db"
        )

    def test_file_test_database_lifecycle(self):
        from django.conf import settings

        with tempfile.TemporaryDirectory() as tmp:
            test_path = os.path.join(tmp, "test.sqlite3")
            with open(test_path, "w") as fh:
                fh.write("left over by a killed run")
            old_setting = os.path.join(tmp, "main.sqlite3")
            wrapper = self.make_wrapper(NAME=old_setting, TEST_NAME=test_path)
            configured = settings.DATABASES["default"]["NAME"]
            messages = []
            with mock.patch.object(type(wrapper.creation), "_build_schema") as build, \
                    mock.patch.object(type(wrapper.creation), "log", lambda self, msg: messages.append(msg)):
                name = wrapper.creation.create_test_db(verbosity=2)
                try:
                    self.assertEqual(name, test_path)
                    self.assertEqual(wrapper.settings_dict["NAME"], test_path)
                    # A wrapper with a settings dict of its own leaves
                    # DATABASES alone.
                    self.assertEqual(settings.DATABASES["default"]["NAME"], configured)
                    build.assert_called_once_with(2)
                    with wrapper.cursor() as cursor:
                        cursor.execute("CREATE TABLE t (x INTEGER)")
                    self.assertTrue(os.path.exists(test_path))
                finally:
                    wrapper.creation.destroy_test_db(old_setting, verbosity=2)
            self.assertFalse(os.path.exists(test_path))
            self.assertEqual(settings.DATABASES["default"]["NAME"], configured)
            self.assertEqual(wrapper.settings_dict["NAME"], old_setting)
            self.assertEqual(
                messages,
                [
                    "Creating test database '%s'..." % test_path,
                    "Destroying old test database '%s'..." % test_path,
                    "Destroying test database '%s'..." % test_path,
                ],
            )

    def test_clone_settings_and_files(self):
        memory = self.make_wrapper(NAME="file:memorydb_default?mode=memory&cache=shared")
        self.assertIs(memory.creation.get_test_db_clone_settings("1"), memory.settings_dict)
        memory.creation._clone_test_db("1", 0)
        with tempfile.TemporaryDirectory() as tmp:
            source = os.path.join(tmp, "t.sqlite3")
            with open(source, "w") as fh:
                fh.write("data")
            wrapper = self.make_wrapper(NAME=source)
            wrapper.creation._clone_test_db("2", 0)
            target = os.path.join(tmp, "t_2.sqlite3")
            with open(target) as fh:
                self.assertEqual(fh.read(), "data")
            with open(source, "w") as fh:
                fh.write("new")
            wrapper.creation._clone_test_db("2", 0, keepdb=True)
            with open(target) as fh:
                self.assertEqual(fh.read(), "data")
            wrapper.creation._clone_test_db("2", 0)
            with open(target) as fh:
                self.assertEqual(fh.read(), "new")

    def test_sequence_reset_sql(self):
        def model(table, internal_type):
            m = mock.Mock()
            m._meta.db_table = table
            m._meta.pk.column = "id"
            m._meta.pk.get_internal_type.return_value = internal_type
            return m

        sql = connection.ops.sequence_reset_sql(
            None, [model("t", "AutoField"), model("u", "CharField")]
        )
        self.assertEqual(
            sql,
            [
                'UPDATE "sqlite_sequence" SET "seq" = (SELECT COALESCE(MAX("id"), 0) FROM "t") '
                "WHERE \"name\" = 't';"
            ],
        )

    def test_keepdb(self):
        from django.conf import settings

        with tempfile.TemporaryDirectory() as tmp:
            test_path = os.path.join(tmp, "test.sqlite3")
            wrapper = self.make_wrapper(NAME="main", TEST_NAME=test_path)
            old_setting = "main"
            configured = settings.DATABASES["default"]["NAME"]
            with mock.patch.object(type(wrapper.creation), "_build_schema"):
                wrapper.creation.create_test_db(verbosity=0, keepdb=True)
                with wrapper.cursor() as cursor:
                    cursor.execute("CREATE TABLE t (x INTEGER)")
                wrapper.creation.destroy_test_db(old_setting, verbosity=0, keepdb=True)
            self.assertTrue(os.path.exists(test_path))
            self.assertEqual(wrapper.settings_dict["NAME"], old_setting)
            self.assertEqual(settings.DATABASES["default"]["NAME"], configured)
