"""A backend for development: each message is written out (stdout by default).

``get_connection(..., stream=f)`` writes to ``f`` instead. Messages are
separated by a line of 79 dashes.
"""
import sys
import threading

from django.core.mail.backends.base import BaseEmailBackend

SEPARATOR = "-" * 79


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        # Held while a batch is printed, so batches from two threads do not
        # interleave on the stream.
        self.printing = threading.RLock()

    def send_messages(self, email_messages):
        with self.printing:
            return sum(map(self.print_one, email_messages))

    def print_one(self, message):
        """Print ``message`` and a separator; 1, or 0 if it failed under fail_silently."""
        try:
            rendered = message.message().as_bytes().decode("utf-8", "replace")
            print(rendered.rstrip("\n"), SEPARATOR, sep="\n", file=self.stream, flush=True)
        except Exception:
            if self.fail_silently:
                return 0
            raise
        return 1
