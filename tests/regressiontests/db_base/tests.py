"""The vendor-independent base classes and helpers of django.db.backends."""
import datetime
import decimal
import logging
from unittest import mock

from django.db import DatabaseError, NotSupportedError, connection, get_connection
from django.db.backends import utils
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.client import BaseDatabaseClient
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.base.features import BaseDatabaseFeatures
from django.db.backends.base.introspection import BaseDatabaseIntrospection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.base.validation import BaseDatabaseValidation
from django.test import SimpleTestCase, TransactionTestCase

SETTINGS = {
    "ENGINE": "x",
    "NAME": "db",
    "USER": "",
    "PASSWORD": "",
    "HOST": "h",
    "PORT": "1",
    "OPTIONS": {},
    "TEST_NAME": None,
    "TIME_ZONE": None,
    "CONN_MAX_AGE": 0,
    "AUTOCOMMIT": True,
    "ATOMIC_REQUESTS": False,
}


class Ops(BaseDatabaseOperations):
    def quote_name(self, name):
        return '"%s"' % name


class Features(BaseDatabaseFeatures):
    pass


class Wrapper(BaseDatabaseWrapper):
    vendor = "test"
    display_name = "Test"
    ops_class = Ops
    features_class = Features
    creation_class = BaseDatabaseCreation
    introspection_class = BaseDatabaseIntrospection
    client_class = BaseDatabaseClient


class BaseWrapperTests(SimpleTestCase):
    def setUp(self):
        self.wrapper = Wrapper(dict(SETTINGS))

    def test_abstract_methods(self):
        w = self.wrapper
        for call in (
            w.get_connection_params,
            lambda: w.get_new_connection({}),
            w.create_cursor,
            lambda: w._set_autocommit(True),
            w.get_database_version,
        ):
            with self.assertRaises(NotImplementedError):
                call()
        # Probing needs no backend code: without a connection, not usable.
        self.assertFalse(w.is_usable())
        with self.assertRaisesMessage(NotImplementedError, "SchemaEditorClass"):
            w.schema_editor()

    def test_defaults(self):
        w = self.wrapper
        self.assertEqual(w.alias, "default")
        self.assertIsNone(w.connection)
        self.assertIn("vendor='test'", repr(w))
        self.assertEqual(w.queries_log.maxlen, 9000)
        self.assertIsInstance(w.validation, BaseDatabaseValidation)
        self.assertFalse(w.ensure_timezone())
        from django.test.utils import override_settings

        with override_settings(USE_TZ=False, TIME_ZONE="America/Chicago"):
            self.assertIsNone(w.timezone)
            self.assertEqual(w.timezone_name, "America/Chicago")
        with override_settings(USE_TZ=True):
            self.assertEqual(w.timezone, datetime.timezone.utc)
            self.assertEqual(w.timezone_name, "UTC")
            w.settings_dict["TIME_ZONE"] = "Europe/Paris"
            self.assertEqual(str(w.timezone), "Europe/Paris")
            self.assertEqual(w.timezone_name, "Europe/Paris")
        self.assertFalse(w.disable_constraint_checking())
        w.enable_constraint_checking()
        w.check_constraints()
        w.prepare_database()
        w.check_database_version_supported()
        with w.constraint_checks_disabled():
            pass
        self.assertEqual(w.copy().settings_dict, w.settings_dict)
        self.assertIsNot(w.copy().settings_dict, w.settings_dict)
        # Closing an unopened connection is harmless.
        w.close()

    def test_rollback_flags_outside_atomic(self):
        from django.db.transaction import TransactionManagementError

        with self.assertRaises(TransactionManagementError):
            self.wrapper.get_rollback()
        with self.assertRaises(TransactionManagementError):
            self.wrapper.set_rollback(True)

    def test_health_check(self):
        w = self.wrapper
        w.connection = mock.Mock()
        w.health_check_enabled = True
        w.is_usable = lambda: False
        w._close = lambda: None
        w.close_if_health_check_failed()
        self.assertIsNone(w.connection)
        self.assertTrue(w.health_check_done)

    def test_close_never_raises_and_forgets_the_connection(self):
        import types

        from django.db import DatabaseError

        w = self.wrapper
        driver_error = type("DriverError", (Exception,), {})
        w.Database = types.SimpleNamespace(Error=driver_error)
        for error in (driver_error("socket gone"), DatabaseError("already closed")):
            w.connection = mock.Mock()

            def refuse(error=error):
                raise error

            w._close = refuse
            w.close()
            self.assertIsNone(w.connection)

    def test_run_and_clear_commit_hooks_logs_robust_errors(self):
        def bad():
            raise ValueError("x")

        calls = []
        self.wrapper.run_on_commit = [(set(), bad, True), (set(), lambda: calls.append(1), False)]
        with self.assertLogs("django.db.backends", logging.ERROR):
            self.wrapper.run_and_clear_commit_hooks()
        self.assertEqual(calls, [1])
        self.assertEqual(self.wrapper.run_on_commit, [])


