"""Translation API without translations.

USE_I18N is off in this project, so these functions only return their
input (interpolated for the plural forms). They exist so code written in
the usual ``from django.utils.translation import gettext_lazy as _`` style
works unchanged.
"""
from contextlib import ContextDecorator

from django.utils.functional import lazy

__all__ = [
    "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy",
    "pgettext", "pgettext_lazy", "npgettext", "activate", "deactivate",
    "get_language", "override",
]

LANGUAGE_SESSION_KEY = "_language"


def gettext(message):
    """``message`` itself: there is no catalog to translate it with."""
    return message


# Marks a string for translation without translating it.
gettext_noop = gettext


def ngettext(singular, plural, number):
    """The English plural rule: ``singular`` for exactly one, else ``plural``."""
    return plural if number != 1 else singular


def pgettext(context, message):
    """``gettext`` with a disambiguating context, which is ignored here."""
    return gettext(message)


def npgettext(context, singular, plural, number):
    """``ngettext`` with a (here ignored) context."""
    return ngettext(singular, plural, number)


gettext_lazy = lazy(gettext, str)
ngettext_lazy = lazy(ngettext, str)
pgettext_lazy = lazy(pgettext, str)


def get_language():
    """The active language: always settings.LANGUAGE_CODE here."""
    from django.conf import settings

    return settings.LANGUAGE_CODE


def activate(language):
    """No-op: there are no translations to switch between."""


def deactivate():
    """No-op counterpart of activate()."""


class override(ContextDecorator):
    """No-op language override, usable as a decorator or context manager."""

    def __init__(self, language, deactivate=False):
        # Kept for introspection only; nothing is switched.
        self.language, self.deactivate = language, deactivate

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False  # never swallow exceptions
