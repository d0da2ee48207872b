"""Small container types used across the ORM."""
import copy
import itertools
from collections.abc import Mapping, MutableSet


class OrderedSet(MutableSet):
    """A set that remembers insertion order.

    Backed by a dict (whose keys keep insertion order); the MutableSet base
    derives remove(), the comparison and the set operators from the few
    primitives below.
    """

    def __init__(self, iterable=None):
        self._members = dict.fromkeys(() if iterable is None else iterable)

    def __contains__(self, item):
        return item in self._members

    def __iter__(self):
        return iter(self._members)

    def __reversed__(self):
        return reversed(self._members)

    def __len__(self):
        return len(self._members)

    def add(self, item):
        self._members[item] = None

    def discard(self, item):
        self._members.pop(item, None)

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, [*self._members])


class MultiValueDictKeyError(KeyError):
    """A key missing from a MultiValueDict (a KeyError, so ``except KeyError`` works)."""


class MultiValueDict(dict):
    """A dict whose keys map to lists of values; ``d[key]`` gives the last one.

    The underlying dict storage always holds the lists; the public item
    accessors present single values, the ``*list`` methods the lists.
    """

    def __init__(self, key_to_list_mapping=()):
        super().__init__(key_to_list_mapping)

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, dict.__repr__(self))

    # -- single-value view ------------------------------------------------

    def __getitem__(self, key):
        try:
            values = dict.__getitem__(self, key)
        except KeyError:
            raise MultiValueDictKeyError(key) from None
        # A key with no values at all reads as an empty list.
        return values[-1] if values else []

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, [value])

    def get(self, key, default=None):
        values = dict.get(self, key)
        return values[-1] if values else default

    def setdefault(self, key, default=None):
        values = self.setlistdefault(key, [default])
        return values[-1] if values else []

    def items(self):
        return ((key, self[key]) for key in self)

    def values(self):
        return (self[key] for key in self)

    def dict(self):
        """A plain dict with the last value of each key."""
        return dict(self.items())

    # -- list view -----------------------------------------------------

    def getlist(self, key, default=None):
        if key in self:
            # A copy: callers may mutate it without touching the dict.
            return list(dict.__getitem__(self, key))
        return [] if default is None else default

    def setlist(self, key, list_):
        dict.__setitem__(self, key, list_)

    def setlistdefault(self, key, default_list=None):
        if key not in self:
            self.setlist(key, [] if default_list is None else default_list)
        return dict.__getitem__(self, key)

    def appendlist(self, key, value):
        self.setlistdefault(key).append(value)

    def lists(self):
        return iter(dict.items(self))

    @staticmethod
    def _as_value_lists(source):
        """(key, [values]) pairs from a MultiValueDict, a mapping or pairs."""
        if isinstance(source, MultiValueDict):
            return source.lists()
        pairs = source.items() if isinstance(source, Mapping) else source
        return ((key, [value]) for key, value in pairs)

    def update(self, *args, **kwargs):
        """Extend (not replace) the lists of values."""
        if len(args) > 1:
            raise TypeError("update expected at most 1 argument, got %d" % len(args))
        sources = itertools.chain(args, [kwargs])
        for key, values in itertools.chain.from_iterable(map(self._as_value_lists, sources)):
            self.setlistdefault(key).extend(values)

    # -- copying -------------------------------------------------------

    def copy(self):
        return copy.copy(self)

    def __copy__(self):
        # Shallow, but each key gets its own list.
        return type(self)((key, list(values)) for key, values in self.lists())

    def __deepcopy__(self, memo):
        clone = memo[id(self)] = type(self)()
        for key, values in self.lists():
            clone.setlist(copy.deepcopy(key, memo), copy.deepcopy(values, memo))
        return clone


class ImmutableList(tuple):
    """A tuple whose mutating list methods raise AttributeError with ``warning``."""

    def __new__(cls, *args, warning="ImmutableList object is immutable.", **kwargs):
        instance = super().__new__(cls, *args, **kwargs)
        instance.warning = warning
        return instance

    def complain(self, *args, **kwargs):
        raise AttributeError(self.warning)


# Every list-style mutator explains, via ``warning``, why it is unavailable.
for _mutator in (
    "append", "extend", "insert", "pop", "remove", "reverse", "sort",
    "__setitem__", "__delitem__", "__iadd__", "__imul__",
):
    setattr(ImmutableList, _mutator, ImmutableList.complain)
del _mutator


class DictWrapper(dict):
    """A dict that applies ``func`` to values of keys starting with ``prefix``.

    ``DictWrapper(d, quote, "qn_")["qn_name"]`` is ``quote(d["name"])``; used
    to fill column-type templates.
    """

    def __init__(self, data, func, prefix):
        self.func, self.prefix = func, prefix
        super().__init__(data)

    def __getitem__(self, key):
        if not key.startswith(self.prefix):
            return super().__getitem__(key)
        return self.func(super().__getitem__(key[len(self.prefix):]))


def _casefolded(mapping):
    return {key.lower(): value for key, value in mapping.items()}


class CaseInsensitiveMapping(Mapping):
    """A read-only mapping with case-insensitive string keys.

    Lookups ignore case; iteration yields the keys as originally spelled.
    """

    def __init__(self, data):
        pairs = data.items() if isinstance(data, Mapping) else data
        # lowered key -> (original key, value)
        self._by_lower = {key.lower(): (key, value) for key, value in pairs}

    def __getitem__(self, key):
        return self._by_lower[key.lower()][1]

    def __iter__(self):
        return (original for original, _value in self._by_lower.values())

    def __len__(self):
        return len(self._by_lower)

    def __eq__(self, other):
        if not isinstance(other, Mapping):
            return False
        return _casefolded(self) == _casefolded(other)

    def __repr__(self):
        return repr(dict(self._by_lower.values()))

    def copy(self):
        # Immutable, so sharing is safe.
        return self
