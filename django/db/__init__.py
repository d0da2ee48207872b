"""
The database layer's entry point (single-database baseline).

``connection`` is a proxy to the current thread's DatabaseWrapper, created
lazily from the ``DATABASE_*`` settings; ``get_connection()`` returns that
wrapper itself. Test frameworks and ``override_settings`` call
``reset_connections()`` when database settings change: it closes and
forgets every thread's wrapper so the next use builds a fresh one.
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

# One wrapper per thread.
_local = threading.local()
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


def get_connection():
    """Return this thread's DatabaseWrapper, creating it on first use."""
    wrapper = getattr(_local, "wrapper", None)
    if wrapper is None or getattr(_local, "generation", None) != _generation:
        wrapper = _create_connection()
        _local.wrapper = wrapper
        _local.generation = _generation
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
    _local.wrapper = wrapper
    _local.generation = _generation


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
    _local.wrapper = None


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
        return "<ConnectionProxy to %r>" % (getattr(_local, "wrapper", None),)


connection = ConnectionProxy()


def reset_queries(**kwargs):
    """Clear the current thread's query log (connected to request_started)."""
    wrapper = getattr(_local, "wrapper", None)
    if wrapper is not None:
        wrapper.queries_log.clear()


def close_old_connections(**kwargs):
    """
    Close the current thread's connection if it is unusable, errored, or
    obsolete (connected to request_started and request_finished).
    """
    wrapper = getattr(_local, "wrapper", None)
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
