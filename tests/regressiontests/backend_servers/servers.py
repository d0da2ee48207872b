"""
Reaching the PostgreSQL and MariaDB servers from tests, whatever the
settings module of the run.

The vendor tests do not need the run's own database: they open their own
``DatabaseWrapper`` on a scratch database they create (``test_<NAME>_h3``
style names, dropped afterwards), with the host, port and user of the
active settings when that vendor is the one under test, else from the
environment (DJANGO_TEST_PG_* / DJANGO_TEST_MYSQL_*) or the development
defaults. A server that cannot be reached skips the tests with a message
naming it -- and fails them when CI=true, where the servers must be up.
"""
import os
import unittest

from django.test import SimpleTestCase
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import OperationalError, load_backend

DEFAULTS = {
    "postgresql": {
        "ENGINE": "django.db.backends.postgresql",
        "env": "DJANGO_TEST_PG_",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        "USER": "postgres",
        "label": "PostgreSQL",
    },
    "mysql": {
        "ENGINE": "django.db.backends.mysql",
        "env": "DJANGO_TEST_MYSQL_",
        "HOST": "127.0.0.1",
        "PORT": "3306",
        "USER": "root",
        "label": "MariaDB/MySQL",
    },
}


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def base_settings(vendor, name=None):
    """A settings dict for a wrapper of ``vendor`` (NAME = ``name``)."""
    defaults = DEFAULTS[vendor]
    active = connections[DEFAULT_DB_ALIAS]
    if active.vendor == vendor:
        settings_dict = dict(active.settings_dict)
        settings_dict["OPTIONS"] = dict(settings_dict.get("OPTIONS") or {})
        settings_dict["TEST"] = dict(settings_dict.get("TEST") or {})
    else:
        env = defaults["env"]
        settings_dict = {
            "ENGINE": defaults["ENGINE"],
            "HOST": os.environ.get(env + "HOST", defaults["HOST"]),
            "PORT": os.environ.get(env + "PORT", defaults["PORT"]),
            "USER": os.environ.get(env + "USER", defaults["USER"]),
            "PASSWORD": os.environ.get(env + "PASSWORD", ""),
            "OPTIONS": {"connect_timeout": 5},
            "TEST": {},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
        }
    settings_dict["NAME"] = name
    settings_dict["TEST"]["NAME"] = None
    return settings_dict


def _with_test_name(settings_dict, test_name):
    settings_dict["TEST"]["NAME"] = test_name
    return settings_dict


def make_wrapper(settings_dict):
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict)


def unreachable(vendor, exc):
    """Skip (or, in CI, fail) because the server of ``vendor`` is down."""
    defaults = DEFAULTS[vendor]
    settings_dict = base_settings(vendor)
    message = "%s at %s:%s is not reachable (%s)" % (
        defaults["label"], settings_dict["HOST"], settings_dict["PORT"], exc,
    )
    if in_ci():
        raise AssertionError("CI=true requires the server: " + message)
    raise unittest.SkipTest(message)


class ScratchDatabase:
    """
    A database of our own on the server of ``vendor``, created through the
    backend's creation class (so that code is exercised too) and dropped by
    ``destroy()``. ``wrapper()`` returns new wrappers connected to it.
    """

    def __init__(self, vendor, name):
        self.vendor = vendor
        self.name = name
        admin = make_wrapper(base_settings(vendor, "unused"))
        try:
            # The maintenance connection (no database / 'postgres').
            with admin._nodb_cursor() as cursor:
                cursor.execute("SELECT 1")
        except OperationalError as exc:
            unreachable(vendor, exc)
        creator = make_wrapper(_with_test_name(base_settings(vendor, "unused"), name))
        creator.creation._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        self.settings = base_settings(vendor, name)
        self._wrappers = []

    def wrapper(self, **overrides):
        settings_dict = dict(self.settings, **overrides)
        wrapper = make_wrapper(settings_dict)
        self._wrappers.append(wrapper)
        return wrapper

    def destroy(self):
        for wrapper in self._wrappers:
            try:
                wrapper.close()
            except Exception:
                pass
        creator = make_wrapper(_with_test_name(base_settings(self.vendor, "unused"), self.name))
        creator.creation._destroy_test_db(self.name, verbosity=0)


