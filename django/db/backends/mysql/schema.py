"""MySQL/MariaDB DDL: InnoDB tables, backtick quoting (ops.quote_name), no
partial indexes, no index on TEXT without a prefix length, MySQL's own
syntax for dropping indexes and checks."""
from django.db.backends.base.schema import _BOOLS_AS_DIGITS, _LITERAL_SPELLINGS, BaseDatabaseSchemaEditor


def _mysql_text(value):
    # MySQL treats backslash as an escape character in literals.
    return "'%s'" % value.replace("\\", "\\\\").replace("'", "''")


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    sql_delete_table = "DROP TABLE %(table)s CASCADE"
    sql_delete_index = "DROP INDEX %(name)s ON %(table)s"
    sql_delete_unique = "ALTER TABLE %(table)s DROP INDEX %(name)s"
    sql_delete_fk = "ALTER TABLE %(table)s DROP FOREIGN KEY %(name)s"

    @property
    def sql_delete_check(self):
        # MariaDB says DROP CONSTRAINT; MySQL 8 says DROP CHECK.
        if getattr(self.connection, "mysql_is_mariadb", False):
            return "ALTER TABLE %(table)s DROP CONSTRAINT %(name)s"
        return "ALTER TABLE %(table)s DROP CHECK %(name)s"
    sql_delete_column = "ALTER TABLE %(table)s DROP COLUMN %(column)s"

    def table_sql_suffix(self, model):
        engine = getattr(self.connection.features, "table_storage_engine", None) or "InnoDB"
        return " ENGINE=%s" % engine

    _literal_spellings = _BOOLS_AS_DIGITS + ((str, _mysql_text),) + _LITERAL_SPELLINGS
