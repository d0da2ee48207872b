"""Relation fields: ``ForeignKey``, ``OneToOneField``, ``ManyToManyField``.

The target model may be given as a class, ``"Model"`` (same app),
``"app_label.Model"`` or ``"self"``; it is resolved through
``apps.lazy_model_operation`` as soon as both models are registered, so a
relation may point at a model defined later. Resolution then installs the
reverse accessor (``person.book_set``) on the target model and registers the
reverse relation object (``field.remote_field``) in the target's ``_meta``.
"""
from functools import partial
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db.models import signals  # noqa: F401  (m2m_changed lives there)
from django.db.models.fields import Field, FieldValueError, IntegerField, NOT_PROVIDED
from django.db.models.fields.mixins import FieldCacheMixin
from django.db.models.fields.related_descriptors import (
    ForeignKeyDeferredAttribute, ForwardManyToOneDescriptor, ForwardOneToOneDescriptor,
    ManyToManyDescriptor, ReverseManyToOneDescriptor, ReverseOneToOneDescriptor,
)
from django.db.models.fields.related_lookups import (
    RelatedExact, RelatedGreaterThan, RelatedGreaterThanOrEqual, RelatedIn,
    RelatedIsNull, RelatedLessThan, RelatedLessThanOrEqual,
)
from django.db.models.fields.reverse_related import ManyToManyRel, ManyToOneRel, OneToOneRel
from django.db.models.query_utils import PathInfo
from django.db.models.utils import checked_against
from django.utils.functional import cached_property

__all__ = [
    "RECURSIVE_RELATIONSHIP_CONSTANT", "RelatedField", "ForeignObject", "ForeignKey",
    "OneToOneField", "ManyToManyField", "resolve_relation", "lazy_related_operation",
    "PathInfo", "create_many_to_many_intermediary_model",
]

RECURSIVE_RELATIONSHIP_CONSTANT = "self"


def check_relation_target(field_class, to):
    """Refuse a relation target that is neither a model class nor a model
    name (``"Model"``, ``"app_label.Model"``, ``"self"``)."""
    if isinstance(to, str) or (isinstance(to, type) and hasattr(to, "_meta")):
        return
    raise TypeError(
        "%s(%r) is invalid. First parameter to %s must be either a model, a model "
        "name, or the string %r" % (field_class.__name__, to, field_class.__name__,
                                    RECURSIVE_RELATIONSHIP_CONSTANT)
    )


def resolve_relation(scope_model, relation):
    """``relation`` as a model class or an ``"app_label.ModelName"`` string."""
    if isinstance(relation, str):
        if relation == RECURSIVE_RELATIONSHIP_CONSTANT:
            return scope_model
        # A bare model name means "in the same app as the referring model".
        return relation if "." in relation else f"{scope_model._meta.app_label}.{relation}"
    if not (isinstance(relation, type) and hasattr(relation, "_meta")):
        raise TypeError(
            "%s.%s: a relation must point to a model class, a model name or "
            "'self', got %r." % (scope_model.__name__, "?", relation)
        )
    return relation


def lazy_related_operation(function, model, *related_models, **kwargs):
    """Call ``function(model, *related_models, **kwargs)`` once every model
    is registered (now, if they already are)."""
    models = [model] + [resolve_relation(model, rel) for rel in related_models]

    def key(m):
        if isinstance(m, str):
            app_label, name = m.split(".", 1)
            return app_label, name.lower()
        return m._meta.app_label, m._meta.model_name

    return model._meta.apps.lazy_model_operation(
        partial(function, **kwargs), *[key(m) for m in models]
    )