class BaseOperationsTests(SimpleTestCase):
    def setUp(self):
        self.ops = Wrapper(dict(SETTINGS)).ops

    def test_not_implemented(self):
        ops = self.ops
        for call in (
            lambda: ops.date_extract_sql("year", "x", ()),
            lambda: ops.date_trunc_sql("year", "x", ()),
            lambda: ops.datetime_cast_date_sql("x", (), None),
            lambda: ops.datetime_cast_time_sql("x", (), None),
            lambda: ops.datetime_extract_sql("year", "x", (), None),
            lambda: ops.datetime_trunc_sql("year", "x", (), None),
            lambda: ops.time_trunc_sql("hour", "x", ()),
            lambda: ops.time_extract_sql("hour", "x", ()),
            lambda: ops.format_for_duration_arithmetic("x"),
            lambda: ops.no_limit_value(),
            lambda: ops.regex_lookup("regex"),
            lambda: ops.sql_flush(None, []),
        ):
            with self.assertRaises(NotImplementedError):
                call()
        # Quoting is not a vendor hook: the base quotes with the SQL
        # standard's double quote, vendors only change the character.
        self.assertEqual(BaseDatabaseOperations(None).quote_name('x"y'), '"x""y"')

    def test_simple_defaults(self):
        ops = self.ops
        self.assertIsNone(ops.autoinc_sql("t", "c"))
        self.assertEqual(ops.bulk_batch_size(["a"], [1, 2]), 2)
        self.assertEqual(ops.unification_cast_sql(None), "%s")
        self.assertEqual(ops.deferrable_sql(), "")
        self.assertEqual(ops.distinct_sql([], []), (["DISTINCT"], []))
        with self.assertRaisesMessage(NotSupportedError, "DISTINCT ON fields"):
            ops.distinct_sql(["a"], [])
        self.assertEqual(ops.field_cast_sql("varchar", "CharField"), "%s")
        self.assertEqual(ops.force_no_ordering(), [])
        self.assertEqual(ops.for_update_sql(), "FOR UPDATE")
        self.assertEqual(
            ops.for_update_sql(nowait=True, skip_locked=True, of=["a", "b"], no_key=True),
            "FOR NO KEY UPDATE OF a, b NOWAIT SKIP LOCKED",
        )
        self.assertEqual(ops.limit_offset_sql(0, None), "")
        self.assertEqual(ops.limit_offset_sql(2, 5), "LIMIT 3 OFFSET 2")
        self.assertEqual(ops.limit_offset_sql(0, 5), "LIMIT 5")
        self.assertEqual(ops.lookup_cast("exact"), "%s")
        self.assertIsNone(ops.max_in_list_size())
        self.assertIsNone(ops.max_name_length())
        self.assertEqual(ops.pk_default_value(), "DEFAULT")
        self.assertEqual(ops.process_clob("x"), "x")
        self.assertEqual(ops.return_insert_columns([]), ("", ()))
        self.assertEqual(ops.random_function_sql(), "RANDOM()")
        self.assertEqual(ops.savepoint_create_sql("s1"), 'SAVEPOINT "s1"')
        self.assertEqual(ops.savepoint_commit_sql("s1"), 'RELEASE SAVEPOINT "s1"')
        self.assertEqual(ops.savepoint_rollback_sql("s1"), 'ROLLBACK TO SAVEPOINT "s1"')
        self.assertEqual(ops.set_time_zone_sql(), "")
        self.assertEqual(ops.sequence_reset_by_name_sql(None, []), [])
        self.assertEqual(ops.sequence_reset_sql(None, []), [])
        self.assertEqual(ops.start_transaction_sql(), "BEGIN;")
        self.assertEqual(ops.end_transaction_sql(), "COMMIT;")
        self.assertEqual(ops.end_transaction_sql(success=False), "ROLLBACK;")
        self.assertEqual(ops.tablespace_sql("ts"), "")
        self.assertEqual(ops.prep_for_like_query("a%b_c\\"), "a\\%b\\_c\\\\")
        self.assertEqual(ops.prep_for_iexact_query("a%"), "a\\%")
        self.assertEqual(ops.validate_autopk_value(3), 3)
        self.assertEqual(ops.adapt_integerfield_value(3, "IntegerField"), 3)
        self.assertEqual(ops.adapt_ipaddressfield_value(""), None)
        self.assertEqual(ops.adapt_json_value({"a": 1}, None), '{"a": 1}')
        self.assertEqual(ops.get_db_converters(None), [])
        self.assertEqual(ops.convert_durationfield_value(5, None, None), datetime.timedelta(microseconds=5))
        self.assertIsNone(ops.convert_durationfield_value(None, None, None))
        ops.check_expression_support(None)
        self.assertTrue(ops.conditional_expression_supported_in_where_clause(None))
        self.assertEqual(ops.combine_expression("+", ["a", "b"]), "a + b")
        self.assertEqual(ops.combine_duration_expression("-", ["a", "b"]), "a - b")
        self.assertEqual(ops.binary_placeholder_sql(b""), "%s")
        self.assertEqual(ops.modify_insert_params("%s", [1]), [1])
        self.assertEqual(ops.integer_field_range("SmallIntegerField"), (-32768, 32767))
        self.assertEqual(ops.insert_statement(), "INSERT INTO")
        self.assertEqual(ops.on_conflict_suffix_sql([], None, [], []), "")
        self.assertEqual(ops.ignore_conflicts_suffix_sql(), "")
        self.assertEqual(ops.bulk_insert_sql([], [["%s"], ["%s"]]), "VALUES (%s), (%s)")
        self.assertEqual(ops.format_debug_sql("x"), "x")
        self.assertEqual(ops.format_number(decimal.Decimal("1.234"), 5, 2), "1.23")
        self.assertEqual(ops.fetch_returned_insert_rows(mock.Mock(fetchall=lambda: [1])), [1])
        self.assertEqual(ops.fetch_returned_insert_columns(mock.Mock(fetchone=lambda: (1,)), ()), (1,))
        self.assertEqual(ops.last_insert_id(mock.Mock(lastrowid=9), "t", "id"), 9)
        self.assertEqual(ops.cache_key_culling_sql()[:6], "SELECT")
        self.assertEqual(ops.set_operators["difference"], "EXCEPT")
        lhs_field, rhs_field = mock.Mock(column="a"), mock.Mock(column="b")
        self.assertEqual(ops.prepare_join_on_clause("t1", lhs_field, "t2", rhs_field), ('"t1"."a"', '"t2"."b"'))

    def test_adapters(self):
        ops = self.ops
        self.assertEqual(ops.adapt_datefield_value(datetime.date(2024, 1, 2)), "2024-01-02")
        self.assertIsNone(ops.adapt_datefield_value(None))
        self.assertEqual(ops.adapt_datetimefield_value(datetime.datetime(2024, 1, 2)), "2024-01-02 00:00:00")
        self.assertIsNone(ops.adapt_datetimefield_value(None))
        self.assertEqual(ops.adapt_timefield_value(datetime.time(1, 2)), "01:02:00")
        self.assertIsNone(ops.adapt_timefield_value(None))
        with self.assertRaises(ValueError):
            ops.adapt_timefield_value(datetime.time(1, tzinfo=datetime.timezone.utc))
        expr = mock.Mock(spec=["resolve_expression"])
        self.assertIs(ops.adapt_datetimefield_value(expr), expr)
        self.assertIs(ops.adapt_timefield_value(expr), expr)
        self.assertEqual(ops.adapt_decimalfield_value(decimal.Decimal(1)), decimal.Decimal(1))
        self.assertEqual(ops.adapt_unknown_value(datetime.datetime(2024, 1, 2)), "2024-01-02 00:00:00")
        self.assertEqual(ops.adapt_unknown_value(datetime.date(2024, 1, 2)), "2024-01-02")
        self.assertEqual(ops.adapt_unknown_value(datetime.time(1)), "01:00:00")
        self.assertEqual(ops.adapt_unknown_value(decimal.Decimal(2)), decimal.Decimal(2))
        self.assertEqual(ops.adapt_unknown_value("x"), "x")

    def test_year_bounds(self):
        ops = self.ops
        self.assertEqual(ops.year_lookup_bounds_for_date_field(2024), ["2024-01-01", "2024-12-31"])
        self.assertEqual(ops.year_lookup_bounds_for_date_field(2021, iso_year=True), ["2021-01-04", "2022-01-02"])
        self.assertEqual(
            ops.year_lookup_bounds_for_datetime_field(2024),
            ["2024-01-01 00:00:00", "2024-12-31 23:59:59.999999"],
        )
        self.assertEqual(
            ops.year_lookup_bounds_for_datetime_field(2021, iso_year=True),
            ["2021-01-04 00:00:00", "2022-01-02 23:59:59.999999"],
        )

    def test_last_executed_query(self):
        ops = self.ops
        self.assertEqual(
            ops.last_executed_query(None, "SELECT %s", [b"x", 1, None, "y"]),
            "QUERY = 'SELECT %s' - PARAMS = ('x', 1, None, 'y')",
        )
        self.assertEqual(ops.last_executed_query(None, "S", None), "QUERY = 'S' - PARAMS = ()")
        self.assertEqual(ops.last_executed_query(None, "S", {"a": 1}), "QUERY = 'S' - PARAMS = {'a': 1}")

    def test_window_frames(self):
        ops = self.ops
        with self.assertRaisesMessage(NotSupportedError, "window expressions"):
            ops.window_frame_rows_start_end()
        ops.connection.features.supports_over_clause = True
        self.assertEqual(ops.window_frame_rows_start_end(-2, 3), ("2 PRECEDING", "3 FOLLOWING"))
        self.assertEqual(ops.window_frame_range_start_end(0, 0), ("CURRENT ROW", "CURRENT ROW"))
        self.assertEqual(ops.window_frame_rows_start_end(None, None), ("UNBOUNDED PRECEDING", "UNBOUNDED FOLLOWING"))
        with self.assertRaises(ValueError):
            ops.window_frame_start(1)
        with self.assertRaises(ValueError):
            ops.window_frame_end(-1)

    def test_explain(self):
        ops = self.ops
        with self.assertRaisesMessage(NotSupportedError, "explaining query execution"):
            ops.explain_query_prefix()
        ops.explain_prefix = "EXPLAIN"
        ops.explain_options = frozenset({"analyze"})
        ops.connection.features.supported_explain_formats = {"JSON", "TEXT"}
        ops.connection.features.__dict__.pop("supports_explaining_query_execution", None)
        self.assertEqual(ops.explain_query_prefix("json", analyze=True), "EXPLAIN")
        with self.assertRaisesMessage(ValueError, "XML is not a recognized format. Allowed formats: JSON, TEXT"):
            ops.explain_query_prefix("xml")
        with self.assertRaisesMessage(ValueError, "Unknown options: bogus. Allowed options: analyze."):
            ops.explain_query_prefix(bogus=True)
        ops.connection.features.supported_explain_formats = set()
        with self.assertRaisesMessage(ValueError, "Test does not support any formats."):
            ops.explain_query_prefix("json")

    def test_temporal_subtraction(self):
        ops = self.ops
        with self.assertRaisesMessage(NotSupportedError, "DateField subtraction"):
            ops.subtract_temporals("DateField", ("a", []), ("b", []))
        ops.connection.features.supports_temporal_subtraction = True
        self.assertEqual(ops.subtract_temporals("DateField", ("a", [1]), ("b", [2])), ("(a - b)", (1, 2)))

    def test_prepare_sql_script(self):
        self.assertEqual(
            self.ops.prepare_sql_script("SELECT 1; -- comment\nSELECT 2;"),
            ["SELECT 1;", "SELECT 2;"],
        )

    def test_compiler(self):
        ops = self.ops
        ops.compiler_module = "django.db.backends.utils"
        self.assertIs(ops.compiler("CursorWrapper"), utils.CursorWrapper)


