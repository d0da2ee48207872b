"""Project settings, read lazily.

``settings`` is configured either from the module named by the
``DJANGO_SETTINGS_MODULE`` environment variable (on first attribute access)
or, once, by ``settings.configure(**options)``.

Temporarily overriding settings (for ``override_settings``)
-----------------------------------------------------------
``settings._wrapped`` is the object that holds the values. To override::

    from django.conf import UserSettingsHolder, settings
    saved = settings._wrapped
    holder = UserSettingsHolder(saved)     # falls back to the saved values
    setattr(holder, "DEBUG", True)         # the overrides
    settings._wrapped = holder
    try:
        ...
    finally:
        settings._wrapped = saved

Assigning ``settings._wrapped`` is the supported way to swap; it never
re-reads DJANGO_SETTINGS_MODULE.
"""
import importlib
import os

from . import global_settings
from django.conf.databases import settle_databases
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import LazyObject, empty

ENVIRONMENT_VARIABLE = "DJANGO_SETTINGS_MODULE"

# Settings that must hold a list or tuple of strings.
_SEQUENCE_SETTINGS = (
    "INSTALLED_APPS",
    "FIXTURE_DIRS",
    "AUTHENTICATION_BACKENDS",
    "SILENCED_SYSTEM_CHECKS",
)


def _validate(name, value):
    """Raise ImproperlyConfigured if ``value`` has the wrong type for ``name``."""
    if name in _SEQUENCE_SETTINGS and not isinstance(value, (list, tuple)):
        raise ImproperlyConfigured(
            "The %s setting must be a list or a tuple, not %s." % (name, type(value).__name__)
        )
    if name == "DATABASE_OPTIONS" and not isinstance(value, dict):
        raise ImproperlyConfigured(
            "The DATABASE_OPTIONS setting must be a dict, not %s." % type(value).__name__
        )


class SettingsImportError(ImproperlyConfigured, ImportError):
    """DJANGO_SETTINGS_MODULE names a module that cannot be imported.

    Both an ImproperlyConfigured and an ImportError, so callers may catch
    either; the original ImportError is kept as ``__cause__``.
    """


def _uppercase_names(source):
    """Setting names defined on ``source`` (settings are the UPPERCASE attributes)."""
    return [name for name in dir(source) if name.isupper()]


class LazySettings(LazyObject):
    """The ``settings`` proxy: configures itself on first use.

    Values read through the proxy are memoised in its own ``__dict__`` (the
    hot path is a plain attribute hit); every write, delete or swap of
    ``_wrapped`` drops the affected memoised values.
    """

    # Settings are read on every statement (DEBUG, USE_TZ): reads go
    # straight to the memoised value, without LazyObject's check for
    # operator names (settings support no operators).
    __getattribute__ = object.__getattribute__

    def _setup(self, name=None):
        module_path = os.environ.get(ENVIRONMENT_VARIABLE)
        if module_path:
            self._wrapped = Settings(module_path)
            return
        requested = "setting %s" % name if name else "settings"
        raise ImproperlyConfigured(
            "Requested %s, but settings are not configured. You must either "
            "define the environment variable %s or call settings.configure() "
            "before accessing settings." % (requested, ENVIRONMENT_VARIABLE)
        )

    def __repr__(self):
        if not self.configured:
            return "<LazySettings [Unevaluated]>"
        return '<LazySettings "%s">' % self._wrapped.SETTINGS_MODULE

    def __getattr__(self, name):
        # Only reached when ``name`` is not memoised yet.
        if self._wrapped is empty:
            self._setup(name)
        self.__dict__[name] = found = getattr(self._wrapped, name)
        return found

    def _forget(self, name):
        stale = list(self.__dict__) if name == "_wrapped" else [name]
        for key in stale:
            self.__dict__.pop(key, None)

    def __setattr__(self, name, value):
        self._forget(name)
        super().__setattr__(name, value)

    def __delattr__(self, name):
        super().__delattr__(name)
        self._forget(name)

    def configure(self, default_settings=global_settings, **options):
        """Configure settings by hand instead of via DJANGO_SETTINGS_MODULE.

        Allowed once, and only if settings were not configured yet.
        """
        if self.configured:
            raise RuntimeError("Settings already configured.")
        holder = _holder_with(default_settings, options)
        settle_databases(holder, set(options))
        self._wrapped = holder

    @property
    def configured(self):
        """True once settings have been configured (either way)."""
        return self._wrapped is not empty


class Settings:
    """Settings read from a settings module on top of global_settings."""

    def __init__(self, settings_module):
        self.SETTINGS_MODULE = settings_module
        # Start from every default, then let the module replace some.
        for name in _uppercase_names(global_settings):
            setattr(self, name, getattr(global_settings, name))
        try:
            module = importlib.import_module(settings_module)
        except ImportError as err:
            raise SettingsImportError(
                "Could not import the settings module %r named by %s: %s"
                % (settings_module, ENVIRONMENT_VARIABLE, err),
                name=settings_module,
            ) from err
        # Remembered for is_overridden().
        explicit = {name: getattr(module, name) for name in _uppercase_names(module)}
        for name, value in explicit.items():
            _validate(name, value)
        self.__dict__.update(explicit)
        self._module_settings = set(explicit)
        settle_databases(self, self._module_settings)

    def is_overridden(self, setting):
        return setting in self._module_settings

    def __repr__(self):
        return '<%s "%s">' % (type(self).__name__, self.SETTINGS_MODULE)


def _holder_with(default_settings, values):
    """A UserSettingsHolder over ``default_settings`` carrying ``values``."""
    lowercase = [name for name in values if not name.isupper()]
    if lowercase:
        raise TypeError("Setting %r must be uppercase." % lowercase[0])
    holder = UserSettingsHolder(default_settings)
    for name in values:
        setattr(holder, name, values[name])  # validates each value
    return holder


class UserSettingsHolder:
    """Settings given explicitly, falling back to ``default_settings``.

    Used by ``settings.configure()`` and to layer overrides on top of the
    current settings (see the module docstring).  Deleting a setting hides
    the default too, so ``del holder.X`` makes ``X`` look unset.
    """

    SETTINGS_MODULE = None

    def __init__(self, default_settings):
        # Written around __setattr__, which validates and needs _hidden.
        object.__setattr__(self, "default_settings", default_settings)
        object.__setattr__(self, "_hidden", set())

    def __getattr__(self, name):
        # Only reached for names not set on the holder itself.
        if name.isupper() and name not in self._hidden:
            return getattr(self.default_settings, name)
        raise AttributeError(name)

    def __setattr__(self, name, value):
        if name.isupper():
            _validate(name, value)
        self._hidden.discard(name)  # assigning again undoes a deletion
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        # Hide the default as well as any value set here.
        self._hidden.add(name)
        vars(self).pop(name, None)

    def __dir__(self):
        return sorted((set(vars(self)) | set(dir(self.default_settings))) - self._hidden)

    def is_overridden(self, setting):
        if setting in self._hidden or setting in vars(self):
            return True
        delegate = getattr(self.default_settings, "is_overridden", None)
        return bool(delegate and delegate(setting))

    def __repr__(self):
        return "<%s>" % type(self).__name__


settings = LazySettings()