class RelatedField(FieldCacheMixin, Field):
    """Base of the relation fields."""

    one_to_many = False
    one_to_one = False
    many_to_many = False
    many_to_one = False

    # The target model: a string until lazy_related_operation resolves it
    # (the resolution drops what was cached before).
    related_model = cached_property(attrgetter("remote_field.model"), name="related_model")

    def __deepcopy__(self, memodict):
        # Abstract inheritance copies fields: the copy needs its own
        # remote_field pointing back at the copy.
        obj = super().__deepcopy__(memodict)
        if self.remote_field is not None:
            obj.remote_field.field = obj
            obj.__dict__.pop("related_model", None)
            for name in ("path_infos", "reverse_path_infos", "related_fields"):
                obj.__dict__.pop(name, None)
        return obj

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if isinstance(self.remote_field.model, str):
            errors.append(self._error(
                "Field defines a relation with model '%s', which is either not "
                "installed, or is abstract." % self.remote_field.model, "fields.E300",
            ))
        else:
            errors.extend(self._reverse_name_clashes())
        return errors

    def _reverse_name_clashes(self):
        """Reverse accessors and query names must not clash with a field
        of the target model or with another relation's (fields.E302-E305)."""
        rel = self.remote_field
        if rel.is_hidden():
            return []
        errors = []
        rel_opts = rel.model._meta
        accessor = rel.get_accessor_name()
        query_name = self.related_query_name()
        me = "%s.%s" % (self.model._meta.object_name, self.name)
        for f in (*rel_opts.fields, *rel_opts.many_to_many):
            clash = "%s.%s" % (rel_opts.object_name, f.name)
            if accessor and f.name == accessor:
                errors.append(self._error(
                    "Reverse accessor '%s.%s' for '%s' clashes with field name '%s'. "
                    "Add or change a related_name argument to the definition for '%s'."
                    % (rel_opts.object_name, accessor, me, clash, me), "fields.E302",
                ))
            if f.name == query_name:
                errors.append(self._error(
                    "Reverse query name for '%s' clashes with field name '%s'. Add or "
                    "change a related_name argument to the definition for '%s'."
                    % (me, clash, me), "fields.E303",
                ))
        for other in rel_opts._collect_fields(forward=False, include_hidden=True):
            if other is rel or other.is_hidden():
                continue
            other_name = "%s.%s" % (other.field.model._meta.object_name, other.field.name)
            if accessor and other.get_accessor_name() == accessor:
                errors.append(self._error(
                    "Reverse accessor '%s.%s' for '%s' clashes with reverse accessor "
                    "for '%s'. Add or change a related_name argument to the definition "
                    "for '%s' or '%s'." % (rel_opts.object_name, accessor, me, other_name, me, other_name),
                    "fields.E304",
                ))
            if other.name == query_name:
                errors.append(self._error(
                    "Reverse query name for '%s' clashes with reverse query name for "
                    "'%s'. Add or change a related_name argument to the definition "
                    "for '%s' or '%s'." % (me, other_name, me, other_name), "fields.E305",
                ))
        return errors

    def db_type(self, connection):
        """No column type of its own: ForeignKey takes its target's type
        and ManyToManyField has no column at all."""

    def contribute_to_class(self, cls, name, private_only=False, **kwargs):
        super().contribute_to_class(cls, name, private_only=private_only, **kwargs)
        opts = self.opts = cls._meta
        if opts.abstract:
            return  # the concrete children resolve their own copies
        rel = self.remote_field
        # related_name="%(app_label)s_%(class)s_set" on an abstract base
        # gives every concrete child its own reverse name.
        lowered = {"class": cls.__name__, "model_name": opts.model_name, "app_label": opts.app_label}
        placeholders = {key: value.lower() for key, value in lowered.items()}
        rel.related_name = rel.related_name and rel.related_name % placeholders
        rel.related_query_name = rel.related_query_name and rel.related_query_name % placeholders

        def when_ready(model, target, field):
            # Both ends are known: finish the field, then equip the target.
            field.remote_field.model = target
            field.__dict__.pop("related_model", None)
            field.set_attributes_from_rel()
            field.contribute_to_related_class(target, field.remote_field)

        lazy_related_operation(when_ready, cls, rel.model, field=self)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.remote_field.limit_choices_to:
            kwargs["limit_choices_to"] = self.remote_field.limit_choices_to
        if self.remote_field.related_name is not None:
            kwargs["related_name"] = self.remote_field.related_name
        if self.remote_field.related_query_name is not None:
            kwargs["related_query_name"] = self.remote_field.related_query_name
        model = self.remote_field.model
        kwargs["to"] = model if isinstance(model, str) else model._meta.label_lower
        path = path.replace("django.db.models.fields.related.", "django.db.models.")
        return name, path, args, kwargs

    def get_forward_related_filter(self, obj):
        """Filter kwargs selecting the target row of ``obj``'s relation."""
        return {"%s__%s" % (self.name, target.name): getattr(obj, target.attname)
                for target in self.foreign_related_fields}

    def get_reverse_related_filter(self, obj):
        """Filter kwargs selecting the rows ``obj`` (a target) is related to."""
        return {local.attname: getattr(obj, target.attname) for local, target in self.related_fields}

    def set_attributes_from_rel(self):
        # The name and verbose name come from contribute_to_class(); what
        # waited for the target is the reverse relation's target field.
        self.remote_field.set_field_name()

    def get_limit_choices_to(self):
        """``limit_choices_to``, called first if it is a callable."""
        limit = self.remote_field.limit_choices_to
        return limit() if callable(limit) else limit

    def related_query_name(self):
        """The name used for the reverse relation in lookups."""
        rel = self.remote_field
        for candidate in (rel.related_query_name, rel.related_name, self.opts.default_related_name):
            if candidate:
                return candidate
        return self.opts.model_name

    @property
    def target_field(self):
        (only,) = self.path_infos[-1].target_fields
        return only

    def get_cache_name(self):
        return self.name

    def contribute_to_related_class(self, cls, related):
        """Install the reverse accessor on the target model ``cls``."""
        if not self.remote_field.is_hidden() and not related.related_model._meta.swapped:
            accessor = related.get_accessor_name()
            if accessor:
                setattr(cls._meta.concrete_model, accessor, self.related_accessor_class(related))
        if self.remote_field.limit_choices_to:
            cls._meta.related_fkey_lookups.append(self.remote_field.limit_choices_to)
        cls._meta.add_reverse_relation(related)


