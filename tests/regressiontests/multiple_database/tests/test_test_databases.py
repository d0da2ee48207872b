"""The test runner made a separate test database for every alias."""
import json
import os
import unittest

from django.db import DatabaseError, connections
from django.test import SimpleTestCase, TestCase, TransactionTestCase

from ..models import Book, Person
from .support import qn, run_with_settings

# How each server names the database a connection is using.
CURRENT_DATABASE_SQL = {
    "postgresql": "SELECT current_database()",
    "mysql": "SELECT DATABASE()",
}


class TestDatabaseTests(TransactionTestCase):
    # It looks at every configured alias ('third' too, under test_multidb).
    databases = "__all__"

    def assertIsTestDatabase(self, alias):
        wrapper = connections[alias]
        name = wrapper.settings_dict["NAME"]
        wanted = wrapper.settings_dict["TEST"]["NAME"]
        if wanted:
            self.assertEqual(name, wanted)
        elif wrapper.vendor == "sqlite":
            self.assertTrue(wrapper.creation.is_in_memory_db(name), name)
        else:
            self.assertTrue(name.startswith("test_"), name)
        sql = CURRENT_DATABASE_SQL.get(wrapper.vendor)
        if sql:
            # The server agrees about which database the connection is on.
            with wrapper.cursor() as cursor:
                cursor.execute(sql)
                self.assertEqual(cursor.fetchone()[0], name)

    def test_every_alias_is_on_a_test_database(self):
        for alias in connections:
            with self.subTest(alias=alias):
                self.assertIsTestDatabase(alias)

    def test_default_and_other_are_different_databases(self):
        names = {alias: connections[alias].settings_dict["NAME"] for alias in ("default", "other")}
        self.assertNotEqual(names["default"], names["other"])

    def test_a_table_on_one_is_absent_on_the_other(self):
        table = "multiple_database_only_on_default"
        with connections["default"].cursor() as cursor:
            cursor.execute("CREATE TABLE %s (%s INTEGER)" % (qn("default", table), qn("default", "id")))
        try:
            self.assertIn(table, connections["default"].introspection.table_names())
            self.assertNotIn(table, connections["other"].introspection.table_names())
            with self.assertRaises(DatabaseError):
                with connections["other"].cursor() as cursor:
                    cursor.execute("SELECT * FROM %s" % qn("other", table))
        finally:
            with connections["default"].cursor() as cursor:
                cursor.execute("DROP TABLE %s" % qn("default", table))


    def test_every_test_database_has_the_models_tables(self):
        # The runner builds the schema on each alias's test database, not
        # only on default's.
        for alias in connections:
            with self.subTest(alias=alias):
                tables = connections[alias].introspection.table_names()
                self.assertIn(Book._meta.db_table, tables)
                self.assertIn(Person._meta.db_table, tables)


class DefaultOnlyTestCaseTests(TestCase):
    """A TestCase that declares nothing still runs on default, as before."""

    def test_orm_on_default(self):
        author = Person.objects.create(name="Ursula")
        Book.objects.create(title="The Dispossessed", author=author)
        self.assertEqual([b.title for b in author.books.all()], ["The Dispossessed"])


RUNNER_SETTINGS = """\
    DATABASES = {
        "default": {"ENGINE": "sqlite3", "NAME": "{dir}/main.sqlite3",
                    "TEST": {"NAME": "{dir}/test_main.sqlite3"}},
        "replica": {"ENGINE": "sqlite3", "NAME": "{dir}/replica.sqlite3",
                    "TEST": {"MIRROR": "default"}},
        "other": {"ENGINE": "sqlite3", "NAME": "{dir}/other.sqlite3",
                  "TEST": {"NAME": "{dir}/test_other.sqlite3"}},
    }
    SECRET_KEY = "runner"
    INSTALLED_APPS = []
    """

