"""Reading table structure from MariaDB/MySQL's information_schema."""
from collections import namedtuple

from pymysql.constants import FIELD_TYPE

from django.db.backends.base.introspection import (
    AUTO_FIELD_FOR_INTEGER, BaseDatabaseIntrospection, constraint_info,
)
from django.db.backends.base.introspection import FieldInfo as BaseFieldInfo
from django.db.backends.base.introspection import TableInfo

# extra: information_schema.COLUMNS.EXTRA (e.g. "auto_increment");
# is_unsigned: the column is UNSIGNED.
FieldInfo = namedtuple("FieldInfo", BaseFieldInfo._fields + ("extra", "is_unsigned"))


# Per column: nullability, default, collation, length, precision, scale,
# EXTRA and whether it is unsigned.
COLUMN_CATALOGUE_SQL = """
SELECT COLUMN_NAME, IS_NULLABLE = 'YES', COLUMN_DEFAULT, COLLATION_NAME,
       CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE,
       EXTRA, COLUMN_TYPE LIKE '%% unsigned%%'
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s
"""
# Primary keys, uniques and foreign keys with their columns, in key order.
KEY_COLUMNS_SQL = """
SELECT kc.CONSTRAINT_NAME, kc.COLUMN_NAME,
       kc.REFERENCED_TABLE_NAME, kc.REFERENCED_COLUMN_NAME, c.CONSTRAINT_TYPE
FROM information_schema.KEY_COLUMN_USAGE kc
JOIN information_schema.TABLE_CONSTRAINTS c
     ON c.CONSTRAINT_SCHEMA = kc.CONSTRAINT_SCHEMA
    AND c.TABLE_NAME = kc.TABLE_NAME
    AND c.CONSTRAINT_NAME = kc.CONSTRAINT_NAME
WHERE kc.TABLE_SCHEMA = DATABASE() AND kc.TABLE_NAME = %s
ORDER BY kc.CONSTRAINT_NAME, kc.ORDINAL_POSITION
"""
# Check constraints. MariaDB also lists the JSON_VALID() checks it adds for
# JSON columns; they are named after their column.
CHECKS_SQL = """
SELECT cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS cc
JOIN information_schema.TABLE_CONSTRAINTS tc
     ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA
    AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
WHERE cc.CONSTRAINT_SCHEMA = DATABASE() AND tc.TABLE_NAME = %s
  AND tc.CONSTRAINT_TYPE = 'CHECK'
"""


def _field_info(column, null_ok, default, collation, length, precision, scale, extra, unsigned):
    """The driver's description of ``column``, completed from the catalogue
    (whose sizes win where it has them)."""
    sizes = [reported if known is None else known
             for known, reported in zip((length, precision, scale), column[3:6])]
    return FieldInfo(
        column[0], column[1], column[2], *sizes, bool(null_ok), default, collation,
        extra or "", bool(unsigned),
    )


def _add_index_column(found, name, non_unique, column, collation, method):
    """Fold one SHOW INDEX row into ``found``."""
    entry = found.get(name)
    if entry is None:
        entry = found[name] = constraint_info(primary_key=name == "PRIMARY", unique=not non_unique)
    entry["index"] = True
    entry.setdefault("type", "idx" if method == "BTREE" else method.lower())
    entry.setdefault("orders", [])
    if column not in entry["columns"]:
        entry["columns"].append(column)
    entry["orders"].append("DESC" if collation == "D" else "ASC")


