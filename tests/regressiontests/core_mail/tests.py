"""django.core.mail: messages, the send helpers, the backends, the test outbox."""
import io
import os
import smtplib
import socket
import tempfile
import unittest
from email.mime.text import MIMEText

from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import (
    BadHeaderError,
    EmailMessage,
    EmailMultiAlternatives,
    get_connection,
    mail_admins,
    mail_managers,
    send_mail,
    send_mass_mail,
)
from django.core.mail.backends import console, dummy, locmem, smtp
from django.test import SimpleTestCase
from django.test.utils import (
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)

from doc_examples import run_doc_examples

from .smtp_server import FakeSMTPServer

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _parts(message):
    """(content type, filename) of every leaf part of a stdlib message."""
    return [(part.get_content_type(), part.get_filename()) for part in message.walk()
            if not part.is_multipart()]


class SendHelperTests(SimpleTestCase):
    def test_send_mail_delivers_one_message_to_the_outbox(self):
        sent = send_mail("Hello", "Body text", "from@example.com", ["to@example.com"])
        self.assertEqual(sent, 1)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.subject, "Hello")
        self.assertEqual(message.body, "Body text")
        self.assertEqual(message.from_email, "from@example.com")
        self.assertEqual(message.to, ["to@example.com"])

    @override_settings(DEFAULT_FROM_EMAIL="site@example.com")
    def test_send_mail_without_sender_uses_default_from_email(self):
        send_mail("Hi", "Body", None, ["to@example.com"])
        self.assertEqual(mail.outbox[0].message()["From"], "site@example.com")

    def test_send_mail_html_message_is_an_alternative(self):
        send_mail("Hi", "plain", "a@example.com", ["b@example.com"], html_message="<p>html</p>")
        message = mail.outbox[0]
        self.assertEqual(message.alternatives, [("<p>html</p>", "text/html")])
        built = message.message()
        self.assertEqual(built.get_content_type(), "multipart/alternative")
        self.assertEqual(built.get_body(("html",)).get_content().strip(), "<p>html</p>")
        self.assertEqual(built.get_body(("plain",)).get_content().strip(), "plain")

    def test_send_mail_to_nobody_sends_nothing(self):
        self.assertEqual(send_mail("Hi", "Body", "a@example.com", []), 0)
        self.assertEqual(mail.outbox, [])

    def test_send_mail_uses_the_given_connection(self):
        connection = get_connection("django.core.mail.backends.dummy.EmailBackend")
        self.assertEqual(send_mail("Hi", "B", "a@example.com", ["b@example.com"],
                                   connection=connection), 1)
        self.assertEqual(mail.outbox, [])

    def test_send_mass_mail_sends_each_tuple_as_a_message(self):
        sent = send_mass_mail([
            ("One", "first", "a@example.com", ["x@example.com"]),
            ("Two", "second", "a@example.com", ["y@example.com", "z@example.com"]),
        ])
        self.assertEqual(sent, 2)
        self.assertEqual([m.subject for m in mail.outbox], ["One", "Two"])
        self.assertEqual(mail.outbox[1].to, ["y@example.com", "z@example.com"])

    def test_send_mass_mail_refuses_a_tuple_of_the_wrong_shape(self):
        with self.assertRaisesMessage(ValueError, "(subject, message, from_email, "
                                                  "recipient_list) tuples, not ('One',"):
            send_mass_mail([("One", "first", "a@example.com", ["x@example.com"], ["bcc"])])
        self.assertEqual(mail.outbox, [])

    @override_settings(ADMINS=["admin@example.com"], SERVER_EMAIL="server@example.com",
                       EMAIL_SUBJECT_PREFIX="[Site] ")
    def test_mail_admins_prefixes_subject_and_sends_from_server_email(self):
        mail_admins("Broken", "Details", html_message="<b>Details</b>")
        message = mail.outbox[0]
        self.assertEqual(message.subject, "[Site] Broken")
        self.assertEqual(message.from_email, "server@example.com")
        self.assertEqual(message.to, ["admin@example.com"])
        self.assertEqual(message.alternatives, [("<b>Details</b>", "text/html")])

    @override_settings(MANAGERS=[("Mary", "mary@example.com")])
    def test_mail_managers_accepts_name_address_pairs(self):
        mail_managers("Note", "Text")
        self.assertEqual(mail.outbox[0].to, ["Mary <mary@example.com>"])
        self.assertEqual(mail.outbox[0].subject, "[Django] Note")

    def test_mail_admins_with_no_admins_sends_nothing(self):
        mail_admins("Broken", "Details")
        self.assertEqual(mail.outbox, [])

    @override_settings(ADMINS="admin@example.com")
    def test_mail_admins_refuses_a_string_setting(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "The ADMINS setting must be a list"):
            mail_admins("Broken", "Details")


