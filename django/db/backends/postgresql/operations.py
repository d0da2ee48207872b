"""SQL dialect of PostgreSQL."""
import datetime
import json
import re
import uuid
from decimal import Decimal
from functools import partial

from psycopg import ClientCursor
from psycopg.types.json import Jsonb

from django.db.backends.base.operations import (
    DATE_TRUNC_KINDS, EXTRACT_KINDS, TIME_TRUNC_KINDS, TRUNC_KINDS, TZNAME_RE,
    BaseDatabaseOperations, check_kind as _check_kind,
)
from django.db.backends.postgresql.column_arrays import packed_column
from django.db.backends.utils import split_tzname_delta

# Date/time keywords are inlined in the SQL (never bound): with server-side
# binding, "DATE_TRUNC($1, col)" in SELECT and "DATE_TRUNC($2, col)" in
# GROUP BY are different expressions to PostgreSQL. The shared allow-lists
# of the base operations are what keep this safe.
AUTO_FIELD_TYPES = ("AutoField", "BigAutoField", "SmallAutoField")
MAX_BOUND_PARAMS = 65535
TEXT_FIELD_TYPES = ("CharField", "TextField", "SlugField", "EmailField", "URLField",
                    "FilePathField", "FileField")
CASE_FOLDING_LOOKUPS = frozenset({"iexact", "icontains", "istartswith", "iendswith"})
PATTERN_LOOKUPS = ("iexact", "contains", "icontains", "startswith", "istartswith",
                   "endswith", "iendswith", "regex", "iregex")

# bulk_insert_values_sql(): the column types a text or binary array of
# parameters can be cast to (named without their modifiers: a cast to
# varchar(100)[] would silently cut longer strings, whereas storing a
# varchar[] element in the column checks the length as a VALUES row would).
UNNEST_TYPES = frozenset({
    "varchar", "text", "smallint", "integer", "bigint", "boolean", "real", "double precision",
    "numeric", "date", "time", "timestamp with time zone", "interval", "uuid", "inet", "bytea",
})
# ... and the Python values psycopg dumps as array elements. An array takes
# its element type from one element, so a column must hold one of these only.
UNNEST_VALUE_TYPES = frozenset({
    str, int, float, bool, Decimal, bytes, uuid.UUID,
    datetime.date, datetime.datetime, datetime.time, datetime.timedelta,
})
TYPE_MODIFIERS_RE = re.compile(r"\s*\(.*\)")


def _fits_array(column, base_type):
    """
    Can the values of ``column`` go in one array cast to ``base_type``[],
    with the outcome a VALUES row would have? Nones aside, they must share
    one element type. The cast is explicit, so it would also turn booleans
    into integers and back, which storing a VALUES row refuses.
    """
    kinds = set(map(type, column))
    kinds.discard(type(None))
    if len(kinds) > 1 or not kinds <= UNNEST_VALUE_TYPES:
        return False
    if kinds and (bool in kinds) != (base_type == "boolean"):
        return False
    if datetime.datetime in kinds:
        # Naive and aware datetimes dump as timestamp and timestamptz.
        return len({value.tzinfo is None for value in column if value is not None}) == 1
    return True


def _use_tz():
    from django.conf import settings

    return bool(getattr(settings, "USE_TZ", False))


def _sql_literal(text):
    """A single-quoted SQL string literal (standard_conforming_strings)."""
    return "'%s'" % str(text).replace("'", "''")


