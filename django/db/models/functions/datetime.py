"""
Date and time functions: Extract (and the ``year``, ``month``... transforms
registered on date/time fields), Trunc, TruncDate/TruncTime and Now.

The SQL comes from the backend (``ops.date_extract_sql``,
``ops.datetime_trunc_sql``, ...); the part names are checked here against
fixed sets before they reach it, since they end up inside the SQL text.
"""
import functools
import zoneinfo
from datetime import datetime, timedelta, tzinfo
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db.models.expressions import Func
from django.db.models.fields import DateField, DateTimeField, DurationField, Field, IntegerField, TimeField
from django.db.models.lookups import Transform, YearExact, YearGt, YearGte, YearLt, YearLte

_CALENDAR_PARTS = ("year", "iso_year", "month", "day", "week", "week_day", "iso_week_day", "quarter")
_CLOCK_PARTS = ("hour", "minute", "second")

# Part names accepted by Extract() and the date transforms.
EXTRACT_KINDS = frozenset(_CALENDAR_PARTS + _CLOCK_PARTS)
# Parts a plain date does not have, and parts a duration does not have.
DATE_ONLY_KINDS = frozenset(_CLOCK_PARTS)
TIME_ONLY_KINDS = frozenset(_CALENDAR_PARTS)
# Precisions accepted by Trunc().
TRUNC_KINDS = frozenset(("year", "quarter", "month", "week", "day") + _CLOCK_PARTS)


def _describe(field):
    return getattr(field, "name", field)


def _unknown(what, value, allowed):
    return ValueError(
        "%s %r. Choose one of: %s." % (what, value, ", ".join(sorted(allowed)))
    )


@functools.lru_cache(maxsize=64)
def _known_zone(name):
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _offset_name(offset):
    """'UTC', or 'UTC+03:00' / 'UTC-05:30': the spelling every backend reads."""
    if not offset:
        return "UTC"
    minutes, seconds = divmod(abs(offset).total_seconds(), 60)
    if seconds:
        raise ValueError("Time zone offsets must be whole minutes, got %s." % offset)
    return "UTC%s%02d:%02d" % ("-" if offset < timedelta(0) else "+", *divmod(int(minutes), 60))


def database_zone_name(zone):
    """The name under which the backends evaluate datetimes in ``zone``.

    A zone with one fixed offset is named by that offset, whatever its label
    (``timezone(timedelta(hours=3), "EEST")``, ``get_fixed_timezone(180)``);
    any other zone by its IANA name, which must exist. Checked here, before
    any SQL, so every backend refuses an unknown zone the same way."""
    offset = zone.utcoffset(None)
    if offset is not None:
        return _offset_name(offset)
    name = getattr(zone, "key", None) or zone.tzname(None)
    if not name or not _known_zone(name):
        raise ValueError("Unknown time zone %r (from %r)." % (name, zone))
    return name


def _as_zone(value):
    """``tzinfo=`` of Trunc/Extract: a tzinfo, or the name of a zone."""
    if value is None or isinstance(value, tzinfo):
        return value
    if isinstance(value, str) and _known_zone(value):
        return zoneinfo.ZoneInfo(value)
    raise ValueError("Unknown time zone %r: give a tzinfo or an IANA zone name." % (value,))


class TimezoneMixin:
    """Adds the time zone name datetime SQL is evaluated in."""

    tzinfo = None

    def evaluation_zone(self):
        """The zone parts are observed in: 23:00 at -02:00 on Dec 31st is
        already Jan 1st in UTC, where it is stored."""
        from django.utils import timezone

        return self.tzinfo or timezone.get_current_timezone()

    def get_tzname(self):
        if not settings.USE_TZ:
            return None
        return database_zone_name(self.evaluation_zone())


