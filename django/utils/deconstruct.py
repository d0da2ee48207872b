"""The @deconstructible class decorator (lets objects describe how to rebuild them)."""
import importlib


def _import_path(obj):
    """'module.ClassName' for ``obj``, checked to import back to its class."""
    module_name, class_name = type(obj).__module__, type(obj).__name__
    # The path must import back to the class, e.g. for migrations-like
    # serialisation of field arguments.
    if not hasattr(importlib.import_module(module_name), class_name):
        raise ValueError(
            "Could not find object %s in %s. Deconstructible classes must be "
            "importable from their module's top level." % (class_name, module_name)
        )
    return "%s.%s" % (module_name, class_name)


def deconstructible(*args, path=None):
    """Record constructor arguments so ``obj.deconstruct()`` returns (path, args, kwargs).

    Usable bare (``@deconstructible``) or with ``path=`` naming the import
    path to report.
    """

    def decorator(klass):
        # Arguments are captured in __new__ rather than __init__ so that
        # subclasses with their own __init__ still record what *they* got.
        parent_new = klass.__new__

        def __new__(cls, *ctor_args, **ctor_kwargs):
            # object.__new__ rejects extra arguments; any other __new__
            # (e.g. an already decorated base class) expects them.
            if parent_new is object.__new__:
                instance = parent_new(cls)
            else:
                instance = parent_new(cls, *ctor_args, **ctor_kwargs)
            instance._init_arguments = (ctor_args, ctor_kwargs)
            return instance

        def deconstruct(obj):
            # ``path`` describes the decorated class itself, not subclasses.
            where = path if path and type(obj) is klass else _import_path(obj)
            ctor_args, ctor_kwargs = obj._init_arguments
            return where, ctor_args, ctor_kwargs

        klass.__new__ = staticmethod(__new__)
        klass.deconstruct = deconstruct
        return klass

    return decorator(*args) if args else decorator
