"""
The MariaDB/MySQL backend against a real server. These tests open their
own wrappers on a scratch database, so they run under every settings module
(skipped, or failed when CI=true, if the server is unreachable).
"""
import contextlib
import datetime
import io
import json
import os
import uuid

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.db.backends.mysql.client import DatabaseClient
from django.db.utils import NotSupportedError
from django.test import SimpleTestCase
from django.test.utils import override_settings

from regressiontests.backend_servers.servers import (
    DatabaseLifecycleChecks, FakeField, ScratchTestCase, base_settings, fake_model, make_wrapper,
)


class MySQLTestCase(ScratchTestCase):
    vendor = "mysql"
    scratch_label = "mysql"


class ConnectionParamsTests(MySQLTestCase):
    def test_settings_become_connect_arguments(self):
        settings_dict = base_settings("mysql", "somedb")
        settings_dict.update(
            USER="alice", PASSWORD="s3cret", HOST="db.example", PORT="3307",
            OPTIONS={"isolation_level": "serializable", "init_command": "SET @x = 1",
                     "ssl": {"ca": "/ca.pem"}},
        )
        params = make_wrapper(settings_dict).get_connection_params()
        self.assertEqual(params["database"], "somedb")
        self.assertEqual((params["user"], params["password"]), ("alice", "s3cret"))
        self.assertEqual((params["host"], params["port"]), ("db.example", 3307))
        self.assertEqual(params["charset"], "utf8mb4")
        self.assertIn("STRICT_TRANS_TABLES", params["sql_mode"])
        self.assertEqual(params["init_command"], "SET @x = 1")
        self.assertEqual(params["ssl"], {"ca": "/ca.pem"})
        self.assertNotIn("isolation_level", params)

    def test_unix_socket_and_bad_port(self):
        settings_dict = base_settings("mysql", "somedb")
        settings_dict.update(HOST="/run/mysqld/mysqld.sock", PORT="")
        params = make_wrapper(settings_dict).get_connection_params()
        self.assertEqual(params["unix_socket"], "/run/mysqld/mysqld.sock")
        self.assertNotIn("host", params)
        settings_dict.update(PORT="port")
        with self.assertRaisesMessage(ImproperlyConfigured, "DATABASES['default']['PORT'] must be a number, not 'port'"):
            make_wrapper(settings_dict).get_connection_params()
        with self.assertRaisesMessage(ImproperlyConfigured, "DATABASES['default']['NAME'] is empty"):
            make_wrapper(base_settings("mysql", "")).get_connection_params()

    def test_session_state(self):
        rows = self.query(
            "SELECT @@SESSION.sql_mode, @@SESSION.character_set_connection, "
            "@@SESSION.default_storage_engine, @@SESSION.autocommit"
        )
        sql_mode, charset, engine, autocommit = rows[0]
        self.assertIn("STRICT_TRANS_TABLES", sql_mode)
        self.assertEqual((charset, engine, autocommit), ("utf8mb4", "InnoDB", 1))

    def test_isolation_level(self):
        self.assertEqual(self.query("SELECT @@SESSION.tx_isolation"), [("READ-COMMITTED",)])
        db = self.scratch.wrapper(OPTIONS={"isolation_level": "serializable"})
        self.assertEqual(self.query("SELECT @@SESSION.tx_isolation", db=db), [("SERIALIZABLE",)])

    def test_invalid_isolation_level_lists_choices(self):
        db = self.scratch.wrapper(OPTIONS={"isolation_level": "sometimes"})
        with self.assertRaises(ImproperlyConfigured) as ctx:
            db.ensure_connection()
        self.assertIn("'sometimes'", str(ctx.exception))
        self.assertIn("'read committed'", str(ctx.exception))

    def test_server_version_and_features(self):
        self.db.ensure_connection()
        version = self.db.get_database_version()
        self.assertGreaterEqual(len(version), 2)
        if self.db.mysql_is_mariadb:
            self.assertEqual(self.db.features.can_return_columns_from_insert, version >= (10, 5))
            self.assertIn(self.db.features.case_sensitive_collation, ("utf8mb4_nopad_bin",))
        self.assertTrue(self.db.features.has_select_for_update_nowait)
        self.assertIn("JSON", self.db.features.supported_explain_formats)
        self.assertEqual(self.db.features.test_collations["cs"], self.db.features.case_sensitive_collation)
        self.assertFalse(self.db.features.is_sql_auto_is_null_enabled)
        self.assertIsInstance(self.db.features.has_zoneinfo_database, bool)

    def test_strict_mode_check(self):
        self.assertEqual(self.db.validation.check(), [])
        db = self.scratch.wrapper(OPTIONS={"sql_mode": "NO_ENGINE_SUBSTITUTION"})
        (warning,) = db.validation.check()
        self.assertEqual(warning.id, "mysql.W002")


