"""Deletion: collect instances, send signals, delete rows.

API used by ``Model.delete()`` and ``QuerySet.delete()`` (H6)::

    collector = Collector(connection, origin=None)
    collector.collect(objs)          # model instances or a QuerySet
    deleted, per_model = collector.delete()
    # -> (3, {"app_label.Book": 3})

Relations (cascades) arrive in a later issue; the collector deletes only the
given objects. When there are no pre/post_delete receivers, a queryset is
deleted with one statement (``QuerySet._raw_delete()``); otherwise the rows
are fetched, signals sent for each instance, and deleted by primary key
(``base_manager.filter(pk__in=...)._raw_delete()``). All inside one
``transaction.atomic(savepoint=False)``.
"""
from collections import Counter, defaultdict

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


# on_delete handlers: placeholders until relations exist.
def CASCADE(collector, field, sub_objs, using=None):  # pragma: no cover
    collector.collect(sub_objs)


def PROTECT(collector, field, sub_objs, using=None):  # pragma: no cover
    raise ProtectedError("Cannot delete some instances because they are protected.", sub_objs)


def RESTRICT(collector, field, sub_objs, using=None):  # pragma: no cover
    raise RestrictedError("Cannot delete some instances because they are restricted.", sub_objs)


def SET(value):  # pragma: no cover
    def set_on_delete(collector, field, sub_objs, using=None):
        pass

    set_on_delete.deconstruct = lambda: ("django.db.models.SET", (value,), {})
    return set_on_delete


def SET_NULL(collector, field, sub_objs, using=None):  # pragma: no cover
    pass


def SET_DEFAULT(collector, field, sub_objs, using=None):  # pragma: no cover
    pass


def DO_NOTHING(collector, field, sub_objs, using=None):  # pragma: no cover
    pass


def _has_signal_listeners(model):
    return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)


class Collector:
    def __init__(self, connection, origin=None):
        self.connection = connection
        self.origin = origin
        # model -> list of instances (in collection order, no duplicates)
        self.data = defaultdict(list)
        # querysets deleted in one statement each (no signal receivers)
        self.fast_deletes = []

    def can_fast_delete(self, objs):
        model = getattr(objs, "model", None)
        return (
            model is not None and hasattr(objs, "_raw_delete")
            and not _has_signal_listeners(model)
        )

    def add(self, objs):
        """Add instances to delete; return the ones not already collected."""
        new = []
        for obj in objs:
            model = obj.__class__
            bucket = self.data[model]
            if obj not in bucket:
                bucket.append(obj)
                new.append(obj)
        return new

    def collect(self, objs, source=None, nullable=False, collect_related=True,
                reverse_dependency=False, keep_parents=False, fail_on_restricted=True):
        """Collect ``objs`` (instances, or a QuerySet) for deletion."""
        if self.can_fast_delete(objs):
            self.fast_deletes.append(objs)
            return
        self.add(list(objs))

    def delete(self):
        """Delete everything collected; return ``(total, {label: count})``."""
        from django.db import transaction

        deleted_counter = Counter()
        with transaction.atomic(savepoint=False):
            for qs in self.fast_deletes:
                count = qs._raw_delete()
                if count:
                    deleted_counter[qs.model._meta.label] += count
            for model, instances in self.data.items():
                origin = self.origin
                for obj in instances:
                    if not model._meta.auto_created:
                        signals.pre_delete.send(sender=obj.__class__, instance=obj, origin=origin)
                pk_list = [obj.pk for obj in instances]
                count = 0
                # Delete in batches the backend can take.
                batch = self._batch_size(model, len(pk_list))
                for start in range(0, len(pk_list), batch):
                    chunk = pk_list[start:start + batch]
                    count += model._base_manager.filter(pk__in=chunk)._raw_delete() or 0
                if count:
                    deleted_counter[model._meta.label] += count
                for obj in instances:
                    if not model._meta.auto_created:
                        signals.post_delete.send(sender=obj.__class__, instance=obj, origin=origin)
        for model, instances in self.data.items():
            for obj in instances:
                setattr(obj, model._meta.pk.attname, None)
        return sum(deleted_counter.values()), dict(deleted_counter)

    def _batch_size(self, model, count):
        size = None
        ops = getattr(self.connection, "ops", None)
        if ops is not None and hasattr(ops, "bulk_batch_size"):
            try:
                size = ops.bulk_batch_size([model._meta.pk], [None] * count)
            except Exception:  # pragma: no cover
                size = None
        return max(size or count or 1, 1)
