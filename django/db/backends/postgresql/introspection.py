"""Reading table structure from PostgreSQL's catalogs."""
from collections import namedtuple

from django.db.backends.base.introspection import AUTO_FIELD_FOR_INTEGER, BaseDatabaseIntrospection
from django.db.backends.base.introspection import FieldInfo as BaseFieldInfo
from django.db.backends.base.introspection import TableInfo

# is_autofield: the column is an identity column or takes a sequence default.
FieldInfo = namedtuple("FieldInfo", BaseFieldInfo._fields + ("is_autofield",))


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
        cursor.execute(
            """
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
            """,
            [table_name],
        )
        extra = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT * FROM %s LIMIT 1" % self.connection.ops.quote_name(table_name), ())
        description = []
        for column in cursor.description:
            null_ok, default, collation, is_autofield = extra[column.name]
            description.append(
                FieldInfo(
                    column.name,
                    column.type_code,
                    column.display_size,
                    column.internal_size,
                    column.precision,
                    column.scale,
                    null_ok,
                    default,
                    collation,
                    bool(is_autofield),
                )
            )
        return description

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
        constraints = {}
        # Constraints proper: primary keys, uniques, foreign keys, checks.
        cursor.execute(
            """
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
            """,
            [table_name],
        )
        for name, kind, columns, ref_table, ref_columns, definition in cursor.fetchall():
            constraints[name] = {
                "columns": list(columns),
                "primary_key": kind == "p",
                "unique": kind in ("p", "u"),
                "foreign_key": (ref_table, ref_columns[0]) if kind == "f" else None,
                "check": kind == "c",
                "index": False,
                "definition": definition if kind == "c" else None,
                "options": None,
            }
        # Indexes, including those backing the constraints above.
        cursor.execute(
            """
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
            """,
            [table_name],
        )
        for name, method, unique, primary, columns, orders, definition in cursor.fetchall():
            if name in constraints:
                # The index that implements a PK/unique constraint.
                continue
            expression_index = any(column is None for column in columns)
            constraints[name] = {
                "columns": [] if expression_index else list(columns),
                "orders": list(orders) if method == "btree" else [],
                "primary_key": primary,
                "unique": unique,
                "foreign_key": None,
                "check": False,
                "index": True,
                "type": "idx" if method == "btree" else method,
                "definition": definition if expression_index else None,
                "options": None,
            }
        return constraints
