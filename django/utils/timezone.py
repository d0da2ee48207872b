"""Time zone helpers: aware/naive conversion and the current time zone.

The default time zone is ``settings.TIME_ZONE``; ``activate()`` sets a
different current time zone for the running thread (or asyncio task).
"""
import functools
import zoneinfo
from contextlib import ContextDecorator
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone, tzinfo

__all__ = [
    "utc", "get_fixed_timezone", "get_default_timezone", "get_default_timezone_name",
    "get_current_timezone", "get_current_timezone_name", "activate", "deactivate",
    "override", "localtime", "localdate", "now", "is_aware", "is_naive",
    "make_aware", "make_naive",
]

utc = timezone.utc

_active = ContextVar("django_active_timezone", default=None)


def get_fixed_timezone(offset):
    """A fixed-offset tzinfo; ``offset`` is a timedelta or minutes east of UTC."""
    if isinstance(offset, timedelta):
        offset = offset.total_seconds() // 60
    sign = "-" if offset < 0 else "+"
    hhmm = "%02d%02d" % divmod(abs(int(offset)), 60)
    return timezone(timedelta(minutes=offset), sign + hhmm)


@functools.lru_cache
def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Unknown time zone %r (TIME_ZONE setting)." % name) from err


def get_default_timezone():
    """The tzinfo of ``settings.TIME_ZONE``."""
    from django.conf import settings

    return _zone(settings.TIME_ZONE)


def get_default_timezone_name():
    return _get_timezone_name(get_default_timezone())


def get_current_timezone():
    """The active time zone, or the default one."""
    return _active.get() or get_default_timezone()


def get_current_timezone_name():
    return _get_timezone_name(get_current_timezone())


def _get_timezone_name(tz):
    return getattr(tz, "key", None) or tz.tzname(None) or str(tz)


def activate(tz):
    """Make ``tz`` (a tzinfo or a zone name) the current time zone."""
    if isinstance(tz, str):
        tz = _zone(tz)
    elif not isinstance(tz, tzinfo):
        raise ValueError("Invalid timezone: %r" % (tz,))
    _active.set(tz)


def deactivate():
    """Go back to the default time zone."""
    _active.set(None)


class override(ContextDecorator):
    """Temporarily activate ``timezone`` (None means the default one)."""

    def __init__(self, timezone):
        self.timezone = timezone

    def __enter__(self):
        self.old_timezone = _active.get()
        if self.timezone is None:
            deactivate()
        else:
            activate(self.timezone)

    def __exit__(self, exc_type, exc_value, traceback):
        _active.set(self.old_timezone)


def now():
    """The current datetime: aware (UTC) if settings.USE_TZ, else naive local time."""
    from django.conf import settings

    return datetime.now(tz=utc if settings.USE_TZ else None)


def is_aware(value):
    """True if the datetime/time ``value`` has a known UTC offset."""
    return value.utcoffset() is not None


def is_naive(value):
    """True if the datetime/time ``value`` has no UTC offset."""
    return value.utcoffset() is None


def make_aware(value, timezone=None):
    """Attach ``timezone`` (default: current) to the naive datetime ``value``."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_aware(value):
        raise ValueError("make_aware expects a naive datetime, got %s" % value)
    return value.replace(tzinfo=timezone)


def make_naive(value, timezone=None):
    """Convert the aware datetime ``value`` to ``timezone`` and drop the tzinfo."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("make_naive() cannot be applied to a naive datetime")
    return value.astimezone(timezone).replace(tzinfo=None)


def localtime(value=None, timezone=None):
    """Convert the aware ``value`` (default: now) to ``timezone`` (default: current)."""
    if value is None:
        value = now()
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("localtime() cannot be applied to a naive datetime")
    return value.astimezone(timezone)


def localdate(value=None, timezone=None):
    """The date part of localtime(value, timezone)."""
    return localtime(value, timezone).date()