class ForeignObject(RelatedField):
    """A relation over (here: exactly one) local column to a target column."""

    many_to_one, requires_unique_target = True, True
    # The descriptors installed on the two models, and the reverse object.
    related_accessor_class, forward_related_accessor_class = (
        ReverseManyToOneDescriptor, ForwardManyToOneDescriptor,
    )
    rel_class = ManyToOneRel

    def get_attname(self):
        return self.name + "_id"

    @cached_property
    def related_fields(self):
        """``[(local field, target field)]``."""
        if isinstance(self.remote_field.model, str):
            raise ValueError("Related model %r cannot be resolved" % self.remote_field.model)
        to_field = self.remote_field.field_name
        target = (
            self.remote_field.model._meta.get_field(to_field) if to_field
            else self.remote_field.model._meta.pk
        )
        return [(self, target)]

    @property
    def reverse_related_fields(self):
        return [(rhs, lhs) for lhs, rhs in self.related_fields]

    # Cached like related_fields, which they are derived from: every saved
    # foreign key value goes through target_field.
    @cached_property
    def local_related_fields(self):
        return tuple(lhs for lhs, rhs in self.related_fields)

    @cached_property
    def foreign_related_fields(self):
        return tuple(rhs for lhs, rhs in self.related_fields if rhs)

    def get_local_related_value(self, instance):
        return tuple(getattr(instance, f.attname) for f in self.local_related_fields)

    def get_foreign_related_value(self, instance):
        return tuple(getattr(instance, f.attname) for f in self.foreign_related_fields)

    def get_joining_columns(self, reverse_join=False):
        source = self.reverse_related_fields if reverse_join else self.related_fields
        return tuple((lhs.column, rhs.column) for lhs, rhs in source)

    def get_reverse_joining_columns(self):
        # The same column pairs, target side first.
        return tuple((theirs, mine) for mine, theirs in self.get_joining_columns())

    def get_extra_restriction(self, alias, related_alias):
        return None  # no condition beyond the column equality

    def get_path_info(self, filtered_relation=None):
        # One hop, source -> target, single-valued.
        hop = PathInfo(
            self.model._meta, self.remote_field.model._meta, self.foreign_related_fields,
            self, False, True, filtered_relation,
        )
        return [hop]

    @cached_property
    def path_infos(self):
        return self.get_path_info(None)

    def get_reverse_path_info(self, filtered_relation=None):
        # One hop, target -> source: multi-valued unless the column is unique.
        hop = PathInfo(
            self.remote_field.model._meta, self.model._meta, (self.model._meta.pk,),
            self.remote_field, not self.unique, False, filtered_relation,
        )
        return [hop]

    @cached_property
    def reverse_path_infos(self):
        return self.get_reverse_path_info(None)

    def contribute_to_class(self, cls, name, private_only=False, **kwargs):
        super().contribute_to_class(cls, name, private_only=private_only, **kwargs)
        # book.author: the related object (book.author_id is the column).
        setattr(cls, self.name, self.forward_related_accessor_class(self))


