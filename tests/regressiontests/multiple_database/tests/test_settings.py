"""
DATABASES as users write it: defaults filled in, bad values refused with a
clear ImproperlyConfigured, the 1.0/1.1 DATABASE_* settings still read (with
a DeprecationWarning), and override_settings(DATABASES=...) rebuilding the
connections.
"""
import json
import os
import tempfile

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.utils import ConnectionDoesNotExist
from django.test import SimpleTestCase, TransactionTestCase
from django.test.utils import override_settings

from .support import SECRET, create_entry_table, entry_ids, insert_entry, run_with_settings

SQLITE = "django.db.backends.sqlite3"


def sqlite_alias(**extra):
    return dict({"ENGINE": SQLITE, "NAME": ":memory:"}, **extra)


def read_databases(databases):
    """
    Configure ``databases`` the way a test or a settings change does, and
    read them back as the handler sees them (a copy). Whether a bad value
    is refused when the setting changes or when it is first read, the
    ImproperlyConfigured comes out of here; looking every alias's wrapper up
    too makes sure nothing is left for later.
    """
    with override_settings(DATABASES=databases):
        seen = {alias: dict(values) for alias, values in connections.databases.items()}
        for alias in connections:
            connections[alias]
        return seen


class DefaultsTests(SimpleTestCase):
    def test_minimal_alias_gets_every_default(self):
        seen = read_databases({"default": {"ENGINE": SQLITE, "NAME": "app.db"}})
        default = seen["default"]
        self.assertEqual(default["NAME"], "app.db")
        for key, value in {
            "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "OPTIONS": {},
            "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False, "TIME_ZONE": None,
        }.items():
            with self.subTest(key=key):
                self.assertEqual(default[key], value)
        test = default["TEST"]
        for key in ("NAME", "MIRROR", "CHARSET", "COLLATION"):
            with self.subTest(key="TEST." + key):
                self.assertIsNone(test[key])
        self.assertIn("DEPENDENCIES", test)

    def test_given_values_are_kept(self):
        seen = read_databases({
            "default": sqlite_alias(CONN_MAX_AGE=30, ATOMIC_REQUESTS=True, OPTIONS={"timeout": 3},
                                    TEST={"NAME": "custom_test.db"}),
            "reports": sqlite_alias(AUTOCOMMIT=True, TEST={"MIRROR": "default"}),
        })
        self.assertEqual(seen["default"]["CONN_MAX_AGE"], 30)
        self.assertIs(seen["default"]["ATOMIC_REQUESTS"], True)
        self.assertEqual(seen["default"]["OPTIONS"], {"timeout": 3})
        self.assertEqual(seen["default"]["TEST"]["NAME"], "custom_test.db")
        # A partial TEST dict is completed, not replaced.
        self.assertIsNone(seen["default"]["TEST"]["MIRROR"])
        self.assertEqual(seen["reports"]["TEST"]["MIRROR"], "default")
        self.assertIsNone(seen["reports"]["TEST"]["NAME"])

    def test_short_engine_names(self):
        for engine in ("sqlite3", SQLITE):
            with self.subTest(engine=engine):
                with override_settings(DATABASES={"default": {"ENGINE": engine, "NAME": ":memory:"}}):
                    self.assertEqual(connections["default"].vendor, "sqlite")

    def test_aliases_keep_their_order(self):
        databases = {
            "zeta": sqlite_alias(), "default": sqlite_alias(), "alpha": sqlite_alias(),
            "replica-1": sqlite_alias(), "_private": sqlite_alias(),
        }
        with override_settings(DATABASES=databases):
            self.assertEqual(list(connections), list(databases))
            self.assertEqual([w.alias for w in connections.all()], list(databases))

    def test_flat_test_spellings(self):
        # Django 1.2 spelled the TEST entries as flat keys.
        seen = read_databases({
            "default": sqlite_alias(TEST_NAME="flat_test.db", TEST_CHARSET="utf8",
                                    TEST_COLLATION="utf8_bin"),
            "replica": sqlite_alias(TEST_MIRROR="default"),
        })
        self.assertEqual(seen["default"]["TEST"]["NAME"], "flat_test.db")
        self.assertEqual(seen["default"]["TEST"]["CHARSET"], "utf8")
        self.assertEqual(seen["default"]["TEST"]["COLLATION"], "utf8_bin")
        self.assertEqual(seen["replica"]["TEST"]["MIRROR"], "default")

    def test_empty_databases_is_allowed(self):
        # default is only required once something is configured: the
        # settings load, and only using the database fails.
        with override_settings(DATABASES={}):
            self.assertEqual(list(connections), ["default"])
            with self.assertRaises(ImproperlyConfigured):
                connections["default"].cursor()


