"""Generic relations: a foreign key to any model (``GenericForeignKey``)
and its reverse side (``GenericRelation``).

A ``GenericForeignKey`` stores nothing itself: it reads and writes two
ordinary columns of its model, a ForeignKey to ContentType (``ct_field``)
and the target's primary key (``fk_field``).
"""
from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models, transaction
from django.db.models.fields.mixins import FieldCacheMixin
from django.db.models.query_utils import PathInfo
from django.utils.functional import cached_property

__all__ = ["GenericForeignKey", "GenericRelation", "GenericRel"]


def _content_type_manager():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects


class GenericForeignKey(FieldCacheMixin):
    """``content_object``: the object designated by ``(content_type,
    object_id)``; fetched on first access, then cached on the instance."""

    # What Options, forms and serializers see: a virtual many-to-one
    # relation; the two real fields it combines carry the data, so this
    # one has no column, is not edited and is not serialized itself.
    is_relation = many_to_one = True
    many_to_many = one_to_many = one_to_one = False
    concrete = auto_created = primary_key = hidden = False
    editable = serialize = False
    null = blank = True
    column = choices = related_model = remote_field = None

    def __init__(self, ct_field="content_type", fk_field="object_id", for_concrete_model=True):
        self.ct_field, self.fk_field = ct_field, fk_field
        self.for_concrete_model = for_concrete_model
        # Filled in by contribute_to_class().
        self.model = self.name = self.attname = self.verbose_name = None
        # Options sorts fields by creation order; take the next number as
        # a concrete field would, so we land where we were declared.
        self.creation_counter = models.Field.creation_counter
        models.Field.creation_counter += 1

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self.name)

    def __str__(self):
        if self.model is None:
            return self.__class__.__name__
        return "%s.%s" % (self.model._meta.label, self.name)

    def __lt__(self, other):
        return self.creation_counter < getattr(other, "creation_counter", 0)

    def contribute_to_class(self, cls, name, **kwargs):
        self.name = self.attname = name
        self.verbose_name = name.replace("_", " ")
        self.model = cls
        cls._meta.add_field(self, private=True)
        setattr(cls, name, self)

    def get_cache_name(self):
        return self.name

    cache_name = property(get_cache_name)

    def get_filter_kwargs_for_object(self, obj):
        """Filter kwargs matching the same target as ``obj``."""
        return {name: getattr(obj, name) for name in (self.ct_field, self.fk_field)}

    def get_forward_related_filter(self, obj):
        return {self.fk_field: obj.pk, self.ct_field: self.get_content_type(obj=obj).pk}

    def check(self, **kwargs):
        """fk_field and ct_field must exist; ct_field must be a ForeignKey
        to ContentType."""
        from django.core import checks

        errors = []
        opts = self.model._meta
        try:
            opts.get_field(self.fk_field)
        except FieldDoesNotExist:
            errors.append(checks.Error(
                "The GenericForeignKey object ID references the nonexistent field '%s'."
                % self.fk_field, obj=self, id="contenttypes.E001",
            ))
        try:
            field = opts.get_field(self.ct_field)
        except FieldDoesNotExist:
            errors.append(checks.Error(
                "The GenericForeignKey content type references the nonexistent field '%s.%s'."
                % (opts.object_name, self.ct_field), obj=self, id="contenttypes.E002",
            ))
        else:
            from django.contrib.contenttypes.models import ContentType

            if not (getattr(field, "many_to_one", False) and field.remote_field.model is ContentType):
                errors.append(checks.Error(
                    "'%s.%s' is not a ForeignKey to 'contenttypes.ContentType'."
                    % (opts.object_name, self.ct_field), obj=self, id="contenttypes.E003",
                ))
        return errors

    # -- values ----------------------------------------------------------------
    def get_content_type(self, obj=None, id=None):
        manager = _content_type_manager()
        if obj is not None:
            return manager.get_for_model(obj, for_concrete_model=self.for_concrete_model)
        if id is not None:
            return manager.get_for_id(id)
        raise ValueError("get_content_type() needs an object or an id.")

    def _ct_attname(self):
        return self.model._meta.get_field(self.ct_field).attname

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        ct_id = getattr(instance, self._ct_attname())
        pk_val = getattr(instance, self.fk_field)
        rel_obj = self.get_cached_value(instance, default=None)
        if rel_obj is not None:
            # The columns may have changed since the object was cached.
            same_type = ct_id == self.get_content_type(obj=rel_obj).pk
            if same_type and pk_val is not None:
                try:
                    same_pk = rel_obj._meta.pk.to_python(pk_val) == rel_obj.pk
                except Exception:
                    same_pk = False
                if same_pk:
                    return rel_obj
            rel_obj = None
        if ct_id is not None and pk_val is not None:
            try:
                ct = self.get_content_type(id=ct_id)
                rel_obj = ct.get_object_for_this_type(pk=pk_val)
            except (ObjectDoesNotExist, LookupError, ValueError, TypeError):
                rel_obj = None  # deleted or mismatched target
        self.set_cached_value(instance, rel_obj)
        return rel_obj

    def _target_of(self, value):
        """``(content type, primary key)`` designating ``value``."""
        if value is None:
            return None, None
        if not hasattr(value, "_meta"):
            raise TypeError(
                "%s.%s must be set to a model instance or None, not %r."
                % (self.model.__name__, self.name, value)
            )
        return self.get_content_type(obj=value), value.pk

    def __set__(self, instance, value):
        # Assigning the object writes both underlying fields; the object
        # itself is cached so reading it back costs no query.
        content_type, object_id = self._target_of(value)
        for name, part in ((self.ct_field, content_type), (self.fk_field, object_id)):
            setattr(instance, name, part)
        self.set_cached_value(instance, value)

    # -- prefetch_related ----------------------------------------------------------
    def get_prefetch_querysets(self, instances, querysets=None):
        """Group the instances by content type: one query for the content
        types not cached, then one query per type."""
        custom = {}
        for qs in querysets or ():
            custom[qs.model._meta.concrete_model] = qs
        ct_attname = self._ct_attname()
        fk_by_ct = defaultdict(set)
        for instance in instances:
            ct_id = getattr(instance, ct_attname)
            fk_val = getattr(instance, self.fk_field)
            if ct_id is not None and fk_val is not None:
                fk_by_ct[ct_id].add(fk_val)
        cts = _content_type_manager()._get_for_ids(list(fk_by_ct))
        results = []
        for ct_id, fk_vals in fk_by_ct.items():
            ct = cts.get(ct_id)
            model = ct.model_class() if ct is not None else None
            if model is None:
                continue
            qs = custom.get(model._meta.concrete_model)
            if qs is None:
                qs = model._base_manager.all()
            pks = set()
            for value in fk_vals:
                try:
                    pks.add(model._meta.pk.to_python(value))
                except Exception:
                    continue  # an object_id that cannot be this type's pk
            results.extend(qs.filter(pk__in=pks))

        def gfk_key(obj):
            ct_id = getattr(obj, ct_attname)
            ct = cts.get(ct_id)
            model = ct.model_class() if ct is not None else None
            if model is None:
                return None
            try:
                return (model._meta.pk.to_python(getattr(obj, self.fk_field)), model._meta.concrete_model)
            except Exception:
                return None

        return (
            results,
            lambda obj: (obj.pk, obj.__class__._meta.concrete_model),
            gfk_key,
            True,
            self.name,
            False,
        )

    def get_prefetch_queryset(self, instances, queryset=None):
        return self.get_prefetch_querysets(instances, [queryset] if queryset is not None else None)

    def is_cached(self, instance):
        return self.name in instance._state.fields_cache


