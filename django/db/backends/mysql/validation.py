"""System checks specific to MariaDB / MySQL."""
from django.db.backends.base.validation import BaseDatabaseValidation


class DatabaseValidation(BaseDatabaseValidation):
    def check(self, **kwargs):
        return list(super().check(**kwargs)) + self._check_sql_mode()

    def _check_sql_mode(self):
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
                hint="The backend sets STRICT_TRANS_TABLES unless DATABASE_OPTIONS "
                "['sql_mode'] overrides it; without it, too long values are "
                "truncated silently.",
                id="mysql.W002",
            )
        ]

    def check_field_type(self, field, field_type):
        """
        An index on a varchar longer than 768 characters exceeds InnoDB's
        3072-byte key limit in utf8mb4; a TextField cannot be unique.
        """
        from django.core import checks

        errors = []
        internal_type = field.get_internal_type()
        if (
            field_type.startswith("varchar")
            and getattr(field, "unique", False)
            and (field.max_length is None or int(field.max_length) > 768)
        ):
            errors.append(
                checks.Warning(
                    "MariaDB/MySQL cannot index a unique CharField with max_length > 768 "
                    "in utf8mb4 (3072-byte key limit).",
                    obj=field,
                    id="mysql.W003",
                )
            )
        if internal_type in ("TextField", "BinaryField", "JSONField") and getattr(
            field, "unique", False
        ):
            errors.append(
                checks.Error(
                    "MariaDB/MySQL does not support a unique %s without a key length."
                    % internal_type,
                    obj=field,
                    id="mysql.E001",
                )
            )
        return errors
