"""The test runner made a separate test database for every alias."""
from django.db import DatabaseError, connections
from django.test import TestCase, TransactionTestCase

from ..models import Book, Person
from .support import qn

# How each server names the database a connection is using.
CURRENT_DATABASE_SQL = {
    "postgresql": "SELECT current_database()",
    "mysql": "SELECT DATABASE()",
}


class TestDatabaseTests(TransactionTestCase):
    databases = {"default", "other"}

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

    def test_model_tables_exist_on_every_test_database(self):
        for alias in ("default", "other"):
            with self.subTest(alias=alias):
                tables = connections[alias].introspection.table_names()
                self.assertIn(Book._meta.db_table, tables)
                self.assertIn(Person._meta.db_table, tables)

    def test_model_rows_stay_on_their_database(self):
        Book.objects.create(title="Only on default", author=Person.objects.create(name="A"))
        self.assertEqual(Book.objects.count(), 1)
        with connections["other"].cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM %s" % qn("other", Book._meta.db_table))
            self.assertEqual(cursor.fetchone()[0], 0)


class DefaultOnlyTestCaseTests(TestCase):
    """A TestCase that declares nothing still runs on default, as before."""

    def test_orm_on_default(self):
        author = Person.objects.create(name="Ursula")
        Book.objects.create(title="The Dispossessed", author=author)
        self.assertEqual([b.title for b in author.books.all()], ["The Dispossessed"])
