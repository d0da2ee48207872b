"""Descriptors and related managers: the attributes relations put on models.

    Book.author         ForwardManyToOneDescriptor  -> a Person (cached)
    Book.author_id      ForeignKeyDeferredAttribute -> the raw column value
    Person.book_set     ReverseManyToOneDescriptor  -> a RelatedManager
    Place.restaurant    ReverseOneToOneDescriptor   -> a Restaurant
    Book.authors        ManyToManyDescriptor        -> a ManyRelatedManager
    Person.book_set...  ManyToManyDescriptor(reverse=True)

Every queryset they build starts from ``related_queryset(manager, instance)``:
the one place that decides which database a related lookup runs on (the
multi-database branch applies the instance's database there).
"""
from django.db import transaction
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import m2m_changed
from django.utils.functional import cached_property


def related_queryset(manager, instance):
    """The base queryset of ``manager`` for a relation seen from ``instance``.

    Every descriptor and related manager builds its queries through this
    function, so that the database the instance came from can be applied to
    them in one place."""
    return manager.get_queryset()


def _all_or_nothing():
    """The block around a related manager's multi-row write. It joins the
    caller's transaction without a savepoint: a failure aborts the whole
    operation anyway, and savepoints cost a round trip each."""
    return transaction.atomic(savepoint=False)


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


def _check_assigned(value, wanted_model, owner, attr):
    from django.db.models import Model

    if isinstance(value, Model) and isinstance(value, wanted_model):
        return
    raise ValueError(
        'Cannot assign "%r": "%s.%s" must be a "%s" instance.'
        % (value, owner._meta.object_name, attr, wanted_model._meta.object_name)
    )


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
            _check_assigned(value, reverse_side.model._meta.concrete_model, instance, fk.name)
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
        _check_assigned(value, rel.related_model, instance, rel.get_accessor_name())
        for mine, theirs in o2o.related_fields:
            setattr(value, mine.attname, getattr(instance, theirs.attname))
        rel.set_cached_value(instance, value)
        o2o.set_cached_value(value, instance)

    def __reduce__(self):
        return getattr, (self.related.model, self.related.name)


# -------------------------------------------------------------------------
# Reverse many-to-one: person.book_set
# -------------------------------------------------------------------------
def _cached_results(owner, key):
    return getattr(owner, "_prefetched_objects_cache", {}).get(key)


def _drop_cached_results(owner, key):
    cache = getattr(owner, "_prefetched_objects_cache", None)
    if cache is not None:
        cache.pop(key, None)


class ReverseManyToOneDescriptor:
    """``person.book_set``: a manager of the rows pointing at ``person``.
    Assigning an iterable replaces them (``set()``)."""

    def __init__(self, rel):
        self.rel, self.field = rel, rel.field

    @cached_property
    def related_manager_cls(self):
        # Built on the class of the related model's default manager, so its
        # custom methods work on person.book_set too.
        default_cls = type(self.rel.related_model._default_manager)
        return create_reverse_many_to_one_manager(default_cls, self.rel)

    def __get__(self, instance, cls=None):
        # On the class (Person.book_set) the descriptor itself is returned.
        return self if instance is None else self.related_manager_cls(instance)

    def __set__(self, instance, value):
        # The baseline era allowed assignment: it means set().
        self.__get__(instance).set(value)