class GenericRel:
    """The reverse side of a GenericRelation, as seen from the related
    model (hidden unless ``related_query_name`` is given)."""

    auto_created = True
    concrete = False
    editable = False
    is_relation = True
    many_to_many = False
    many_to_one = True
    one_to_many = False
    one_to_one = False
    null = True
    multiple = True
    symmetrical = False
    parent_link = False
    on_delete = models.DO_NOTHING
    limit_choices_to = None

    def __init__(self, field, to, related_name=None, related_query_name=None, limit_choices_to=None):
        self.field = field
        self.model = to
        self.related_name = related_query_name or "+"
        self.related_query_name = related_query_name
        self.limit_choices_to = limit_choices_to or {}

    def is_hidden(self):
        return self.related_name.endswith("+")

    hidden = property(is_hidden)

    @property
    def name(self):
        # The query name on the related model (TaggedItem.objects.filter(
        # bookmark__url=...)), when related_query_name is given.
        return self.related_query_name or self.related_name

    def get_path_info(self, filtered_relation=None):
        """From the related model (TaggedItem) back to the declaring one."""
        opts = self.field.model._meta
        return [PathInfo(
            from_opts=self.model._meta, to_opts=opts, target_fields=(opts.pk,),
            join_field=self.field, m2m=False, direct=False,
            filtered_relation=filtered_relation,
        )]

    @property
    def path_infos(self):
        return self.get_path_info()

    def get_accessor_name(self):
        return None

    @property
    def related_model(self):
        return self.field.model

    # Joining from the related model back to ours is the field's join
    # read in the other direction: the aliases swap places.
    def get_joining_columns(self):
        return self.field.get_reverse_joining_columns()

    def get_extra_restriction(self, alias, related_alias):
        return self.field.get_extra_restriction(related_alias, alias)

    # Lookups after the relation (``bookmark__url``) are the field's.
    def get_lookup(self, lookup_name):
        return self.field.get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        return self.field.get_transform(lookup_name)


