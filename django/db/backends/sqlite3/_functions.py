"""
Python implementations of the SQL functions the query layer uses on SQLite
(date arithmetic, extraction/truncation, regular expressions and the math
functions older SQLite builds lack). Registered on every new connection by
``register(connection)``.
"""
import functools
import hashlib
import math
import operator
import random
import re
import statistics
from datetime import datetime, timedelta, timezone

from django.db.backends.utils import split_tzname_delta, typecast_time, typecast_timestamp


def register(connection):
    create_deterministic_function = functools.partial(
        connection.create_function,
        deterministic=True,
    )
    create_deterministic_function("django_date_extract", 2, _sqlite_datetime_extract)
    create_deterministic_function("django_date_trunc", 4, _sqlite_date_trunc)
    create_deterministic_function("django_datetime_cast_date", 3, _sqlite_datetime_cast_date)
    create_deterministic_function("django_datetime_cast_time", 3, _sqlite_datetime_cast_time)
    create_deterministic_function("django_datetime_extract", 4, _sqlite_datetime_extract)
    create_deterministic_function("django_datetime_trunc", 4, _sqlite_datetime_trunc)
    create_deterministic_function("django_time_extract", 2, _sqlite_time_extract)
    create_deterministic_function("django_time_trunc", 4, _sqlite_time_trunc)
    create_deterministic_function("django_time_diff", 2, _sqlite_time_diff)
    create_deterministic_function("django_timestamp_diff", 2, _sqlite_timestamp_diff)
    create_deterministic_function("django_format_dtdelta", 3, _sqlite_format_dtdelta)
    create_deterministic_function("regexp", 2, _sqlite_regexp)
    create_deterministic_function("BITXOR", 2, _sqlite_bitxor)
    create_deterministic_function("COT", 1, _sqlite_cot)
    create_deterministic_function("LPAD", 3, _sqlite_lpad)
    create_deterministic_function("MD5", 1, _sqlite_md5)
    create_deterministic_function("REPEAT", 2, _sqlite_repeat)
    create_deterministic_function("REVERSE", 1, _sqlite_reverse)
    create_deterministic_function("RPAD", 3, _sqlite_rpad)
    create_deterministic_function("SHA1", 1, _sqlite_sha1)
    create_deterministic_function("SHA224", 1, _sqlite_sha224)
    create_deterministic_function("SHA256", 1, _sqlite_sha256)
    create_deterministic_function("SHA384", 1, _sqlite_sha384)
    create_deterministic_function("SHA512", 1, _sqlite_sha512)
    create_deterministic_function("SIGN", 1, _sqlite_sign)
    if not _has_builtin(connection, "SELECT SQRT(4)"):
        # SQLite built without SQLITE_ENABLE_MATH_FUNCTIONS.
        for name, num_args, func in (
            ("ACOS", 1, _none_guard(math.acos)),
            ("ASIN", 1, _none_guard(math.asin)),
            ("ATAN", 1, _none_guard(math.atan)),
            ("ATAN2", 2, _none_guard(math.atan2)),
            ("CEILING", 1, _none_guard(math.ceil)),
            ("COS", 1, _none_guard(math.cos)),
            ("DEGREES", 1, _none_guard(math.degrees)),
            ("EXP", 1, _none_guard(math.exp)),
            ("FLOOR", 1, _none_guard(math.floor)),
            ("LN", 1, _none_guard(math.log)),
            ("LOG", 2, _sqlite_log),
            ("MOD", 2, _none_guard(math.fmod)),
            ("PI", 0, lambda: math.pi),
            ("POWER", 2, _none_guard(operator.pow)),
            ("RADIANS", 1, _none_guard(math.radians)),
            ("SIN", 1, _none_guard(math.sin)),
            ("SQRT", 1, _none_guard(math.sqrt)),
            ("TAN", 1, _none_guard(math.tan)),
        ):
            create_deterministic_function(name, num_args, func)
    connection.create_aggregate("STDDEV_POP", 1, _ListAggregate.make(statistics.pstdev))
    connection.create_aggregate("STDDEV_SAMP", 1, _ListAggregate.make(statistics.stdev))
    connection.create_aggregate("VAR_POP", 1, _ListAggregate.make(statistics.pvariance))
    connection.create_aggregate("VAR_SAMP", 1, _ListAggregate.make(statistics.variance))
    # Not deterministic: registered without the flag.
    connection.create_function("RAND", 0, random.random)


def ensure_case_sensitive_like(connection):
    """
    Make LIKE case-sensitive: PRAGMA case_sensitive_like when the SQLite
    build honours it, else a Python LIKE (SQLite lets an application
    function named "like" replace the operator).
    """
    connection.execute("PRAGMA case_sensitive_like = ON")
    if connection.execute("SELECT 'a' LIKE 'A'").fetchone()[0]:
        connection.create_function("like", 2, _sqlite_like, deterministic=True)
        connection.create_function("like", 3, _sqlite_like, deterministic=True)


