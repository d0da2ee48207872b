"""Small helpers shared by the model layer."""


def make_model_tuple(model):
    """Return ``(app_label, model_name)`` for a model class or an
    ``"app_label.ModelName"`` string (the model name lower-cased)."""
    if isinstance(model, tuple):
        return model
    if isinstance(model, str):
        app_label, dot, model_name = model.partition(".")
        if dot and app_label and model_name and "." not in model_name:
            return app_label, model_name.lower()
    elif hasattr(model, "_meta"):
        return model._meta.app_label, model._meta.model_name
    raise ValueError(
        "Invalid model reference '%s'. String model references must be of "
        "the form 'app_label.ModelName'." % (model,)
    )


def checked_against(instance, model):
    """The alias full_clean() checks ``instance`` against (unique values,
    foreign key targets of ``model``): the database the instance was loaded
    from or saved to, else where the routers send ``model``'s reads, hinted
    with the instance ('default' without routers)."""
    alias = instance._state.db
    if alias is None:
        # Imported here: with a module-level import, callgrind counted
        # create() and get() (W1/W5) ~1% dearer although neither calls
        # this (code layout, most likely). Measure before moving it.
        from django.db import router

        alias = router.route_read(model, {"instance": instance})
    return alias


def resolve_callables(mapping):
    """Yield ``(key, value)`` pairs, calling the callable values."""
    for key, value in mapping.items():
        yield key, value() if callable(value) else value


class AltersData:
    """Mark methods that alter data so templates would refuse to call them."""

    def __init_subclass__(cls, **kwargs):
        for name, method in list(vars(cls).items()):
            if name in ("save", "delete", "create", "update", "get_or_create",
                        "update_or_create", "bulk_create", "bulk_update"):
                if callable(method) and not hasattr(method, "alters_data"):
                    try:
                        method.alters_data = True
                    except AttributeError:
                        pass
        super().__init_subclass__(**kwargs)
