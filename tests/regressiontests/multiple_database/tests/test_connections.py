"""django.db.connections: one wrapper per alias, in settings order; the connection proxy."""
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import SimpleTestCase, TransactionTestCase

from .support import run_in_thread, sqlite_file_databases

# Every key each alias's settings carry once read, with or without a value.
ALIAS_KEYS = {
    "ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS", "ATOMIC_REQUESTS",
    "AUTOCOMMIT", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "TIME_ZONE", "TEST",
}
TEST_KEYS = {"NAME", "MIRROR", "DEPENDENCIES", "CHARSET", "COLLATION"}


class AliasTests(SimpleTestCase):
    """Looking wrappers up opens no connection, so no database is needed."""

    def test_default_alias_name(self):
        from django.db import utils

        self.assertEqual(DEFAULT_DB_ALIAS, "default")
        self.assertEqual(utils.DEFAULT_DB_ALIAS, "default")

    def test_each_alias_has_its_own_wrapper(self):
        default, other = connections["default"], connections["other"]
        self.assertIsNot(default, other)
        self.assertEqual(default.alias, "default")
        self.assertEqual(other.alias, "other")
        # Looked up again in the same thread: the same wrapper.
        self.assertIs(connections["default"], default)
        self.assertIs(connections["other"], other)

    def test_wrapper_settings_are_the_alias_settings(self):
        for alias in connections:
            with self.subTest(alias=alias):
                self.assertEqual(connections[alias].settings_dict, connections.databases[alias])

    def test_iteration_follows_the_settings(self):
        self.assertEqual(list(connections), list(settings.DATABASES))
        self.assertEqual(list(connections)[0], "default")
        self.assertIn("other", list(connections))

    def test_membership(self):
        self.assertIn("default", connections)
        self.assertIn("other", connections)
        self.assertNotIn("nope", connections)

    def test_all_gives_one_wrapper_per_alias_in_order(self):
        wrappers = connections.all()
        self.assertEqual([w.alias for w in wrappers], list(connections))
        for wrapper in wrappers:
            self.assertIs(wrapper, connections[wrapper.alias])

    def test_databases_are_filled_in(self):
        self.assertEqual(list(connections.databases), list(connections))
        for alias, settings_dict in connections.databases.items():
            with self.subTest(alias=alias):
                self.assertLessEqual(ALIAS_KEYS, set(settings_dict))
                self.assertIsInstance(settings_dict["TEST"], dict)
                self.assertLessEqual(TEST_KEYS, set(settings_dict["TEST"]))
                self.assertIsInstance(settings_dict["OPTIONS"], dict)


class ConnectionDoesNotExistTests(SimpleTestCase):
    def test_importable_from_both_modules(self):
        from django.db.utils import ConnectionDoesNotExist as from_db
        from django.utils.connection import ConnectionDoesNotExist as from_utils

        self.assertIs(from_db, from_utils)
        self.assertTrue(issubclass(from_db, Exception))

    def test_unknown_alias(self):
        from django.db.utils import ConnectionDoesNotExist

        with self.assertRaises(ConnectionDoesNotExist) as caught:
            connections["nope"]
        message = str(caught.exception)
        # Names what was asked for and what exists.
        self.assertIn("nope", message)
        self.assertIn("default", message)
        self.assertIn("other", message)

    def test_alias_is_looked_up_not_interpreted(self):
        # An alias is never turned into a path, a DSN or SQL before it is
        # found in DATABASES: odd names are simply unknown.
        from django.db.utils import ConnectionDoesNotExist

        for alias in ("../default", "default; DROP TABLE x", "", "DEFAULT", "default "):
            with self.subTest(alias=alias):
                with self.assertRaises(ConnectionDoesNotExist):
                    connections[alias]
                self.assertNotIn(alias, connections)

    def test_transaction_using_unknown_alias(self):
        from django.db import transaction
        from django.db.utils import ConnectionDoesNotExist

        with self.assertRaisesMessage(ConnectionDoesNotExist, "nope"):
            with transaction.atomic(using="nope"):
                pass
        with self.assertRaisesMessage(ConnectionDoesNotExist, "nope"):
            transaction.get_autocommit(using="nope")


class ConnectionProxyTests(SimpleTestCase):
    def test_proxy_is_the_default_wrapper(self):
        default = connections[DEFAULT_DB_ALIAS]
        self.assertEqual(connection.alias, "default")
        self.assertEqual(connection.vendor, default.vendor)
        self.assertIs(connection.settings_dict, default.settings_dict)
        self.assertEqual(connection, default)
        self.assertNotEqual(connection, connections["other"])

    def test_attribute_writes_reach_the_wrapper(self):
        default = connections[DEFAULT_DB_ALIAS]
        connection.multiple_database_marker = "set through the proxy"
        try:
            self.assertEqual(default.multiple_database_marker, "set through the proxy")
        finally:
            del connection.multiple_database_marker
        self.assertFalse(hasattr(default, "multiple_database_marker"))

    def test_proxy_follows_the_thread(self):
        def look():
            return connection.alias, connection == connections["default"], connections["default"]

        alias, same, wrapper = run_in_thread(look)
        self.assertEqual(alias, "default")
        self.assertTrue(same)
        self.assertIsNot(wrapper, connections["default"])

    def test_deprecated_get_connection(self):
        from django.db import get_connection

        self.assertIs(get_connection(), connections[DEFAULT_DB_ALIAS])


class CloseAllTests(TransactionTestCase):
    databases = {"default", "other"}

    def test_close_all_closes_every_alias(self):
        with sqlite_file_databases(self, "default", "other"):
            for alias in ("default", "other"):
                with connections[alias].cursor() as cursor:
                    cursor.execute("SELECT 1")
                self.assertIsNotNone(connections[alias].connection)
            connections.close_all()
            for alias in ("default", "other"):
                with self.subTest(alias=alias):
                    self.assertIsNone(connections[alias].connection)

    def test_queries_work_on_both_test_databases(self):
        for alias in ("default", "other"):
            with self.subTest(alias=alias):
                with connections[alias].cursor() as cursor:
                    cursor.execute("SELECT 1")
                    self.assertEqual(cursor.fetchone()[0], 1)