for _lookup in (RelatedIn, RelatedExact, RelatedLessThan, RelatedGreaterThan,
                RelatedGreaterThanOrEqual, RelatedLessThanOrEqual, RelatedIsNull):
    ForeignObject.register_lookup(_lookup)


class ForeignKey(ForeignObject):
    """A many-to-one relation, stored in the ``<name>_id`` column."""

    descriptor_class = ForeignKeyDeferredAttribute
    many_to_one, one_to_many, one_to_one = True, False, False
    rel_class = ManyToOneRel
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "%(model)s instance with %(field)s %(value)r does not exist.",
    }
    description = "Foreign Key (type determined by related field)"

    def __init__(self, to, on_delete=None, related_name=None, related_query_name=None,
                 limit_choices_to=None, parent_link=False, to_field=None,
                 db_constraint=True, **kwargs):
        from django.db.models.deletion import CASCADE

        check_relation_target(ForeignKey, to)
        if isinstance(to, type) and to._meta.abstract:
            raise TypeError("%s cannot point to the abstract model %s." % (self.__class__.__name__, to.__name__))
        if on_delete is None:
            on_delete = CASCADE  # the baseline default
        if not callable(on_delete):
            raise TypeError("on_delete must be callable, got %r." % (on_delete,))
        kwargs["rel"] = self.rel_class(
            self, to, to_field, related_name=related_name,
            related_query_name=related_query_name, limit_choices_to=limit_choices_to,
            parent_link=parent_link, on_delete=on_delete,
        )
        # Joins and cascades look rows up by this column: index it unless
        # told otherwise.
        super().__init__(**{"db_index": True, **kwargs})
        self.db_constraint, self.to_fields = db_constraint, [to_field]

    # ``ForeignKey["Person"]`` in type annotations is the class itself.
    __class_getitem__ = classmethod(lambda cls, *args, **kwargs: cls)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # db_index defaults to True here, unlike other fields.
        kwargs.pop("db_index", None)
        extra = {"on_delete": self.remote_field.on_delete}
        if not self.db_index:
            extra["db_index"] = False
        if self.to_fields[0] and self.remote_field.field_name:
            extra["to_field"] = self.remote_field.field_name
        if not self.db_constraint:
            extra["db_constraint"] = False
        kwargs.update(extra)
        return name, path, args, kwargs

    @property
    def target_field(self):
        (only,) = self.foreign_related_fields
        return only

    def validate(self, value, model_instance):
        """A value must name an existing target row (looked up through the
        target's base manager: rows its default manager hides count), on the
        database ``model_instance`` belongs to (see checked_against())."""
        super().validate(value, model_instance)
        if value is not None and not self._target_row_exists(value, model_instance):
            rel = self.remote_field
            raise ValidationError(
                self.error_messages["invalid"], code="invalid",
                params={"model": rel.model._meta.verbose_name, "pk": value,
                        "field": rel.field_name, "value": value},
            )

    def _target_row_exists(self, value, model_instance=None):
        rel = self.remote_field
        alias = None if model_instance is None else checked_against(model_instance, rel.model)
        return rel.model._base_manager.db_manager(alias).filter(**{rel.field_name: value}).exists()

    def get_attname(self):
        # ``author`` holds the object, ``author_id`` the raw value.
        return f"{self.name}_id"

    def get_attname_column(self):
        raw_name = self.get_attname()
        return raw_name, (self.db_column or raw_name)

    def get_default(self):
        """A model-instance default becomes its target value."""
        field_default = super().get_default()
        from django.db.models import Model

        if isinstance(field_default, Model):
            return getattr(field_default, self.target_field.attname)
        return field_default

    def get_db_prep_save(self, value, connection):
        target = self.target_field
        if value is None or (value == "" and not target.empty_strings_allowed):
            return None
        try:
            return target.get_db_prep_save(value, connection=connection)
        except FieldValueError as refusal:
            raise refusal.naming(self) from None

    def save_passthrough_type(self, connection):
        """The target's (see Field.save_passthrough_type()), but for text
        targets, where "" may become None."""
        if type(self).get_db_prep_save is not ForeignKey.get_db_prep_save:
            return None
        passthrough = self.target_field.save_passthrough_type(connection)
        return None if passthrough is str else passthrough

    def save_guard(self, connection):
        """The target's checks, naming this field."""
        guard = self.target_field.save_guard(connection)
        return None if guard is None else guard.naming(self)

    # Values are those of the target column: let the target convert them.
    def get_db_prep_value(self, value, connection, prepared=False):
        target = self.target_field
        return target.get_db_prep_value(value, connection, prepared)

    def get_prep_value(self, value):
        target = self.target_field
        return target.get_prep_value(value)

    def to_python(self, value):
        target = self.target_field
        return target.to_python(value)

    def value_to_string(self, obj):
        raw = self.value_from_object(obj)
        return str(raw)

    def contribute_to_related_class(self, cls, related):
        super().contribute_to_related_class(cls, related)
        # Without to_field the relation points at the primary key.
        related.field_name = related.field_name or cls._meta.pk.name

    def db_check(self, connection):
        return None  # no CHECK: the target's range applies

    def db_type(self, connection):
        # INTEGER for an AutoField target, etc. (and, the internal type
        # being "ForeignKey", never the target's identity suffix).
        return self.target_field.rel_db_type(connection)

    def get_db_converters(self, connection):
        converters = super().get_db_converters(connection)
        return converters + self.target_field.get_db_converters(connection)

    def get_col(self, alias, output_field=None):
        from django.db.models.expressions import Col

        # The column reads as the (ultimate) target field's type.
        reads_as = output_field
        if reads_as is None:
            reads_as = self.target_field
            seen = {self}
            while isinstance(reads_as, ForeignKey) and reads_as not in seen:
                seen.add(reads_as)
                reads_as = reads_as.target_field
        return Col(alias, self, reads_as)


