"""
Small pieces of the query layer that the model layer needs too: Q objects,
the deferred-field descriptor and the lookup registry mixin for fields.

This module must not import fields, expressions or the SQL layer at import
time: django.db.models.fields imports it.
"""
import copy
import functools
import inspect
from collections import namedtuple

from django.core.exceptions import FieldError
from django.utils import tree

# Separator between the parts of a lookup path: "headline__icontains".
LOOKUP_SEP = "__"

# Keyword arguments that configure a Q node rather than name a field. They
# are refused where end-user dictionaries are expanded (filter(**data)),
# because a crafted "_connector" would otherwise be written into the SQL.
PROHIBITED_FILTER_KWARGS = frozenset(["_connector", "_negated"])

# One hop of a lookup path across a relation: from which model's options to
# which, the target field(s), the field that joins them, whether the hop is
# multi-valued (m2m) and whether it follows the field (direct) or its reverse.
PathInfo = namedtuple(
    "PathInfo",
    "from_opts to_opts target_fields join_field m2m direct filtered_relation",
)


class Q(tree.Node):
    """Filter conditions that can be combined with ``&``, ``|``, ``^`` and ``~``."""

    AND = "AND"
    OR = "OR"
    XOR = "XOR"
    default = AND
    conditional = True
    connectors = (None, AND, OR, XOR)

    def __init__(self, *args, _connector=None, _negated=False, **kwargs):
        if _connector not in self.connectors:
            raise ValueError(
                "Q(): _connector must be one of %s, or None; got %r."
                % (", ".join(repr(c) for c in self.connectors[1:]), _connector)
            )
        if not isinstance(_negated, bool):
            raise ValueError("Q(): _negated must be True or False; got %r." % (_negated,))
        super().__init__(
            children=[*args, *sorted(kwargs.items())],
            connector=_connector,
            negated=_negated,
        )

    def _combine(self, other, conn):
        if getattr(other, "conditional", False) is False:
            raise TypeError(
                "Cannot combine a Q object with %r: it is not a condition." % (other,)
            )
        if not self:
            return other.copy() if hasattr(other, "copy") else copy.copy(other)
        if not other and isinstance(other, Q):
            return self.copy()
        obj = self.create(connector=conn)
        obj.add(self, conn)
        obj.add(other, conn)
        return obj

    def __or__(self, other):
        return self._combine(other, self.OR)

    def __and__(self, other):
        return self._combine(other, self.AND)

    def __xor__(self, other):
        return self._combine(other, self.XOR)

    def __invert__(self):
        obj = self.copy()
        obj.negate()
        return obj

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        # A Q used as an expression (When(), annotate()) becomes a WhereNode.
        clause, joins = query._add_q(
            self,
            reuse,
            allow_joins=allow_joins,
            split_subq=False,
            check_filterable=False,
            summarize=summarize,
        )
        query.promote_joins(joins)
        return clause

    def flatten(self):
        yield self
        for child in self.children:
            if isinstance(child, tuple):
                child = child[1]
            if hasattr(child, "flatten"):
                yield from child.flatten()
            else:
                yield child

    def deconstruct(self):
        path = "%s.%s" % (self.__class__.__module__, self.__class__.__name__)
        if path.startswith("django.db.models.query_utils"):
            path = path.replace("django.db.models.query_utils", "django.db.models")
        args = tuple(self.children)
        kwargs = {}
        if self.connector != self.default:
            kwargs["_connector"] = self.connector
        if self.negated:
            kwargs["_negated"] = True
        return path, args, kwargs

    def referenced_base_fields(self):
        names = set()
        for child in self.children:
            if isinstance(child, Q):
                names |= child.referenced_base_fields()
            elif isinstance(child, tuple):
                names.add(child[0].split(LOOKUP_SEP, 1)[0])
        return names


class DeferredAttribute:
    """
    Descriptor for a concrete field's attribute: a field left out by only()
    or defer() is loaded from the database on first access.
    """

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        data = instance.__dict__
        field_name = self.field.attname
        if field_name not in data:
            instance.refresh_from_db(fields=[field_name])
        return data[field_name]


class class_or_instance_method:
    """Call one function through the class and another through an instance."""

    def __init__(self, class_method, instance_method):
        self.class_method = class_method
        self.instance_method = instance_method

    def __get__(self, instance, owner):
        if instance is None:
            return functools.partial(self.class_method, owner)
        return functools.partial(self.instance_method, instance)


