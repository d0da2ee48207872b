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

_activated_zone = ContextVar("django_active_timezone", default=None)


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
    return _zone_name(get_default_timezone())


def get_current_timezone():
    """The active time zone, or the default one."""
    return _activated_zone.get() or get_default_timezone()


def get_current_timezone_name():
    return _zone_name(get_current_timezone())


def _zone_name(tz):
    return getattr(tz, "key", None) or tz.tzname(None) or str(tz)


def _as_tzinfo(tz):
    """``tz`` as a tzinfo: zone names are looked up, anything else refused."""
    if isinstance(tz, str):
        return _zone(tz)
    if isinstance(tz, tzinfo):
        return tz
    raise ValueError("Invalid timezone: %r" % (tz,))


def activate(tz):
    """Make ``tz`` (a tzinfo or a zone name) the current time zone."""
    _activated_zone.set(_as_tzinfo(tz))


def deactivate():
    """Go back to the default time zone."""
    _activated_zone.set(None)


class override(ContextDecorator):
    """Temporarily activate ``timezone`` (None means the default one)."""

    def __init__(self, timezone):
        self.timezone = timezone

    def __enter__(self):
        # A context-variable token restores exactly the previous state,
        # including "nothing activated".
        chosen = None if self.timezone is None else _as_tzinfo(self.timezone)
        self._token = _activated_zone.set(chosen)

    def __exit__(self, exc_type, exc_value, traceback):
        _activated_zone.reset(self._token)


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


def _current_unless(timezone):
    return get_current_timezone() if timezone is None else timezone


def make_aware(value, timezone=None):
    """Attach ``timezone`` (default: current) to the naive datetime ``value``."""
    if not is_naive(value):
        raise ValueError("make_aware expects a naive datetime, got %s" % value)
    return value.replace(tzinfo=_current_unless(timezone))


def make_naive(value, timezone=None):
    """Convert the aware datetime ``value`` to ``timezone`` and drop the tzinfo."""
    if not is_aware(value):
        raise ValueError("make_naive() cannot be applied to a naive datetime")
    return value.astimezone(_current_unless(timezone)).replace(tzinfo=None)


def localtime(value=None, timezone=None):
    """Convert the aware ``value`` (default: now) to ``timezone`` (default: current)."""
    moment = now() if value is None else value
    if not is_aware(moment):
        raise ValueError("localtime() cannot be applied to a naive datetime")
    return moment.astimezone(_current_unless(timezone))


def localdate(value=None, timezone=None):
    """The date part of localtime(value, timezone)."""
    return localtime(value, timezone).date()
