"""Users, groups and permissions.

The entry points live here so that callers need not know which backend
or user model is configured: ``authenticate()`` tries the backends of
AUTHENTICATION_BACKENDS in order, ``get_user_model()`` resolves
AUTH_USER_MODEL, ``get_backends()``/``load_backend()`` instantiate backends.
"""
import inspect

from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.module_loading import import_string

__all__ = ["authenticate", "get_user_model", "get_backends", "load_backend", "SiteProfileNotAvailable"]

BACKEND_SESSION_KEY = "_auth_user_backend"


class SiteProfileNotAvailable(Exception):
    """AUTH_PROFILE_MODULE is unset or names no installed model."""


def load_backend(path):
    """An instance of the backend class at dotted ``path``."""
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            "AUTHENTICATION_BACKENDS entry %r cannot be imported: %s" % (path, exc)
        ) from exc
    return backend_class()


def _backend_paths():
    paths = list(getattr(settings, "AUTHENTICATION_BACKENDS", None) or ())
    if not paths:
        raise ImproperlyConfigured(
            "No authentication backends have been defined. Does "
            "AUTHENTICATION_BACKENDS contain anything?"
        )
    return paths


def get_backends():
    """Fresh instances of every AUTHENTICATION_BACKENDS entry, in order."""
    return [load_backend(path) for path in _backend_paths()]


def _accepts(backend, request, credentials):
    # Backends declare the credentials they understand in their signature;
    # one that cannot take these is skipped rather than called with them.
    try:
        inspect.signature(backend.authenticate).bind(request, **credentials)
    except TypeError:
        return False
    return True


def authenticate(request=None, **credentials):
    """The user the first willing backend recognises from ``credentials``
    (with that backend's dotted path in ``user.backend``), else None.

    A backend raising PermissionDenied vetoes: no later backend is tried."""
    # Instantiate them all first: a broken entry is reported even when an
    # earlier backend would have recognised the user.
    candidates = [(path, load_backend(path)) for path in _backend_paths()]
    answers = (
        (path, backend.authenticate(request, **credentials))
        for path, backend in candidates
        if _accepts(backend, request, credentials)
    )
    try:
        path, user = next((answer for answer in answers if answer[1] is not None), (None, None))
    except PermissionDenied:
        return None  # a veto: the backends after this one are not asked
    if user is not None:
        user.backend = path
    return user


def get_user_model():
    """The model class AUTH_USER_MODEL ('app_label.ModelName') names."""
    label = getattr(settings, "AUTH_USER_MODEL", "auth.User")
    try:
        return django_apps.get_model(label, require_ready=False)
    except ValueError:
        problem = "AUTH_USER_MODEL must be of the form 'app_label.model_name', got %r."
    except LookupError:
        problem = "AUTH_USER_MODEL refers to model %r that has not been installed."
    raise ImproperlyConfigured(problem % (label,))
