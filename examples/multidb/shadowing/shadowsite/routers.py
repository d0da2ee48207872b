"""Shadowing: local tables that override some tables of a read-only snapshot.

A model named in ``settings.SHADOWED_MODELS`` is read and written on
``default``, the local database; every other model is read from
``snapshot``, and written there too: the snapshot's connection is
read-only, so the database itself refuses the write, whoever sends it
(the router's answer, or ``using("snapshot")``).

(Why not raise here instead? Routers are asked ``db_for_write`` about every
model by more than writes -- ``manage.py check`` asks it to compare where
related models are written -- so the refusal belongs to the connection.)
"""
from django.conf import settings


def is_shadowed(app_label, model_name):
    return f"{app_label}.{model_name}" in settings.SHADOWED_MODELS


def database_for(model):
    return "default" if is_shadowed(model._meta.app_label, model._meta.model_name) else "snapshot"


class ShadowRouter:
    def db_for_read(self, model, **hints):
        return database_for(model)

    def db_for_write(self, model, **hints):
        return database_for(model)

    def allow_relation(self, obj1, obj2, **hints):
        # A local price points at a snapshot product: the point of shadowing.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == "default":
            # Only the shadowing tables are local.
            return is_shadowed(app_label, model_name)
        # The snapshot (and snapshot_build, its writable twin) has the whole schema.
        return True
