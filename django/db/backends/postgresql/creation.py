"""Test databases on PostgreSQL."""
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.base.creation import ServerDatabaseCreation, test_settings
from django.db.utils import OperationalError


class DatabaseCreation(ServerDatabaseCreation):
    def sql_table_creation_suffix(self):
        """
        Copy template0, not template1: template0 never has sessions, so the
        copy cannot fail with "source database is being accessed by other
        users", and nothing added to template1 leaks into the tests.
        """
        suffix = "TEMPLATE template0"
        charset = test_settings(self.connection).get("CHARSET")
        if charset:
            suffix += " ENCODING '%s'" % str(charset).replace("'", "''")
        return suffix

    @staticmethod
    def _has_database(cursor, name):
        cursor.execute("SELECT 1 FROM pg_catalog.pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None

    def _drop_database(self, cursor, name):
        """Drop ``name`` even if sessions (e.g. of a killed run) still use it."""
        if cursor.db.get_database_version() >= (13,):
            cursor.execute("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self._quoted_db_name(name))
            return
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        cursor.execute("DROP DATABASE IF EXISTS %s" % self._quoted_db_name(name))

    # Advisory locks live in the database the session is connected to: the
    # guard always connects to the maintenance database, like every run.
    lock_sql = "SELECT pg_try_advisory_lock(hashtext(%s))"

    def _open_guard(self):
        guard = self.connection.__class__(
            {**self.connection.settings_dict, "NAME": "postgres"}, alias=NO_DB_ALIAS
        )
        try:
            guard.ensure_connection()
        except OperationalError:
            guard = self.connection.__class__(dict(self.connection.settings_dict), alias=NO_DB_ALIAS)
            guard.ensure_connection()
        return guard
