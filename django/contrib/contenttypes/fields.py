"""Generic relations: a foreign key to any model (``GenericForeignKey``)
and its reverse side (``GenericRelation``).

A ``GenericForeignKey`` stores nothing itself: it reads and writes two
ordinary columns of its model, a ForeignKey to ContentType (``ct_field``)
and the target's primary key (``fk_field``).

Each database numbers its content types itself, so a content type id is
only meaningful on the database its row is stored on: every lookup here
names the database it is for (the instance's), and the ContentType
manager caches each database apart.
"""
from collections import defaultdict
from functools import partial
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models.fields.mixins import FieldCacheMixin
from django.db.models.fields.related_descriptors import (
    DetachableRowsMixin, PointingRowsManager, ReverseManyToOneDescriptor,
)
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.query_utils import PathInfo
from django.utils.functional import cached_property

__all__ = ["GenericForeignKey", "GenericRelation", "GenericRel"]


def _content_type_manager(using=None):
    """``ContentType.objects`` reading the database ``using`` (None: where
    ContentType reads are routed)."""
    from django.contrib.contenttypes.models import ContentType

    manager = ContentType.objects
    return manager if using is None else manager.db_manager(using)


def _content_type_or_none(ct_id, using=None):
    try:
        return _content_type_manager(using).get_for_id(ct_id)
    except ObjectDoesNotExist:
        return None


def _row_identity(obj):
    """What a GenericForeignKey target is matched by: a proxy's row is its
    concrete model's row."""
    return obj.pk, type(obj)._meta.concrete_model


def _target_identity(target):
    model, key = target
    return key, model._meta.concrete_model


def _fetch_target(model, key, using):
    try:
        return model._base_manager.using(using).get(pk=key)
    except model.DoesNotExist:
        return None  # deleted since


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
    def get_content_type(self, obj=None, id=None, using=None):
        """The ContentType of ``obj`` (or with primary key ``id``) as the
        database ``using`` numbers it; without ``using``: ``obj``'s
        database, else where ContentType reads are routed."""
        if obj is not None:
            manager = _content_type_manager(using or obj._state.db)
            return manager.get_for_model(obj, for_concrete_model=self.for_concrete_model)
        if id is not None:
            return _content_type_manager(using).get_for_id(id)
        raise ValueError("get_content_type() needs an object or an id.")

    def _ct_attname(self):
        return self.model._meta.get_field(self.ct_field).attname

    def _designated(self, instance, content_type_of):
        """``(model, primary key)`` designated by the instance's two columns,
        or None: a column is NULL, the content type names no installed
        model, or the id cannot be a key of that model. ``content_type_of``
        maps a content type id to its ContentType (or None)."""
        ct_id, raw_key = getattr(instance, self._ct_attname()), getattr(instance, self.fk_field)
        content_type = None if ct_id is None or raw_key is None else content_type_of(ct_id)
        model = content_type.model_class() if content_type is not None else None
        if model is None:
            return None
        try:
            return model, model._meta.pk.to_python(raw_key)
        except (ValidationError, ValueError, TypeError):
            return None

    def __get__(self, instance, cls=None):
        # The two columns are the instance's database's numbering, and the
        # object is read there too (as Django does: no router is asked).
        if instance is None:
            return self
        using = instance._state.db
        target = self._designated(instance, partial(_content_type_or_none, using=using))
        cached = self.get_cached_value(instance, default=None)
        # The columns may have changed since the object was cached.
        if cached is None or target is None or _row_identity(cached) != _target_identity(target):
            cached = None if target is None else _fetch_target(*target, using)
            self.set_cached_value(instance, cached)
        return cached

    def _target_of(self, instance, value):
        """``(content type, primary key)`` designating ``value``: the content
        type as ``value``'s database numbers it (the instance's if ``value``
        has none yet)."""
        if value is None:
            return None, None
        if not hasattr(value, "_meta"):
            raise TypeError(
                "%s.%s must be set to a model instance or None, not %r."
                % (self.model.__name__, self.name, value)
            )
        return self.get_content_type(obj=value, using=value._state.db or instance._state.db), value.pk

    def __set__(self, instance, value):
        # Assigning the object writes both underlying fields; the object
        # itself is cached so reading it back costs no query.
        content_type, object_id = self._target_of(instance, value)
        # THE relation check of a generic foreign key: assigning the content
        # type goes through its ForeignKey's descriptor, whose gate
        # (admit_related) adopts a database for an unsaved instance and asks
        # the routers' allow_relation(); a refusal names the content type,
        # as in Django. The content type is the value's database's, so the
        # check judges the value's database against the instance's.
        setattr(instance, self.ct_field, content_type)
        setattr(instance, self.fk_field, object_id)
        if content_type is not None and instance._state.db not in (None, content_type._state.db):
            # The routers allowed a relation across databases: the row is
            # stored on the instance's database, so it must hold that
            # database's id of the content type.
            self._store_content_type(instance, self.get_content_type(obj=value, using=instance._state.db))
        self.set_cached_value(instance, value)

    def _store_content_type(self, instance, content_type):
        """Set the content type column without a second relation check."""
        ct_field = self.model._meta.get_field(self.ct_field)
        instance.__dict__[ct_field.attname] = content_type.pk
        ct_field.set_cached_value(instance, content_type)

    # -- prefetch_related ----------------------------------------------------------
    def get_prefetch_querysets(self, instances, querysets=None):
        """Group the instances by the model they designate: one query for
        the content types not cached, then one query per model."""
        given = {qs.model._meta.concrete_model: qs for qs in querysets or ()}
        ct_attname = self._ct_attname()
        ct_ids = {getattr(instance, ct_attname) for instance in instances} - {None}
        # The instances come from one query, so from one database: their
        # content type ids and the objects they designate are that database's.
        using = instances[0]._state.db if instances else None
        content_types = _content_type_manager(using)._get_for_ids(ct_ids)
        designated = partial(self._designated, content_type_of=content_types.get)
        keys_by_model = defaultdict(set)
        for target in filter(None, map(designated, instances)):
            keys_by_model[target[0]].add(target[1])
        rows = []
        for model, keys in keys_by_model.items():
            queryset = given.get(model._meta.concrete_model)
            if queryset is None:
                queryset = model._base_manager.using(using)
            rows.extend(queryset.filter(pk__in=keys))

        def instance_key(instance):
            target = designated(instance)
            return None if target is None else _target_identity(target)

        return rows, _row_identity, instance_key, True, self.name, False

    def get_prefetch_queryset(self, instances, queryset=None):
        return self.get_prefetch_querysets(instances, [queryset] if queryset is not None else None)

    def is_cached(self, instance):
        return self.name in instance._state.fields_cache