def create_reverse_many_to_one_manager(superclass, rel):
    """The manager class of ``person.book_set``: ``superclass`` is the class
    of the related model's default manager, so its custom methods apply."""
    fk = rel.field

    class RelatedManager(superclass):
        def __init__(self, instance):
            super().__init__()
            self.instance, self.model, self.field = instance, rel.related_model, fk
            self.core_filters = {fk.name: instance}

        def __call__(self, *, manager):
            other = getattr(self.model, manager).__class__
            return create_reverse_many_to_one_manager(other, rel)(self.instance)

        # -- reading ----------------------------------------------------------
        def _owner_values(self):
            return [getattr(self.instance, theirs.attname) for _, theirs in fk.related_fields]

        def _check_fk_val(self):
            for target in fk.foreign_related_fields:
                _require_value(self.instance, target.attname, getattr(self.instance, target.attname))

        def _base_queryset(self):
            return related_queryset(super(), self.instance)

        def _apply_rel_filters(self, queryset):
            """Restrict ``queryset`` to the rows pointing at the instance:
            every query of this manager goes through here."""
            values = self._owner_values()
            empty_is_null = getattr(
                queryset.db.features, "interprets_empty_strings_as_nulls", False
            )
            if any(v is None or (v == "" and empty_is_null) for v in values):
                return queryset.none()
            conditions = {}
            for (mine, _), value in zip(fk.related_fields, values):
                conditions[mine.attname] = value
            queryset = queryset.filter(**conditions)
            # Rows fetched here already know their parent: no query for
            # book.author afterwards.
            queryset._known_related_objects = {fk: {tuple(values): self.instance}}
            return queryset

        def _cache_key(self):
            return fk.remote_field.get_cache_name()

        def _remove_prefetched_objects(self):
            _drop_cached_results(self.instance, self._cache_key())

        def get_queryset(self):
            self._check_fk_val()
            cached = _cached_results(self.instance, self._cache_key())
            if cached is not None:
                return cached
            return self._apply_rel_filters(self._base_queryset())

        def get_prefetch_querysets(self, instances, querysets=None):
            qs = querysets[0] if querysets else self._base_queryset()
            row_key = fk.get_local_related_value
            owner_key = fk.get_foreign_related_value
            qs = qs.filter(**{fk.attname + "__in": [owner_key(o)[0] for o in instances]})
            index = {owner_key(o): o for o in instances}

            def remember_owner(row, owner):
                if not fk.is_cached(row):
                    fk.set_cached_value(row, owner)

            qs = _CachingPrefetch(qs, _backfill(index, row_key, remember_owner))
            return qs, row_key, owner_key, False, self._cache_key(), False

        def get_prefetch_queryset(self, instances, queryset=None):
            return self.get_prefetch_querysets(instances, None if queryset is None else [queryset])

        # -- writing ----------------------------------------------------------
        def _expect_own_model(self, obj):
            if not isinstance(obj, self.model):
                raise TypeError(
                    "'%s' instance expected, got %r" % (self.model._meta.object_name, obj)
                )

        def _owned(self, kwargs):
            """``kwargs`` plus the foreign key pointing at our instance."""
            return {**kwargs, fk.name: self.instance}

        def add(self, *objs, bulk=True):
            self._check_fk_val()
            for obj in objs:
                self._expect_own_model(obj)
            self._remove_prefetched_objects()
            for obj in objs:
                setattr(obj, fk.name, self.instance)  # also caches the parent
            if bulk:
                self._repoint(objs)
            else:
                # One save() each: signals and custom save() run.
                with _all_or_nothing():
                    for obj in objs:
                        obj.save()

        add.alters_data = True

        def _repoint(self, objs):
            """A single UPDATE moving existing rows to our instance."""
            first_unsaved = next((obj for obj in objs if obj._state.adding), None)
            if first_unsaved is not None:
                raise ValueError(
                    "%r instance isn't saved. Use bulk=False or save the object first." % first_unsaved
                )
            if not objs:
                return
            columns = [mine.attname for mine, _theirs in fk.related_fields]
            rows = related_queryset(self.model._base_manager, self.instance)
            rows.filter(pk__in=[obj.pk for obj in objs]).update(**dict(zip(columns, self._owner_values())))

        def create(self, **kwargs):
            self._check_fk_val()
            self._remove_prefetched_objects()
            return self._base_queryset().create(**self._owned(kwargs))

        create.alters_data = True

        def get_or_create(self, **kwargs):
            self._check_fk_val()
            return self._apply_rel_filters(self._base_queryset()).get_or_create(**self._owned(kwargs))

        get_or_create.alters_data = True

        def update_or_create(self, **kwargs):
            self._check_fk_val()
            return self._apply_rel_filters(self._base_queryset()).update_or_create(**self._owned(kwargs))

        update_or_create.alters_data = True

        # remove() and clear() only exist when the column may be NULL.
        if fk.null:
            def remove(self, *objs, bulk=True):
                if not objs:
                    return
                self._check_fk_val()
                mine = fk.get_foreign_related_value(self.instance)
                pks = set()
                for obj in objs:
                    self._expect_own_model(obj)
                    if fk.get_local_related_value(obj) != mine:
                        raise fk.remote_field.model.DoesNotExist(
                            "%r is not related to %r." % (obj, self.instance)
                        )
                    pks.add(obj.pk)
                self._clear(self._apply_rel_filters(self._base_queryset()).filter(pk__in=pks), bulk)

            remove.alters_data = True

            def clear(self, *, bulk=True):
                self._check_fk_val()
                self._clear(self._apply_rel_filters(self._base_queryset()), bulk)

            clear.alters_data = True

            def _clear(self, rows, bulk):
                self._remove_prefetched_objects()
                if bulk:
                    rows.update(**{fk.attname: None})  # one UPDATE, no signals
                else:
                    with _all_or_nothing():
                        for obj in rows:
                            # Through the descriptor: the cached parent goes too.
                            setattr(obj, fk.name, None)
                            obj.save(update_fields=[fk.name])

            _clear.alters_data = True

        def set(self, objs, *, bulk=True, clear=False):
            self._check_fk_val()
            wanted = list(objs)
            if not fk.null:
                # A row cannot lose a NOT NULL foreign key: set() only adds.
                self.add(*wanted, bulk=bulk)
                return
            with _all_or_nothing():
                if clear:
                    self.clear(bulk=bulk)
                    missing = wanted
                else:
                    linked = set(self._apply_rel_filters(self._base_queryset()))
                    self.remove(*linked.difference(wanted), bulk=bulk)
                    missing = [obj for obj in wanted if obj not in linked]
                self.add(*missing, bulk=bulk)

        set.alters_data = True

    return RelatedManager


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

    @cached_property
    def related_manager_cls(self):
        managed = self.rel.related_model if self.reverse else self.rel.model
        manager_cls = type(managed._default_manager)
        return create_forward_many_to_many_manager(manager_cls, self.rel, reverse=self.reverse)


