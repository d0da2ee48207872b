"""Email messages: a description a sender fills in, turned into MIME on demand.

:class:`EmailMessage` keeps the parts of a message as plain attributes
(``subject``, ``body``, ``from_email``, the ``to``/``cc``/``bcc``/``reply_to``
lists, ``extra_headers``, ``attachments``); nothing is encoded until
:meth:`EmailMessage.message` builds a standard library
``email.message.EmailMessage`` from them. That build is where bad input is
refused: a header value with a newline in it (an attempt to inject headers)
raises :class:`BadHeaderError` naming the header. The stdlib does the MIME
work (charsets, transfer encodings, multipart nesting).

:class:`EmailMultiAlternatives` adds other renderings of the body (an HTML
version, typically) that mail clients choose between.
"""
import email
import mimetypes
import os
import pathlib
from collections import namedtuple
from datetime import datetime, timezone
from email import policy
from email.message import EmailMessage as StdlibEmailMessage
from email.message import Message
from email.utils import format_datetime, getaddresses, make_msgid

from django.conf import settings
from django.core.mail.utils import DNS_NAME

__all__ = [
    "BadHeaderError", "DEFAULT_ATTACHMENT_MIME_TYPE", "DNS_NAME", "EmailAlternative",
    "EmailAttachment", "EmailMessage", "EmailMultiAlternatives",
]

# The type given to an attachment whose type is neither passed nor guessable.
DEFAULT_ATTACHMENT_MIME_TYPE = "application/octet-stream"

# Non-ASCII text is sent quoted-printable or base64, never as raw 8-bit
# bytes, which a server without 8BITMIME would mangle.
MESSAGE_POLICY = policy.default.clone(cte_type="7bit")

EmailAttachment = namedtuple("EmailAttachment", ["filename", "content", "mimetype"])
EmailAlternative = namedtuple("EmailAlternative", ["content", "mimetype"])


class BadHeaderError(ValueError):
    """A header value contains a newline (a header injection attempt)."""


def _checked(name, value):
    """``value`` as text, refused if it could start a new header line."""
    text = str(value)
    if "\n" in text or "\r" in text:
        raise BadHeaderError(
            "Header values can't contain newlines (got %r for header %r)" % (text, name)
        )
    return text


def _address_list(argument, value):
    """The list form of a to/cc/bcc/reply_to argument; a lone string is refused
    (it would otherwise be read as a list of one-character addresses)."""
    if value is None:
        return []
    if isinstance(value, str):
        raise TypeError('"%s" argument must be a list or tuple' % argument)
    return list(value)


def _bare_address(address):
    """The ``user@domain`` part of ``'Name <user@domain>'``."""
    return getaddresses([address])[0][1] or address


def _typed_attachment(filename, content, mimetype):
    """An EmailAttachment whose type is given, guessed from ``filename``, or
    binary; ``text/*`` bytes become text, or binary if they are not UTF-8."""
    guessed = mimetypes.guess_type(filename)[0] if filename else None
    mimetype = mimetype or guessed or DEFAULT_ATTACHMENT_MIME_TYPE
    if isinstance(content, bytes) and mimetype.startswith("text/"):
        try:
            content = content.decode()
        except UnicodeDecodeError:
            mimetype = DEFAULT_ATTACHMENT_MIME_TYPE
    return EmailAttachment(filename, content, mimetype)


