"""Descriptors and related managers: the attributes relations put on models.

    Book.author         ForwardManyToOneDescriptor  -> a Person (cached)
    Book.author_id      ForeignKeyDeferredAttribute -> the raw column value
    Person.book_set     ReverseManyToOneDescriptor  -> a RelatedManager
    Place.restaurant    ReverseOneToOneDescriptor   -> a Restaurant
    Book.authors        ManyToManyDescriptor        -> a ManyRelatedManager
    Person.book_set...  ManyToManyDescriptor(reverse=True)

Two seams serve every descriptor and manager (and the generic relations
of django.contrib.contenttypes, built on the same pieces):

* ``related_queryset(manager, instance)`` starts every queryset they
  build: the one place that decides which database a related lookup runs
  on (the multi-database branch applies the instance's database there);
* ``admit_related(instance, obj, model)`` checks every object before it is
  linked to an instance: its type, then adoption and ``allow_relation``
  (django/db/models/fields/relation_checks.py).
"""
from functools import partial

from django.db import connections, router, transaction
from django.db.models.fields.relation_checks import (
    check_addition, check_assignment, require_saved_on, saved_elsewhere,
)
from django.db.models.query_utils import LOOKUP_SEP, DeferredAttribute, Q
from django.db.models.signals import m2m_changed
from django.utils.functional import cached_property


def related_queryset(manager, instance):
    """The base queryset of ``manager`` for a relation seen from ``instance``.

    Every descriptor and related manager builds its queries through this
    function. The queryset carries ``instance`` as its one router hint, so
    a read asks ``db_for_read(model, instance=instance)`` and a write
    (update(), delete(), create()...) ``db_for_write(model,
    instance=instance)``; with no router answering, both fall back to the
    instance's own database. That is how related objects follow the
    instance they hang from. A manager bound by ``db_manager(alias)``
    still wins: its queryset is already on ``alias``."""
    queryset = manager.get_queryset()
    if instance is not None:
        queryset._hints = {"instance": instance}
    return queryset


def admit_related(instance, obj, model, attribute=None, check=None):
    """The one gate every object passes before a descriptor or a related
    manager links it to ``instance``.

    First its type: it must be a ``model`` instance, else a ValueError
    naming ``attribute`` (assignment through a descriptor) or a TypeError
    (a related manager's add/remove/set). Then the databases (see
    relation_checks): an assignment through a descriptor adopts the unsaved
    side and asks ``allow_relation``; a manager passes the ``check`` its
    kind of link needs (none for a mere lookup such as remove())."""
    if not isinstance(obj, model):
        if attribute is None:
            raise TypeError("'%s' instance expected, got %r" % (model._meta.object_name, obj))
        raise ValueError(
            'Cannot assign "%r": "%s.%s" must be a "%s" instance.'
            % (obj, instance._meta.object_name, attribute, model._meta.object_name)
        )
    if attribute is not None:
        check_assignment(instance, obj)
    elif check is not None:
        check(instance, obj)
    return obj


def _all_or_nothing(manager, alias=None):
    """The block around a related manager's multi-row write, on ``alias``
    (else the manager's write database). It joins the caller's transaction
    without a savepoint: a failure aborts the whole operation anyway, and
    savepoints cost a round trip each."""
    return transaction.atomic(using=alias or manager._write_alias(), savepoint=False)


def _model_manager_call(manager, alias, method, kwargs):
    """Call ``method`` of the related model's manager class (the class a
    related manager is built on, next after the related-manager classes
    in its MRO) on a copy of ``manager`` bound to ``alias``, so a custom
    create() or get_or_create() of that model runs for related objects."""
    bound = manager.db_manager(alias)
    return getattr(super(RelatedManagerBase, bound), method)(**kwargs)


def _F(name):
    from django.db.models.expressions import F

    return F(name)


def _require_value(owner, attname, value):
    if value is None:
        raise ValueError(
            '"%r" needs to have a value for field "%s" before this relationship '
            "can be used." % (owner, attname)
        )


def _does_not_exist_class(base_model, owner_model, attr):
    """``<Owner>.<attr>.RelatedObjectDoesNotExist``: a DoesNotExist of the
    related model that is also an AttributeError (so hasattr() is False)."""
    return type(
        "RelatedObjectDoesNotExist",
        (base_model.DoesNotExist, AttributeError),
        {
            "__module__": owner_model.__module__,
            "__qualname__": ".".join((owner_model.__qualname__, attr, "RelatedObjectDoesNotExist")),
        },
    )


