"""Small container types used across the ORM."""
import copy
from collections.abc import Mapping


class OrderedSet:
    """A set that remembers insertion order."""

    def __init__(self, iterable=None):
        self.dict = dict.fromkeys(iterable or ())

    def add(self, item):
        self.dict[item] = None

    def remove(self, item):
        del self.dict[item]

    def discard(self, item):
        self.dict.pop(item, None)

    def __iter__(self):
        return iter(self.dict)

    def __reversed__(self):
        return reversed(self.dict)

    def __contains__(self, item):
        return item in self.dict

    def __bool__(self):
        return bool(self.dict)

    def __len__(self):
        return len(self.dict)

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, list(self.dict))


class MultiValueDictKeyError(KeyError):
    pass


class MultiValueDict(dict):
    """A dict whose keys map to lists of values; ``d[key]`` gives the last one."""

    def __init__(self, key_to_list_mapping=()):
        super().__init__(key_to_list_mapping)

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, super().__repr__())

    def __getitem__(self, key):
        try:
            values = super().__getitem__(key)
        except KeyError:
            raise MultiValueDictKeyError(key)
        try:
            return values[-1]
        except IndexError:
            return []

    def __setitem__(self, key, value):
        super().__setitem__(key, [value])

    def __copy__(self):
        return type(self)([(k, v[:]) for k, v in self.lists()])

    def __deepcopy__(self, memo):
        result = type(self)()
        memo[id(self)] = result
        for key, value in dict.items(self):
            dict.__setitem__(result, copy.deepcopy(key, memo), copy.deepcopy(value, memo))
        return result

    def get(self, key, default=None):
        try:
            value = self[key]
        except KeyError:
            return default
        return default if value == [] else value

    def getlist(self, key, default=None):
        try:
            return list(super().__getitem__(key))
        except KeyError:
            return [] if default is None else default

    def setlist(self, key, list_):
        super().__setitem__(key, list_)

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def appendlist(self, key, value):
        self.setlistdefault(key).append(value)

    def setlistdefault(self, key, default_list=None):
        if key not in self:
            self.setlist(key, default_list if default_list is not None else [])
        return super().__getitem__(key)

    def items(self):
        for key in self:
            yield key, self[key]

    def lists(self):
        return iter(super().items())

    def values(self):
        for key in self:
            yield self[key]

    def copy(self):
        return copy.copy(self)

    def update(self, *args, **kwargs):
        """Extend (not replace) the lists of values."""
        if len(args) > 1:
            raise TypeError("update expected at most 1 argument, got %d" % len(args))
        if args:
            other = args[0]
            if isinstance(other, MultiValueDict):
                for key, value_list in other.lists():
                    self.setlistdefault(key).extend(value_list)
            else:
                other = other.items() if isinstance(other, Mapping) else other
                for key, value in other:
                    self.setlistdefault(key).append(value)
        for key, value in kwargs.items():
            self.setlistdefault(key).append(value)

    def dict(self):
        """A plain dict with the last value of each key."""
        return {key: self[key] for key in self}


class ImmutableList(tuple):
    """A tuple whose mutating list methods raise AttributeError with ``warning``."""

    def __new__(cls, *args, warning="ImmutableList object is immutable.", **kwargs):
        self = tuple.__new__(cls, *args, **kwargs)
        self.warning = warning
        return self

    def complain(self, *args, **kwargs):
        raise AttributeError(self.warning)

    __delitem__ = complain
    __delslice__ = complain
    __iadd__ = complain
    __imul__ = complain
    __setitem__ = complain
    __setslice__ = complain
    append = complain
    extend = complain
    insert = complain
    pop = complain
    remove = complain
    sort = complain
    reverse = complain


class DictWrapper(dict):
    """A dict that applies ``func`` to values of keys starting with ``prefix``.

    ``DictWrapper(d, quote, "qn_")["qn_name"]`` is ``quote(d["name"])``; used
    to fill column-type templates.
    """

    def __init__(self, data, func, prefix):
        super().__init__(data)
        self.func = func
        self.prefix = prefix

    def __getitem__(self, key):
        use_func = key.startswith(self.prefix)
        key = key.removeprefix(self.prefix)
        value = super().__getitem__(key)
        return self.func(value) if use_func else value


class CaseInsensitiveMapping(Mapping):
    """A read-only mapping with case-insensitive string keys."""

    def __init__(self, data):
        self._store = {key.lower(): (key, value) for key, value in dict(data).items()}

    def __getitem__(self, key):
        return self._store[key.lower()][1]

    def __len__(self):
        return len(self._store)

    def __eq__(self, other):
        return isinstance(other, Mapping) and {
            k.lower(): v for k, v in self.items()
        } == {k.lower(): v for k, v in other.items()}

    def __iter__(self):
        return (original for original, _ in self._store.values())

    def __repr__(self):
        return repr(dict(self._store.values()))

    def copy(self):
        return self
