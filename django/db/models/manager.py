"""Managers: the ``Model.objects`` entry point to querysets.

A manager class is built from a QuerySet class: ``BaseManager.from_queryset``
copies every public queryset method (and those marked
``queryset_only = False``, such as ``_insert`` and ``_update``) onto the
manager as a method that calls it on ``get_queryset()``. Methods marked
``queryset_only = True`` (``delete``, ``as_manager``) stay queryset-only.
"""
import copy
import inspect
from functools import wraps

from django.db.models.query import QuerySet

__all__ = ["BaseManager", "Manager", "ManagerDescriptor", "EmptyManager"]


class BaseManager:
    # Managers sort by creation order, across classes.
    creation_counter = 0
    # Set to True on the managers Django adds itself (objects, _base_manager).
    auto_created = False
    use_in_migrations = False

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj._constructor_args = (args, kwargs)
        return obj

    def __init__(self):
        super().__init__()
        self._set_creation_counter()
        self.model = None
        self.name = None
        self._db = None
        self._hints = {}

    def __str__(self):
        return "%s.%s" % (self.model._meta.label, self.name)

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self if self.model else "unbound")

    def __class_getitem__(cls, *args, **kwargs):
        return cls

    def deconstruct(self):
        qs_class = self._queryset_class
        if getattr(self, "_built_with_as_manager", False):
            return True, None, "%s.%s" % (qs_class.__module__, qs_class.__name__), None, None
        path = "%s.%s" % (self.__class__.__module__, self.__class__.__name__)
        return False, path, None, self._constructor_args[0], self._constructor_args[1]

    def check(self, **kwargs):
        return []

    @classmethod
    def _get_queryset_methods(cls, queryset_class):
        def create_method(name, method):
            @wraps(method)
            def manager_method(self, *args, **kwargs):
                return getattr(self.get_queryset(), name)(*args, **kwargs)

            return manager_method

        new_methods = {}
        for name, method in inspect.getmembers(queryset_class, predicate=inspect.isfunction):
            if hasattr(cls, name):
                continue  # the manager defines its own
            queryset_only = getattr(method, "queryset_only", None)
            if queryset_only or (queryset_only is None and name.startswith("_")):
                continue
            new_methods[name] = create_method(name, method)
        return new_methods

    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        """A manager class whose methods proxy those of ``queryset_class``."""
        if class_name is None:
            class_name = "%sFrom%s" % (cls.__name__, queryset_class.__name__)
        return type(
            class_name,
            (cls,),
            {"_queryset_class": queryset_class, **cls._get_queryset_methods(queryset_class)},
        )

    def contribute_to_class(self, cls, name):
        self.name = self.name or name
        self.model = cls
        setattr(cls, name, ManagerDescriptor(self))
        cls._meta.add_manager(self)

    def _set_creation_counter(self):
        self.creation_counter = BaseManager.creation_counter
        BaseManager.creation_counter += 1

    @property
    def db(self):
        """The connection this manager's querysets use (QuerySet.db)."""
        return self.get_queryset().db

    def get_queryset(self):
        """A new QuerySet; override to customise the manager's base set."""
        return self._queryset_class(model=self.model, hints=self._hints)

    def all(self):
        # Not a plain proxy: get_queryset() may be overridden.
        return self.get_queryset()

    def __eq__(self, other):
        return isinstance(other, self.__class__) and self._constructor_args == other._constructor_args

    def __hash__(self):
        return id(self)

    def __copy__(self):
        obj = self.__class__.__new__(self.__class__)
        obj.__dict__ = self.__dict__.copy()
        return obj

    def __deepcopy__(self, memo):
        return copy.copy(self)


class Manager(BaseManager.from_queryset(QuerySet)):
    pass


class ManagerDescriptor:
    """Class-level access only: ``Book.objects``, never ``book.objects``."""

    def __init__(self, manager):
        self.manager = manager

    def __get__(self, instance, cls=None):
        if instance is not None:
            raise AttributeError("Manager isn't accessible via %s instances" % cls.__name__)
        if cls._meta.abstract:
            raise AttributeError("Manager isn't available; %s is abstract" % cls._meta.object_name)
        return cls._meta.managers_map[self.manager.name]


class EmptyManager(Manager):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def get_queryset(self):
        return super().get_queryset().none()
