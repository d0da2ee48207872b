"""Turn nested dicts/lists into something hashable (for equality and caching)."""


def make_hashable(value):
    """Return a hashable equivalent of ``value``.

    Dicts become sorted tuples of pairs, other non-hashable iterables become
    tuples; anything else that is not hashable raises TypeError.
    """
    if isinstance(value, dict):
        return tuple(sorted((key, make_hashable(item)) for key, item in value.items()))
    try:
        hash(value)
    except TypeError:
        try:
            items = iter(value)
        except TypeError:
            raise TypeError("Cannot make a hashable value from %r." % (value,)) from None
        return tuple(make_hashable(item) for item in items)
    return value