class OneToOneField(ForeignKey):
    """A ForeignKey with ``unique=True``: one row on each side."""

    many_to_many = many_to_one = one_to_many = False
    one_to_one = True
    related_accessor_class, forward_related_accessor_class = (
        ReverseOneToOneDescriptor, ForwardOneToOneDescriptor,
    )
    rel_class = OneToOneRel
    description = "One-to-one relationship"

    def __init__(self, to, on_delete=None, to_field=None, **kwargs):
        # One row on each side: a unique foreign key, whatever was passed.
        super().__init__(to, on_delete, to_field=to_field, **{**kwargs, "unique": True})

    def deconstruct(self):
        # unique=True is implied by the class, so it is not repeated.
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {key: value for key, value in kwargs.items() if key != "unique"}


def _through_link_names(source, target):
    """The names of the auto-created through model's two foreign keys: the
    lowercased model names, ``from_``/``to_`` prefixed when both ends are
    the same model. ``target`` may still be a model name."""
    if target in (RECURSIVE_RELATIONSHIP_CONSTANT, source):
        return "from_" + source._meta.model_name, "to_" + source._meta.model_name
    target_name = target.rsplit(".", 1)[-1].lower() if isinstance(target, str) else target._meta.model_name
    return source._meta.model_name, target_name


