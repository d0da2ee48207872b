"""
Python functions installed into every SQLite connection.

SQLite stores dates as ISO text and ships only a small function library, so
the query layer compiles date handling, regular expressions and a handful of
string/math functions to calls of the functions below (``operations.py``
decides the call shapes).  ``register(connection)`` installs them.

Every function follows SQL's rule that NULL in any argument gives NULL out;
``_none_guard`` implements that once instead of in each body.
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

_MICROS_PER_SECOND = 10**6


def _none_guard(func):
    """NULL in, NULL out: SQL functions propagate NULL."""

    @functools.wraps(func)
    def wrapper(*args):
        if None in args:
            return None
        return func(*args)

    return wrapper


def _unsupported(lookup_type):
    return ValueError(f"Unsupported lookup type: {lookup_type!r}")


# ---------------------------------------------------------------------------
# Parsing stored values and time zones
# ---------------------------------------------------------------------------
def _parse_datetime(value):
    """A date/datetime from stored text, or None if it does not parse."""
    if isinstance(value, (datetime, date)):
        return value
    try:
        return typecast_timestamp(value)
    except (TypeError, ValueError):
        return None


def _tz(tzname):
    """tzinfo for names such as 'UTC', 'Europe/Paris' or 'UTC+05:30'."""
    name, sign, offset = split_tzname_delta(tzname)
    if offset:
        hours, _, minutes = offset.partition(":")
        shift = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return timezone(shift if sign == "+" else -shift)
    if name.upper() == "UTC":
        return timezone.utc
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


def _sqlite_datetime_parse(dt, tzname=None, conn_tzname=None):
    """
    Parse a stored value.  With time zones active, stored datetimes are in
    the connection's zone and the caller wants them seen from ``tzname``.
    """
    value = None if dt is None else _parse_datetime(dt)
    if not isinstance(value, datetime):
        return value  # None or a plain date: nothing to shift
    if conn_tzname:
        value = value.replace(tzinfo=_tz(conn_tzname))
    if tzname is not None and tzname != conn_tzname:
        value = value.astimezone(_tz(tzname))
    return value


def _parse_time_of_day(value, tzname, conn_tzname):
    """Time-of-day from either a datetime or a bare 'HH:MM:SS' string."""
    parsed = _sqlite_datetime_parse(value, tzname, conn_tzname)
    if parsed is not None:
        return parsed
    try:
        return typecast_time(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------
# Truncation.  Each unit maps to the fields it keeps; formatting is separate
# so the date, datetime and time variants share one implementation.
# ---------------------------------------------------------------------------
_DATE_UNITS = ("year", "quarter", "month", "week", "day")
_TIME_UNITS = ("hour", "minute", "second")


def _floor(value, unit):
    """``value`` (a datetime) with every field below ``unit`` reset."""
    if unit == "year":
        return value.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "quarter":
        first_month = 3 * ((value.month - 1) // 3) + 1
        return value.replace(month=first_month, day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "month":
        return value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "week":
        monday = value - timedelta(days=value.weekday())
        return monday.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        return value.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "hour":
        return value.replace(minute=0, second=0, microsecond=0)
    if unit == "minute":
        return value.replace(second=0, microsecond=0)
    return value.replace(microsecond=0)  # "second"


def _as_datetime(value):
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time())


def _format_date(value):
    return "%04d-%02d-%02d" % (value.year, value.month, value.day)


def _format_time(value):
    return "%02d:%02d:%02d" % (value.hour, value.minute, value.second)


def _sqlite_date_trunc(lookup_type, dt, tzname, conn_tzname):
    value = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    if value is None:
        return None
    if lookup_type not in _DATE_UNITS:
        raise _unsupported(lookup_type)
    return _format_date(_floor(_as_datetime(value), lookup_type))


def _sqlite_datetime_trunc(lookup_type, dt, tzname, conn_tzname):
    value = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    if value is None:
        return None
    if lookup_type not in _DATE_UNITS + _TIME_UNITS:
        raise _unsupported(lookup_type)
    floored = _floor(_as_datetime(value), lookup_type)
    return "%s %s" % (_format_date(floored), _format_time(floored))


def _sqlite_time_trunc(lookup_type, dt, tzname, conn_tzname):
    if dt is None:
        return None
    value = _parse_time_of_day(dt, tzname, conn_tzname)
    if value is None:
        return None
    if lookup_type not in _TIME_UNITS:
        raise _unsupported(lookup_type)
    fields = {"hour": (value.hour, 0, 0), "minute": (value.hour, value.minute, 0)}
    return "%02d:%02d:%02d" % fields.get(lookup_type, (value.hour, value.minute, value.second))


# ---------------------------------------------------------------------------
# Casts and extraction
# ---------------------------------------------------------------------------
def _sqlite_datetime_cast_date(dt, tzname, conn_tzname):
    value = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _sqlite_datetime_cast_time(dt, tzname, conn_tzname):
    value = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    return value.time().isoformat() if isinstance(value, datetime) else None


# Lookups that are not simply an attribute of the date/datetime.
_COMPUTED_PARTS = {
    "week_day": lambda v: v.isoweekday() % 7 + 1,  # Sunday=1 ... Saturday=7
    "iso_week_day": lambda v: v.isoweekday(),
    "week": lambda v: v.isocalendar()[1],
    "iso_year": lambda v: v.isocalendar()[0],
    "quarter": lambda v: (v.month + 2) // 3,
}


def _sqlite_datetime_extract(lookup_type, dt, tzname=None, conn_tzname=None):
    value = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    if value is None:
        return None
    compute = _COMPUTED_PARTS.get(lookup_type)
    if compute is not None:
        return compute(value)
    part = getattr(value, lookup_type, None)
    if part is None:
        raise _unsupported(lookup_type)
    return part


def _sqlite_time_extract(lookup_type, dt):
    if dt is None:
        return None
    try:
        parsed = typecast_time(dt)
    except (TypeError, ValueError):
        return None
    return getattr(parsed, lookup_type)


# ---------------------------------------------------------------------------
# Durations.  A DurationField is stored as an integer of microseconds.
# ---------------------------------------------------------------------------
def _micros(delta):
    return (delta.days * 86400 + delta.seconds) * _MICROS_PER_SECOND + delta.microseconds


def _sqlite_prepare_dtdelta_param(connector, param):
    """For + and -, integers are durations and text is a timestamp."""
    if connector not in ("+", "-"):
        return param
    if isinstance(param, int):
        return timedelta(microseconds=param)
    return typecast_timestamp(param)


_DTDELTA_OPERATORS = {
    # Additive results go back to SQLite as text ("YYYY-MM-DD[ HH:MM:SS]"
    # or a timedelta's str()); scaling keeps the number.
    "+": lambda a, b: str(a + b),
    "-": lambda a, b: str(a - b),
    "*": operator.mul,
    "/": operator.truediv,
}


def _sqlite_format_dtdelta(connector, lhs, rhs):
    """Apply ``connector`` to durations (int microseconds), timestamps (text)
    or plain numbers, as produced by duration expressions."""
    if None in (connector, lhs, rhs):
        return None
    connector = connector.strip()
    try:
        left = _sqlite_prepare_dtdelta_param(connector, lhs)
        right = _sqlite_prepare_dtdelta_param(connector, rhs)
    except (TypeError, ValueError):
        return None
    return _DTDELTA_OPERATORS.get(connector, operator.truediv)(left, right)


@_none_guard
def _sqlite_time_diff(lhs, rhs):
    def since_midnight(text):
        moment = typecast_time(text)
        return _micros(datetime.combine(date.min, moment) - datetime.min)

    return since_midnight(lhs) - since_midnight(rhs)


@_none_guard
def _sqlite_timestamp_diff(lhs, rhs):
    left = _as_datetime(typecast_timestamp(lhs))
    right = _as_datetime(typecast_timestamp(rhs))
    return _micros(left - right)


# ---------------------------------------------------------------------------
# Text, regular expressions and LIKE
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=256)
def _compile(pattern):
    return re.compile(pattern)


@_none_guard
def _sqlite_regexp(pattern, string):
    return bool(_compile(pattern).search(str(string)))


@functools.lru_cache(maxsize=256)
def _like_regex(pattern, escape):
    """Translate a LIKE pattern (with optional ESCAPE char) to a regex."""
    translated = []
    chars = iter(pattern)
    for char in chars:
        if escape is not None and char == escape:
            translated.append(re.escape(next(chars, "")))
        else:
            translated.append({"%": ".*", "_": "."}.get(char) or re.escape(char))
    return re.compile("".join(translated), re.DOTALL)


def _sqlite_like(pattern, string, escape=None):
    """Case-sensitive ``string LIKE pattern [ESCAPE escape]``."""
    if pattern is None or string is None:
        return None
    return _like_regex(str(pattern), escape).fullmatch(str(string)) is not None


@_none_guard
def _sqlite_lpad(text, length, fill_text):
    missing = length - len(text)
    if missing <= 0:
        return text[:length]
    return (fill_text * length)[:missing] + text


@_none_guard
def _sqlite_rpad(text, length, fill_text):
    return (text + fill_text * length)[:length]


_sqlite_repeat = _none_guard(operator.mul)
_sqlite_reverse = _none_guard(lambda text: text[::-1])


def _hasher(algorithm):
    @_none_guard
    def digest(text):
        return hashlib.new(algorithm, text.encode(), usedforsecurity=False).hexdigest()

    digest.__name__ = "_sqlite_" + algorithm
    return digest


_sqlite_md5 = _hasher("md5")
_sqlite_sha1 = _hasher("sha1")
_sqlite_sha224 = _hasher("sha224")
_sqlite_sha256 = _hasher("sha256")
_sqlite_sha384 = _hasher("sha384")
_sqlite_sha512 = _hasher("sha512")

# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------
_sqlite_bitxor = _none_guard(operator.xor)
_sqlite_cot = _none_guard(lambda x: 1 / math.tan(x))
_sqlite_sign = _none_guard(lambda x: (x > 0) - (x < 0))


@_none_guard
def _sqlite_log(base, x):
    # SQL's LOG(b, x) puts the base first, unlike math.log(x, b).
    return math.log(x, base)


class _ListAggregate:
    """SQLite aggregate that gathers non-NULL values for a statistics function."""

    @classmethod
    def make(cls, func):
        return type("Aggregate_" + func.__name__, (cls,), {"func": staticmethod(func)})

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        try:
            return self.func(self.values)
        except statistics.StatisticsError:
            return None  # too few values: SQL says NULL


# ---------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------
_DETERMINISTIC = (
    # (SQL name, number of arguments, implementation)
    ("django_date_extract", 2, _sqlite_datetime_extract),
    ("django_date_trunc", 4, _sqlite_date_trunc),
    ("django_datetime_cast_date", 3, _sqlite_datetime_cast_date),
    ("django_datetime_cast_time", 3, _sqlite_datetime_cast_time),
    ("django_datetime_extract", 4, _sqlite_datetime_extract),
    ("django_datetime_trunc", 4, _sqlite_datetime_trunc),
    ("django_time_extract", 2, _sqlite_time_extract),
    ("django_time_trunc", 4, _sqlite_time_trunc),
    ("django_time_diff", 2, _sqlite_time_diff),
    ("django_timestamp_diff", 2, _sqlite_timestamp_diff),
    ("django_format_dtdelta", 3, _sqlite_format_dtdelta),
    ("regexp", 2, _sqlite_regexp),
    ("BITXOR", 2, _sqlite_bitxor),
    ("COT", 1, _sqlite_cot),
    ("LPAD", 3, _sqlite_lpad),
    ("RPAD", 3, _sqlite_rpad),
    ("REPEAT", 2, _sqlite_repeat),
    ("REVERSE", 1, _sqlite_reverse),
    ("SIGN", 1, _sqlite_sign),
    ("MD5", 1, _sqlite_md5),
    ("SHA1", 1, _sqlite_sha1),
    ("SHA224", 1, _sqlite_sha224),
    ("SHA256", 1, _sqlite_sha256),
    ("SHA384", 1, _sqlite_sha384),
    ("SHA512", 1, _sqlite_sha512),
)

# Only needed when SQLite was built without its math extension.
_MATH_FALLBACKS = (
    ("ACOS", 1, math.acos),
    ("ASIN", 1, math.asin),
    ("ATAN", 1, math.atan),
    ("ATAN2", 2, math.atan2),
    ("CEILING", 1, math.ceil),
    ("COS", 1, math.cos),
    ("DEGREES", 1, math.degrees),
    ("EXP", 1, math.exp),
    ("FLOOR", 1, math.floor),
    ("LN", 1, math.log),
    ("MOD", 2, math.fmod),
    ("POWER", 2, operator.pow),
    ("RADIANS", 1, math.radians),
    ("SIN", 1, math.sin),
    ("SQRT", 1, math.sqrt),
    ("TAN", 1, math.tan),
)

_STATISTICS_AGGREGATES = (
    ("STDDEV_POP", statistics.pstdev),
    ("STDDEV_SAMP", statistics.stdev),
    ("VAR_POP", statistics.pvariance),
    ("VAR_SAMP", statistics.variance),
)


def _has_builtin(connection, probe_sql):
    try:
        connection.execute(probe_sql).fetchone()
    except Exception:
        return False
    return True


def register(connection):
    # Deterministic functions may be used in indexes and get optimised.
    for name, arity, func in _DETERMINISTIC:
        connection.create_function(name, arity, func, deterministic=True)
    if not _has_builtin(connection, "SELECT SQRT(4)"):
        for name, arity, func in _MATH_FALLBACKS:
            connection.create_function(name, arity, _none_guard(func), deterministic=True)
        connection.create_function("LOG", 2, _sqlite_log, deterministic=True)
        connection.create_function("PI", 0, lambda: math.pi, deterministic=True)
    for name, func in _STATISTICS_AGGREGATES:
        connection.create_aggregate(name, 1, _ListAggregate.make(func))
    connection.create_function("RAND", 0, random.random)  # not deterministic


def ensure_case_sensitive_like(connection):
    """
    LIKE must be case-sensitive (the i-lookups use UPPER() explicitly).
    PRAGMA case_sensitive_like does it where the build honours it;
    otherwise an application-defined "like" function replaces the operator.
    """
    connection.execute("PRAGMA case_sensitive_like = ON")
    if connection.execute("SELECT 'a' LIKE 'A'").fetchone()[0]:
        for arity in (2, 3):
            connection.create_function("like", arity, _sqlite_like, deterministic=True)
