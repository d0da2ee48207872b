"""The Apps registry: installed app configs and every model class, by app label."""
import functools
import sys
import threading
from collections import Counter, defaultdict

from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

from .config import AppConfig


class Apps:
    """A registry of installed applications and their models.

    The global one is ``django.apps.apps``, populated by ``django.setup()``.
    Tests may build their own ``Apps(installed_apps=[...])``; models declared
    with ``class Meta: apps = my_apps`` register there instead.
    """

    def __init__(self, installed_apps=()):
        # installed_apps=None is reserved for the global registry, which
        # is populated later by django.setup().
        if installed_apps is None and hasattr(sys.modules[__name__], "apps"):
            raise RuntimeError("You must supply an installed_apps argument.")

        # {app_label: {model_name_lower: model}}. Models register here when
        # their class is created, even before the registry is populated.
        self.all_models = defaultdict(dict)
        # {app_label: AppConfig}, in INSTALLED_APPS order.
        self.app_configs = {}
        # Saved (app_configs, flags) for set_installed_apps()/unset_installed_apps().
        self.stored_app_configs = []

        self.apps_ready = self.models_ready = self.ready = False
        self._lock = threading.RLock()
        self.loading = False

        # {(app_label, model_name_lower): [function]}: callbacks waiting for
        # a model to be registered (lazy relation resolution).
        self._pending_operations = defaultdict(list)

        if installed_apps is not None:
            self.populate(installed_apps)

    def populate(self, installed_apps=None):
        """Load app configs, then their models, then run ready() hooks.

        Idempotent; not reentrant (an app's import calling populate() again
        raises RuntimeError).
        """
        if self.ready:
            return

        with self._lock:
            if self.ready:
                return
            if self.loading:
                # An app's models or ready() triggered populate() again.
                raise RuntimeError("populate() isn't reentrant")
            self.loading = True
            try:
                self._populate(installed_apps)
            except BaseException:
                # Forget the half-built state so that a retry reports the
                # real error again instead of "labels aren't unique".
                self.app_configs = {}
                self.apps_ready = self.models_ready = False
                raise
            finally:
                self.loading = False

    def _populate(self, installed_apps):
        if installed_apps is None:
            installed_apps = ()
        if not isinstance(installed_apps, (list, tuple)):
            raise ImproperlyConfigured(
                "The INSTALLED_APPS setting must be a list or a tuple, not %s."
                % type(installed_apps).__name__
            )

        # Phase 1: app configs and app modules.
        entries = {}
        for entry in installed_apps:
            if isinstance(entry, AppConfig):
                app_config = entry
            else:
                app_config = AppConfig.create(entry)
            if app_config.label in self.app_configs:
                raise ImproperlyConfigured(
                    "Application labels aren't unique, duplicates: %s (from %r and %r)"
                    % (app_config.label, entries[app_config.label], entry)
                )
            self.app_configs[app_config.label] = app_config
            entries[app_config.label] = entry
            app_config.apps = self

        counts = Counter(config.name for config in self.app_configs.values())
        duplicates = sorted(name for name, count in counts.items() if count > 1)
        if duplicates:
            raise ImproperlyConfigured(
                "Application names aren't unique, duplicates: %s" % ", ".join(duplicates)
            )
        self.apps_ready = True

        # Phase 2: models modules. Errors propagate unchanged.
        for app_config in self.app_configs.values():
            app_config.import_models()
        self.clear_cache()
        self.models_ready = True

        # Phase 3: ready() hooks.
        for app_config in self.get_app_configs():
            app_config.ready()
        self.ready = True

    # -- readiness --------------------------------------------------------

    def check_apps_ready(self):
        """Raise AppRegistryNotReady if app configs are not loaded yet."""
        if not self.apps_ready:
            from django.conf import settings

            # Reading INSTALLED_APPS gives the clearer "settings are not
            # configured" error when that is the real problem.
            settings.INSTALLED_APPS
            raise AppRegistryNotReady(
                "Apps aren't loaded yet. Call django.setup() (after configuring "
                "settings) before using the app registry or models."
            )

    def check_models_ready(self):
        """Raise AppRegistryNotReady if models modules are not imported yet."""
        if not self.models_ready:
            raise AppRegistryNotReady(
                "Models aren't loaded yet. Call django.setup() before using models "
                "through the app registry."
            )

    # -- lookups ------------------------------------------------------------

    def get_app_configs(self):
        """All installed AppConfigs, in INSTALLED_APPS order."""
        self.check_apps_ready()
        return self.app_configs.values()

    def get_app_config(self, app_label):
        """The AppConfig for ``app_label``; LookupError lists the installed labels."""
        self.check_apps_ready()
        try:
            return self.app_configs[app_label]
        except KeyError:
            message = "No installed app with label '%s'." % app_label
            for app_config in self.get_app_configs():
                if app_config.name == app_label:
                    message += " Did you mean '%s'?" % app_config.label
                    break
            message += " Installed app labels: %s." % (
                ", ".join(self.app_configs) or "(none)"
            )
            raise LookupError(message)

    @functools.lru_cache(maxsize=None)
    def get_models(self, include_auto_created=False, include_swapped=False):
        """Every model of every installed app (auto-created ones on request)."""
        self.check_models_ready()
        result = []
        for app_config in self.app_configs.values():
            result.extend(app_config.get_models(include_auto_created, include_swapped))
        return result

    def get_model(self, app_label, model_name=None, require_ready=True):
        """The model ``app_label.ModelName`` (model name is case-insensitive).

        Accepts ``get_model('app_label', 'Model')`` or
        ``get_model('app_label.Model')``. Raises LookupError naming what is
        missing, ValueError for a malformed single argument.
        """
        if require_ready:
            self.check_models_ready()
        else:
            self.check_apps_ready()
        if model_name is None:
            try:
                app_label, model_name = app_label.split(".")
            except ValueError:
                raise ValueError(
                    "Model names must be given as 'app_label.ModelName', got %r." % app_label
                ) from None
        app_config = self.get_app_config(app_label)
        if not require_ready and app_config.models is None:
            app_config.import_models()
        return app_config.get_model(model_name, require_ready=require_ready)

    def register_model(self, app_label, model):
        """Record ``model`` for ``app_label`` (called when a model class is created)."""
        model_name = model._meta.model_name
        app_models = self.all_models[app_label]
        if model_name in app_models:
            existing = app_models[model_name]
            if (
                model.__name__ == existing.__name__
                and model.__module__ == existing.__module__
            ):
                raise RuntimeError(
                    "Conflicting '%s' models in application '%s': %s and %s. "
                    "The model module was probably imported twice under different "
                    "names; models can only be defined once."
                    % (model_name, app_label, existing, model)
                )
            raise RuntimeError(
                "Conflicting '%s' models in application '%s': %s and %s."
                % (model_name, app_label, existing, model)
            )
        app_models[model_name] = model
        self.do_pending_operations(model)
        self.clear_cache()

    def is_installed(self, app_name):
        """True if an app with the full module path ``app_name`` is installed."""
        self.check_apps_ready()
        return any(config.name == app_name for config in self.app_configs.values())

    def get_containing_app_config(self, object_name):
        """The AppConfig whose module contains ``object_name`` (a dotted path), or None.

        The longest matching app name wins (apps may be nested).
        """
        self.check_apps_ready()
        candidates = [
            config
            for config in self.app_configs.values()
            if object_name == config.name or object_name.startswith(config.name + ".")
        ]
        if candidates:
            return max(candidates, key=lambda config: len(config.name))
        return None

    def get_registered_model(self, app_label, model_name):
        """Like get_model() but works before population and only for registered models."""
        model = self.all_models[app_label].get(model_name.lower())
        if model is None:
            raise LookupError("Model '%s.%s' not registered." % (app_label, model_name))
        return model

    # -- test support ---------------------------------------------------------

    def set_installed_apps(self, installed):
        """Replace the installed apps with ``installed`` (restore with unset_installed_apps()).

        Used by override_settings(INSTALLED_APPS=...). Models already
        registered for the new labels stay registered.
        """
        if not self.ready:
            raise AppRegistryNotReady("App registry isn't ready yet.")
        self.stored_app_configs.append(self.app_configs)
        self.app_configs = {}
        self.apps_ready = self.models_ready = self.loading = self.ready = False
        self.clear_cache()
        try:
            self.populate(installed)
        except Exception:
            # Leave the registry as it was rather than half-populated.
            self.unset_installed_apps()
            raise

    def unset_installed_apps(self):
        """Undo the last set_installed_apps()."""
        self.app_configs = self.stored_app_configs.pop()
        self.apps_ready = self.models_ready = self.ready = True
        self.clear_cache()

    def set_available_apps(self, available):
        """Restrict the installed apps to the names in ``available`` (a subset)."""
        available = set(available)
        installed = {config.name for config in self.get_app_configs()}
        if not available.issubset(installed):
            raise ValueError(
                "Available apps isn't a subset of installed apps, extra apps: %s"
                % ", ".join(sorted(available - installed))
            )
        self.stored_app_configs.append(self.app_configs)
        self.app_configs = {
            label: config for label, config in self.app_configs.items() if config.name in available
        }
        self.clear_cache()

    def unset_available_apps(self):
        """Undo the last set_available_apps()."""
        self.app_configs = self.stored_app_configs.pop()
        self.clear_cache()

    def clear_cache(self):
        """Forget cached model lists (and each model's cached _meta data)."""
        self.get_models.cache_clear()
        if self.ready:
            # Models' _meta caches (e.g. reverse relations) depend on the
            # whole set of installed models.
            for app_config in self.app_configs.values():
                for model in app_config.get_models(include_auto_created=True):
                    expire = getattr(model._meta, "_expire_cache", None)
                    if expire is not None:
                        expire()

    # -- lazy model operations ----------------------------------------------

    def lazy_model_operation(self, function, *model_keys):
        """Call ``function(*models)`` once every ``(app_label, model_name)`` is registered.

        Runs immediately when they already are. Used to resolve relations
        to models that are defined later.
        """
        if not model_keys:
            function()
            return
        # Peel off the first key; the rest are handled recursively through
        # a partial that receives each model as it becomes available.
        next_model, *more_models = model_keys

        def apply_next_model(model):
            self.lazy_model_operation(functools.partial(function, model), *more_models)

        app_label, model_name = next_model[0], next_model[1].lower()
        try:
            model_class = self.get_registered_model(app_label, model_name)
        except LookupError:
            self._pending_operations[(app_label, model_name)].append(apply_next_model)
        else:
            apply_next_model(model_class)

    def do_pending_operations(self, model):
        """Run the operations waiting for ``model`` (called by register_model())."""
        key = (model._meta.app_label, model._meta.model_name)
        for function in self._pending_operations.pop(key, []):
            function(model)


# The global registry, populated by django.setup().
apps = Apps(installed_apps=None)
