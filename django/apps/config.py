"""AppConfig: one installed application (its module, label, path and models)."""
import importlib
import inspect
import os

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

# Submodules of an application package that have a special meaning: the
# one that may define its AppConfig, and the one that defines its models.
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
        # ``name`` is the full dotted path ('django.contrib.auth'), ``module``
        # the imported package; ``apps`` is filled in by Apps.populate(),
        # the last two by import_models().
        self.name, self.module, self.apps = app_name, app_module, None
        self.models_module = self.models = None

        # label, verbose_name and path may be set by a subclass; what it
        # leaves out is derived here. The label is settled and checked
        # first: verbose_name is made from it, and a bad label should be
        # reported before anything else (like the path) can fail.
        self._derive_unless_set("label", lambda: app_name.rpartition(".")[2])
        _check_label(self.label, app_name)
        self._derive_unless_set("verbose_name", lambda: self.label.title())
        self._derive_unless_set("path", lambda: _module_directory(app_module))

    def _derive_unless_set(self, attribute, derive):
        """Set ``attribute`` to ``derive()`` unless the class already provides it."""
        if not hasattr(self, attribute):
            setattr(self, attribute, derive())

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, self.label)

    def _settings_auto_field(self):
        from django.conf import settings

        return settings.DEFAULT_AUTO_FIELD

    # Field class path for implicit primary keys: DEFAULT_AUTO_FIELD, read
    # when asked (so overridden settings apply), unless a subclass sets
    # ``default_auto_field`` itself.
    default_auto_field = property(_settings_auto_field)

    @property
    def _auto_field_declared(self):
        """True if a subclass sets default_auto_field rather than deferring to settings."""
        # Such a subclass replaces the property above.
        declared = inspect.getattr_static(type(self), "default_auto_field")
        return declared is not AppConfig.__dict__["default_auto_field"]

    @classmethod
    def create(cls, entry):
        """Build an AppConfig from an INSTALLED_APPS entry.

        ``entry`` is either an app module path (its ``apps.py`` may define a
        single AppConfig subclass, or several with exactly one marked
        ``default = True``) or the dotted path to an AppConfig subclass.
        """
        module = _import_if_exists(entry)
        if module is None:
            config_class = cls._import_config_class(entry)
        else:
            config_class = cls._discover_config_class(entry, module)
            if config_class is None:
                # A plain app package: the default configuration will do.
                return cls(entry, module)

        app_name = getattr(config_class, "name", None)
        if app_name is None:
            raise ImproperlyConfigured("'%s' must supply a name attribute." % entry)
        try:
            module = importlib.import_module(app_name)
        except ImportError as err:
            raise ImproperlyConfigured(
                "Cannot import '%s'. Check that '%s.%s.name' is correct."
                % (app_name, config_class.__module__, config_class.__qualname__)
            ) from err
        return config_class(app_name, module)

    @classmethod
    def _discover_config_class(cls, entry, app_module):
        """The AppConfig subclass defined in ``<entry>.apps``, or None."""
        if not module_has_submodule(app_module, APPS_MODULE_NAME):
            return None
        mod_path = "%s.%s" % (entry, APPS_MODULE_NAME)
        mod = importlib.import_module(mod_path)
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
        mod_path, cls_name = entry.rpartition(".")[::2]
        if not mod_path:
            raise InstalledAppImportError(
                "Cannot import the installed app '%s': no module named %r." % (entry, entry)
            )
        try:
            mod = importlib.import_module(mod_path)
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
        registry = self.apps
        (registry.check_models_ready if require_ready else registry.check_apps_ready)()
        model = self.models.get(model_name.lower())
        if model is not None:
            return model
        known = ", ".join(sorted(m._meta.object_name for m in self.models.values()))
        raise LookupError(
            "App '%s' doesn't have a '%s' model. Its models are: %s."
            % (self.label, model_name, known or "(none)")
        )

    def get_models(self, include_auto_created=False, include_swapped=False):
        """This app's models, in definition order (auto-created ones on request)."""
        self.apps.check_models_ready()

        def wanted(model):
            meta = model._meta
            if getattr(meta, "auto_created", False) and not include_auto_created:
                return False
            return include_swapped or not getattr(meta, "swapped", None)

        return (model for model in self.models.values() if wanted(model))

    def import_models(self):
        """Import ``<app>.models`` if it exists; import errors inside it propagate."""
        # The registry's dict, so models registered later show up here too.
        self.models = self.apps.all_models[self.label]
        if module_has_submodule(self.module, MODELS_MODULE_NAME):
            self.models_module = importlib.import_module(
                "%s.%s" % (self.name, MODELS_MODULE_NAME)
            )

    def ready(self):
        """Hook run once the registry is fully populated. Override it."""


def _check_label(label, app_name):
    # The label is used in model references ('label.Model') and as a
    # Python-level key, so it has to look like an identifier.
    if not label.isidentifier():
        raise ImproperlyConfigured(
            "The app label '%s' (of app '%s') is not a valid Python identifier." % (label, app_name)
        )


def _module_directory(module):
    """The one filesystem directory of an app module; ImproperlyConfigured otherwise.

    A regular package has one ``__path__`` entry; a plain module only a
    ``__file__``; a namespace package may list several (possibly repeated)
    directories, which is only acceptable if they are all the same.
    """
    directories = list(dict.fromkeys(getattr(module, "__path__", ())))
    if len(directories) != 1 and getattr(module, "__file__", None) is not None:
        directories = [os.path.dirname(module.__file__)]
    if len(directories) == 1:
        return directories[0]
    found = (
        "has multiple filesystem locations (%r);" % (directories,) if directories
        else "has no filesystem location,"
    )
    raise ImproperlyConfigured(
        "The app module %r %s you must configure this app with an AppConfig subclass "
        "with a 'path' class attribute." % (module, found)
    )


def _import_if_exists(dotted_path):
    """Import ``dotted_path``, or return None if no such module exists.

    Only "this path is not a module" is tolerated: a module the app itself
    imports being missing is a real error and propagates.
    """
    try:
        return importlib.import_module(dotted_path)
    except ModuleNotFoundError as err:
        if not _is_missing(err, dotted_path):
            raise
        return None


def _is_missing(err, module_path):
    """True if ``err`` says ``module_path`` (or one of its parents) does not exist."""
    missing = getattr(err, "name", None)
    return missing is not None and (
        module_path == missing or module_path.startswith(missing + ".")
    )
