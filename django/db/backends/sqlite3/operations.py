"""
SQL fragments for SQLite.

SQLite has no native date/time types or date functions worth relying on, so
every date operation compiles to a call of one of the Python functions that
``base.py`` registers on each connection (see ``_functions.py``); the
fragments built here only pass them the right arguments.
"""
import datetime
import decimal
import uuid
from functools import lru_cache

from django.core.exceptions import FieldError
from django.db import DatabaseError, NotSupportedError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.utils import typecast_time, typecast_timestamp
from django.utils.functional import cached_property

_AUTO_FIELDS = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})
_TEMPORAL_FIELDS = frozenset({"DateField", "DateTimeField", "TimeField"})
# Aggregates that would do arithmetic on our text-encoded dates.
_ARITHMETIC_AGGREGATES = frozenset({"Sum", "Avg", "Variance", "StdDev"})
_CASE_FOLDING_LOOKUPS = frozenset({"iexact", "icontains", "istartswith", "iendswith"})

# Tables whose references are followed when flushing with cascade: every
# table whose CREATE statement mentions "REFERENCES <name>".
_REFERRERS_SQL = """
WITH RECURSIVE referrers(name) AS (
    SELECT %s
    UNION
    SELECT m.name FROM sqlite_master AS m, referrers AS r
    WHERE m.sql REGEXP %s || r.name || %s
)
SELECT name FROM referrers
"""
_REFERENCE_BEFORE = r"(?i)\s+references\s+(\"|')?"
_REFERENCE_AFTER = r"(\"|')?\s*\("


def _is_temporal(expression):
    try:
        return expression.output_field.get_internal_type() in _TEMPORAL_FIELDS
    except (AttributeError, FieldError):
        return False  # no known type: it cannot be a date


def _use_tz():
    from django.conf import settings

    return bool(getattr(settings, "USE_TZ", False))


def _styled(style, role, text):
    """Colour ``text`` with a management Style role (``None`` = plain)."""
    paint = getattr(style, role, None) if style is not None else None
    return paint(text) if paint else text


def _sql_string(text):
    return "'%s'" % text.replace("'", "''")


def _aware(value):
    return value.tzinfo is not None and value.utcoffset() is not None


