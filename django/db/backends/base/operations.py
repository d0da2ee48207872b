"""
The SQL-producing half of a backend.

``BaseDatabaseOperations`` holds one small method per SQL fragment whose
spelling differs between databases (quoting, date arithmetic, LIMIT,
savepoints, flushing ...).  Vendors override what they need; everything here
is either a portable default or a stub that names the missing override.
"""
import datetime
import decimal
import json
import re
from functools import lru_cache
from importlib import import_module

from django.db.backends import utils

_INT16 = (-(2**15), 2**15 - 1)
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)


def _not_supported(message):
    # Imported lazily: django.db.utils imports the backends package.
    from django.db.utils import NotSupportedError

    return NotSupportedError(message)


def _vendor_hook(name, verb="may require"):
    """Build a method that tells the backend author which override is missing."""

    def hook(self, *args, **kwargs):
        raise NotImplementedError(
            "subclasses of BaseDatabaseOperations %s a %s() method" % (verb, name)
        )

    hook.__name__ = name
    hook.__doc__ = "Vendor-specific; every concrete backend implements %s()." % name
    return hook


def _as_given(self, value, *args, **kwargs):
    """The portable answer of a hook that may reshape a value: the value itself."""
    return value


def _is_aware(value):
    return getattr(value, "tzinfo", None) is not None and value.utcoffset() is not None


# Date/time part names the backends accept. They are written into SQL as
# keywords (never bound as parameters), so these allow-lists are what keep
# a caller's Extract/Trunc kind from becoming SQL.
EXTRACT_KINDS = frozenset({
    "year", "iso_year", "quarter", "month", "week", "week_day", "iso_week_day",
    "day", "hour", "minute", "second",
})
DATE_TRUNC_KINDS = frozenset({"year", "quarter", "month", "week", "day"})
TIME_TRUNC_KINDS = frozenset({"hour", "minute", "second"})
TRUNC_KINDS = DATE_TRUNC_KINDS | TIME_TRUNC_KINDS
# A time zone name ("Europe/Paris", "UTC", "Etc/GMT+3") or offset ("+05:30").
TZNAME_RE = re.compile(r"^[A-Za-z0-9_/+\-:.]+$")


def check_kind(kind, allowed, what):
    """``kind`` if it is in ``allowed``; otherwise a ValueError listing the choices."""
    if kind not in allowed:
        raise ValueError(
            "Invalid lookup type for %s: %r. Choices are: %s."
            % (what, kind, ", ".join(sorted(allowed)))
        )
    return kind


@lru_cache(maxsize=8192)
def quote_identifier(quote, name):
    """
    ``name`` as one delimited identifier inside the SQL the ORM builds.

    Every statement the ORM builds is a format string for the driver: it
    holds ``%s`` placeholders and is run with a parameter sequence (``()``
    when it has none), so the driver reads each ``%%`` back as one ``%``. A
    '%' in a table or column name is therefore written twice here, and a
    ``quote`` character inside the name is doubled so that the name stays
    one identifier. A name that is already delimited this way comes back
    unchanged, so quoting twice is harmless (a name that merely starts and
    ends with ``quote`` is not taken for one). Cached: the compiler quotes
    every table and column of every statement, mostly the same few names.
    """
    if "\x00" in name:
        raise ValueError("Identifiers cannot contain NUL characters: %r" % name)
    body = name[1:-1] if len(name) > 1 and name[0] == quote == name[-1] else None
    if body is not None and quote not in body.replace(quote * 2, ""):
        return name
    escaped = name.replace(quote, quote * 2).replace("%", "%%")
    return quote + escaped + quote


def plain_sql(statement):
    """A statement built as a format string (see quote_identifier) written
    out for running without parameters or for showing to a person: each
    ``%%`` becomes one ``%``. It must hold no placeholder."""
    return statement % ()


