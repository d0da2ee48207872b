"""SQL dialect of MariaDB / MySQL."""
import datetime
import uuid

from django.db.backends.base.operations import (
    DATE_TRUNC_KINDS, EXTRACT_KINDS, TIME_TRUNC_KINDS, TRUNC_KINDS, TZNAME_RE, BaseDatabaseOperations,
    check_kind as _check_kind,
)
from django.db.backends.utils import split_tzname_delta
from django.db.utils import NotSupportedError


def _use_tz():
    from django.conf import settings

    return bool(getattr(settings, "USE_TZ", False))


class DatabaseOperations(BaseDatabaseOperations):
    explain_prefix = "EXPLAIN"
    explain_options = frozenset({"analyze"})
    cast_char_field_without_max_length = "char"
    # CAST() only knows a few target types: every integer becomes SIGNED or
    # UNSIGNED INTEGER, text becomes CHAR.
    cast_data_types = {
        **dict.fromkeys(
            (
                "AutoField",
                "BigAutoField",
                "SmallAutoField",
                "IntegerField",
                "BigIntegerField",
                "SmallIntegerField",
                "DurationField",
            ),
            "signed integer",
        ),
        **dict.fromkeys(
            ("PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField"),
            "unsigned integer",
        ),
        "CharField": "char(%(max_length)s)",
        "TextField": "char",
        "DecimalField": "decimal(%(max_digits)s, %(decimal_places)s)",
    }
    # Positive fields are real UNSIGNED columns here, twice the range.
    integer_field_ranges = dict(
        BaseDatabaseOperations.integer_field_ranges,
        PositiveSmallIntegerField=(0, 2**16 - 1),
        PositiveIntegerField=(0, 2**32 - 1),
        PositiveBigIntegerField=(0, 2**64 - 1),
    )

    # DOUBLE has neither NaN nor infinities (the driver refuses them).
    stores_float_nan = stores_float_infinity = False

    # ----- names --------------------------------------------------------------

    identifier_quote = "`"

    def max_name_length(self):
        return 64

    def no_limit_value(self):
        # The largest BIGINT UNSIGNED: MySQL has no "LIMIT ALL".
        return 18446744073709551615

    def random_function_sql(self):
        return "RAND()"

    def force_no_ordering(self):
        """GROUP BY used to sort implicitly; ORDER BY NULL says 'do not'."""
        return [(None, ("NULL", [], False))]

    def last_executed_query(self, cursor, sql, params):
        # PyMySQL keeps the exact text it sent, parameters merged in.
        executed = getattr(cursor, "_executed", None)
        if executed is None:
            return super().last_executed_query(cursor, sql, params)
        if isinstance(executed, bytes):
            return executed.decode(errors="replace")
        return executed

    # ----- lookups ------------------------------------------------------------

    def regex_lookup(self, lookup_type):
        """REGEXP with an inline PCRE/ICU flag: the column collation does not matter."""
        if lookup_type == "regex":
            return "%s REGEXP CONCAT('(?-i)', %s)"
        if lookup_type == "iregex":
            return "%s REGEXP CONCAT('(?i)', %s)"
        raise ValueError("Invalid regex lookup type: %r" % (lookup_type,))

    def lookup_cast(self, lookup_type, internal_type=None):
        return "%s"

    # Connectors MySQL spells differently: a template over the operands
    # joined by a separator. Bitwise results are unsigned 64-bit there, so
    # they are converted back to signed integers.
    _CONNECTOR_TEMPLATES = {
        "^": ("POW(%s)", ","),
        "&": ("CONVERT(%s, SIGNED)", "&"),
        "|": ("CONVERT(%s, SIGNED)", "|"),
        "<<": ("CONVERT(%s, SIGNED)", "<<"),
        "#": ("CONVERT(%s, SIGNED)", "^"),
    }

    def combine_expression(self, connector, sub_expressions):
        if connector == ">>":
            # An arithmetic shift keeps the sign: floor-divide by 2**n.
            return "FLOOR(%s / POW(2, %s))" % tuple(sub_expressions)
        spelled = self._CONNECTOR_TEMPLATES.get(connector)
        if spelled is None:
            return super().combine_expression(connector, sub_expressions)
        template, separator = spelled
        return template % separator.join(sub_expressions)

    def format_for_duration_arithmetic(self, sql):
        return "INTERVAL %s MICROSECOND" % sql

    # ----- dates and times ------------------------------------------------------

    def _tz_literal(self, tzname):
        if not TZNAME_RE.match(tzname):
            raise ValueError("Invalid time zone name: %r" % (tzname,))
        name, sign, offset = split_tzname_delta(tzname)
        if offset:
            if name and name.upper() != "UTC":
                raise NotSupportedError(
                    "MySQL cannot combine a named time zone with an offset: %r" % tzname
                )
            return "'%s%s'" % (sign, offset)
        if tzname.upper() in ("UTC", "GMT", "ETC/UTC", "Z"):
            return "'+00:00'"
        if not self.connection.features.has_zoneinfo_database:
            raise NotSupportedError(
                "The time zone %r needs the server's time zone tables; load them "
                "with mysql_tzinfo_to_sql (see docs/ref/databases.txt)." % tzname
            )
        return "'%s'" % tzname

    def _in_zone_sql(self, sql, params, tzname, back=False):
        """``sql`` (stored in UTC) on the clock of ``tzname``; with ``back``,
        a time on that clock taken back to UTC."""
        if tzname and _use_tz():
            target = self._tz_literal(tzname)
            if target != "'+00:00'":
                zones = (target, "'+00:00'") if back else ("'+00:00'", target)
                sql = "CONVERT_TZ(%s, %s, %s)" % (sql, *zones)
        return sql, params

    def date_extract_sql(self, lookup_type, sql, params):
        kind = _check_kind(lookup_type, EXTRACT_KINDS, "extract")
        if kind == "week_day":
            # DAYOFWEEK(): 1 = Sunday ... 7 = Saturday.
            return "DAYOFWEEK(%s)" % sql, tuple(params)
        if kind == "iso_week_day":
            # WEEKDAY(): 0 = Monday.
            return "WEEKDAY(%s) + 1" % sql, tuple(params)
        if kind == "week":
            # Mode 3: ISO-8601 weeks (Monday first, week 1 has 4+ days).
            return "WEEK(%s, 3)" % sql, tuple(params)
        if kind == "iso_year":
            return "TRUNCATE(YEARWEEK(%s, 3), -2) / 100" % sql, tuple(params)
        return "EXTRACT(%s FROM %s)" % (kind.upper(), sql), tuple(params)

    def datetime_extract_sql(self, lookup_type, sql, params, tzname):
        sql, params = self._in_zone_sql(sql, params, tzname)
        return self.date_extract_sql(lookup_type, sql, params)

    def date_trunc_sql(self, lookup_type, sql, params, tzname=None):
        kind = _check_kind(lookup_type, DATE_TRUNC_KINDS, "date truncation")
        sql, params = self._in_zone_sql(sql, params, tzname)
        if kind == "year":
            out = "MAKEDATE(YEAR(%s), 1)" % sql
        elif kind == "quarter":
            out = "MAKEDATE(YEAR({0}), 1) + INTERVAL QUARTER({0}) QUARTER - INTERVAL 1 QUARTER".format(
                sql
            )
            # The expression appears twice: so do its parameters.
            params = (*params, *params)
            return out, tuple(params)
        elif kind == "month":
            out = "CAST(DATE_FORMAT(%s, '%%%%Y-%%%%m-01') AS DATE)" % sql
        elif kind == "week":
            out = "DATE_SUB(DATE({0}), INTERVAL WEEKDAY({0}) DAY)".format(sql)
            params = (*params, *params)
            return out, tuple(params)
        else:
            out = "DATE(%s)" % sql
        return out, tuple(params)

    # DATE_FORMAT() patterns keeping the fields down to each unit.
    _TRUNC_FORMATS = {
        "year": "%%Y-01-01 00:00:00",
        "month": "%%Y-%%m-01 00:00:00",
        "day": "%%Y-%%m-%%d 00:00:00",
        "hour": "%%Y-%%m-%%d %%H:00:00",
        "minute": "%%Y-%%m-%%d %%H:%%i:00",
        "second": "%%Y-%%m-%%d %%H:%%i:%%s",
    }

    def datetime_trunc_sql(self, lookup_type, sql, params, tzname):
        kind = _check_kind(lookup_type, TRUNC_KINDS, "datetime truncation")
        local, params = self._in_zone_sql(sql, params, tzname)
        if kind in ("quarter", "week"):
            day_sql, params = self.date_trunc_sql(kind, local, params)
            return "CAST(%s AS DATETIME)" % day_sql, tuple(params)
        return "CAST(DATE_FORMAT(%s, '%s') AS DATETIME)" % (local, self._TRUNC_FORMATS[kind]), tuple(params)

    def datetime_from_zone_sql(self, sql, params, tzname):
        return self._in_zone_sql(sql, params, tzname, back=True)

    def time_trunc_sql(self, lookup_type, sql, params, tzname=None):
        kind = _check_kind(lookup_type, TIME_TRUNC_KINDS, "time truncation")
        sql, params = self._in_zone_sql(sql, params, tzname)
        formats = {"hour": "%%H:00:00", "minute": "%%H:%%i:00", "second": "%%H:%%i:%%s"}
        return "CAST(DATE_FORMAT(%s, '%s') AS TIME)" % (sql, formats[kind]), tuple(params)

    def datetime_cast_date_sql(self, sql, params, tzname):
        sql, params = self._in_zone_sql(sql, params, tzname)
        return "DATE(%s)" % sql, tuple(params)

    def datetime_cast_time_sql(self, sql, params, tzname):
        sql, params = self._in_zone_sql(sql, params, tzname)
        return "TIME(%s)" % sql, tuple(params)

    def subtract_temporals(self, internal_type, lhs, rhs):
        """The difference in microseconds (DurationField is a bigint here)."""
        (left, left_params), (right, right_params) = lhs, rhs
        if internal_type != "TimeField":
            return "TIMESTAMPDIFF(MICROSECOND, %s, %s)" % (right, left), (*right_params, *left_params)
        # Times of day: microseconds since midnight of each, subtracted.
        since_midnight = "(TIME_TO_SEC({0}) * 1000000 + MICROSECOND({0}))"
        sql = "(%s - %s)" % (since_midnight.format(left), since_midnight.format(right))
        return sql, (*left_params, *left_params, *right_params, *right_params)

    # ----- values ---------------------------------------------------------------

    # The driver adapts date/time objects itself (no ISO text needed).
    _temporals_as_text = False
    _aware_time_refused_by = "MySQL backend"

    def adapt_datetimefield_value(self, value):
        """
        DATETIME has no time zone. With USE_TZ, aware values are stored as
        naive UTC (and made aware again by the converters); without USE_TZ
        an aware value is an error rather than a silent shift.
        """
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if value.tzinfo is not None and value.utcoffset() is not None:
            if not _use_tz():
                raise ValueError(
                    "MySQL backend does not support timezone-aware datetimes when "
                    "USE_TZ is False (got %r)." % (value,)
                )
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value

    def get_db_converters(self, expression):
        converters = super().get_db_converters(expression)
        kind = expression.output_field.get_internal_type()
        # Datetimes are stored as naive UTC; they only need a tzinfo when
        # the project works with aware values.
        needs = {
            "BooleanField": self.convert_booleanfield_value,
            "UUIDField": self.convert_uuidfield_value,
            "DateTimeField": self.convert_datetimefield_value if _use_tz() else None,
        }.get(kind)
        if needs is not None:
            converters.append(needs)
        return converters

    def convert_booleanfield_value(self, value, expression, connection):
        # TINYINT(1) reads back as 0/1; leave anything else alone.
        return bool(value) if value in (0, 1) else value

    def convert_datetimefield_value(self, value, expression, connection):
        naive = isinstance(value, datetime.datetime) and value.tzinfo is None
        return value.replace(tzinfo=datetime.timezone.utc) if naive else value

    def convert_uuidfield_value(self, value, expression, connection):
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(value)  # stored as char(32) hex

    # ----- inserts ---------------------------------------------------------------

    def return_insert_columns(self, fields):
        """INSERT ... RETURNING (MariaDB 10.5+, see features)."""
        if not fields:
            return "", ()
        columns = ", ".join(
            "%s.%s" % (self.quote_name(field.model._meta.db_table), self.quote_name(field.column))
            for field in fields
        )
        return "RETURNING %s" % columns, ()

    def insert_statement(self, on_conflict=None):
        if str(getattr(on_conflict, "value", on_conflict)).lower() == "ignore":
            return "INSERT IGNORE INTO"
        return super().insert_statement(on_conflict=on_conflict)

    def on_conflict_suffix_sql(self, fields, on_conflict, update_fields, unique_fields):
        if str(getattr(on_conflict, "value", on_conflict)).lower() == "update":
            return "ON DUPLICATE KEY UPDATE %s" % ", ".join(
                "%s = VALUES(%s)" % (self.quote_name(f), self.quote_name(f))
                for f in update_fields
            )
        return ""

    # ----- flush and sequences ---------------------------------------------------

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        """
        Foreign key checks are off while emptying, so the table order does
        not matter. TRUNCATE also restarts AUTO_INCREMENT (it is DDL: it
        commits); DELETE keeps the counters.
        """
        if not tables:
            return []
        verb = ["TRUNCATE"] if reset_sequences else ["DELETE", "FROM"]
        lead = " ".join(style.SQL_KEYWORD(word) for word in verb)
        emptying = [
            "%s %s;" % (lead, style.SQL_FIELD(self.quote_script_name(table))) for table in tables
        ]
        return ["SET FOREIGN_KEY_CHECKS = 0;", *emptying, "SET FOREIGN_KEY_CHECKS = 1;"]

    def sequence_reset_by_name_sql(self, style, sequences):
        alter_table = "%s %s" % (style.SQL_KEYWORD("ALTER"), style.SQL_KEYWORD("TABLE"))
        counter = style.SQL_FIELD("AUTO_INCREMENT")
        return [
            "%s %s %s = 1;" % (alter_table, style.SQL_FIELD(self.quote_script_name(seq["table"])), counter)
            for seq in sequences
        ]

    def sequence_reset_sql(self, style, model_list):
        # An explicit id larger than the counter moves AUTO_INCREMENT past it
        # by itself: nothing to do.
        return []

    def validate_autopk_value(self, value):
        if value == 0 and not self.connection.features.allows_auto_pk_0:
            raise ValueError("The database backend does not accept 0 as a value for AutoField.")
        return value

    # ----- EXPLAIN --------------------------------------------------------------

    def explain_query_prefix(self, format=None, **options):
        """
        MariaDB: ANALYZE [FORMAT=JSON] runs the query and reports; MySQL:
        EXPLAIN ANALYZE (tree format only). TEXT means the default table.
        """
        prefix = super().explain_query_prefix(format, **options)
        mariadb = self.connection.mysql_is_mariadb
        fmt = format.upper() if format else None
        if fmt in ("TEXT", "TRADITIONAL"):
            # The classic table; MariaDB has no name for it.
            fmt = None if mariadb else "TRADITIONAL"
        if options.get("analyze"):
            if mariadb:
                prefix = "ANALYZE"
            else:
                prefix += " ANALYZE"
                fmt = "TREE" if fmt == "TREE" else None  # the only format it has
        if fmt:
            prefix += " FORMAT=%s" % fmt
        return prefix