class _SingleObjectDescriptor:
    """Shared by the descriptors that return one object (or raise).

    ``RelatedObjectDoesNotExist`` is built lazily, once per descriptor,
    from ``_missing_parts()``: (related model, owner model, attribute)."""

    def _missing_parts(self):
        raise NotImplementedError

    @cached_property
    def RelatedObjectDoesNotExist(self):
        return _does_not_exist_class(*self._missing_parts())


def _one_query(prefetcher, querysets, owner):
    if querysets:
        return querysets[0]
    return prefetcher.get_queryset(owner)


class ForeignKeyDeferredAttribute(DeferredAttribute):
    """``book.author_id``: changing it forgets the cached ``book.author``."""

    # On an instance being built nothing is cached yet, so __set__ is a
    # plain store into the instance dict (Model.__init__ does that itself).
    plain_store_on_new_instance = True

    def __set__(self, obj, new_value):
        fk = self.field
        state = obj.__dict__
        changed = fk.attname in state and state[fk.attname] != new_value
        if changed and fk.is_cached(obj):
            fk.delete_cached_value(obj)
        state[fk.attname] = new_value


class _CachingPrefetch:
    """What a prefetcher hands to prefetch_related_objects(): iterating it
    runs the query once, then lets ``after(rows)`` fill the caches the
    fetched objects need (e.g. the reverse side of a one-to-one)."""

    def __init__(self, queryset, after):
        self.queryset = queryset
        self.after = after

    def __iter__(self):
        rows = list(self.queryset)
        self.after(rows)
        return iter(rows)

    def __getattr__(self, name):
        return getattr(self.queryset, name)


def _backfill(index, key_of, cache_on):
    """A callback for _CachingPrefetch: cache each fetched object's owner."""

    def fill(rows):
        for row in rows:
            owner = index.get(key_of(row))
            if owner is not None:
                cache_on(row, owner)

    return fill


# -------------------------------------------------------------------------
# Forward foreign keys and one-to-ones: book.author, restaurant.place
# -------------------------------------------------------------------------
class ForwardManyToOneDescriptor(_SingleObjectDescriptor):
    """``book.author``: fetched on first access (one query), then cached."""

    def __init__(self, field_with_rel):
        # The ForeignKey/OneToOneField this attribute belongs to.
        self.field = field_with_rel

    def _missing_parts(self):
        return self.field.remote_field.model, self.field.model, self.field.name

    def is_cached(self, instance):
        return self.field.is_cached(instance)

    def get_queryset(self, instance=None):
        return related_queryset(self.field.remote_field.model._base_manager, instance)

    def get_prefetch_querysets(self, instances, querysets=None):
        fk = self.field
        qs = _one_query(self, querysets, instances[0])
        own_key = fk.get_local_related_value
        their_key = fk.get_foreign_related_value
        wanted = sorted({own_key(o)[0] for o in instances} - {None}, key=repr)
        column = fk.foreign_related_fields[0].attname
        qs = qs.filter(**{column + "__in": wanted})
        if not fk.remote_field.multiple:
            # One-to-one: each fetched object also knows its owner.
            index = {own_key(o): o for o in instances}
            qs = _CachingPrefetch(qs, _backfill(index, their_key, fk.remote_field.set_cached_value))
        return qs, their_key, own_key, True, fk.get_cache_name(), False

    def get_prefetch_queryset(self, instances, queryset=None):
        return self.get_prefetch_querysets(instances, None if queryset is None else [queryset])

    def get_object(self, instance):
        # The target row is the one whose column matches ours.
        lookup = {}
        for mine, theirs in self.field.related_fields:
            lookup[theirs.attname] = getattr(instance, mine.attname)
        return self.get_queryset(instance).get(**lookup)

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        fk = self.field
        if fk.is_cached(instance):
            found = fk.get_cached_value(instance)
        else:
            found = None
            if None not in fk.get_local_related_value(instance):
                found = self.get_object(instance)
                if not fk.remote_field.multiple:
                    fk.remote_field.set_cached_value(found, instance)
            fk.set_cached_value(instance, found)
        if found is None and not fk.null:
            raise self.RelatedObjectDoesNotExist(
                "%s has no %s." % (fk.model.__name__, fk.name)
            )
        return found

    def __set__(self, instance, value):
        fk = self.field
        reverse_side = fk.remote_field
        one_to_one = not reverse_side.multiple
        if value is None:
            if not fk.null:
                raise ValueError(
                    'Cannot assign None: "%s.%s" does not allow null values.'
                    % (instance._meta.object_name, fk.name)
                )
            previous = fk.get_cached_value(instance, default=None)
            if one_to_one and previous is not None:
                # The object we pointed at no longer points back.
                reverse_side.set_cached_value(previous, None)
            for mine, _ in fk.related_fields:
                setattr(instance, mine.attname, None)
        else:
            admit_related(instance, value, reverse_side.model._meta.concrete_model, fk.name)
            for mine, theirs in fk.related_fields:
                setattr(instance, mine.attname, getattr(value, theirs.attname))
            if one_to_one:
                reverse_side.set_cached_value(value, instance)
        fk.set_cached_value(instance, value)

    def __reduce__(self):
        return getattr, (self.field.model, self.field.name)


