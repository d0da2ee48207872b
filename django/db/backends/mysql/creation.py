"""Test databases on MariaDB / MySQL."""
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.base.creation import ServerDatabaseCreation, test_settings


class DatabaseCreation(ServerDatabaseCreation):
    def sql_table_creation_suffix(self):
        """
        utf8mb4 (all of Unicode, emoji included) with a binary collation by
        default: unique constraints, IN, ORDER BY and GROUP BY then treat
        text as PostgreSQL (C collation) and SQLite do -- case-sensitive, in
        code point order. The alias's TEST CHARSET / COLLATION override it.
        """
        test = test_settings(self.connection)
        charset = test.get("CHARSET") or "utf8mb4"
        collation = test.get("COLLATION")
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
    def _has_database(cursor, name):
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
