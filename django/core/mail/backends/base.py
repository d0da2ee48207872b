"""The interface every email backend implements."""


class BaseEmailBackend:
    """A way to deliver messages.

    ``send_messages(messages)`` delivers a list of EmailMessage objects and
    returns how many were sent. ``open()``/``close()`` bracket a connection
    for backends that hold one; used as a context manager the backend is
    opened on entry and closed on exit. With ``fail_silently`` true a backend
    swallows delivery errors instead of raising them.
    """

    def __init__(self, fail_silently=False, **kwargs):
        self.fail_silently = fail_silently

    def open(self):
        """Open a connection if the backend uses one (here: nothing to do)."""

    def close(self):
        """Close the connection opened by :meth:`open` (here: nothing to do)."""

    def send_messages(self, email_messages):
        """Deliver ``email_messages``; how many went out. Every backend says how."""
        raise NotImplementedError(
            "subclasses of BaseEmailBackend must override send_messages() method"
        )

    # ``with backend:`` holds one connection for the whole block.

    def __exit__(self, *exc_info):
        self.close()

    def __enter__(self):
        self.open()
        return self