class EmailMessage:
    """A single email: ``EmailMessage(subject, body, from_email, to, ...).send()``."""

    content_subtype = "plain"
    encoding = None  # None: settings.DEFAULT_CHARSET

    def __init__(self, subject="", body="", from_email=None, to=None, bcc=None,
                 connection=None, attachments=None, headers=None, cc=None, reply_to=None):
        self.subject = subject
        self.body = body or ""
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL
        self.to = _address_list("to", to)
        self.cc = _address_list("cc", cc)
        self.bcc = _address_list("bcc", bcc)
        self.reply_to = _address_list("reply_to", reply_to)
        self.extra_headers = dict(headers or {})
        self.connection = connection
        self.attachments = []
        for attachment in attachments or []:
            # A ready MIME part, or the (filename, content, mimetype) of attach().
            self.attach(*((attachment,) if isinstance(attachment, Message) else attachment))

    # --- who receives it ------------------------------------------------

    def recipients(self):
        """Every address the message is delivered to (To, Cc and Bcc)."""
        return list(filter(None, [*self.to, *self.cc, *self.bcc]))

    # --- attachments ----------------------------------------------------

    def attach(self, filename=None, content=None, mimetype=None):
        """Attach ``content`` as ``filename``, or a ready MIME part given alone.

        ``mimetype`` defaults to a guess from ``filename``, else
        ``application/octet-stream``. Bytes given with a ``text/*`` type are
        decoded as UTF-8; if they are not UTF-8 they are sent as binary.
        """
        part_given = isinstance(filename, Message)
        if part_given and (content, mimetype) != (None, None):
            raise ValueError("content and mimetype must not be given when a MIME part "
                             "is provided.")
        if not part_given and content is None:
            raise ValueError("content must be provided.")
        self.attachments.append(
            filename if part_given else _typed_attachment(filename, content, mimetype)
        )

    def attach_file(self, path, mimetype=None):
        """Attach the file at ``path`` under its base name."""
        self.attach(os.path.basename(path), pathlib.Path(path).read_bytes(), mimetype)

    # --- building and sending -------------------------------------------

    def get_connection(self, fail_silently=False):
        """The message's connection, made for EMAIL_BACKEND on first need."""
        from django.core.mail import get_connection

        self.connection = self.connection or get_connection(fail_silently=fail_silently)
        return self.connection

    def send(self, fail_silently=False):
        """Send through ``connection`` (or the default backend); the number sent."""
        if self.recipients():
            return self.get_connection(fail_silently).send_messages([self])
        return 0  # nobody to send to: no connection is made

    def message(self):
        """A new ``email.message.EmailMessage`` for this message.

        Raises :class:`BadHeaderError` if a header value holds a newline.
        """
        msg = StdlibEmailMessage(policy=MESSAGE_POLICY)
        self._set_headers(msg)
        msg.set_content(self.body, subtype=self.content_subtype, charset=self.text_charset)
        self._add_alternatives(msg)
        for attachment in self.attachments:
            self._attach_to(msg, attachment)
        return msg

    @property
    def text_charset(self):
        """The charset text parts are encoded in: ``encoding`` or DEFAULT_CHARSET."""
        return self.encoding or settings.DEFAULT_CHARSET

    def _set_headers(self, msg):
        extra = {name.lower(): (name, value) for name, value in self.extra_headers.items()}
        standard = [
            ("Subject", self.subject),
            ("From", self.from_email),
            ("To", ", ".join(_checked("To", a) for a in self.to)),
            ("Cc", ", ".join(_checked("Cc", a) for a in self.cc)),
            ("Reply-To", ", ".join(_checked("Reply-To", a) for a in self.reply_to)),
        ]
        for name, value in standard:
            # headers={'From': ...} etc. replace the value built from the arguments.
            name, value = extra.pop(name.lower(), (name, value))
            if value or name == "Subject":
                msg[name] = _checked(name, value)
        if "date" not in extra:
            now = datetime.now(timezone.utc)
            if settings.EMAIL_USE_LOCALTIME:
                now = now.astimezone()
            msg["Date"] = format_datetime(now)
        if "message-id" not in extra:
            msg["Message-ID"] = make_msgid(domain=str(DNS_NAME))
        for name, value in extra.values():
            _checked(name, name)
            msg[name] = _checked(name, value)

    def _add_alternatives(self, msg):
        """Other renderings of the body; EmailMultiAlternatives has some."""

    def _attach_to(self, msg, attachment):
        """Add one entry of ``attachments`` to the stdlib message ``msg``."""
        if not isinstance(attachment, Message):
            filename, content, mimetype = attachment
            if mimetype == "message/rfc822":
                msg.add_attachment(self._as_message(content), filename=filename)
            else:
                args, options = _content_arguments(content, mimetype, self.text_charset)
                msg.add_attachment(*args, filename=filename, **options)
            return
        if msg.get_content_type() != "multipart/mixed":
            msg.make_mixed()
        if not isinstance(attachment, StdlibEmailMessage):
            # A legacy email.mime part: re-read under the modern policy so
            # the built message is one kind of object throughout.
            attachment = email.message_from_bytes(attachment.as_bytes(),
                                                  policy=policy.default)
        msg.attach(attachment)

    @staticmethod
    def _as_message(content):
        """An attached message/rfc822 part from an EmailMessage, stdlib message or text."""
        if isinstance(content, EmailMessage):
            return content.message()
        if isinstance(content, Message):
            return content
        if isinstance(content, str):
            content = content.encode()
        return email.message_from_bytes(content, policy=policy.default)


class EmailMultiAlternatives(EmailMessage):
    """An email whose body also comes in other types (HTML, typically);
    ``attach_alternative(html, 'text/html')`` adds one."""

    def __init__(self, subject="", body="", from_email=None, to=None, bcc=None,
                 connection=None, attachments=None, headers=None, alternatives=None,
                 cc=None, reply_to=None):
        super().__init__(subject, body, from_email, to, bcc, connection, attachments,
                         headers, cc, reply_to)
        self.alternatives = []
        for content, mimetype in alternatives or []:
            self.attach_alternative(content, mimetype)

    def attach_alternative(self, content, mimetype):
        """Add ``content`` as another rendering of the body, of type ``mimetype``."""
        missing = [name for name, value in (("content", content), ("mimetype", mimetype))
                   if value is None]
        if missing:
            raise ValueError("Both content and mimetype must be provided (missing: %s)."
                             % ", ".join(missing))
        self.alternatives.append(EmailAlternative(content, mimetype))

    def _add_alternatives(self, msg):
        for content, mimetype in self.alternatives:
            args, options = _content_arguments(content, mimetype, self.text_charset)
            msg.add_alternative(*args, **options)


def _content_arguments(content, mimetype, charset):
    """How to hand ``content`` of type ``mimetype`` to the stdlib's content
    manager (``add_attachment``/``add_alternative``): positional and keyword
    arguments. Text goes as str, encoded in ``charset`` when the message is
    built; any other type goes as bytes (str encoded in ``charset`` first)."""
    major, minor = mimetype.split("/", 1)
    if major != "text":
        data = content.encode(charset) if isinstance(content, str) else content
        return (data, major, minor), {}
    text = content.decode() if isinstance(content, bytes) else content
    return (text,), {"subtype": minor, "charset": charset}
