"""
Python functions installed into every SQLite connection.

SQLite stores dates as ISO text and ships a small function library, so the
query layer compiles date handling, regular expressions and a handful of
text and math functions to calls of the functions below (``operations.py``
decides the call shapes). Each is declared with ``@sql("NAME")``, which
records it for ``register(connection)``; the SQL names and argument counts
are the contract with ``operations.py``.

Unless declared with ``keeps_nulls=True``, a function follows SQL's rule
that NULL in any argument gives NULL, without being called.
"""
import functools
import hashlib
import math
import operator
import random
import re
import statistics
from datetime import date, datetime, time, timedelta, timezone

from django.db.backends.utils import split_tzname_delta, typecast_time, typecast_timestamp

# (SQL name, argument count, callable), filled by @sql.
SQL_FUNCTIONS = []


def _null_in_null_out(func):
    @functools.wraps(func)
    def guarded(*args):
        return None if None in args else func(*args)

    return guarded


def sql(name, keeps_nulls=False):
    """Declare the decorated function as the SQL function ``name``."""

    def declare(func):
        body = func if keeps_nulls else _null_in_null_out(func)
        SQL_FUNCTIONS.append((name, func.__code__.co_argcount, body))
        return body

    return declare


def _unknown_kind(kind):
    return ValueError("Unsupported lookup type: %r" % (kind,))


# ---------------------------------------------------------------------------
# Moments: stored text -> datetime/date, seen from a time zone
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=64)
def zone_named(name):
    """tzinfo for 'UTC', 'Europe/Paris' or a fixed offset 'UTC+05:30'."""
    base, sign, offset = split_tzname_delta(name)
    if offset:
        digits = offset.replace(":", "")  # "05:30" or "0530"
        shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        return timezone(-shift if sign == "-" else shift)
    if base.upper() == "UTC":
        return timezone.utc
    import zoneinfo

    return zoneinfo.ZoneInfo(base)