class DatabaseOperations(BaseDatabaseOperations):
    cast_char_field_without_max_length = "text"
    cast_data_types = {"DateField": "TEXT", "DateTimeField": "TEXT"}
    explain_prefix = "EXPLAIN QUERY PLAN"
    explain_options = frozenset()  # EXPLAIN QUERY PLAN has no options
    # JSON scalars JSON_EXTRACT() cannot tell apart from SQL NULL/ints;
    # the JSON lookups use JSON_TYPE() for these.
    jsonfield_datatype_values = frozenset({"null", "false", "true"})
    # An INTEGER column holds 64 bits whatever the field type.
    integer_field_ranges = {
        kind: (0 if kind.startswith("Positive") else -(2**63), 2**63 - 1)
        for kind in BaseDatabaseOperations.integer_field_ranges
    }
    # A NaN parameter is stored as NULL.
    stores_float_nan = False

    # ------------------------------------------------------------------
    # Identifiers and limits
    # ------------------------------------------------------------------
    def no_limit_value(self):
        return -1  # SQLite needs a LIMIT before OFFSET; -1 means unbounded

    def pk_default_value(self):
        return "NULL"  # NULL in an INTEGER PRIMARY KEY column picks the next id

    def bulk_batch_size(self, fields, objs):
        # Bound parameters are capped per statement (max_query_params), and
        # a one-column insert is compiled as a compound SELECT capped at 500.
        width = len(fields)
        if width == 0:
            return len(objs)
        if width == 1:
            return 500
        return self.connection.features.max_query_params // width

    # ------------------------------------------------------------------
    # Dates and times: all delegated to registered Python functions.
    # ------------------------------------------------------------------
    def _tz_args(self, tzname):
        # (target zone, connection zone) for the Python side; both None
        # means "treat the value as naive".
        if tzname and _use_tz():
            return tzname, self.connection.timezone_name
        return None, None

    def _call(self, function, sql, params, lookup_type=None, tzname=None, with_tz=True):
        """Build ``function([lookup,] <sql>[, from_tz, to_tz])`` and its params."""
        args, values = [sql], list(params)
        if lookup_type is not None:
            args.insert(0, "%s")
            values.insert(0, lookup_type.lower())
        if with_tz:
            args += ["%s", "%s"]
            values += self._tz_args(tzname)
        return "%s(%s)" % (function, ", ".join(args)), tuple(values)

    def date_extract_sql(self, lookup_type, sql, params):
        return self._call("django_date_extract", sql, params, lookup_type, with_tz=False)

    def time_extract_sql(self, lookup_type, sql, params):
        return self._call("django_time_extract", sql, params, lookup_type, with_tz=False)

    def date_trunc_sql(self, lookup_type, sql, params, tzname=None):
        return self._call("django_date_trunc", sql, params, lookup_type, tzname)

    def time_trunc_sql(self, lookup_type, sql, params, tzname=None):
        return self._call("django_time_trunc", sql, params, lookup_type, tzname)

    def datetime_extract_sql(self, lookup_type, sql, params, tzname):
        return self._call("django_datetime_extract", sql, params, lookup_type, tzname)

    def datetime_trunc_sql(self, lookup_type, sql, params, tzname):
        return self._call("django_datetime_trunc", sql, params, lookup_type, tzname)

    def datetime_from_zone_sql(self, sql, params, tzname):
        return self._call("django_datetime_from_zone", sql, params, tzname=tzname)

    def datetime_cast_date_sql(self, sql, params, tzname):
        return self._call("django_datetime_cast_date", sql, params, tzname=tzname)

    def datetime_cast_time_sql(self, sql, params, tzname):
        return self._call("django_datetime_cast_time", sql, params, tzname=tzname)

    def format_for_duration_arithmetic(self, sql):
        return sql  # django_format_dtdelta() does the work

    def subtract_temporals(self, internal_type, lhs, rhs):
        function = "django_time_diff" if internal_type == "TimeField" else "django_timestamp_diff"
        (lhs_sql, lhs_params), (rhs_sql, rhs_params) = lhs, rhs
        return "%s(%s, %s)" % (function, lhs_sql, rhs_sql), (*lhs_params, *rhs_params)

    def combine_duration_expression(self, connector, sub_expressions):
        if connector not in ("+", "-", "*", "/"):
            raise DatabaseError("Invalid connector for timedelta: %s." % connector)
        if len(sub_expressions) > 2:
            raise ValueError("Too many params for timedelta operations.")
        args = ["'%s'" % connector, *sub_expressions]
        return "django_format_dtdelta(%s)" % ", ".join(args)

    # ------------------------------------------------------------------
    # Expressions and lookups
    # ------------------------------------------------------------------
    # Operators SQLite lacks, provided as registered functions instead.
    _FUNCTION_OPERATORS = {"^": "POWER", "#": "BITXOR"}

    def combine_expression(self, connector, sub_expressions):
        function = self._FUNCTION_OPERATORS.get(connector)
        if function is None:
            return super().combine_expression(connector, sub_expressions)
        return "%s(%s)" % (function, ",".join(sub_expressions))

    def check_expression_support(self, expression):
        """Refuse what SQLite would compute wrongly: arithmetic aggregates
        over dates and times (stored as text), and DISTINCT over several
        arguments."""
        if type(expression).__name__ in _ARITHMETIC_AGGREGATES and any(
            map(_is_temporal, expression.get_source_expressions())
        ):
            raise NotSupportedError(
                "You cannot use Sum, Avg, StdDev, and Variance aggregations on date/time "
                "fields in sqlite3 since date/time is saved as text."
            )
        if getattr(expression, "distinct", False) and len(expression.source_expressions) > 1:
            raise NotSupportedError(
                "SQLite doesn't support DISTINCT on aggregate functions accepting multiple arguments."
            )

    def lookup_cast(self, lookup_type, internal_type=None):
        # Our connections make LIKE case-sensitive, so the case-insensitive
        # lookups compare upper-cased text on both sides (see base.py).
        return "UPPER(%s)" if lookup_type in _CASE_FOLDING_LOOKUPS else "%s"

    def regex_lookup(self, lookup_type):
        # REGEXP is our registered Python function; "(?i)" turns on
        # case-insensitive matching in Python's re.
        if lookup_type == "regex":
            return "%s REGEXP %s"
        return "%s REGEXP '(?i)' || %s"

    # ------------------------------------------------------------------
    # INSERT
    # ------------------------------------------------------------------
    def insert_statement(self, on_conflict=None):
        if getattr(on_conflict, "value", on_conflict) == "ignore":
            return "INSERT OR IGNORE INTO"
        return super().insert_statement(on_conflict=on_conflict)

    def on_conflict_suffix_sql(self, fields, on_conflict, update_fields, unique_fields):
        wants_update = getattr(on_conflict, "value", on_conflict) == "update"
        if not (wants_update and self.connection.features.supports_update_conflicts_with_target):
            return super().on_conflict_suffix_sql(fields, on_conflict, update_fields, unique_fields)
        target = ", ".join(self.quote_name(name) for name in unique_fields)
        assignments = ", ".join(
            "{0} = EXCLUDED.{0}".format(self.quote_name(name)) for name in update_fields
        )
        return "ON CONFLICT(%s) DO UPDATE SET %s" % (target, assignments)

    def return_insert_columns(self, fields):
        if not fields:
            return "", ()
        qn = self.quote_name
        columns = ", ".join(
            "%s.%s" % (qn(field.model._meta.db_table), qn(field.column)) for field in fields
        )
        return "RETURNING " + columns, ()

    # ------------------------------------------------------------------
    # Debug output
    # ------------------------------------------------------------------
    @staticmethod
    def _quote_literal(value):
        """``value`` written as an SQLite literal (for display only)."""
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return str(int(value))
        if isinstance(value, (int, float, decimal.Decimal)):
            return str(value)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return "X'%s'" % bytes(value).hex().upper()
        if isinstance(value, datetime.datetime):
            return _sql_string(value.isoformat(" "))
        if isinstance(value, (datetime.date, datetime.time)):
            return _sql_string(value.isoformat())
        return _sql_string(str(value))

    def _inlined_literals(self, params):
        return tuple(map(self._quote_literal, params))

    def last_executed_query(self, cursor, sql, params):
        """The statement with literals inlined -- for logs, never to execute."""
        if params is None:
            return sql  # run as it is: the driver did not read its '%'
        try:
            if isinstance(params, (list, tuple)):
                return sql % self._inlined_literals(params)
            return sql % {key: self._quote_literal(v) for key, v in params.items()}
        except (TypeError, ValueError, KeyError, AttributeError):
            return sql  # placeholders and params disagree: show the raw SQL

    # ------------------------------------------------------------------
    # Flushing and sequences
    # ------------------------------------------------------------------
    def _tables_referring_to(self, table_name):
        with self.connection.cursor() as cursor:
            cursor.execute(_REFERRERS_SQL, (table_name, _REFERENCE_BEFORE, _REFERENCE_AFTER))
            return [row[0] for row in cursor.fetchall()]

    @cached_property
    def _referrers(self):
        # Cached per connection: flush runs between many tests and the
        # schema does not change in between.
        return lru_cache(maxsize=512)(self._tables_referring_to)

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        # SQLite has no TRUNCATE; DELETE FROM each table.  Cascading is
        # emulated by also emptying every table that refers to them.
        if tables and allow_cascade:
            tables = {name for table in tables for name in self._referrers(table)}
        ordered = sorted(tables)
        delete_from = "%s %s" % (_styled(style, "SQL_KEYWORD", "DELETE"), _styled(style, "SQL_KEYWORD", "FROM"))
        statements = [
            "%s %s;" % (delete_from, _styled(style, "SQL_FIELD", self.quote_script_name(table)))
            for table in ordered
        ]
        if reset_sequences:
            statements += self.sequence_reset_by_name_sql(style, [{"table": t} for t in ordered])
        return statements

    def _has_sequence_table(self):
        # sqlite_sequence appears only after the first AUTOINCREMENT table.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence' AND type = 'table'"
            )
            (found,) = cursor.fetchone()
        return found > 0

    def sequence_reset_by_name_sql(self, style, sequences):
        if not sequences or not self._has_sequence_table():
            return []
        keyword = lambda word: _styled(style, "SQL_KEYWORD", word)  # noqa: E731
        column = lambda name: _styled(style, "SQL_FIELD", self.quote_script_name(name))  # noqa: E731
        names = ", ".join(_sql_string(seq["table"]) for seq in sequences)
        return [
            "%s %s %s %s = 0 %s %s %s (%s);"
            % (
                keyword("UPDATE"),
                _styled(style, "SQL_TABLE", self.quote_script_name("sqlite_sequence")),
                keyword("SET"),
                column("seq"),
                keyword("WHERE"),
                column("name"),
                keyword("IN"),
                names,
            )
        ]

    def sequence_reset_sql(self, style, model_list):
        """Move each AUTOINCREMENT counter to the table's current max pk."""
        qn = self.quote_script_name
        statements = []
        for model in model_list:
            pk = model._meta.pk
            if pk is None or pk.get_internal_type() not in _AUTO_FIELDS:
                continue
            table = model._meta.db_table
            statements.append(
                "UPDATE {seq_table} SET {seq} = (SELECT COALESCE(MAX({pk}), 0) FROM {table}) "
                "WHERE {name} = {literal};".format(
                    seq_table=qn("sqlite_sequence"),
                    seq=qn("seq"),
                    pk=qn(pk.column),
                    table=qn(table),
                    name=qn("name"),
                    literal=_sql_string(table),
                )
            )
        return statements

    # ------------------------------------------------------------------
    # Python -> SQLite values.  Dates are stored as ISO text; aware values
    # are normalised to naive UTC because the text cannot carry an offset.
    # ------------------------------------------------------------------
    _aware_time_refused_by = "SQLite backend"

    def adapt_datetimefield_value(self, value):
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if _aware(value):
            if not _use_tz():
                raise ValueError(
                    "SQLite backend does not support timezone-aware datetimes when USE_TZ is False."
                )
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return str(value)

    # ------------------------------------------------------------------
    # SQLite -> Python values
    # ------------------------------------------------------------------
    def get_db_converters(self, expression):
        converters = super().get_db_converters(expression)
        kind = expression.output_field.get_internal_type()
        if kind == "DecimalField":
            converters.append(self.get_decimalfield_converter(expression))
        else:
            simple = {
                "DateTimeField": self.convert_datetimefield_value,
                "DateField": self.convert_datefield_value,
                "TimeField": self.convert_timefield_value,
                "UUIDField": self.convert_uuidfield_value,
                "BooleanField": self.convert_booleanfield_value,
            }.get(kind)
            if simple is not None:
                converters.append(simple)
        return converters

    def convert_datetimefield_value(self, value, expression, connection):
        if value is None or isinstance(value, datetime.datetime):
            parsed = value
        else:
            parsed = typecast_timestamp(value)
            if isinstance(parsed, datetime.date) and not isinstance(parsed, datetime.datetime):
                # A bare date in a datetime column means its midnight.
                parsed = datetime.datetime.combine(parsed, datetime.time())
        if parsed is not None and parsed.tzinfo is None and _use_tz():
            parsed = parsed.replace(tzinfo=datetime.timezone.utc)
        return parsed

    def convert_datefield_value(self, value, expression, connection):
        if value is None:
            return None
        if not isinstance(value, datetime.date):
            value = typecast_timestamp(value)
        return value.date() if isinstance(value, datetime.datetime) else value

    def convert_timefield_value(self, value, expression, connection):
        if value is None or isinstance(value, datetime.time):
            return value
        return typecast_time(value)

    def get_decimalfield_converter(self, expression):
        # REAL columns hold ~15 significant digits; anything beyond that in
        # a float is binary noise, so round it away before quantizing.
        from_float = decimal.Context(prec=15).create_decimal_from_float
        places = getattr(expression.output_field, "decimal_places", None)
        exponent = None if places is None else decimal.Decimal(1).scaleb(-places)
        # Quantizing must not run out of digits: an aggregate's result field
        # asks for 30 places (past the default context's 28 digits) and a
        # SUM may exceed the column's max_digits.
        unbounded = decimal.Context(prec=decimal.MAX_PREC)

        def converter(value, expression, connection):
            if value is None:
                return None
            if isinstance(value, float):
                value = from_float(value)
            elif not isinstance(value, decimal.Decimal):
                value = decimal.Decimal(str(value))
            if exponent is None or not value.is_finite():
                return value  # NaN/infinity text stored before they were refused
            return value.quantize(exponent, context=unbounded)

        return converter

    def convert_uuidfield_value(self, value, expression, connection):
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(value)

    def convert_booleanfield_value(self, value, expression, connection):
        # Only 0/1 become bools; other values (e.g. from raw SQL) pass through.
        return bool(value) if value in (0, 1) else value
