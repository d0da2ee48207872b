"""Test databases on MariaDB / MySQL."""
import os

from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.base.creation import BaseDatabaseCreation


class DatabaseCreation(BaseDatabaseCreation):
    def _quote(self, name):
        return self.connection.ops.quote_name(name)

    def sql_table_creation_suffix(self):
        """
        utf8mb4 (all of Unicode, emoji included) with a binary collation by
        default: unique constraints, IN, ORDER BY and GROUP BY then treat
        text as PostgreSQL (C collation) and SQLite do -- case-sensitive, in
        code point order. TEST_DATABASE_CHARSET / TEST_DATABASE_COLLATION
        override it.
        """
        from django.conf import settings

        charset = getattr(settings, "TEST_DATABASE_CHARSET", None) or "utf8mb4"
        collation = getattr(settings, "TEST_DATABASE_COLLATION", None)
        if collation is None and charset == "utf8mb4":
            collation = self.connection.features.case_sensitive_collation
        suffix = "CHARACTER SET %s" % self._keyword(charset)
        if collation:
            suffix += " COLLATE %s" % self._keyword(collation)
        return suffix

    @staticmethod
    def _keyword(value):
        value = str(value)
        if not value.replace("_", "").isalnum():
            raise ValueError("Invalid character set or collation name: %r" % value)
        return value

    @staticmethod
    def _database_exists(cursor, name):
        cursor.execute(
            "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", [name]
        )
        return cursor.fetchone() is not None

    # Named locks are server-wide; names are limited to 64 characters.
    lock_sql = "SELECT GET_LOCK(LEFT(%s, 64), 0)"

    def _open_guard(self):
        guard = self.connection.__class__(
            {**self.connection.settings_dict, "NAME": None}, alias=NO_DB_ALIAS
        )
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
        says; ``keepdb`` reuses it on purpose.
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
                cursor.execute("DROP DATABASE %s" % self._quote(name))
            cursor.execute(
                "CREATE DATABASE %s %s" % (self._quote(name), self.sql_table_creation_suffix())
            )
        return name

    def _destroy_test_db(self, test_database_name, verbosity):
        with self._nodb_cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS %s" % self._quote(test_database_name))