class _ContentTypeIs:
    """The condition a join over a GenericRelation adds to its ON clause,
    ``<related>.content_type_id = <id>``. The id is the one the database the
    statement is compiled for gives the declaring model, so it is looked up
    at compile time, when that database is known, not when the join is
    built."""

    def __init__(self, relation, column):
        self.relation, self.column = relation, column

    def as_sql(self, compiler, connection):
        using = compiler.db_alias or connection.alias
        content_type = self.relation.get_content_type(using=using)
        field = self.relation._content_type_field()
        return compiler.compile(field.get_lookup("exact")(self.column, content_type.pk))


class GenericRel(ForeignObjectRel):
    """The reverse side of a GenericRelation, as seen from the related
    model (hidden unless ``related_query_name`` is given). Lookups,
    transforms and joining columns are the field's, as for any reverse
    relation."""

    def __init__(self, field, to, related_name=None, related_query_name=None, limit_choices_to=None):
        # Only a query name can be given: there is no reverse accessor.
        super().__init__(field, to, related_query_name or "+", related_query_name,
                         limit_choices_to, on_delete=models.DO_NOTHING)

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

    def get_accessor_name(self, model=None):
        """None: the related model gets no attribute for this relation."""

    def get_extra_restriction(self, alias, related_alias):
        # The field's content type condition, with the aliases swapped.
        return self.field.get_extra_restriction(related_alias, alias)


