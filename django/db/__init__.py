"""
The database layer's entry point.

``connections`` holds one DatabaseWrapper per alias of ``DATABASES`` and
per thread, created lazily (see ``django.db.utils.ConnectionHandler``);
``connection`` is a proxy to ``connections['default']``. A thread that ends
closes the connections it opened.

``router`` answers which alias a model's queries and tables belong to,
from the routers of ``DATABASE_ROUTERS``.

``get_connection()`` and ``reset_connections()`` are the single-database
spellings, kept (deprecated, without a warning) for code written for it.
"""
import atexit

from django.db.utils import (
    DEFAULT_DB_ALIAS,
    ConnectionDoesNotExist,
    ConnectionHandler,
    ConnectionRouter,
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    load_backend,
)

__all__ = [
    "connection",
    "connections",
    "router",
    "DEFAULT_DB_ALIAS",
    "ConnectionDoesNotExist",
    "get_connection",
    "reset_queries",
    "close_old_connections",
    "reset_connections",
    "close_all",
    "drop_kept_cursors",
    "Error",
    "InterfaceError",
    "DatabaseError",
    "DataError",
    "OperationalError",
    "IntegrityError",
    "InternalError",
    "ProgrammingError",
    "NotSupportedError",
]

connections = ConnectionHandler()


def get_connection():
    """Deprecated: ``connections[DEFAULT_DB_ALIAS]``, this thread's default wrapper."""
    return connections[DEFAULT_DB_ALIAS]


def set_connection(wrapper):
    """
    Deprecated: ``connections[DEFAULT_DB_ALIAS] = wrapper``. Pass None to
    make the next use of the default alias build a new wrapper.
    """
    if wrapper is None:
        del connections[DEFAULT_DB_ALIAS]
    else:
        connections[DEFAULT_DB_ALIAS] = wrapper


def reset_connections():
    """Deprecated: close and forget every thread's wrappers and read
    DATABASES again on next use (``connections.reread_settings()``)."""
    connections.reread_settings()


def drop_kept_cursors():
    """Make every wrapper's next statement use a new cursor (a setting that
    cursors are checked against, such as TIME_ZONE, changed)."""
    connections.drop_kept_cursors()


def close_all():
    """Close every live wrapper, in every thread (e.g. at interpreter exit).
    ``connections.close_all()`` closes the current thread's only."""
    connections.close_in_every_thread()


# Close connections still open at interpreter exit (other threads' ones
# included), so servers see a clean disconnect.
atexit.register(close_all)


class ConnectionProxy:
    """Forward attribute access to this thread's wrapper of one alias."""

    __slots__ = ("_proxied_alias",)

    def __init__(self, alias=DEFAULT_DB_ALIAS):
        object.__setattr__(self, "_proxied_alias", alias)

    def __getattr__(self, item):
        return getattr(connections[self._proxied_alias], item)

    def __setattr__(self, name, value):
        return setattr(connections[self._proxied_alias], name, value)

    def __delattr__(self, name):
        return delattr(connections[self._proxied_alias], name)

    def __eq__(self, other):
        return connections[self._proxied_alias] == other

    def __hash__(self):
        return hash(connections[self._proxied_alias])

    def __repr__(self):
        return "<ConnectionProxy to %r>" % (self._proxied_alias,)


connection = ConnectionProxy()

# The routers of DATABASE_ROUTERS, asked which alias a model's reads and
# writes go to and which tables belong on which alias (ConnectionRouter).
router = ConnectionRouter()


def reset_queries(**kwargs):
    """Clear the query log of this thread's wrappers (connected to request_started)."""
    for wrapper in connections.all(initialized_only=True):
        wrapper.queries_log.clear()


def close_old_connections(**kwargs):
    """
    Close this thread's connections that are unusable, errored, or obsolete
    (connected to request_started and request_finished).
    """
    for wrapper in connections.all(initialized_only=True):
        wrapper.close_if_unusable_or_obsolete()


def _connect_request_signals():
    try:
        from django.core import signals
    except ImportError:
        return
    for name, receiver in (
        ("request_started", reset_queries),
        ("request_started", close_old_connections),
        ("request_finished", close_old_connections),
    ):
        signal = getattr(signals, name, None)
        if signal is not None:
            signal.connect(receiver)


_connect_request_signals()
