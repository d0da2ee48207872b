"""Laziness helpers: cached properties, lazy proxies and lazy function results."""
import copy
import functools
import itertools
import operator


class cached_property:
    """A property computed once per instance, then stored in its ``__dict__``.

    Because the result lands in the instance dictionary under the same name,
    later reads never reach this (non-data) descriptor again.  Delete the
    attribute (``del obj.name``) to force recomputation.
    """

    name = None

    def __init__(self, func, name=None):
        # ``name`` is accepted for compatibility; __set_name__ decides it.
        self.func = func
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name):
        if self.name is not None and self.name != name:
            raise TypeError(
                "Cannot assign the same cached_property to two different names "
                "(%r and %r)." % (self.name, name)
            )
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.name is None:
            raise TypeError(
                "cached_property %r was never bound to a class attribute name."
                % self.func
            )
        computed = self.func(instance)
        instance.__dict__[self.name] = computed
        return computed


class classproperty:
    """Like ``property`` but read from the class (``Model.attr`` works)."""

    def __init__(self, method=None):
        self.fget = method

    def __get__(self, instance, owner=None):
        return self.fget(owner)

    def getter(self, method):
        """Replace the getter (mirrors ``property.getter``); returns self."""
        self.fget = method
        return self


class Promise:
    """Marker base class for the results of ``lazy()`` functions."""


def _force(value):
    """Evaluate ``value`` if it is a lazy result, else return it unchanged."""
    return value._evaluate() if isinstance(value, Promise) else value


# Operations a lazy result supports directly: each evaluates the proxy (and
# a lazy right-hand operand) and applies the plain operation to the result.
_PROMISE_OPERATIONS = {
    "__str__": str,
    "__repr__": repr,
    "__hash__": hash,
    "__eq__": operator.eq,
    "__lt__": operator.lt,
    "__mod__": operator.mod,
    "__add__": operator.add,
    "__radd__": lambda value, other: operator.add(other, value),
}


def _promise_method(operation):
    def method(self, *operands):
        return operation(self._evaluate(), *map(_force, operands))

    return method


def lazy(func, *resultclasses):
    """Return a version of ``func`` whose calls are evaluated on first use.

    The result is a proxy (a ``Promise``) that calls ``func`` each time it is
    converted or one of the ``resultclasses`` methods is used on it.
    """

    class __proxy__(Promise):
        def __init__(self, args, kw):
            self._call_args, self._call_kwargs = args, kw

        def _evaluate(self):
            return func(*self._call_args, **self._call_kwargs)

        def __getattr__(self, name):
            # Only reached for names the proxy itself lacks: expose methods
            # of the declared result types (e.g. str.upper) on the value.
            if any(hasattr(kind, name) for kind in resultclasses):
                return getattr(self._evaluate(), name)
            raise AttributeError(name)

        def __deepcopy__(self, memo):
            # Lazy values are immutable in practice; share them.
            memo[id(self)] = self
            return self

    for dunder, operation in _PROMISE_OPERATIONS.items():
        setattr(__proxy__, dunder, _promise_method(operation))

    return functools.wraps(func)(lambda *args, **kw: __proxy__(args, kw))


def lazystr(text):
    """A lazy ``str(text)``."""
    return lazy(str, str)(text)


def keep_lazy(*resultclasses):
    """Decorator: if any argument is lazy, return a lazy result as well."""

    def decorator(func):
        deferred = lazy(func, *resultclasses)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            arguments = itertools.chain(args, kwargs.values())
            has_lazy = any(isinstance(arg, Promise) for arg in arguments)
            return (deferred if has_lazy else func)(*args, **kwargs)

        return wrapper

    return decorator


# Sentinel for "the LazyObject has not been set up yet" (None may be a
# legitimate wrapped value).
empty = object()


def new_method_proxy(func):
    """Make a LazyObject method that applies ``func`` to the wrapped object."""

    def method(self, *args):
        return func(self._materialize(), *args)

    return method


