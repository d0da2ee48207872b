"""Laziness helpers: cached properties, lazy proxies and lazy function results."""
import copy
import functools
import operator


class cached_property:
    """A property computed once per instance, then stored in its ``__dict__``.

    Delete the attribute (``del obj.name``) to force recomputation.
    """

    name = None

    def __init__(self, func, name=None):
        self.real_func = func
        self.__doc__ = getattr(func, "__doc__")

    def __set_name__(self, owner, name):
        if self.name is None:
            self.name = name
            self.func = self.real_func
        elif name != self.name:
            raise TypeError(
                "Cannot assign the same cached_property to two different names "
                "(%r and %r)." % (self.name, name)
            )

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class classproperty:
    """Like ``property`` but read from the class (``Model.attr`` works)."""

    def __init__(self, method=None):
        self.fget = method

    def __get__(self, instance, cls=None):
        return self.fget(cls)

    def getter(self, method):
        self.fget = method
        return self


class Promise:
    """Marker base class for the results of ``lazy()`` functions."""


def lazy(func, *resultclasses):
    """Return a version of ``func`` whose calls are evaluated on first use.

    The result is a proxy (a ``Promise``) that calls ``func`` each time it is
    converted or one of the ``resultclasses`` methods is used on it.
    """

    class __proxy__(Promise):
        def __init__(self, args, kw):
            self._args = args
            self._kw = kw

        def _evaluate(self):
            return func(*self._args, **self._kw)

        def __getattr__(self, name):
            # Only reached for names not defined on the proxy itself.
            for resultclass in resultclasses:
                if hasattr(resultclass, name):
                    return getattr(self._evaluate(), name)
            raise AttributeError(name)

        def __str__(self):
            return str(self._evaluate())

        def __repr__(self):
            return repr(self._evaluate())

        def __eq__(self, other):
            if isinstance(other, Promise):
                other = other._evaluate()
            return self._evaluate() == other

        def __lt__(self, other):
            if isinstance(other, Promise):
                other = other._evaluate()
            return self._evaluate() < other

        def __hash__(self):
            return hash(self._evaluate())

        def __mod__(self, other):
            return self._evaluate() % other

        def __add__(self, other):
            return self._evaluate() + other

        def __radd__(self, other):
            return other + self._evaluate()

        def __deepcopy__(self, memo):
            # Lazy values are immutable in practice; share them.
            memo[id(self)] = self
            return self

    @functools.wraps(func)
    def __wrapper__(*args, **kw):
        return __proxy__(args, kw)

    return __wrapper__


def lazystr(text):
    """A lazy ``str(text)``."""
    return lazy(str, str)(text)


def keep_lazy(*resultclasses):
    """Decorator: if any argument is lazy, return a lazy result as well."""

    def decorator(func):
        lazy_func = lazy(func, *resultclasses)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if any(isinstance(arg, Promise) for arg in (*args, *kwargs.values())):
                return lazy_func(*args, **kwargs)
            return func(*args, **kwargs)

        return wrapper

    return decorator


empty = object()


def new_method_proxy(func):
    """Make a method that sets up the wrapped object, then applies ``func``."""

    def inner(self, *args):
        if (_wrapped := self._wrapped) is empty:
            self._setup()
            _wrapped = self._wrapped
        return func(_wrapped, *args)

    inner._mask_wrapped = False
    return inner


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

    def __getattribute__(self, name):
        if name == "_wrapped":
            # Avoid recursion when reading _wrapped itself.
            return super().__getattribute__(name)
        value = super().__getattribute__(name)
        # Proxy methods flagged with _mask_wrapped=False must not leak
        # through, e.g. hasattr(lazy, "__getitem__") should reflect the
        # wrapped object.
        if not getattr(value, "_mask_wrapped", True):
            raise AttributeError
        return value

    __getattr__ = new_method_proxy(getattr)

    def __setattr__(self, name, value):
        if name == "_wrapped":
            self.__dict__["_wrapped"] = value
        else:
            if self._wrapped is empty:
                self._setup()
            setattr(self._wrapped, name, value)

    def __delattr__(self, name):
        if name == "_wrapped":
            raise TypeError("can't delete _wrapped.")
        if self._wrapped is empty:
            self._setup()
        delattr(self._wrapped, name)

    def _setup(self):
        raise NotImplementedError("subclasses of LazyObject must provide a _setup() method")

    def __reduce__(self):
        if self._wrapped is empty:
            self._setup()
        return (copyreg_unpickle_lazyobject, (self._wrapped,))

    def __copy__(self):
        if self._wrapped is empty:
            # An uninitialized proxy copies to another uninitialized proxy.
            return type(self)()
        return copy.copy(self._wrapped)

    def __deepcopy__(self, memo):
        if self._wrapped is empty:
            result = type(self)()
            memo[id(self)] = result
            return result
        return copy.deepcopy(self._wrapped, memo)

    __bytes__ = new_method_proxy(bytes)
    __str__ = new_method_proxy(str)
    __bool__ = new_method_proxy(bool)
    __dir__ = new_method_proxy(dir)
    __class__ = property(new_method_proxy(operator.attrgetter("__class__")))
    __eq__ = new_method_proxy(operator.eq)
    __lt__ = new_method_proxy(operator.lt)
    __gt__ = new_method_proxy(operator.gt)
    __ne__ = new_method_proxy(operator.ne)
    __hash__ = new_method_proxy(hash)
    __getitem__ = new_method_proxy(operator.getitem)
    __setitem__ = new_method_proxy(operator.setitem)
    __delitem__ = new_method_proxy(operator.delitem)
    __iter__ = new_method_proxy(iter)
    __len__ = new_method_proxy(len)
    __contains__ = new_method_proxy(operator.contains)


def copyreg_unpickle_lazyobject(wrapped):
    """Unpickling a LazyObject yields the wrapped object itself."""
    return wrapped


class SimpleLazyObject(LazyObject):
    """A LazyObject whose wrapped object comes from calling ``func()``."""

    def __init__(self, func):
        self.__dict__["_setupfunc"] = func
        super().__init__()

    def _setup(self):
        self._wrapped = self._setupfunc()

    def __repr__(self):
        if self._wrapped is empty:
            return "<%s: %r>" % (type(self).__name__, self._setupfunc)
        return "<%s: %r>" % (type(self).__name__, self._wrapped)

    def __copy__(self):
        if self._wrapped is empty:
            return SimpleLazyObject(self._setupfunc)
        return copy.copy(self._wrapped)

    def __deepcopy__(self, memo):
        if self._wrapped is empty:
            result = SimpleLazyObject(self._setupfunc)
            memo[id(self)] = result
            return result
        return copy.deepcopy(self._wrapped, memo)


def partition(predicate, values):
    """Split ``values`` into ``(falses, trues)`` according to ``predicate``."""
    results = ([], [])
    for item in values:
        results[bool(predicate(item))].append(item)
    return results