def moment(text, zone=None, stored_zone=None):
    """The date or datetime ``text`` holds (None if it holds neither). With
    time zones on, a datetime is stored in ``stored_zone`` and wanted as
    seen from ``zone``."""
    try:
        value = text if isinstance(text, date) else typecast_timestamp(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(value, datetime):
        return value
    if stored_zone:
        value = value.replace(tzinfo=zone_named(stored_zone))
    if zone and zone != stored_zone:
        value = value.astimezone(zone_named(zone))
    return value


def time_of_day(text, zone, stored_zone):
    """The clock time of a stored datetime, or of a bare 'HH:MM[:SS]'."""
    value = moment(text, zone, stored_zone)
    if isinstance(value, datetime):
        return value.time()
    try:
        return typecast_time(text)
    except (TypeError, ValueError):
        return None


def _as_datetime(value):
    return value if isinstance(value, datetime) else datetime.combine(value, time())


# ---------------------------------------------------------------------------
# Truncation: keep the leading fields of the moment, reset the rest
# ---------------------------------------------------------------------------
# How many fields of (year, month, day, hour, minute, second) a unit keeps.
_KEPT_FIELDS = {"year": 1, "month": 2, "day": 3, "hour": 4, "minute": 5, "second": 6}
DATE_UNITS = frozenset({"year", "quarter", "month", "week", "day"})
CLOCK_UNITS = frozenset({"hour", "minute", "second"})


def truncated(value, unit):
    """``value`` (a datetime) with every field below ``unit`` reset."""
    if unit == "week":  # the Monday of the ISO week
        value, unit = value - timedelta(days=value.weekday()), "day"
    elif unit == "quarter":  # the first month of the quarter
        value, unit = value.replace(month=value.month - (value.month - 1) % 3), "month"
    if unit not in _KEPT_FIELDS:
        raise _unknown_kind(unit)
    fields = tuple(value.timetuple())[: _KEPT_FIELDS[unit]]
    return datetime(*fields, *(1,) * (3 - len(fields)))


def _date_text(value):
    return "%04d-%02d-%02d" % (value.year, value.month, value.day)


def _clock_text(value):
    return "%02d:%02d:%02d" % (value.hour, value.minute, value.second)


def _truncated_moment(unit, text, zone, stored_zone, allowed):
    """The start of the ``unit`` holding the stored datetime ``text``, on
    the clock of ``zone`` (naive), or None. The unit is checked only for a
    value that parses: NULL and junk give NULL whatever the unit."""
    value = None if text is None else moment(text, zone, stored_zone)
    if value is None:
        return None
    if unit not in allowed:
        raise _unknown_kind(unit)
    return truncated(_as_datetime(value), unit)


@sql("django_date_trunc", keeps_nulls=True)
def django_date_trunc(unit, text, zone, stored_zone):
    start = _truncated_moment(unit, text, zone, stored_zone, DATE_UNITS)
    return None if start is None else _date_text(start)


def _datetime_text(value):
    return "%s %s" % (_date_text(value), _clock_text(value))


@sql("django_datetime_trunc", keeps_nulls=True)
def django_datetime_trunc(unit, text, zone, stored_zone):
    start = _truncated_moment(unit, text, zone, stored_zone, DATE_UNITS | CLOCK_UNITS)
    return None if start is None else _datetime_text(start)


@sql("django_datetime_from_zone", keeps_nulls=True)
def django_datetime_from_zone(text, zone, stored_zone):
    """A datetime on the clock of ``zone`` as stored (in ``stored_zone``)."""
    value = None if text is None else moment(text)
    if not isinstance(value, datetime):
        return None
    if zone and stored_zone:
        value = value.replace(tzinfo=zone_named(zone)).astimezone(zone_named(stored_zone))
    return _datetime_text(value)


@sql("django_time_trunc", keeps_nulls=True)
def django_time_trunc(unit, text, zone, stored_zone):
    clock = None if text is None else time_of_day(text, zone, stored_zone)
    if clock is None:
        return None
    if unit not in CLOCK_UNITS:
        raise _unknown_kind(unit)
    return _clock_text(truncated(datetime.combine(date.min, clock), unit))


# ---------------------------------------------------------------------------
# Casts and extraction
# ---------------------------------------------------------------------------
@sql("django_datetime_cast_date", keeps_nulls=True)
def django_datetime_cast_date(text, zone, stored_zone):
    value = moment(text, zone, stored_zone)
    return None if value is None else _as_datetime(value).date().isoformat()


@sql("django_datetime_cast_time", keeps_nulls=True)
def django_datetime_cast_time(text, zone, stored_zone):
    value = moment(text, zone, stored_zone)
    return value.time().isoformat() if isinstance(value, datetime) else None


# Parts that are not simply an attribute of the date or datetime.
_DERIVED_PARTS = {
    "week_day": lambda value: value.isoweekday() % 7 + 1,  # Sunday=1 ... Saturday=7
    "iso_week_day": lambda value: value.isoweekday(),
    "week": lambda value: value.isocalendar()[1],
    "iso_year": lambda value: value.isocalendar()[0],
    "quarter": lambda value: (value.month + 2) // 3,
}


def part_of(value, kind):
    derive = _DERIVED_PARTS.get(kind)
    if derive is not None:
        return derive(value)
    if kind not in _KEPT_FIELDS or not hasattr(value, kind):
        raise _unknown_kind(kind)
    return getattr(value, kind)


@sql("django_datetime_extract", keeps_nulls=True)
def django_datetime_extract(kind, text, zone=None, stored_zone=None):
    value = moment(text, zone, stored_zone)
    return None if value is None else part_of(value, kind)


@sql("django_date_extract", keeps_nulls=True)
def django_date_extract(kind, text):
    return django_datetime_extract(kind, text)


@sql("django_time_extract", keeps_nulls=True)
def django_time_extract(kind, text):
    clock = None if text is None else time_of_day(text, None, None)
    return None if clock is None else getattr(clock, kind)


# ---------------------------------------------------------------------------
# Durations: a DurationField is stored as an integer of microseconds
# ---------------------------------------------------------------------------
def _microseconds(delta):
    return (delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds


def _temporal(value):
    """In + and -, an integer is a duration and text a timestamp."""
    return timedelta(microseconds=value) if isinstance(value, int) else typecast_timestamp(value)


@sql("django_format_dtdelta")
def django_format_dtdelta(connector, lhs, rhs):
    """``lhs connector rhs`` for duration expressions; the result of + and -
    goes back to SQLite as text ('YYYY-MM-DD[ HH:MM:SS]' or a duration's
    str()), scaling keeps the number."""
    connector = connector.strip()
    if connector not in ("+", "-"):
        return (operator.mul if connector == "*" else operator.truediv)(lhs, rhs)
    try:
        left, right = _temporal(lhs), _temporal(rhs)
    except (TypeError, ValueError):
        return None
    return str(left + right if connector == "+" else left - right)


@sql("django_time_diff")
def django_time_diff(lhs, rhs):
    def since_midnight(text):
        return _microseconds(datetime.combine(date.min, typecast_time(text)) - datetime.min)

    return since_midnight(lhs) - since_midnight(rhs)


@sql("django_timestamp_diff")
def django_timestamp_diff(lhs, rhs):
    return _microseconds(_as_datetime(typecast_timestamp(lhs)) - _as_datetime(typecast_timestamp(rhs)))


# ---------------------------------------------------------------------------
# Text and regular expressions
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=256)
def _compiled(pattern):
    return re.compile(pattern)


@sql("regexp")
def regexp(pattern, string):
    return bool(_compiled(pattern).search(str(string)))


@sql("LPAD")
def lpad(text, length, fill_text):
    padding = (fill_text * length)[: max(length - len(text), 0)]
    return (padding + text)[:length]


@sql("RPAD")
def rpad(text, length, fill_text):
    return (text + fill_text * length)[:length]


@sql("REPEAT")
def repeat(text, count):
    return text * count


@sql("REVERSE")
def reverse(text):
    return text[::-1]


def _digest(algorithm):
    def hexdigest(text):
        return hashlib.new(algorithm, text.encode(), usedforsecurity=False).hexdigest()

    hexdigest.__name__ = algorithm
    return hexdigest


# Algorithm -> the registered MD5(), SHA1() ... function.
DIGESTS = {
    algorithm: sql(algorithm.upper())(_digest(algorithm))
    for algorithm in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")
}


@functools.lru_cache(maxsize=256)
def like_pattern(pattern, escape):
    """A LIKE pattern (with its ESCAPE character, if any) as a regex."""
    pieces, escaped = [], False
    for char in pattern:
        if escaped:
            pieces.append(re.escape(char))
            escaped = False
        elif char == escape:
            escaped = True
        else:
            pieces.append({"%": ".*", "_": "."}.get(char, re.escape(char)))
    return re.compile("".join(pieces), re.DOTALL)


def case_sensitive_like(pattern, string, escape=None):
    """``string LIKE pattern [ESCAPE escape]``, with case."""
    if pattern is None or string is None:
        return None
    return like_pattern(str(pattern), escape).fullmatch(str(string)) is not None


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------
@sql("BITXOR")
def bitxor(left, right):
    return left ^ right


@sql("COT")
def cot(x):
    return 1 / math.tan(x)


@sql("SIGN")
def sign(x):
    return (x > 0) - (x < 0)


@_null_in_null_out
def log_base_first(base, x):
    # SQL's LOG(b, x) puts the base first, unlike math.log(x, b).
    return math.log(x, base)


# Only needed when SQLite was built without its math functions.
MATH_FALLBACKS = (
    ("ACOS", 1, math.acos), ("ASIN", 1, math.asin), ("ATAN", 1, math.atan),
    ("ATAN2", 2, math.atan2), ("CEILING", 1, math.ceil), ("COS", 1, math.cos),
    ("DEGREES", 1, math.degrees), ("EXP", 1, math.exp), ("FLOOR", 1, math.floor),
    ("LN", 1, math.log), ("MOD", 2, math.fmod), ("POWER", 2, operator.pow),
    ("RADIANS", 1, math.radians), ("SIN", 1, math.sin), ("SQRT", 1, math.sqrt),
    ("TAN", 1, math.tan), ("LOG", 2, log_base_first),
)


class StatisticsAggregate:
    """An SQLite aggregate feeding the non-NULL values to ``compute``; too
    few values for it (a sample of one) give NULL."""

    compute = None

    @classmethod
    def of(cls, compute):
        return type("Aggregate_" + compute.__name__, (cls,), {"compute": staticmethod(compute)})

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        try:
            return self.compute(self.values)
        except statistics.StatisticsError:
            return None


STATISTICS_AGGREGATES = {
    "STDDEV_POP": statistics.pstdev,
    "STDDEV_SAMP": statistics.stdev,
    "VAR_POP": statistics.pvariance,
    "VAR_SAMP": statistics.variance,
}


# ---------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------
def _answers(connection, probe_sql):
    try:
        connection.execute(probe_sql).fetchone()
    except Exception:
        return False
    return True


def register(connection):
    # Deterministic functions may be used in indexes and get optimised.
    functions = list(SQL_FUNCTIONS)
    if not _answers(connection, "SELECT SQRT(4)"):
        functions += [(name, count, _null_in_null_out(func)) for name, count, func in MATH_FALLBACKS]
        functions.append(("PI", 0, lambda: math.pi))
    for name, count, func in functions:
        connection.create_function(name, count, func, deterministic=True)
    for name, compute in STATISTICS_AGGREGATES.items():
        connection.create_aggregate(name, 1, StatisticsAggregate.of(compute))
    connection.create_function("RAND", 0, random.random)  # not deterministic


def ensure_case_sensitive_like(connection):
    """
    LIKE must be case-sensitive (the i-lookups use UPPER() explicitly).
    PRAGMA case_sensitive_like does it where the build honours it;
    otherwise an application-defined "like" function replaces the operator.
    """
    connection.execute("PRAGMA case_sensitive_like = ON")
    if connection.execute("SELECT 'a' LIKE 'A'").fetchone()[0]:
        for count in (2, 3):
            connection.create_function("like", count, case_sensitive_like, deterministic=True)