class ForwardOneToOneDescriptor(ForwardManyToOneDescriptor):
    """``restaurant.place`` (the side holding the column)."""


class ReverseOneToOneDescriptor(_SingleObjectDescriptor):
    """``place.restaurant``: the row whose one-to-one field points here."""

    def __init__(self, related):
        # A OneToOneRel: ``related.field`` is restaurant.place.
        self.related = related

    def _missing_parts(self):
        rel = self.related
        return rel.related_model, rel.model, rel.name

    def is_cached(self, instance):
        return self.related.is_cached(instance)

    def get_queryset(self, instance=None):
        return related_queryset(self.related.related_model._base_manager, instance)

    def get_prefetch_querysets(self, instances, querysets=None):
        o2o = self.related.field
        qs = _one_query(self, querysets, instances[0])
        row_key = o2o.get_local_related_value
        owner_key = o2o.get_foreign_related_value
        qs = qs.filter(**{o2o.attname + "__in": [owner_key(o)[0] for o in instances]})
        index = {owner_key(o): o for o in instances}
        qs = _CachingPrefetch(qs, _backfill(index, row_key, o2o.set_cached_value))
        return qs, row_key, owner_key, True, self.related.get_cache_name(), False

    def get_prefetch_queryset(self, instances, queryset=None):
        return self.get_prefetch_querysets(instances, None if queryset is None else [queryset])

    def _fetch(self, instance):
        if instance.pk is None:
            return None
        o2o = self.related.field
        lookup = {}
        for mine, theirs in o2o.related_fields:
            lookup[mine.attname] = getattr(instance, theirs.attname)
        try:
            row = self.get_queryset(instance).get(**lookup)
        except self.related.related_model.DoesNotExist:
            return None
        o2o.set_cached_value(row, instance)
        return row

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        rel = self.related
        if rel.is_cached(instance):
            found = rel.get_cached_value(instance)
        else:
            found = self._fetch(instance)
            rel.set_cached_value(instance, found)
        if found is None:
            raise self.RelatedObjectDoesNotExist(
                "%s has no %s." % (type(instance).__name__, rel.get_accessor_name())
            )
        return found

    def __set__(self, instance, value):
        rel = self.related
        o2o = rel.field
        if value is None:
            current = rel.get_cached_value(instance, default=None)
            if current is not None:
                # The related row stays; it only loses its link.
                rel.delete_cached_value(instance)
                setattr(current, o2o.name, None)
            return
        admit_related(instance, value, rel.related_model, rel.get_accessor_name())
        for mine, theirs in o2o.related_fields:
            setattr(value, mine.attname, getattr(instance, theirs.attname))
        rel.set_cached_value(instance, value)
        o2o.set_cached_value(value, instance)

    def __reduce__(self):
        return getattr, (self.related.model, self.related.name)


# -------------------------------------------------------------------------
# Related managers: person.book_set, book.authors (and bookmark.tags, in
# django.contrib.contenttypes.fields, built on the same pieces)
# -------------------------------------------------------------------------
#
# A related manager class is made once per relation (and per manager class
# of the related model, so that custom manager methods work on it too): the
# factory mixes the manager class of the related model with the classes
# below, which hold all the behaviour. What a relation needs to know about
# itself is set on the class by the factory; an instance only carries the
# object it belongs to.
#
#   RelatedManagerBase     the prefetch cache, get_queryset(), set(), manager=
#   PointingRowsManager    rows pointing at the instance through columns of
#                          their own (a reverse foreign key, a generic
#                          relation): add() rewrites those columns
#   DetachableRowsMixin    remove() and clear() for them
#   ThroughRowsManager     rows linked through an intermediary table