class BaseCollaboratorsTests(SimpleTestCase):
    def setUp(self):
        self.wrapper = Wrapper(dict(SETTINGS))

    def test_creation_names(self):
        creation = self.wrapper.creation
        self.assertEqual(creation._get_test_db_name(), "test_db")
        self.wrapper.settings_dict["TEST"] = {"NAME": "other"}
        self.assertEqual(creation._get_test_db_name(), "other")
        self.assertEqual(creation.test_db_signature(), ("h", "1", "x", "other"))
        self.assertEqual(creation.get_test_db_clone_settings("2")["NAME"], "db_2")
        self.assertEqual(creation.sql_table_creation_suffix(), "")
        with self.assertRaises(NotImplementedError):
            creation.clone_test_db("1")
        with self.assertRaises(NotImplementedError):
            creation.serialize_db_to_string()
        creation.set_as_test_mirror({"NAME": "primary"})
        self.assertEqual(self.wrapper.settings_dict["NAME"], "primary")

    def test_create_test_db_recreates_leftover_database(self):
        creation = self.wrapper.creation
        executed = []

        class Cursor:
            def execute(self, sql):
                executed.append(sql)
                if sql.startswith("CREATE") and executed.count(sql) == 1:
                    raise DatabaseError("database exists")

        class Context:
            def __enter__(self):
                return Cursor()

            def __exit__(self, *exc):
                return False

        messages = []
        with mock.patch.object(BaseDatabaseCreation, "_nodb_cursor", lambda self: Context()), \
                mock.patch.object(BaseDatabaseCreation, "log", lambda self, msg: messages.append(msg)):
            self.assertEqual(creation._create_test_db(1, True), "test_db")
            self.assertEqual(
                executed,
                ['CREATE DATABASE "test_db" ', 'DROP DATABASE "test_db"', 'CREATE DATABASE "test_db" '],
            )
            self.assertEqual(len(messages), 1)
            self.assertIn("database exists", messages[0])
            self.assertIn("destroying the old one and creating it again", messages[0])
            executed.clear()
            self.assertEqual(creation._create_test_db(1, True, keepdb=True), "test_db")
            executed.clear()
            creation._destroy_test_db("test_db", 1)
            self.assertEqual(executed, ['DROP DATABASE "test_db"'])

    def test_create_test_db_failure_names_database(self):
        class Cursor:
            def execute(self, sql):
                raise DatabaseError("permission denied")

        class Context:
            def __enter__(self):
                return Cursor()

            def __exit__(self, *exc):
                return False

        with mock.patch.object(BaseDatabaseCreation, "_nodb_cursor", lambda self: Context()), \
                mock.patch.object(BaseDatabaseCreation, "log", lambda self, msg: None):
            with self.assertRaisesMessage(
                DatabaseError, "Cannot create the test database 'test_db': permission denied"
            ):
                self.wrapper.creation._create_test_db(1, True)

    def test_build_schema_runs_syncdb_only_if_available(self):
        creation = self.wrapper.creation
        with mock.patch("django.core.management.get_commands", return_value={}), \
                mock.patch("django.core.management.call_command") as call:
            creation._build_schema(2)
            call.assert_not_called()
        with mock.patch("django.core.management.get_commands", return_value={"syncdb": "x"}), \
                mock.patch("django.core.management.call_command") as call:
            creation._build_schema(2)
            call.assert_called_once_with(
                "syncdb", verbosity=1, interactive=False, database=self.wrapper.alias
            )

    def test_introspection_abstract(self):
        intro = self.wrapper.introspection
        for call in (
            lambda: intro.get_table_list(None),
            lambda: intro.get_table_description(None, "t"),
            lambda: intro.get_sequences(None, "t"),
            lambda: intro.get_relations(None, "t"),
            lambda: intro.get_constraints(None, "t"),
        ):
            with self.assertRaises(NotImplementedError):
                call()
        self.assertEqual(intro.identifier_converter("A"), "A")

    def test_introspection_with_models(self):
        intro = self.wrapper.introspection

        def model(table, managed=True):
            m = mock.Mock()
            m._meta.db_table = table
            m._meta.managed = managed
            m._meta.proxy = False
            m._meta.local_many_to_many = []
            m._meta.local_fields = []
            return m

        models = [model("a"), model("b")]
        with mock.patch.object(type(intro), "get_migratable_models", return_value=models):
            self.assertEqual(sorted(intro.django_table_names()), ["a", "b"])
            with mock.patch.object(type(intro), "table_names", return_value=["a"]):
                self.assertEqual(intro.django_table_names(only_existing=True), ["a"])
            self.assertEqual(intro.installed_models(["b"]), {models[1]})

    def test_client(self):
        with self.assertRaises(NotImplementedError):
            self.wrapper.client.runshell([])

    def test_validation(self):
        validation = self.wrapper.validation
        self.assertEqual(validation.check(), [])
        self.assertEqual(validation.check_field(mock.Mock()), [])
        validation.check_field_type = lambda field, field_type: ["error: %s" % field_type]
        field = mock.Mock(remote_field=None)
        field.db_type.return_value = "integer"
        self.assertEqual(validation.check_field(field), ["error: integer"])
        field.db_type.return_value = None
        self.assertEqual(validation.check_field(field), [])