def _bind_generic_target(declaring_model, target_model, field):
    """Runs once ``field``'s target model is loaded: record it, drop what
    was cached while it was still a string, and (with related_query_name)
    make the target queryable back through the relation."""
    relation = field.remote_field
    relation.model = target_model
    for stale in ("related_model", "path_infos"):
        field.__dict__.pop(stale, None)
    if relation.related_query_name and hasattr(target_model._meta, "add_reverse_relation"):
        target_model._meta.add_reverse_relation(relation)


class GenericRelation(models.Field):
    """``bookmark.tags``: the objects whose GenericForeignKey points at this
    instance. No column; a manager like a reverse foreign key's."""

    # From the declaring model, one instance has many related rows.
    one_to_many = True
    many_to_many = many_to_one = one_to_one = False
    auto_created = empty_strings_allowed = False
    rel_class = GenericRel

    # Options a generic relation cannot meaningfully take: there is no
    # column to fill in a form, validate, or dump.  They are forced (and
    # left out of deconstruct()).
    FORCED_OPTIONS = {"blank": True, "editable": False, "serialize": False}

    def __init__(self, to, object_id_field="object_id", content_type_field="content_type",
                 for_concrete_model=True, related_query_name=None, limit_choices_to=None, **kwargs):
        relation = self.rel_class(
            self, to, related_query_name=related_query_name, limit_choices_to=limit_choices_to,
        )
        super().__init__(rel=relation, **{**kwargs, **self.FORCED_OPTIONS})
        # Names of the GenericForeignKey's two fields on the related model.
        self.object_id_field_name = object_id_field
        self.content_type_field_name = content_type_field
        self.for_concrete_model = for_concrete_model

    # The data lives in the related model's two fields; a column of None
    # and no database type keep syncdb and the compiler away from us.
    def db_type(self, connection):
        return None

    def get_attname_column(self):
        return self.get_attname(), None

    def contribute_to_class(self, cls, name, **kwargs):
        # A private field: it takes part in queries and deletion, but
        # never in the model's concrete field list.
        super().contribute_to_class(cls, name, private_only=True)
        self.model = cls
        if not cls._meta.abstract:
            # ``to`` may be a string naming a model not loaded yet.
            from django.db.models.fields.related import lazy_related_operation

            lazy_related_operation(_bind_generic_target, cls, self.remote_field.model, field=self)
        setattr(cls, self.name, ReverseGenericManyToOneDescriptor(self.remote_field))

    @cached_property
    def related_model(self):
        return self.remote_field.model

    def get_cache_name(self):
        return self.name

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs = {key: value for key, value in kwargs.items() if key not in self.FORCED_OPTIONS}
        target = self.remote_field.model
        kwargs.update(
            to=target if isinstance(target, str) else target._meta.label_lower,
            object_id_field=self.object_id_field_name,
            content_type_field=self.content_type_field_name,
        )
        query_name = self.remote_field.related_query_name
        if query_name:
            kwargs["related_query_name"] = query_name
        return name, "django.contrib.contenttypes.fields.GenericRelation", args, kwargs

    # -- the related model's columns --------------------------------------------
    def _object_id_field(self):
        return self.remote_field.model._meta.get_field(self.object_id_field_name)

    def _content_type_field(self):
        return self.remote_field.model._meta.get_field(self.content_type_field_name)

    def get_content_type(self):
        """The content type of the model declaring this relation."""
        return _content_type_manager().get_for_model(
            self.model, for_concrete_model=self.for_concrete_model
        )

    # -- joins (used once the query layer follows multi-valued relations) --------
    def get_joining_columns(self, reverse_join=False):
        """``((related object_id column, pk column),)``; reversed for the
        join from this model to the related one."""
        pairs = ((self._object_id_field().column, self.model._meta.pk.column),)
        if reverse_join:
            return tuple((b, a) for a, b in pairs)
        return pairs

    def get_reverse_joining_columns(self):
        return self.get_joining_columns(reverse_join=True)

    def get_extra_restriction(self, alias, remote_alias):
        """The join also matches the content type: ``remote.content_type_id = X``."""
        field = self._content_type_field()
        lookup = field.get_lookup("exact")(field.get_col(remote_alias), self.get_content_type().pk)
        return lookup

    def get_path_info(self, filtered_relation=None):
        opts = self.remote_field.model._meta
        return [PathInfo(
            from_opts=self.model._meta, to_opts=opts, target_fields=(opts.pk,),
            join_field=self.remote_field, m2m=True, direct=False,
            filtered_relation=filtered_relation,
        )]

    @cached_property
    def path_infos(self):
        return self.get_path_info()

    # -- deletion ------------------------------------------------------------------
    def bulk_related_objects(self, objs, using=None):
        """The related rows pointing at ``objs`` (the deletion collector
        cascades to them)."""
        return self.remote_field.model._base_manager.filter(**{
            self._content_type_field().attname: self.get_content_type().pk,
            "%s__in" % self.object_id_field_name: [obj.pk for obj in objs],
        })

    def value_from_object(self, obj):
        return list(getattr(obj, self.attname).all())