class RelatedManagerBase:
    """What every related manager shares. Subclasses provide:

    * ``prefetch_cache_name``: where prefetch_related() leaves the rows;
    * ``_require_saved()``: refuse to work for an unsaved instance;
    * ``_narrow_to_instance(queryset)``: narrow a queryset of the related
      model to the instance's rows (the prefetch machinery calls it too);
    * ``_members(alias)`` and ``_member_key(obj)`` for set(): the current
      rows on ``alias`` by key (each key mapped to what remove() takes),
      and the key of a wanted object;
    * ``_rebuild(manager_class)``: the same relation's manager class built
      on another manager class of the related model.
    """

    def __call__(self, *, manager):
        """``person.book_set(manager="published")``: the same rows, seen
        through another manager of the related model."""
        other = type(getattr(self.model, manager))
        return self._rebuild(other)(self.instance)

    def _base_queryset(self):
        # The related model's own manager (this class's next base).
        return related_queryset(super(RelatedManagerBase, self), self.instance)

    def _related_rows(self):
        return self._narrow_to_instance(self._base_queryset())

    def _prefetched(self):
        return getattr(self.instance, "_prefetched_objects_cache", {}).get(self.prefetch_cache_name)

    def _forget_prefetched(self):
        # Written rows make a prefetched list stale.
        getattr(self.instance, "_prefetched_objects_cache", {}).pop(self.prefetch_cache_name, None)

    def _write_alias(self):
        """The database the manager's multi-row writes run their transaction
        on: the one db_manager() bound, else the routers' write database for
        the related model, hinted with the instance (no router: the
        instance's own database)."""
        return self._db or router.route_write(self.model, {"instance": self.instance})

    def get_queryset(self):
        self._require_saved()
        cached = self._prefetched()
        return self._related_rows() if cached is None else cached

    def get_prefetch_queryset(self, instances, queryset=None):
        return self.get_prefetch_querysets(instances, None if queryset is None else [queryset])


# An object set() must add: a key no current row has.
_NOT_A_MEMBER = object()
# add() called without ``bulk``: the 1.2 way (see PointingRowsManager.add).
_UNSAID = object()


class PointingRowsManager(RelatedManagerBase):
    """Rows pointing at the instance through columns of their own.
    Subclasses provide ``_pointer()`` ({attname: value} of those columns),
    ``_point(obj)`` (make ``obj`` point at the instance, in memory) and
    ``_owner_kwargs()`` (the same, as create() keyword arguments)."""

    # Whether rows can stop pointing here (remove(), clear()).
    detachable = False

    def add(self, *objs, bulk=_UNSAID):
        """Make ``objs`` point at the instance, on the manager's write
        database. Each object is checked (type, then databases: see
        relation_checks) before anything is written. Then:

        * ``bulk=True``: one UPDATE; every object must already be saved on
          the write database;
        * ``bulk=False``: one save() each (signals and save() overrides run),
          where the routers send it;
        * ``bulk`` not given (1.2's add()): objects saved on the write
          database in one UPDATE, objects saved on another database saved
          onto it one by one; unsaved objects are refused as with
          ``bulk=True``.
        """
        self._require_saved()
        alias = self._write_alias()
        self._write_admitted(self._admit(objs, alias, bulk), alias)

    add.alters_data = True

    def _admit(self, objs, alias, bulk):
        """Check ``objs`` for add() on ``alias`` (type, then databases, each
        object asked about once) and sort them by how add() writes them:
        (in one UPDATE, saved one by one, saved onto ``alias``). Nothing is
        written yet."""
        for obj in objs:
            admit_related(self.instance, obj, self.model)
        in_place, one_by_one, moved = [], [], []
        for obj in objs:
            # Through obj's own foreign key: adoption and allow_relation,
            # refusals naming the instance.
            self._point(obj)
            if bulk is False:
                one_by_one.append(obj)
            elif bulk is _UNSAID and saved_elsewhere(obj, alias):
                moved.append(obj)
            else:
                require_saved_on(obj, alias)
                in_place.append(obj)
        return in_place, one_by_one, moved

    def _write_admitted(self, admitted, alias):
        """add()'s writes, for objects _admit() has checked and sorted."""
        in_place, one_by_one, moved = admitted
        self._forget_prefetched()
        if not (one_by_one or moved):
            self._point_rows(in_place, alias)
            return
        with _all_or_nothing(self, alias):
            for obj in one_by_one:
                obj.save()
            for obj in moved:
                obj.save(using=alias)
            self._point_rows(in_place, alias)

    def _point_rows(self, objs, alias):
        """One UPDATE making the saved ``objs`` point at the instance."""
        if objs:
            rows = related_queryset(self.model._base_manager, self.instance).using(alias)
            rows.filter(pk__in=[obj.pk for obj in objs]).update(**self._pointer())

    def _assign(self, objs):
        """``person.books = [...]``, with 1.2's meaning: the rows not
        assigned are detached (where rows can be: a nullable foreign key),
        then each object is added as add() without ``bulk`` does. Every
        object is checked, once, before anything is written, so a refused
        one leaves the rows as they were."""
        self._require_saved()
        objs = list(objs)
        alias = self._write_alias()
        admitted = self._admit(objs, alias, _UNSAID)
        with _all_or_nothing(self, alias):
            if self.detachable:
                kept = [obj.pk for obj in objs]
                self._forget_prefetched()
                self._detach(self._related_rows().using(alias).exclude(pk__in=kept), True, alias)
            self._write_admitted(admitted, alias)

    def set(self, objs, *, bulk=True, clear=False):
        """Make ``objs`` the related objects. The objects to add are checked
        (once each) before the rows not wanted are detached: a refusal finds
        nothing written."""
        self._require_saved()
        if not self.detachable:
            # A row that cannot stop pointing here is never removed: only added.
            self.add(*objs, bulk=bulk)
            return
        objs = list(objs)
        alias = self._write_alias()
        # Checked outside the block that writes: a refusal raised inside it
        # would leave the caller's transaction unusable.
        if clear:
            admitted = self._admit(objs, alias, bulk)
            with _all_or_nothing(self, alias):
                self._detach(self._related_rows().using(alias), bulk, alias)
                self._write_admitted(admitted, alias)
            return
        present = self._members(alias)
        keys = [self._member_key(obj) for obj in objs]
        kept = set(keys)
        admitted = self._admit([obj for obj, key in zip(objs, keys) if key not in present], alias, bulk)
        with _all_or_nothing(self, alias):
            self.remove(*[row for key, row in present.items() if key not in kept], bulk=bulk)
            self._write_admitted(admitted, alias)

    set.alters_data = True

    def _members(self, alias):
        # Part of set(): read where set() writes.
        return {obj.pk: obj for obj in self._related_rows().using(alias)}

    def _member_key(self, obj):
        if isinstance(obj, self.model) and obj.pk is not None:
            return obj.pk
        return _NOT_A_MEMBER

    def _make(self, method, kwargs):
        self._require_saved()
        self._forget_prefetched()
        # The related model's own manager method runs (a custom create()
        # too), on the write database, seeing the instance's rows only.
        return _model_manager_call(self, self._write_alias(), method, {**kwargs, **self._owner_kwargs()})

    def create(self, **kwargs):
        return self._make("create", kwargs)

    create.alters_data = True

    def get_or_create(self, **kwargs):
        return self._make("get_or_create", kwargs)

    get_or_create.alters_data = True

    def update_or_create(self, **kwargs):
        return self._make("update_or_create", kwargs)

    update_or_create.alters_data = True