class BackendUtilsTests(SimpleTestCase):
    def test_names(self):
        self.assertEqual(utils.split_identifier('"ns"."name"'), ("ns", "name"))
        self.assertEqual(utils.split_identifier("name"), ("", "name"))
        self.assertEqual(utils.truncate_name("short", 10), "short")
        long_name = utils.truncate_name("a_very_long_identifier_name", 10)
        self.assertEqual(len(long_name), 10)
        self.assertNotEqual(long_name, utils.truncate_name("a_very_long_identifier_other", 10))
        self.assertEqual(utils.truncate_name('"ns"."a_very_long_name"', 8)[:7], 'ns"."a_')
        self.assertEqual(len(utils.names_digest("a", "b", length=8)), 8)
        self.assertEqual(utils.strip_quotes('"t"'), "t")
        self.assertEqual(utils.strip_quotes("t"), "t")

    def test_format_number(self):
        self.assertEqual(utils.format_number(decimal.Decimal("3.14159"), 5, 3), "3.142")
        self.assertEqual(utils.format_number(decimal.Decimal("3.1"), None, 2), "3.10")
        self.assertEqual(utils.format_number(decimal.Decimal("3.1"), 5, None), "3.1")
        self.assertIsNone(utils.format_number(None, 5, 2))

    def test_typecasts(self):
        self.assertEqual(utils.typecast_date("2024-01-02"), datetime.date(2024, 1, 2))
        self.assertIsNone(utils.typecast_date(""))
        self.assertEqual(utils.typecast_time("01:02:03.4"), datetime.time(1, 2, 3, 400000))
        self.assertEqual(utils.typecast_time("01:02:03"), datetime.time(1, 2, 3))
        self.assertIsNone(utils.typecast_time(None))
        self.assertEqual(
            utils.typecast_timestamp("2024-01-02T01:02:03.5+01:00"),
            datetime.datetime(2024, 1, 2, 1, 2, 3, 500000),
        )
        self.assertEqual(utils.typecast_timestamp("2024-01-02"), datetime.date(2024, 1, 2))
        self.assertIsNone(utils.typecast_timestamp(None))
        # Digits past microseconds are cut, never rounded into the next second.
        self.assertEqual(utils.typecast_time("23:59:59.9999999"), datetime.time(23, 59, 59, 999999))
        with self.assertRaisesMessage(ValueError, "'noon' is not a time of day (HH:MM:SS)."):
            utils.typecast_time("noon")
        with self.assertRaisesMessage(ValueError, "is not a timestamp"):
            utils.typecast_timestamp("yesterday")

    def test_split_tzname_delta(self):
        self.assertEqual(utils.split_tzname_delta("Asia/Ust+Nera"), ("Asia/Ust+Nera", None, None))
        self.assertEqual(utils.split_tzname_delta("UTC+05:00"), ("UTC", "+", "05:00"))
        self.assertEqual(utils.split_tzname_delta("UTC-03"), ("UTC", "-", "03"))