def create_many_to_many_intermediary_model(field, klass):
    """The auto-created ``through`` model of ``field``, a ManyToManyField
    declared on ``klass``: one row per link, two cascading foreign keys,
    unique together, in the table named by the field."""
    from django.db import models
    from django.db.models.deletion import CASCADE

    target = field.remote_field.model
    if target == RECURSIVE_RELATIONSHIP_CONSTANT:
        target = klass
    source_link, target_link = _through_link_names(klass, target)
    class_name = "%s_%s" % (klass._meta.object_name, field.name)
    opts = klass._meta
    options = {
        "db_table": field._through_table_name(opts), "auto_created": klass, "managed": opts.managed,
        "app_label": opts.app_label, "db_tablespace": opts.db_tablespace, "apps": field.model._meta.apps,
        "unique_together": (source_link, target_link),
        "verbose_name": "%s-%s relationship" % (source_link, target_link),
        "verbose_name_plural": "%s-%s relationships" % (source_link, target_link),
    }
    body = {"Meta": type("Meta", (), options), "__module__": klass.__module__}
    for link, model in ((source_link, klass), (target_link, target)):
        # Hidden reverse relations ("+"): the models get no accessor for them.
        body[link] = models.ForeignKey(
            model, CASCADE, related_name=class_name + "+", db_tablespace=field.db_tablespace,
            db_constraint=field.remote_field.db_constraint,
        )
    return type(class_name, (models.Model,), body)


