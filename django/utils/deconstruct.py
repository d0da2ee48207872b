"""The @deconstructible class decorator (lets objects describe how to rebuild them)."""
from importlib import import_module


def deconstructible(*args, path=None):
    """Record constructor arguments so ``obj.deconstruct()`` returns (path, args, kwargs).

    Usable bare (``@deconstructible``) or with ``path=`` naming the import
    path to report.
    """

    def decorator(klass):
        original_new = klass.__new__

        def __new__(cls, *args, **kwargs):
            if original_new is object.__new__:
                obj = original_new(cls)
            else:
                obj = original_new(cls, *args, **kwargs)
            obj._constructor_args = (args, kwargs)
            return obj

        def deconstruct(obj):
            if path and type(obj) is klass:
                import_path = path
            else:
                module_name, name = obj.__module__, type(obj).__name__
                # The path must import back to the class, e.g. for migrations-like
                # serialisation of field arguments.
                if not hasattr(import_module(module_name), name):
                    raise ValueError(
                        "Could not find object %s in %s. Deconstructible classes must be "
                        "importable from their module's top level." % (name, module_name)
                    )
                import_path = "%s.%s" % (module_name, name)
            args, kwargs = obj._constructor_args
            return import_path, args, kwargs

        klass.__new__ = staticmethod(__new__)
        klass.deconstruct = deconstruct
        return klass

    if not args:
        return decorator
    return decorator(*args)
