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

# PostgreSQL's "interval" output: "3 days 04:05:06", "-1 day", "-04:05:06.5".
postgres_interval_re = re.compile(
    r"""^
    (?: (?P<days>-?\d+) [ ] days? [ ]? )?
    (?:
        (?P<sign>[-+])?
        (?P<hours>\d+) : (?P<minutes>\d\d) : (?P<seconds>\d\d)
        (?: \. (?P<microseconds>\d{1,6}) )?
    )?
    $""",
    re.VERBOSE,
)

# Tried in this order by parse_duration().
_DURATION_FORMATS = (standard_duration_re, iso8601_duration_re, postgres_interval_re)


def _ints(groups):
    return {key: int(value) for key, value in groups.items() if value is not None}


def _microseconds(fraction):
    """'5' -> '500000': a fraction of a second as a microsecond count."""
    return fraction and fraction.ljust(6, "0")


def _offset_tzinfo(text):
    """tzinfo for 'Z', '+HH', '+HHMM' or '+HH:MM' (None for None)."""
    if text is None:
        return None
    if text == "Z":
        return datetime.timezone.utc
    digits = text[1:].replace(":", "")
    minutes = 60 * int(digits[:2]) + int(digits[2:] or 0)
    return get_fixed_timezone(-minutes if text[0] == "-" else minutes)


def _strict_or_loose(value, strict, loose, build):
    """``strict(value)`` (a fromisoformat, the fast path) if it accepts the
    string; else ``build(fields)`` from the ``loose`` regex, which accepts
    more (one-digit fields, "+HHMM", spaces before an offset); else None."""
    try:
        return strict(value)
    except ValueError:
        match = loose.match(value)
    return None if match is None else build(match.groupdict())


def _clock_fields(fields):
    """The regex fields as time() keywords: a fraction of a second becomes microseconds."""
    fields["microsecond"] = _microseconds(fields["microsecond"])
    return _ints(fields)


def parse_date(value):
    """Parse 'YYYY-MM-DD' (month and day may be one digit) into a date."""
    return _strict_or_loose(
        value, datetime.date.fromisoformat, date_re,
        lambda fields: datetime.date(**_ints(fields)),
    )


def parse_time(value):
    """Parse 'HH:MM[:SS[.ffffff]]' into a time (an offset, if given, is ignored)."""
    # fromisoformat accepts offsets; they are dropped: times have no zone here.
    return _strict_or_loose(
        value, lambda text: datetime.time.fromisoformat(text).replace(tzinfo=None), time_re,
        lambda fields: datetime.time(**_clock_fields(fields)),
    )


def parse_datetime(value):
    """Parse 'YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][Z|+HH[:MM]]' into a datetime.

    An offset yields an aware datetime with a fixed-offset tzinfo; without
    one the result is naive.
    """
    def build(fields):
        tzinfo = _offset_tzinfo(fields.pop("tzinfo"))
        return datetime.datetime(**_clock_fields(fields), tzinfo=tzinfo)

    return _strict_or_loose(value, datetime.datetime.fromisoformat, datetime_re, build)


def parse_duration(value):
    """Parse a duration into a timedelta.

    Accepts Django's '%d %H:%M:%S.%f' format, ISO 8601 ('P4DT1H15M20S') and
    PostgreSQL's interval output ('3 days 04:05:06').
    """
    for pattern in _DURATION_FORMATS:
        match = pattern.match(value)
        if match:
            return _duration_from(match)
    return None


def _duration_from(match):
    found = {unit: text for unit, text in match.groupdict().items() if text is not None}
    negative = found.pop("sign", "") == "-"
    if "microseconds" in found:
        found["microseconds"] = _microseconds(found["microseconds"])
    amounts = {unit: float(text.replace(",", ".")) for unit, text in found.items()}
    days = datetime.timedelta(days=amounts.pop("days", 0.0))
    clock = datetime.timedelta(**amounts)
    if negative:
        # ISO 8601 signs the whole duration; in the other formats the day
        # count carries its own sign and this one applies to the clock part.
        clock = -clock
        if match.re is iso8601_duration_re:
            days = -days
    return days + clock
