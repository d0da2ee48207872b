"""
The database layer's entry point (single-database baseline).

``connection`` is a proxy to the current thread's DatabaseWrapper, created
lazily from the ``DATABASE_*`` settings; ``get_connection()`` returns that
wrapper itself. Test frameworks and ``override_settings`` call
``reset_connections()`` when database settings change: it closes and
forgets every thread's wrapper so the next use builds a fresh one.

A thread that ends closes the connection it opened: Python drops the
thread's local storage at once, and with it a small guard object
(``_ClosedWithTheThread``) whose finaliser closes the wrapper. Waiting for
the wrapper itself to be freed is not enough: it refers to itself through
its helpers (``ops``, ``features``...), so only a garbage collection, at
some later time, would end its session on the server.
"""
import atexit
import threading
import weakref

from django.db.utils import (
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    database_settings,
    load_backend,
)

__all__ = [
    "connection",
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

# One wrapper per thread (attributes: wrapper, generation, guard).
_per_thread = threading.local()
# Every wrapper ever created and still alive, so close_all() reaches the
# ones owned by other threads too.
_all_wrappers = weakref.WeakSet()
_all_lock = threading.Lock()
# Bumped by reset_connections(): a thread whose wrapper is from an older
# generation drops it and builds a new one.
_generation = 0


def _create_connection():
    settings_dict = database_settings()
    backend = load_backend(settings_dict["ENGINE"])
    wrapper = backend.DatabaseWrapper(settings_dict)
    with _all_lock:
        _all_wrappers.add(wrapper)
    return wrapper


class _ClosedWithTheThread:
    """
    Kept in a thread's local storage: when the thread ends, Python frees it
    and its finaliser closes the last wrapper the thread created. A wrapper
    a thread only borrowed (set_connection()) belongs to someone else and
    is left alone.
    """

    __slots__ = ("wrapper",)

    def __init__(self):
        self.wrapper = None

    def __del__(self):
        if self.wrapper is not None:
            # Not close(): SQLite keeps an in-memory database open through
            # close(), and the ending thread is the only one to ever use
            # this connection.
            self.wrapper.drop_connection()


def get_connection():
    """Return this thread's DatabaseWrapper, creating it on first use."""
    wrapper = getattr(_per_thread, "wrapper", None)
    if wrapper is None or getattr(_per_thread, "generation", None) != _generation:
        wrapper = _create_connection()
        _per_thread.wrapper = wrapper
        _per_thread.generation = _generation
        guard = getattr(_per_thread, "guard", None)
        if guard is None:
            _per_thread.guard = guard = _ClosedWithTheThread()
        guard.wrapper = wrapper
    return wrapper


def set_connection(wrapper):
    """
    Install ``wrapper`` as the current thread's connection (the test
    framework uses this to share one in-memory database between threads).
    Pass None to make the next get_connection() build a new one.
    """
    if wrapper is not None:
        with _all_lock:
            _all_wrappers.add(wrapper)
    _per_thread.wrapper = wrapper
    _per_thread.generation = _generation


def reset_connections():
    """
    Close and forget all thread connections; the next use of ``connection``
    in any thread builds a new wrapper from the current settings. Call this
    after changing DATABASE_* settings (override_settings, the test runner).
    """
    global _generation
    close_all()
    with _all_lock:
        _generation += 1
    _per_thread.wrapper = None


def drop_kept_cursors():
    """Make every wrapper's next statement use a new cursor (a setting that
    cursors are checked against, such as TIME_ZONE, changed)."""
    with _all_lock:
        wrappers = list(_all_wrappers)
    for wrapper in wrappers:
        wrapper.drop_kept_cursor()


def close_all():
    """Close every live wrapper (e.g. at interpreter exit)."""
    with _all_lock:
        wrappers = list(_all_wrappers)
    for wrapper in wrappers:
        try:
            # Closing another thread's wrapper: allow it briefly.
            wrapper.inc_thread_sharing()
            try:
                wrapper.close()
            finally:
                wrapper.dec_thread_sharing()
        except Exception:
            pass


# Close connections still open at interpreter exit (other threads' ones
# included), so servers see a clean disconnect.
atexit.register(close_all)


class ConnectionProxy:
    """Forward attribute access to the current thread's DatabaseWrapper."""

    def __getattr__(self, item):
        return getattr(get_connection(), item)

    def __setattr__(self, name, value):
        return setattr(get_connection(), name, value)

    def __delattr__(self, name):
        return delattr(get_connection(), name)

    def __eq__(self, other):
        return get_connection() == other

    def __hash__(self):
        return hash(get_connection())

    def __repr__(self):
        return "<ConnectionProxy to %r>" % (getattr(_per_thread, "wrapper", None),)


connection = ConnectionProxy()


def reset_queries(**kwargs):
    """Clear the current thread's query log (connected to request_started)."""
    wrapper = getattr(_per_thread, "wrapper", None)
    if wrapper is not None:
        wrapper.queries_log.clear()


def close_old_connections(**kwargs):
    """
    Close the current thread's connection if it is unusable, errored, or
    obsolete (connected to request_started and request_finished).
    """
    wrapper = getattr(_per_thread, "wrapper", None)
    if wrapper is not None:
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