# --------------------------------------------------------------------------
# Extract
# --------------------------------------------------------------------------
class Extract(TimezoneMixin, Transform):
    """Extract a part (year, month, hour...) of a date, time or datetime."""

    lookup_name = None
    output_field = IntegerField()

    def __init__(self, expression, lookup_name=None, tzinfo=None, **extra):
        # Subclasses fix the part; the generic class takes it as argument.
        part = self.lookup_name or lookup_name
        if part is None:
            raise ValueError("lookup_name must be provided")
        if part not in EXTRACT_KINDS:
            raise _unknown("Extract: unknown part", part, EXTRACT_KINDS)
        self.lookup_name = part
        self.tzinfo = _as_zone(tzinfo)
        super().__init__(expression, **extra)

    def _backend_function(self, connection):
        """The ops method that renders this extraction for the lhs type."""
        source = self.lhs.output_field
        ops = connection.ops
        if isinstance(source, DateTimeField):
            tzname = self.get_tzname()
            return lambda sql, params: ops.datetime_extract_sql(self.lookup_name, sql, params, tzname)
        if self.tzinfo is not None:
            raise ValueError("tzinfo can only be used with DateTimeField.")
        if isinstance(source, DateField):
            return lambda sql, params: ops.date_extract_sql(self.lookup_name, sql, params)
        if isinstance(source, DurationField) and not getattr(
            connection.features, "has_native_duration_field", False
        ):
            raise ValueError("Extract requires native DurationField database support.")
        if isinstance(source, (TimeField, DurationField)):
            return lambda sql, params: ops.time_extract_sql(self.lookup_name, sql, params)
        # resolve_expression() rejects every other type first.
        raise AssertionError("Tried to Extract from an invalid type.")

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return self._backend_function(connection)(sql, tuple(params))

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        resolved = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        source = getattr(resolved.lhs, "output_field", None)
        if source is not None:
            resolved._refuse_missing_part(source)
        return resolved

    def _refuse_missing_part(self, source):
        """A date has no clock and a duration no calendar: asking for those
        parts is a mistake worth reporting instead of returning NULL or 0."""
        if not isinstance(source, (DateField, TimeField, DurationField)):
            raise ValueError(
                "Extract input expression must be DateField, DateTimeField, "
                "TimeField, or DurationField."
            )
        if type(source) is DateField:
            lacking, what = DATE_ONLY_KINDS, "time component '%s' from DateField"
        elif isinstance(source, DurationField):
            lacking, what = TIME_ONLY_KINDS, "component '%s' from DurationField"
        else:
            return
        if self.lookup_name in lacking:
            raise ValueError(
                "Cannot extract %s '%s'." % (what % self.lookup_name, _describe(source))
            )


def _extract_class(class_name, part, doc=None):
    namespace = {"lookup_name": part, "__module__": __name__, "__qualname__": class_name}
    if doc:
        namespace["__doc__"] = doc
    return type(class_name, (Extract,), namespace)


ExtractYear = _extract_class("ExtractYear", "year")
ExtractIsoYear = _extract_class("ExtractIsoYear", "iso_year", "The year an ISO-8601 week belongs to.")
ExtractMonth = _extract_class("ExtractMonth", "month")
ExtractDay = _extract_class("ExtractDay", "day")
ExtractWeek = _extract_class("ExtractWeek", "week", "ISO-8601 week number (weeks start on Monday): 1 to 53.")
ExtractWeekDay = _extract_class("ExtractWeekDay", "week_day", "Day of the week counted from Sunday (1) to Saturday (7).")
ExtractIsoWeekDay = _extract_class("ExtractIsoWeekDay", "iso_week_day", "Day of the week counted from Monday (1) to Sunday (7).")
ExtractQuarter = _extract_class("ExtractQuarter", "quarter")
ExtractHour = _extract_class("ExtractHour", "hour")
ExtractMinute = _extract_class("ExtractMinute", "minute")
ExtractSecond = _extract_class("ExtractSecond", "second")

_DATE_PART_TRANSFORMS = (
    ExtractYear, ExtractMonth, ExtractDay, ExtractWeekDay, ExtractIsoWeekDay,
    ExtractWeek, ExtractIsoYear, ExtractQuarter,
)
_CLOCK_PART_TRANSFORMS = (ExtractHour, ExtractMinute, ExtractSecond)

