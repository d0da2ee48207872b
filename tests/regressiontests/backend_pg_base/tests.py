"""
The PostgreSQL backend against a real server. These tests open their own
wrappers on a scratch database, so they run under every settings module
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
from django.db.backends.postgresql.client import DatabaseClient
from django.test import SimpleTestCase
from django.test.utils import override_settings

from regressiontests.backend_servers.servers import (
    DatabaseLifecycleChecks, ScratchTestCase, base_settings, make_wrapper,
)


class PostgresTestCase(ScratchTestCase):
    vendor = "postgresql"
    scratch_label = "pg"


class ConnectionParamsTests(PostgresTestCase):
    def test_settings_become_connect_arguments(self):
        settings_dict = base_settings("postgresql", "somedb")
        settings_dict.update(
            USER="alice", PASSWORD="s3cret", HOST="db.example", PORT=6543,
            OPTIONS={"sslmode": "require", "options": "-c search_path=x",
                     "isolation_level": "serializable", "server_side_binding": True},
        )
        params = make_wrapper(settings_dict).get_connection_params()
        self.assertEqual(params["dbname"], "somedb")
        self.assertEqual(params["user"], "alice")
        self.assertEqual(params["password"], "s3cret")
        self.assertEqual(params["host"], "db.example")
        self.assertEqual(params["port"], "6543")
        self.assertEqual(params["sslmode"], "require")
        self.assertEqual(params["options"], "-c search_path=x")
        # Our own options are not driver arguments.
        self.assertNotIn("isolation_level", params)
        self.assertNotIn("server_side_binding", params)

    def test_empty_name_is_a_configuration_error(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "DATABASES['default']['NAME'] is empty"):
            make_wrapper(base_settings("postgresql", "")).get_connection_params()

    def test_too_long_name(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "63"):
            make_wrapper(base_settings("postgresql", "x" * 64)).get_connection_params()

    def test_options_reach_the_server(self):
        db = self.scratch.wrapper(OPTIONS={"options": "-c statement_timeout=4321"})
        self.assertEqual(self.query("SHOW statement_timeout", db=db), [("4321ms",)])

    def test_isolation_level(self):
        db = self.scratch.wrapper(OPTIONS={"isolation_level": "serializable"})
        db.set_autocommit(False)
        try:
            self.assertEqual(
                self.query("SHOW transaction_isolation", db=db), [("serializable",)]
            )
        finally:
            db.rollback()
            db.set_autocommit(True)

    def test_invalid_isolation_level_lists_choices(self):
        db = self.scratch.wrapper(OPTIONS={"isolation_level": "sometimes"})
        with self.assertRaises(ImproperlyConfigured) as ctx:
            db.ensure_connection()
        message = str(ctx.exception)
        self.assertIn("'sometimes'", message)
        self.assertIn("'repeatable read'", message)

    def test_client_side_binding_option(self):
        db = self.scratch.wrapper(OPTIONS={"server_side_binding": False})
        self.assertFalse(db.features.uses_server_side_binding)
        self.assertEqual(self.query("SELECT %s || 'b'", ["a"], db=db), [("ab",)])
        self.assertTrue(self.db.features.uses_server_side_binding)

    def test_statements_are_prepared_unless_switched_off(self):
        # Repeated statements are prepared on the server after psycopg's
        # threshold; pgbouncer users turn that off through OPTIONS.
        db = self.scratch.wrapper()
        db.ensure_connection()
        self.assertEqual(db.connection.prepare_threshold, 5)
        for _ in range(6):
            self.query("SELECT %s + 1", [1], db=db)
        self.assertTrue(self.query("SELECT count(*) FROM pg_prepared_statements", db=db)[0][0] >= 1)
        off = self.scratch.wrapper(OPTIONS={"prepare_threshold": None})
        off.ensure_connection()
        self.assertIsNone(off.connection.prepare_threshold)
        for _ in range(6):
            self.query("SELECT %s + 1", [1], db=off)
        self.assertEqual(self.query("SELECT count(*) FROM pg_prepared_statements", db=off), [(0,)])

    def test_server_version(self):
        self.assertGreaterEqual(self.db.get_database_version(), (12,))
        self.assertTrue(self.db.features.supports_drop_database_force)


class BadSettingsTests(PostgresTestCase):
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
        self.assertConnectFails("PORT='1'", "HOST=", "refused", PORT="1")

    def test_wrong_host(self):
        self.assertConnectFails("HOST='127.0.0.2'", HOST="127.0.0.2", PORT="1")

    def test_wrong_database_name(self):
        self.assertConnectFails("NAME='no_such_db_h3'", "does not exist", NAME="no_such_db_h3")

    def test_wrong_user(self):
        self.assertConnectFails("USER='no_such_role_h3'", "no_such_role_h3", USER="no_such_role_h3")


class ServerGoneTests(PostgresTestCase):
    def kill(self, db):
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        self.query("SELECT pg_terminate_backend(%s)", [pid])

    def test_recovers_after_server_side_kill(self):
        victim = self.scratch.wrapper()
        self.addCleanup(victim.close)
        self.kill(victim)
        with self.assertRaises((OperationalError, InterfaceError)):
            self.query("SELECT 1", db=victim)
        self.assertTrue(victim.errors_occurred)
        self.assertFalse(victim.is_usable())
        # What close_old_connections() does between requests.
        victim.close_if_unusable_or_obsolete()
        self.assertIsNone(victim.connection)
        self.assertEqual(self.query("SELECT 1", db=victim), [(1,)])

    def test_healthy_connection_is_usable(self):
        self.query("SELECT 1")
        self.assertTrue(self.db.is_usable())


class SqlTests(PostgresTestCase):
    def setUp(self):
        super().setUp()
        ops = self.db.ops
        self.query(
            "CREATE TABLE item (id %s NOT NULL PRIMARY KEY %s, name varchar(5) NOT NULL, "
            "data jsonb, stamp timestamp with time zone, addr inet, uid uuid)"
            % (self.db.data_types["AutoField"], self.db.data_types_suffix["AutoField"])
        )
        self.addCleanup(self.query, "DROP TABLE item")
        self.ops = ops

    def test_data_too_long_is_data_error(self):
        with self.assertRaises(DataError) as ctx:
            self.query("INSERT INTO item (name) VALUES (%s)", ["toolong"])
        self.assertIn("too long", str(ctx.exception))

    def test_not_null_violation(self):
        with self.assertRaises(IntegrityError) as ctx:
            self.query("INSERT INTO item (name) VALUES (%s)", [None])
        self.assertIn("not-null", str(ctx.exception))

    def test_returning_bulk(self):
        self.assertTrue(self.db.features.can_return_rows_from_bulk_insert)
        rows = self.query("INSERT INTO item (name) VALUES (%s), (%s) RETURNING id", ["a", "b"])
        self.assertEqual(rows, [(1,), (2,)])
        with self.db.cursor() as cursor:
            cursor.execute("INSERT INTO item (name) VALUES (%s) RETURNING id", ["c"])
            self.assertEqual(self.ops.fetch_returned_insert_columns(cursor, ()), (3,))
            self.assertEqual(self.ops.last_insert_id(cursor, "item", "id"), 3)

    def test_sequence_sql_mentions_identity_sequence(self):
        from regressiontests.backend_servers.servers import FakeField, fake_model

        model = fake_model("item", FakeField("id", "AutoField"))
        (sql,) = self.ops.sequence_reset_sql(no_style(), [model])
        self.assertIn("pg_get_serial_sequence('\"item\"', 'id')", sql)
        self.assertIn('coalesce(max("id"), 1)', sql)
        self.query("INSERT INTO item (id, name) VALUES (5, 'x')")
        self.query(sql)
        self.assertEqual(self.query("INSERT INTO item (name) VALUES ('y') RETURNING id"), [(6,)])
        self.assertEqual(
            self.db.introspection.get_sequences(self.db.cursor(), "item")[0]["column"], "id"
        )

    def test_flush_sql(self):
        sql = self.ops.sql_flush(no_style(), ["item", "other"], reset_sequences=True, allow_cascade=True)
        self.assertEqual(sql, ['TRUNCATE "item", "other" RESTART IDENTITY CASCADE;'])
        self.assertEqual(self.ops.sql_flush(no_style(), []), [])

    def test_json_round_trip_as_text(self):
        value = {"emoji": "😀", "list": [1, 2.5, None], "nested": {"ok": True}}
        self.query(
            "INSERT INTO item (name, data) VALUES (%s, %s)",
            ["j", self.ops.adapt_json_value(value, json.JSONEncoder)],
        )
        (raw,) = self.query("SELECT data FROM item")[0]
        # jsonb comes back as text: the field decodes it with its own decoder.
        self.assertIsInstance(raw, str)
        self.assertEqual(json.loads(raw), value)

    def test_inet_uuid(self):
        uid = uuid.uuid4()
        self.query(
            "INSERT INTO item (name, addr, uid) VALUES (%s, %s, %s)",
            ["n", self.ops.adapt_ipaddressfield_value("192.0.2.1"), uid],
        )
        self.assertEqual(self.ops.adapt_ipaddressfield_value(""), None)
        lhs = self.ops.lookup_cast("startswith", "GenericIPAddressField") % "addr"
        self.assertEqual(self.query("SELECT uid FROM item WHERE %s LIKE %%s" % lhs, ["192.0%"]), [(uid,)])

    def test_last_executed_query_shows_values(self):
        with self.db.cursor() as cursor:
            cursor.execute("SELECT %s, %s", ["it's", 42])
            sql = self.ops.last_executed_query(cursor.cursor, "SELECT %s, %s", ["it's", 42])
        self.assertEqual(sql, "SELECT 'it''s', 42")
        self.assertEqual(self.ops.last_executed_query(None, "SELECT 1", None), "SELECT 1")
        self.assertEqual(self.ops.compose_sql("SELECT %s", [None]), "SELECT NULL")

    def test_chunked_cursor_streams(self):
        self.query("INSERT INTO item (name) SELECT 'n' || g FROM generate_series(1, 50) g")
        self.db.set_autocommit(False)
        try:
            with self.db.chunked_cursor() as cursor:
                cursor.execute("SELECT id FROM item ORDER BY id")
                self.assertEqual(len(cursor.fetchmany(20)), 20)
                self.assertEqual(len(cursor.fetchall()), 30)
        finally:
            self.db.rollback()
            self.db.set_autocommit(True)

    def test_savepoints(self):
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

    def test_check_constraints(self):
        self.db.check_constraints()


class TimeZoneTests(PostgresTestCase):
    def test_session_time_zone_without_use_tz(self):
        from django.conf import settings

        with override_settings(USE_TZ=False, TIME_ZONE="Europe/Paris"):
            db = self.scratch.wrapper()
            self.assertEqual(self.query("SHOW TimeZone", db=db), [(settings.TIME_ZONE,)])
            (value,) = self.query(
                "SELECT '2020-06-01 12:00:00+00'::timestamptz", db=db
            )[0]
            # Naive, in TIME_ZONE (UTC+2 in summer).
            self.assertEqual(value, datetime.datetime(2020, 6, 1, 14, 0))
            db.close()

    def test_session_time_zone_with_use_tz(self):
        with override_settings(USE_TZ=True, TIME_ZONE="Europe/Paris"):
            db = self.scratch.wrapper()
            self.assertEqual(self.query("SHOW TimeZone", db=db), [("UTC",)])
            (value,) = self.query("SELECT '2020-06-01 12:00:00+00'::timestamptz", db=db)[0]
            self.assertEqual(value.utcoffset(), datetime.timedelta(0))
            self.assertEqual(value.replace(tzinfo=None), datetime.datetime(2020, 6, 1, 12, 0))
            self.assertFalse(db.ensure_timezone())
            db.close()

    def test_extract_and_trunc(self):
        ops = self.db.ops
        stamp = datetime.datetime(2021, 3, 14, 15, 9, 26, 535897)
        cases = [
            (ops.date_extract_sql("year", "%s::timestamp", [stamp]), 2021),
            (ops.date_extract_sql("quarter", "%s::timestamp", [stamp]), 1),
            (ops.date_extract_sql("week_day", "%s::timestamp", [stamp]), 1),  # Sunday
            (ops.date_extract_sql("iso_week_day", "%s::timestamp", [stamp]), 7),
            (ops.date_extract_sql("iso_year", "%s::timestamp", [stamp]), 2021),
            (ops.time_extract_sql("second", "%s::timestamp", [stamp]), 26),
            (ops.date_trunc_sql("month", "%s::date", [stamp.date()]), datetime.date(2021, 3, 1)),
            (ops.datetime_trunc_sql("hour", "%s::timestamp", [stamp], None),
             datetime.datetime(2021, 3, 14, 15)),
            (ops.time_trunc_sql("minute", "%s::time", [stamp.time()]), datetime.time(15, 9)),
            (ops.datetime_cast_date_sql("%s::timestamp", [stamp], None), stamp.date()),
            (ops.datetime_cast_time_sql("%s::timestamp", [stamp], None), stamp.time()),
        ]
        for (sql, params), expected in cases:
            with self.subTest(sql=sql):
                self.assertEqual(self.query("SELECT " + sql, params), [(expected,)])

    def test_trunc_in_time_zone(self):
        ops = self.db.ops
        with override_settings(USE_TZ=True):
            sql, params = ops.datetime_trunc_sql(
                "day", "%s::timestamptz", ["2021-03-14 23:30:00+00"], "Asia/Tokyo"
            )
            self.assertIn("AT TIME ZONE 'Asia/Tokyo'", sql)
            self.assertEqual(
                self.query("SELECT " + sql, params), [(datetime.datetime(2021, 3, 15),)]
            )
            sql, _ = ops.datetime_extract_sql("hour", "x", [], "UTC+05:00")
            self.assertIn("'UTC-05:00'", sql)

    def test_bad_kinds_and_zones(self):
        ops = self.db.ops
        with self.assertRaisesMessage(ValueError, "Choices are"):
            ops.date_extract_sql("year; DROP TABLE x", "x", [])
        with self.assertRaisesMessage(ValueError, "Choices are"):
            ops.date_trunc_sql("hour", "x", [])
        with override_settings(USE_TZ=True):
            with self.assertRaisesMessage(ValueError, "Invalid time zone"):
                ops.datetime_trunc_sql("day", "x", [], "UTC'; DROP")


class OperationsTests(SimpleTestCase):
    """Pure SQL generation: no server needed."""

    def setUp(self):
        self.db = make_wrapper(base_settings("postgresql", "unused"))
        self.ops = self.db.ops

    def test_quote_name(self):
        qn = self.ops.quote_name
        self.assertEqual(qn("table"), '"table"')
        self.assertEqual(qn('"table"'), '"table"')
        self.assertEqual(qn('a"b'), '"a""b"')
        self.assertEqual(qn('"a" ; DROP TABLE x; "b"'), '"""a"" ; DROP TABLE x; ""b"""')
        with self.assertRaises(ValueError):
            qn("nul\x00name")
        self.assertEqual(self.ops.max_name_length(), 63)

    def test_lookup_cast(self):
        self.assertEqual(self.ops.lookup_cast("exact", "CharField"), "%s")
        self.assertEqual(self.ops.lookup_cast("icontains", "CharField"), "UPPER(%s)")
        self.assertEqual(self.ops.lookup_cast("contains", "IntegerField"), "%s::text")
        self.assertEqual(self.ops.lookup_cast("iexact", "GenericIPAddressField"), "UPPER(HOST(%s))")
        self.assertEqual(self.ops.regex_lookup("iregex"), "%s ~* %s")
        with self.assertRaises(ValueError):
            self.ops.regex_lookup("glob")

    def test_for_update_and_distinct(self):
        self.assertEqual(
            self.ops.for_update_sql(nowait=True, of=('"t"',), no_key=True),
            'FOR NO KEY UPDATE OF "t" NOWAIT',
        )
        self.assertEqual(self.ops.for_update_sql(skip_locked=True), "FOR UPDATE SKIP LOCKED")
        self.assertEqual(
            self.ops.distinct_sql(['"a"', '"b"'], [[1], []]), (['DISTINCT ON ("a", "b")'], [1])
        )
        self.assertEqual(self.ops.distinct_sql([], []), (["DISTINCT"], []))

    def test_explain_prefix(self):
        self.assertEqual(self.ops.explain_query_prefix(), "EXPLAIN")
        self.assertEqual(
            self.ops.explain_query_prefix("yaml", analyze=True, buffers=False),
            "EXPLAIN (FORMAT YAML, ANALYZE true, BUFFERS false)",
        )
        with self.assertRaisesMessage(ValueError, "Allowed formats"):
            self.ops.explain_query_prefix("html")
        with self.assertRaisesMessage(ValueError, "Unknown options: injected"):
            self.ops.explain_query_prefix(injected=True)

    def test_conflicts_and_insert_helpers(self):
        self.assertEqual(self.ops.on_conflict_suffix_sql([], "ignore", [], []), "ON CONFLICT DO NOTHING")
        self.assertEqual(
            self.ops.on_conflict_suffix_sql([], "update", ["b"], ["a"]),
            'ON CONFLICT("a") DO UPDATE SET "b" = EXCLUDED."b"',
        )
        self.assertEqual(self.ops.on_conflict_suffix_sql([], None, [], []), "")
        self.assertEqual(self.ops.bulk_insert_sql([], [["%s", "%s"], ["%s", "%s"]]),
                         "VALUES (%s, %s), (%s, %s)")
        self.assertEqual(self.ops.return_insert_columns([]), ("", ()))
        self.assertEqual(self.ops.no_limit_value(), None)
        self.assertEqual(self.ops.tablespace_sql("ts"), 'TABLESPACE "ts"')
        self.assertEqual(self.ops.tablespace_sql("ts", inline=True), 'USING INDEX TABLESPACE "ts"')
        self.assertEqual(
            self.ops.subtract_temporals("DateField", ("a", [1]), ("b", [2])),
            ("(interval '1 day' * (a - b))", (1, 2)),
        )
        self.assertEqual(
            self.ops.sequence_reset_by_name_sql(no_style(), [{"table": "t", "column": "id"}]),
            ["SELECT setval(pg_get_serial_sequence('\"t\"', 'id'), 1, false);"],
        )

    def test_type_mapping(self):
        types = self.db.data_types
        self.assertEqual(types["DateTimeField"], "timestamp with time zone")
        self.assertEqual(types["JSONField"], "jsonb")
        self.assertEqual(types["UUIDField"], "uuid")
        self.assertEqual(self.db.data_types_suffix["BigAutoField"], "GENERATED BY DEFAULT AS IDENTITY")
        self.assertEqual(
            self.db.data_type_check_constraints["PositiveIntegerField"] % {"column": "n"}, '"n" >= 0'
        )


class ClientTests(SimpleTestCase):
    def test_password_goes_to_environment(self):
        args, env = DatabaseClient.settings_to_cmd_args_env(
            {
                "NAME": "dbname", "USER": "someuser", "PASSWORD": "secret-pw",
                "HOST": "somehost", "PORT": 444,
                "OPTIONS": {"sslmode": "verify-full", "sslrootcert": "/root.crt"},
            },
            ["-c", "select 1"],
        )
        self.assertEqual(
            args, ["psql", "-U", "someuser", "-h", "somehost", "-p", "444", "dbname", "-c", "select 1"]
        )
        self.assertNotIn("secret-pw", " ".join(args))
        self.assertEqual(
            env, {"PGPASSWORD": "secret-pw", "PGSSLMODE": "verify-full", "PGSSLROOTCERT": "/root.crt"}
        )

    def test_defaults(self):
        args, env = DatabaseClient.settings_to_cmd_args_env({"NAME": "", "OPTIONS": {}}, [])
        self.assertEqual(args, ["psql", "postgres"])
        self.assertIsNone(env)


class TestDatabaseCreationTests(DatabaseLifecycleChecks, PostgresTestCase):
    """Creating the test database over a stale one, keepdb, destroying."""

    source_name = "backend_pg_stale_%d" % os.getpid()
    name = "test_" + source_name
    drop_sql = "DROP DATABASE IF EXISTS %s WITH (FORCE)"

    def creator(self):
        creation = make_wrapper(dict(base_settings("postgresql", self.source_name))).creation
        # Only the database matters here, not the suite's tables.
        creation._build_schema = lambda verbosity: None
        return creation

    def exists(self, name=None):
        return bool(self.query("SELECT 1 FROM pg_database WHERE datname = %s", [name or self.name]))

    def test_stale_database_is_dropped_with_a_message(self):
        self.query("DROP DATABASE IF EXISTS %s" % self.name)
        self.query("CREATE DATABASE %s" % self.name)
        self.addCleanup(self.query, self.drop_sql % self.name)
        stale = self.scratch.wrapper(NAME=self.name)
        self.query("CREATE TABLE leftover (x int)", db=stale)
        stale.close()

        creation = self.creator()
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            created = creation.create_test_db(verbosity=1, autoclobber=False, keepdb=False)
        self.assertEqual(created, self.name)
        self.assertIn("Destroying old test database '%s'" % self.name, stderr.getvalue())
        # Recreated: the stale table is gone; the wrapper now uses it.
        self.assertEqual(creation.connection.settings_dict["NAME"], self.name)
        self.assertEqual(creation.connection.introspection.table_names(), [])
        self.check_keepdb_round_trip(creation)

    def test_maintenance_database_fallback(self):
        # With no 'postgres' database to connect to, the configured one is used.
        db = self.scratch.wrapper()
        real_class = db.__class__

        class NoPostgresDB(real_class):
            def get_connection_params(self):
                params = super().get_connection_params()
                if params["dbname"] == "postgres":
                    params["dbname"] = "no_such_maintenance_db_h3"
                return params

        db.__class__ = NoPostgresDB
        with db._nodb_cursor() as cursor:
            cursor.execute("SELECT current_database()")
            self.assertEqual(cursor.fetchone()[0], self.scratch.name)


class IntrospectionTests(PostgresTestCase):
    def setUp(self):
        super().setUp()
        self.query(
            "CREATE TABLE parent (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
            "code varchar(10) UNIQUE)"
        )
        self.query(
            "CREATE TABLE child (id integer NOT NULL PRIMARY KEY, "
            "parent_id bigint REFERENCES parent (id), amount numeric(5, 2) DEFAULT 1, "
            "flag boolean NOT NULL, CONSTRAINT amount_positive CHECK (amount >= 0))"
        )
        self.query("CREATE INDEX child_amount_desc ON child (amount DESC)")
        self.query("CREATE VIEW child_view AS SELECT id FROM child")
        self.addCleanup(self.query, "DROP TABLE parent")
        self.addCleanup(self.query, "DROP TABLE child")
        self.addCleanup(self.query, "DROP VIEW child_view")

    def test_tables_and_description(self):
        intro = self.db.introspection
        self.assertEqual(intro.table_names(), ["child", "parent"])
        self.assertEqual(intro.table_names(include_views=True), ["child", "child_view", "parent"])
        with self.db.cursor() as cursor:
            description = {d.name: d for d in intro.get_table_description(cursor, "child")}
            self.assertFalse(description["flag"].null_ok)
            self.assertTrue(description["amount"].null_ok)
            self.assertEqual(description["amount"].default, "1")
            self.assertEqual(intro.get_field_type(description["flag"].type_code, description["flag"]),
                             "BooleanField")
            parent = {d.name: d for d in intro.get_table_description(cursor, "parent")}
            self.assertEqual(intro.get_field_type(parent["id"].type_code, parent["id"]), "BigAutoField")
            self.assertEqual(intro.get_relations(cursor, "child"), {"parent_id": ("id", "parent")})
            self.assertEqual(intro.get_primary_key_column(cursor, "child"), "id")
            self.assertEqual(intro.get_sequences(cursor, "child"), [])

    def test_constraints(self):
        with self.db.cursor() as cursor:
            constraints = self.db.introspection.get_constraints(cursor, "child")
        self.assertTrue(constraints["child_pkey"]["primary_key"])
        fk = [c for c in constraints.values() if c["foreign_key"]]
        self.assertEqual(fk[0]["foreign_key"], ("parent", "id"))
        self.assertTrue(constraints["amount_positive"]["check"])
        index = constraints["child_amount_desc"]
        self.assertEqual((index["columns"], index["orders"], index["type"]), (["amount"], ["DESC"], "idx"))