class ScratchTestCase(SimpleTestCase):
    """
    One scratch database on ``vendor``'s server for the class, named per
    process (several runs may share the server); ``self.db`` is a fresh
    wrapper on it for each test.
    """

    vendor = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        name = "test_backend_%s_scratch_%d" % (cls.scratch_label, os.getpid())
        cls.scratch = ScratchDatabase(cls.vendor, name)
        cls.addClassCleanup(cls.scratch.destroy)

    def setUp(self):
        self.db = self.scratch.wrapper()
        self.addCleanup(self.db.close)

    def query(self, sql, params=None, db=None):
        with (db or self.db).cursor() as cursor:
            cursor.execute(sql, params)
            if cursor.description is not None:
                return [tuple(row) for row in cursor.fetchall()]
            return None


class FakeMeta:
    def __init__(self, db_table, fields):
        self.db_table = db_table
        self.local_fields = fields
        self.local_concrete_fields = fields
        self.concrete_fields = fields
        self.pk = fields[0] if fields else None
        self.auto_field = next(
            (f for f in fields if f.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField")),
            None,
        )


class FakeField:
    """Just enough of a model field for ops.sequence_reset_sql()/return_insert_columns()."""

    def __init__(self, column, internal_type, model=None):
        self.column = column
        self.attname = column
        self.name = column
        self._internal_type = internal_type
        self.model = model

    def get_internal_type(self):
        return self._internal_type


def fake_model(db_table, *fields):
    """A stand-in model class with ``_meta.db_table`` and ``_meta.local_fields``."""
    model = type("Fake_%s" % db_table, (), {})
    model._meta = FakeMeta(db_table, list(fields))
    for field in fields:
        field.model = model
    return model


class DatabaseLifecycleChecks:
    """Checks of creating and destroying the test database that PostgreSQL
    and MySQL share. The test class provides ``name`` (the test database),
    ``source_name`` (the configured one), ``creator()``, ``exists(name=None)``
    and ``drop_sql`` (a template dropping one database by name)."""

    def check_keepdb_round_trip(self, creation):
        """keepdb keeps what is there (once the first run is over)."""
        import contextlib
        import io

        self.query("CREATE TABLE kept (x int)", db=creation.connection)
        with contextlib.redirect_stderr(io.StringIO()):
            creation.destroy_test_db(self.source_name, verbosity=1, keepdb=True)
            self.assertEqual(creation.connection.settings_dict["NAME"], self.source_name)
            self.assertTrue(self.exists())
            again = self.creator()
            again.create_test_db(verbosity=1, keepdb=True)
            self.assertEqual(again.connection.introspection.table_names(), ["kept"])
            again.destroy_test_db(self.source_name, verbosity=1)
        self.assertFalse(self.exists())

    def test_database_of_a_live_run_is_left_alone(self):
        import contextlib
        import io

        alternative = "%s_%d" % (self.name, os.getpid())
        for name in (self.name, alternative):
            self.addCleanup(self.query, self.drop_sql % name)
        live_run = self.creator()
        with contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(live_run.create_test_db(verbosity=1), self.name)
        self.query("CREATE TABLE precious (x int)", db=live_run.connection)
        live_run.connection.close()  # idle between requests: the lock still holds

        creation = self.creator()
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            created = creation.create_test_db(verbosity=1)
        self.assertEqual(created, alternative)
        self.assertIn("is in use by another test run", stderr.getvalue())
        self.assertEqual(self.query("SELECT COUNT(*) FROM precious", db=live_run.connection), [(0,)])
        with contextlib.redirect_stderr(io.StringIO()):
            creation.destroy_test_db(self.source_name, verbosity=1)
            self.assertIsNone(creation.connection.settings_dict["TEST"]["NAME"])
            self.assertFalse(self.exists(alternative))
            live_run.destroy_test_db(self.source_name, verbosity=1)
        self.assertFalse(self.exists())