class DatabaseIntrospection(BaseDatabaseIntrospection):
    # Field class -> the protocol type codes PyMySQL reports for it.
    _CODES_BY_FIELD = {
        "IntegerField": (FIELD_TYPE.TINY, FIELD_TYPE.INT24, FIELD_TYPE.LONG),
        "SmallIntegerField": (FIELD_TYPE.SHORT,),
        "BigIntegerField": (FIELD_TYPE.LONGLONG,),
        "FloatField": (FIELD_TYPE.FLOAT, FIELD_TYPE.DOUBLE),
        "DecimalField": (FIELD_TYPE.DECIMAL, FIELD_TYPE.NEWDECIMAL),
        # (FIELD_TYPE.CHAR is TINY's legacy alias, code 1: not a text type.)
        "CharField": (FIELD_TYPE.STRING, FIELD_TYPE.VAR_STRING),
        # TEXT and BLOB share these codes; get_field_type() tells them apart.
        "TextField": (
            FIELD_TYPE.TINY_BLOB,
            FIELD_TYPE.BLOB,
            FIELD_TYPE.MEDIUM_BLOB,
            FIELD_TYPE.LONG_BLOB,
        ),
        "DateField": (FIELD_TYPE.DATE,),
        "TimeField": (FIELD_TYPE.TIME,),
        "DateTimeField": (FIELD_TYPE.DATETIME, FIELD_TYPE.TIMESTAMP),
        "JSONField": (FIELD_TYPE.JSON,),
    }
    data_types_reverse = {code: field for field, codes in _CODES_BY_FIELD.items() for code in codes}

    def get_field_type(self, data_type, description):
        field_type = super().get_field_type(data_type, description)
        if "auto_increment" in (getattr(description, "extra", "") or ""):
            return AUTO_FIELD_FOR_INTEGER.get(field_type, field_type)
        if field_type == "TextField" and getattr(description, "collation", "") is None:
            # BLOB/TEXT share a type code; only binary columns have no collation.
            return "BinaryField"
        if getattr(description, "is_unsigned", False):
            return {
                "IntegerField": "PositiveIntegerField",
                "BigIntegerField": "PositiveBigIntegerField",
                "SmallIntegerField": "PositiveSmallIntegerField",
            }.get(field_type, field_type)
        return field_type

    def get_table_list(self, cursor):
        cursor.execute(
            "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE()"
        )
        return [
            TableInfo(name, "v" if kind == "VIEW" else "t") for name, kind in cursor.fetchall()
        ]

    def get_table_description(self, cursor, table_name):
        # information_schema knows nullability, defaults, collations, sizes
        # and EXTRA; the driver's description of a SELECT knows the types.
        cursor.execute(COLUMN_CATALOGUE_SQL, [table_name])
        catalogue = {name: facts for name, *facts in cursor.fetchall()}
        cursor.execute("SELECT * FROM %s LIMIT 1" % self.connection.ops.quote_name(table_name), ())
        return [_field_info(column, *catalogue[column[0]]) for column in cursor.description]

    def get_sequences(self, cursor, table_name, table_fields=()):
        cursor.execute(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s AND EXTRA LIKE %s",
            [table_name, "%auto_increment%"],
        )
        return [{"table": table_name, "column": row[0]} for row in cursor.fetchall()]

    def get_relations(self, cursor, table_name):
        cursor.execute(
            """
            SELECT COLUMN_NAME, REFERENCED_COLUMN_NAME, REFERENCED_TABLE_NAME
            FROM information_schema.KEY_COLUMN_USAGE
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s
              AND REFERENCED_TABLE_NAME IS NOT NULL
            """,
            [table_name],
        )
        return {column: (ref_column, ref_table) for column, ref_column, ref_table in cursor.fetchall()}

    def get_storage_engine(self, cursor, table_name):
        cursor.execute(
            "SELECT ENGINE FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s",
            [table_name],
        )
        engines = [engine for (engine,) in cursor.fetchall()]
        return engines[0] if engines else None

    def get_constraints(self, cursor, table_name):
        found = {}
        cursor.execute(KEY_COLUMNS_SQL, [table_name])
        for name, column, target_table, target_column, kind in cursor.fetchall():
            if name not in found:
                found[name] = constraint_info(
                    primary_key=kind == "PRIMARY KEY",
                    unique=kind in ("PRIMARY KEY", "UNIQUE"),
                    foreign_key=(target_table, target_column) if target_table else None,
                )
            found[name]["columns"].append(column)
        cursor.execute(CHECKS_SQL, [table_name])
        found.update(
            (name, constraint_info(check=True, definition=clause)) for name, clause in cursor.fetchall()
        )
        # Indexes, one row per column (InnoDB implements PRIMARY, UNIQUE
        # and foreign keys with them, so most names are already known).
        cursor.execute("SHOW INDEX FROM %s" % self.connection.ops.quote_name(table_name), ())
        for row in cursor.fetchall():
            _add_index_column(found, *(row[i] for i in (2, 1, 4, 5, 10)))
        return found