class DatabaseOperations(BaseDatabaseOperations):
    cast_char_field_without_max_length = "varchar"
    explain_prefix = "EXPLAIN"
    explain_options = frozenset(
        {"analyze", "verbose", "costs", "settings", "buffers", "wal", "timing", "summary"}
    )
    # Identity columns cast to their plain integer type.
    cast_data_types = dict(AutoField="integer", BigAutoField="bigint", SmallAutoField="smallint")

    # ----- names and literals -------------------------------------------

    def max_name_length(self):
        """PostgreSQL truncates identifiers to NAMEDATALEN - 1 = 63 bytes."""
        return 63

    def no_limit_value(self):
        return None

    def compose_sql(self, sql, params):
        """Merge ``params`` into ``sql`` client-side (for DDL and display)."""
        self.connection.ensure_connection()
        return ClientCursor(self.connection.connection).mogrify(sql, params)

    def last_executed_query(self, cursor, sql, params):
        """The statement with its parameters merged in, for logs and errors."""
        if params is None:
            return sql
        try:
            return ClientCursor(cursor.connection).mogrify(sql, params)
        except Exception:
            query = getattr(cursor, "_query", None)
            text = getattr(query, "query", None)
            if isinstance(text, bytes):
                return text.decode(errors="replace")
            return sql

    def set_time_zone_sql(self):
        return "SELECT set_config('TimeZone', %s, false)"

    def tablespace_sql(self, tablespace, inline=False):
        # Inline (in a column/constraint definition) the tablespace applies
        # to the index backing the constraint.
        clause = "USING INDEX TABLESPACE" if inline else "TABLESPACE"
        return "%s %s" % (clause, self.quote_name(tablespace))

    # ----- lookups --------------------------------------------------------

    def lookup_cast(self, lookup_type, internal_type=None):
        """
        The left-hand side of a lookup: pattern lookups on non-text columns
        compare the text form (inet columns through HOST(), which drops the
        netmask); the i* lookups upper-case it.
        """
        if lookup_type not in PATTERN_LOOKUPS:
            return "%s"
        if internal_type in ("GenericIPAddressField", "IPAddressField"):
            as_text = "HOST(%s)"
        else:
            as_text = "%s" if internal_type in TEXT_FIELD_TYPES else "%s::text"
        return "UPPER(%s)" % as_text if lookup_type in CASE_FOLDING_LOOKUPS else as_text

    def prep_for_iexact_query(self, x):
        """iexact is UPPER(lhs) = UPPER(rhs), not LIKE: no wildcards to escape."""
        return x

    def regex_lookup(self, lookup_type):
        """POSIX regular expressions: ~ is case-sensitive, ~* is not."""
        if lookup_type == "regex":
            return "%s ~ %s"
        if lookup_type == "iregex":
            return "%s ~* %s"
        raise ValueError("Invalid regex lookup type: %r" % (lookup_type,))

    def distinct_sql(self, fields, params):
        if fields:
            flat = [p for group in params for p in group]
            return ["DISTINCT ON (%s)" % ", ".join(fields)], flat
        return ["DISTINCT"], []


    # ----- dates and times -----------------------------------------------

    def _prepare_tzname(self, tzname):
        if not TZNAME_RE.match(tzname):
            raise ValueError("Invalid time zone name: %r" % (tzname,))
        # POSIX time zone offsets count the other way round: "UTC+05:00"
        # means five hours WEST of UTC to PostgreSQL, so flip the sign.
        name, sign, offset = split_tzname_delta(tzname)
        if offset:
            return "%s%s%s" % (name, "-" if sign == "+" else "+", offset)
        return tzname

    def _in_zone_sql(self, sql, params, tzname):
        from django.conf import settings

        if tzname and getattr(settings, "USE_TZ", False):
            sql = "(%s AT TIME ZONE %s)" % (sql, _sql_literal(self._prepare_tzname(tzname)))
        return sql, params

    def date_extract_sql(self, lookup_type, sql, params):
        kind = _check_kind(lookup_type, EXTRACT_KINDS, "extract")
        if kind == "week_day":
            # EXTRACT(DOW) is 0 = Sunday; Django counts 1 = Sunday.
            expr = "EXTRACT(DOW FROM %s) + 1" % sql
        elif kind == "iso_week_day":
            expr = "EXTRACT(ISODOW FROM %s)" % sql
        elif kind == "iso_year":
            expr = "EXTRACT(ISOYEAR FROM %s)" % sql
        elif kind == "second":
            # Whole seconds, like every other backend.
            expr = "EXTRACT(SECOND FROM DATE_TRUNC('second', %s))" % sql
        else:
            expr = "EXTRACT(%s FROM %s)" % (kind.upper(), sql)
        # EXTRACT returns numeric; every kind above is a whole number.
        return "(%s)::integer" % expr, tuple(params)

    def datetime_extract_sql(self, lookup_type, sql, params, tzname):
        sql, params = self._in_zone_sql(sql, params, tzname)
        return self.date_extract_sql(lookup_type, sql, params)

    def date_trunc_sql(self, lookup_type, sql, params, tzname=None):
        kind = _check_kind(lookup_type, DATE_TRUNC_KINDS, "date truncation")
        sql, params = self._in_zone_sql(sql, params, tzname)
        return "DATE_TRUNC(%s, %s)::date" % (_sql_literal(kind), sql), tuple(params)

    def datetime_trunc_sql(self, lookup_type, sql, params, tzname):
        kind = _check_kind(lookup_type, TRUNC_KINDS, "datetime truncation")
        sql, params = self._in_zone_sql(sql, params, tzname)
        return "DATE_TRUNC(%s, %s)" % (_sql_literal(kind), sql), tuple(params)

    def datetime_from_zone_sql(self, sql, params, tzname):
        # A timestamp AT TIME ZONE is read as that zone's local time: the
        # result is the instant (timestamptz).
        return self._in_zone_sql(sql, params, tzname)

    def time_trunc_sql(self, lookup_type, sql, params, tzname=None):
        kind = _check_kind(lookup_type, TIME_TRUNC_KINDS, "time truncation")
        sql, params = self._in_zone_sql(sql, params, tzname)
        return "DATE_TRUNC(%s, %s)::time" % (_sql_literal(kind), sql), tuple(params)

    def datetime_cast_date_sql(self, sql, params, tzname):
        sql, params = self._in_zone_sql(sql, params, tzname)
        return "(%s)::date" % sql, tuple(params)

    def datetime_cast_time_sql(self, sql, params, tzname):
        sql, params = self._in_zone_sql(sql, params, tzname)
        return "(%s)::time" % sql, tuple(params)

    def subtract_temporals(self, internal_type, lhs, rhs):
        difference, params = super().subtract_temporals(internal_type, lhs, rhs)
        if internal_type == "DateField":
            # date - date yields an integer count of days, not an interval.
            return "(interval '1 day' * %s)" % difference, params
        return difference, params

    # ----- values ----------------------------------------------------------

    # psycopg adapts dates, times and Decimals natively; hand them over as
    # they are instead of the base class's string forms.
    def adapt_datefield_value(self, value):
        return value

    adapt_timefield_value = adapt_datefield_value

    def adapt_datetimefield_value(self, value):
        # A timestamp column would silently shift an aware value into the
        # session's zone; without USE_TZ that is refused, as elsewhere.
        aware = getattr(value, "tzinfo", None) is not None and value.utcoffset() is not None
        if aware and not _use_tz():
            raise ValueError(
                "PostgreSQL backend does not support timezone-aware datetimes when USE_TZ is False."
            )
        return value

    def adapt_json_value(self, value, encoder):
        dumps = partial(json.dumps, cls=encoder) if encoder else json.dumps
        return Jsonb(value, dumps=dumps)

    # ----- inserts and RETURNING --------------------------------------------

    def return_insert_columns(self, fields):
        qualified = [
            self.quote_name(field.model._meta.db_table) + "." + self.quote_name(field.column)
            for field in fields
        ]
        return ("RETURNING " + ", ".join(qualified) if qualified else ""), ()

    def last_insert_id(self, cursor, table_name, pk_name):
        # Only needed when RETURNING was not used; currval() is per session.
        cursor.execute(
            "SELECT currval(pg_get_serial_sequence(%s, %s))",
            [self.quote_name(table_name), pk_name],
        )
        return cursor.fetchone()[0]

    def bulk_batch_size(self, fields, objs):
        # The protocol numbers bound parameters with 16 bits: a statement
        # takes at most 65535 (client-side binding has no such limit).
        if not fields or not self.connection.features.uses_server_side_binding:
            return len(objs)
        return max(MAX_BOUND_PARAMS // len(fields), 1)

    def bulk_insert_sql(self, fields, placeholder_rows):
        rows = ", ".join("(%s)" % ", ".join(row) for row in placeholder_rows)
        return "VALUES " + rows

    def bulk_insert_values_sql(self, fields, values):
        """
        SELECT * FROM UNNEST((%b)::varchar[], (%b)::integer[], ...): one array
        parameter per column. A VALUES list of 1000 rows of 5 columns has 5000
        placeholders, which psycopg finds in the SQL text with Python code and
        the server parses and binds one by one: five times the cost of sending
        5 arrays (in binary with server-side binding, the cheapest to dump).
        None (so a VALUES list) for a column type or values an array cannot hold.
        """
        casts = []
        for field in fields:
            db_type = field.db_type(self.connection) if field is not None else None
            base_type = TYPE_MODIFIERS_RE.sub("", db_type or "").lower()
            if base_type not in UNNEST_TYPES:
                return None
            casts.append(base_type)
        width = len(fields)
        columns = [values[index::width] for index in range(width)]
        if not all(map(_fits_array, columns, casts)):
            return None
        if self.connection.features.uses_server_side_binding:
            placeholder = "%b"
            # Binary arrays: most columns can skip psycopg's per-element dumping.
            columns = list(map(packed_column, columns, casts))
        else:
            placeholder = "%s"
        arrays = ", ".join("(%s)::%s[]" % (placeholder, cast) for cast in casts)
        return "SELECT * FROM UNNEST(%s)" % arrays, columns

    def on_conflict_suffix_sql(self, fields, on_conflict, update_fields, unique_fields):
        kind = getattr(on_conflict, "value", on_conflict)
        kind = str(kind).lower() if kind is not None else None
        if kind == "ignore":
            return "ON CONFLICT DO NOTHING"
        if kind == "update":
            return "ON CONFLICT(%s) DO UPDATE SET %s" % (
                ", ".join(self.quote_name(f) for f in unique_fields),
                ", ".join(
                    "%s = EXCLUDED.%s" % (self.quote_name(f), self.quote_name(f))
                    for f in update_fields
                ),
            )
        return ""

    # ----- flush and sequences ----------------------------------------------

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        """TRUNCATE is one statement for all tables, so no FK ordering is needed."""
        if not tables:
            return []
        sql = "%s %s%s%s;" % (
            style.SQL_KEYWORD("TRUNCATE"),
            ", ".join(style.SQL_FIELD(self.quote_script_name(table)) for table in tables),
            " " + style.SQL_KEYWORD("RESTART IDENTITY") if reset_sequences else "",
            " " + style.SQL_KEYWORD("CASCADE") if allow_cascade else "",
        )
        return [sql]

    def _setval_sql(self, style, table, column, value_sql, is_called_sql):
        """SELECT setval(<sequence of table.column>, value, is_called)."""
        return "%s %s(pg_get_serial_sequence(%s, %s), %s, %s)" % (
            style.SQL_KEYWORD("SELECT"),
            style.SQL_TABLE("setval"),
            style.SQL_FIELD(_sql_literal(self.quote_script_name(table))),
            style.SQL_FIELD(_sql_literal(column)),
            value_sql,
            is_called_sql,
        )

    def sequence_reset_by_name_sql(self, style, sequences):
        """Restart each sequence at 1 (after a flush)."""
        return [
            self._setval_sql(style, seq["table"], seq.get("column") or "id", "1", "false") + ";"
            for seq in sequences
        ]

    def sequence_reset_sql(self, style, model_list):
        """
        After rows were inserted with explicit ids, move each auto field's
        sequence past the largest id, so the next default insert does not
        collide; an empty table restarts at 1.
        """
        output = []
        for model in model_list:
            meta = model._meta
            for field in meta.local_fields:
                if field.get_internal_type() not in AUTO_FIELD_TYPES:
                    continue
                column = self.quote_script_name(field.column)
                table = self.quote_script_name(meta.db_table)
                output.append(
                    "%s %s %s;"
                    % (
                        self._setval_sql(
                            style,
                            meta.db_table,
                            field.column,
                            "coalesce(max(%s), 1)" % column,
                            "max(%s) %s" % (column, style.SQL_KEYWORD("IS NOT null")),
                        ),
                        style.SQL_KEYWORD("FROM"),
                        style.SQL_TABLE(table),
                    )
                )
                break  # one auto field per model
        return output

    # ----- EXPLAIN --------------------------------------------------------------

    def explain_query_prefix(self, format=None, **options):
        """
        EXPLAIN (FORMAT JSON, ANALYZE true, ...). The base class checks the
        format and the option names against allow-lists (they are inlined
        SQL keywords); the values only choose between true and false.
        """
        prefix = super().explain_query_prefix(format, **options)
        parts = []
        if format:
            parts.append("FORMAT %s" % format.upper())
        for name, value in options.items():
            parts.append("%s %s" % (name.upper(), "true" if value else "false"))
        if parts:
            return "%s (%s)" % (prefix, ", ".join(parts))
        return prefix
