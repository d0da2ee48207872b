"""Import helpers: dotted paths, submodule checks, autodiscovery."""
import importlib
import importlib.util
import os
import sys


def _imported(module_path):
    """The module, from sys.modules unless it is absent or still initialising."""
    module = sys.modules.get(module_path)
    if module is None or getattr(getattr(module, "__spec__", None), "_initializing", False):
        module = importlib.import_module(module_path)
    return module


def cached_import(module_path, class_name):
    """Import ``module_path`` (reusing sys.modules) and return ``class_name`` from it."""
    return getattr(_imported(module_path), class_name)


def import_string(dotted_path):
    """Import ``"package.module.Name"`` and return ``Name``.

    Raises ImportError naming the path when it is malformed, when the module
    cannot be imported (the original error is chained) or when the module has
    no such attribute.
    """
    module_path, name = (
        dotted_path.rpartition(".")[::2] if isinstance(dotted_path, str) else ("", "")
    )
    if not (module_path and name):
        raise ImportError("%r doesn't look like a module path." % (dotted_path,))
    module = _imported(module_path)
    if not hasattr(module, name):
        raise ImportError('Module "%s" does not define a "%s" attribute/class' % (module_path, name))
    return getattr(module, name)


def module_has_submodule(package, module_name):
    """Return True if ``package`` has a submodule ``module_name`` (without importing it)."""
    try:
        package_name = package.__name__
        package.__path__
    except AttributeError:
        # A plain module, not a package, has no submodules.
        return False
    full_name = package_name + "." + module_name
    if full_name in sys.modules:
        return True
    try:
        return importlib.util.find_spec(full_name) is not None
    except ModuleNotFoundError:
        # The parent package itself is partially missing.
        return False


def autodiscover_modules(*module_names, register_to=None):
    """Import ``<app>.<module_name>`` for every installed app that has it.

    Import errors inside an existing submodule propagate unchanged; apps
    without the submodule are skipped. ``register_to`` (an object with a
    ``_registry`` dict) is restored to its previous state if an import fails.
    """
    from django.apps import apps

    for app_config in apps.get_app_configs():
        for module_name in module_names:
            before = None
            if register_to is not None:
                before = dict(register_to._registry)
            try:
                importlib.import_module("%s.%s" % (app_config.name, module_name))
            except Exception:
                if register_to is not None:
                    register_to._registry = before
                if module_has_submodule(app_config.module, module_name):
                    raise


def module_dir(module):
    """Return the single directory of ``module`` (a package or a plain module)."""
    # A regular package has exactly one __path__ entry; otherwise fall back
    # on the file the module was loaded from (namespace packages have none).
    locations = list(getattr(module, "__path__", ()))
    if len(locations) != 1:
        filename = getattr(module, "__file__", None)
        locations = [] if filename is None else [os.path.dirname(filename)]
    if not locations:
        raise ValueError("Cannot determine directory containing %s" % module)
    return locations[0]
