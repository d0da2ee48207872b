"""A clean-room, Django-compatible ORM subset.

``VERSION`` keeps the exact one-line format below because ``setup.py`` reads
it with a regular expression.  ``get_version()`` renders it as a PEP 440
string, e.g. ``(1, 2, 0, "alpha", 0)`` -> ``"1.2.0a0"`` (the micro number is
always kept so it matches what ``setup.py`` produces).
"""
from django.utils.version import get_version as _render_version

VERSION = (1, 2, 0, "alpha", 0)

__version__ = _render_version(VERSION)


def get_version():
    """Return the PEP 440 version string of this package, e.g. '1.2.0a0'."""
    return _render_version(VERSION)


def setup(set_prefix=True):
    """Populate the app registry from settings.INSTALLED_APPS.

    Settings must be configured first (DJANGO_SETTINGS_MODULE or
    settings.configure()). Safe to call more than once: the registry
    populates only the first time. ``set_prefix`` is accepted for
    compatibility and ignored (there is no URL handling here).
    """
    from django.apps import apps
    from django.conf import settings

    apps.populate(settings.INSTALLED_APPS)
