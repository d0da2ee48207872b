from django.apps import AppConfig

READY_CALLS = []


class ConfiguredAppConfig(AppConfig):
    name = __package__
    label = "fnd_configured"
    verbose_name = "Configured app"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        READY_CALLS.append(self.label)


class ClashingLabelConfig(AppConfig):
    """Not picked automatically; installed explicitly to provoke a label clash."""

    default = False
    name = __package__.rpartition(".")[0] + ".plain_app"
    label = "fnd_configured"


class NamelessConfig(AppConfig):
    default = False


class BadNameConfig(AppConfig):
    default = False
    name = "foundation_no_such_app_module_xyz"


class NotAConfig:
    pass