@functools.lru_cache(maxsize=256)
def _like_regex(pattern, escape):
    parts = []
    chars = iter(pattern)
    for char in chars:
        if escape is not None and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def _sqlite_like(pattern, string, escape=None):
    """``string LIKE pattern [ESCAPE escape]``, case-sensitive."""
    if pattern is None or string is None:
        return None
    return bool(_like_regex(str(pattern), escape).fullmatch(str(string)))


def _has_builtin(connection, probe_sql):
    try:
        connection.execute(probe_sql).fetchone()
    except Exception:
        return False
    return True


def _none_guard(func):
    """NULL in, NULL out: SQL functions propagate NULL."""

    @functools.wraps(func)
    def wrapper(*args):
        if any(arg is None for arg in args):
            return None
        return func(*args)

    return wrapper


class _ListAggregate:
    """Collect the non-NULL values and apply a statistics function at the end."""

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
            return None


def _parse_datetime(value):
    if isinstance(value, datetime):
        return value
    try:
        return typecast_timestamp(value)
    except (TypeError, ValueError):
        return None


def _tz(tzname):
    """A tzinfo for 'UTC', 'Europe/Paris' or 'Europe/Paris+05:00'-style names."""
    name, sign, offset = split_tzname_delta(tzname)
    if offset:
        hours, _, minutes = offset.partition(":")
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return timezone(delta if sign == "+" else -delta)
    if name.upper() == "UTC":
        return timezone.utc
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


def _sqlite_datetime_parse(dt, tzname=None, conn_tzname=None):
    """
    Parse a stored datetime string; when time zones are in play, interpret
    it in the connection's zone and convert it to ``tzname``.
    """
    if dt is None:
        return None
    dt = _parse_datetime(dt)
    if dt is None:
        return None
    if isinstance(dt, datetime) and conn_tzname:
        dt = dt.replace(tzinfo=_tz(conn_tzname))
    if isinstance(dt, datetime) and tzname is not None and tzname != conn_tzname:
        dt = dt.astimezone(_tz(tzname))
    return dt


def _sqlite_date_trunc(lookup_type, dt, tzname, conn_tzname):
    dt = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    if dt is None:
        return None
    if lookup_type == "year":
        return "%i-01-01" % dt.year
    elif lookup_type == "quarter":
        month_in_quarter = dt.month - (dt.month - 1) % 3
        return "%i-%02i-01" % (dt.year, month_in_quarter)
    elif lookup_type == "month":
        return "%i-%02i-01" % (dt.year, dt.month)
    elif lookup_type == "week":
        dt -= timedelta(days=dt.weekday())
        return "%i-%02i-%02i" % (dt.year, dt.month, dt.day)
    elif lookup_type == "day":
        return "%i-%02i-%02i" % (dt.year, dt.month, dt.day)
    raise ValueError(f"Unsupported lookup type: {lookup_type!r}")


def _sqlite_time_trunc(lookup_type, dt, tzname, conn_tzname):
    if dt is None:
        return None
    dt_parsed = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    if dt_parsed is None:
        try:
            dt = typecast_time(dt)
        except (ValueError, TypeError):
            return None
    else:
        dt = dt_parsed
    if lookup_type == "hour":
        return "%02i:00:00" % dt.hour
    elif lookup_type == "minute":
        return "%02i:%02i:00" % (dt.hour, dt.minute)
    elif lookup_type == "second":
        return "%02i:%02i:%02i" % (dt.hour, dt.minute, dt.second)
    raise ValueError(f"Unsupported lookup type: {lookup_type!r}")


def _sqlite_datetime_cast_date(dt, tzname, conn_tzname):
    dt = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    if dt is None:
        return None
    d = dt.date() if isinstance(dt, datetime) else dt
    return d.isoformat()


def _sqlite_datetime_cast_time(dt, tzname, conn_tzname):
    dt = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    if dt is None or not isinstance(dt, datetime):
        return None
    return dt.time().isoformat()


def _sqlite_datetime_extract(lookup_type, dt, tzname=None, conn_tzname=None):
    dt = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    if dt is None:
        return None
    if lookup_type == "week_day":
        # 1 = Sunday ... 7 = Saturday.
        return (dt.isoweekday() % 7) + 1
    elif lookup_type == "iso_week_day":
        return dt.isoweekday()
    elif lookup_type == "week":
        return dt.isocalendar()[1]
    elif lookup_type == "quarter":
        return math.ceil(dt.month / 3)
    elif lookup_type == "iso_year":
        return dt.isocalendar()[0]
    else:
        value = getattr(dt, lookup_type, None)
        if value is None:
            raise ValueError(f"Unsupported lookup type: {lookup_type!r}")
        return value


