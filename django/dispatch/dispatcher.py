"""The Signal class.

Receivers are stored as ``(lookup_key, receiver_ref)`` where ``lookup_key`` is
``(receiver id or dispatch_uid, sender id)``. Weak references are used by
default so connecting a receiver does not keep it alive; dead references
are purged lazily.
"""
import logging
import threading
import weakref

from django.utils.inspect import func_accepts_kwargs

logger = logging.getLogger("django.dispatch")


def _make_id(target):
    """Identity of a receiver or sender; bound methods use (self, function)."""
    if hasattr(target, "__func__"):
        return (id(target.__self__), id(target.__func__))
    return id(target)


NONE_ID = _make_id(None)

# A sentinel distinct from any response a receiver may return.
NO_RECEIVERS = object()


class Signal:
    """A signal that receivers connect to and senders ``send()``.

    ``use_caching=True`` caches the receiver list per sender (the sender must
    be weak-referenceable and hashable); it speeds up signals sent often.
    """

    def __init__(self, use_caching=False):
        self.receivers = []
        self.lock = threading.Lock()
        self.use_caching = use_caching
        # Per-sender cache of live receivers; cleared on connect/disconnect.
        self.sender_receivers_cache = weakref.WeakKeyDictionary() if use_caching else {}
        self._dead_receivers = False

    def connect(self, receiver, sender=None, weak=True, dispatch_uid=None):
        """Connect ``receiver`` (a callable accepting ``**kwargs``).

        ``sender`` limits delivery to that sender; ``dispatch_uid`` identifies
        the connection so connecting twice with it is a no-op; ``weak=False``
        keeps a strong reference to the receiver.
        """
        if not callable(receiver):
            raise TypeError("Signal receivers must be callable, got %r." % (receiver,))
        if not func_accepts_kwargs(receiver):
            raise ValueError("Signal receivers must accept keyword arguments (**kwargs).")

        if dispatch_uid:
            lookup_key = (dispatch_uid, _make_id(sender))
        else:
            lookup_key = (_make_id(receiver), _make_id(sender))

        if weak:
            ref_class = weakref.ref
            target = receiver
            if hasattr(receiver, "__self__") and hasattr(receiver, "__func__"):
                # A bound method object dies immediately; track the instance.
                ref_class = weakref.WeakMethod
                target = receiver.__self__
            receiver = ref_class(receiver)
            # Not needed at interpreter exit: everything dies together then.
            weakref.finalize(target, self._remove_receiver).atexit = False

        with self.lock:
            self._clear_dead_receivers()
            if not any(key == lookup_key for key, _ in self.receivers):
                self.receivers.append((lookup_key, receiver))
            self.sender_receivers_cache.clear()

    def disconnect(self, receiver=None, sender=None, dispatch_uid=None):
        """Disconnect a receiver; return True if one was disconnected."""
        if dispatch_uid:
            lookup_key = (dispatch_uid, _make_id(sender))
        else:
            lookup_key = (_make_id(receiver), _make_id(sender))

        disconnected = False
        with self.lock:
            self._clear_dead_receivers()
            for index, (key, _) in enumerate(self.receivers):
                if key == lookup_key:
                    del self.receivers[index]
                    disconnected = True
                    break
            self.sender_receivers_cache.clear()
        return disconnected

    def has_listeners(self, sender=None):
        """True if any live receiver would get a signal from ``sender``."""
        return bool(self._live_receivers(sender))

    def send(self, sender, **named):
        """Call every receiver for ``sender``; return ``[(receiver, response)]``.

        An exception raised by a receiver propagates and stops the remaining
        receivers from being called.
        """
        if not self.receivers:
            # Fast path: most signals (e.g. pre_save) usually have no receivers.
            return []
        return [
            (receiver, receiver(signal=self, sender=sender, **named))
            for receiver in self._live_receivers(sender)
        ]

    def send_robust(self, sender, **named):
        """Like send(), but a receiver's exception is returned as its response.

        The exception keeps its ``__traceback__``.
        """
        if not self.receivers:
            return []
        responses = []
        for receiver in self._live_receivers(sender):
            try:
                response = receiver(signal=self, sender=sender, **named)
            except Exception as err:
                logger.error(
                    "Error calling %s in Signal.send_robust() (%s)",
                    getattr(receiver, "__qualname__", receiver),
                    err,
                    exc_info=err,
                )
                responses.append((receiver, err))
            else:
                responses.append((receiver, response))
        return responses

    def _clear_dead_receivers(self):
        # Called with the lock held.
        if self._dead_receivers:
            self._dead_receivers = False
            self.receivers = [
                (key, ref)
                for key, ref in self.receivers
                if not (isinstance(ref, weakref.ReferenceType) and ref() is None)
            ]

    def _live_receivers(self, sender):
        """The receivers (strong references) that get signals from ``sender``."""
        receivers = None
        if self.use_caching and not self._dead_receivers:
            receivers = self._cached(sender)
            if receivers is NO_RECEIVERS:
                return []
        if receivers is None:
            with self.lock:
                self._clear_dead_receivers()
                sender_key = _make_id(sender)
                receivers = [
                    ref
                    for (_, receiver_sender), ref in self.receivers
                    if receiver_sender == NONE_ID or receiver_sender == sender_key
                ]
                if self.use_caching:
                    self._cache(sender, receivers or NO_RECEIVERS)
        live = []
        for ref in receivers:
            if isinstance(ref, weakref.ReferenceType):
                ref = ref()
                if ref is None:
                    continue
            live.append(ref)
        return live

    def _cached(self, sender):
        try:
            return self.sender_receivers_cache.get(sender)
        except TypeError:
            # The sender cannot be weakly referenced (e.g. None): no caching.
            return None

    def _cache(self, sender, receivers):
        try:
            self.sender_receivers_cache[sender] = receivers
        except TypeError:
            pass

    def _remove_receiver(self):
        # Called by weakref.finalize when a weakly referenced receiver dies.
        # Only flag it: the lock may be held by the thread running GC.
        self._dead_receivers = True


def receiver(signal, **kwargs):
    """Decorator connecting the function to ``signal`` (or a list of signals).

    ::

        @receiver(post_save, sender=MyModel)
        def handler(sender, **kwargs):
            ...
    """

    def _decorator(func):
        signals = signal if isinstance(signal, (list, tuple)) else (signal,)
        for sig in signals:
            sig.connect(func, **kwargs)
        return func

    return _decorator
