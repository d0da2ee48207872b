"""
Column arrays for bulk INSERTs, dumped in PostgreSQL's binary array format.

bulk_create() sends one array per column (``SELECT * FROM UNNEST(...)``,
see DatabaseOperations.bulk_insert_values_sql()). psycopg dumps a list
element by element in Python; a column of one type without NULLs can be
dumped in one go: the binary array is a fixed header, then each element as
its length and its bytes. The values still travel as bound parameters; only
their encoding is done here.

Each ``*Column`` class wraps the list of one column; the connection registers
the dumpers (register_column_dumpers()).
"""
import struct
from functools import lru_cache
from itertools import chain, repeat

from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.postgres import types as pg_types

_HEADER = struct.Struct(">iiiii")  # ndim, has NULLs, element oid, length, lower bound
_LENGTH = struct.Struct(">i")


class _Column(list):
    """The values of one column, all of the class's element type, no None."""


class IntColumn(_Column):
    pass


class FloatColumn(_Column):
    pass


class BoolColumn(_Column):
    pass


class TextColumn(_Column):
    pass


@lru_cache(maxsize=64)
def _fixed_width_elements(code, count):
    # Per element: its length, then the value: ">" + "iq" * count for int8.
    return struct.Struct(">" + ("i" + code) * count)


class _FixedWidthDumper(Dumper):
    format = Format.BINARY
    element_oid = None
    code, width = None, None  # struct code and byte width of one element

    def dump(self, column):
        count = len(column)
        elements = _fixed_width_elements(self.code, count).pack(
            *chain.from_iterable(zip(repeat(self.width), column))
        )
        return _HEADER.pack(1, 0, self.element_oid, count, 1) + elements


class IntColumnDumper(_FixedWidthDumper):
    oid = pg_types["int8"].array_oid
    element_oid = pg_types["int8"].oid
    code, width = "q", 8


class FloatColumnDumper(_FixedWidthDumper):
    oid = pg_types["float8"].array_oid
    element_oid = pg_types["float8"].oid
    code, width = "d", 8


class BoolColumnDumper(_FixedWidthDumper):
    oid = pg_types["bool"].array_oid
    element_oid = pg_types["bool"].oid
    code, width = "?", 1


class TextColumnDumper(Dumper):
    format = Format.BINARY
    oid = pg_types["text"].array_oid

    def __init__(self, cls, context=None):
        super().__init__(cls, context)
        # The connection's client encoding, as psycopg's own text dumper.
        self.encoding = self.connection.info.encoding if self.connection else "utf-8"

    def dump(self, column):
        parts = [_HEADER.pack(1, 0, pg_types["text"].oid, len(column), 1)]
        append, length, encoding = parts.append, _LENGTH.pack, self.encoding
        for value in column:
            data = value.encode(encoding)
            append(length(len(data)))
            append(data)
        return b"".join(parts)


# Element type -> (wrapper, the casts it may be used with). An int column
# is sent as bigint[] and cast by the server, which reports out-of-range
# values as it does for a VALUES row.
_WRAPPERS = {
    int: (IntColumn, {"smallint", "integer", "bigint"}),
    float: (FloatColumn, {"real", "double precision"}),
    bool: (BoolColumn, {"boolean"}),
    str: (TextColumn, {"varchar", "text"}),
}
_INT8_RANGE = (-(2**63), 2**63 - 1)


def packed_column(column, cast):
    """``column`` wrapped for its fast dumper, or as it is if it has none
    (other element types, mixed types or NULLs, another cast, an int
    beyond bigint)."""
    kinds = set(map(type, column))
    if len(kinds) != 1:
        return column
    wrapper, casts = _WRAPPERS.get(kinds.pop(), (None, ()))
    if wrapper is None or cast not in casts:
        return column
    if wrapper is IntColumn and not (_INT8_RANGE[0] <= min(column) and max(column) <= _INT8_RANGE[1]):
        return column
    return wrapper(column)


def register_column_dumpers(adapters):
    for column_class, dumper in (
        (IntColumn, IntColumnDumper), (FloatColumn, FloatColumnDumper),
        (BoolColumn, BoolColumnDumper), (TextColumn, TextColumnDumper),
    ):
        adapters.register_dumper(column_class, dumper)