class DetachableRowsMixin:
    """remove() and clear() for rows that can stop pointing at the
    instance; subclasses provide ``_check_removable(obj)`` and
    ``_detach(queryset, bulk)``."""

    detachable = True

    def remove(self, *objs, bulk=True):
        self._require_saved()
        for obj in objs:
            admit_related(self.instance, obj, self.model)
            self._check_removable(obj)
        if objs:
            self._detach(self._related_rows().filter(pk__in={obj.pk for obj in objs}), bulk)

    remove.alters_data = True

    def clear(self, *, bulk=True):
        self._require_saved()
        alias = self._write_alias()
        self._detach(self._related_rows(), bulk, alias)

    clear.alters_data = True


# -------------------------------------------------------------------------
# Reverse many-to-one: person.book_set
# -------------------------------------------------------------------------
class ReverseManyToOneDescriptor:
    """``person.book_set``: a manager of the rows pointing at ``person``.
    Assigning an iterable replaces them (``set()``)."""

    def __init__(self, rel):
        self.rel, self.field = rel, rel.field

    def managed_model(self):
        """The model whose rows the manager returns."""
        return self.rel.related_model

    def build_manager_class(self, superclass):
        return create_reverse_many_to_one_manager(superclass, self.rel)

    @cached_property
    def related_manager_cls(self):
        # Built on the class of the managed model's default manager, so its
        # custom methods work on person.book_set too.
        return self.build_manager_class(type(self.managed_model()._default_manager))

    def __get__(self, instance, cls=None):
        # On the class (Person.book_set) the descriptor itself is returned.
        return self if instance is None else self.related_manager_cls(instance)

    def __set__(self, instance, value):
        # Allowed, as in 1.2: the assigned objects replace the related ones
        # (see the managers' _assign()).
        self.__get__(instance)._assign(value)


