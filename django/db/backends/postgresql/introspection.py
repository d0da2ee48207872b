"""Reading table structure from PostgreSQL's catalogs."""
from collections import namedtuple

from django.db.backends.base.introspection import (
    AUTO_FIELD_FOR_INTEGER, BaseDatabaseIntrospection, constraint_info,
)
from django.db.backends.base.introspection import FieldInfo as BaseFieldInfo
from django.db.backends.base.introspection import TableInfo

# is_autofield: the column is an identity column or takes a sequence default.
FieldInfo = namedtuple("FieldInfo", BaseFieldInfo._fields + ("is_autofield",))


# Per column: nullability, default, collation (None for the default one),
# and whether it is an identity column or takes a sequence default.
COLUMN_CATALOGUE_SQL = """
SELECT a.attname,
       NOT a.attnotnull,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid),
       CASE WHEN co.collname = 'default' THEN NULL ELSE co.collname END,
       a.attidentity <> ''
         OR coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '')
            LIKE 'nextval(%%'
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_attrdef ad
       ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
LEFT JOIN pg_catalog.pg_collation co ON a.attcollation = co.oid
JOIN pg_catalog.pg_class c ON a.attrelid = c.oid
WHERE c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped
  AND pg_catalog.pg_table_is_visible(c.oid)
"""

# Per constraint: kind (p, u, f, c), columns, target table and columns, and
# its definition.
CONSTRAINTS_SQL = """
SELECT c.conname,
       c.contype,
       ARRAY(
           SELECT a.attname
           FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_catalog.pg_attribute a
                ON a.attrelid = c.conrelid AND a.attnum = k.attnum
           ORDER BY k.ord
       ),
       (SELECT fc.relname FROM pg_catalog.pg_class fc WHERE fc.oid = c.confrelid),
       ARRAY(
           SELECT a.attname
           FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_catalog.pg_attribute a
                ON a.attrelid = c.confrelid AND a.attnum = k.attnum
           ORDER BY k.ord
       ),
       pg_catalog.pg_get_constraintdef(c.oid)
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
WHERE t.relname = %s AND pg_catalog.pg_table_is_visible(t.oid)
"""

# Per index: access method, unique, primary, key columns (NULL for an
# expression), orders, and its definition.
INDEXES_SQL = """
SELECT ic.relname,
       am.amname,
       i.indisunique,
       i.indisprimary,
       ARRAY(
           SELECT CASE WHEN k.attnum = 0 THEN NULL ELSE a.attname END
           FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
           LEFT JOIN pg_catalog.pg_attribute a
                ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE k.ord <= i.indnkeyatts
           ORDER BY k.ord
       ),
       ARRAY(
           SELECT CASE WHEN (o.opt & 1) = 1 THEN 'DESC' ELSE 'ASC' END
           FROM unnest(i.indoption) WITH ORDINALITY AS o(opt, ord)
           WHERE o.ord <= i.indnkeyatts
           ORDER BY o.ord
       ),
       pg_catalog.pg_get_indexdef(i.indexrelid)
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE t.relname = %s AND pg_catalog.pg_table_is_visible(t.oid)
"""


def _field_info(column, null_ok, default, collation, is_autofield):
    return FieldInfo(
        column.name, column.type_code, column.display_size, column.internal_size,
        column.precision, column.scale, null_ok, default, collation, bool(is_autofield),
    )


def _constraint_entry(kind, columns, target_table, target_columns, definition):
    """get_constraints() entry of a pg_constraint row."""
    return constraint_info(
        columns,
        primary_key=kind == "p",
        unique=kind in ("p", "u"),
        foreign_key=(target_table, target_columns[0]) if kind == "f" else None,
        check=kind == "c",
        definition=definition if kind == "c" else None,
        options=None,
    )


def _index_entry(method, unique, primary, columns, orders, definition):
    """get_constraints() entry of an index; an expression index lists no
    columns and reports its definition instead."""
    on_expression = None in columns
    btree = method == "btree"
    return constraint_info(
        [] if on_expression else columns,
        orders=list(orders) if btree else [],
        primary_key=primary,
        unique=unique,
        index=True,
        type="idx" if btree else method,
        definition=definition if on_expression else None,
        options=None,
    )


