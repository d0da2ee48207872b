"""
Reading table structure back from SQLite.

SQLite keeps each table's CREATE statement verbatim in sqlite_master and
exposes columns, indexes and foreign keys through PRAGMAs; everything here
is derived from those two sources.
"""
import re
from collections import namedtuple

from django.db import DatabaseError
from django.db.backends.base.introspection import BaseDatabaseIntrospection, constraint_info
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


# "CONSTRAINT <name> <kind> (" in a CREATE TABLE statement, the name in any
# of SQLite's quoting styles.
_CONSTRAINT_HEAD = re.compile(
    r'CONSTRAINT\s+("(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|\w+)\s+'
    r"(UNIQUE|CHECK|PRIMARY\s+KEY|FOREIGN\s+KEY)\s*\(",
    re.IGNORECASE,
)
_DOUBLE_QUOTED = re.compile(r'"((?:[^"]|"")+)"')


def _unquoted(name):
    """An identifier as written in SQL, without its quotes."""
    if name[:1] == '"':
        return name[1:-1].replace('""', '"')
    return name[1:-1] if name[:1] in "`[" else name


def _inside_parentheses(text, start):
    """``text`` from ``start`` to the parenthesis closing the one just before."""
    depth = 1
    for position in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[position], 0)
        if not depth:
            return text[start:position]
    return text[start:]


def declared_constraints(table_sql):
    """{name: (kind, columns)} of the named UNIQUE / CHECK / PRIMARY / FOREIGN
    clauses of a CREATE TABLE statement; columns are those a UNIQUE lists or
    a CHECK mentions (None for the other kinds)."""
    found = {}
    for head in _CONSTRAINT_HEAD.finditer(table_sql or ""):
        kind = head[2].split()[0].upper()
        body = _inside_parentheses(table_sql, head.end())
        columns = None
        if kind == "UNIQUE":
            columns = [_unquoted(part.strip()) for part in body.split(",")]
        elif kind == "CHECK":
            columns = [name.replace('""', '"') for name in _DOUBLE_QUOTED.findall(body)]
        found[_unquoted(head[1])] = (kind, columns)
    return found


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
        # table_info rows: (cid, name, type, notnull, default, pk position).
        columns = self._pragma(cursor, "table_info", table_name)
        if not columns:
            raise DatabaseError(f"Table {table_name} does not exist (empty pragma).")
        json_columns = self._json_columns(cursor, table_name, [row[1] for row in columns])
        return [
            FieldInfo(
                name, declared, get_field_size(declared), None, None, None, not notnull, default,
                None, pk_position == 1, name in json_columns,
            )
            for _cid, name, declared, notnull, default, pk_position in columns
        ]

    def get_sequences(self, cursor, table_name, table_fields=()):
        # The only "sequence" is the rowid behind the primary key.
        return [{"table": table_name, "column": self.get_primary_key_column(cursor, table_name)}]

    def get_relations(self, cursor, table_name):
        keys = self._pragma(cursor, "foreign_key_list", table_name)
        # foreign_key_list rows: (id, seq, target table, column, target column, ...)
        return {column: (target_column, target) for _id, _seq, target, column, target_column, *_ in keys}

    def get_primary_key_columns(self, cursor, table_name):
        in_key = [row for row in self._pragma(cursor, "table_info", table_name) if row[5]]
        return [row[1] for row in sorted(in_key, key=lambda row: row[5])] or None

    def get_constraints(self, cursor, table_name):
        """
        Named CHECK constraints come from the CREATE TABLE statement; indexes
        (explicit, or implied by UNIQUE) and foreign keys from PRAGMAs. SQLite
        names neither primary keys nor foreign keys: they are reported as
        "__primary__" and "fk_<n>". An implied UNIQUE index takes the name
        of the constraint it implements.
        """
        declared = declared_constraints(self._table_sql(cursor, table_name))
        found = {
            name: constraint_info(columns or [], check=True)
            for name, (kind, columns) in declared.items() if kind == "CHECK"
        }
        unique_names = {
            tuple(columns): name for name, (kind, columns) in declared.items() if kind == "UNIQUE"
        }
        for row in self._pragma(cursor, "index_list", table_name):
            origin = row[3] if len(row) > 3 else "c"
            if origin != "pk":  # the primary key is reported below
                found.update([self._index_entry(cursor, row[1], bool(row[2]), origin, unique_names)])
        primary_key = self.get_primary_key_columns(cursor, table_name)
        if primary_key:
            found["__primary__"] = constraint_info(primary_key, primary_key=True)
        found.update(self._foreign_keys(cursor, table_name))
        return found

    def _index_entry(self, cursor, index, unique, origin, unique_names):
        """(name, entry) of an index: ``origin`` "c" for CREATE INDEX, "u"
        for one a UNIQUE constraint implies."""
        # index_xinfo rows: (rank, cid, column, desc, collation, key); an
        # expression's column is NULL.
        keys = sorted(row for row in self._pragma(cursor, "index_xinfo", index) if row[5])
        columns = [row[2] for row in keys]
        if origin != "c":
            name = unique_names.get(tuple(columns), index)
            return name, constraint_info(columns, unique=unique, orders=[], type=None)
        orders = ["DESC" if row[3] else "ASC" for row in keys]
        on_expression = None in columns
        return index, constraint_info(
            [] if on_expression else columns, unique=unique, index=True, orders=orders, type="idx"
        )

    def _foreign_keys(self, cursor, table_name):
        parts = {}
        for key_id, seq, target, column, target_column, *_ in self._pragma(
            cursor, "foreign_key_list", table_name
        ):
            parts.setdefault(key_id, []).append((seq, column, target, target_column))
        return {
            "fk_%d" % key_id: constraint_info(
                [column for _seq, column, _t, _c in sorted(rows)],
                foreign_key=(min(rows)[2], min(rows)[3]),
            )
            for key_id, rows in sorted(parts.items())
        }
