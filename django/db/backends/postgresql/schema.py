"""PostgreSQL DDL: identity columns come from the wrapper's
``data_types_suffix``; everything else is the standard SQL of the base."""
from django.db.backends.base.schema import _LITERAL_SPELLINGS, BaseDatabaseSchemaEditor


def _bytea_literal(value):
    return "'\\x%s'::bytea" % bytes(value).hex()


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    sql_delete_index = "DROP INDEX IF EXISTS %(name)s"

    _literal_spellings = (((bytes, bytearray, memoryview), _bytea_literal),) + _LITERAL_SPELLINGS