def _bind_generic_target(declaring_model, target_model, field):
    """Runs once ``field``'s target model is loaded: record it, drop what
    was cached while it was still a string, and (with related_query_name)
    make the target queryable back through the relation."""
    relation = field.remote_field
    relation.model = target_model
    field.__dict__.pop("path_infos", None)
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
        # The names of the GenericForeignKey's two fields on the related
        # model, and whether a proxy instance is designated as its concrete
        # model (the content type the rows hold).
        self.object_id_field_name, self.content_type_field_name = object_id_field, content_type_field
        self.for_concrete_model = for_concrete_model
        relation = self.rel_class(self, to, related_query_name=related_query_name,
                                  limit_choices_to=limit_choices_to)
        super().__init__(rel=relation, **{**kwargs, **self.FORCED_OPTIONS})

    # The data lives in the related model's two fields; a column of None
    # (the field is not concrete) and no database type keep syncdb and the
    # compiler away from us.
    def db_type(self, connection):
        """No column, so no type."""

    def get_attname_column(self):
        return self.name, None

    def contribute_to_class(self, cls, name, **kwargs):
        # A private field: it takes part in queries and deletion, but
        # never in the model's concrete field list.
        super().contribute_to_class(cls, name, private_only=True)
        if not cls._meta.abstract:
            # ``to`` may be a string naming a model not loaded yet.
            from django.db.models.fields.related import lazy_related_operation

            lazy_related_operation(_bind_generic_target, cls, self.remote_field.model, field=self)
        setattr(cls, self.name, ReverseGenericManyToOneDescriptor(self.remote_field))

    # The model class once the relation is bound, its name until then.
    related_model = property(attrgetter("remote_field.model"))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
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
        return name, path, args, kwargs

    # -- the related model's columns --------------------------------------------
    def _object_id_field(self):
        return self.remote_field.model._meta.get_field(self.object_id_field_name)

    def _content_type_field(self):
        return self.remote_field.model._meta.get_field(self.content_type_field_name)

    def get_content_type(self, using=None):
        """The content type of the model declaring this relation, as the
        database ``using`` (None: where ContentType reads are routed)
        records it: each database numbers its content types itself."""
        return _content_type_manager(using).get_for_model(
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
        return _ContentTypeIs(self, self._content_type_field().get_col(remote_alias))

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
        """The related rows pointing at ``objs`` on the database ``using``
        (None: where the related model's reads are routed), matched with
        that database's content type: the deletion collector cascades to
        them on the database it deletes from."""
        rows = self.remote_field.model._base_manager.using(using)
        return rows.filter(**{
            self._content_type_field().attname: self.get_content_type(using=rows.db).pk,
            "%s__in" % self.object_id_field_name: [obj.pk for obj in objs],
        })

    def value_from_object(self, obj):
        return list(getattr(obj, self.attname).all())


class ReverseGenericManyToOneDescriptor(ReverseManyToOneDescriptor):
    """``bookmark.tags`` returns a manager of the TaggedItems of bookmark;
    assigning an iterable replaces them (``set()``)."""

    def managed_model(self):
        return self.rel.model

    def build_manager_class(self, superclass):
        return create_generic_related_manager(superclass, self.rel)


class GenericRowsManager(DetachableRowsMixin, PointingRowsManager):
    """``bookmark.tags``: the rows whose (content type, object id) columns
    designate the instance. The factory sets ``field`` (the
    GenericRelation) and the names of the two columns. Removing a row
    deletes it: the generic foreign key has no "points nowhere" value."""

    def __init__(self, instance=None):
        super().__init__()
        self.instance, self.model = instance, self.field.remote_field.model
        self.pk_val = instance.pk
        # The id the rows hold is the instance's database's numbering (as in
        # Django: looked up there, no router asked).
        self.content_type = self.field.get_content_type(using=instance._state.db)
        self.core_filters = self._pointer()

    def _require_saved(self):
        if self.pk_val is None:
            raise ValueError(
                "%r needs a primary key value before the generic relation '%s' "
                "can be used." % (self.instance, self.field.name)
            )

    def _pointer(self):
        # The raw content_type_id column: same rows, no join to
        # django_content_type.
        return {self.content_type_attname: self.content_type.pk, self.object_id_field_name: self.pk_val}

    def _owner_kwargs(self):
        return {self.content_type_field_name: self.content_type, self.object_id_field_name: self.pk_val}

    def _point(self, obj):
        for name, value in self._owner_kwargs().items():
            setattr(obj, name, value)

    def _narrow_to_instance(self, queryset):
        return queryset.filter(**self._pointer())

    def _check_removable(self, obj):
        """Rows pointing elsewhere are simply not matched by the DELETE."""

    def set(self, objs, *, bulk=True, clear=False):
        """Make ``objs`` the related rows; the others are deleted. ``clear``
        changes nothing here: clearing first would delete the very rows
        asked for (removing a generic row deletes it)."""
        super().set(objs, bulk=bulk)

    set.alters_data = True

    def _detach(self, rows, bulk, alias=None):
        self._forget_prefetched()
        rows = rows.using(alias or self._write_alias())
        with transaction.atomic(using=rows.db, savepoint=False):
            if bulk:
                rows.delete()
            else:
                for obj in list(rows):
                    obj.delete()  # one at a time: signals and delete() overrides run

    def get_prefetch_querysets(self, instances, querysets=None):
        """One query for the related rows of every instance, grouped by the
        object id read as the instances' primary key type."""
        queryset = querysets[0] if querysets else self._base_queryset()
        queryset = queryset.filter(**{
            self.content_type_attname: self.content_type.pk,
            self.object_id_field_name + "__in": {obj.pk for obj in instances},
        })
        object_id_attname = self.model._meta.get_field(self.object_id_field_name).attname
        read_key = instances[0]._meta.pk.to_python

        def owner_of_row(row):
            return (read_key(getattr(row, object_id_attname)),)

        return queryset, owner_of_row, (lambda obj: (obj.pk,)), False, self.prefetch_cache_name, False


def create_generic_related_manager(superclass, rel):
    """The manager class of ``bookmark.tags`` over ``superclass``, the class
    of the related model's default manager."""
    generic = rel.field
    content_type_field = rel.model._meta.get_field(generic.content_type_field_name)
    return type("GenericRelatedObjectManager", (GenericRowsManager, superclass), {
        "field": generic,
        "prefetch_cache_name": generic.attname,
        "content_type_field_name": generic.content_type_field_name,
        "content_type_attname": content_type_field.attname,
        "object_id_field_name": generic.object_id_field_name,
        "_rebuild": staticmethod(partial(create_generic_related_manager, rel=rel)),
    })