class ForeignKeyRowsManager(PointingRowsManager):
    """``person.book_set``: the rows whose foreign key holds the instance's
    value. The factory sets ``field`` (the foreign key), ``columns`` (its
    attnames) and ``prefetch_cache_name``."""

    def __init__(self, instance):
        super().__init__()
        self.instance, self.model = instance, self.field.model
        self.core_filters = {self.field.name: instance}

    def _owner_values(self):
        return self.field.get_foreign_related_value(self.instance)

    def _require_saved(self):
        for target, value in zip(self.field.foreign_related_fields, self._owner_values()):
            _require_value(self.instance, target.attname, value)

    def _pointer(self):
        return dict(zip(self.columns, self._owner_values()))

    def _point(self, obj):
        setattr(obj, self.field.name, self.instance)  # also caches the instance on obj

    def _owner_kwargs(self):
        return {self.field.name: self.instance}

    def _narrow_to_instance(self, queryset):
        """The rows pointing at the instance; none while its value is
        missing (or an empty string, where the backend stores it as NULL)."""
        values = self._owner_values()
        blank_is_null = getattr(connections[queryset.db].features, "interprets_empty_strings_as_nulls", False)
        if None in values or (blank_is_null and "" in values):
            return queryset.none()
        queryset = queryset.filter(**dict(zip(self.columns, values)))
        # The rows fetched know their parent: book.author costs no query.
        queryset._known_parents = {self.field: {values: self.instance}}
        return queryset

    def get_prefetch_querysets(self, instances, querysets=None):
        fk = self.field
        qs = querysets[0] if querysets else self._base_queryset()
        row_key, owner_key = fk.get_local_related_value, fk.get_foreign_related_value
        qs = qs.filter(**{fk.attname + "__in": [owner_key(o)[0] for o in instances]})

        def remember_owner(row, owner):
            if not fk.is_cached(row):
                fk.set_cached_value(row, owner)

        index = {owner_key(o): o for o in instances}
        qs = _CachingPrefetch(qs, _backfill(index, row_key, remember_owner))
        return qs, row_key, owner_key, False, self.prefetch_cache_name, False


class NullableForeignKeyRowsManager(DetachableRowsMixin, ForeignKeyRowsManager):
    """A nullable foreign key's rows can be detached: the column is set to NULL."""

    def _check_removable(self, obj):
        if self.field.get_local_related_value(obj) != self._owner_values():
            raise self.field.remote_field.model.DoesNotExist(
                "%r is not related to %r." % (obj, self.instance)
            )

    def _detach(self, rows, bulk, alias=None):
        """Detach ``rows`` on ``alias`` (else the write database, asked
        here): the routers are asked once, not again by each statement."""
        self._forget_prefetched()
        rows = rows.using(alias or self._write_alias())
        if bulk:
            rows.update(**{self.field.attname: None})  # one UPDATE, no signals
            return
        with _all_or_nothing(self, rows.db):
            for obj in rows:
                # Through the descriptor: the cached parent goes too.
                setattr(obj, self.field.name, None)
                obj.save(update_fields=[self.field.name])


def create_reverse_many_to_one_manager(superclass, rel):
    """The manager class of ``person.book_set`` over ``superclass``, the
    class of the related model's default manager. remove() and clear()
    exist only when the foreign key is nullable."""
    fk = rel.field
    mixin = NullableForeignKeyRowsManager if fk.null else ForeignKeyRowsManager
    return type("RelatedManager", (mixin, superclass), {
        "field": fk,
        "columns": tuple(f.attname for f in fk.local_related_fields),
        "prefetch_cache_name": rel.get_cache_name(),
        "_rebuild": staticmethod(partial(create_reverse_many_to_one_manager, rel=rel)),
    })


# -------------------------------------------------------------------------
# Many-to-many: book.authors and person.book_set
# -------------------------------------------------------------------------
class ManyToManyDescriptor(ReverseManyToOneDescriptor):
    """Both sides of a many-to-many relation; ``Book.authors.through`` is
    the intermediary model."""

    def __init__(self, rel, reverse=False):
        super().__init__(rel)
        # reverse=True: the attribute on the target model (person.book_set).
        self.reverse = reverse

    through = property(lambda self: self.rel.through)

    def managed_model(self):
        return self.rel.related_model if self.reverse else self.rel.model

    def build_manager_class(self, superclass):
        return create_forward_many_to_many_manager(superclass, self.rel, reverse=self.reverse)


def _through_side(rel, reverse):
    """What one side of a many-to-many relation knows about itself, as
    class attributes of its manager."""
    m2m = rel.field
    if reverse:
        model, to_us, to_them = rel.related_model, m2m.m2m_reverse_field_name(), m2m.m2m_field_name()
        names = (m2m.name, m2m.related_query_name(), False)
    else:
        model, to_us, to_them = rel.model, m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        names = (m2m.related_query_name(), m2m.name, rel.symmetrical)
    through = rel.through
    query_field_name, prefetch_cache_name, symmetrical = names
    return {
        "related_model": model, "through": through, "reverse": reverse,
        "query_field_name": query_field_name, "prefetch_cache_name": prefetch_cache_name,
        "symmetrical": symmetrical, "source_field_name": to_us, "target_field_name": to_them,
        "source_field": through._meta.get_field(to_us),
        "target_field": through._meta.get_field(to_them),
    }


