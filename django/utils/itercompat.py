"""Iteration helpers."""
from collections.abc import Iterable


def is_iterable(x):
    """True if ``iter(x)`` works (strings count as iterable).

    Iterable covers the classes with a usable ``__iter__``; iter() also
    accepts the older sequence protocol, ``__getitem__`` alone.
    """
    return isinstance(x, Iterable) or callable(getattr(type(x), "__getitem__", None))