RUNNER_SCRIPT = """\
    import json, os, sys
    import django
    django.setup()
    from django.db import connections
    from django.test.runner import DiscoverRunner

    keepdb = sys.argv[1] == "keepdb"
    runner = DiscoverRunner(verbosity=0, interactive=False, keepdb=keepdb)
    old_config = runner.setup_databases()
    names = {alias: connections[alias].settings_dict["NAME"] for alias in connections}
    with connections["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS seen (id INTEGER)")
        cursor.execute("INSERT INTO seen VALUES (1)")
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM seen")
        on_replica = cursor.fetchone()[0]
    with connections["other"].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'seen'")
        on_other = cursor.fetchone()[0]
    runner.teardown_databases(old_config)
    print(json.dumps({
        "names": names,
        "on_replica": on_replica,
        "on_other": on_other,
        "left": sorted(os.listdir(".")),
    }))
    """


class RunnerTestDatabasesTests(SimpleTestCase):
    """The runner as a project uses it: a database per alias, mirrors share their target's."""

    def run_runner(self, mode):
        done = run_with_settings(self, RUNNER_SETTINGS, RUNNER_SCRIPT, args=[mode])
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout), os.path.dirname(json.loads(done.stdout)["names"]["default"])

    def test_each_alias_gets_its_test_database_and_mirrors_share(self):
        seen, directory = self.run_runner("fresh")
        self.assertEqual(seen["names"], {
            "default": os.path.join(directory, "test_main.sqlite3"),
            "replica": os.path.join(directory, "test_main.sqlite3"),
            "other": os.path.join(directory, "test_other.sqlite3"),
        })
        # The mirror reads what was written through default; other is apart.
        self.assertEqual(seen["on_replica"], 1)
        self.assertEqual(seen["on_other"], 0)
        # Test databases destroyed; the real ones never touched.
        for name in ("test_main.sqlite3", "test_other.sqlite3", "main.sqlite3",
                     "replica.sqlite3", "other.sqlite3"):
            self.assertNotIn(name, seen["left"])

    def test_keepdb_keeps_every_test_database(self):
        seen, _ = self.run_runner("keepdb")
        self.assertIn("test_main.sqlite3", seen["left"])
        self.assertIn("test_other.sqlite3", seen["left"])
        self.assertNotIn("replica.sqlite3", seen["left"])


class UndeclaredDatabaseTests(TransactionTestCase):
    """A test that forgets to declare 'other' is told so, by name."""

    # The inner tests run within this one: it must not refuse what they
    # declare (each test class installs its own guard while it runs), and
    # some of them declare every alias ('third' too, under test_multidb).
    databases = "__all__"

    def run_forgetful_test(self, base, **attributes):
        def test_touch_other(test):
            with connections["other"].cursor() as cursor:
                cursor.execute("SELECT 1")

        # Built here, not at module level, so the runner never collects it.
        forgetful = type("ForgetfulTests", (base,), dict(
            attributes, test_touch_other=test_touch_other, __module__=__name__,
        ))
        result = unittest.TestResult()
        unittest.TestSuite([forgetful("test_touch_other")]).run(result)
        return result

    def assertToldToDeclare(self, result):
        problems = result.failures + result.errors
        self.assertEqual(len(problems), 1, problems)
        report = problems[0][1]
        self.assertIn("other", report)
        self.assertIn("%s.ForgetfulTests" % __name__, report)
        self.assertIn("databases", report)
        # An assertion of the test framework, reported as a failure.
        self.assertEqual(len(result.failures), 1, report)

    def test_transaction_test_case_declares_default_only(self):
        self.assertToldToDeclare(self.run_forgetful_test(TransactionTestCase))

    def test_test_case_declares_default_only(self):
        self.assertToldToDeclare(self.run_forgetful_test(TestCase))

    def test_simple_test_case_declares_nothing(self):
        self.assertToldToDeclare(self.run_forgetful_test(SimpleTestCase))

    def test_declared_other_is_allowed(self):
        declarations = ({"databases": {"default", "other"}}, {"databases": "__all__"},
                        {"multi_db": True})
        for base in (TransactionTestCase, TestCase):
            for declaration in declarations:
                with self.subTest(base=base.__name__, declaration=declaration):
                    result = self.run_forgetful_test(base, **declaration)
                    self.assertTrue(result.wasSuccessful(), result.failures + result.errors)