class BadDatabasesTests(SimpleTestCase):
    """Each mistake is an ImproperlyConfigured naming what is wrong; never the password."""

    def assertRefused(self, databases, *expected):
        with self.assertRaises(ImproperlyConfigured) as caught:
            read_databases(databases)
        message = str(caught.exception)
        for text in expected:
            self.assertIn(text, message)
        self.assertNotIn(SECRET, message)
        self.assertNotIn(SECRET, repr(caught.exception.args))
        return message

    def test_not_a_dict(self):
        for value in (["default"], "sqlite3", ("default",)):
            with self.subTest(value=value):
                self.assertRefused(value, "DATABASES")

    def test_bad_alias_names(self):
        for alias in ("bad alias", "9lives", "a.b", "x/y", "", "naïve"):
            with self.subTest(alias=alias):
                message = self.assertRefused(
                    {"default": sqlite_alias(PASSWORD=SECRET), alias: sqlite_alias(PASSWORD=SECRET)},
                    "DATABASES",
                )
                if alias:
                    self.assertIn(alias, message)

    def test_alias_that_is_not_a_string(self):
        self.assertRefused({"default": sqlite_alias(), 7: sqlite_alias(PASSWORD=SECRET)},
                           "DATABASES", "7")

    def test_alias_settings_that_are_not_a_dict(self):
        self.assertRefused({"default": sqlite_alias(), "other": "sqlite3"}, "other")

    def test_missing_default(self):
        self.assertRefused({"other": sqlite_alias(PASSWORD=SECRET)}, "default")

    def test_unknown_engine(self):
        for alias in ("default", "other"):
            databases = {"default": sqlite_alias(), "other": sqlite_alias()}
            databases[alias] = {"ENGINE": "no.such.backend", "NAME": "x", "PASSWORD": SECRET}
            with self.subTest(alias=alias):
                self.assertRefused(databases, alias, "no.such.backend")

    def test_test_that_is_not_a_dict(self):
        self.assertRefused(
            {"default": sqlite_alias(PASSWORD=SECRET, TEST="test_app")},
            "TEST", "default", "test_app",
        )

    def test_dependency_cycle(self):
        self.assertRefused(
            {
                "default": sqlite_alias(PASSWORD=SECRET, TEST={"DEPENDENCIES": ["other"]}),
                "other": sqlite_alias(PASSWORD=SECRET, TEST={"DEPENDENCIES": ["default"]}),
            },
            "DEPENDENCIES",
        )

    def test_dependency_on_itself(self):
        self.assertRefused(
            {"default": sqlite_alias(), "other": sqlite_alias(TEST={"DEPENDENCIES": ["other"]})},
            "DEPENDENCIES", "other",
        )

    def test_dependency_on_unknown_alias(self):
        self.assertRefused(
            {"default": sqlite_alias(),
             "other": sqlite_alias(PASSWORD=SECRET, TEST={"DEPENDENCIES": ["ghost"]})},
            "DEPENDENCIES", "other", "ghost",
        )

    def test_refusal_leaves_the_connections_alone(self):
        before = list(connections)
        with self.assertRaises(ImproperlyConfigured):
            read_databases({"other": sqlite_alias()})
        self.assertEqual(list(connections), before)
        self.assertEqual(connections["other"].alias, "other")

    def test_password_not_in_wrapper_repr(self):
        with override_settings(DATABASES={"default": sqlite_alias(PASSWORD=SECRET)}):
            self.assertNotIn(SECRET, repr(connections["default"]))
            self.assertNotIn(SECRET, str(connections["default"]))


LEGACY_SETTINGS = """\
    DATABASE_ENGINE = "sqlite3"
    DATABASE_NAME = "{dir}/legacy.sqlite3"
    DATABASE_USER = "someone"
    DATABASE_PASSWORD = %r
    DATABASE_OPTIONS = {"timeout": 7}
    TEST_DATABASE_NAME = "{dir}/legacy_test.sqlite3"
    SECRET_KEY = "legacy"
    INSTALLED_APPS = []
    """ % SECRET

LEGACY_SCRIPT = """\
    import json, warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import django
        django.setup()
        from django.db import connection, connections
        default = connections.databases["default"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        one = cursor.fetchone()[0]
    print(json.dumps({
        "aliases": list(connections),
        "alias": connection.alias,
        "vendor": connection.vendor,
        "one": one,
        "NAME": default["NAME"],
        "USER": default["USER"],
        "password_kept": default["PASSWORD"] == %r,
        "OPTIONS": default["OPTIONS"],
        "TEST": default["TEST"],
        "AUTOCOMMIT": default["AUTOCOMMIT"],
        "warnings": [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)],
    }))
    """ % SECRET

