"""Test databases on PostgreSQL."""
import os

from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.utils import OperationalError


class DatabaseCreation(BaseDatabaseCreation):
    def _quote(self, name):
        return self.connection.ops.quote_name(name)

    def sql_table_creation_suffix(self):
        """
        Copy template0, not template1: template0 never has sessions, so the
        copy cannot fail with "source database is being accessed by other
        users", and nothing added to template1 leaks into the tests.
        """
        from django.conf import settings

        suffix = "TEMPLATE template0"
        charset = getattr(settings, "TEST_DATABASE_CHARSET", None)
        if charset:
            suffix += " ENCODING '%s'" % str(charset).replace("'", "''")
        return suffix

    @staticmethod
    def _database_exists(cursor, name):
        cursor.execute("SELECT 1 FROM pg_catalog.pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None

    def _drop_database(self, cursor, name):
        """Drop ``name`` even if sessions (e.g. of a killed run) still use it."""
        if cursor.db.get_database_version() >= (13,):
            cursor.execute("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self._quote(name))
            return
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        cursor.execute("DROP DATABASE IF EXISTS %s" % self._quote(name))

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

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=False, keepdb=False):
        """
        Claim the test database for this run first: a lock held by a guard
        connection until destroy_test_db() (or until the process dies, which
        releases it). A database whose lock another process holds belongs to
        a live run -- a test that starts the runner in a subprocess, or a
        second run on a shared server -- not to a killed one: it is left
        alone and this run uses a name of its own instead.
        """
        self._original_test_name = self.connection.settings_dict.get("TEST_NAME")
        name = self._get_test_db_name()
        self._guard = self._open_guard()
        if not self._try_lock(name):
            alternative = "%s_%d" % (name[: self.connection.ops.max_name_length() - 8], os.getpid())
            self.log(
                "Test database '%s' is in use by another test run; using '%s' instead."
                % (name, alternative)
            )
            self.connection.settings_dict["TEST_NAME"] = alternative
            self._try_lock(alternative)
        return super().create_test_db(verbosity, autoclobber, serialize, keepdb)

    def destroy_test_db(self, old_database_name=None, verbosity=1, keepdb=False, suffix=None):
        try:
            super().destroy_test_db(old_database_name, verbosity, keepdb, suffix)
        finally:
            guard = getattr(self, "_guard", None)
            if guard is not None:
                guard.close()  # releases the lock
                self._guard = None
            if hasattr(self, "_original_test_name"):
                self.connection.settings_dict["TEST_NAME"] = self._original_test_name

    def _try_lock(self, name):
        with self._guard.cursor() as cursor:
            cursor.execute(self.lock_sql, ["django-test-db:%s" % name])
            return bool(cursor.fetchone()[0])

    def _create_test_db(self, verbosity, autoclobber, keepdb=False):
        """
        Create the test database. One left over from an earlier (killed) run
        is dropped and recreated, with a message, whatever ``autoclobber``
        says: reusing it silently would run the tests on a stale schema.
        ``keepdb`` reuses it on purpose.
        """
        name = self._get_test_db_name()
        with self._nodb_cursor() as cursor:
            if self._database_exists(cursor, name):
                if keepdb:
                    return name
                if verbosity >= 1:
                    self.log(
                        "Destroying old test database '%s' for alias '%s' "
                        "(left over from an earlier run)..." % (name, self.connection.alias)
                    )
                self._drop_database(cursor, name)
            cursor.execute(
                "CREATE DATABASE %s %s" % (self._quote(name), self.sql_table_creation_suffix())
            )
        return name

    def _destroy_test_db(self, test_database_name, verbosity):
        with self._nodb_cursor() as cursor:
            self._drop_database(cursor, test_database_name)
