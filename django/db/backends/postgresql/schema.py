"""PostgreSQL DDL: identity columns come from the wrapper's
``data_types_suffix``; everything else is the standard SQL of the base."""
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    sql_delete_index = "DROP INDEX IF EXISTS %(name)s"

    def quote_value(self, value):
        if isinstance(value, (bytes, bytearray, memoryview)):
            return "'\\x%s'::bytea" % bytes(value).hex()
        return super().quote_value(value)
