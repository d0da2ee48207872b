"""Iteration helpers."""


def is_iterable(x):
    """True if ``iter(x)`` works (strings count as iterable)."""
    try:
        iter(x)
    except TypeError:
        return False
    return True
