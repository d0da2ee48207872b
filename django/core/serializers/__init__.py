"""Serialize model instances to text formats and back.

::

    from django.core import serializers

    text = serializers.serialize("json", Book.objects.all(), indent=2)
    for deserialized in serializers.deserialize("json", text):
        deserialized.save()

Built-in formats: ``json``, ``jsonl`` and ``python`` (internal: lists of
dicts).  More are added with the ``SERIALIZATION_MODULES`` setting
(``{"format": "dotted.module"}``) or :func:`register_serializer`; a module
provides ``Serializer`` and ``Deserializer`` classes.
"""
from importlib import import_module

from django.conf import settings
from django.core.serializers.base import SerializerDoesNotExist

__all__ = [
    "SerializerDoesNotExist", "register_serializer", "unregister_serializer",
    "get_serializer", "get_serializer_formats", "get_public_serializer_formats",
    "get_deserializer", "serialize", "deserialize", "sort_dependencies",
]

# Formats that need no setting: name -> module path.
BUILTIN_SERIALIZERS = {
    name: "django.core.serializers." + name for name in ("python", "json", "jsonl")
}

# The registry: format name -> module (filled on first use).
_loaded_formats = {}


def _import_format(module_path):
    """The module of a format; if it cannot be imported, a stand-in whose
    classes raise the import error when used (other formats keep working)."""
    try:
        return import_module(module_path)
    except ImportError as exc:
        error = exc  # "exc" itself is unbound once the except block ends

        def unusable(*args, **kwargs):
            raise error

        unusable.internal_use_only = False
        return type("UnusableFormat", (), {"Serializer": unusable, "Deserializer": unusable})


def _formats():
    """The registry, filled first with the built-in formats and then those
    of the SERIALIZATION_MODULES setting (which may replace them)."""
    if not _loaded_formats:
        configured = getattr(settings, "SERIALIZATION_MODULES", None) or {}
        modules = {**BUILTIN_SERIALIZERS, **configured}
        _loaded_formats.update((name, _import_format(path)) for name, path in modules.items())
    return _loaded_formats


def register_serializer(format, serializer_module, serializers=None):
    """Register the module path ``serializer_module`` for ``format`` (in
    ``serializers`` if given, else in the global registry)."""
    target = _formats() if serializers is None else serializers
    target[format] = _import_format(serializer_module)


def unregister_serializer(format):
    """Remove ``format`` from the registry (SerializerDoesNotExist if absent)."""
    registry = _formats()
    if format not in registry:
        raise SerializerDoesNotExist(format)
    registry.pop(format)


def _module(format):
    registry = _formats()
    if format in registry:
        return registry[format]
    raise SerializerDoesNotExist(
        "Unknown serialization format '%s'. Choices are: %s." % (format, ", ".join(sorted(registry)))
    )


def get_serializer(format):
    """The Serializer class of ``format``."""
    return _module(format).Serializer


def get_deserializer(format):
    """The Deserializer class of ``format``."""
    return _module(format).Deserializer


def get_serializer_formats():
    """Every registered format name."""
    return list(_formats())


def get_public_serializer_formats():
    """The formats meant for users (not ``python``)."""
    return [name for name, module in _formats().items() if not module.Serializer.internal_use_only]


def serialize(format, queryset, **options):
    """Serialize ``queryset`` (any iterable of instances) to ``format``.

    Returns the text, or writes it to ``stream=`` and returns None.
    """
    return get_serializer(format)().serialize(queryset, **options)


def deserialize(format, stream_or_string, **options):
    """An iterator of DeserializedObject read from a stream or a string."""
    return get_deserializer(format)(stream_or_string, **options)


def _natural_key_dependencies(model):
    """Models that must be loaded before ``model`` when natural keys are used."""
    deps = []
    natural_key = getattr(model, "natural_key", None)
    for label in getattr(natural_key, "dependencies", ()):
        deps.append(model._meta.apps.get_model(label))
    for field in model._meta.fields:
        remote = getattr(field, "remote_field", None)
        if remote is not None and hasattr(remote.model, "natural_key") and remote.model is not model:
            deps.append(remote.model)
    for field in model._meta.many_to_many:
        remote = field.remote_field
        through = getattr(remote, "through", None)
        if through is not None and through._meta.auto_created:
            if hasattr(remote.model, "natural_key") and remote.model is not model:
                deps.append(remote.model)
    return deps


def sort_dependencies(app_list, allow_cycles=False):
    """Order models so that those a natural key refers to come first.

    ``app_list`` is an iterable of ``(app_config, models or None)``; None
    means all the app's models.  Models keep their given order where no
    dependency forces otherwise.  A dependency cycle raises RuntimeError
    unless ``allow_cycles``, when the cycle's models are appended as they
    are.
    """
    models = []
    for config, chosen in app_list:
        for model in config.get_models() if chosen is None else chosen:
            if model not in models:
                models.append(model)
    deps = {model: [d for d in _natural_key_dependencies(model) if d in models] for model in models}
    ordered = []
    pending = list(models)
    while pending:
        ready = [m for m in pending if all(d in ordered for d in deps[m])]
        if not ready:
            if allow_cycles:
                ordered.extend(pending)
                break
            raise RuntimeError(
                "Can't resolve dependencies for %s in serialized app list."
                % ", ".join(sorted(m._meta.label for m in pending))
            )
        for model in ready:
            ordered.append(model)
            pending.remove(model)
    return ordered