class MessageTests(SimpleTestCase):
    def message(self, **kwargs):
        arguments = dict(subject="Subject", body="Body", from_email="from@example.com",
                         to=["to@example.com"])
        arguments.update(kwargs)
        return EmailMessage(**arguments)

    def test_message_builds_the_standard_headers(self):
        built = self.message(cc=["cc@example.com"], reply_to=["reply@example.com"]).message()
        self.assertEqual(built["Subject"], "Subject")
        self.assertEqual(built["From"], "from@example.com")
        self.assertEqual(built["To"], "to@example.com")
        self.assertEqual(built["Cc"], "cc@example.com")
        self.assertEqual(built["Reply-To"], "reply@example.com")
        self.assertIsNotNone(built["Date"])
        self.assertIsNotNone(built["Message-ID"])
        self.assertEqual(built.get_content().strip(), "Body")

    def test_bcc_receives_but_is_not_in_the_headers(self):
        message = self.message(cc=["cc@example.com"], bcc=["hidden@example.com"])
        self.assertEqual(message.recipients(),
                         ["to@example.com", "cc@example.com", "hidden@example.com"])
        self.assertNotIn("hidden@example.com", message.message().as_string())

    def test_extra_headers_are_added_and_override_the_arguments(self):
        built = self.message(headers={"X-Tag": "news", "From": "Other <other@example.com>",
                                      "Message-ID": "<fixed@example.com>"}).message()
        self.assertEqual(built["X-Tag"], "news")
        self.assertEqual(built.get_all("From"), ["Other <other@example.com>"])
        self.assertEqual(built.get_all("Message-ID"), ["<fixed@example.com>"])

    def test_non_ascii_subject_and_body_survive_encoding(self):
        built = self.message(subject="Grüße", body="Thé body").message()
        self.assertIn("=?utf-8?", built.as_string())
        self.assertEqual(str(built["Subject"]), "Grüße")
        self.assertEqual(built.get_content().strip(), "Thé body")

    def test_non_ascii_text_is_never_sent_as_raw_8bit(self):
        message = self.message(body="Thé body")
        message.attach("note.txt", "naïve")
        data = message.message().as_bytes()
        data.decode("ascii")  # raises if any byte is 8-bit
        self.assertNotIn(b"Content-Transfer-Encoding: 8bit", data)

    def test_message_id_uses_the_patchable_dns_name(self):
        # pytest-django's mailoutbox fixture patches message.DNS_NAME.
        from django.core.mail import message as message_module

        saved = message_module.DNS_NAME
        message_module.DNS_NAME = "fake-tests.example.com"
        try:
            built = self.message().message()
        finally:
            message_module.DNS_NAME = saved
        self.assertTrue(built["Message-ID"].endswith("@fake-tests.example.com>"))

    def test_a_lone_string_as_address_list_is_refused(self):
        for argument in ("to", "cc", "bcc", "reply_to"):
            with self.subTest(argument=argument):
                with self.assertRaisesMessage(TypeError, '"%s" argument must be a list' % argument):
                    self.message(**{argument: "x@example.com"})

    def test_newlines_in_headers_raise_bad_header_error(self):
        cases = {
            "Subject": dict(subject="Hi\nBcc: victim@example.com"),
            "From": dict(from_email="a@example.com\r\nBcc: victim@example.com"),
            "To": dict(to=["b@example.com\nBcc: victim@example.com"]),
            "X-Extra": dict(headers={"X-Extra": "v\nBcc: victim@example.com"}),
        }
        for header, kwargs in cases.items():
            with self.subTest(header=header):
                with self.assertRaisesMessage(BadHeaderError, "for header '%s'" % header):
                    self.message(**kwargs).message()

    def test_bad_header_error_is_a_value_error(self):
        self.assertTrue(issubclass(BadHeaderError, ValueError))

    def test_send_mail_with_injected_subject_sends_nothing(self):
        with self.assertRaises(BadHeaderError):
            send_mail("Hi\nBcc: victim@example.com", "B", "a@example.com", ["b@example.com"])
        self.assertEqual(mail.outbox, [])

    def test_attachments_get_their_guessed_type_and_filename(self):
        message = self.message()
        message.attach("notes.txt", "some notes")
        message.attach("data.bin", b"\x00\x01\x02")
        message.attach("page.html", b"<p>x</p>")
        message.attach(MIMEText("ready part"))
        built = message.message()
        self.assertEqual(built.get_content_type(), "multipart/mixed")
        self.assertEqual(_parts(built), [
            ("text/plain", None), ("text/plain", "notes.txt"),
            ("application/octet-stream", "data.bin"), ("text/html", "page.html"),
            ("text/plain", None),
        ])
        self.assertEqual(message.attachments[2], ("page.html", "<p>x</p>", "text/html"))
        binary = [p for p in built.iter_attachments() if p.get_filename() == "data.bin"][0]
        self.assertEqual(binary.get_content(), b"\x00\x01\x02")

    def test_text_attachment_that_is_not_utf8_is_sent_as_binary(self):
        message = self.message()
        message.attach("latin.txt", "café".encode("latin-1"), "text/plain")
        self.assertEqual(message.attachments[0].mimetype, "application/octet-stream")

    def test_attach_without_content_is_refused(self):
        with self.assertRaisesMessage(ValueError, "content must be provided"):
            self.message().attach("empty.txt")

    def test_attach_file_uses_the_base_name(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "report.csv")
            with open(path, "w") as handle:
                handle.write("a,b\n")
            message = self.message()
            message.attach_file(path)
        self.assertEqual(message.attachments[0].filename, "report.csv")
        self.assertEqual(message.attachments[0].content, "a,b\n")
        self.assertEqual(message.attachments[0].mimetype, "text/csv")

    def test_attachments_argument_takes_tuples(self):
        message = self.message(attachments=[("a.txt", "A", "text/plain")])
        self.assertEqual(message.attachments, [("a.txt", "A", "text/plain")])

    def test_an_email_message_attaches_as_message_rfc822(self):
        message = self.message()
        message.attach("forwarded.eml", self.message(subject="Inner"), "message/rfc822")
        inner = next(message.message().iter_attachments())
        self.assertEqual(inner.get_content_type(), "message/rfc822")
        self.assertEqual(inner.get_content()["Subject"], "Inner")

    def test_alternatives_and_attachments_nest(self):
        message = EmailMultiAlternatives("S", "plain", "a@example.com", ["b@example.com"],
                                         alternatives=[("<p>h</p>", "text/html")])
        message.attach("a.txt", "A")
        built = message.message()
        self.assertEqual(built.get_content_type(), "multipart/mixed")
        self.assertEqual([p.get_content_type() for p in built.iter_parts()],
                         ["multipart/alternative", "text/plain"])

    def test_attach_alternative_needs_content_and_type(self):
        with self.assertRaisesMessage(ValueError, "Both content and mimetype"):
            EmailMultiAlternatives().attach_alternative("<p>h</p>", None)


