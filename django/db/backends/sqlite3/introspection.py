"""
Reading table structure back from SQLite.

SQLite keeps each table's CREATE statement verbatim in sqlite_master and
exposes columns, indexes and foreign keys through PRAGMAs; everything here
is derived from those two sources.
"""
import re
from collections import namedtuple

from django.db import DatabaseError
from django.db.backends.base.introspection import BaseDatabaseIntrospection
from django.db.backends.base.introspection import FieldInfo as _PortableFieldInfo
from django.db.backends.base.introspection import TableInfo

# Two SQLite-only extras: whether the column is (part of) the primary key,
# and whether a JSON_VALID() check marks it as a JSONField.
FieldInfo = namedtuple("FieldInfo", _PortableFieldInfo._fields + ("pk", "has_json_constraint"))

_SIZED_TEXT = re.compile(r"^\s*(?:var)?char\s*\(\s*(\d+)\s*\)\s*$")


def get_field_size(name):
    """The N of a declared "char(N)"/"varchar(N)" type, else None."""
    found = _SIZED_TEXT.search(name)
    return int(found[1]) if found else None


# Declared type (lower case, size stripped) -> field class.  SQLite accepts
# any type name, so this lists the ones our schema editor and common
# hand-written DDL produce.
_DECLARED_TYPES = {
    **dict.fromkeys(("bool", "boolean"), "BooleanField"),
    **dict.fromkeys(("int", "integer"), "IntegerField"),
    **dict.fromkeys(("smallint", "smallinteger"), "SmallIntegerField"),
    **dict.fromkeys(("char", "varchar"), "CharField"),
    "bigint": "BigIntegerField",
    "smallint unsigned": "PositiveSmallIntegerField",
    "integer unsigned": "PositiveIntegerField",
    "bigint unsigned": "PositiveBigIntegerField",
    "decimal": "DecimalField",
    "real": "FloatField",
    "text": "TextField",
    "blob": "BinaryField",
    "date": "DateField",
    "datetime": "DateTimeField",
    "time": "TimeField",
}
_INTEGER_FIELDS = frozenset({"BigIntegerField", "IntegerField", "SmallIntegerField"})


class _DeclaredTypeMap:
    """Mapping-like view of _DECLARED_TYPES that normalises the key."""

    def __getitem__(self, declared):
        return _DECLARED_TYPES[declared.lower().split("(", 1)[0].strip()]


def _base_constraint(**flags):
    """A get_constraints() entry with every flag off unless given."""
    entry = {
        "columns": [],
        "primary_key": False,
        "unique": False,
        "foreign_key": None,
        "check": False,
        "index": False,
    }
    entry.update(flags)
    return entry


