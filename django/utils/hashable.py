"""Turn nested dicts/lists into something hashable (for equality and caching)."""
from collections.abc import Iterable


def make_hashable(value):
    """Return a hashable equivalent of ``value``.

    Dicts become sorted tuples of pairs, other non-hashable iterables become
    tuples; anything else that is not hashable raises TypeError.
    """
    if isinstance(value, dict):
        return tuple(sorted((key, make_hashable(item)) for key, item in value.items()))
    if _hashable(value):
        return value
    if not isinstance(value, Iterable):
        raise TypeError("Cannot make a hashable value from %r." % (value,))
    return tuple(make_hashable(item) for item in value)


def _hashable(value):
    # Hashability of a container depends on its content (a tuple holding a
    # list is not hashable), so only hash() itself can tell.
    try:
        hash(value)
    except TypeError:
        return False
    return True