class ConnectionTests(SimpleTestCase):
    def test_get_connection_defaults_to_email_backend_setting(self):
        self.assertIsInstance(get_connection(), locmem.EmailBackend)
        with self.settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.assertIsInstance(get_connection(), dummy.EmailBackend)

    def test_get_connection_passes_options_to_the_backend(self):
        stream = io.StringIO()
        connection = get_connection("django.core.mail.backends.console.EmailBackend",
                                    fail_silently=True, stream=stream)
        self.assertIs(connection.stream, stream)
        self.assertTrue(connection.fail_silently)

    def test_get_connection_with_a_bad_path_names_it(self):
        with self.assertRaisesMessage(ImportError, "django.core.mail.backends.nope"):
            get_connection("django.core.mail.backends.nope.EmailBackend")

    def test_dummy_backend_counts_and_drops(self):
        connection = dummy.EmailBackend()
        self.assertEqual(connection.send_messages([EmailMessage(to=["a@example.com"])] * 2), 2)
        self.assertEqual(mail.outbox, [])

    def test_console_backend_writes_each_message_and_a_separator(self):
        stream = io.StringIO()
        connection = console.EmailBackend(stream=stream)
        sent = connection.send_messages([
            EmailMessage("First", "one", "a@example.com", ["b@example.com"]),
            EmailMessage("Second", "two", "a@example.com", ["b@example.com"]),
        ])
        self.assertEqual(sent, 2)
        output = stream.getvalue()
        self.assertIn("Subject: First\n", output)
        self.assertIn("Subject: Second\n", output)
        self.assertEqual(output.count("-" * 79 + "\n"), 2)

    def test_locmem_backend_creates_the_outbox_when_missing(self):
        saved = mail.outbox
        del mail.outbox
        try:
            locmem.EmailBackend().send_messages([EmailMessage(to=["a@example.com"])])
            self.assertEqual(len(mail.outbox), 1)
        finally:
            mail.outbox = saved

    def test_backend_is_a_context_manager(self):
        with get_connection() as connection:
            self.assertIsInstance(connection, locmem.EmailBackend)

    def test_message_send_uses_its_connection(self):
        stream = io.StringIO()
        message = EmailMessage("S", "B", "a@example.com", ["b@example.com"],
                               connection=console.EmailBackend(stream=stream))
        self.assertEqual(message.send(), 1)
        self.assertIn("Subject: S", stream.getvalue())
        self.assertEqual(mail.outbox, [])


