"""Deletion: collect the objects to delete along the relation graph, then
delete them, children before parents, in one transaction.

API used by ``Model.delete()`` and ``QuerySet.delete()``::

    collector = Collector(connection, origin=None)
    collector.collect(objs)          # model instances or a QuerySet
    deleted, per_model = collector.delete()
    # -> (3, {"app_label.Book": 2, "app_label.Book_authors": 1})

Following every reverse relation of the collected objects, each foreign
key's ``on_delete`` decides: CASCADE collects the referencing rows too,
PROTECT/RESTRICT refuse (nothing is deleted), SET_NULL/SET_DEFAULT/SET()
queue an UPDATE, DO_NOTHING leaves them alone. Many-to-many intermediary
rows are reached the same way (the through model's foreign keys cascade).

"Fast deletes": when a model has no pre/post_delete receivers and nothing
cascades from it, its rows are deleted with one DELETE ... WHERE query and
never fetched; otherwise the rows are fetched (in batches the backend can
take), a signal is sent for each, and they are deleted by primary key.
"""
from collections import Counter, defaultdict
from functools import reduce
from itertools import chain
from operator import or_

from django.db.models import signals

__all__ = ["Collector", "CASCADE", "PROTECT", "RESTRICT", "SET_NULL", "SET_DEFAULT",
           "SET", "DO_NOTHING", "ProtectedError", "RestrictedError"]


class ProtectedError(Exception):
    def __init__(self, msg, protected_objects):
        self.protected_objects = protected_objects
        super().__init__(msg, protected_objects)


class RestrictedError(Exception):
    def __init__(self, msg, restricted_objects):
        self.restricted_objects = restricted_objects
        super().__init__(msg, restricted_objects)


# -- on_delete handlers: (collector, field, sub_objs, using) -----------------
def CASCADE(collector, field, sub_objs, using=None):
    collector.collect(sub_objs, source=field.remote_field.model, nullable=field.null,
                      fail_on_restricted=False)


def PROTECT(collector, field, sub_objs, using=None):
    raise ProtectedError(
        "Cannot delete some instances of model '%s' because they are "
        "referenced through a protected foreign key: '%s.%s'" % (
            field.remote_field.model.__name__, sub_objs[0].__class__.__name__, field.name,
        ),
        sub_objs,
    )


def RESTRICT(collector, field, sub_objs, using=None):
    collector.add_restricted_objects(field, sub_objs)
    collector.add_dependency(field.remote_field.model, field.model)


def SET(value):
    if callable(value):
        def set_on_delete(collector, field, sub_objs, using=None):
            collector.add_field_update(field, value(), sub_objs)
    else:
        def set_on_delete(collector, field, sub_objs, using=None):
            collector.add_field_update(field, value, sub_objs)
        # A constant: an UPDATE ... WHERE will do, no need to fetch rows.
        set_on_delete.lazy_sub_objs = True
    set_on_delete.deconstruct = lambda: ("django.db.models.SET", (value,), {})
    return set_on_delete


def SET_NULL(collector, field, sub_objs, using=None):
    collector.add_field_update(field, None, sub_objs)


SET_NULL.lazy_sub_objs = True


def SET_DEFAULT(collector, field, sub_objs, using=None):
    collector.add_field_update(field, field.get_default(), sub_objs)


SET_DEFAULT.lazy_sub_objs = True


def DO_NOTHING(collector, field, sub_objs, using=None):
    pass


def get_candidate_relations_to_delete(opts):
    """Reverse one-to-one and one-to-many relations pointing at ``opts``'s
    model (hidden ones included: they lead to intermediary rows)."""
    return (
        f for f in opts.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_one or f.one_to_many)
    )


def _has_signal_listeners(model):
    return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)


