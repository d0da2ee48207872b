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
import contextlib
import smtplib
import ssl
import threading

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import _bare_address
from django.core.mail.utils import DNS_NAME


class EmailBackend(BaseEmailBackend):
    # Constructor argument -> the setting read when the argument is None.
    SETTINGS = {
        "host": "EMAIL_HOST", "port": "EMAIL_PORT", "username": "EMAIL_HOST_USER",
        "password": "EMAIL_HOST_PASSWORD", "use_tls": "EMAIL_USE_TLS",
        "use_ssl": "EMAIL_USE_SSL", "timeout": "EMAIL_TIMEOUT",
        "ssl_keyfile": "EMAIL_SSL_KEYFILE", "ssl_certfile": "EMAIL_SSL_CERTFILE",
    }

    # The open smtplib client between open() and close(); None otherwise.
    connection = None

    def __init__(self, host=None, port=None, username=None, password=None, use_tls=None,
                 fail_silently=False, use_ssl=None, timeout=None, ssl_keyfile=None,
                 ssl_certfile=None, **kwargs):
        super().__init__(fail_silently=fail_silently)
        # One batch at a time: batches from two threads would share the client.
        self.sending = threading.RLock()
        given = dict(host=host, port=port, username=username, password=password,
                     use_tls=use_tls, use_ssl=use_ssl, timeout=timeout,
                     ssl_keyfile=ssl_keyfile, ssl_certfile=ssl_certfile)
        for attribute, setting in self.SETTINGS.items():
            value = given[attribute]
            setattr(self, attribute, getattr(settings, setting) if value is None else value)
        security = [name for name in ("use_tls", "use_ssl") if getattr(self, name)]
        if len(security) > 1:
            raise ValueError(
                "EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set "
                "one of those settings to True."
            )

    def _tolerate(self, error):
        """Raise ``error`` unless this backend fails silently."""
        if not self.fail_silently:
            raise error

    def open(self):
        """Connect (and log in if a username and password are set).

        True if a new connection was opened, False if one was already open,
        None if connecting failed and ``fail_silently`` is set.
        """
        if self.connection is not None:
            return False
        try:
            self.connection = self._connect()
        except (smtplib.SMTPException, OSError) as error:
            self._tolerate(error)
            return None
        return True

    def _connect(self):
        """A connected, secured and logged-in smtplib client; its socket is
        closed again if securing or logging in fails."""
        # Our cached host name spares smtplib its own (possibly slow) lookup.
        options = {"local_hostname": str(DNS_NAME)}
        if self.timeout is not None:
            options["timeout"] = self.timeout
        if self.use_ssl:
            client = smtplib.SMTP_SSL(self.host, self.port, context=self._ssl_context(),
                                      **options)
        else:
            client = smtplib.SMTP(self.host, self.port, **options)
        try:
            if self.use_tls:
                client.starttls(context=self._ssl_context())
            if self.username and self.password:
                client.login(self.username, self.password)
        except BaseException:
            client.close()
            raise
        return client

    def _ssl_context(self):
        context = ssl.create_default_context()
        if self.ssl_certfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        return context

    def close(self):
        """Say goodbye to the server (or just drop the socket if it is gone)."""
        client, self.connection = self.connection, None
        if client is None:
            return
        try:
            client.quit()
        except (ssl.SSLError, smtplib.SMTPServerDisconnected):
            client.close()  # the server already hung up: nothing to say goodbye to
        except smtplib.SMTPException as error:
            self._tolerate(error)

    @contextlib.contextmanager
    def _batch_connection(self):
        """Yields whether a connection is usable. A connection this opened
        (none was open before) is closed again when the batch is done."""
        outcome = self.open()
        try:
            yield outcome is not None
        finally:
            if outcome is True:
                self.close()

    def send_messages(self, email_messages):
        """Send each message; the number the server accepted."""
        batch = list(email_messages)
        accepted = 0
        if batch:  # nothing to send: no connection is made
            with self.sending, self._batch_connection() as connected:
                if connected:
                    accepted = sum(map(self._deliver, batch))
        return accepted

    def _deliver(self, email_message):
        """1 if the server accepted ``email_message``, else 0 (fail_silently only)."""
        recipients = [_bare_address(address) for address in email_message.recipients()]
        if not recipients:
            return 0
        message = email_message.message()
        data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        try:
            self.connection.sendmail(_bare_address(email_message.from_email), recipients, data)
        except smtplib.SMTPException as error:
            self._tolerate(error)
            return 0
        return 1
