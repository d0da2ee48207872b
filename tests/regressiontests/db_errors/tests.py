"""Error translation, backend loading and the settings dictionary."""
import django.db
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, utils
from django.db.utils import load_backend
from django.test import SimpleTestCase, TransactionTestCase

TABLE = "db_errors_item"


def qn(name):
    return connection.ops.quote_name(name)


class ErrorWrappingTests(TransactionTestCase):
    def setUp(self):
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE %s (%s INTEGER PRIMARY KEY)" % (qn(TABLE), qn("id")))

    def tearDown(self):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE %s" % qn(TABLE))

    def test_integrity_error_keeps_driver_error_as_cause(self):
        sql = "INSERT INTO %s (%s) VALUES (%%s)" % (qn(TABLE), qn("id"))
        with connection.cursor() as cursor:
            cursor.execute(sql, [1])
            with self.assertRaises(django.db.IntegrityError) as ctx:
                cursor.execute(sql, [1])
        err = ctx.exception
        self.assertIs(type(err), utils.IntegrityError)
        self.assertIsInstance(err.__cause__, connection.Database.IntegrityError)
        self.assertEqual(err.args, err.__cause__.args)
        self.assertNotIsInstance(err, connection.Database.Error)
        # Integrity errors don't suggest the connection is broken.
        self.assertFalse(connection.errors_occurred)

    def test_executemany_translates_driver_errors(self):
        sql = "INSERT INTO %s (%s) VALUES (%%s)" % (qn(TABLE), qn("id"))
        with connection.cursor() as cursor:
            with self.assertRaises(django.db.IntegrityError) as ctx:
                cursor.executemany(sql, [[1], [1]])
        self.assertIsInstance(ctx.exception.__cause__, connection.Database.IntegrityError)

    def test_bad_sql_is_programming_error(self):
        with connection.cursor() as cursor:
            with self.assertRaises(django.db.ProgrammingError) as ctx:
                cursor.execute("SELECT * FROM %s" % qn("db_errors_no_such_table"))
            self.assertIsInstance(ctx.exception.__cause__, connection.Database.Error)
            with self.assertRaises(django.db.ProgrammingError):
                cursor.execute("SELEKT 1")
        self.assertTrue(connection.errors_occurred)
        django.db.close_old_connections()
        self.assertFalse(connection.errors_occurred)

    def test_error_inside_atomic_marks_for_rollback(self):
        from django.db import transaction

        with transaction.atomic():
            with self.assertRaises(django.db.DatabaseError):
                with transaction.atomic(savepoint=False):
                    with connection.cursor() as cursor:
                        cursor.execute("SELEKT 1")
            self.assertTrue(connection.needs_rollback)
            # The next query is refused, naming the original error as cause.
            with self.assertRaises(transaction.TransactionManagementError) as ctx:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
            self.assertIsInstance(ctx.exception.__cause__, django.db.ProgrammingError)

    def test_wrapper_as_decorator(self):
        @connection.wrap_database_errors
        def fail():
            """Docstring kept."""
            raise connection.Database.OperationalError("lost")

        self.assertEqual(fail.__doc__, "Docstring kept.")
        with self.assertRaisesMessage(django.db.OperationalError, "lost"):
            fail()

    def test_non_database_errors_pass_through(self):
        with self.assertRaises(KeyError):
            with connection.wrap_database_errors:
                raise KeyError("x")


class HierarchyTests(SimpleTestCase):
    def test_pep249_hierarchy(self):
        self.assertTrue(issubclass(utils.DatabaseError, utils.Error))
        self.assertTrue(issubclass(utils.InterfaceError, utils.Error))
        for name in (
            "DataError",
            "OperationalError",
            "IntegrityError",
            "InternalError",
            "ProgrammingError",
            "NotSupportedError",
        ):
            cls = getattr(utils, name)
            self.assertTrue(issubclass(cls, utils.DatabaseError), name)
            self.assertIs(getattr(django.db, name), cls)

    def test_multi_db_names(self):
        self.assertEqual(utils.DEFAULT_DB_ALIAS, "default")
        self.assertIs(django.db.DEFAULT_DB_ALIAS, utils.DEFAULT_DB_ALIAS)
        self.assertIsInstance(django.db.connections, utils.ConnectionHandler)
        self.assertIs(utils.ConnectionDoesNotExist, django.db.ConnectionDoesNotExist)


