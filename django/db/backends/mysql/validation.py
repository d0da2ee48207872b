"""System checks specific to MariaDB / MySQL."""
from django.db.backends.base.validation import BaseDatabaseValidation

# utf8mb4 takes up to 4 bytes a character; InnoDB keys hold 3072 bytes.
MAX_INDEXED_VARCHAR = 768
# Column types that only take an index with an explicit key length.
UNINDEXABLE_TYPES = frozenset({"TextField", "BinaryField", "JSONField"})


class DatabaseValidation(BaseDatabaseValidation):
    def check(self, **kwargs):
        return list(super().check(**kwargs)) + self._strict_mode_warnings()

    def _strict_mode_warnings(self):
        """Without strict mode the server truncates bad data with a warning."""
        from django.core import checks

        with self.connection.cursor() as cursor:
            cursor.execute("SELECT @@sql_mode")
            modes = set((cursor.fetchone()[0] or "").upper().split(","))
        if modes & {"STRICT_TRANS_TABLES", "STRICT_ALL_TABLES"}:
            return []
        return [
            checks.Warning(
                "MariaDB/MySQL strict mode is not set for the database connection",
                hint="The backend sets STRICT_TRANS_TABLES unless the alias's OPTIONS "
                "['sql_mode'] in DATABASES overrides it; without it, too long values are "
                "truncated silently.",
                id="mysql.W002",
            )
        ]

    def check_field_type(self, field, field_type):
        """Unique columns InnoDB cannot index: a varchar longer than 768
        characters exceeds the 3072-byte key limit in utf8mb4, and TEXT,
        BLOB and JSON need a key length."""
        from django.core import checks

        if not getattr(field, "unique", False):
            return []
        kind = field.get_internal_type()
        if kind in UNINDEXABLE_TYPES:
            message = "MariaDB/MySQL does not support a unique %s without a key length." % kind
            return [checks.Error(message, obj=field, id="mysql.E001")]
        too_long = field.max_length is None or int(field.max_length) > MAX_INDEXED_VARCHAR
        if field_type.startswith("varchar") and too_long:
            message = (
                "MariaDB/MySQL cannot index a unique CharField with max_length > %d in utf8mb4 "
                "(3072-byte key limit)." % MAX_INDEXED_VARCHAR
            )
            return [checks.Warning(message, obj=field, id="mysql.W003")]
        return []