class BaseDatabaseOperations:
    """Portable defaults for the SQL fragments a backend can customise."""

    compiler_module = "django.db.models.sql.compiler"

    # The range of each integer field type. The base class's table is the
    # portable one Django documents, which saving and full_clean() enforce
    # on every backend; a backend's own table says what its columns hold
    # (lookups with a value beyond it match no row without asking).
    # Positive and auto variants share the signed limits of their size.
    integer_field_ranges = {
        "SmallIntegerField": _INT16,
        "IntegerField": _INT32,
        "BigIntegerField": _INT64,
        "PositiveSmallIntegerField": (0, _INT16[1]),
        "PositiveIntegerField": (0, _INT32[1]),
        "PositiveBigIntegerField": (0, _INT64[1]),
        "SmallAutoField": _INT16,
        "AutoField": _INT32,
        "BigAutoField": _INT64,
    }
    # QuerySet combinator name -> SQL keyword.
    set_operators = {"union": "UNION", "intersection": "INTERSECT", "difference": "EXCEPT"}
    # Cast() target types where they differ from DatabaseWrapper.data_types.
    cast_data_types = {}
    cast_char_field_without_max_length = None

    # Window frame vocabulary.
    PRECEDING = "PRECEDING"
    FOLLOWING = "FOLLOWING"
    UNBOUNDED_PRECEDING = "UNBOUNDED PRECEDING"
    UNBOUNDED_FOLLOWING = "UNBOUNDED FOLLOWING"
    CURRENT_ROW = "CURRENT ROW"

    # None means the backend has no EXPLAIN at all.
    explain_prefix = None
    explain_options = frozenset()

    def __init__(self, connection):
        self.connection = connection
        self._compiler_module = None  # the imported compiler module, see compiler()

    # ------------------------------------------------------------------
    # The character that delimits identifiers (SQL's standard double quote;
    # MySQL uses backticks).
    identifier_quote = '"'

    def quote_name(self, name):
        return quote_identifier(self.identifier_quote, str(name))

    def quote_script_name(self, name):
        """quote_name() for the statements handed out as a script, to run
        without parameters or to print (flush, sequence resets): a '%' in
        the name is written once."""
        return plain_sql(self.quote_name(name))

    # ------------------------------------------------------------------
    # Hooks every real backend must fill in.
    # ------------------------------------------------------------------
    no_limit_value = _vendor_hook("no_limit_value")
    regex_lookup = _vendor_hook("regex_lookup")
    date_extract_sql = _vendor_hook("date_extract_sql")
    date_trunc_sql = _vendor_hook("date_trunc_sql")
    datetime_cast_date_sql = _vendor_hook("datetime_cast_date_sql")
    datetime_cast_time_sql = _vendor_hook("datetime_cast_time_sql")
    datetime_extract_sql = _vendor_hook("datetime_extract_sql")
    datetime_trunc_sql = _vendor_hook("datetime_trunc_sql")
    # A datetime on the clock of a time zone (what datetime_trunc_sql()
    # gives) as the database stores and compares datetimes.
    datetime_from_zone_sql = _vendor_hook("datetime_from_zone_sql")
    time_trunc_sql = _vendor_hook("time_trunc_sql")
    format_for_duration_arithmetic = _vendor_hook("format_for_duration_arithmetic")
    sql_flush = _vendor_hook("sql_flush", verb="must provide")

    def time_extract_sql(self, lookup_type, sql, params):
        # hour/minute/second extraction is spelled like the date variant
        # almost everywhere.
        return self.date_extract_sql(lookup_type, sql, params)

    # ------------------------------------------------------------------
    # Compiler lookup
    # ------------------------------------------------------------------
    def compiler(self, compiler_name):
        """Return the class ``compiler_name`` from ``compiler_module``."""
        module = self._compiler_module
        if module is None:
            module = self._compiler_module = import_module(self.compiler_module)
        return getattr(module, compiler_name)

    # ------------------------------------------------------------------
    # Fragments with portable defaults (identity / empty unless a vendor
    # has a reason to differ).
    # ------------------------------------------------------------------
    def autoinc_sql(self, table, column):
        return None  # extra DDL for auto-increment columns; none by default

    def bulk_batch_size(self, fields, objs):
        return len(objs)  # no parameter limit: one batch holds everything

    def cache_key_culling_sql(self):
        return "SELECT cache_key FROM %s ORDER BY cache_key LIMIT 1 OFFSET %%s"

    def unification_cast_sql(self, output_field):
        return "%s"

    def deferrable_sql(self):
        return ""

    def field_cast_sql(self, db_type, internal_type):
        return "%s"

    def lookup_cast(self, lookup_type, internal_type=None):
        return "%s"

    def binary_placeholder_sql(self, value):
        return "%s"

    def force_no_ordering(self):
        return []

    def max_in_list_size(self):
        return None  # None: IN lists of any length are fine

    def max_name_length(self):
        return None  # None: identifiers are not truncated

    def pk_default_value(self):
        return "DEFAULT"

    def random_function_sql(self):
        return "RANDOM()"

    def set_time_zone_sql(self):
        return ""

    def tablespace_sql(self, tablespace, inline=False):
        return ""

    def return_insert_columns(self, fields):
        return "", ()

    def modify_insert_params(self, placeholder, params):
        return params

    def insert_statement(self, on_conflict=None):
        return "INSERT INTO"

    def on_conflict_suffix_sql(self, fields, on_conflict, update_fields, unique_fields):
        return ""

    def ignore_conflicts_suffix_sql(self, ignore_conflicts=None):
        return ""

    def check_expression_support(self, expression):
        """Raise NotSupportedError for expressions a vendor cannot compile."""

    def conditional_expression_supported_in_where_clause(self, expression):
        return True

    def get_db_converters(self, expression):
        return []  # vendors add per-type row converters

    # ------------------------------------------------------------------
    # SELECT pieces
    # ------------------------------------------------------------------
    def distinct_sql(self, fields, params):
        if fields:
            raise _not_supported("DISTINCT ON fields is not supported by this database backend")
        return ["DISTINCT"], []

    def for_update_sql(self, nowait=False, skip_locked=False, of=(), no_key=False):
        words = ["FOR"]
        if no_key:
            words.append("NO KEY")
        words.append("UPDATE")
        if of:
            words.append("OF " + ", ".join(of))
        if nowait:
            words.append("NOWAIT")
        if skip_locked:
            words.append("SKIP LOCKED")
        return " ".join(words)

    def _slice_bounds(self, low_mark, high_mark):
        """(limit, offset) for a slice; an open-ended offset needs a sentinel limit."""
        offset = low_mark or 0
        if high_mark is None:
            limit = self.connection.ops.no_limit_value() if offset else None
        else:
            limit = high_mark - offset
        return limit, offset

    def limit_offset_sql(self, low_mark, high_mark):
        limit, offset = self._slice_bounds(low_mark, high_mark)
        clauses = []
        if limit:
            clauses.append("LIMIT %d" % limit)
        if offset:
            clauses.append("OFFSET %d" % offset)
        return " ".join(clauses)

    def explain_query_prefix(self, format=None, **options):
        """
        The EXPLAIN keyword(s) for a query.  ``format`` and every option name
        are validated against what the backend declares, so user input never
        reaches the SQL unchecked.
        """
        features = self.connection.features
        if not features.supports_explaining_query_execution:
            raise _not_supported("This backend does not support explaining query execution.")
        if format:
            wanted = format.upper()
            allowed = features.supported_explain_formats
            if wanted not in allowed:
                if allowed:
                    hint = "Allowed formats: %s" % ", ".join(sorted(allowed))
                else:
                    hint = "%s does not support any formats." % self.connection.display_name
                raise ValueError("%s is not a recognized format. %s" % (wanted, hint))
        rejected = sorted(k for k in options if k.lower() not in self.explain_options)
        if rejected:
            raise ValueError(
                "Unknown options: %s. Allowed options: %s."
                % (", ".join(rejected), ", ".join(sorted(self.explain_options)) or "none")
            )
        return self.explain_prefix

    # ------------------------------------------------------------------
    # INSERT support
    # ------------------------------------------------------------------
    def bulk_insert_sql(self, fields, placeholder_rows):
        rows = ["(%s)" % ", ".join(row) for row in placeholder_rows]
        return "VALUES " + ", ".join(rows)

    def bulk_insert_values_sql(self, fields, values):
        """
        For an INSERT of several rows whose values are all bare parameters
        (``values``: every row's values one after another, in ``fields``
        order): ``(sql, params)`` to put where bulk_insert_sql() would put its
        VALUES list with one placeholder per value, or None to keep that list.
        PostgreSQL sends one array per column.
        """
        return None

    def fetch_returned_insert_columns(self, cursor, returning_params):
        return cursor.fetchone()

    def fetch_returned_insert_rows(self, cursor):
        return cursor.fetchall()

    def last_insert_id(self, cursor, table_name, pk_name):
        return cursor.lastrowid  # DB-API's answer; vendors with sequences override

    # ------------------------------------------------------------------
    # Debug output
    # ------------------------------------------------------------------
    @staticmethod
    def _printable_param(value):
        # Keep numbers/dates as they are so %r shows them naturally;
        # bytes are decoded leniently so logging never fails.
        if isinstance(value, bytes):
            return value.decode("utf-8", errors="replace")
        plain = (int, float, decimal.Decimal, datetime.date, datetime.time)
        if value is None or isinstance(value, plain):
            return value
        return str(value)

    def last_executed_query(self, cursor, sql, params):
        """A readable form of the last statement; vendors may ask the driver."""
        show = self._printable_param
        if hasattr(params, "items"):
            shown = {show(key): show(value) for key, value in params.items()}
        else:
            shown = tuple(map(show, params or ()))
        return "QUERY = %r - PARAMS = %r" % (sql, shown)

    # ------------------------------------------------------------------
    # Scripts, flushing, sequences, transactions
    # ------------------------------------------------------------------
    def prepare_sql_script(self, sql):
        """Split a multi-statement script; DB-API drivers take one at a time."""
        try:
            import sqlparse
        except ImportError:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                "The sqlparse package is required if you don't split your SQL "
                "statements manually."
            )
        pieces = (s for s in sqlparse.split(sql) if s)
        return [sqlparse.format(s, strip_comments=True) for s in pieces]

    def execute_sql_flush(self, sql_list):
        """Run a flush script (statements written to run without
        parameters) as one unit where DDL can be rolled back, so that a
        failing statement leaves the tables untouched."""
        from django.db.transaction import Atomic

        one_unit = Atomic(self.connection, savepoint=self.connection.features.can_rollback_ddl)
        with one_unit, self.connection.cursor() as cursor:
            for statement in sql_list:
                cursor.execute(statement)

    def sequence_reset_by_name_sql(self, style, sequences):
        return []

    def sequence_reset_sql(self, style, model_list):
        return []

    def start_transaction_sql(self):
        return "BEGIN;"

    def end_transaction_sql(self, success=True):
        return "COMMIT;" if success else "ROLLBACK;"

    def savepoint_create_sql(self, sid):
        return "SAVEPOINT " + self.quote_name(sid)

    def savepoint_commit_sql(self, sid):
        return "RELEASE SAVEPOINT " + self.quote_name(sid)

    def savepoint_rollback_sql(self, sid):
        return "ROLLBACK TO SAVEPOINT " + self.quote_name(sid)

    # ------------------------------------------------------------------
    # LIKE escaping
    # ------------------------------------------------------------------
    _LIKE_ESCAPES = str.maketrans({"\\": "\\\\", "%": "\\%", "_": "\\_"})

    def prep_for_like_query(self, x):
        """Escape LIKE wildcards so user text matches literally."""
        return str(x).translate(self._LIKE_ESCAPES)

    prep_for_iexact_query = prep_for_like_query

    # ------------------------------------------------------------------
    # Python value -> driver value
    # ------------------------------------------------------------------
    def adapt_unknown_value(self, value):
        """Adapt by Python type when no field is known (e.g. raw() params)."""
        # datetime is a subclass of date, so it must be tried first.
        for kind, adapt in (
            (datetime.datetime, self.adapt_datetimefield_value),
            (datetime.date, self.adapt_datefield_value),
            (datetime.time, self.adapt_timefield_value),
            (decimal.Decimal, self.adapt_decimalfield_value),
        ):
            if isinstance(value, kind):
                return adapt(value)
        return value

    # Floats the database stores exactly as given; FloatField refuses NaN or
    # the infinities where a backend says it does not (storage_checks).
    stores_float_nan = True
    stores_float_infinity = True

    # Hooks a driver rarely needs: by default each hands its value back
    # untouched, and a vendor overrides the one its driver or dialect needs.
    process_clob = validate_autopk_value = format_debug_sql = _as_given
    adapt_integerfield_value = adapt_decimalfield_value = _as_given

    # Dates, datetimes and times travel as ISO text unless the driver adapts
    # the Python objects itself (then a vendor sets this False). A TIME
    # column has no zone, so an aware time is refused in every case, with a
    # message naming the backend.
    _temporals_as_text = True
    _aware_time_refused_by = "Django"

    def _temporal_for_driver(self, value):
        # None and expressions (compiled, not adapted) pass untouched.
        if value is None or not self._temporals_as_text or hasattr(value, "resolve_expression"):
            return value
        return str(value)

    adapt_datefield_value = adapt_datetimefield_value = _temporal_for_driver

    def adapt_timefield_value(self, value):
        if _is_aware(value):
            raise ValueError("%s does not support timezone-aware times." % self._aware_time_refused_by)
        return self._temporal_for_driver(value)

    def adapt_ipaddressfield_value(self, value):
        return value or None  # blank addresses are stored as NULL

    def adapt_json_value(self, value, encoder):
        return json.dumps(value, cls=encoder)

    def format_number(self, value, max_digits, decimal_places):
        return utils.format_number(value, max_digits, decimal_places)

    # ------------------------------------------------------------------
    # __year lookups compile to BETWEEN over these bounds.
    # ------------------------------------------------------------------
    @staticmethod
    def _year_span(kind, year, iso_year, last_step):
        # The upper bound is the last representable instant of the year
        # (computed from Dec 31 so that year 9999 works too).
        if iso_year:
            return kind.fromisocalendar(year, 1, 1), kind.fromisocalendar(year + 1, 1, 1) - last_step
        last_day = kind(year, 12, 31)
        return kind(year, 1, 1), last_day + (datetime.timedelta(days=1) - last_step)

    def year_lookup_bounds_for_date_field(self, value, iso_year=False):
        span = self._year_span(datetime.date, value, iso_year, datetime.timedelta(days=1))
        return [self.adapt_datefield_value(bound) for bound in span]

    def year_lookup_bounds_for_datetime_field(self, value, iso_year=False):
        step = datetime.timedelta(microseconds=1)
        span = self._year_span(datetime.datetime, value, iso_year, step)
        return [self.adapt_datetimefield_value(bound) for bound in span]

    def convert_durationfield_value(self, value, expression, connection):
        # Durations are stored as a microsecond count by default.
        if value is not None:
            return datetime.timedelta(microseconds=value)

    # ------------------------------------------------------------------
    # Expressions
    # ------------------------------------------------------------------
    def combine_expression(self, connector, sub_expressions):
        return (" %s " % connector).join(sub_expressions)

    def combine_duration_expression(self, connector, sub_expressions):
        return self.combine_expression(connector, sub_expressions)

    def integer_field_range(self, internal_type):
        return self.integer_field_ranges[internal_type]

    def subtract_temporals(self, internal_type, lhs, rhs):
        if not self.connection.features.supports_temporal_subtraction:
            raise _not_supported("This backend does not support %s subtraction." % internal_type)
        (lhs_sql, lhs_params), (rhs_sql, rhs_params) = lhs, rhs
        return "(%s - %s)" % (lhs_sql, rhs_sql), (*lhs_params, *rhs_params)

    def window_frame_start(self, start):
        if start is None:
            return self.UNBOUNDED_PRECEDING
        if isinstance(start, int) and start <= 0:
            return self.CURRENT_ROW if start == 0 else "%d %s" % (-start, self.PRECEDING)
        raise ValueError(
            "start argument must be a negative integer, zero, or None, but got '%s'." % start
        )

    def window_frame_end(self, end):
        if end is None:
            return self.UNBOUNDED_FOLLOWING
        if isinstance(end, int) and end >= 0:
            return self.CURRENT_ROW if end == 0 else "%d %s" % (end, self.FOLLOWING)
        raise ValueError(
            "end argument must be a positive integer, zero, or None, but got '%s'." % end
        )

    def window_frame_rows_start_end(self, start=None, end=None):
        if not self.connection.features.supports_over_clause:
            raise _not_supported("This backend does not support window expressions.")
        return self.window_frame_start(start), self.window_frame_end(end)

    def window_frame_range_start_end(self, start=None, end=None):
        return self.window_frame_rows_start_end(start, end)

    def prepare_join_on_clause(self, lhs_table, lhs_field, rhs_table, rhs_field):
        qn = self.quote_name
        return (
            "%s.%s" % (qn(lhs_table), qn(lhs_field.column)),
            "%s.%s" % (qn(rhs_table), qn(rhs_field.column)),
        )