class DebugCursorTests(TransactionTestCase):
    def test_executemany_logged_with_count(self):
        conn = get_connection()
        conn.force_debug_cursor = True
        conn.queries_log.clear()
        try:
            table = connection.ops.quote_name("db_base_t")
            with connection.cursor() as cursor:
                cursor.execute("CREATE TABLE %s (x INTEGER)" % table)
                try:
                    cursor.executemany("INSERT INTO %s (x) VALUES (%%s)" % table, [(1,), (2,)])
                    cursor.executemany(
                        "INSERT INTO %s (x) VALUES (%%s)" % table, ((i,) for i in range(3))
                    )
                finally:
                    cursor.execute("DROP TABLE %s" % table)
            sqls = [q["sql"] for q in connection.queries]
            self.assertTrue(any(s.startswith("2 times: INSERT") for s in sqls), sqls)
            self.assertTrue(any(s.startswith("? times: INSERT") for s in sqls), sqls)
        finally:
            conn.force_debug_cursor = False

    def test_cursor_iterates_rows_and_closes_with_block(self):
        table = connection.ops.quote_name("db_base_iter")
        with connection.cursor() as cursor:
            self.assertIsInstance(cursor, utils.CursorWrapper)
            cursor.execute("CREATE TABLE %s (x INTEGER)" % table)
            try:
                cursor.executemany("INSERT INTO %s (x) VALUES (%%s)" % table, [(1,), (2,), (3,)])
                cursor.execute("SELECT x FROM %s ORDER BY x" % table)
                self.assertEqual([row[0] for row in cursor], [1, 2, 3])
            finally:
                cursor.execute("DROP TABLE %s" % table)
        # A fetch failing during iteration surfaces as django.db's class.
        driver_cursor = mock.Mock()
        driver_cursor.fetchone.side_effect = connection.Database.DatabaseError("gone")
        with self.assertRaises(DatabaseError) as raised:
            list(utils.CursorWrapper(driver_cursor, connection))
        self.assertIs(type(raised.exception), DatabaseError)
        with mock.patch.object(connection, "close_cursor_quietly") as closing:
            with connection.cursor() as cursor:
                pass
        closing.assert_called_once_with(cursor)

    def test_supports_transactions_probe(self):
        features = type(connection.features)(get_connection())
        features.__dict__.pop("supports_transactions", None)
        self.assertTrue(BaseDatabaseFeatures.supports_transactions.func(features))

    def test_sequence_list_without_models(self):
        with mock.patch.object(type(connection.introspection), "get_migratable_models", return_value=[]):
            self.assertEqual(connection.introspection.sequence_list(), [])


