"""Delivery to an SMTP server with the standard library's ``smtplib``.

Every setting can be given to the constructor instead (``host``, ``port``,
``username``, ``password``, ``use_tls``, ``use_ssl``, ``timeout``,
``ssl_keyfile``, ``ssl_certfile``); a value left ``None`` is read from the
matching ``EMAIL_*`` setting. ``use_tls`` (STARTTLS after connecting) and
``use_ssl`` (TLS from the first byte, usually port 465) exclude each other.

``send_messages()`` opens a connection if none is open and closes it again
when done; open one explicitly (``with connection:``) to send several
batches over one connection.
"""
import smtplib
import ssl
import threading

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import _bare_address


class EmailBackend(BaseEmailBackend):
    def __init__(self, host=None, port=None, username=None, password=None, use_tls=None,
                 fail_silently=False, use_ssl=None, timeout=None, ssl_keyfile=None,
                 ssl_certfile=None, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.host = settings.EMAIL_HOST if host is None else host
        self.port = settings.EMAIL_PORT if port is None else port
        self.username = settings.EMAIL_HOST_USER if username is None else username
        self.password = settings.EMAIL_HOST_PASSWORD if password is None else password
        self.use_tls = settings.EMAIL_USE_TLS if use_tls is None else use_tls
        self.use_ssl = settings.EMAIL_USE_SSL if use_ssl is None else use_ssl
        self.timeout = settings.EMAIL_TIMEOUT if timeout is None else timeout
        self.ssl_keyfile = settings.EMAIL_SSL_KEYFILE if ssl_keyfile is None else ssl_keyfile
        self.ssl_certfile = (settings.EMAIL_SSL_CERTFILE if ssl_certfile is None
                             else ssl_certfile)
        if self.use_tls and self.use_ssl:
            raise ValueError(
                "EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set "
                "one of those settings to True."
            )
        self.connection = None
        self._lock = threading.RLock()

    @property
    def connection_class(self):
        return smtplib.SMTP_SSL if self.use_ssl else smtplib.SMTP

    def _ssl_context(self):
        context = ssl.create_default_context()
        if self.ssl_certfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        return context

    def open(self):
        """Connect (and log in if a username and password are set).

        True if a new connection was opened, False if one was already open,
        None if connecting failed and ``fail_silently`` is set.
        """
        if self.connection:
            return False
        options = {} if self.timeout is None else {"timeout": self.timeout}
        if self.use_ssl:
            options["context"] = self._ssl_context()
        try:
            self.connection = self.connection_class(self.host, self.port, **options)
            if self.use_tls:
                self.connection.starttls(context=self._ssl_context())
            if self.username and self.password:
                self.connection.login(self.username, self.password)
        except (smtplib.SMTPException, OSError):
            self._drop_connection()
            if not self.fail_silently:
                raise
            return None
        return True

    def close(self):
        """Say goodbye to the server (or just drop the socket if it is gone)."""
        if self.connection is None:
            return
        try:
            self.connection.quit()
        except (ssl.SSLError, smtplib.SMTPServerDisconnected):
            # The server already went away: nothing left to close politely.
            self.connection.close()
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
        finally:
            self.connection = None

    def _drop_connection(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except OSError:
                pass
            self.connection = None

    def send_messages(self, email_messages):
        """Send each message; the number the server accepted."""
        if not email_messages:
            return 0
        with self._lock:
            opened_here = self.open()
            if not self.connection or opened_here is None:
                return 0  # could not connect, fail_silently
            sent = 0
            try:
                for message in email_messages:
                    if self._send(message):
                        sent += 1
            finally:
                if opened_here:
                    self.close()
        return sent

    def _send(self, email_message):
        recipients = [_bare_address(address) for address in email_message.recipients()]
        if not recipients:
            return False
        sender = _bare_address(email_message.from_email)
        message = email_message.message()
        data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        try:
            self.connection.sendmail(sender, recipients, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
