"""
Database aliases that may not be used for now, and the error that says so.

The test framework lets a test class touch only the databases it declares
(``databases``); every other alias is refused for the lifetime of the class.
The refusal is kept here, below every connection wrapper, and keyed by
alias rather than stored on a wrapper, so that it holds for every wrapper of
that alias: the one this thread has, the one a thread started by the test
builds later, and a cursor opened before the refusal began. Wrappers ask
:func:`check` where they open a connection and where they create a cursor;
cursors ask it before each statement. Every wrapper that
``connections[alias]`` hands out, in any thread, shares that alias's
settings dict, and a refusal names that dict too: a wrapper a test builds
on settings of its own (a scratch database, a dead port) is not the
alias's database and is left alone.

``REFUSED`` is empty when nothing is refused (the normal case outside tests),
so the check callers make first, ``if REFUSED:``, costs one global lookup.
Callers import the dict itself; it is only ever changed in place.

Refusals nest: a test class run from inside another test (the framework's
own tests do this) adds its refusals on top and :func:`lift` removes exactly
those, leaving the outer ones in force.
"""

# alias -> stack of (settings dict, exception class, message); the last
# entry whose settings dict is the wrapper's is in force.
REFUSED = {}


class Refusal:
    """What :func:`refuse` returns: the handle :func:`lift` takes back."""

    __slots__ = ("alias", "entry")

    def __init__(self, alias, entry):
        self.alias, self.entry = alias, entry


def refuse(alias, settings_dict, exception_class, message):
    """
    From now on, opening a connection, creating a cursor or running a
    statement on a wrapper of ``alias`` built on ``settings_dict`` (in any
    thread) raises ``exception_class(message)``. Returns the handle for
    :func:`lift`.
    """
    entry = (settings_dict, exception_class, message)
    REFUSED.setdefault(alias, []).append(entry)
    return Refusal(alias, entry)


def lift(refusal):
    """Withdraw one refusal made by :func:`refuse`; lifting twice is harmless."""
    stack = REFUSED.get(refusal.alias)
    if not stack:
        return
    # Identity, not equality: two nested classes may refuse with the same text.
    for position in range(len(stack) - 1, -1, -1):
        if stack[position] is refusal.entry:
            del stack[position]
            break
    if not stack:
        del REFUSED[refusal.alias]


def check(wrapper):
    """Raise the error in force for ``wrapper``'s database, if it is refused."""
    for settings_dict, exception_class, message in reversed(REFUSED.get(wrapper.alias, ())):
        if settings_dict is wrapper.settings_dict:
            raise exception_class(message)
