"""The Signal class.

Each connection is stored in ``Signal.receivers`` as ``(lookup_key, deref)``:
``lookup_key`` is ``(receiver identity or dispatch_uid, sender identity)`` and
``deref()`` returns the receiver, or None once a weakly referenced receiver
has been garbage collected.  Strong and weak connections thus look the same
to the sending code.  Dead connections are pruned lazily, under the lock.
"""
import logging
import threading
import weakref

from django.utils.inspect import func_accepts_kwargs

logger = logging.getLogger("django.dispatch")


def _key_of(obj):
    """A key for ``obj`` that is stable across accesses.

    ``instance.method`` builds a new bound-method object on every access, so
    bound methods are identified by their instance and function instead.
    """
    if hasattr(obj, "__func__"):
        return (id(obj.__self__), id(obj.__func__))
    return id(obj)


# Receivers connected without a sender get signals from every sender.
_ANY_SENDER = _key_of(None)


def _lookup_key(receiver, sender, dispatch_uid):
    return (dispatch_uid or _key_of(receiver), _key_of(sender))


def _strong(receiver):
    return lambda: receiver


class Signal:
    """A signal that receivers connect to and senders ``send()``.

    ``use_caching=True`` caches the receiver list per sender (the sender must
    be weak-referenceable and hashable); it speeds up signals sent often.
    """

    def __init__(self, use_caching=False):
        self.use_caching = use_caching
        # [(lookup_key, deref)], see the module docstring; the lock guards it
        # (and the cache) against concurrent connect/disconnect/send.
        self.receivers = []
        self.lock = threading.Lock()
        # sender -> [deref]; emptied by every connect/disconnect.
        self.sender_receivers_cache = weakref.WeakKeyDictionary() if use_caching else {}
        # Set (without the lock) by finalizers when a weak receiver dies.
        self._some_receiver_died = False

    # -- connecting --------------------------------------------------------

    def connect(self, receiver, sender=None, weak=True, dispatch_uid=None):
        """Connect ``receiver`` (a callable accepting ``**kwargs``).

        ``sender`` limits delivery to that sender; ``dispatch_uid`` identifies
        the connection so connecting twice with it is a no-op; ``weak=False``
        keeps a strong reference to the receiver.
        """
        if not callable(receiver):
            raise TypeError("Signal receivers must be callable, got %r." % (receiver,))
        # Signals may grow new arguments; receivers must tolerate them.
        if not func_accepts_kwargs(receiver):
            raise ValueError("Signal receivers must accept keyword arguments (**kwargs).")
        key = _lookup_key(receiver, sender, dispatch_uid)
        deref = self._weak_reference(receiver) if weak else _strong(receiver)
        with self.lock:
            self._prune()
            if all(existing != key for existing, _ in self.receivers):
                self.receivers.append((key, deref))
            self.sender_receivers_cache.clear()

    def _weak_reference(self, receiver):
        bound = hasattr(receiver, "__self__") and hasattr(receiver, "__func__")
        # A bound-method object is discarded right after the call that
        # passed it, so WeakMethod tracks its instance and function instead.
        reference = (weakref.WeakMethod if bound else weakref.ref)(receiver)
        owner = receiver.__self__ if bound else receiver
        # Not needed at interpreter exit, when everything goes at once.
        weakref.finalize(owner, self._note_receiver_death).atexit = False
        return reference

    def disconnect(self, receiver=None, sender=None, dispatch_uid=None):
        """Disconnect a receiver; return True if one was disconnected."""
        key = _lookup_key(receiver, sender, dispatch_uid)
        with self.lock:
            self._prune()
            kept = [entry for entry in self.receivers if entry[0] != key]
            removed = len(kept) != len(self.receivers)
            self.receivers = kept
            self.sender_receivers_cache.clear()
        return removed

    # -- sending -------------------------------------------------------------

    def has_listeners(self, sender=None):
        """True if any live receiver would get a signal from ``sender``."""
        return bool(self._receivers_for(sender))

    def send(self, sender, **named):
        """Call every receiver for ``sender``; return ``[(receiver, response)]``.

        An exception raised by a receiver propagates and stops the remaining
        receivers from being called.
        """
        if not self.receivers:
            return []  # nobody connected, the usual case: nothing to look up
        return [
            (receiver, receiver(signal=self, sender=sender, **named))
            for receiver in self._receivers_for(sender)
        ]

    def send_robust(self, sender, **named):
        """Like send(), but a receiver's exception is returned as its response.

        The exception keeps its ``__traceback__``.
        """
        return [
            (receiver, self._call_catching(receiver, sender, named))
            for receiver in self._receivers_for(sender)
        ]

    def _call_catching(self, receiver, sender, named):
        try:
            return receiver(signal=self, sender=sender, **named)
        except Exception as err:
            logger.error(
                "Error calling %s in Signal.send_robust() (%s)",
                getattr(receiver, "__qualname__", receiver), err, exc_info=err,
            )
            return err

    # -- bookkeeping ---------------------------------------------------------

    def _receivers_for(self, sender):
        """The receivers (strong references) that get signals from ``sender``."""
        if not self.receivers:
            # Fast path: most signals (e.g. pre_save) have nobody listening.
            return []
        derefs = None
        if self.use_caching and not self._some_receiver_died:
            derefs = self._cached(sender)
        if derefs is None:
            with self.lock:
                self._prune()
                wanted = (_ANY_SENDER, _key_of(sender))
                derefs = [deref for (_, target), deref in self.receivers if target in wanted]
                if self.use_caching:
                    self._remember(sender, derefs)
        alive = (deref() for deref in derefs)
        return [receiver for receiver in alive if receiver is not None]

    def _cached(self, sender):
        try:
            return self.sender_receivers_cache.get(sender)
        except TypeError:
            # Not weakly referenceable (e.g. None): such senders are not cached.
            return None

    def _remember(self, sender, derefs):
        try:
            self.sender_receivers_cache[sender] = derefs
        except TypeError:
            pass

    def _prune(self):
        # The caller holds the lock.
        if self._some_receiver_died:
            self._some_receiver_died = False
            self.receivers = [entry for entry in self.receivers if entry[1]() is not None]

    def _note_receiver_death(self):
        # Runs from garbage collection, possibly while this thread holds the
        # lock, so it only raises a flag for the next _prune().
        self._some_receiver_died = True


def receiver(signal, **kwargs):
    """Decorator connecting the function to ``signal`` (or a list of signals).

    ::

        @receiver(post_save, sender=MyModel)
        def handler(sender, **kwargs):
            ...
    """
    signals = signal if isinstance(signal, (list, tuple)) else [signal]

    def connect_everywhere(func):
        for each in signals:
            each.connect(func, **kwargs)
        return func

    return connect_everywhere