class BadSettingsTests(MySQLTestCase):
    """Connection failures name the settings involved, never the password."""

    password = "Pa55-word-never-shown"

    def assertConnectFails(self, *expected, **overrides):
        overrides.setdefault("PASSWORD", self.password)
        db = self.scratch.wrapper(**overrides)
        with self.assertRaises(OperationalError) as ctx:
            db.ensure_connection()
        message = str(ctx.exception)
        self.assertNotIn(self.password, message)
        for text in expected:
            self.assertIn(text, message)
        self.assertIsNone(db.connection)
        return message

    def test_wrong_port(self):
        self.assertConnectFails("PORT=1", "Can't connect", PORT="1")

    def test_wrong_host(self):
        self.assertConnectFails("HOST='127.0.0.2'", HOST="127.0.0.2", PORT="1")

    def test_wrong_password(self):
        self.assertConnectFails("USER=", "Access denied", "using password: YES")

    def test_wrong_database_name(self):
        self.assertConnectFails("NAME='no_such_db_h3'", "Unknown database", NAME="no_such_db_h3",
                                PASSWORD=self.scratch.settings["PASSWORD"])


class ServerGoneTests(MySQLTestCase):
    def test_recovers_after_server_side_kill(self):
        victim = self.scratch.wrapper()
        self.addCleanup(victim.close)
        ((thread_id,),) = self.query("SELECT CONNECTION_ID()", db=victim)
        self.query("KILL %s", [thread_id])
        with self.assertRaises((OperationalError, InterfaceError)):
            self.query("SELECT 1", db=victim)
        self.assertTrue(victim.errors_occurred)
        self.assertFalse(victim.is_usable())
        victim.close_if_unusable_or_obsolete()
        self.assertIsNone(victim.connection)
        self.assertEqual(self.query("SELECT 1", db=victim), [(1,)])
        self.assertTrue(victim.is_usable())

    def test_errors_that_end_the_session_count_as_lost_even_before_the_socket_closes(self):
        self.db.ensure_connection()
        Database = self.db.Database
        self.assertTrue(self.db.connection.open)
        killed = Database.OperationalError(1927, "Connection was killed")
        self.assertTrue(self.db.connection_was_lost(killed))
        lock_wait = Database.OperationalError(1205, "Lock wait timeout exceeded")
        self.assertFalse(self.db.connection_was_lost(lock_wait))


