"""Wiring of the auth application: default permissions follow syncdb."""
from django.apps import AppConfig
from django.db.models import signals as model_signals


class AuthConfig(AppConfig):
    name = "django.contrib.auth"
    label = "auth"
    verbose_name = "Authentication and Authorization"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        # Imported here: the management module needs the models loaded.
        from django.contrib.auth.management import post_migrate_create_permissions

        # Each model gets add/change/delete/view permissions once its
        # table exists, i.e. after syncdb (or a flush) has run.
        model_signals.post_migrate.connect(
            post_migrate_create_permissions,
            dispatch_uid="django.contrib.auth.management.create_permissions",
        )
