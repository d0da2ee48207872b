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

from django.conf import global_settings
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


class LazySettings(LazyObject):
    """The ``settings`` proxy: configures itself on first use."""

    def _setup(self, name=None):
        settings_module = os.environ.get(ENVIRONMENT_VARIABLE)
        if not settings_module:
            desc = ("setting %s" % name) if name else "settings"
            raise ImproperlyConfigured(
                "Requested %s, but settings are not configured. You must either "
                "define the environment variable %s or call settings.configure() "
                "before accessing settings." % (desc, ENVIRONMENT_VARIABLE)
            )
        self._wrapped = Settings(settings_module)

    def __repr__(self):
        if self._wrapped is empty:
            return "<LazySettings [Unevaluated]>"
        return '<LazySettings "%s">' % self._wrapped.SETTINGS_MODULE

    def __getattr__(self, name):
        if (_wrapped := self._wrapped) is empty:
            self._setup(name)
            _wrapped = self._wrapped
        value = getattr(_wrapped, name)
        # Cache on the proxy for speed; __setattr__/__delattr__ and swapping
        # _wrapped clear the cache.
        self.__dict__[name] = value
        return value

    def __setattr__(self, name, value):
        if name == "_wrapped":
            self.__dict__.clear()
        else:
            self.__dict__.pop(name, None)
        super().__setattr__(name, value)

    def __delattr__(self, name):
        super().__delattr__(name)
        self.__dict__.pop(name, None)

    def configure(self, default_settings=global_settings, **options):
        """Configure settings by hand instead of via DJANGO_SETTINGS_MODULE.

        Allowed once, and only if settings were not configured yet.
        """
        if self._wrapped is not empty:
            raise RuntimeError("Settings already configured.")
        holder = UserSettingsHolder(default_settings)
        for name, value in options.items():
            if not name.isupper():
                raise TypeError("Setting %r must be uppercase." % name)
            setattr(holder, name, value)
        self._wrapped = holder

    @property
    def configured(self):
        """True once settings have been configured (either way)."""
        return self._wrapped is not empty


class Settings:
    """Settings read from a settings module on top of global_settings."""

    def __init__(self, settings_module):
        for name in dir(global_settings):
            if name.isupper():
                setattr(self, name, getattr(global_settings, name))

        self.SETTINGS_MODULE = settings_module
        try:
            module = importlib.import_module(settings_module)
        except ImportError as err:
            raise SettingsImportError(
                "Could not import the settings module %r named by %s: %s"
                % (settings_module, ENVIRONMENT_VARIABLE, err),
                name=settings_module,
            ) from err

        self._explicit_settings = set()
        for name in dir(module):
            if name.isupper():
                value = getattr(module, name)
                _validate(name, value)
                setattr(self, name, value)
                self._explicit_settings.add(name)

    def is_overridden(self, setting):
        return setting in self._explicit_settings

    def __repr__(self):
        return '<%s "%s">' % (type(self).__name__, self.SETTINGS_MODULE)


class UserSettingsHolder:
    """Settings given explicitly, falling back to ``default_settings``.

    Used by ``settings.configure()`` and to layer overrides on top of the
    current settings (see the module docstring).
    """

    SETTINGS_MODULE = None

    def __init__(self, default_settings):
        self.__dict__["_deleted"] = set()
        self.default_settings = default_settings

    def __getattr__(self, name):
        if not name.isupper() or name in self._deleted:
            raise AttributeError(name)
        return getattr(self.default_settings, name)

    def __setattr__(self, name, value):
        if name.isupper():
            _validate(name, value)
        self._deleted.discard(name)
        super().__setattr__(name, value)

    def __delattr__(self, name):
        self._deleted.add(name)
        if hasattr(self, name):
            super().__delattr__(name)

    def __dir__(self):
        return sorted(
            name
            for name in [*self.__dict__, *dir(self.default_settings)]
            if name not in self._deleted
        )

    def is_overridden(self, setting):
        deleted = setting in self._deleted
        set_locally = setting in self.__dict__
        set_on_default = getattr(self.default_settings, "is_overridden", lambda s: False)(setting)
        return deleted or set_locally or set_on_default

    def __repr__(self):
        return "<%s>" % type(self).__name__


settings = LazySettings()
