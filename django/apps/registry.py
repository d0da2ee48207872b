"""The Apps registry: installed app configs and every model class, by app label."""
import collections
import contextlib
import sys
import threading

from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

from .config import AppConfig


def _repeated(values):
    """The values occurring more than once, sorted."""
    return sorted(value for value, seen in collections.Counter(values).items() if seen > 1)


class Apps:
    """A registry of installed applications and their models.

    The global one is ``django.apps.apps``, populated by ``django.setup()``.
    Tests may build their own ``Apps(installed_apps=[...])``; models declared
    with ``class Meta: apps = my_apps`` register there instead.

    Population goes through three stages, each flagged when complete:
    ``apps_ready`` (app configs built), ``models_ready`` (models modules
    imported) and ``ready`` (every ``AppConfig.ready()`` has run).
    """

    def __init__(self, installed_apps=()):
        # installed_apps=None is reserved for the global registry below,
        # which django.setup() populates once settings are available.
        if installed_apps is None and hasattr(sys.modules[__name__], "apps"):
            raise RuntimeError("You must supply an installed_apps argument.")

        # Model classes register themselves on creation, possibly before
        # population: {app_label: {lowercased model name: model class}}.
        self.all_models = collections.defaultdict(dict)
        # {app_label: AppConfig}, in INSTALLED_APPS order.
        self.app_configs = {}
        # Earlier app_configs dicts, pushed by set_installed_apps() and
        # set_available_apps() and popped by their unset_* counterparts.
        self.stored_app_configs = []
        # Callbacks waiting for a model: {(app_label, model_name): [callable]}.
        self._waiting_for_model = collections.defaultdict(list)
        # get_models() results, keyed by its two flags.
        self._models_cache = {}

        # Stage flags (see the class docstring); the thread running
        # populate(), if any, and the lock other threads wait on meanwhile.
        self.apps_ready = self.models_ready = self.ready = False
        self._populating_thread = None
        self._population_lock = threading.Lock()

        if installed_apps is not None:
            self.populate(installed_apps)

    # -- population -------------------------------------------------------

    def populate(self, installed_apps=None):
        """Load app configs, then their models, then run ready() hooks.

        Idempotent; not reentrant (an app's import calling populate() again
        raises RuntimeError).
        """
        if self.ready:
            return
        with self._populating():
            # Another thread may have finished while this one waited.
            if not self.ready:
                self._build_app_configs(() if installed_apps is None else installed_apps)
                self._import_models_modules()
                self._run_ready_hooks()

    @contextlib.contextmanager
    def _populating(self):
        """One population at a time; a failed one leaves nothing half-built.

        Other threads wait on the lock; the populating thread itself (an
        app importing code that calls populate()) is refused, since waiting
        on itself would never end. Forgetting a failed attempt's app
        configs makes a retry report the real error again instead of
        "labels aren't unique".
        """
        caller = threading.get_ident()
        if self._populating_thread == caller:
            raise RuntimeError("populate() isn't reentrant")
        with self._population_lock:
            self._populating_thread, completed = caller, False
            try:
                yield
                completed = True
            finally:
                self._populating_thread = None
                if not completed:
                    self.app_configs = {}
                    self.apps_ready = self.models_ready = False

    @property
    def loading(self):
        """True while populate() runs."""
        return self._populating_thread is not None

    def _build_app_configs(self, installed_apps):
        if not isinstance(installed_apps, (list, tuple)):
            raise ImproperlyConfigured(
                "The INSTALLED_APPS setting must be a list or a tuple, not %s."
                % type(installed_apps).__name__
            )
        origin = {}  # label -> the INSTALLED_APPS entry that produced it
        for entry in installed_apps:
            config = entry if isinstance(entry, AppConfig) else AppConfig.create(entry)
            label = config.label
            if label in origin:
                raise ImproperlyConfigured(
                    "Application labels aren't unique, duplicates: %s (from %r and %r)"
                    % (label, origin[label], entry)
                )
            origin[label] = entry
            config.apps = self
            self.app_configs[label] = config
        repeated = _repeated(config.name for config in self.app_configs.values())
        if repeated:
            raise ImproperlyConfigured(
                "Application names aren't unique, duplicates: %s" % ", ".join(repeated)
            )
        self.apps_ready = True

    def _import_models_modules(self):
        # Import errors inside an app's models propagate unchanged.
        for config in self.app_configs.values():
            config.import_models()
        self.clear_cache()
        self.models_ready = True

    def _run_ready_hooks(self):
        for config in self.get_app_configs():
            config.ready()
        self.ready = True

    # -- readiness --------------------------------------------------------

    def check_apps_ready(self):
        """Raise AppRegistryNotReady if app configs are not loaded yet."""
        if self.apps_ready:
            return
        from django.conf import settings

        # Touching INSTALLED_APPS first turns "settings are not configured"
        # into that clearer error when it is the real cause.
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
        config = self.app_configs.get(app_label)
        if config is None:
            raise LookupError(self._unknown_label_message(app_label))
        return config

    def _unknown_label_message(self, app_label):
        sentences = ["No installed app with label '%s'." % app_label]
        # A common slip: passing the module path instead of the label.
        by_name = [c.label for c in self.app_configs.values() if c.name == app_label]
        if by_name:
            sentences.append("Did you mean '%s'?" % by_name[0])
        sentences.append(
            "Installed app labels: %s." % (", ".join(self.app_configs) or "(none)")
        )
        return " ".join(sentences)

    def get_models(self, include_auto_created=False, include_swapped=False):
        """Every model of every installed app (auto-created ones on request).

        The list is cached until clear_cache() (which registering a model or
        changing the installed apps calls).
        """
        self.check_models_ready()
        key = (bool(include_auto_created), bool(include_swapped))
        if key not in self._models_cache:
            self._models_cache[key] = [
                model
                for config in self.app_configs.values()
                for model in config.get_models(*key)
            ]
        return self._models_cache[key]

    def get_model(self, app_label, model_name=None, require_ready=True):
        """The model ``app_label.ModelName`` (model name is case-insensitive).

        Accepts ``get_model('app_label', 'Model')`` or
        ``get_model('app_label.Model')``. Raises LookupError naming what is
        missing, ValueError for a malformed single argument.
        """
        # Before models are imported only app configs can be consulted.
        (self.check_models_ready if require_ready else self.check_apps_ready)()
        if model_name is None:
            label, dot, model_name = app_label.partition(".")
            if not dot or "." in model_name:
                raise ValueError(
                    "Model names must be given as 'app_label.ModelName', got %r." % app_label
                )
            app_label = label
        config = self.get_app_config(app_label)
        if config.models is None and not require_ready:
            config.import_models()
        return config.get_model(model_name, require_ready=require_ready)

    def register_model(self, app_label, model):
        """Record ``model`` for ``app_label`` (called when a model class is created)."""
        name = model._meta.model_name
        holder = self.all_models[app_label].setdefault(name, model)
        if holder is not model:
            raise RuntimeError(self._conflict_message(app_label, name, holder, model))
        self.do_pending_operations(model)
        self.clear_cache()

    @staticmethod
    def _conflict_message(app_label, name, previous, model):
        message = "Conflicting '%s' models in application '%s': %s and %s." % (
            name, app_label, previous, model,
        )
        if (previous.__module__, previous.__name__) == (model.__module__, model.__name__):
            # Same class defined again: almost always a double import.
            message = message[:-1] + (
                ". The model module was probably imported twice under different "
                "names; models can only be defined once."
            )
        return message

    def is_installed(self, app_name):
        """True if an app with the full module path ``app_name`` is installed."""
        self.check_apps_ready()
        return app_name in {config.name for config in self.app_configs.values()}

    def get_containing_app_config(self, object_name):
        """The AppConfig whose module contains ``object_name`` (a dotted path), or None.

        The longest matching app name wins (apps may be nested).
        """
        self.check_apps_ready()
        containing = (
            config
            for config in self.app_configs.values()
            if (object_name + ".").startswith(config.name + ".")
        )
        return max(containing, key=lambda config: len(config.name), default=None)

    def get_registered_model(self, app_label, model_name):
        """Like get_model() but works before population and only for registered models."""
        try:
            return self.all_models.get(app_label, {})[model_name.lower()]
        except KeyError:
            raise LookupError("Model '%s.%s' not registered." % (app_label, model_name)) from None

    # -- test support ---------------------------------------------------------

    def _push_app_configs(self, configs):
        self.stored_app_configs.append(self.app_configs)
        self.app_configs = configs
        self.clear_cache()

    def _pop_app_configs(self):
        self.app_configs = self.stored_app_configs.pop()
        self.clear_cache()

    def set_installed_apps(self, installed):
        """Replace the installed apps with ``installed`` (restore with unset_installed_apps()).

        Used by override_settings(INSTALLED_APPS=...). Models already
        registered for the new labels stay registered.
        """
        if not self.ready:
            raise AppRegistryNotReady("App registry isn't ready yet.")
        self._push_app_configs({})
        # populate() only runs on a registry that is not ready.
        self.apps_ready = self.models_ready = self.ready = False
        try:
            self.populate(installed)
        except Exception:
            # Leave the registry as it was rather than half-populated.
            self.unset_installed_apps()
            raise

    def unset_installed_apps(self):
        """Undo the last set_installed_apps()."""
        self.apps_ready = self.models_ready = self.ready = True
        self._pop_app_configs()

    def set_available_apps(self, available):
        """Restrict the installed apps to the names in ``available`` (a subset)."""
        wanted = set(available)
        unknown = wanted.difference(config.name for config in self.get_app_configs())
        if unknown:
            raise ValueError(
                "Available apps isn't a subset of installed apps, extra apps: %s"
                % ", ".join(sorted(unknown))
            )
        self._push_app_configs(
            {label: c for label, c in self.app_configs.items() if c.name in wanted}
        )

    def unset_available_apps(self):
        """Undo the last set_available_apps()."""
        self._pop_app_configs()

    def clear_cache(self):
        """Forget cached model lists (and each model's cached _meta data)."""
        self._models_cache.clear()
        if not self.ready:
            return
        # Models' _meta caches (e.g. reverse relations) depend on the whole
        # set of installed models.
        for config in self.app_configs.values():
            for model in config.get_models(include_auto_created=True):
                expire = getattr(model._meta, "_forget_derived", None)
                if expire is not None:
                    expire()

    # -- lazy model operations ----------------------------------------------

    def lazy_model_operation(self, function, *model_keys):
        """Call ``function(*models)`` once every ``(app_label, model_name)`` is registered.

        Runs immediately when they already are. Used to resolve relations
        to models that are defined later.
        """
        keys = [(key[0], key[1].lower()) for key in model_keys]

        def resume(found):
            # Resolve the remaining keys in order; park on the first model
            # that does not exist yet and continue when it is registered.
            for key in keys[len(found):]:
                try:
                    model = self.get_registered_model(*key)
                except LookupError:
                    self._waiting_for_model[key].append(
                        lambda model, found=found: resume([*found, model])
                    )
                    return
                found = [*found, model]
            function(*found)

        resume([])

    def do_pending_operations(self, model):
        """Run the operations waiting for ``model`` (called by register_model())."""
        key = (model._meta.app_label, model._meta.model_name)
        for callback in self._waiting_for_model.pop(key, ()):
            callback(model)


# The global registry, populated by django.setup().
apps = Apps(installed_apps=None)
