"""Deletion: find everything one ``delete()`` removes, then remove it in an
order the foreign keys accept, in one transaction.

API used by ``Model.delete()`` and ``QuerySet.delete()``::

    collector = Collector(using, origin=None)   # using: the alias deleted from
    collector.collect(objs)          # model instances or a QuerySet
    deleted, per_model = collector.delete()
    # -> (3, {"app_label.Book": 2, "app_label.Book_authors": 1})

The collector is a walk over a graph. Its nodes are batches of rows to
delete; from each batch it follows every relation pointing at the batch's
model, and the relation's ``on_delete`` handler decides what happens to the
rows found there: CASCADE queues them as a new batch, PROTECT and RESTRICT
refuse (nothing is deleted), SET_NULL/SET_DEFAULT/SET() queue an UPDATE,
DO_NOTHING leaves them alone. Many-to-many intermediary rows are reached the
same way (the through model's foreign keys cascade), and a model's
``GenericRelation`` fields add the generic rows pointing at it.

The walk is a queue, not a recursion: a handler calling ``collect()`` while
the walk runs (CASCADE does) only adds to the queue, and the outermost call
drains it. Refusals are gathered over the whole walk and raised at its end,
so ``ProtectedError.protected_objects`` lists every protected row at once.

While walking, the collector records which models' rows must go before
which ("rows of Book go before their Person"); deleting visits the models in
that order (a depth-first topological order; the models of a cycle keep the
order they were reached in: SET_NULL updates run before any DELETE, which is
how a cycle is normally broken).

Rows that nothing else depends on are never fetched: a queryset whose model
has no pre/post_delete receivers and no relation that would act on its rows
(a "bulk" queryset) is deleted with one ``DELETE ... WHERE``. When the whole
plan is a single statement (``Model.objects.filter(...).delete()`` of such a
model, or one instance of it) it runs without a transaction block of its
own: one statement is atomic by itself.
"""
from collections import Counter, defaultdict, deque
from functools import partial

from django.db import connections, transaction
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


def _field_label(field):
    return "'%s.%s'" % (field.model.__name__, field.name)


# -- on_delete handlers: (collector, field, sub_objs, using) -----------------
# ``sub_objs`` are the rows of ``field.model`` pointing at the deleted rows:
# a non-empty list of instances, or an unevaluated queryset for a handler
# marked ``lazy_sub_objs`` (it only needs an UPDATE ... WHERE).
def CASCADE(collector, field, sub_objs, using=None):
    collector.collect(sub_objs, source=field.remote_field.model, nullable=field.null,
                      fail_on_restricted=False)


def PROTECT(collector, field, sub_objs, using=None):
    raise ProtectedError(
        "Cannot delete some instances of model '%s' because they are referenced "
        "through a protected foreign key: %s"
        % (field.remote_field.model.__name__, _field_label(field)),
        sub_objs,
    )


def RESTRICT(collector, field, sub_objs, using=None):
    # Decided once the walk is over: the rows may yet be reached by a cascade.
    collector.refuse_unless_deleted(field, sub_objs)


def SET(value):
    """``on_delete=SET(value)``: point the rows at ``value``, or at
    ``value()``, called once per batch of rows found."""

    def set_on_delete(collector, field, sub_objs, using=None):
        collector.add_field_update(field, value() if callable(value) else value, sub_objs)

    # A callable runs only when rows exist (it may create the row it names);
    # a constant is written by one UPDATE ... WHERE, rows fetched or not.
    set_on_delete.lazy_sub_objs = not callable(value)
    set_on_delete.deconstruct = lambda: ("django.db.models.SET", (value,), {})
    return set_on_delete


def SET_NULL(collector, field, sub_objs, using=None):
    collector.add_field_update(field, None, sub_objs)


def SET_DEFAULT(collector, field, sub_objs, using=None):
    collector.add_field_update(field, field.get_default(), sub_objs)


SET_NULL.lazy_sub_objs = SET_DEFAULT.lazy_sub_objs = True


def DO_NOTHING(collector, field, sub_objs, using=None):
    pass


# -- what a model's deletion touches --------------------------------------------
def referring_relations(opts):
    """The reverse foreign keys and one-to-ones pointing at ``opts``'s model
    whose ``on_delete`` does something (hidden ones included: they lead to
    many-to-many intermediary rows)."""
    return [
        rel for rel in opts.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
        and rel.field.remote_field.on_delete is not DO_NOTHING
    ]


def generic_relations(opts):
    """The fields (GenericRelation) whose related rows go with the model's."""
    return [f for f in opts.private_fields if hasattr(f, "bulk_related_objects")]


def announces_deletion(model):
    """True when deleting rows of ``model`` sends signals someone receives."""
    if model._meta.auto_created:
        return False  # intermediary rows: no signals
    return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)