class DatabaseIntrospection(BaseDatabaseIntrospection):
    data_types_reverse = _DeclaredTypeMap()

    def get_field_type(self, data_type, description):
        kind = super().get_field_type(data_type, description)
        if description.pk and kind in _INTEGER_FIELDS:
            # Every integer primary key is SQLite's 64-bit rowid alias, so
            # there is nothing to tell Big/Small auto fields apart by.
            return "AutoField"
        return "JSONField" if description.has_json_constraint else kind

    def get_table_list(self, cursor):
        # sqlite_* names are SQLite's own bookkeeping (e.g. sqlite_sequence).
        cursor.execute(
            "SELECT name, type FROM sqlite_master "
            "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
        return [TableInfo(name, kind[0]) for name, kind in cursor.fetchall()]

    def _table_sql(self, cursor, table_name):
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type IN ('table', 'view') AND name = %s",
            [table_name],
        )
        row = cursor.fetchone()
        return row[0] if row else None

    def _pragma(self, cursor, pragma, name):
        cursor.execute("PRAGMA %s(%s)" % (pragma, self.connection.ops.quote_name(name)), ())
        return cursor.fetchall()

    def _json_columns(self, cursor, table_name, columns):
        # JSONField columns are recognisable only by their JSON_VALID() check.
        if not self.connection.features.can_introspect_json_field:
            return set()
        ddl = self._table_sql(cursor, table_name) or ""
        return {
            column
            for column in columns
            if re.search(r'json_valid\(\s*["`\[]?%s["`\]]?\s*\)' % re.escape(column), ddl, re.I)
        }

    def get_table_description(self, cursor, table_name):
        columns = self._pragma(cursor, "table_info", table_name)
        if not columns:
            raise DatabaseError(f"Table {table_name} does not exist (empty pragma).")
        json_columns = self._json_columns(cursor, table_name, [row[1] for row in columns])
        described = []
        # table_info rows: (cid, name, type, notnull, default, pk position)
        for _cid, name, declared, notnull, default, pk_position in columns:
            described.append(
                FieldInfo(
                    name=name,
                    type_code=declared,
                    display_size=get_field_size(declared),
                    internal_size=None,
                    precision=None,
                    scale=None,
                    null_ok=not notnull,
                    default=default,
                    collation=None,
                    pk=pk_position == 1,
                    has_json_constraint=name in json_columns,
                )
            )
        return described

    def get_sequences(self, cursor, table_name, table_fields=()):
        # The only "sequence" is the rowid behind the primary key.
        return [{"table": table_name, "column": self.get_primary_key_column(cursor, table_name)}]

    def get_relations(self, cursor, table_name):
        # foreign_key_list rows: (id, seq, table, from, to, ...)
        return {
            row[3]: (row[4], row[2]) for row in self._pragma(cursor, "foreign_key_list", table_name)
        }

    def get_primary_key_columns(self, cursor, table_name):
        cursor.execute("PRAGMA table_info(%s)" % self.connection.ops.quote_name(table_name), ())
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
                constraints[name] = _base_constraint(columns=cols or [], check=True)
        # Indexes, including the automatic ones of UNIQUE/PRIMARY KEY.
        cursor.execute("PRAGMA index_list(%s)" % quoted, ())
        for row in cursor.fetchall():
            # seq, name, unique, origin, partial
            index, unique, origin = row[1], bool(row[2]), row[3] if len(row) > 3 else "c"
            cursor.execute("PRAGMA index_xinfo(%s)" % self.connection.ops.quote_name(index), ())
            info = [r for r in cursor.fetchall() if r[5]]  # key columns only
            info.sort(key=lambda r: r[0])
            columns = [r[2] for r in info]
            orders = ["DESC" if r[3] else "ASC" for r in info]
            if origin == "pk":
                continue  # reported as __primary__ below
            name = index
            if origin == "u":
                name = unique_by_columns.get(tuple(columns), index)
            explicit = origin == "c"  # CREATE INDEX, not implied by UNIQUE
            constraints[name] = _base_constraint(
                columns=columns,
                unique=unique,
                index=explicit,
                orders=orders if explicit else [],
                type="idx" if explicit else None,
            )
            if origin == "c":
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [index]
                )
                sql_row = cursor.fetchone()
                if sql_row and sql_row[0] and None in columns:
                    # Expression index: columns are not introspectable.
                    constraints[name]["columns"] = []
        # SQLite does not name primary keys; "__primary__" identifies it.
        pk_columns = self.get_primary_key_columns(cursor, table_name)
        if pk_columns:
            constraints["__primary__"] = _base_constraint(columns=pk_columns, primary_key=True)
        # Foreign keys.
        cursor.execute("PRAGMA foreign_key_list(%s)" % quoted, ())
        fks = {}
        for id_, seq, ref_table, from_col, to_col, *_ in cursor.fetchall():
            fks.setdefault(id_, []).append((seq, ref_table, from_col, to_col))
        for id_, parts in sorted(fks.items()):
            parts.sort()
            name = "fk_%d" % id_
            constraints[name] = _base_constraint(
                columns=[p[2] for p in parts], foreign_key=(parts[0][1], parts[0][3])
            )
        return constraints