class TestEnvironmentTests(SimpleTestCase):
    def test_tests_run_with_the_locmem_backend(self):
        self.assertEqual(settings.EMAIL_BACKEND, LOCMEM)

    def test_each_test_starts_with_an_empty_outbox(self):
        seen = []

        class Inner(SimpleTestCase):
            def test_it(self):
                seen.append(list(mail.outbox))

        mail.outbox.append(EmailMessage(to=["left@example.com"]))
        result = unittest.TestResult()
        Inner("test_it")(result)
        self.assertEqual(result.errors + result.failures, [])
        self.assertEqual(seen, [[]])

    def test_teardown_restores_the_backend_and_removes_the_outbox(self):
        teardown_test_environment()
        try:
            self.assertEqual(settings.EMAIL_BACKEND, "django.core.mail.backends.smtp.EmailBackend")
            self.assertFalse(hasattr(mail, "outbox"))
        finally:
            setup_test_environment(debug=False)
        self.assertEqual(settings.EMAIL_BACKEND, LOCMEM)
        self.assertEqual(mail.outbox, [])


class SMTPBackendTests(SimpleTestCase):
    def setUp(self):
        self.server = FakeSMTPServer(refuse={"refused@example.com"})
        self.addCleanup(self.server.stop)

    def backend(self, **kwargs):
        return smtp.EmailBackend(host=self.server.host, port=self.server.port, **kwargs)

    def test_sends_to_every_recipient_without_a_bcc_header(self):
        message = EmailMessage("Hello", "Body", "Sender <from@example.com>", ["to@example.com"],
                               cc=["cc@example.com"], bcc=["hidden@example.com"])
        self.assertEqual(self.backend().send_messages([message]), 1)
        [received] = self.server.messages
        self.assertEqual(received["from"], "from@example.com")
        self.assertEqual(received["to"], ["to@example.com", "cc@example.com",
                                          "hidden@example.com"])
        self.assertEqual(received["message"]["Subject"], "Hello")
        self.assertIsNone(received["message"]["Bcc"])
        self.assertEqual(received["message"].get_content().strip(), "Body")

    def test_a_batch_uses_one_connection_closed_afterwards(self):
        messages = [EmailMessage("S%d" % i, "B", "a@example.com", ["b@example.com"])
                    for i in range(3)]
        connection = self.backend()
        self.assertEqual(connection.send_messages(messages), 3)
        self.assertEqual((self.server.connections, self.server.quits), (1, 1))
        self.assertIsNone(connection.connection)

    def test_an_open_connection_is_kept_across_batches(self):
        with self.backend() as connection:
            for subject in ("one", "two"):
                EmailMessage(subject, "B", "a@example.com", ["b@example.com"],
                             connection=connection).send()
            self.assertEqual(self.server.quits, 0)
        self.assertEqual(len(self.server.messages), 2)
        self.assertEqual(self.server.connections, 1)

    @override_settings(EMAIL_HOST="127.0.0.1", EMAIL_HOST_USER="user",
                       EMAIL_HOST_PASSWORD="secret", EMAIL_TIMEOUT=7)
    def test_settings_give_server_credentials_and_timeout(self):
        with self.settings(EMAIL_PORT=self.server.port):
            connection = smtp.EmailBackend()
            with connection:
                self.assertEqual(connection.connection.timeout, 7)
        self.assertEqual(self.server.logins, [("user", "secret")])

    def test_send_mail_through_the_smtp_backend(self):
        with self.settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                           EMAIL_HOST="127.0.0.1", EMAIL_PORT=self.server.port):
            send_mail("Hi", "Body", "a@example.com", ["b@example.com"])
        self.assertEqual(self.server.messages[0]["to"], ["b@example.com"])

    def test_refused_recipient_raises_unless_fail_silently(self):
        message = EmailMessage("S", "B", "a@example.com", ["refused@example.com"])
        with self.assertRaises(smtplib.SMTPRecipientsRefused):
            self.backend().send_messages([message])
        self.assertEqual(self.backend(fail_silently=True).send_messages([message]), 0)

    def test_unreachable_server_raises_unless_fail_silently(self):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()  # nothing listens there now
        message = EmailMessage("S", "B", "a@example.com", ["b@example.com"])
        with self.assertRaises(OSError):
            smtp.EmailBackend(host="127.0.0.1", port=port).send_messages([message])
        quiet = smtp.EmailBackend(host="127.0.0.1", port=port, fail_silently=True)
        self.assertEqual(quiet.send_messages([message]), 0)

    def test_use_tls_refuses_to_continue_without_starttls(self):
        # The stand-in offers no STARTTLS: the message must not go in clear text.
        message = EmailMessage("S", "B", "a@example.com", ["b@example.com"])
        with self.assertRaises(smtplib.SMTPNotSupportedError):
            self.backend(use_tls=True).send_messages([message])
        self.assertEqual(self.server.messages, [])

    def test_tls_and_ssl_together_are_refused(self):
        with self.assertRaisesMessage(ValueError, "EMAIL_USE_TLS/EMAIL_USE_SSL are mutually "
                                                  "exclusive"):
            smtp.EmailBackend(use_tls=True, use_ssl=True)

    def test_no_messages_opens_no_connection(self):
        self.assertEqual(self.backend().send_messages([]), 0)
        self.assertEqual(self.server.connections, 0)


class DocsTests(SimpleTestCase):
    def test_email_page_examples_run(self):
        run_doc_examples(self, "topics/email.txt", {}, more_than=10)
