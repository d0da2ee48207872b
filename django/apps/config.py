"""AppConfig: one installed application (its module, label, path and models)."""
import inspect
import os
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import cached_property
from django.utils.module_loading import module_has_submodule

APPS_MODULE_NAME = "apps"
MODELS_MODULE_NAME = "models"


class InstalledAppImportError(ImproperlyConfigured, ImportError):
    """An INSTALLED_APPS entry is neither an importable module nor an AppConfig path.

    Both an ImproperlyConfigured and an ImportError, so callers may catch either.
    """


class AppConfig:
    """Configuration and state of one installed application.

    Subclass it in ``<app>/apps.py`` to set ``label``, ``verbose_name``,
    ``default_auto_field`` or a ``ready()`` hook. Subclasses must set
    ``name`` (the app's full module path).
    """

    def __init__(self, app_name, app_module):
        # Full Python path of the application, e.g. 'django.contrib.auth'.
        self.name = app_name
        # The application's root module.
        self.module = app_module
        # The registry holding this config; set by Apps.populate().
        self.apps = None

        # Defaults derived from the name unless the subclass set them.
        if not hasattr(self, "label"):
            self.label = app_name.rpartition(".")[2]
        if not self.label.isidentifier():
            raise ImproperlyConfigured(
                "The app label '%s' (of app '%s') is not a valid Python identifier."
                % (self.label, app_name)
            )
        if not hasattr(self, "verbose_name"):
            self.verbose_name = self.label.title()
        if not hasattr(self, "path"):
            self.path = self._path_from_module(app_module)

        # Filled in by import_models().
        self.models_module = None
        self.models = None

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, self.label)

    @cached_property
    def default_auto_field(self):
        """Field class path for implicit primary keys (DEFAULT_AUTO_FIELD unless overridden)."""
        from django.conf import settings

        return settings.DEFAULT_AUTO_FIELD

    @property
    def _is_default_auto_field_overridden(self):
        return type(self).default_auto_field is not AppConfig.default_auto_field

    def _path_from_module(self, module):
        """The app's filesystem directory; ImproperlyConfigured if ambiguous."""
        paths = list(getattr(module, "__path__", []))
        if len(paths) != 1:
            filename = getattr(module, "__file__", None)
            if filename is not None:
                paths = [os.path.dirname(filename)]
            else:
                # Namespace packages may span several directories.
                paths = list(set(paths))
        if len(paths) > 1:
            raise ImproperlyConfigured(
                "The app module %r has multiple filesystem locations (%r); you must "
                "configure this app with an AppConfig subclass with a 'path' class "
                "attribute." % (module, paths)
            )
        if not paths:
            raise ImproperlyConfigured(
                "The app module %r has no filesystem location, you must configure this "
                "app with an AppConfig subclass with a 'path' class attribute." % (module,)
            )
        return paths[0]

    @classmethod
    def create(cls, entry):
        """Build an AppConfig from an INSTALLED_APPS entry.

        ``entry`` is either an app module path (its ``apps.py`` may define a
        single AppConfig subclass, or several with exactly one marked
        ``default = True``) or the dotted path to an AppConfig subclass.
        """
        app_config_class = None
        app_name = None
        app_module = None

        try:
            app_module = import_module(entry)
        except ModuleNotFoundError as err:
            # Only "this entry is not a module" is recoverable: a missing
            # module imported *by* the app must propagate.
            if not _is_missing(err, entry):
                raise
        else:
            app_config_class = cls._discover_config_class(entry, app_module)
            if app_config_class is None:
                app_config_class = cls
                app_name = entry

        if app_config_class is None:
            app_config_class = cls._import_config_class(entry)

        if app_name is None:
            try:
                app_name = app_config_class.name
            except AttributeError:
                raise ImproperlyConfigured("'%s' must supply a name attribute." % entry)

        try:
            app_module = import_module(app_name)
        except ImportError as err:
            raise ImproperlyConfigured(
                "Cannot import '%s'. Check that '%s.%s.name' is correct."
                % (app_name, app_config_class.__module__, app_config_class.__qualname__)
            ) from err

        return app_config_class(app_name, app_module)

    @classmethod
    def _discover_config_class(cls, entry, app_module):
        """The AppConfig subclass defined in ``<entry>.apps``, or None."""
        if not module_has_submodule(app_module, APPS_MODULE_NAME):
            return None
        mod_path = "%s.%s" % (entry, APPS_MODULE_NAME)
        mod = import_module(mod_path)
        candidates = [
            candidate
            for _, candidate in inspect.getmembers(mod, inspect.isclass)
            if issubclass(candidate, cls)
            and candidate is not cls
            and getattr(candidate, "default", True)
            and candidate.__module__ == mod_path
        ]
        if len(candidates) == 1:
            return candidates[0]
        defaults = [c for c in candidates if c.__dict__.get("default") is True]
        if len(defaults) > 1:
            raise RuntimeError(
                "%r declares more than one default AppConfig: %s."
                % (mod_path, ", ".join(repr(c.__name__) for c in defaults))
            )
        if len(defaults) == 1:
            return defaults[0]
        return None

    @classmethod
    def _import_config_class(cls, entry):
        """``entry`` is not a module: it must be the path to an AppConfig subclass."""
        mod_path, _, cls_name = entry.rpartition(".")
        if not mod_path:
            raise InstalledAppImportError(
                "Cannot import the installed app '%s': no module named %r." % (entry, entry)
            )
        try:
            mod = import_module(mod_path)
        except ModuleNotFoundError as err:
            if not _is_missing(err, mod_path):
                raise
            raise InstalledAppImportError(
                "Cannot import the installed app '%s': no module named %r."
                % (entry, err.name)
            ) from err
        try:
            candidate = getattr(mod, cls_name)
        except AttributeError:
            raise InstalledAppImportError(
                "Cannot import the installed app '%s': module '%s' has no "
                "attribute '%s' (and '%s' is not a module)."
                % (entry, mod_path, cls_name, entry)
            ) from None
        if not (inspect.isclass(candidate) and issubclass(candidate, AppConfig)):
            raise ImproperlyConfigured("'%s' isn't a subclass of AppConfig." % entry)
        return candidate

    def get_model(self, model_name, require_ready=True):
        """The model called ``model_name`` (case-insensitive) in this app.

        LookupError lists the app's models when there is no such model.
        """
        if require_ready:
            self.apps.check_models_ready()
        else:
            self.apps.check_apps_ready()
        try:
            return self.models[model_name.lower()]
        except KeyError:
            available = sorted(model._meta.object_name for model in self.models.values())
            raise LookupError(
                "App '%s' doesn't have a '%s' model. Its models are: %s."
                % (self.label, model_name, ", ".join(available) or "(none)")
            )

    def get_models(self, include_auto_created=False, include_swapped=False):
        """This app's models, in definition order (auto-created ones on request)."""
        self.apps.check_models_ready()
        for model in self.models.values():
            if getattr(model._meta, "auto_created", False) and not include_auto_created:
                continue
            if getattr(model._meta, "swapped", None) and not include_swapped:
                continue
            yield model

    def import_models(self):
        """Import ``<app>.models`` if it exists; import errors inside it propagate."""
        self.models = self.apps.all_models[self.label]
        if module_has_submodule(self.module, MODELS_MODULE_NAME):
            self.models_module = import_module("%s.%s" % (self.name, MODELS_MODULE_NAME))

    def ready(self):
        """Hook run once the registry is fully populated. Override it."""


def _is_missing(err, module_path):
    """True if ``err`` says ``module_path`` (or one of its parents) does not exist."""
    missing = getattr(err, "name", None)
    return missing is not None and (
        module_path == missing or module_path.startswith(missing + ".")
    )