class ManyToManyField(RelatedField):
    """A many-to-many relation through an intermediary table: auto-created
    (``Book.authors.through``) or given with ``through=``."""

    many_to_many = True
    many_to_one = False
    one_to_many = False
    one_to_one = False
    rel_class = ManyToManyRel
    description = "Many-to-many relationship"

    def __init__(self, to, related_name=None, related_query_name=None,
                 limit_choices_to=None, symmetrical=None, through=None,
                 through_fields=None, db_constraint=True, db_table=None, **kwargs):
        check_relation_target(ManyToManyField, to)
        if None not in (through, db_table):
            raise ValueError("Cannot specify a db_table if an intermediary model is used.")
        # null means nothing on a many-to-many; checks warn when given.
        self.has_null_arg = "null" in kwargs
        self.db_table, self.swappable = db_table, False
        # Unless told otherwise, only a relation to "self" is symmetrical.
        relation = self.rel_class(
            self, to, related_name=related_name, related_query_name=related_query_name,
            limit_choices_to=limit_choices_to, through=through, through_fields=through_fields,
            symmetrical=(to == RECURSIVE_RELATIONSHIP_CONSTANT) if symmetrical is None else symmetrical,
            db_constraint=db_constraint,
        )
        super().__init__(rel=relation, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update({} if self.db_table is None else {"db_table": self.db_table})
        through = self.remote_field.through
        if through and not (not isinstance(through, str) and through._meta.auto_created):
            kwargs["through"] = through if isinstance(through, str) else through._meta.label
        return name, path, args, kwargs

    # No column: the rows live in the through table.
    def db_type(self, connection):
        """Nothing to create on this model's table."""

    def db_parameters(self, connection):
        return dict(type=None, check=None)

    def get_attname_column(self):
        return (self.get_attname(), None)

    # -- names of the through model's two foreign keys --------------------
    def _through_table_name(self, opts):
        if self.remote_field.through is not None and not isinstance(self.remote_field.through, str):
            return self.remote_field.through._meta.db_table
        if self.db_table:
            return self.db_table
        from django.db.backends.utils import truncate_name

        return truncate_name("%s_%s" % (opts.db_table, self.name), 63)

    def _through_fk(self, related, reverse):
        """The through model's foreign key pointing at the source model
        (``reverse=False``) or at the target model (``reverse=True``)."""
        through = self.remote_field.through
        through_fields = self.remote_field.through_fields
        if through_fields:
            return through._meta.get_field(through_fields[1 if reverse else 0])
        wanted = related.model if reverse else related.related_model
        found = [
            f for f in through._meta.fields
            if f.is_relation and f.remote_field.model == wanted
        ]
        if not found:
            raise ValueError(
                "The through model %s has no foreign key to %s (needed by %s)."
                % (through._meta.label, getattr(wanted, "_meta", wanted), self)
            )
        if related.model == related.related_model and len(found) > 1:
            return found[1 if reverse else 0]  # self-relation: source first
        return found[0]

    def m2m_field_name(self):
        return self._through_fk(self.remote_field, reverse=False).name

    def m2m_reverse_field_name(self):
        return self._through_fk(self.remote_field, reverse=True).name

    def m2m_column_name(self):
        return self._through_fk(self.remote_field, reverse=False).column

    def m2m_reverse_name(self):
        return self._through_fk(self.remote_field, reverse=True).column

    def m2m_target_field_name(self):
        return self._through_fk(self.remote_field, reverse=False).target_field.name

    def m2m_reverse_target_field_name(self):
        return self._through_fk(self.remote_field, reverse=True).target_field.name

    def m2m_db_table(self):
        return self.remote_field.through._meta.db_table

    # -- paths --------------------------------------------------------------
    def _through_hops(self, direct=False, filtered_relation=None):
        """source -> through -> target (or the reverse when ``direct`` is False)."""
        through_meta = self.remote_field.through._meta
        to_source = through_meta.get_field(self.m2m_field_name())
        to_target = through_meta.get_field(self.m2m_reverse_field_name())
        # In: from our side into the through table (the multi-valued hop);
        # out: from the through table to the other side.
        entry, exit_ = (to_source, to_target) if direct else (to_target, to_source)
        hops = list(entry.reverse_path_infos)
        hops += exit_.get_path_info(filtered_relation) if filtered_relation else exit_.path_infos
        return hops

    def get_path_info(self, filtered_relation=None):
        return self._through_hops(True, filtered_relation)

    def get_reverse_path_info(self, filtered_relation=None):
        return self._through_hops(False, filtered_relation)

    # Computed once per field: the join paths never change.
    path_infos = cached_property(lambda self: self._through_hops(True, None), name="path_infos")
    reverse_path_infos = cached_property(
        lambda self: self._through_hops(False, None), name="reverse_path_infos"
    )

    @property
    def target_field(self):
        """The field of the target model the through rows point at."""
        return self.path_infos[-1].target_fields[0]

    # -- class setup ---------------------------------------------------------
    def contribute_to_class(self, cls, name, **kwargs):
        rel = self.remote_field
        points_at_itself = rel.model in (RECURSIVE_RELATIONSHIP_CONSTANT, cls._meta.object_name)
        if rel.symmetrical and points_at_itself:
            # A symmetrical self-relation has no reverse accessor.
            rel.related_name = name + "_rel_+"
        elif rel.is_hidden():
            # Hidden relations still need names of their own.
            rel.related_name = "_".join(("", cls._meta.app_label, cls.__name__.lower(), name, "+"))
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            if rel.through:
                def use_through(_, through_model, field):
                    field.remote_field.through = through_model

                lazy_related_operation(use_through, cls, rel.through, field=self)
            else:
                self.remote_field.through = create_many_to_many_intermediary_model(self, cls)
        setattr(cls, self.name, ManyToManyDescriptor(self.remote_field, reverse=False))

    def contribute_to_related_class(self, cls, related):
        if not self.remote_field.is_hidden() and not related.related_model._meta.swapped:
            accessor = related.get_accessor_name()
            if accessor:
                setattr(cls, accessor, ManyToManyDescriptor(self.remote_field, reverse=True))
        cls._meta.add_reverse_relation(related)

    def value_from_object(self, obj):
        # An unsaved object has no rows in the through table yet.
        if obj.pk is None:
            return []
        return list(getattr(obj, self.attname).all())

    def save_form_data(self, instance, data):
        manager = getattr(instance, self.attname)
        manager.set(data)

    def get_internal_type(self):
        return "ManyToManyField"
