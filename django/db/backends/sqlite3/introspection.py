"""Reading table structure from sqlite_master and the PRAGMAs."""
import re
from collections import namedtuple

from django.db import DatabaseError
from django.db.backends.base.introspection import BaseDatabaseIntrospection
from django.db.backends.base.introspection import FieldInfo as BaseFieldInfo
from django.db.backends.base.introspection import TableInfo

FieldInfo = namedtuple("FieldInfo", BaseFieldInfo._fields + ("pk", "has_json_constraint"))

field_size_re = re.compile(r"^\s*(?:var)?char\s*\(\s*(\d+)\s*\)\s*$")


def get_field_size(name):
    """Extract the size number from a "varchar(11)" type name."""
    m = field_size_re.search(name)
    return int(m[1]) if m else None


class FlexibleFieldLookupDict:
    """
    Map a declared SQLite column type to a field class name. SQLite keeps the
    declared type verbatim, so match case-insensitively and ignore sizes.
    """

    base_data_types_reverse = {
        "bool": "BooleanField",
        "boolean": "BooleanField",
        "smallint": "SmallIntegerField",
        "smallint unsigned": "PositiveSmallIntegerField",
        "smallinteger": "SmallIntegerField",
        "int": "IntegerField",
        "integer": "IntegerField",
        "bigint": "BigIntegerField",
        "integer unsigned": "PositiveIntegerField",
        "bigint unsigned": "PositiveBigIntegerField",
        "decimal": "DecimalField",
        "real": "FloatField",
        "text": "TextField",
        "char": "CharField",
        "varchar": "CharField",
        "blob": "BinaryField",
        "date": "DateField",
        "datetime": "DateTimeField",
        "time": "TimeField",
    }

    def __getitem__(self, key):
        key = key.lower().split("(", 1)[0].strip()
        return self.base_data_types_reverse[key]