def _m2m_side(rel, reverse):
    """(model managed, lookup name from it back to us, prefetch cache key,
    through FK pointing at us, through FK pointing at them, symmetrical)."""
    m2m = rel.field
    if reverse:
        return (rel.related_model, m2m.name, m2m.related_query_name(),
                m2m.m2m_reverse_field_name(), m2m.m2m_field_name(), False)
    return (rel.model, m2m.related_query_name(), m2m.name,
            m2m.m2m_field_name(), m2m.m2m_reverse_field_name(), rel.symmetrical)


def create_forward_many_to_many_manager(superclass, rel, reverse):
    """The manager class of one side of a many-to-many relation."""

    class ManyRelatedManager(superclass):
        def __init__(self, instance=None):
            super().__init__()
            self.instance, self.reverse = instance, reverse
            (
                self.model, self.query_field_name, self.prefetch_cache_name,
                self.source_field_name, self.target_field_name, self.symmetrical,
            ) = _m2m_side(rel, reverse)
            self.through = rel.through
            through_meta = self.through._meta
            self.source_field = through_meta.get_field(self.source_field_name)
            self.target_field = through_meta.get_field(self.target_field_name)
            self.related_val = self.source_field.get_foreign_related_value(instance)
            if None in self.related_val:
                _require_value(instance, self.source_field.target_field.name, None)

        def __call__(self, *, manager):
            other = getattr(self.model, manager).__class__
            return create_forward_many_to_many_manager(other, rel, reverse)(instance=self.instance)

        # -- reading ----------------------------------------------------------
        def _base_queryset(self):
            return related_queryset(super(), self.instance)

        def _through_queryset(self):
            return related_queryset(self.through._default_manager, self.instance)

        def _own_value(self):
            return self.related_val[0]

        def _apply_rel_filters(self, queryset):
            """Restrict ``queryset`` (of the other model) to the objects
            linked to the instance: every query of this manager goes through
            here."""
            links = self._through_queryset().filter(
                **{self.source_field.attname: self._own_value()}
            ).values(self.target_field.attname)
            their_column = self.target_field.target_field.attname
            return queryset.filter(**{their_column + "__in": links})

        def _remove_prefetched_objects(self):
            _drop_cached_results(self.instance, self.prefetch_cache_name)

        def get_queryset(self):
            cached = _cached_results(self.instance, self.prefetch_cache_name)
            if cached is not None:
                return cached
            return self._apply_rel_filters(self._base_queryset())

        def get_prefetch_querysets(self, instances, querysets=None):
            """One query: the related objects joined to the intermediary
            table, each row carrying the value of the instance it belongs to
            in an annotation."""
            qs = querysets[0] if querysets else self._base_queryset()
            path = LOOKUP_JOIN.join((self.query_field_name, self.source_field.target_field.name))
            marker = "_prefetch_related_val_" + self.source_field.attname
            owners = {self.source_field.get_foreign_related_value(o)[0] for o in instances}
            qs = qs.filter(**{path + "__in": sorted(owners, key=repr)})
            qs = qs.annotate(**{marker: _F(path)})

            def row_key(row):
                return (getattr(row, marker),)

            return (qs, row_key, self.source_field.get_foreign_related_value,
                    False, self.prefetch_cache_name, False)

        def get_prefetch_queryset(self, instances, queryset=None):
            return self.get_prefetch_querysets(instances, None if queryset is None else [queryset])

        # -- writing ----------------------------------------------------------
        def _notify(self, action, pk_set):
            m2m_changed.send(
                sender=self.through, action=action, instance=self.instance,
                reverse=self.reverse, model=self.model, pk_set=pk_set,
            )

        def _key_of(self, obj, fk_name, adding):
            """The value stored in the through table for ``obj`` (an object
            of the other model, or a raw key)."""
            from django.db.models import Model

            fk = self.through._meta.get_field(fk_name)
            if isinstance(obj, self.model):
                key = fk.get_foreign_related_value(obj)[0]
                if key is None and adding:
                    raise ValueError(
                        'Cannot add "%r": the value for field "%s" is None'
                        % (obj, fk.target_field.attname)
                    )
                return key
            if isinstance(obj, Model):
                raise TypeError(
                    "'%s' instance expected, got %r" % (self.model._meta.object_name, obj)
                )
            return fk.get_prep_value(obj)

        def _link(self, from_name, to_name, objs, through_defaults):
            """Insert the missing (from, to) rows; signals for one direction."""
            from_fk = self.through._meta.get_field(from_name)
            to_fk = self.through._meta.get_field(to_name)
            keys = {self._key_of(obj, to_name, adding=True) for obj in objs}
            present = set(self._through_queryset().filter(**{
                from_fk.attname: self._own_value(),
                to_fk.attname + "__in": keys,
            }).values_list(to_fk.attname, flat=True))
            new_keys = keys - present
            reporting = from_name == self.source_field_name
            if reporting:
                self._notify("pre_add", new_keys)
            if new_keys:
                extra = dict(through_defaults or {})
                rows = []
                for key in sorted(new_keys, key=repr):
                    values = dict(extra)
                    values[from_fk.attname] = self._own_value()
                    values[to_fk.attname] = key
                    rows.append(self.through(**values))
                self._through_queryset().bulk_create(rows)
            if reporting:
                self._notify("post_add", new_keys)

        def _unlink_filter(self, keys=None):
            """Through rows of the instance (limited to ``keys`` of the other
            side), both directions for a symmetrical relation."""
            from django.db.models.query_utils import Q

            mine, theirs = self.source_field.attname, self.target_field.attname
            pairs = [(mine, theirs)]
            if self.symmetrical:
                pairs.append((theirs, mine))
            condition = Q()
            for here, there in pairs:
                part = {here: self._own_value()}
                if keys is not None:
                    part[there + "__in"] = keys
                condition |= Q(**part)
            return condition

        def _directions(self):
            """(our column, their column) pairs to write: a symmetrical
            relation stores each link both ways."""
            forward = (self.source_field_name, self.target_field_name)
            return [forward, forward[::-1]] if self.symmetrical else [forward]

        def add(self, *objs, through_defaults=None):
            self._remove_prefetched_objects()
            if objs:
                with _all_or_nothing():
                    for ours, theirs in self._directions():
                        self._link(ours, theirs, objs, through_defaults)

        add.alters_data = True

        def remove(self, *objs):
            self._remove_prefetched_objects()
            keys = {self._key_of(obj, self.target_field_name, adding=False) for obj in objs}
            if keys:
                with _all_or_nothing():
                    self._notify("pre_remove", keys)
                    self._through_queryset().filter(self._unlink_filter(keys)).delete()
                    self._notify("post_remove", keys)

        remove.alters_data = True

        def clear(self):
            with _all_or_nothing():
                self._notify("pre_clear", None)
                self._remove_prefetched_objects()
                self._through_queryset().filter(self._unlink_filter()).delete()
                self._notify("post_clear", None)

        clear.alters_data = True

        def set(self, objs, *, clear=False, through_defaults=None):
            wanted = list(objs)
            with _all_or_nothing():
                if clear:
                    self.clear()
                    self.add(*wanted, through_defaults=through_defaults)
                    return
                their_column = self.target_field.target_field.attname
                linked = set(self._apply_rel_filters(self._base_queryset()).values_list(
                    their_column, flat=True))
                to_add = []
                for obj in wanted:
                    key = self._key_of(obj, self.target_field_name, adding=False)
                    if key in linked:
                        linked.discard(key)
                    else:
                        to_add.append(obj)
                self.remove(*linked)
                self.add(*to_add, through_defaults=through_defaults)

        set.alters_data = True

        def create(self, *, through_defaults=None, **kwargs):
            obj = self._base_queryset().create(**kwargs)
            self.add(obj, through_defaults=through_defaults)
            return obj

        create.alters_data = True

        def _get_or_update(self, method, through_defaults, kwargs):
            qs = self._apply_rel_filters(self._base_queryset())
            obj, made = getattr(qs, method)(**kwargs)
            # A new object still has to be linked.
            if made:
                self.add(obj, through_defaults=through_defaults)
            return obj, made

        def get_or_create(self, *, through_defaults=None, **kwargs):
            return self._get_or_update("get_or_create", through_defaults, kwargs)

        get_or_create.alters_data = True

        def update_or_create(self, *, through_defaults=None, **kwargs):
            return self._get_or_update("update_or_create", through_defaults, kwargs)

        update_or_create.alters_data = True

    return ManyRelatedManager


LOOKUP_JOIN = "__"
