"""Request-cycle signals (the database layer hooks close_old_connections here)."""
from django.dispatch import Signal

request_started = Signal()
request_finished = Signal()
got_request_exception = Signal()
