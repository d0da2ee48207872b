"""Format timedeltas the way the database layer and parse_duration() expect."""
import datetime


def _split_duration(duration):
    """(days, hours, minutes, seconds, microseconds) of a timedelta.

    timedelta normalises itself to days (possibly negative) plus 0 <= seconds
    < 86400 and 0 <= microseconds < 10**6, so only the seconds need splitting.
    """
    clock = duration.seconds
    return (
        duration.days, clock // 3600, clock % 3600 // 60, clock % 60, duration.microseconds,
    )


def _fraction(microseconds):
    return ".%06d" % microseconds if microseconds else ""


def duration_string(duration):
    """'[D ]HH:MM:SS[.ffffff]', e.g. '1 02:03:04.000005'."""
    days, hours, minutes, seconds, microseconds = _split_duration(duration)
    prefix = "%d " % days if days else ""
    return "%s%02d:%02d:%02d%s" % (prefix, hours, minutes, seconds, _fraction(microseconds))


def duration_iso_string(duration):
    """ISO 8601, e.g. 'P1DT02H03M04.000005S' (negative durations get a leading '-')."""
    # ISO 8601 has no negative components, only a sign for the whole value.
    sign = "-" if duration < datetime.timedelta(0) else ""
    days, hours, minutes, seconds, microseconds = _split_duration(abs(duration))
    return "%sP%dDT%02dH%02dM%02d%sS" % (
        sign, days, hours, minutes, seconds, _fraction(microseconds),
    )


def duration_microseconds(delta):
    """The whole timedelta as an integer number of microseconds."""
    return (24 * 60 * 60 * delta.days + delta.seconds) * 1000000 + delta.microseconds
