"""The built-in ``models`` check: ask every installed model for its problems."""
from itertools import chain

from django.core.checks.registry import Tags, register


@register(Tags.models)
def check_all_models(app_configs=None, **kwargs):
    """Collect ``Model.check()`` results for the given apps (default: all).

    Models without a ``check()`` classmethod fall back to checking each of
    their local fields' ``check()``.
    """
    from django.apps import apps

    configs = apps.get_app_configs() if app_configs is None else app_configs
    models = chain.from_iterable(config.get_models() for config in configs)
    errors = []
    for model in models:
        check = getattr(model, "check", None)
        if callable(check):
            errors.extend(check(**kwargs))
            continue
        for field in getattr(model._meta, "local_fields", ()):
            field_check = getattr(field, "check", None)
            if callable(field_check):
                errors.extend(field_check(**kwargs))
    return errors
