"""Wiring of the contenttypes application.

The ContentType manager caches rows; every code path that can create or
remove rows behind its back gets a receiver here.  (Settings changes made
by the test framework are handled in ``django.test.signals``: contrib does
not depend on the test layer.)
"""
from django.apps import AppConfig
from django.db.models import signals as model_signals


class ContentTypesConfig(AppConfig):
    name = "django.contrib.contenttypes"
    label = "contenttypes"
    verbose_name = "Content Types"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from django.contrib.contenttypes import management as hooks

        content_type = self.get_model("ContentType")
        # (signal, receiver, sender or None, dispatch_uid)
        wiring = (
            (model_signals.post_save, hooks.contenttype_saved, content_type,
             "contenttypes.saved"),
            (model_signals.post_delete, hooks.contenttype_deleted, content_type,
             "contenttypes.deleted"),
            # syncdb may drop rows the cache still knows: forget them before
            # it runs; post_migrate (syncdb and flush) clears again at its
            # first application and then creates whatever is missing.
            (model_signals.pre_migrate, hooks.clear_contenttype_cache, None,
             "contenttypes.clear_cache.pre"),
            (model_signals.post_migrate, hooks.post_migrate_create_contenttypes, None,
             "contenttypes.create_contenttypes"),
        )
        for signal, handler, sender, uid in wiring:
            signal.connect(handler, sender=sender, dispatch_uid=uid)