# Special methods a LazyObject forwards to the object it wraps.
_LAZY_OBJECT_OPERATIONS = {
    "__bytes__": bytes,
    "__str__": str,
    "__bool__": bool,
    "__dir__": dir,
    "__hash__": hash,
    "__eq__": operator.eq,
    "__ne__": operator.ne,
    "__lt__": operator.lt,
    "__gt__": operator.gt,
    "__len__": len,
    "__iter__": iter,
    "__contains__": operator.contains,
    "__getitem__": operator.getitem,
    "__setitem__": operator.setitem,
    "__delitem__": operator.delitem,
}


class LazyObject:
    """A proxy that creates the wrapped object on first use.

    Subclasses implement ``_setup()`` which must assign ``self._wrapped``.
    Attribute reads, writes and deletes are forwarded to the wrapped object,
    except for ``_wrapped`` itself (so callers can swap it, see
    ``django.conf.LazySettings``).
    """

    _wrapped = None

    def __init__(self):
        self._wrapped = empty

    def _setup(self):
        raise NotImplementedError("subclasses of LazyObject must provide a _setup() method")

    def _materialize(self):
        """The wrapped object, created by ``_setup()`` if necessary."""
        if self._wrapped is empty:
            self._setup()
        return self._wrapped

    def __getattribute__(self, name):
        # Operators find the forwarding methods through the type and never
        # come here; explicit reads (``hasattr(obj, "__len__")``) should
        # describe the wrapped object instead of the proxy.
        if name in _LAZY_OBJECT_OPERATIONS:
            return getattr(object.__getattribute__(self, "_materialize")(), name)
        return object.__getattribute__(self, name)

    def __getattr__(self, name):
        return getattr(self._materialize(), name)

    def __setattr__(self, name, value):
        # Assigning _wrapped swaps the target; any other name is set on it.
        if name == "_wrapped":
            object.__setattr__(self, name, value)
        else:
            setattr(self._materialize(), name, value)

    def __delattr__(self, name):
        if name == "_wrapped":
            raise TypeError("can't delete _wrapped.")
        delattr(self._materialize(), name)

    # isinstance() checks consult __class__, so a proxy passes for its target.
    __class__ = property(lambda self: self._materialize().__class__)

    def __reduce__(self):
        # Pickles as the wrapped object; unpickling does not re-create a proxy.
        return (copyreg_unpickle_lazyobject, (self._materialize(),))

    def _unevaluated_copy(self):
        """A fresh proxy that will build its own object when first used."""
        return type(self)()

    # Copying an evaluated proxy copies the real object; copying one that was
    # never used must not trigger _setup(), so it yields another lazy proxy.
    def __copy__(self):
        target = self._wrapped
        return self._unevaluated_copy() if target is empty else copy.copy(target)

    def __deepcopy__(self, memo):
        target = self._wrapped
        if target is empty:
            memo[id(self)] = clone = self._unevaluated_copy()
            return clone
        return copy.deepcopy(target, memo)


for _name, _operation in _LAZY_OBJECT_OPERATIONS.items():
    setattr(LazyObject, _name, new_method_proxy(_operation))
del _name, _operation


def copyreg_unpickle_lazyobject(wrapped):
    """Unpickling a LazyObject yields the wrapped object itself."""
    return wrapped


class SimpleLazyObject(LazyObject):
    """A LazyObject whose wrapped object comes from calling ``func()``."""

    def __init__(self, func):
        super().__init__()
        # Written to __dict__ directly: __setattr__ would set up the proxy.
        self.__dict__["_setupfunc"] = func

    def _unevaluated_copy(self):
        return SimpleLazyObject(self._setupfunc)

    def _setup(self):
        # The factory runs once; its result replaces the "empty" marker.
        self._wrapped = self._setupfunc()

    def __repr__(self):
        shown = self._setupfunc if self._wrapped is empty else self._wrapped
        return "<%s: %r>" % (type(self).__name__, shown)


def partition(predicate, values):
    """Split ``values`` into ``(falses, trues)`` according to ``predicate``."""
    results = ([], [])
    for item in values:
        results[bool(predicate(item))].append(item)
    return results
