"""
bulk_create() and bulk_update(): many objects, few statements.

``insert_many()`` (QuerySet.bulk_create) INSERTs unsaved instances in
batches, all inside one transaction. The objects are split in two groups
that need different statements: those with a key (given, or the key
field's default, e.g. a UUID) insert every column; those without one
leave the auto field out, and get the keys the database generated where
the backend returns them (``can_return_rows_from_bulk_insert``; never
when conflicts are ignored, since rows may then be missing).

``update_many()`` (QuerySet.bulk_update) writes the given fields of saved
instances with one UPDATE per batch, each column set to a CASE on the
primary key: ``SET col = CASE WHEN pk = 1 THEN .. WHEN pk = 2 THEN .. END
WHERE pk IN (1, 2)``.

A batch is as large as the caller asked and the backend accepts
(``ops.bulk_batch_size()``, a limit on parameters per statement).
"""
import itertools
import operator

from django.db.models.expressions import Case, Value, When
from django.db.models.fields.storage_checks import refuse_unsavable
from django.db import connections
from django.db.utils import NotSupportedError


def check_batch_size(batch_size):
    if batch_size is not None and not (isinstance(batch_size, int) and batch_size > 0):
        raise ValueError("Batch size must be a positive integer.")


def batches(objs, backend_limit, requested):
    """Slices of ``objs`` of the requested size, capped by the backend's."""
    size = max(backend_limit, 1)
    if requested:
        size = min(size, requested)
    return [objs[start : start + size] for start in range(0, len(objs), size)]


# -- bulk_create ------------------------------------------------------------------

def insert_many(queryset, objs, batch_size=None, ignore_conflicts=False):
    """QuerySet.bulk_create(): see the module docstring."""
    check_batch_size(batch_size)
    model = queryset.model
    _refuse_multi_table(model._meta)
    objs = list(objs)
    if not objs:
        return objs
    if not all(map(isinstance, objs, itertools.repeat(model))):  # a C-level loop
        stranger = next(obj for obj in objs if not isinstance(obj, model))
        raise TypeError(
            f"bulk_create() expected {model._meta.object_name} instances, got {stranger!r}."
        )
    # The write database: decided before anything reads queryset.db.
    queryset._for_write = True
    alias = queryset.db
    db = connections[alias]
    on_conflict = None
    if ignore_conflicts:
        if not getattr(db.features, "supports_ignore_conflicts", True):
            raise NotSupportedError("This database backend does not support ignoring conflicts.")
        on_conflict = "ignore"
    keyed, unkeyed = _split_by_key(model, objs)
    columns = model._meta.concrete_fields
    from django.db import transaction

    with transaction.atomic(using=alias, savepoint=False):
        if model._meta.order_with_respect_to is not None:
            from django.db.models.order_wrt import number_bulk_rows

            number_bulk_rows(model, alias, objs)
        if keyed:
            _insert_group(queryset, keyed, columns, True, batch_size, on_conflict)
        if unkeyed:
            generated = [field for field in columns if not _is_generated_key(field)]
            _insert_group(queryset, unkeyed, generated, False, batch_size, on_conflict)
    return objs


def _refuse_multi_table(opts):
    # A multi-table child spans several tables: its parent rows would need
    # their own INSERTs and returned keys.
    for parent in getattr(opts, "parents", None) or {}:
        if parent._meta.concrete_model is not opts.concrete_model:
            raise ValueError(
                f"Can't bulk create a multi-table inherited model ({opts.object_name})."
            )
    if opts.proxy:
        raise ValueError(
            f"Can't bulk create a proxy model ({opts.object_name}); use the concrete model "
            f"{opts.concrete_model._meta.object_name} instead."
        )


def _split_by_key(model, objs):
    """(the objects with a key, those without). An unset key takes the key
    field's default first, if it has one (auto keys have none)."""
    pk = model._meta.pk
    if not pk.has_default() and set(map(type, objs)) == {model}:
        # The usual case, an auto key: read every key with one C-level loop.
        keys = list(map(operator.attrgetter(pk.attname), objs))
        if None not in keys:
            return objs, []
        if keys.count(None) == len(keys):
            return [], objs
    keyed, unkeyed = [], []
    for obj in objs:
        pk = obj._meta.pk
        if getattr(obj, pk.attname) is None and pk.has_default():
            setattr(obj, pk.attname, pk.get_default())
        (keyed if getattr(obj, pk.attname) is not None else unkeyed).append(obj)
    return keyed, unkeyed


