"""Signals of the test framework and the receivers that keep caches honest.

``setting_changed`` is sent by ``override_settings``/``modify_settings`` when
a setting takes a new value (``enter=True``) and again when the old value
comes back (``enter=False``).  Code that caches something derived from a
setting connects a receiver here and drops its cache.
"""
import os
import time

from django.dispatch import Signal, receiver

# Sent by override_settings/modify_settings, see above.
setting_changed = Signal()
# Kept for API compatibility: there are no templates to render here.
template_rendered = Signal()


@receiver(setting_changed)
def clear_command_cache(*, setting, **kwargs):
    """Installed apps decide which management commands exist."""
    if setting != "INSTALLED_APPS":
        return
    from django.core.management import get_commands

    get_commands.cache_clear()


# Settings the per-thread database connections are built from.
_CONNECTION_SETTINGS_PREFIX = "DATABASE_"


@receiver(setting_changed)
def reset_database_connection(*, setting, **kwargs):
    """A DATABASE_* change means the next query needs a new connection."""
    if setting == "TEST_DATABASE_NAME" or setting.startswith(_CONNECTION_SETTINGS_PREFIX):
        from django.db import reset_connections

        reset_connections()


@receiver(setting_changed)
def update_time_zone(*, setting, **kwargs):
    """Drop timezone caches and, like Django, tell the C library too."""
    if setting not in ("TIME_ZONE", "USE_TZ"):
        return
    try:
        from django.utils import timezone
    except ImportError:
        return
    for name in ("get_default_timezone", "get_default_timezone_name"):
        cached = getattr(timezone, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    if setting == "TIME_ZONE" and hasattr(time, "tzset"):
        if kwargs.get("value"):
            os.environ["TZ"] = kwargs["value"]
        else:
            os.environ.pop("TZ", None)
        time.tzset()