class DatabaseIntrospection(BaseDatabaseIntrospection):
    data_types_reverse = FlexibleFieldLookupDict()

    def get_field_type(self, data_type, description):
        field_type = super().get_field_type(data_type, description)
        if description.pk and field_type in {"BigIntegerField", "IntegerField", "SmallIntegerField"}:
            # No support for BigAutoField or SmallAutoField as SQLite treats
            # all integer primary keys as signed 64-bit integers.
            return "AutoField"
        if description.has_json_constraint:
            return "JSONField"
        return field_type

    def get_table_list(self, cursor):
        """Return a list of table and view names in the current database."""
        # Skip the sqlite_sequence system table used for autoincrement key
        # generation.
        cursor.execute(
            """
            SELECT name, type FROM sqlite_master
            WHERE type in ('table', 'view') AND NOT name LIKE 'sqlite\\_%' ESCAPE '\\'
            ORDER BY name"""
        )
        return [TableInfo(row[0], row[1][0]) for row in cursor.fetchall()]

    def _table_sql(self, cursor, table_name):
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type IN ('table', 'view') AND name = %s",
            [table_name],
        )
        row = cursor.fetchone()
        return row[0] if row else None

    def get_table_description(self, cursor, table_name):
        """
        Return a description of the table with the DB-API cursor.description
        interface.
        """
        cursor.execute("PRAGMA table_info(%s)" % self.connection.ops.quote_name(table_name))
        table_info = cursor.fetchall()
        if not table_info:
            raise DatabaseError(f"Table {table_name} does not exist (empty pragma).")
        json_columns = set()
        if self.connection.features.can_introspect_json_field:
            sql = self._table_sql(cursor, table_name) or ""
            for line in table_info:
                column = line[1]
                # Columns declared with a JSON_VALID() check (JSONField).
                if re.search(
                    r'json_valid\(\s*["`\[]?%s["`\]]?\s*\)' % re.escape(column), sql, re.IGNORECASE
                ):
                    json_columns.add(column)
        return [
            FieldInfo(
                name,
                data_type,
                get_field_size(data_type),
                None,
                None,
                None,
                not notnull,
                default,
                None,
                pk == 1,
                name in json_columns,
            )
            for cid, name, data_type, notnull, default, pk in table_info
        ]

    def get_sequences(self, cursor, table_name, table_fields=()):
        pk_col = self.get_primary_key_column(cursor, table_name)
        return [{"table": table_name, "column": pk_col}]

    def get_relations(self, cursor, table_name):
        """
        Return a dictionary of {column_name: (ref_column_name, ref_table_name)}
        representing all foreign keys in the given table.
        """
        cursor.execute("PRAGMA foreign_key_list(%s)" % self.connection.ops.quote_name(table_name))
        return {
            column_name: (ref_column_name, ref_table_name)
            for (_, _, ref_table_name, column_name, ref_column_name, *_) in cursor.fetchall()
        }

    def get_primary_key_columns(self, cursor, table_name):
        cursor.execute("PRAGMA table_info(%s)" % self.connection.ops.quote_name(table_name))
        rows = [row for row in cursor.fetchall() if row[5]]
        return [name for _, name, *_ in sorted(rows, key=lambda row: row[5])] or None

    def _named_constraints(self, table_sql):
        """
        Find the CONSTRAINT "name" UNIQUE (...) / CHECK (...) clauses of a
        CREATE TABLE statement. Returns {name: (kind, columns_or_None)}.
        """
        found = {}
        if not table_sql:
            return found
        pattern = re.compile(
            r'CONSTRAINT\s+(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|(\w+))\s+(UNIQUE|CHECK|PRIMARY\s+KEY|FOREIGN\s+KEY)\s*\(',
            re.IGNORECASE,
        )
        for match in pattern.finditer(table_sql):
            name = next(g for g in match.groups()[:4] if g is not None).replace('""', '"')
            kind = match.group(5).upper().split()[0]
            # Read the balanced parenthesised body.
            depth, i = 1, match.end()
            while i < len(table_sql) and depth:
                if table_sql[i] == "(":
                    depth += 1
                elif table_sql[i] == ")":
                    depth -= 1
                i += 1
            body = table_sql[match.end() : i - 1]
            columns = None
            if kind == "UNIQUE":
                columns = [c.strip().strip('"`[]') for c in body.split(",")]
            elif kind == "CHECK":
                columns = [
                    c for c in re.findall(r'"((?:[^"]|"")+)"', body)
                ]
            found[name] = (kind, columns)
        return found

    def get_constraints(self, cursor, table_name):
        """
        Retrieve any constraints or keys (unique, pk, fk, check, index) across
        one or more columns.
        """
        constraints = {}
        quoted = self.connection.ops.quote_name(table_name)
        table_sql = self._table_sql(cursor, table_name)
        named = self._named_constraints(table_sql)
        unique_by_columns = {
            tuple(cols): name for name, (kind, cols) in named.items() if kind == "UNIQUE"
        }
        for name, (kind, cols) in named.items():
            if kind == "CHECK":
                constraints[name] = {
                    "columns": cols or [],
                    "primary_key": False,
                    "unique": False,
                    "foreign_key": None,
                    "check": True,
                    "index": False,
                }
        # Indexes, including the automatic ones of UNIQUE/PRIMARY KEY.
        cursor.execute("PRAGMA index_list(%s)" % quoted)
        for row in cursor.fetchall():
            # seq, name, unique, origin, partial
            index, unique, origin = row[1], bool(row[2]), row[3] if len(row) > 3 else "c"
            cursor.execute("PRAGMA index_xinfo(%s)" % self.connection.ops.quote_name(index))
            info = [r for r in cursor.fetchall() if r[5]]  # key columns only
            info.sort(key=lambda r: r[0])
            columns = [r[2] for r in info]
            orders = ["DESC" if r[3] else "ASC" for r in info]
            if origin == "pk":
                continue  # reported as __primary__ below
            name = index
            if origin == "u":
                name = unique_by_columns.get(tuple(columns), index)
            constraints[name] = {
                "columns": columns,
                "primary_key": False,
                "unique": unique,
                "foreign_key": None,
                "check": False,
                "index": origin == "c",
                "orders": orders if origin == "c" else [],
                "type": "idx" if origin == "c" else None,
            }
            if origin == "c":
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [index]
                )
                sql_row = cursor.fetchone()
                if sql_row and sql_row[0] and None in columns:
                    # Expression index: columns are not introspectable.
                    constraints[name]["columns"] = []
        # Primary key.
        pk_columns = self.get_primary_key_columns(cursor, table_name)
        if pk_columns:
            # SQLite doesn't actually give a name to the PK constraint, so we
            # invent one (it's only used by Django for identification).
            constraints["__primary__"] = {
                "columns": pk_columns,
                "primary_key": True,
                "unique": False,  # It's not actually a unique constraint.
                "foreign_key": None,
                "check": False,
                "index": False,
            }
        # Foreign keys.
        cursor.execute("PRAGMA foreign_key_list(%s)" % quoted)
        fks = {}
        for id_, seq, ref_table, from_col, to_col, *_ in cursor.fetchall():
            fks.setdefault(id_, []).append((seq, ref_table, from_col, to_col))
        for id_, parts in sorted(fks.items()):
            parts.sort()
            name = "fk_%d" % id_
            constraints[name] = {
                "columns": [p[2] for p in parts],
                "primary_key": False,
                "unique": False,
                "foreign_key": (parts[0][1], parts[0][3]),
                "check": False,
                "index": False,
            }
        return constraints