REFUSAL_SCRIPT = """\
    import django
    from django.core.exceptions import ImproperlyConfigured
    try:
        django.setup()
        from django.db import connections
        connections["default"]
    except ImproperlyConfigured as exc:
        print("refused:", exc)
    else:
        print("accepted")
    """


class LegacySettingsTests(SimpleTestCase):
    def test_legacy_settings_become_default(self):
        done = run_with_settings(self, LEGACY_SETTINGS, LEGACY_SCRIPT)
        self.assertEqual(done.returncode, 0, done.stderr)
        seen = json.loads(done.stdout)
        directory = os.path.dirname(seen["NAME"])
        self.assertEqual(seen["aliases"], ["default"])
        self.assertEqual((seen["alias"], seen["vendor"], seen["one"]), ("default", "sqlite", 1))
        self.assertEqual(os.path.basename(seen["NAME"]), "legacy.sqlite3")
        self.assertEqual(seen["USER"], "someone")
        self.assertTrue(seen["password_kept"])
        self.assertEqual(seen["OPTIONS"], {"timeout": 7})
        self.assertEqual(seen["TEST"]["NAME"], os.path.join(directory, "legacy_test.sqlite3"))
        self.assertIs(seen["AUTOCOMMIT"], True)
        # Warned, naming the setting to use instead, without the password.
        self.assertTrue(seen["warnings"], done.stderr)
        self.assertTrue(any("DATABASES" in text for text in seen["warnings"]), seen["warnings"])
        self.assertNotIn(SECRET, done.stdout.replace('"password_kept": true', ""))
        self.assertNotIn(SECRET, done.stderr)

    def test_both_spellings_in_a_settings_module(self):
        done = run_with_settings(self, """\
            DATABASES = {"default": {"ENGINE": "sqlite3", "NAME": ":memory:"}}
            DATABASE_NAME = "legacy.sqlite3"
            DATABASE_PASSWORD = %r
            SECRET_KEY = "both"
            INSTALLED_APPS = []
            """ % SECRET, REFUSAL_SCRIPT)
        self.assertTrue(done.stdout.startswith("refused:"), done.stdout + done.stderr)
        self.assertIn("DATABASES", done.stdout)
        self.assertIn("DATABASE_NAME", done.stdout)
        self.assertNotIn(SECRET, done.stdout + done.stderr)

    def test_overriding_a_legacy_setting_is_refused(self):
        # The suite's settings define DATABASES; a legacy override is ambiguous.
        with self.assertRaises(ImproperlyConfigured) as caught:
            with override_settings(DATABASE_NAME="legacy.db", DATABASE_PASSWORD=SECRET):
                connections.databases
        message = str(caught.exception)
        self.assertIn("DATABASES", message)
        self.assertIn("DATABASE_NAME", message)
        self.assertNotIn(SECRET, message)
        # Nothing changed.
        self.assertIn("other", connections)


class OverrideDatabasesTests(TransactionTestCase):
    """override_settings(DATABASES=...) rebuilds the handler; leaving it brings the test databases back."""

    databases = {"default", "other"}

    def test_override_rebuilds_and_restore_brings_back(self):
        create_entry_table(self, "default", "other")
        insert_entry("default", 1)
        insert_entry("other", 2)
        names = {alias: connections[alias].settings_dict["NAME"] for alias in connections}
        before = connections["default"]
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        scratch = os.path.join(directory.name, "scratch.sqlite3")
        with override_settings(DATABASES={"default": {"ENGINE": SQLITE, "NAME": scratch}}):
            self.assertEqual(list(connections), ["default"])
            self.assertIsNot(connections["default"], before)
            self.assertEqual(connections["default"].settings_dict["NAME"], scratch)
            self.assertEqual(connections["default"].vendor, "sqlite")
            with self.assertRaises(ConnectionDoesNotExist):
                connections["other"]
            with connections["default"].cursor() as cursor:
                cursor.execute("CREATE TABLE scratch_only (id INTEGER)")
        # Back on the test databases, with what was written there.
        self.assertEqual(list(connections), list(names))
        for alias, name in names.items():
            with self.subTest(alias=alias):
                self.assertEqual(connections[alias].settings_dict["NAME"], name)
        self.assertEqual(entry_ids("default"), [1])
        self.assertEqual(entry_ids("other"), [2])
        self.assertNotIn("scratch_only", connections["default"].introspection.table_names())
        self.assertTrue(os.path.exists(scratch))