class ReverseGenericManyToOneDescriptor:
    """``bookmark.tags`` returns a manager of the TaggedItems of bookmark."""

    def __init__(self, rel):
        self.rel, self.field = rel, rel.field

    @cached_property
    def related_manager_cls(self):
        # Built on first use: the related model may not exist at class
        # creation time, and its default manager class is the base.
        base = type(self.rel.model._default_manager)
        return create_generic_related_manager(base, self.rel)

    def __get__(self, instance, cls=None):
        # On the class: the descriptor itself (introspection, docs).
        return self if instance is None else self.related_manager_cls(instance)

    def __set__(self, instance, value):
        # ``bookmark.tags = [...]`` replaces the whole set.
        self.related_manager_cls(instance).set(value)


def _prefetch_cache(instance):
    return getattr(instance, "_prefetched_objects_cache", {})


def create_generic_related_manager(superclass, rel):
    """The manager class of ``bookmark.tags``: ``superclass`` is the related
    model's default manager class."""

    class GenericRelatedObjectManager(superclass):
        def __init__(self, instance=None):
            super().__init__()
            generic = rel.field
            self.model, self.field, self.instance = rel.model, generic, instance
            self.pk_val = instance.pk
            self.content_type = generic.get_content_type()
            self.content_type_field_name = generic.content_type_field_name
            self.object_id_field_name = generic.object_id_field_name
            self.prefetch_cache_name = generic.attname
            # Filter on the raw content_type_id column rather than through
            # the foreign key: same rows, no join to django_content_type.
            ct_field = self.model._meta.get_field(self.content_type_field_name)
            self.content_type_attname = ct_field.attname
            self.core_filters = dict(
                ((self.content_type_attname, self.content_type.pk),
                 (self.object_id_field_name, self.pk_val))
            )

        def __call__(self, *, manager):
            """``bookmark.tags(manager="public")``: the same related rows
            seen through another manager of the related model."""
            other_base = type(getattr(self.model, manager))
            return create_generic_related_manager(other_base, rel)(instance=self.instance)

        def _check_saved(self):
            if self.pk_val is None:
                raise ValueError(
                    "%r needs a primary key value before the generic relation '%s' "
                    "can be used." % (self.instance, self.field.name)
                )

        def _apply_rel_filters(self, queryset):
            return queryset.filter(**self.core_filters)

        def _remove_prefetched_objects(self):
            try:
                self.instance._prefetched_objects_cache.pop(self.prefetch_cache_name, None)
            except AttributeError:
                pass

        def _related_queryset(self):
            self._check_saved()
            return self._apply_rel_filters(super().get_queryset())

        def get_queryset(self):
            try:
                return _prefetch_cache(self.instance)[self.prefetch_cache_name]
            except KeyError:
                return self._related_queryset()

        def get_prefetch_querysets(self, instances, querysets=None):
            """One query for the related rows of every instance."""
            queryset = querysets[0] if querysets else super().get_queryset()
            ct_pk = self.content_type.pk
            queryset = queryset.filter(**{
                self.content_type_attname: ct_pk,
                "%s__in" % self.object_id_field_name: {obj.pk for obj in instances},
            })
            object_id_field = self.model._meta.get_field(self.object_id_field_name)
            pk_field = instances[0]._meta.pk if instances else None

            def rel_obj_attr(obj):
                value = getattr(obj, object_id_field.attname)
                return (pk_field.to_python(value) if pk_field is not None else value,)

            return (
                queryset,
                rel_obj_attr,
                lambda obj: (obj.pk,),
                False,
                self.prefetch_cache_name,
                False,
            )

        def get_prefetch_queryset(self, instances, queryset=None):
            return self.get_prefetch_querysets(instances, [queryset] if queryset is not None else None)

        def _check_instance(self, obj):
            if not isinstance(obj, self.model):
                raise TypeError(
                    "'%s' instance expected, got %r" % (self.model._meta.object_name, obj)
                )

        def add(self, *objs, bulk=True):
            """Point ``objs`` at the instance (saving them)."""
            self._check_saved()
            self._remove_prefetched_objects()
            pointer = {
                self.content_type_field_name: self.content_type,
                self.object_id_field_name: self.pk_val,
            }
            # All or nothing: a bad object in the middle saves none of them.
            with transaction.atomic(savepoint=False):
                for obj in objs:
                    self._check_instance(obj)
                    for attribute, value in pointer.items():
                        setattr(obj, attribute, value)
                    obj.save()

        add.alters_data = True

        def remove(self, *objs, bulk=True):
            """Delete ``objs`` (a generic relation cannot be nulled out)."""
            self._check_saved()
            pks = []
            for obj in objs:
                self._check_instance(obj)
                pks.append(obj.pk)
            self._clear(self._related_queryset().filter(pk__in=pks), bulk)

        remove.alters_data = True

        def clear(self, *, bulk=True):
            """Delete every related object."""
            self._clear(self._related_queryset(), bulk)

        clear.alters_data = True

        def _clear(self, queryset, bulk):
            self._remove_prefetched_objects()
            with transaction.atomic(savepoint=False):
                if bulk:
                    queryset.delete()
                else:
                    for obj in list(queryset):
                        obj.delete()

        def set(self, objs, *, bulk=True, clear=False):
            """Make ``objs`` exactly the related objects: the others are
            deleted, the new ones added."""
            self._check_saved()
            objs = tuple(objs)
            with transaction.atomic(savepoint=False):
                if clear:
                    self.clear(bulk=bulk)
                    self.add(*objs, bulk=bulk)
                    return
                old = set(self._related_queryset())
                new = []
                for obj in objs:
                    if obj in old:
                        old.discard(obj)
                    else:
                        new.append(obj)
                self.remove(*old, bulk=bulk)
                self.add(*new, bulk=bulk)

        set.alters_data = True

        def create(self, **kwargs):
            self._check_saved()
            self._remove_prefetched_objects()
            kwargs[self.content_type_field_name] = self.content_type
            kwargs[self.object_id_field_name] = self.pk_val
            return self.model._default_manager.create(**kwargs)

        create.alters_data = True

        def get_or_create(self, **kwargs):
            self._check_saved()
            kwargs[self.content_type_field_name] = self.content_type
            kwargs[self.object_id_field_name] = self.pk_val
            return self.model._default_manager.get_or_create(**kwargs)

        get_or_create.alters_data = True

        def update_or_create(self, **kwargs):
            self._check_saved()
            kwargs[self.content_type_field_name] = self.content_type
            kwargs[self.object_id_field_name] = self.pk_val
            return self.model._default_manager.update_or_create(**kwargs)

        update_or_create.alters_data = True

    return GenericRelatedObjectManager
