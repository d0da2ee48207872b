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


# Settings that decide which content types exist or where their rows live.
_CONTENT_TYPE_SETTINGS = frozenset(
    ("INSTALLED_APPS", "DATABASES", "DATABASE_NAME", "TEST_DATABASE_NAME", "DATABASE_ENGINE")
)


@receiver(setting_changed)
def clear_content_type_cache(*, setting, **kwargs):
    """``available_apps`` swaps INSTALLED_APPS and its flush sends no
    post_migrate, so cached ContentType rows may point at vanished rows.
    contrib is imported lazily: the test layer must work without it."""
    if setting not in _CONTENT_TYPE_SETTINGS:
        return
    from django.apps import apps

    if apps.ready and apps.is_installed("django.contrib.contenttypes"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@receiver(setting_changed)
def forget_compiled_statements(**kwargs):
    """Converters chosen for a compiled SELECT may depend on settings
    (USE_TZ, say): statements compiled before the change are not reused."""
    from django.db.models.sql import statement_cache

    statement_cache.forget_all()


@receiver(setting_changed)
def reset_database_connection(*, setting, **kwargs):
    """DATABASES (or a legacy DATABASE_* setting, which becomes DATABASES)
    changed: every alias gets a new wrapper, built from the new settings."""
    from django.conf.databases import LEGACY_SETTINGS

    if setting == "DATABASES" or setting in LEGACY_SETTINGS:
        from django.db import connections

        connections.reread_settings()


@receiver(setting_changed)
def reload_database_routers(*, setting, **kwargs):
    """DATABASE_ROUTERS changed: django.db.router reads it again on next use."""
    if setting == "DATABASE_ROUTERS":
        from django.db import router

        router.reread_settings()


@receiver(setting_changed)
def update_time_zone(*, setting, **kwargs):
    """Drop timezone caches and, like Django, tell the C library too."""
    if setting not in ("TIME_ZONE", "USE_TZ"):
        return
    # A new cursor sets the connection's session time zone again.
    from django.db import drop_kept_cursors

    drop_kept_cursors()
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