class IntrospectionHelpersTests(SimpleTestCase):
    def test_primary_key_from_constraints(self):
        intro = Wrapper(dict(SETTINGS)).introspection
        constraints = {
            "u": {"primary_key": False, "columns": ["x"]},
            "pk": {"primary_key": True, "columns": ["id", "other"]},
        }
        with mock.patch.object(type(intro), "get_constraints", return_value=constraints):
            self.assertEqual(intro.get_primary_key_columns(None, "t"), ["id", "other"])
            self.assertEqual(intro.get_primary_key_column(None, "t"), "id")
        with mock.patch.object(type(intro), "get_constraints", return_value={}):
            self.assertIsNone(intro.get_primary_key_column(None, "t"))

    def test_table_names_with_given_cursor(self):
        from django.db.backends.base.introspection import TableInfo

        intro = Wrapper(dict(SETTINGS)).introspection
        tables = [TableInfo("b", "t"), TableInfo("a", "t"), TableInfo("v", "v")]
        with mock.patch.object(type(intro), "get_table_list", return_value=tables):
            self.assertEqual(intro.table_names(cursor=object()), ["a", "b"])
            self.assertEqual(intro.table_names(cursor=object(), include_views=True), ["a", "b", "v"])
        intro.data_types_reverse = {"int": "IntegerField"}
        self.assertEqual(intro.get_field_type("int", None), "IntegerField")

    def test_migratable_models_of_installed_apps(self):
        models = Wrapper(dict(SETTINGS)).introspection.get_migratable_models()
        for model in models:
            self.assertTrue(model._meta.managed)
            self.assertFalse(model._meta.proxy)
        with mock.patch("django.apps.apps.get_app_configs", side_effect=Exception("not ready")):
            self.assertEqual(Wrapper(dict(SETTINGS)).introspection.get_migratable_models(), [])
