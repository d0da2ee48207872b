"""Managers: the ``Model.objects`` entry point to querysets.

A manager class is generated from a QuerySet class by
``BaseManager.from_queryset``: each queryset method that is meant to be
reachable from the manager becomes a small forwarding method that builds a
fresh queryset with ``get_queryset()`` and calls the method on it.

Which methods forward is decided by a ``queryset_only`` marker on the
queryset method: ``True`` keeps it on the queryset (``delete``,
``as_manager``), ``False`` exposes it even when private (``_insert``,
``_update``), and no marker means "public names only".
"""
import inspect
import itertools
from functools import wraps

from django.db import connections
from django.db.models.query import QuerySet

__all__ = ["BaseManager", "Manager", "ManagerDescriptor", "EmptyManager"]

# One global sequence, shared by every manager class, so that Options can
# order the managers of a model (and of its bases) by declaration order.
_declaration_order = itertools.count()


def _forwards_to_queryset(name, function):
    """Should the manager expose queryset method ``name``?"""
    marker = getattr(function, "queryset_only", None)
    if marker is None:
        return not name.startswith("_")
    return not marker


def _forwarder(name, function):
    """A manager method that runs ``name`` on a new queryset."""

    @wraps(function)
    def forward(manager, *args, **kwargs):
        queryset = manager.get_queryset()
        return getattr(queryset, name)(*args, **kwargs)

    return forward


class BaseManager:
    creation_counter = 0
    # Managers the framework adds by itself (objects, _base_manager) say so.
    auto_created = False
    use_in_migrations = False

    # Set on the class as_manager() makes.
    _made_by_as_manager = False

    def __new__(cls, *args, **kwargs):
        # Remembered for deconstruct() and __eq__: two managers built with
        # the same arguments are interchangeable.
        instance = super().__new__(cls)
        instance._init_arguments = (args, kwargs)
        return instance

    def __init__(self):
        super().__init__()
        # Bound by contribute_to_class(); the order of creation decides
        # which manager of a model is its default one.
        self.model = self.name = self._db = None
        self._hints = {}
        self.creation_counter = next(_declaration_order)

    # -- identity ----------------------------------------------------------

    def __str__(self):
        return f"{self.model._meta.label}.{self.name}"

    def __repr__(self):
        bound = str(self) if self.model is not None else "unbound"
        return f"<{type(self).__name__}: {bound}>"

    def __class_getitem__(cls, *args, **kwargs):
        # Allows ``Manager[Book]`` in annotations; no generic machinery.
        return cls

    def __eq__(self, other):
        if not isinstance(other, type(self)):
            return False
        return self._init_arguments == other._init_arguments

    def __hash__(self):
        return id(self)

    def __copy__(self):
        # Options hands each model subclass its own copy of an inherited
        # manager; skip __new__/__init__ so the creation order is kept.
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        return clone

    def __deepcopy__(self, memo):
        return self.__copy__()

    def deconstruct(self):
        """(as_manager, manager_path, queryset_path, args, kwargs)."""
        args, kwargs = self._init_arguments
        if self._made_by_as_manager:
            qs = self._queryset_class
            return True, None, f"{qs.__module__}.{qs.__name__}", None, None
        own = type(self)
        return False, f"{own.__module__}.{own.__name__}", None, args, kwargs

    def check(self, **kwargs):
        return []

    # -- building manager classes -----------------------------------------

    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        """A manager class whose methods proxy those of ``queryset_class``."""
        namespace = {
            name: _forwarder(name, function)
            for name, function in inspect.getmembers(queryset_class, inspect.isfunction)
            # A manager's own definition (get_queryset, all, ...) wins.
            if not hasattr(cls, name) and _forwards_to_queryset(name, function)
        }
        namespace["_queryset_class"] = queryset_class
        return type(class_name or f"{cls.__name__}From{queryset_class.__name__}", (cls,), namespace)

    def contribute_to_class(self, cls, name):
        if not self.name:
            self.name = name
        self.model = cls
        setattr(cls, name, ManagerDescriptor(self))
        cls._meta.add_manager(self)

    # -- querysets ---------------------------------------------------------

    @property
    def db(self):
        """The alias this manager's reads go to: the one given to
        db_manager(), else the routers' choice (QuerySet.db)."""
        return self._db or self.get_queryset().db

    def db_manager(self, using=None, hints=None):
        """A copy of this manager (same class, same methods) whose querysets
        run on ``using`` (None: routed) and carry ``hints`` for the routers:
        ``User.objects.db_manager("other").create_user(...)``."""
        twin = self.__copy__()
        twin._db = connections.checked_alias(using) if using is not None else self._db
        twin._hints = hints if hints is not None else self._hints
        return twin

    def get_queryset(self):
        """A new QuerySet; override to customise the manager's base set."""
        return self._queryset_class(model=self.model, hints=self._hints, using=self._db)

    def all(self):
        # Not a plain forwarder: subclasses that override get_queryset()
        # expect all() to start from their filtered set.
        return self.get_queryset()


class Manager(BaseManager.from_queryset(QuerySet)):
    """The manager a model gets when it declares none (``objects``)."""


class ManagerDescriptor:
    """Class-level access only: ``Book.objects``, never ``book.objects``."""

    def __init__(self, manager):
        self.manager = manager

    def __get__(self, instance, cls=None):
        if instance is None:
            return self._of_class(cls._meta)
        raise AttributeError(f"Manager isn't accessible via {cls.__name__} instances")

    def _of_class(self, opts):
        if opts.abstract:
            raise AttributeError(f"Manager isn't available; {opts.object_name} is abstract")
        # Look the manager up on the class actually accessed: an inherited
        # manager is a per-subclass copy bound to that subclass.
        return opts.managers_map[self.manager.name]


class EmptyManager(Manager):
    """A manager over no rows at all (used where a model has no table)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def get_queryset(self):
        # none() yields a queryset that never touches the database.
        return self._queryset_class(model=self.model, hints=self._hints, using=self._db).none()
