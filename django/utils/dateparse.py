"""Parse ISO-like date/time strings into datetime objects.

Each function returns None if the string is not well formatted and raises
ValueError if it is well formatted but not a valid value (e.g. 2009-02-30).
Dates need not be zero-padded: '2009-5-4' is May 4th 2009.
"""
import datetime
import re

from django.utils.timezone import get_fixed_timezone

date_re = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")

time_re = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})"
    r"(?::(?P<second>\d{1,2})(?:[.,](?P<microsecond>\d{1,6})\d*)?)?$"
)

datetime_re = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"[T ](?P<hour>\d{1,2}):(?P<minute>\d{1,2})"
    r"(?::(?P<second>\d{1,2})(?:[.,](?P<microsecond>\d{1,6})\d*)?)?"
    r"\s*(?P<tzinfo>Z|[+-]\d{2}(?::?\d{2})?)?$"
)

# "[-]DD HH:MM:SS[.ffffff]" as printed by str(timedelta) and most databases,
# with optional "N days," wording.
standard_duration_re = re.compile(
    r"^(?:(?P<days>-?\d+) (days?, )?)?"
    r"(?P<sign>-?)"
    r"((?:(?P<hours>\d+):)(?=\d+:\d+))?"
    r"(?:(?P<minutes>\d+):)?"
    r"(?P<seconds>\d+)"
    r"(?:[.,](?P<microseconds>\d{1,6})\d{0,6})?$"
)

# ISO 8601 durations: P4DT1H15M20S (no years or months: they vary in length).
iso8601_duration_re = re.compile(
    r"^(?P<sign>[-+]?)P"
    r"(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T"
    r"(?:(?P<hours>\d+(?:[.,]\d+)?)H)?"
    r"(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?"
    r")?$"
)

# PostgreSQL's "interval" output: "3 days 04:05:06".
postgres_interval_re = re.compile(
    r"^(?:(?P<days>-?\d+) (days? ?))?"
    r"(?:(?P<sign>[-+])?"
    r"(?P<hours>\d+):"
    r"(?P<minutes>\d\d):"
    r"(?P<seconds>\d\d)"
    r"(?:\.(?P<microseconds>\d{1,6}))?"
    r")?$"
)


def _ints(groups):
    return {key: int(value) for key, value in groups.items() if value is not None}


def parse_date(value):
    """Parse 'YYYY-MM-DD' (month and day may be one digit) into a date."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        match = date_re.match(value)
        if match:
            return datetime.date(**_ints(match.groupdict()))
    return None


def parse_time(value):
    """Parse 'HH:MM[:SS[.ffffff]]' into a time (an offset, if given, is ignored)."""
    try:
        # fromisoformat accepts offsets; we drop them, times have no zone here.
        return datetime.time.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        match = time_re.match(value)
        if match:
            kw = match.groupdict()
            kw["microsecond"] = kw["microsecond"] and kw["microsecond"].ljust(6, "0")
            return datetime.time(**_ints(kw))
    return None


def parse_datetime(value):
    """Parse 'YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][Z|+HH[:MM]]' into a datetime.

    An offset yields an aware datetime with a fixed-offset tzinfo; without
    one the result is naive.
    """
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        match = datetime_re.match(value)
        if not match:
            return None
    kw = match.groupdict()
    kw["microsecond"] = kw["microsecond"] and kw["microsecond"].ljust(6, "0")
    tzinfo = kw.pop("tzinfo")
    if tzinfo == "Z":
        tzinfo = datetime.timezone.utc
    elif tzinfo is not None:
        minutes = int(tzinfo[-2:]) if len(tzinfo) > 3 else 0
        offset = 60 * int(tzinfo[1:3]) + minutes
        if tzinfo[0] == "-":
            offset = -offset
        tzinfo = get_fixed_timezone(offset)
    return datetime.datetime(**_ints(kw), tzinfo=tzinfo)


def parse_duration(value):
    """Parse a duration into a timedelta.

    Accepts Django's '%d %H:%M:%S.%f' format, ISO 8601 ('P4DT1H15M20S') and
    PostgreSQL's interval output ('3 days 04:05:06').
    """
    match = (
        standard_duration_re.match(value)
        or iso8601_duration_re.match(value)
        or postgres_interval_re.match(value)
    )
    if not match:
        return None
    kw = match.groupdict()
    sign = -1 if kw.pop("sign", "+") == "-" else 1
    if kw.get("microseconds"):
        kw["microseconds"] = kw["microseconds"].ljust(6, "0")
    kw = {k: float(v.replace(",", ".")) for k, v in kw.items() if v is not None}
    days = datetime.timedelta(kw.pop("days", 0.0) or 0.0)
    if match.re is iso8601_duration_re:
        days *= sign
    return days + sign * datetime.timedelta(**kw)
