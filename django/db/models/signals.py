"""Model signals.

``ModelSignal`` accepts a lazy ``sender="app_label.ModelName"`` string: the
receiver is connected as soon as that model class is registered.
"""
from django.dispatch import Signal

__all__ = [
    "ModelSignal", "class_prepared", "pre_init", "post_init", "pre_save",
    "post_save", "pre_delete", "post_delete", "m2m_changed", "pre_migrate",
    "post_migrate", "post_syncdb",
]

class_prepared = Signal()


class ModelSignal(Signal):
    """A signal whose ``sender`` may be given as an ``"app_label.Model"`` string.

    Connecting (or disconnecting) with such a string waits until that model
    is registered in ``apps`` (the global registry by default).
    """

    def connect(self, receiver, sender=None, weak=True, dispatch_uid=None, apps=None):
        connect = super().connect
        _for_model(sender, apps, lambda model: connect(receiver, model, weak, dispatch_uid))

    def disconnect(self, receiver=None, sender=None, dispatch_uid=None, apps=None):
        disconnect = super().disconnect
        return _for_model(sender, apps, lambda model: disconnect(receiver, model, dispatch_uid))


def _for_model(sender, apps, action):
    """``action(sender)`` now; for an "app_label.Model" string, once that model exists.

    Only the immediate call has a result to return.
    """
    if not isinstance(sender, str):
        return action(sender)
    app_label, model_name = _split_model_reference(sender)
    if apps is None:
        from django.apps import apps
    apps.lazy_model_operation(action, (app_label, model_name))
    return None


def _split_model_reference(reference):
    parts = reference.split(".")
    if len(parts) != 2 or not all(parts):
        raise ValueError(
            "Invalid model reference %r: a lazy signal sender must be "
            "'app_label.ModelName'." % reference
        )
    return parts


# Model signals fire on every instance created, saved or deleted, so each
# caches which receivers apply to a sender.
pre_init, post_init, pre_save, post_save, pre_delete, post_delete, m2m_changed = (
    ModelSignal(use_caching=True) for _signal in range(7)
)

# Sent by syncdb/migrate (and flush) once per installed app, with
# ``app_config``, ``verbosity`` and ``interactive`` arguments.
pre_migrate = Signal()
post_migrate = Signal()
# The pre-1.7 name of the same signal.
post_syncdb = post_migrate