class LoadBackendTests(SimpleTestCase):
    def test_short_names(self):
        self.assertEqual(load_backend("sqlite3").__name__, "django.db.backends.sqlite3.base")
        self.assertEqual(utils.resolve_engine("postgresql_psycopg2"), "django.db.backends.postgresql")
        self.assertEqual(utils.resolve_engine("mysql"), "django.db.backends.mysql")

    def test_dotted_path(self):
        module = load_backend("django.db.backends.sqlite3")
        self.assertTrue(hasattr(module, "DatabaseWrapper"))

    def test_unknown_engine_lists_backends(self):
        with self.assertRaises(ImproperlyConfigured) as ctx:
            load_backend("nosuchdb")
        msg = str(ctx.exception)
        self.assertIn("nosuchdb", msg)
        for name in ("'mysql'", "'postgresql'", "'sqlite3'"):
            self.assertIn(name, msg)

    def test_unknown_dotted_engine(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "isn't an available database backend"):
            load_backend("myproject.backends.nothere")

    def test_missing_engine(self):
        with self.assertRaisesMessage(
            ImproperlyConfigured, "settings.DATABASES is improperly configured"
        ):
            load_backend("")

    def test_backend_with_broken_import_is_not_reported_as_unknown(self):
        # A backend whose own imports fail (e.g. a missing driver) shows that
        # ImportError rather than "isn't an available database backend".
        import os
        import sys
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            package = os.path.join(tmp, "db_errors_fake_backend")
            os.mkdir(package)
            open(os.path.join(package, "__init__.py"), "w").close()
            with open(os.path.join(package, "base.py"), "w") as fh:
                fh.write("import db_errors_no_such_driver\n")
            sys.path.insert(0, tmp)
            try:
                with self.assertRaises(ImportError) as ctx:
                    load_backend("db_errors_fake_backend")
                self.assertNotIsInstance(ctx.exception, ImproperlyConfigured)
                self.assertEqual(ctx.exception.name, "db_errors_no_such_driver")
            finally:
                sys.path.remove(tmp)
                for name in ("db_errors_fake_backend", "db_errors_fake_backend.base"):
                    sys.modules.pop(name, None)


class DatabaseSettingsTests(SimpleTestCase):
    def test_settings_dict(self):
        # The legacy settings, read through the handler the way a project
        # still on them gets them: as DATABASES['default'], completed.
        from django.conf import LazySettings
        from django.db.utils import ConnectionHandler

        lazy = LazySettings()
        with self.assertWarnsRegex(DeprecationWarning, "DATABASES"):
            lazy.configure(
                DATABASE_ENGINE="postgresql_psycopg2",
                DATABASE_NAME="db",
                DATABASE_USER="u",
                DATABASE_PASSWORD="p",
                DATABASE_HOST="h",
                DATABASE_PORT="5433",
                DATABASE_OPTIONS={"connect_timeout": 3},
                TEST_DATABASE_NAME="tdb",
            )
        result = ConnectionHandler(lazy.DATABASES).databases["default"]
        self.assertEqual(
            result,
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "db",
                "USER": "u",
                "PASSWORD": "p",
                "HOST": "h",
                "PORT": "5433",
                "OPTIONS": {"connect_timeout": 3},
                "TEST": {
                    "NAME": "tdb", "MIRROR": None, "DEPENDENCIES": [],
                    "CHARSET": None, "COLLATION": None,
                },
                "TIME_ZONE": None,
                "CONN_MAX_AGE": 0,
                "CONN_HEALTH_CHECKS": False,
                "AUTOCOMMIT": True,
                "ATOMIC_REQUESTS": False,
            },
        )

    def test_missing_name_raises_on_first_use(self):
        settings_dict = {**connection.settings_dict, "NAME": ""}
        wrapper = type(django.db.connections["default"])(settings_dict)
        with self.assertRaisesMessage(ImproperlyConfigured, "DATABASES['default']"):
            wrapper.ensure_connection()
        self.assertIsNone(wrapper.connection)

    def test_importing_django_db_never_fails(self):
        import subprocess
        import sys
        import os

        repo = os.path.dirname(os.path.dirname(os.path.abspath(django.__file__)))
        code = (
            "from django.conf import settings; settings.configure(); "
            "import django.db; from django.db import connection; "
            "from django.core.exceptions import ImproperlyConfigured\n"
            "try:\n connection.cursor()\n"
            "except ImproperlyConfigured as e:\n print(e)\n"
        )
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["PYTHONPATH"] = repo
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("settings.DATABASES is improperly configured", result.stdout)
