"""Model signals.

``ModelSignal`` accepts a lazy ``sender="app_label.ModelName"`` string: the
receiver is connected as soon as that model class is registered.
"""
from functools import partial

from django.dispatch import Signal

__all__ = [
    "ModelSignal", "class_prepared", "pre_init", "post_init", "pre_save",
    "post_save", "pre_delete", "post_delete", "m2m_changed", "pre_migrate",
    "post_migrate", "post_syncdb",
]

class_prepared = Signal()


class ModelSignal(Signal):
    """A signal whose ``sender`` may be given as an ``"app_label.Model"`` string."""

    def _lazy_method(self, method, apps, receiver, sender, **kwargs):
        partial_method = partial(method, receiver, **kwargs)
        if isinstance(sender, str):
            if apps is None:
                from django.apps import apps as global_apps

                apps = global_apps
            try:
                app_label, model_name = sender.split(".")
            except ValueError:
                raise ValueError(
                    "Invalid model reference %r: a lazy signal sender must be "
                    "'app_label.ModelName'." % sender
                )
            apps.lazy_model_operation(partial_method, (app_label, model_name.lower()))
        else:
            return partial_method(sender)

    def connect(self, receiver, sender=None, weak=True, dispatch_uid=None, apps=None):
        self._lazy_method(super().connect, apps, receiver, sender,
                          weak=weak, dispatch_uid=dispatch_uid)

    def disconnect(self, receiver=None, sender=None, dispatch_uid=None, apps=None):
        # Disconnecting from a model not loaded yet is deferred like connect.
        return self._lazy_method(super().disconnect, apps, receiver, sender,
                                 dispatch_uid=dispatch_uid)


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