class DatabaseIntrospection(BaseDatabaseIntrospection):
    # Field class -> the pg_type OIDs read back as it (several types can
    # map to one field, e.g. char(n) and varchar both to CharField).
    _OIDS_BY_FIELD = {
        "BooleanField": (16,),
        "BinaryField": (17,),
        "SmallIntegerField": (21,),
        "IntegerField": (23,),
        "BigIntegerField": (20,),
        "FloatField": (700, 701),  # real, double precision
        "DecimalField": (1700,),
        "CharField": (1042, 1043),  # char(n), varchar
        "TextField": (25,),
        "DateField": (1082,),
        "TimeField": (1083, 1266),  # without and with time zone
        "DateTimeField": (1114, 1184),  # likewise
        "DurationField": (1186,),
        "GenericIPAddressField": (869,),
        "UUIDField": (2950,),
        "JSONField": (3802,),
    }
    data_types_reverse = {oid: field for field, oids in _OIDS_BY_FIELD.items() for oid in oids}

    def get_field_type(self, data_type, description):
        kind = super().get_field_type(data_type, description)
        if getattr(description, "is_autofield", False):
            return AUTO_FIELD_FOR_INTEGER.get(kind, kind)
        return kind

    def get_table_list(self, cursor):
        """Tables ('t') and views ('v') visible on the search_path."""
        cursor.execute(
            """
            SELECT c.relname,
                   CASE WHEN c.relkind IN ('v', 'm') THEN 'v' ELSE 't' END
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm')
              AND n.nspname NOT IN ('pg_catalog', 'pg_toast', 'information_schema')
              AND pg_catalog.pg_table_is_visible(c.oid)
            """
        )
        return [TableInfo(name, kind) for name, kind in cursor.fetchall()]

    def get_table_description(self, cursor, table_name):
        # The catalogue knows nullability, defaults, collations and identity;
        # the driver's description of a SELECT knows the types and sizes.
        cursor.execute(COLUMN_CATALOGUE_SQL, [table_name])
        catalogue = {name: facts for name, *facts in cursor.fetchall()}
        cursor.execute("SELECT * FROM %s LIMIT 1" % self.connection.ops.quote_name(table_name), ())
        return [_field_info(column, *catalogue[column.name]) for column in cursor.description]

    def get_sequences(self, cursor, table_name, table_fields=()):
        cursor.execute(
            """
            SELECT s.relname, a.attname
            FROM pg_catalog.pg_class s
            JOIN pg_catalog.pg_depend d ON d.objid = s.oid
                 AND d.classid = 'pg_catalog.pg_class'::regclass
                 AND d.refclassid = 'pg_catalog.pg_class'::regclass
            JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid
                 AND a.attnum = d.refobjsubid
            JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
            WHERE s.relkind = 'S' AND t.relname = %s
              AND pg_catalog.pg_table_is_visible(t.oid)
            """,
            [table_name],
        )
        return [
            {"name": name, "table": table_name, "column": column}
            for name, column in cursor.fetchall()
        ]

    def get_relations(self, cursor, table_name):
        """{column: (referenced column, referenced table)} for single-column FKs."""
        return {
            info["columns"][0]: info["foreign_key"][::-1]
            for info in self.get_constraints(cursor, table_name).values()
            if info["foreign_key"] and len(info["columns"]) == 1
        }

    def get_constraints(self, cursor, table_name):
        cursor.execute(CONSTRAINTS_SQL, [table_name])
        found = {
            name: _constraint_entry(kind, columns, target_table, target_columns, definition)
            for name, kind, columns, target_table, target_columns, definition in cursor.fetchall()
        }
        # Indexes; those that implement a constraint above are already in.
        cursor.execute(INDEXES_SQL, [table_name])
        for name, *index in cursor.fetchall():
            found.setdefault(name, _index_entry(*index))
        return found