def _is_generated_key(field):
    return getattr(field, "db_returning", False) or field.get_internal_type() in (
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
    )


def _insert_group(queryset, objs, fields, keyed, batch_size, on_conflict):
    """INSERT objects sharing their columns, in batches, then set on them
    the values the database returned (their new keys, mostly)."""
    alias = queryset.db
    db = connections[alias]
    returns_rows = on_conflict is None and getattr(
        db.features, "can_return_rows_from_bulk_insert", False
    )
    returning = queryset.model._meta.db_returning_fields
    returned = []
    for batch in batches(objs, db.ops.bulk_batch_size(fields, objs), batch_size):
        if returns_rows:
            returned.extend(queryset._insert(batch, fields=fields, returning_fields=returning))
        else:
            queryset._insert(batch, fields=fields, on_conflict=on_conflict)
    if returns_rows and not keyed:
        # Returned rows are matched to objects by position.
        assert len(returned) == len(objs)
    # A key the caller chose is kept as given (None: not assigned).
    targets = [
        None if keyed and field.primary_key else field.attname
        for field in returning
    ]
    _set_returned(objs, targets, returned)
    # Saved now, on ``alias``: later saves update them there.
    for obj in objs:
        state = obj._state
        state.adding = False
        state.db = alias


def _set_returned(objs, attnames, rows):
    """Set each row's values on its object, skipping None attnames."""
    if len(attnames) == 1:  # the usual case: the new key only
        (attname,) = attnames
        if attname is not None:
            for obj, (value,) in zip(objs, rows):
                setattr(obj, attname, value)
        return
    for obj, values in zip(objs, rows):
        for attname, value in zip(attnames, values):
            if attname is not None:
                setattr(obj, attname, value)


# -- bulk_update ------------------------------------------------------------------

# What bulk_update() refuses to write, tested on every field named.
_NOT_UPDATABLE = (
    (lambda field: not field.concrete or getattr(field, "many_to_many", False),
     "bulk_update() can only be used with concrete fields."),
    (lambda field: field.primary_key,
     "bulk_update() cannot be used with primary key fields."),
)


def update_many(queryset, objs, field_names, batch_size=None):
    """QuerySet.bulk_update(): see the module docstring. Returns the number
    of rows matched."""
    check_batch_size(batch_size)
    objs = tuple(objs)
    fields = _fields_to_update(queryset, field_names, objs)
    if not objs:
        return 0
    queryset._for_write = True
    db = connections[queryset.db]
    # The values travel inside CASE expressions, which are not prepared
    # for saving: refuse what saving refuses, before any SQL.
    refuse_unsavable(fields, objs, db)
    # Each object costs its pk twice (WHEN and IN) plus one value per field.
    limit = db.ops.bulk_batch_size(["pk", "pk", *fields], objs)
    # Some backends type a CASE from its first branch only: cast it.
    cast = getattr(db.features, "requires_casted_case_in_updates", False)
    # Every statement is built before the transaction starts.
    statements = [
        ([obj.pk for obj in batch], {f.attname: _case_on_pk(f, batch, cast) for f in fields})
        for batch in batches(objs, limit, batch_size)
    ]
    rows = queryset._chained_copy()
    from django.db import transaction

    with transaction.atomic(using=rows.db, savepoint=False):
        return sum(rows.filter(pk__in=pks).update(**values) for pks, values in statements)


def _fields_to_update(queryset, names, objs):
    """The fields bulk_update() writes, once its arguments are checked."""
    if not names:
        raise ValueError("Field names must be given to bulk_update().")
    if any(obj.pk is None for obj in objs):
        raise ValueError("All bulk_update() objects must have a primary key set.")
    fields = [queryset._field_or_error(name) for name in names]
    for refused, message in _NOT_UPDATABLE:
        if any(map(refused, fields)):
            raise ValueError(message)
    return fields


def _case_on_pk(field, objs, cast):
    """CASE WHEN pk = <key> THEN <the object's value> ... END for ``field``."""
    branches = []
    for obj in objs:
        value = getattr(obj, field.attname)
        if not hasattr(value, "resolve_expression"):
            value = Value(value, output_field=field)
        branches.append(When(pk=obj.pk, then=value))
    case = Case(*branches, output_field=field)
    if not cast:
        return case
    from django.db.models.functions import Cast

    return Cast(case, output_field=field)