class Collector:
    def __init__(self, connection, origin=None):
        self.connection = connection
        self.origin = origin
        # model -> instances to delete (in collection order, no duplicates)
        self.data = defaultdict(dict)
        # (field, value) -> [instances or querysets] to update
        self.field_updates = defaultdict(list)
        # model -> field -> instances whose deletion is restricted
        self.restricted_objects = defaultdict(lambda: defaultdict(set))
        # querysets deleted in one statement each (no signals, no cascades)
        self.fast_deletes = []
        # model -> models that must be deleted before it
        self.dependencies = defaultdict(set)

    # -- collecting -------------------------------------------------------
    def add(self, objs, source=None, nullable=False, reverse_dependency=False):
        """Add instances; return the ones not collected before."""
        new = []
        for obj in objs:
            bucket = self.data[obj.__class__]
            key = obj.pk if obj.pk is not None else id(obj)
            if key not in bucket:
                bucket[key] = obj
                new.append(obj)
        # Rows referencing ``source`` are deleted first (backends that check
        # constraints immediately, like MySQL, need that order).
        if source is not None and new:
            self.add_dependency(source, new[0].__class__, reverse_dependency)
        return new

    def add_dependency(self, model, dependency, reverse_dependency=False):
        """Rows of ``dependency`` go before rows of ``model``."""
        first, then = (model, dependency) if reverse_dependency else (dependency, model)
        self.dependencies[then._meta.concrete_model].add(first._meta.concrete_model)
        if first not in self.data:
            self.data[first] = {}

    def add_field_update(self, field, value, objs):
        key = (field, value)
        self.field_updates[key].append(objs)

    def add_restricted_objects(self, field, objs):
        if not objs:
            return
        by_field = self.restricted_objects[field.model]
        by_field[field].update(objs)

    def clear_restricted_objects_from_set(self, model, objs):
        if model in self.restricted_objects:
            self.restricted_objects[model] = {
                field: items - objs for field, items in self.restricted_objects[model].items()
            }

    def _model_of(self, objs):
        if hasattr(objs, "_meta"):
            return objs
        if hasattr(objs, "model") and hasattr(objs, "_raw_delete"):
            return objs.model
        return None

    def can_fast_delete(self, objs, from_field=None):
        """True when ``objs`` (a queryset or model) can be deleted with one
        query: no signal receivers and nothing depending on its rows."""
        from_rel = getattr(from_field, "remote_field", None)
        if from_field is not None and from_rel.on_delete is not CASCADE:
            return False
        model = self._model_of(objs)
        if model is None:
            return False
        if _has_signal_listeners(model):
            return False
        opts = model._meta
        if opts.parents:
            return False
        # Generic relations (contenttypes) cascade through private fields.
        if any(hasattr(f, "bulk_related_objects") for f in opts.private_fields):
            return False
        return all(
            rel.field.remote_field.on_delete is DO_NOTHING
            for rel in get_candidate_relations_to_delete(opts)
        )

    def get_del_batches(self, objs, fields):
        """Split ``objs`` in chunks the backend accepts as one IN (...)."""
        objs = list(objs)
        size = self._batch_size(fields, len(objs))
        if len(objs) > size:
            return [objs[i:i + size] for i in range(0, len(objs), size)]
        return [objs]

    def related_objects(self, related_model, related_fields, objs):
        """A queryset of the ``related_model`` rows pointing at ``objs``."""
        from django.db.models.query_utils import Q

        predicate = reduce(or_, (
            Q(**{"%s__in" % f.attname: [getattr(o, f.target_field.attname) for o in objs]})
            for f in related_fields
        ))
        return related_model._base_manager.filter(predicate)

    def collect(self, objs, source=None, nullable=False, collect_related=True,
                reverse_dependency=False, keep_parents=False, fail_on_restricted=True):
        """Collect ``objs`` (instances, or a QuerySet) and, following
        ``on_delete``, everything that must go with them."""
        if self.can_fast_delete(objs):
            self.fast_deletes.append(objs)
            return
        new_objs = self.add(objs, source, nullable, reverse_dependency=reverse_dependency)
        if not new_objs:
            return
        model = type(new_objs[0])
        if not collect_related:
            return
        protected_by_field = defaultdict(list)
        for reverse in get_candidate_relations_to_delete(model._meta):
            field = reverse.field
            on_delete = field.remote_field.on_delete
            if on_delete is DO_NOTHING:
                continue
            related_model = reverse.related_model
            if self.can_fast_delete(related_model, from_field=field):
                # Nothing hangs off these rows: one DELETE per batch.
                for batch in self.get_del_batches(new_objs, [field]):
                    self.fast_deletes.append(self.related_objects(related_model, [field], batch))
                continue
            for batch in self.get_del_batches(new_objs, [field]):
                sub_objs = self.related_objects(related_model, [field], batch)
                if getattr(on_delete, "lazy_sub_objs", False) and not _has_signal_listeners(related_model):
                    # An UPDATE ... WHERE will do: no need to fetch.
                    on_delete(self, field, sub_objs, None)
                    continue
                sub_objs = list(sub_objs)
                if not sub_objs:
                    continue
                try:
                    on_delete(self, field, sub_objs, None)
                except ProtectedError as refusal:
                    # Gather every protected row before refusing.
                    label = "'%s.%s'" % (field.model.__name__, field.name)
                    protected_by_field[label].extend(refusal.protected_objects)
        for field in model._meta.private_fields:
            if hasattr(field, "bulk_related_objects"):
                # A GenericRelation: its rows go with the objects.
                sub_objs = field.bulk_related_objects(new_objs)
                self.collect(sub_objs, source=model, nullable=True, fail_on_restricted=False)
        if protected_by_field:
            raise ProtectedError(
                "Cannot delete some instances of model %r because they are "
                "referenced through protected foreign keys: %s."
                % (model.__name__, ", ".join(protected_by_field)),
                set(chain.from_iterable(protected_by_field.values())),
            )
        if fail_on_restricted:
            self._check_restricted()

    def _check_restricted(self):
        """RESTRICT refuses unless the restricted rows are deleted anyway
        (reached through another, cascading, path)."""
        restricted = []
        for model, fields in self.restricted_objects.items():
            collected = set(self.data.get(model, {}))
            pending = {obj.pk for objs in fields.values() for obj in objs} - collected
            for qs in self.fast_deletes:
                if pending and qs.model._meta.concrete_model is model._meta.concrete_model:
                    collected.update(qs.filter(pk__in=pending).values_list("pk", flat=True))
            for field, objs in fields.items():
                for obj in objs:
                    if obj.pk not in collected:
                        restricted.append((field, obj))
        if restricted:
            names = sorted({"'%s.%s'" % (f.model.__name__, f.name) for f, _ in restricted})
            raise RestrictedError(
                "Cannot delete some instances of model %r because they are "
                "referenced through restricted foreign keys: %s."
                % (restricted[0][0].remote_field.model.__name__, ", ".join(names)),
                {obj for _, obj in restricted},
            )

    # -- deleting ---------------------------------------------------------
    def instances_with_model(self):
        for model, instances in self.data.items():
            for obj in instances.values():
                yield model, obj

    def sort(self):
        """Order models so each is deleted before the models it references
        (a cycle keeps its remaining order: constraints are deferred where
        the backend can, and SET_NULL updates run first anyway)."""
        remaining = list(self.data)
        done, done_concrete = [], set()
        while remaining:
            ready = [
                m for m in remaining
                if not self.dependencies.get(m._meta.concrete_model, set()) - done_concrete
            ]
            if not ready:
                done.extend(remaining)
                break
            for m in ready:
                remaining.remove(m)
                done.append(m)
                done_concrete.add(m._meta.concrete_model)
        self.data = {m: self.data[m] for m in done}

    def delete(self):
        """Delete everything collected; return ``(total, {label: count})``."""
        from django.db import transaction

        self.sort()
        deleted_counter = Counter()
        data = {model: list(objs.values()) for model, objs in self.data.items()}
        with transaction.atomic(savepoint=False):
            for model, instances in data.items():
                if not model._meta.auto_created:
                    for obj in instances:
                        signals.pre_delete.send(sender=model, instance=obj, origin=self.origin)
            for qs in self.fast_deletes:
                count = qs._raw_delete()
                if count:
                    deleted_counter[qs.model._meta.label] += count
            # SET_NULL / SET_DEFAULT / SET(): the updates first.
            for (field, value), groups in self.field_updates.items():
                for objs in groups:
                    if hasattr(objs, "_raw_delete"):
                        objs.update(**{field.attname: value})
                        continue
                    model = field.model
                    pks = [obj.pk for obj in objs]
                    for batch in self.get_del_batches(pks, [model._meta.pk]):
                        model._base_manager.filter(pk__in=batch).update(**{field.attname: value})
                    for obj in objs:
                        setattr(obj, field.attname, value)
            for model, instances in data.items():
                pk_list = [obj.pk for obj in instances]
                count = 0
                for batch in self.get_del_batches(pk_list, [model._meta.pk]):
                    count += model._base_manager.filter(pk__in=batch)._raw_delete() or 0
                if count:
                    deleted_counter[model._meta.label] += count
                if not model._meta.auto_created:
                    for obj in instances:
                        signals.post_delete.send(sender=model, instance=obj, origin=self.origin)
        for model, instances in data.items():
            for obj in instances:
                setattr(obj, model._meta.pk.attname, None)
        return sum(deleted_counter.values()), dict(deleted_counter)

    def _batch_size(self, fields, count):
        size = None
        ops = getattr(self.connection, "ops", None)
        if ops is not None and hasattr(ops, "bulk_batch_size"):
            try:
                size = ops.bulk_batch_size(list(fields), [None] * count)
            except Exception:  # pragma: no cover
                size = None
        return max(size or count or 1, 1)
