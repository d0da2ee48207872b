"""The ``cross_database`` check: foreign key constraints the routers make wrong.

When the routers put a model's rows on one database and the model its
foreign key points to on another, the key names rows the source database
does not hold. A REFERENCES constraint there refuses every such row (or, if
the target's table is absent, cannot be created at all). ``syncdb`` already
leaves the constraint out where a router's ``allow_migrate`` keeps the target
off the database (django.db.backends.base.schema), but a router that only
answers ``db_for_write`` gives syncdb nothing to go on; so this check names
every relation that still declares ``db_constraint=True`` although

* ``db_for_write`` sends the two models to different databases, or
* ``allow_migrate`` refuses the target on the source's write database,

and suggests ``db_constraint=False`` (fields.W380, a warning: the routers may
be right and the relation never used across databases).

The routers are asked with model classes and no hints, once per relation;
with no routers nothing is asked and the check costs a loop over fields.
"""
from itertools import chain

from django.core.checks.messages import Warning
from django.core.checks.registry import Tags, register

CHECK_ID = "fields.W380"


@register(Tags.models, Tags.database)
def check_cross_database_constraints(app_configs=None, **kwargs):
    from django.apps import apps
    from django.db import router

    try:
        if not (router.defines("db_for_write") or router.defines("allow_migrate")):
            return []
    except Exception:
        # DATABASE_ROUTERS cannot be loaded (ImproperlyConfigured, or a
        # router class's own error): routers.E001-E003 report it.
        return []
    configs = apps.get_app_configs() if app_configs is None else app_configs
    models = chain.from_iterable(config.get_models(include_auto_created=True) for config in configs)
    warnings = []
    for model in models:
        for field in model._meta.local_fields:
            if _declares_constraint(field):
                try:
                    warning = _split_relation_warning(router, model, field)
                except Exception:
                    # A router that places writes by the instance (sharding
                    # by a key on it) cannot answer for a bare model; the
                    # check has nothing to judge, and must not crash check.
                    continue
                if warning is not None:
                    warnings.append(warning)
    return warnings


def _declares_constraint(field):
    rel = getattr(field, "remote_field", None)
    return (rel is not None and field.concrete and getattr(field, "db_constraint", False)
            and not isinstance(rel.model, str))


def _split_relation_warning(router, model, field):
    """A Warning when the routers put ``field``'s two ends apart, else None."""
    target = field.remote_field.model._meta.concrete_model
    source_db = router.db_for_write(model)
    target_db = router.db_for_write(target)
    if source_db == target_db and router.allow_migrate_model(source_db, target) is not False:
        return None
    declared, obj = _declaring_field(model, field)
    if source_db != target_db:
        where = "the routers write %s to '%s' and %s to '%s'" % (
            model._meta.label, source_db, target._meta.label, target_db)
    else:
        where = "the routers write %s to '%s' but keep %s off that database" % (
            model._meta.label, source_db, target._meta.label)
    return Warning(
        "%s keeps its foreign key constraint, but %s." % (declared, where),
        hint="Rows on '%s' may name %s rows that exist only on another database: pass "
             "db_constraint=False to %s." % (source_db, target._meta.label, declared),
        obj=obj,
        id=CHECK_ID,
    )


def _declaring_field(model, field):
    """``(label, field)`` of the field a user declared: ``field`` itself, or
    for an auto-created many-to-many table, the ManyToManyField that owns
    it (its db_constraint is where the table's keys get theirs)."""
    owner = model._meta.auto_created
    if owner:
        for m2m in owner._meta.local_many_to_many:
            if m2m.remote_field.through is model:
                return "%s.%s" % (owner._meta.label, m2m.name), m2m
    return "%s.%s" % (model._meta.label, field.name), field