class ThroughRowsManager(RelatedManagerBase):
    """``book.authors``: objects of the other model linked to the instance
    by rows of the intermediary (through) table. The factory sets the
    attributes _through_side() computes; a symmetrical relation stores each
    link in both directions."""

    def __init__(self, instance=None):
        super().__init__()
        self.instance, self.model = instance, self.related_model
        self.related_val = self.source_field.get_foreign_related_value(instance)
        self._require_saved()

    def _require_saved(self):
        if None in self.related_val:
            _require_value(self.instance, self.source_field.target_field.name, None)

    def _own_key(self):
        return self.related_val[0]

    def _through_rows(self):
        return related_queryset(self.through._default_manager, self.instance)

    def _write_alias(self):
        """The database add(), remove(), clear() and set() change: the one
        db_manager() bound, else the routers' write database for the
        through model, hinted with the instance (no router: the database
        the instance was loaded from or saved to). Every statement of one
        change runs there, and m2m_changed names it as ``using``."""
        return self._db or router.route_write(self.through, {"instance": self.instance})

    def _links(self, alias, keys=None):
        """The instance's through rows on ``alias`` (to ``keys`` of the
        other side only, if given), in both directions for a symmetrical
        relation."""
        mine, theirs = self.source_field.attname, self.target_field.attname
        directions = [(mine, theirs), (theirs, mine)] if self.symmetrical else [(mine, theirs)]
        condition = Q()
        for here, there in directions:
            part = Q(**{here: self._own_key()})
            condition |= part if keys is None else part & Q(**{there + "__in": keys})
        return self._through_rows().using(alias).filter(condition)

    def _narrow_to_instance(self, queryset):
        """Objects of the other model whose key a through row of the
        instance holds (a subquery, so the queryset keeps one row each)."""
        linked = self._through_rows().filter(
            **{self.source_field.attname: self._own_key()}
        ).values(self.target_field.attname)
        return queryset.filter(**{self.target_field.target_field.attname + "__in": linked})

    def get_prefetch_querysets(self, instances, querysets=None):
        """One query: the related objects joined to the intermediary table,
        each row carrying the key of the instance it belongs to in an
        annotation."""
        qs = querysets[0] if querysets else self._base_queryset()
        path = LOOKUP_SEP.join((self.query_field_name, self.source_field.target_field.name))
        marker = "_prefetch_related_val_" + self.source_field.attname
        owners = {self.source_field.get_foreign_related_value(o)[0] for o in instances}
        qs = qs.filter(**{path + "__in": sorted(owners, key=repr)}).annotate(**{marker: _F(path)})

        def row_key(row):
            return (getattr(row, marker),)

        return (qs, row_key, self.source_field.get_foreign_related_value,
                False, self.prefetch_cache_name, False)

    # -- keys -------------------------------------------------------------------
    def _key_of(self, obj, adding):
        """The other side's key stored in the through table for ``obj``: an
        object of the other model, or a raw key."""
        from django.db.models import Model

        fk = self.target_field
        if not isinstance(obj, Model):
            return fk.get_prep_value(obj)
        admit_related(self.instance, obj, self.model, check=check_addition if adding else None)
        key = fk.get_foreign_related_value(obj)[0]
        if key is None and adding:
            raise ValueError(
                'Cannot add "%r": the value for field "%s" is None' % (obj, fk.target_field.attname)
            )
        return key

    def _members(self, alias):
        # Part of set(): read where set() writes.
        their_column = self.target_field.target_field.attname
        current = self._related_rows().using(alias)
        return {key: key for key in current.values_list(their_column, flat=True)}

    def _member_key(self, obj):
        return self._key_of(obj, adding=False)

    # -- writing ----------------------------------------------------------------
    def _notify(self, action, pk_set, alias):
        m2m_changed.send(
            sender=self.through, action=action, instance=self.instance,
            reverse=self.reverse, model=self.model, pk_set=pk_set, using=alias,
        )

    def add(self, *objs, through_defaults=None):
        """Link ``objs`` (objects or keys): the links missing are inserted,
        and m2m_changed reports those only."""
        self._forget_prefetched()
        if not objs:
            return
        # The write database first, then each object checked against it.
        alias = self._write_alias()
        self._link(alias, self._keys_to_add(objs), through_defaults)

    add.alters_data = True

    def _keys_to_add(self, objs):
        """The keys of ``objs``, each object checked (once) for linking."""
        return {self._key_of(obj, adding=True) for obj in objs}

    def _link(self, alias, keys, through_defaults):
        """Insert on ``alias`` the links to ``keys`` missing there."""
        if not keys:
            return
        mine, theirs, own = self.source_field.attname, self.target_field.attname, self._own_key()
        wanted = {(own, key) for key in keys}
        if self.symmetrical:
            wanted |= {(key, own) for key in keys}
        with _all_or_nothing(self, alias):
            missing = wanted - set(self._links(alias, keys).values_list(mine, theirs))
            new_keys = {key for source, key in missing if source == own}
            self._notify("pre_add", new_keys, alias)
            defaults = dict(through_defaults or {})
            self._through_rows().using(alias).bulk_create([
                self.through(**{**defaults, mine: source, theirs: target})
                for source, target in sorted(missing, key=repr)
            ])
            self._notify("post_add", new_keys, alias)

    def remove(self, *objs):
        """Unlink ``objs`` (objects or keys)."""
        self._forget_prefetched()
        keys = {self._key_of(obj, adding=False) for obj in objs}
        if keys:
            self._unlink(self._write_alias(), keys)

    remove.alters_data = True

    def _unlink(self, alias, keys):
        if keys:
            with _all_or_nothing(self, alias):
                self._notify("pre_remove", keys, alias)
                self._links(alias, keys).delete()
                self._notify("post_remove", keys, alias)

    def clear(self):
        self._unlink_all(self._write_alias())

    clear.alters_data = True

    def _unlink_all(self, alias):
        with _all_or_nothing(self, alias):
            self._notify("pre_clear", None, alias)
            self._forget_prefetched()
            self._links(alias).delete()
            self._notify("post_clear", None, alias)

    def set(self, objs, *, clear=False, through_defaults=None):
        """Make ``objs`` the linked objects. The objects to link are checked
        (once each) before any link is removed: a refusal finds nothing
        written. Objects already linked are kept, unasked."""
        objs = list(objs)
        self._forget_prefetched()
        alias = self._write_alias()
        # Checked outside the block that writes: a refusal raised inside it
        # would leave the caller's transaction unusable.
        if clear:
            new_keys = self._keys_to_add(objs)
            with _all_or_nothing(self, alias):
                self._unlink_all(alias)
                self._link(alias, new_keys, through_defaults)
            return
        present = self._members(alias)
        keys = {self._member_key(obj): obj for obj in objs}
        new_keys = self._keys_to_add([obj for key, obj in keys.items() if key not in present])
        with _all_or_nothing(self, alias):
            self._unlink(alias, {key for key in present if key not in keys})
            self._link(alias, new_keys, through_defaults)

    set.alters_data = True

    def _object_alias(self):
        """Where create(), get_or_create() and update_or_create() look for
        and write the object of the other side: the one db_manager() bound,
        else the routers' write database for the instance's own class, hinted
        with the instance (what routers have always been asked here; no
        router: the instance's database). The link then goes where add()
        puts it."""
        instance = self.instance
        return self._db or router.route_write(type(instance), {"instance": instance})

    def _assign(self, objs):
        """``book.authors = [...]``, with 1.2's meaning: clear(), then add()
        the objects. All are checked first, so a refused one clears nothing."""
        alias = self._write_alias()
        keys = self._keys_to_add(list(objs))
        with _all_or_nothing(self, alias):
            self._unlink_all(alias)
            self._link(alias, keys, None)

    def create(self, *, through_defaults=None, **kwargs):
        """Create the object where _object_alias() says, then link it where
        add() puts links (the routers may place the two apart). When the
        link is refused or fails, the new object does not stay behind: both
        run in a block on the object's database, with a savepoint so that a
        refusal leaves an enclosing transaction usable."""
        alias = self._object_alias()
        with transaction.atomic(using=alias):
            obj = _model_manager_call(self, alias, "create", kwargs)
            self.add(obj, through_defaults=through_defaults)
        return obj

    create.alters_data = True

    def _find_or_make(self, method, through_defaults, kwargs):
        alias = self._object_alias()
        with transaction.atomic(using=alias):  # as in create()
            obj, made = _model_manager_call(self, alias, method, kwargs)
            if made:
                self.add(obj, through_defaults=through_defaults)  # new: link it
        return obj, made

    def get_or_create(self, *, through_defaults=None, **kwargs):
        return self._find_or_make("get_or_create", through_defaults, kwargs)

    get_or_create.alters_data = True

    def update_or_create(self, *, through_defaults=None, **kwargs):
        return self._find_or_make("update_or_create", through_defaults, kwargs)

    update_or_create.alters_data = True


def create_forward_many_to_many_manager(superclass, rel, reverse):
    """The manager class of one side of a many-to-many relation."""
    attributes = _through_side(rel, reverse)
    attributes["_rebuild"] = staticmethod(partial(create_forward_many_to_many_manager, rel=rel, reverse=reverse))
    return type("ManyRelatedManager", (ThroughRowsManager, superclass), attributes)