# DateTimeField inherits the date parts from DateField.
for _field_class, _transforms in (
    (DateField, _DATE_PART_TRANSFORMS),
    (TimeField, _CLOCK_PART_TRANSFORMS),
    (DateTimeField, _CLOCK_PART_TRANSFORMS),
):
    for _transform in _transforms:
        _field_class.register_lookup(_transform)

# year__gte=2020 and friends compare the bare column with the year's bounds.
for _year_transform in (ExtractYear, ExtractIsoYear):
    for _lookup in (YearExact, YearGt, YearGte, YearLt, YearLte):
        _year_transform.register_lookup(_lookup)


# --------------------------------------------------------------------------
# Now
# --------------------------------------------------------------------------
class Now(Func):
    """The current timestamp, from the database."""

    template = "CURRENT_TIMESTAMP"
    output_field = DateTimeField()

    def _with_template(self, template, compiler, connection, extra_context):
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # CURRENT_TIMESTAMP is frozen at the start of the transaction there;
        # the other databases give the statement's time.
        return self._with_template("STATEMENT_TIMESTAMP()", compiler, connection, extra_context)

    def as_mysql(self, compiler, connection, **extra_context):
        # Without a precision the value has whole seconds only.
        return self._with_template("CURRENT_TIMESTAMP(6)", compiler, connection, extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # The text format SQLite datetimes are stored in, with fractions;
        # '%' is doubled twice: once for as_sql(), once for the driver.
        template = "STRFTIME('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%f', 'NOW')"
        return self._with_template(template, compiler, connection, extra_context)


# --------------------------------------------------------------------------
# Trunc
# --------------------------------------------------------------------------
# Kinds that make no sense for a plain date, and for a time of day.
_NOT_FOR_DATES = frozenset(_CLOCK_PARTS + ("time",))
_NOT_FOR_TIMES = frozenset(("year", "quarter", "month", "week", "day", "date"))


class TruncBase(TimezoneMixin, Transform):
    kind = None
    tzinfo = None

    def __init__(self, expression, output_field=None, tzinfo=None, **extra):
        if self.kind not in TRUNC_KINDS:
            raise _unknown("Trunc: unknown kind", self.kind, TRUNC_KINDS)
        self.tzinfo = _as_zone(tzinfo)
        super().__init__(expression, output_field=output_field, **extra)

    # Result type -> the ops method that renders the truncation, most
    # specific first (a DateTimeField is also a DateField).
    _RENDERERS = (
        (DateTimeField, "datetime_trunc_sql"),
        (DateField, "date_trunc_sql"),
        (TimeField, "time_trunc_sql"),
    )

    def as_sql(self, compiler, connection):
        from_datetime = isinstance(self.lhs.output_field, DateTimeField)
        if self.tzinfo is not None and not from_datetime:
            raise ValueError("tzinfo can only be used with DateTimeField.")
        renderers = [name for kind, name in self._RENDERERS if isinstance(self.output_field, kind)]
        if not renderers:
            raise ValueError("Trunc only valid on DateField, TimeField, or DateTimeField.")
        sql, params = compiler.compile(self.lhs)
        tzname = self.get_tzname() if from_datetime else None
        sql, params = getattr(connection.ops, renderers[0])(self.kind, sql, tuple(params), tzname)
        if renderers[0] == "datetime_trunc_sql" and tzname:
            # The start of the period on the zone's clock, taken back to an
            # instant: compared with datetimes as they are stored.
            sql, params = connection.ops.datetime_from_zone_sql(sql, params, tzname)
        return sql, params

    def _check_target(self, source, target, explicit):
        """Refuse truncations that would invent or drop information."""
        wanted = type(target).__name__ if explicit else "DateTimeField"
        wants_datetime = isinstance(target, DateTimeField)
        if type(source) is DateField and (wants_datetime or self.kind in _NOT_FOR_DATES):
            raise ValueError("Cannot truncate DateField '%s' to %s." % (_describe(source), wanted))
        if isinstance(source, TimeField) and (wants_datetime or self.kind in _NOT_FOR_TIMES):
            raise ValueError("Cannot truncate TimeField '%s' to %s." % (_describe(source), wanted))

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        resolved = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        source, result = resolved.lhs.output_field, resolved.output_field
        if not isinstance(source, (DateField, TimeField)):  # DateTimeField included
            raise TypeError(
                "%r isn't a DateField, TimeField, or DateTimeField." % _describe(source)
            )
        # Reading output_field above also settled it (the source's type
        # when none was given).
        if not isinstance(result, (DateField, TimeField)):
            raise ValueError("output_field must be either DateField, TimeField, or DateTimeField")
        # TruncDate and TruncTime fix their result type on the class.
        fixed = type(self).output_field
        if isinstance(fixed, Field):
            resolved._check_target(source, fixed, explicit=True)
        else:
            resolved._check_target(source, result, explicit=type(source) is not type(result))
        return resolved

    def convert_value(self, value, expression, connection):
        target = self.output_field
        if isinstance(target, DateTimeField):
            # The database answers with the instant the truncated period
            # starts at, in UTC (as datetimes are stored and compared);
            # it is shown in the zone it was truncated in.
            if settings.USE_TZ and isinstance(value, datetime):
                instant = value if value.tzinfo is not None else value.replace(tzinfo=dt_timezone.utc)
                value = instant.astimezone(self.evaluation_zone())
            return value
        if isinstance(value, datetime):
            # Some drivers hand back datetimes for date or time results.
            if isinstance(target, DateField):
                return value.date()
            if isinstance(target, TimeField):
                return value.time()
        return value


class Trunc(TruncBase):
    """Truncate a date/time to ``kind`` (year, quarter, month, week, day, hour...)."""

    def __init__(self, expression, kind, output_field=None, tzinfo=None, **extra):
        if not isinstance(kind, str) or kind not in TRUNC_KINDS:
            raise _unknown("Trunc: unknown kind", kind, TRUNC_KINDS)
        self.kind = kind
        super().__init__(expression, output_field=output_field, tzinfo=tzinfo, **extra)


def _trunc_class(class_name, kind, doc=None):
    namespace = {"kind": kind, "__module__": __name__, "__qualname__": class_name}
    if doc:
        namespace["__doc__"] = doc
    return type(class_name, (TruncBase,), namespace)


TruncYear = _trunc_class("TruncYear", "year")
TruncQuarter = _trunc_class("TruncQuarter", "quarter")
TruncMonth = _trunc_class("TruncMonth", "month")
TruncWeek = _trunc_class("TruncWeek", "week", "Midnight at the start of the week's Monday.")
TruncDay = _trunc_class("TruncDay", "day")
TruncHour = _trunc_class("TruncHour", "hour")
TruncMinute = _trunc_class("TruncMinute", "minute")
TruncSecond = _trunc_class("TruncSecond", "second")


class _DatetimePartCast(TruncBase):
    """The date or the time of day of a datetime: a cast on the backend,
    not a truncation, so the kind check of TruncBase does not apply."""

    _ops_method = None

    def __init__(self, expression, tzinfo=None, **extra):
        self.tzinfo = _as_zone(tzinfo)
        Transform.__init__(self, expression, **extra)

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        render = getattr(connection.ops, self._ops_method)
        return render(sql, tuple(params), self.get_tzname())


class TruncDate(_DatetimePartCast):
    kind = "date"
    lookup_name = "date"
    output_field = DateField()
    _ops_method = "datetime_cast_date_sql"


class TruncTime(_DatetimePartCast):
    kind = "time"
    lookup_name = "time"
    output_field = TimeField()
    _ops_method = "datetime_cast_time_sql"


DateTimeField.register_lookup(TruncDate)
DateTimeField.register_lookup(TruncTime)
