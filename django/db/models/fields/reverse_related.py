"""The reverse side of a relation: ``ManyToOneRel``, ``OneToOneRel`` and
``ManyToManyRel``.

A relation field ``Book.author = ForeignKey(Person)`` owns one of these as
``field.remote_field``. It describes the relation seen from ``Person``: its
``name`` is the query name used in lookups (``Person.objects.filter(
book__title=...)``), ``get_accessor_name()`` the attribute holding the
related manager (``person.book_set``). ``Person._meta.get_fields()`` lists
it, which is how lookups, deletion and serialization find reverse relations.
"""
from operator import attrgetter

from django.core.exceptions import FieldDoesNotExist
from django.db.models.fields.mixins import FieldCacheMixin
from django.utils.functional import cached_property


def _delegate_to_field(method_name):
    """A method of the relation that simply asks its field: lookups,
    transforms and types are defined once, on the forward side."""

    def forward(self, *args, **kwargs):
        return getattr(self.field, method_name)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = method_name
    return forward


class ForeignObjectRel(FieldCacheMixin):
    # Reverse relations stand in _meta.get_fields() like fields that have
    # no column of their own.
    auto_created, concrete, editable, is_relation = True, False, False, True
    null, empty_strings_allowed = True, False
    primary_key = unique = db_returning = False
    column = attname = None
    # "Many rows on the other side" (False for OneToOneRel); only a
    # ManyToManyRel can be symmetrical.
    multiple, symmetrical = True, False

    def __init__(self, field, to, related_name=None, related_query_name=None,
                 limit_choices_to=None, parent_link=False, on_delete=None):
        self.field, self.model = field, to
        self.related_name, self.related_query_name = related_name, related_query_name
        self.limit_choices_to = limit_choices_to or {}
        self.parent_link, self.on_delete = parent_link, on_delete

    def __repr__(self):
        source = self.related_model._meta
        return "<%s: %s>" % (type(self).__name__, source.label_lower)

    # -- field-like attributes ------------------------------------------
    @cached_property
    def hidden(self):
        return self.is_hidden()

    # The name used in lookups from the target model (``book__title``).
    name = property(lambda self: self.field.related_query_name())
    # Seen from the reverse side, the "remote" end is the forward field.
    remote_field = property(attrgetter("field"))

    @property
    def target_field(self):
        """The field on the related model that this relation points to."""
        (only,) = self.path_infos[-1].target_fields
        return only

    @cached_property
    def related_model(self):
        owner = self.field.model
        if owner is None:
            raise AttributeError("The relation field is not attached to a model yet.")
        return owner

    # The cardinality seen from this side is the field's, mirrored.
    many_to_many = property(lambda self: self.field.many_to_many)
    many_to_one = property(lambda self: self.field.one_to_many)
    one_to_many = property(lambda self: self.field.many_to_one)
    one_to_one = property(lambda self: self.field.one_to_one)

    get_lookup = _delegate_to_field("get_lookup")
    get_lookups = _delegate_to_field("get_lookups")
    get_transform = _delegate_to_field("get_transform")
    get_internal_type = _delegate_to_field("get_internal_type")
    db_type = property(attrgetter("field.db_type"))

    def is_hidden(self):
        """Hidden relations (related_name ending in '+') have no accessor."""
        return (self.related_name or "").endswith("+")

    def get_accessor_name(self, model=None):
        """The attribute name on the target model: ``related_name``, or
        ``<model>_set`` (``<model>`` for one-to-one); None for a symmetrical
        self-relation, which has no reverse side."""
        source = model or self.related_model
        if self.symmetrical and source == self.model:
            return None
        return self.related_name or source._meta.model_name + ("_set" if self.multiple else "")

    def get_cache_name(self):
        # The related object is cached under its accessor name.
        return self.get_accessor_name()

    get_joining_columns = _delegate_to_field("get_reverse_joining_columns")

    def get_extra_restriction(self, alias, related_alias):
        """No condition beyond the join columns (no filtered relations)."""

    def set_field_name(self):
        """Filled in by ManyToOneRel (the name of the target field)."""

    def get_path_info(self, filtered_relation=None):
        # Walking a relation backwards is the field's reverse path.
        field = self.field
        return field.get_reverse_path_info(filtered_relation) if filtered_relation else field.reverse_path_infos

    @cached_property
    def path_infos(self):
        return self.get_path_info(None)

    def get_choices(self, include_blank=True, blank_choice=None, limit_choices_to=None, ordering=()):
        rows = self.related_model._default_manager.order_by(*ordering) if ordering else \
            self.related_model._default_manager.all()
        return list(blank_choice or []) + [(row.pk, str(row)) for row in rows]


class ManyToOneRel(ForeignObjectRel):
    """The reverse of a ForeignKey: one target row, many source rows."""

    def __init__(self, field, to, field_name, related_name=None, related_query_name=None,
                 limit_choices_to=None, parent_link=False, on_delete=None):
        # field_name: the target field (to_field), the pk when None.
        self.field_name = field_name
        super().__init__(
            field, to, related_name, related_query_name, limit_choices_to, parent_link, on_delete,
        )

    def __getstate__(self):
        # The related model is looked up again after unpickling.
        return {k: v for k, v in self.__dict__.items() if k != "related_model"}

    def get_related_field(self):
        """The field on ``self.model`` the foreign key points to."""
        target = self.model._meta.get_field(self.field_name)
        if target.concrete:
            return target
        raise FieldDoesNotExist(
            "%s.%s has no column to point at." % (self.model._meta.object_name, self.field_name)
        )

    def set_field_name(self):
        if not self.field_name:
            self.field_name = self.model._meta.pk.name


class OneToOneRel(ManyToOneRel):
    """The reverse of a OneToOneField: a single object, not a manager."""

    multiple = False


class ManyToManyRel(ForeignObjectRel):
    def __init__(self, field, to, related_name=None, related_query_name=None,
                 limit_choices_to=None, symmetrical=True, through=None,
                 through_fields=None, db_constraint=True):
        super().__init__(field, to, related_name, related_query_name, limit_choices_to)
        # A through model of yours owns its foreign keys and their options.
        if through is not None and not db_constraint:
            raise ValueError(
                "db_constraint=False applies to the auto-created intermediary "
                "table only, not to the through model %r." % (through,)
            )
        if through_fields and through is None:
            raise ValueError("through_fields=%r needs a through model." % (through_fields,))
        self.through, self.through_fields = through, through_fields
        self.symmetrical, self.db_constraint = symmetrical, db_constraint

    def get_related_field(self):
        """The field of the target model whose values the through rows
        store (provided for symmetry with ManyToOneRel)."""
        return self.field._through_fk(self, reverse=True).target_field
