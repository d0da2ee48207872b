"""Sending email: ``send_mail()`` and friends over pluggable backends.

A backend (``settings.EMAIL_BACKEND``, or the path given to
:func:`get_connection`) delivers :class:`EmailMessage` objects:

- ``django.core.mail.backends.smtp.EmailBackend``: to an SMTP server
  (``EMAIL_HOST``, ``EMAIL_PORT``, ...), the default;
- ``django.core.mail.backends.locmem.EmailBackend``: appends them to
  ``django.core.mail.outbox``, a list; the test runner switches to it;
- ``django.core.mail.backends.console.EmailBackend``: writes them to stdout;
- ``django.core.mail.backends.dummy.EmailBackend``: drops them.
"""
from email.utils import formataddr

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.message import (
    DEFAULT_ATTACHMENT_MIME_TYPE,
    BadHeaderError,
    EmailAlternative,
    EmailAttachment,
    EmailMessage,
    EmailMultiAlternatives,
)
from django.utils.module_loading import import_string

__all__ = [
    "BadHeaderError", "DEFAULT_ATTACHMENT_MIME_TYPE", "EmailAlternative", "EmailAttachment",
    "EmailMessage", "EmailMultiAlternatives", "get_connection", "mail_admins",
    "mail_managers", "send_mail", "send_mass_mail",
]


def get_connection(backend=None, fail_silently=False, **kwds):
    """An instance of the backend at dotted path ``backend`` (default
    ``settings.EMAIL_BACKEND``); ``kwds`` go to its constructor."""
    backend_class = import_string(backend or settings.EMAIL_BACKEND)
    return backend_class(fail_silently=fail_silently, **kwds)


def send_mail(subject, message, from_email, recipient_list, fail_silently=False,
              auth_user=None, auth_password=None, connection=None, html_message=None):
    """Send one message to ``recipient_list`` (all in its To header); the
    number of messages sent (0 or 1). ``from_email=None`` means
    ``settings.DEFAULT_FROM_EMAIL``; ``html_message`` adds a text/html
    alternative."""
    connection = connection or _login_connection(auth_user, auth_password, fail_silently)
    return _compose(subject, message, from_email, recipient_list, html_message,
                    connection).send()


def send_mass_mail(datatuple, fail_silently=False, auth_user=None, auth_password=None,
                   connection=None):
    """Send each ``(subject, message, from_email, recipient_list)`` of
    ``datatuple`` as its own message over one connection; the number sent."""
    connection = connection or _login_connection(auth_user, auth_password, fail_silently)
    return connection.send_messages([
        EmailMessage(*_mass_mail_fields(fields), connection=connection) for fields in datatuple
    ])


def _mass_mail_fields(fields):
    fields = tuple(fields)
    if len(fields) != 4:
        raise ValueError("send_mass_mail() takes (subject, message, from_email, "
                         "recipient_list) tuples, not %r" % (fields,))
    return fields


def mail_admins(subject, message, fail_silently=False, connection=None, html_message=None):
    """Email ``settings.ADMINS`` (subject prefixed by EMAIL_SUBJECT_PREFIX,
    sent from SERVER_EMAIL); nothing happens when ADMINS is empty."""
    _mail_setting("ADMINS", subject, message, fail_silently, connection, html_message)


def mail_managers(subject, message, fail_silently=False, connection=None, html_message=None):
    """Like :func:`mail_admins`, to ``settings.MANAGERS``."""
    _mail_setting("MANAGERS", subject, message, fail_silently, connection, html_message)


def _login_connection(username, password, fail_silently):
    """A connection to EMAIL_BACKEND; None credentials fall back to the settings."""
    return get_connection(username=username, password=password, fail_silently=fail_silently)


def _compose(subject, body, from_email, recipients, html_message, connection):
    """The message the helpers send: text body, plus ``html_message`` if given."""
    alternatives = [(html_message, "text/html")] if html_message else None
    return EmailMultiAlternatives(subject, body, from_email, recipients,
                                  connection=connection, alternatives=alternatives)


def _mail_setting(setting_name, subject, message, fail_silently, connection, html_message):
    recipients = _setting_addresses(setting_name)
    if recipients:
        subject = settings.EMAIL_SUBJECT_PREFIX + str(subject)
        _compose(subject, message, settings.SERVER_EMAIL, recipients, html_message,
                 connection).send(fail_silently=fail_silently)


def _setting_addresses(setting_name):
    """The addresses of ADMINS/MANAGERS: a list of address strings (the older
    ``(name, address)`` pairs are accepted too)."""
    value = getattr(settings, setting_name)
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ImproperlyConfigured(
            "The %s setting must be a list of email address strings, not %r."
            % (setting_name, value)
        )
    addresses = []
    for entry in value:
        if isinstance(entry, str):
            addresses.append(entry)
        elif isinstance(entry, (list, tuple)) and len(entry) == 2:
            addresses.append(formataddr(tuple(entry)))
        else:
            raise ImproperlyConfigured(
                "The %s setting must be a list of email address strings; %r is not one."
                % (setting_name, entry)
            )
    return addresses