def stands_alone(model):
    """True when nothing reacts to the deletion of ``model``'s rows: no
    signal receivers, no relation acting on them, no generic relation, no
    parent table. Such rows are deleted by a WHERE, never fetched."""
    opts = model._meta
    return not (opts.parents or announces_deletion(model)
                or generic_relations(opts) or referring_relations(opts))


def _queryset_model(objs):
    """The model of ``objs`` when it is a queryset or a model class; None
    for instances (those are deleted by primary key)."""
    if isinstance(objs, type):
        return objs
    return objs.model if hasattr(objs, "_delete_without_collecting") else None


def _chunks(items, size):
    return [items[start:start + size] for start in range(0, len(items), size)]


class Collector:
    """The rows one deletion removes, and how (see the module docstring)."""

    def __init__(self, using, origin=None):
        # The alias every query of this deletion runs on (an alias, not a
        # connection: under TEST MIRROR two aliases share one).
        self.using = using
        self.origin = origin  # sent with the signals: the instance or queryset deleted
        # model -> {primary key: instance}, in the order reached.
        self.doomed = {}
        # Querysets deleted by one statement each, never fetched.
        self.bulk = []
        # (field, value) -> [list of instances, or queryset] to update.
        self.updates = defaultdict(list)
        # concrete model -> concrete models whose rows must be deleted first.
        self.predecessors = defaultdict(set)
        # field -> rows refusing the deletion (PROTECT).
        self.protected = {}
        # [(field, instances)] refusing the deletion unless deleted too (RESTRICT).
        self.restricted = []
        self.counts = Counter()
        self._queue = deque()
        self._walking = False

    # -- the walk ---------------------------------------------------------------
    def collect(self, objs, source=None, nullable=False, collect_related=True,
                reverse_dependency=False, keep_parents=False, fail_on_restricted=True):
        """Queue ``objs`` (instances or a QuerySet) and, unless called while a
        walk runs, walk until everything that goes with them is found.

        ``source``: the model ``objs`` point at (their rows go first, or last
        with ``reverse_dependency``). Refusals are raised by the outermost
        call, RESTRICT ones only if its ``fail_on_restricted`` is true.
        ``nullable`` and ``keep_parents`` are accepted for compatibility
        (there is no multi-table inheritance)."""
        self._queue.append((objs, source, reverse_dependency, collect_related))
        if self._walking:
            return
        self._walking = True
        try:
            while self._queue:
                self._visit(*self._queue.popleft())
        finally:
            self._walking = False
            self._queue.clear()
        self._refuse_protected()
        if fail_on_restricted:
            self._refuse_restricted()

    def _visit(self, objs, source, reverse_dependency, follow):
        if self.can_fast_delete(objs):
            self.bulk.append(objs)
            return
        fresh = self._remember(objs)
        if not fresh:
            return
        model = type(fresh[0])
        if source is not None:
            first, then = (source, model) if reverse_dependency else (model, source)
            self.predecessors[then._meta.concrete_model].add(first._meta.concrete_model)
        if follow:
            self._follow(model, fresh)

    def _remember(self, objs):
        """Record the instances not met before; return them."""
        fresh = []
        for obj in objs:
            rows = self.doomed.setdefault(type(obj), {})
            key = id(obj) if obj.pk is None else obj.pk
            if key not in rows:
                rows[key] = obj
                fresh.append(obj)
        return fresh

    def _follow(self, model, instances):
        """Hand the rows pointing at ``instances`` to their relation's handler."""
        for rel in referring_relations(model._meta):
            field = rel.field
            for batch in _chunks(instances, self._batch_size(field, instances)):
                rows = rel.related_model._base_manager.using(self.using).filter(**{
                    field.attname + "__in": [getattr(obj, field.target_field.attname) for obj in batch],
                })
                self._hand_over(field, rows)
        for generic in generic_relations(model._meta):
            # On this deletion's database, like the rows of every relation.
            tagged = generic.bulk_related_objects(instances, self.using)
            self.collect(tagged, source=model, nullable=True, fail_on_restricted=False)

    def _hand_over(self, field, rows):
        on_delete = field.remote_field.on_delete
        if on_delete is CASCADE and self.can_fast_delete(rows):
            self.bulk.append(rows)  # nothing hangs off these rows
            return
        if not getattr(on_delete, "lazy_sub_objs", False):
            rows = list(rows)
            if not rows:
                return
        try:
            on_delete(self, field, rows, self.using)
        except ProtectedError as refusal:
            self.protected.setdefault(field, []).extend(refusal.protected_objects)

    def can_fast_delete(self, objs, from_field=None):
        """True when ``objs`` (a queryset, or a model class) can be deleted
        by one statement without fetching its rows (see stands_alone())."""
        if from_field is not None and from_field.remote_field.on_delete is not CASCADE:
            return False
        model = _queryset_model(objs)
        return model is not None and stands_alone(model)

    # -- what the handlers record --------------------------------------------------
    def add_field_update(self, field, value, objs):
        """Set ``field`` to ``value`` on ``objs`` (instances or a queryset)
        before anything is deleted."""
        self.updates[field, value].append(objs)

    def refuse_unless_deleted(self, field, objs):
        """RESTRICT: ``objs`` refuse the deletion unless the walk deletes
        them too (through another, cascading, relation)."""
        self.restricted.append((field, list(objs)))

    def _refuse_protected(self):
        if not self.protected:
            return
        fields = list(self.protected)
        raise ProtectedError(
            "Cannot delete some instances of model %r because they are referenced "
            "through protected foreign keys: %s."
            % (fields[0].remote_field.model.__name__, ", ".join(map(_field_label, fields))),
            {obj for rows in self.protected.values() for obj in rows},
        )

    def _refuse_restricted(self):
        refused = self._left_behind(self.restricted)
        if not refused:
            return
        labels = sorted({_field_label(field) for field, _ in refused})
        raise RestrictedError(
            "Cannot delete some instances of model %r because they are referenced "
            "through restricted foreign keys: %s."
            % (refused[0][0].remote_field.model.__name__, ", ".join(labels)),
            {obj for _, obj in refused},
        )

    def _left_behind(self, restricted):
        """The (field, instance) pairs of ``restricted`` this deletion keeps:
        neither collected nor matched by a bulk queryset (one query each)."""
        def row(obj):
            return obj._meta.concrete_model, obj.pk

        collected = {(model._meta.concrete_model, pk) for model, rows in self.doomed.items() for pk in rows}
        left = [(field, obj) for field, objs in restricted for obj in objs if row(obj) not in collected]
        for queryset in self.bulk:
            concrete = queryset.model._meta.concrete_model
            wanted = [obj.pk for _, obj in left if row(obj)[0] is concrete]
            if wanted:
                gone = {(concrete, pk) for pk in queryset.filter(pk__in=wanted).values_list("pk", flat=True)}
                left = [(field, obj) for field, obj in left if row(obj) not in gone]
        return left

    # -- deleting -------------------------------------------------------------------
    def deletion_order(self):
        """The collected models, each after the models whose rows point at it."""
        by_concrete = defaultdict(list)
        for model in self.doomed:
            by_concrete[model._meta.concrete_model].append(model)
        order, state = [], {}

        def place(concrete):
            if concrete in state:
                return  # placed, or on the current path (a cycle)
            state[concrete] = "visiting"
            for earlier in self.predecessors.get(concrete, ()):
                place(earlier)
            order.extend(by_concrete.get(concrete, ()))

        for model in self.doomed:
            place(model._meta.concrete_model)
        return order

    def delete(self):
        """Delete everything collected; return ``(total, {label: count})``."""
        steps = self._steps()
        if len(steps) > 1:
            with transaction.atomic(using=self.using, savepoint=False):
                for step in steps:
                    step()
        elif steps:
            steps[0]()  # one statement is atomic by itself
        for model, rows in self.doomed.items():
            pk_name = model._meta.pk.attname
            for obj in rows.values():
                setattr(obj, pk_name, None)
        return sum(self.counts.values()), dict(self.counts)

    def _steps(self):
        """The statements and signal sends of the deletion, in order."""
        order = self.deletion_order()
        announced = {model for model in order if announces_deletion(model)}
        steps = [partial(self._announce, signals.pre_delete, model) for model in order
                 if model in announced]
        steps += [partial(self._delete_bulk, qs) for qs in self.bulk]
        steps += [partial(self._set_column, field, value, targets)
                  for (field, value), groups in self.updates.items() for targets in groups]
        for model in order:
            pks = list(self.doomed[model])
            for batch in _chunks(pks, self._batch_size(model._meta.pk, pks)):
                steps.append(partial(self._delete_rows, model, batch))
            if model in announced:
                steps.append(partial(self._announce, signals.post_delete, model))
        return steps

    def _announce(self, signal, model):
        for obj in self.doomed[model].values():
            signal.send(sender=model, instance=obj, using=self.using, origin=self.origin)

    def _tally(self, model, deleted):
        if deleted:
            self.counts[model._meta.label] += deleted

    def _delete_bulk(self, queryset):
        self._tally(queryset.model, queryset._delete_without_collecting(self.using))

    def _delete_rows(self, model, pks):
        rows = model._base_manager.using(self.using).filter(pk__in=pks)
        self._tally(model, rows._delete_without_collecting(self.using))

    def _set_column(self, field, value, targets):
        if not isinstance(targets, list):
            targets.update(**{field.attname: value})  # a lazy queryset
            return
        pks = [obj.pk for obj in targets]
        for batch in _chunks(pks, self._batch_size(field.model._meta.pk, pks)):
            field.model._base_manager.using(self.using).filter(pk__in=batch).update(**{field.attname: value})
        for obj in targets:
            setattr(obj, field.attname, value)

    def _batch_size(self, field, values):
        """How many of ``values`` one ``IN (...)`` of ``field`` may hold here."""
        return max(connections[self.using].ops.bulk_batch_size([field], values), 1)
