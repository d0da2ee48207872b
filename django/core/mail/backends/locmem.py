"""A backend for tests: messages are appended to ``django.core.mail.outbox``.

The test runner selects it (and empties the outbox) in
``setup_test_environment()``. Each message is built once before it is kept,
so a header injection fails here as it would on a real server.
"""
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, **kwargs):
        # The outbox exists as soon as a backend does, even outside the runner.
        vars(mail).setdefault("outbox", [])
        super().__init__(*args, **kwargs)

    def send_messages(self, messages):
        return sum(self.keep(message) for message in messages)

    @staticmethod
    def keep(message):
        """Build ``message`` (refusing bad headers), then keep the EmailMessage; 1."""
        message.message()
        mail.outbox.append(message)
        return 1
