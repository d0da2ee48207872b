"""A backend for development: each message is written out (stdout by default).

``get_connection(..., stream=f)`` writes to ``f`` instead. Messages are
separated by a line of 79 dashes.
"""
import sys
import threading

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()  # one message's lines are not interleaved

    def send_messages(self, email_messages):
        count = 0
        with self._lock:
            for message in email_messages:
                try:
                    self._write(message)
                except Exception:
                    if not self.fail_silently:
                        raise
                    continue
                count += 1
        return count

    def _write(self, message):
        text = message.message().as_bytes().decode("utf-8", "replace")
        self.stream.write("%s\n%s\n" % (text.rstrip("\n"), "-" * 79))
        self.stream.flush()