def _sqlite_datetime_trunc(lookup_type, dt, tzname, conn_tzname):
    dt = _sqlite_datetime_parse(dt, tzname, conn_tzname)
    if dt is None:
        return None
    if not isinstance(dt, datetime):
        dt = datetime(dt.year, dt.month, dt.day)
    if lookup_type == "year":
        return "%i-01-01 00:00:00" % dt.year
    elif lookup_type == "quarter":
        month_in_quarter = dt.month - (dt.month - 1) % 3
        return "%i-%02i-01 00:00:00" % (dt.year, month_in_quarter)
    elif lookup_type == "month":
        return "%i-%02i-01 00:00:00" % (dt.year, dt.month)
    elif lookup_type == "week":
        dt -= timedelta(days=dt.weekday())
        return "%i-%02i-%02i 00:00:00" % (dt.year, dt.month, dt.day)
    elif lookup_type == "day":
        return "%i-%02i-%02i 00:00:00" % (dt.year, dt.month, dt.day)
    elif lookup_type == "hour":
        return "%i-%02i-%02i %02i:00:00" % (dt.year, dt.month, dt.day, dt.hour)
    elif lookup_type == "minute":
        return "%i-%02i-%02i %02i:%02i:00" % (dt.year, dt.month, dt.day, dt.hour, dt.minute)
    elif lookup_type == "second":
        return "%i-%02i-%02i %02i:%02i:%02i" % (
            dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second,
        )
    raise ValueError(f"Unsupported lookup type: {lookup_type!r}")


def _sqlite_time_extract(lookup_type, dt):
    if dt is None:
        return None
    try:
        dt = typecast_time(dt)
    except (ValueError, TypeError):
        return None
    return getattr(dt, lookup_type)


def _sqlite_prepare_dtdelta_param(connector, param):
    if connector in ["+", "-"]:
        if isinstance(param, int):
            return timedelta(0, 0, param)
        return typecast_timestamp(param)
    return param


def _sqlite_format_dtdelta(connector, lhs, rhs):
    """
    LHS and RHS can be either:
    - An integer number of microseconds
    - A string representing a datetime
    - A scalar value, e.g. float
    """
    if connector is None or lhs is None or rhs is None:
        return None
    connector = connector.strip()
    try:
        real_lhs = _sqlite_prepare_dtdelta_param(connector, lhs)
        real_rhs = _sqlite_prepare_dtdelta_param(connector, rhs)
    except (ValueError, TypeError):
        return None
    if connector == "+":
        # typecast_timestamp() returns a date or a datetime without timezone.
        # It will be formatted as "%Y-%m-%d" or "%Y-%m-%d %H:%M:%S[.%f]"
        out = str(real_lhs + real_rhs)
    elif connector == "-":
        out = str(real_lhs - real_rhs)
    elif connector == "*":
        out = real_lhs * real_rhs
    else:
        out = real_lhs / real_rhs
    return out


def _sqlite_time_diff(lhs, rhs):
    if lhs is None or rhs is None:
        return None
    left = typecast_time(lhs)
    right = typecast_time(rhs)
    return (
        (left.hour * 60 * 60 * 1000000)
        + (left.minute * 60 * 1000000)
        + (left.second * 1000000)
        + (left.microsecond)
        - (right.hour * 60 * 60 * 1000000)
        - (right.minute * 60 * 1000000)
        - (right.second * 1000000)
        - (right.microsecond)
    )


def _sqlite_timestamp_diff(lhs, rhs):
    if lhs is None or rhs is None:
        return None
    left = typecast_timestamp(lhs)
    right = typecast_timestamp(rhs)
    if not isinstance(left, datetime):
        left = datetime(left.year, left.month, left.day)
    if not isinstance(right, datetime):
        right = datetime(right.year, right.month, right.day)
    delta = left - right
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


@functools.lru_cache(maxsize=256)
def _compile(pattern):
    return re.compile(pattern)


def _sqlite_regexp(pattern, string):
    if pattern is None or string is None:
        return None
    if not isinstance(string, str):
        string = str(string)
    return bool(_compile(pattern).search(string))


def _sqlite_bitxor(x, y):
    if x is None or y is None:
        return None
    return x ^ y


def _sqlite_cot(x):
    if x is None:
        return None
    return 1 / math.tan(x)


def _sqlite_log(base, x):
    if base is None or x is None:
        return None
    # Arguments reversed to match SQL standard.
    return math.log(x, base)


def _sqlite_lpad(text, length, fill_text):
    if text is None or length is None or fill_text is None:
        return None
    delta = length - len(text)
    if delta <= 0:
        return text[:length]
    return (fill_text * length)[:delta] + text


def _sqlite_rpad(text, length, fill_text):
    if text is None or length is None or fill_text is None:
        return None
    return (text + fill_text * length)[:length]


def _sqlite_repeat(text, count):
    if text is None or count is None:
        return None
    return text * count


def _sqlite_reverse(text):
    if text is None:
        return None
    return text[::-1]


def _hasher(name):
    def func(text):
        if text is None:
            return None
        return hashlib.new(name, text.encode(), usedforsecurity=False).hexdigest()

    return func


_sqlite_md5 = _hasher("md5")
_sqlite_sha1 = _hasher("sha1")
_sqlite_sha224 = _hasher("sha224")
_sqlite_sha256 = _hasher("sha256")
_sqlite_sha384 = _hasher("sha384")
_sqlite_sha512 = _hasher("sha512")


def _sqlite_sign(x):
    if x is None:
        return None
    return (x > 0) - (x < 0)