class SqlTests(MySQLTestCase):
    def setUp(self):
        super().setUp()
        self.ops = self.db.ops
        self.query(
            "CREATE TABLE item (id %s NOT NULL PRIMARY KEY, name varchar(5) NOT NULL UNIQUE, "
            "stamp %s, t %s, flag %s, uid %s, amount %s, data %s, CHECK (amount >= 0))"
            % tuple(
                self.db.data_types[t]
                for t in ("AutoField", "DateTimeField", "TimeField", "BooleanField",
                          "UUIDField", "PositiveIntegerField", "JSONField")
            )
        )
        self.addCleanup(self.query, "DROP TABLE item")

    def test_emoji_round_trip(self):
        self.query("INSERT INTO item (name) VALUES (%s)", ["😀🎉x"])
        self.assertEqual(self.query("SELECT name FROM item"), [("😀🎉x",)])

    def test_strict_mode_rejects_too_long_values(self):
        with self.assertRaises(DataError) as ctx:
            self.query("INSERT INTO item (name) VALUES (%s)", ["toolong"])
        self.assertIn("Data too long", str(ctx.exception))
        self.assertEqual(self.query("SELECT COUNT(*) FROM item"), [(0,)])

    def test_integrity_errors(self):
        self.query("INSERT INTO item (name) VALUES ('a')")
        with self.assertRaisesMessage(IntegrityError, "Duplicate entry"):
            self.query("INSERT INTO item (name) VALUES ('a')")
        with self.assertRaisesMessage(IntegrityError, "cannot be null"):
            self.query("INSERT INTO item (name) VALUES (NULL)")
        # An UNSIGNED column going negative through arithmetic (1690).
        self.query("INSERT INTO item (name, amount) VALUES ('b', 0)")
        with self.assertRaisesMessage(IntegrityError, "out of range"):
            self.query("UPDATE item SET amount = amount - 1 WHERE name = 'b'")
        # A negative literal fails the UNSIGNED range before the CHECK: on
        # this vendor that is a DataError (see docs/ref/databases.txt).
        with self.assertRaises(DataError):
            self.query("INSERT INTO item (name, amount) VALUES ('c', -1)")

    def test_returning_and_lastrowid(self):
        with self.db.cursor() as cursor:
            cursor.execute("INSERT INTO item (name) VALUES (%s)", ["a"])
            self.assertEqual(self.ops.last_insert_id(cursor, "item", "id"), 1)
        if not self.db.features.can_return_columns_from_insert:
            self.skipTest("the server has no INSERT ... RETURNING")
        model = fake_model("item", FakeField("id", "AutoField"))
        returning, _ = self.ops.return_insert_columns(model._meta.local_fields)
        rows = self.query("INSERT INTO item (name) VALUES ('b'), ('c') " + returning)
        self.assertEqual(rows, [(2,), (3,)])

    def test_explicit_ids_move_the_counter(self):
        self.assertEqual(self.ops.sequence_reset_sql(no_style(), [fake_model("item")]), [])
        self.query("INSERT INTO item (id, name) VALUES (10, 'a')")
        self.query("INSERT INTO item (name) VALUES ('b')")
        self.assertEqual(self.query("SELECT id FROM item WHERE name = 'b'"), [(11,)])
        with self.db.cursor() as cursor:
            sequences = self.db.introspection.get_sequences(cursor, "item")
        self.assertEqual(sequences, [{"table": "item", "column": "id"}])
        flush = self.ops.sql_flush(no_style(), ["item"], reset_sequences=False)
        self.assertEqual(flush, ["SET FOREIGN_KEY_CHECKS = 0;", "DELETE FROM `item`;",
                                 "SET FOREIGN_KEY_CHECKS = 1;"])
        with self.db.cursor() as cursor:
            for sql in flush + self.ops.sequence_reset_by_name_sql(no_style(), sequences):
                cursor.execute(sql)
        self.query("INSERT INTO item (name) VALUES ('c')")
        self.assertEqual(self.query("SELECT id FROM item"), [(1,)])

    def test_values_round_trip(self):
        uid = uuid.uuid4()
        stamp = datetime.datetime(2020, 2, 29, 23, 59, 58, 123456)
        self.query(
            "INSERT INTO item (name, stamp, t, flag, uid, data) VALUES (%s, %s, %s, %s, %s, %s)",
            ["v", self.ops.adapt_datetimefield_value(stamp),
             self.ops.adapt_timefield_value(datetime.time(1, 2, 3, 4)), True, uid.hex,
             self.ops.adapt_json_value({"a": [1, "😀"]}, None)],
        )
        ((got_stamp, got_time, got_flag, got_uid, got_data),) = self.query(
            "SELECT stamp, t, flag, uid, data FROM item"
        )
        self.assertEqual(got_stamp, stamp)
        self.assertEqual(got_time, datetime.time(1, 2, 3, 4))
        self.assertEqual(self.ops.convert_booleanfield_value(got_flag, None, self.db), True)
        self.assertEqual(self.ops.convert_uuidfield_value(got_uid, None, self.db), uid)
        self.assertEqual(json.loads(got_data), {"a": [1, "😀"]})
        # The JSON column refuses what is not JSON (MariaDB: a CHECK).
        with self.assertRaises(IntegrityError):
            self.query("INSERT INTO item (name, data) VALUES ('w', 'not json')")

    def test_aware_datetimes(self):
        aware = datetime.datetime(2020, 1, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
        with override_settings(USE_TZ=False):
            with self.assertRaisesMessage(ValueError, "timezone-aware"):
                self.ops.adapt_datetimefield_value(aware)
        with override_settings(USE_TZ=True):
            stored = self.ops.adapt_datetimefield_value(aware)
            self.assertEqual(stored, datetime.datetime(2020, 1, 1, 10, 0))
            back = self.ops.convert_datetimefield_value(stored, None, self.db)
            self.assertEqual(back, aware)
            db = self.scratch.wrapper()
            self.assertEqual(self.query("SELECT @@SESSION.time_zone", db=db), [("+00:00",)])
        with self.assertRaisesMessage(ValueError, "timezone-aware times"):
            self.ops.adapt_timefield_value(datetime.time(1, tzinfo=datetime.timezone.utc))

    def test_last_executed_query(self):
        with self.db.cursor() as cursor:
            cursor.execute("SELECT %s, %s", ["it's", 42])
            sql = self.ops.last_executed_query(cursor.cursor, "SELECT %s, %s", ["it's", 42])
        self.assertEqual(sql, "SELECT 'it\\'s', 42")

    def test_constraint_checks_on_a_table_referring_to_itself(self):
        self.query("CREATE TABLE node (id int PRIMARY KEY, parent_id int, "
                   "FOREIGN KEY (parent_id) REFERENCES node (id))")
        self.addCleanup(self.query, "DROP TABLE node")
        self.query("INSERT INTO node VALUES (1, NULL), (2, 1)")
        self.db.check_constraints(["node"])
        with self.db.constraint_checks_disabled():
            self.query("INSERT INTO node VALUES (3, 9)")
        with self.assertRaisesMessage(IntegrityError, "node.parent_id contains a value '9'"):
            self.db.check_constraints(["node"])

    def test_savepoints_and_constraint_checks(self):
        self.query("CREATE TABLE child (id int PRIMARY KEY, item_id int, FOREIGN KEY (item_id) REFERENCES item (id))")
        self.addCleanup(self.query, "DROP TABLE child")
        with self.db.cursor() as cursor:
            self.assertEqual(self.db.introspection.get_relations(cursor, "child"), {"item_id": ("id", "item")})
        self.db.check_constraints(["child"])
        with self.db.constraint_checks_disabled():
            self.query("INSERT INTO child VALUES (1, 99)")
        with self.assertRaisesMessage(
            IntegrityError,
            "The row in table 'child' with primary key '1' has an invalid foreign key: "
            "child.item_id contains a value '99' that does not have a corresponding value "
            "in item.id.",
        ):
            self.db.check_constraints()
        self.query("DELETE FROM child")
        self.db.set_autocommit(False)
        try:
            self.query("INSERT INTO item (name) VALUES ('a')")
            sid = self.db.savepoint()
            self.query("INSERT INTO item (name) VALUES ('b')")
            self.db.savepoint_rollback(sid)
            self.db.commit()
        finally:
            self.db.set_autocommit(True)
        self.assertEqual(self.query("SELECT name FROM item"), [("a",)])


class DateFunctionTests(MySQLTestCase):
    stamp = datetime.datetime(2021, 3, 14, 15, 9, 26, 535897)

    def value(self, sql, params):
        return self.query("SELECT " + sql, params)[0][0]

    def test_extract(self):
        ops = self.db.ops
        p = "CAST(%s AS DATETIME(6))"
        expected = {"year": 2021, "quarter": 1, "month": 3, "week": 10, "week_day": 1,
                    "iso_week_day": 7, "day": 14, "hour": 15, "minute": 9, "second": 26,
                    "iso_year": 2021}
        for kind, value in expected.items():
            with self.subTest(kind=kind):
                self.assertEqual(int(self.value(*ops.date_extract_sql(kind, p, [self.stamp]))), value)

    def test_trunc(self):
        ops = self.db.ops
        p = "CAST(%s AS DATETIME(6))"
        d = datetime.datetime
        cases = {
            "year": d(2021, 1, 1), "quarter": d(2021, 1, 1), "month": d(2021, 3, 1),
            "week": d(2021, 3, 8), "day": d(2021, 3, 14), "hour": d(2021, 3, 14, 15),
            "minute": d(2021, 3, 14, 15, 9), "second": d(2021, 3, 14, 15, 9, 26),
        }
        for kind, value in cases.items():
            with self.subTest(kind=kind):
                self.assertEqual(self.value(*ops.datetime_trunc_sql(kind, p, [self.stamp], None)), value)
                if kind in ("year", "quarter", "month", "week", "day"):
                    self.assertEqual(self.value(*ops.date_trunc_sql(kind, p, [self.stamp])), value.date())
        self.assertEqual(
            self.value(*ops.time_trunc_sql("minute", "CAST(%s AS TIME(6))", ["15:09:26.5"])),
            datetime.time(15, 9),
        )
        self.assertEqual(self.value(*ops.datetime_cast_date_sql(p, [self.stamp], None)), self.stamp.date())
        self.assertEqual(self.value(*ops.datetime_cast_time_sql(p, [self.stamp], None)), self.stamp.time())

    def test_time_zones(self):
        ops = self.db.ops
        with override_settings(USE_TZ=True):
            sql, params = ops.datetime_trunc_sql("hour", "CAST(%s AS DATETIME)", ["2021-03-14 23:30:00"], "+09:00")
            self.assertEqual(self.value(sql, params), datetime.datetime(2021, 3, 15, 8))
            self.assertEqual(ops.datetime_cast_date_sql("x", [], "UTC"), ("DATE(x)", ()))
            with self.assertRaisesMessage(ValueError, "Invalid time zone"):
                ops.datetime_cast_date_sql("x", [], "UTC'; DROP")
            with self.assertRaises(NotSupportedError):
                ops.datetime_cast_date_sql("x", [], "Europe/Paris+01:00")
            if not self.db.features.has_zoneinfo_database:
                with self.assertRaisesMessage(NotSupportedError, "mysql_tzinfo_to_sql"):
                    ops.datetime_cast_date_sql("x", [], "Europe/Paris")
        with self.assertRaisesMessage(ValueError, "Choices are"):
            ops.date_extract_sql("century", "x", [])

    def test_temporal_subtraction(self):
        ops = self.db.ops
        sql, params = ops.subtract_temporals(
            "DateTimeField", ("CAST(%s AS DATETIME(6))", ["2021-01-02 00:00:00"]),
            ("CAST(%s AS DATETIME(6))", ["2021-01-01 00:00:00.5"]),
        )
        self.assertEqual(self.value(sql, params), 86400 * 1000000 - 500000)
        sql, params = ops.subtract_temporals(
            "TimeField", ("CAST(%s AS TIME(6))", ["10:00:01"]), ("CAST(%s AS TIME(6))", ["10:00:00"])
        )
        self.assertEqual(int(self.value(sql, params)), 1000000)


class OperationsTests(SimpleTestCase):
    """Pure SQL generation: no server needed."""

    def setUp(self):
        self.db = make_wrapper(base_settings("mysql", "unused"))
        self.ops = self.db.ops

    def test_quote_name(self):
        qn = self.ops.quote_name
        self.assertEqual(qn("table"), "`table`")
        self.assertEqual(qn("`table`"), "`table`")
        self.assertEqual(qn("a`b"), "`a``b`")
        self.assertEqual(qn("`a` ; DROP TABLE x; `b`"), "```a`` ; DROP TABLE x; ``b```")
        with self.assertRaises(ValueError):
            qn("nul\x00name")
        self.assertEqual(self.ops.max_name_length(), 64)

    def test_misc_sql(self):
        ops = self.ops
        self.assertEqual(ops.no_limit_value(), 18446744073709551615)
        self.assertEqual(ops.random_function_sql(), "RAND()")
        self.assertEqual(ops.force_no_ordering(), [(None, ("NULL", [], False))])
        self.assertEqual(ops.format_for_duration_arithmetic("x"), "INTERVAL x MICROSECOND")
        self.assertEqual(ops.combine_expression("^", ["a", "b"]), "POW(a,b)")
        self.assertEqual(ops.combine_expression("#", ["a", "b"]), "CONVERT(a^b, SIGNED)")
        self.assertEqual(ops.combine_expression(">>", ["a", "b"]), "FLOOR(a / POW(2, b))")
        self.assertEqual(ops.combine_expression("+", ["a", "b"]), "a + b")
        self.assertEqual(ops.insert_statement("ignore"), "INSERT IGNORE INTO")
        self.assertEqual(ops.insert_statement(None), "INSERT INTO")
        self.assertEqual(
            ops.on_conflict_suffix_sql([], "update", ["b"], ["a"]),
            "ON DUPLICATE KEY UPDATE `b` = VALUES(`b`)",
        )
        self.assertEqual(ops.on_conflict_suffix_sql([], None, [], []), "")
        self.assertEqual(ops.regex_lookup("regex"), "%s REGEXP CONCAT('(?-i)', %s)")
        with self.assertRaises(ValueError):
            ops.regex_lookup("glob")
        self.assertEqual(ops.lookup_cast("icontains", "CharField"), "%s")
        self.assertEqual(ops.sql_flush(no_style(), []), [])
        self.assertEqual(
            ops.sql_flush(no_style(), ["a"], reset_sequences=True),
            ["SET FOREIGN_KEY_CHECKS = 0;", "TRUNCATE `a`;", "SET FOREIGN_KEY_CHECKS = 1;"],
        )
        self.assertEqual(ops.integer_field_range("PositiveIntegerField"), (0, 4294967295))
        with self.assertRaises(ValueError):
            ops.validate_autopk_value(0)
        self.assertEqual(ops.validate_autopk_value(5), 5)
        self.assertIsNone(ops.adapt_datetimefield_value(None))

    def test_type_mapping(self):
        types = self.db.data_types
        self.assertEqual(types["AutoField"], "integer AUTO_INCREMENT")
        self.assertEqual(types["DateTimeField"], "datetime(6)")
        self.assertEqual(types["PositiveSmallIntegerField"], "smallint UNSIGNED")
        self.assertEqual(types["UUIDField"], "char(32)")
        self.assertEqual(self.db.features.default_storage_engine, "InnoDB")
        self.assertEqual(self.db.features.table_storage_engine, "InnoDB")
        other = make_wrapper(dict(base_settings("mysql", "unused"), OPTIONS={"storage_engine": "Aria"}))
        self.assertEqual(other.features.table_storage_engine, "Aria")

    def test_field_checks(self):
        class Field:
            def __init__(self, internal_type, unique, max_length=None):
                self.internal_type, self.unique, self.max_length = internal_type, unique, max_length

            def get_internal_type(self):
                return self.internal_type

        check = self.db.validation.check_field_type
        self.assertEqual(check(Field("CharField", True, 255), "varchar(255)"), [])
        self.assertEqual(check(Field("CharField", False, 5000), "varchar(5000)"), [])
        (warning,) = check(Field("CharField", True, 1000), "varchar(1000)")
        self.assertEqual(warning.id, "mysql.W003")
        (error,) = check(Field("TextField", True), "longtext")
        self.assertEqual(error.id, "mysql.E001")


class ExplainTests(MySQLTestCase):
    def test_prefixes(self):
        ops = self.db.ops
        self.assertEqual(ops.explain_query_prefix(), "EXPLAIN")
        self.assertEqual(ops.explain_query_prefix("json"), "EXPLAIN FORMAT=JSON")
        with self.assertRaisesMessage(ValueError, "Allowed formats"):
            ops.explain_query_prefix("yaml")
        with self.assertRaisesMessage(ValueError, "Unknown options: costs"):
            ops.explain_query_prefix(costs=True)
        self.query("CREATE TABLE e (id int PRIMARY KEY)")
        self.addCleanup(self.query, "DROP TABLE e")
        for prefix in (ops.explain_query_prefix("text"), ops.explain_query_prefix("json", analyze=True),
                       ops.explain_query_prefix(analyze=True)):
            with self.subTest(prefix=prefix):
                self.assertTrue(self.query(prefix + " SELECT * FROM e WHERE id = %s", [1]))


class ClientTests(SimpleTestCase):
    def test_password_goes_to_environment(self):
        args, env = DatabaseClient.settings_to_cmd_args_env(
            {
                "NAME": "dbname", "USER": "someuser", "PASSWORD": "secret-pw",
                "HOST": "somehost", "PORT": 444,
                "OPTIONS": {"ssl": {"ca": "/ca.pem"}, "read_default_file": "/my.cnf"},
            },
            ["-e", "select 1"],
        )
        self.assertIn(args[0], ("mariadb", "mysql"))
        self.assertEqual(
            args[1:],
            ["--defaults-file=/my.cnf", "--user=someuser", "--host=somehost", "--port=444",
             "--default-character-set=utf8mb4", "--ssl-ca=/ca.pem", "dbname", "-e", "select 1"],
        )
        self.assertNotIn("secret-pw", " ".join(args))
        self.assertEqual(env, {"MYSQL_PWD": "secret-pw"})

    def test_socket(self):
        args, env = DatabaseClient.settings_to_cmd_args_env(
            {"NAME": "", "HOST": "/tmp/mysql.sock", "OPTIONS": {}}, []
        )
        self.assertEqual(args[1:], ["--socket=/tmp/mysql.sock", "--default-character-set=utf8mb4"])
        self.assertIsNone(env)


class TestDatabaseCreationTests(DatabaseLifecycleChecks, MySQLTestCase):
    source_name = "backend_mysql_stale_%d" % os.getpid()
    name = "test_" + source_name
    drop_sql = "DROP DATABASE IF EXISTS %s"

    def creator(self):
        creation = make_wrapper(base_settings("mysql", self.source_name)).creation
        creation._build_schema = lambda verbosity: None
        return creation

    def exists(self, name=None):
        return bool(self.query(
            "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [name or self.name]
        ))

    def make_stale(self):
        self.query("DROP DATABASE IF EXISTS %s" % self.name)
        self.query("CREATE DATABASE %s" % self.name)
        self.addCleanup(self.query, "DROP DATABASE IF EXISTS %s" % self.name)
        self.query("CREATE TABLE %s.leftover (x int)" % self.name)

    def test_stale_database_is_dropped_with_a_message(self):
        self.make_stale()  # registers the cleanup
        creation = self.creator()
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            self.assertEqual(creation.create_test_db(verbosity=1), self.name)
        self.assertIn("Destroying old test database '%s'" % self.name, stderr.getvalue())
        self.assertEqual(creation.connection.introspection.table_names(), [])
        ((charset, collation),) = self.query(
            "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM "
            "information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [self.name]
        )
        self.assertEqual((charset, collation), ("utf8mb4", self.db.features.case_sensitive_collation))
        self.check_keepdb_round_trip(creation)

    def test_creation_suffix_overrides(self):
        creation = self.creator()
        test = creation.connection.settings_dict["TEST"]
        test.update(CHARSET="latin1")
        self.assertEqual(creation.sql_table_creation_suffix(), "CHARACTER SET latin1")
        test.update(CHARSET=None, COLLATION="utf8mb4_unicode_ci")
        self.assertEqual(
            creation.sql_table_creation_suffix(), "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
        test.update(COLLATION="x; DROP")
        with self.assertRaises(ValueError):
            creation.sql_table_creation_suffix()


class IntrospectionTests(MySQLTestCase):
    def setUp(self):
        super().setUp()
        self.query("CREATE TABLE parent (id bigint AUTO_INCREMENT PRIMARY KEY, code varchar(10) UNIQUE)")
        self.query(
            "CREATE TABLE child (id integer UNSIGNED NOT NULL PRIMARY KEY, parent_id bigint, "
            "amount numeric(5, 2) DEFAULT 1, flag bool NOT NULL, "
            "CONSTRAINT amount_positive CHECK (amount >= 0), "
            "CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id))"
        )
        self.query("CREATE INDEX child_amount ON child (amount)")
        self.query("CREATE VIEW child_view AS SELECT id FROM child")
        self.addCleanup(self.query, "DROP TABLE parent")
        self.addCleanup(self.query, "DROP TABLE child")
        self.addCleanup(self.query, "DROP VIEW child_view")

    def test_tables_and_description(self):
        intro = self.db.introspection
        self.assertEqual(intro.table_names(), ["child", "parent"])
        self.assertEqual(intro.table_names(include_views=True), ["child", "child_view", "parent"])
        with self.db.cursor() as cursor:
            child = {d.name: d for d in intro.get_table_description(cursor, "child")}
            parent = {d.name: d for d in intro.get_table_description(cursor, "parent")}
            self.assertFalse(child["flag"].null_ok)
            self.assertTrue(child["amount"].null_ok)
            self.assertEqual(intro.get_field_type(parent["id"].type_code, parent["id"]), "BigAutoField")
            self.assertEqual(intro.get_field_type(child["id"].type_code, child["id"]), "PositiveIntegerField")
            self.assertEqual(intro.get_field_type(child["amount"].type_code, child["amount"]), "DecimalField")
            self.assertEqual(intro.get_relations(cursor, "child"), {"parent_id": ("id", "parent")})
            self.assertEqual(intro.get_primary_key_column(cursor, "child"), "id")
            self.assertEqual(intro.get_storage_engine(cursor, "child"), "InnoDB")

    def test_constraints(self):
        with self.db.cursor() as cursor:
            constraints = self.db.introspection.get_constraints(cursor, "child")
        self.assertTrue(constraints["PRIMARY"]["primary_key"])
        self.assertEqual(constraints["child_parent_fk"]["foreign_key"], ("parent", "id"))
        self.assertTrue(constraints["amount_positive"]["check"])
        self.assertEqual(constraints["child_amount"]["columns"], ["amount"])
        self.assertTrue(constraints["child_amount"]["index"])
