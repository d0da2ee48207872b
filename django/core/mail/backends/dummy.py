"""A backend that sends nothing (and reports every message as sent)."""
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        return sum(1 for _ in email_messages)