class RegisterLookupMixin:
    """
    A registry of lookups and transforms on a class (and its subclasses),
    e.g. ``CharField.register_lookup(MyLookup)``, or on one instance.
    """

    def _get_class_lookups(cls):
        merged = {}
        for parent in reversed(inspect.getmro(cls)):
            merged.update(parent.__dict__.get("class_lookups", {}))
        return merged

    def _get_instance_lookups(self):
        class_lookups = type(self).get_class_lookups()
        instance_lookups = self.__dict__.get("instance_lookups")
        if instance_lookups:
            return {**class_lookups, **instance_lookups}
        return class_lookups

    get_lookups = class_or_instance_method(_get_class_lookups, _get_instance_lookups)
    get_class_lookups = classmethod(_get_class_lookups)

    def _get_lookup(self, lookup_name):
        return self.get_lookups().get(lookup_name)

    def get_lookup(self, lookup_name):
        from django.db.models.lookups import Lookup

        found = self._get_lookup(lookup_name)
        if found is None and hasattr(self, "output_field"):
            return self.output_field.get_lookup(lookup_name)
        if found is not None and not issubclass(found, Lookup):
            return None
        return found

    def get_transform(self, lookup_name):
        from django.db.models.lookups import Transform

        found = self._get_lookup(lookup_name)
        if found is None and hasattr(self, "output_field"):
            return self.output_field.get_transform(lookup_name)
        if found is not None and not issubclass(found, Transform):
            return None
        return found

    def _register_class_lookup(cls, lookup, lookup_name=None):
        if lookup_name is None:
            lookup_name = lookup.lookup_name
        if "class_lookups" not in cls.__dict__:
            cls.class_lookups = {}
        cls.class_lookups[lookup_name] = lookup
        return lookup

    def _register_instance_lookup(self, lookup, lookup_name=None):
        if lookup_name is None:
            lookup_name = lookup.lookup_name
        if "instance_lookups" not in self.__dict__:
            self.instance_lookups = {}
        self.instance_lookups[lookup_name] = lookup
        return lookup

    register_lookup = class_or_instance_method(
        _register_class_lookup, _register_instance_lookup
    )
    register_class_lookup = classmethod(_register_class_lookup)

    def _unregister_class_lookup(cls, lookup, lookup_name=None):
        if lookup_name is None:
            lookup_name = lookup.lookup_name
        del cls.class_lookups[lookup_name]

    def _unregister_instance_lookup(self, lookup, lookup_name=None):
        if lookup_name is None:
            lookup_name = lookup.lookup_name
        del self.instance_lookups[lookup_name]

    _unregister_lookup = class_or_instance_method(
        _unregister_class_lookup, _unregister_instance_lookup
    )
    _unregister_class_lookup = classmethod(_unregister_class_lookup)


def select_related_descend(field, restricted, requested, select_mask=None, reverse=False):
    """Whether select_related() follows ``field``: named in ``requested``
    when ``restricted``, otherwise every non-null forward foreign key."""
    if not field.remote_field:
        return False
    if getattr(field.remote_field, "parent_link", False) and not reverse:
        return False
    if restricted:
        if reverse and field.related_query_name() not in requested:
            return False
        if not reverse and field.name not in requested:
            return False
    if not restricted and field.null:
        return False
    return True


def check_rel_lookup_compatibility(model, target_opts, field):
    """Whether instances of ``model`` may be compared with a relation to
    ``target_opts`` (the same concrete model, or a parent of it)."""

    def check(opts):
        return (
            model._meta.concrete_model == opts.concrete_model
            or opts.concrete_model in model._meta.get_parent_list()
            or model in opts.get_parent_list()
        )

    return check(target_opts) or (
        getattr(field, "primary_key", False) and check(field.model._meta)
    )


class FilteredRelation:
    """A relation with an extra join condition, used through an alias:
    ``annotate(recent=FilteredRelation("book", condition=Q(book__year=2020)))``."""

    def __init__(self, relation_name, *, condition=Q()):
        if not (isinstance(relation_name, str) and relation_name):
            raise ValueError("relation_name cannot be empty.")
        if not isinstance(condition, Q):
            raise ValueError("condition argument must be a Q() instance.")
        self.relation_name, self.condition = relation_name, condition
        self.alias = None  # the annotation name, set by the query
        self.path = []  # the aliases of the joins, set by setup_joins()

    def _key(self):
        return (self.relation_name, self.alias, self.condition)

    def __eq__(self, other):
        if isinstance(other, FilteredRelation):
            return self._key() == other._key()
        return NotImplemented

    def __hash__(self):
        return hash(self._key()[:2])

    def clone(self):
        twin = FilteredRelation(self.relation_name, condition=self.condition)
        twin.alias, twin.path = self.alias, list(self.path)
        return twin

    def relabeled_clone(self, change_map):
        clone = self.clone()
        clone.path = [change_map.get(p, p) for p in clone.path]
        return clone

    def resolve_expression(self, *args, **kwargs):
        raise NotImplementedError("FilteredRelation.resolve_expression() is unused.")

    def as_sql(self, compiler, connection):
        # The condition, compiled against the join this relation created.
        query = compiler.query
        where = query.build_filtered_relation_q(self.condition, reuse=set(self.path))
        return compiler.compile(where)
