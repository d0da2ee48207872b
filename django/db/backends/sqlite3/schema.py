"""SQLite DDL: constraints live inside CREATE TABLE (SQLite cannot ALTER
TABLE ... ADD CONSTRAINT); unique constraints added later become unique
indexes."""
from django.db.backends.base.schema import _BOOLS_AS_DIGITS, _LITERAL_SPELLINGS, BaseDatabaseSchemaEditor


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    sql_delete_table = "DROP TABLE %(table)s"
    sql_create_unique = "CREATE UNIQUE INDEX %(name)s ON %(table)s (%(columns)s)"
    sql_delete_unique = "DROP INDEX %(name)s"
    sql_delete_column = "ALTER TABLE %(table)s DROP COLUMN %(column)s"
    # SQLite cannot add constraints later: foreign keys are inline, and
    # deferred so that rows may be inserted/deleted in any order inside a
    # transaction.
    sql_create_inline_fk = "REFERENCES %(to_table)s (%(to_column)s)%(deferrable)s"

    _literal_spellings = _BOOLS_AS_DIGITS + _LITERAL_SPELLINGS

    def _create_check_sql(self, model, name, check):
        from django.db import NotSupportedError

        raise NotSupportedError(
            "SQLite cannot add the check constraint %r to the existing table %s: "
            "declare it in Meta.constraints before the table is created." % (name, model._meta.db_table)
        )

    _delete_check_sql = _create_check_sql
