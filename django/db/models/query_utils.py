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

class PathInfo(namedtuple(
    "PathInfo", "from_opts to_opts target_fields join_field m2m direct filtered_relation"
)):
    """One hop of a lookup path across a relation: from which model's
    options to which, the target field(s), the field that joins them,
    whether the hop is multi-valued (m2m), whether it follows the field
    (direct) or its reverse, and the FilteredRelation it goes through."""

    __slots__ = ()


class Q(tree.Node):
    """Filter conditions that can be combined with ``&``, ``|``, ``^`` and ``~``."""

    AND = "AND"
    OR = "OR"
    XOR = "XOR"
    default = AND
    conditional = True
    connectors = (None, AND, OR, XOR)

    def __init__(self, *args, _connector=None, _negated=False, **kwargs):
        # Both options end up in SQL (the connector is written between the
        # conditions), so anything unexpected is refused here, early.
        if _connector not in self.connectors:
            allowed = ", ".join(map(repr, self.connectors[1:]))
            raise ValueError(
                f"Q(): _connector must be one of {allowed}, or None; got {_connector!r}."
            )
        if _negated is not True and _negated is not False:
            raise ValueError(f"Q(): _negated must be True or False; got {_negated!r}.")
        # Keyword conditions are sorted so equal filters build equal trees.
        conditions = list(args) + sorted(kwargs.items())
        super().__init__(children=conditions, connector=_connector, negated=_negated)

    def _merged_with(self, other, conn):
        if not getattr(other, "conditional", False):
            raise TypeError(f"Cannot combine a Q object with {other!r}: it is not a condition.")
        # An empty Q is the neutral element of every connector.
        if not self:
            return other.copy() if hasattr(other, "copy") else copy.copy(other)
        if isinstance(other, Q) and not other:
            return self.copy()
        combined = self.create(connector=conn)
        # add() squashes children sharing the connector: (a & b) & c stays flat.
        for side in (self, other):
            combined.add(side, conn)
        return combined

    def __and__(self, other):
        return self._merged_with(other, Q.AND)

    def __or__(self, other):
        return self._merged_with(other, Q.OR)

    def __xor__(self, other):
        return self._merged_with(other, Q.XOR)

    def __invert__(self):
        flipped = self.copy()
        flipped.negate()
        return flipped

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        # Used as an expression (When(), annotate(), a constraint) a Q turns
        # into the WHERE tree it would produce as a filter; its joins must
        # stay LEFT OUTER where needed, hence the promotion.
        where_node, used_joins = query._where_from_q(
            self, can_reuse=reuse, allow_joins=allow_joins, split_subq=False,
            check_filterable=False, summarize=summarize,
        )
        query.promote_joins(used_joins)
        return where_node

    def flatten(self):
        """This node, then every node and value below it, depth first."""
        yield self
        # A keyword child is a (lookup, value) pair: only its value counts.
        values = (child[1] if isinstance(child, tuple) else child for child in self.children)
        for value in values:
            yield from _flattened(value)

    def deconstruct(self):
        cls = type(self)
        # Q is documented as django.db.models.Q; advertise that path.
        module = "django.db.models" if cls.__module__ == __name__ else cls.__module__
        # Only the options that differ from a plain Q are spelled out.
        settings = (
            ("_connector", self.connector, self.connector != self.default),
            ("_negated", True, self.negated),
        )
        options = {name: value for name, value, differs in settings if differs}
        return "%s.%s" % (module, cls.__name__), tuple(self.children), options

    def referenced_base_fields(self):
        """The first path component of every lookup in this tree."""
        found = set()
        pending = [self]
        while pending:
            node = pending.pop()
            for child in node.children:
                if isinstance(child, Q):
                    pending.append(child)
                elif isinstance(child, tuple):
                    found.add(child[0].partition(LOOKUP_SEP)[0])
        return found


def _flattened(value):
    return value.flatten() if hasattr(value, "flatten") else (value,)


class DeferredAttribute:
    """
    The class attribute standing for a concrete field on a model. Values live
    in the instance ``__dict__`` (so reading a loaded field never reaches
    this descriptor's slow path); a field left out by only()/defer() is
    missing there and gets fetched from the database on first access.
    """

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, cls=None):
        """The loaded value; a deferred one is fetched first."""
        if instance is None:
            return self
        loaded, name = instance.__dict__, self.field.attname
        if name not in loaded:
            # The rest of the row is where the loaded part came from,
            # whatever the routers say (an unsaved instance: they decide).
            instance.refresh_from_db(using=instance._state.db, fields=[name])
        return loaded[name]


class class_or_instance_method:
    """A method with two bodies: the class-level one gets the class as first
    argument, the instance-level one the instance (register_lookup uses it)."""

    def __init__(self, class_method, instance_method):
        self._implementations = (instance_method, class_method)

    def __get__(self, instance, owner):
        on_class = instance is None
        function = self._implementations[on_class]
        return functools.partial(function, owner if on_class else instance)


def _registry_name(lookup, lookup_name):
    return lookup.lookup_name if lookup_name is None else lookup_name


# class -> its lookups merged along the MRO (see _get_class_lookups).
_merged_class_lookups = {}


def _lookups_changed():
    """Forget everything derived from the lookup registries: the merged
    class lookups and the recorded filter() calls that chose classes."""
    from django.db.models.sql import filter_replay

    _merged_class_lookups.clear()
    filter_replay.forget_all()


def _own_registry(target, attribute):
    """The dict ``target`` itself stores in ``attribute`` (never a parent's)."""
    registry = vars(target).get(attribute)
    if registry is None:
        registry = {}
        setattr(target, attribute, registry)
    return registry


class RegisterLookupMixin:
    """
    A registry of lookups and transforms. Registering on a class
    (``CharField.register_lookup(MyLookup)``) affects it and its subclasses;
    registering on one instance (a single field object) affects only it.
    Each class keeps its own ``class_lookups`` dict; the effective registry
    is the merge along the MRO, most derived class last so it wins.
    """

    def _get_class_lookups(cls):
        # Every filter() asks; the merge only changes when a class lookup is
        # (un)registered, which empties the cache. Callers must not mutate it.
        merged = _merged_class_lookups.get(cls)
        if merged is None:
            merged = {}
            for klass in cls.__mro__[::-1]:
                merged.update(vars(klass).get("class_lookups", ()))
            _merged_class_lookups[cls] = merged
        return merged

    def _get_instance_lookups(self):
        inherited = type(self).get_class_lookups()
        own = vars(self).get("instance_lookups")
        return {**inherited, **own} if own else inherited

    get_lookups = class_or_instance_method(_get_class_lookups, _get_instance_lookups)
    get_class_lookups = classmethod(_get_class_lookups)

    def _registered(self, lookup_name):
        return self.get_lookups().get(lookup_name)

    def _find_registered(self, lookup_name, kind, fallback):
        # Lookups and transforms share one registry; a name registered as
        # the other kind counts as absent. Expressions with an output field
        # defer to it when they have nothing of their own.
        candidate = self._registered(lookup_name)
        if candidate is None:
            if hasattr(self, "output_field"):
                return getattr(self.output_field, fallback)(lookup_name)
            return None
        return candidate if issubclass(candidate, kind) else None

    def get_lookup(self, lookup_name):
        from django.db.models.lookups import Lookup

        return self._find_registered(lookup_name, Lookup, "get_lookup")

    def get_transform(self, lookup_name):
        from django.db.models.lookups import Transform

        return self._find_registered(lookup_name, Transform, "get_transform")

    def _register_class_lookup(cls, lookup, lookup_name=None):
        _own_registry(cls, "class_lookups")[_registry_name(lookup, lookup_name)] = lookup
        _lookups_changed()
        return lookup

    def _register_instance_lookup(self, lookup, lookup_name=None):
        _own_registry(self, "instance_lookups")[_registry_name(lookup, lookup_name)] = lookup
        _lookups_changed()
        return lookup

    register_lookup = class_or_instance_method(_register_class_lookup, _register_instance_lookup)
    register_class_lookup = classmethod(_register_class_lookup)

    def _forget_class_lookup(cls, lookup, lookup_name=None):
        # Only for tests: undo a register_lookup() made on this very class.
        vars(cls)["class_lookups"].pop(_registry_name(lookup, lookup_name))
        _lookups_changed()

    def _forget_instance_lookup(self, lookup, lookup_name=None):
        vars(self)["instance_lookups"].pop(_registry_name(lookup, lookup_name))
        _lookups_changed()

    _unregister_lookup = class_or_instance_method(_forget_class_lookup, _forget_instance_lookup)


def select_related_descend(field, restricted, requested, select_mask=None, reverse=False):
    """Whether select_related() follows ``field``: when ``restricted``, if
    ``requested`` names it (a reverse one by its related query name);
    otherwise if it is a forward relation that cannot be null. Parent links
    of multi-table inheritance are never followed forward."""
    if reverse:
        return bool(restricted and field.remote_field) and field.related_query_name() in requested
    remote = field.remote_field
    if remote is None or getattr(remote, "parent_link", False):
        return False
    return field.name in requested if restricted else not field.null


def check_rel_lookup_compatibility(model, target_opts, field):
    """Whether instances of ``model`` may be compared with a relation to
    ``target_opts`` (the same concrete model, or a parent of it)."""
    meta = model._meta

    def related(opts):
        # Same table, or one model inherits (multi-table) from the other.
        concrete = opts.concrete_model
        return concrete == meta.concrete_model or concrete in meta.get_parent_list() or model in opts.get_parent_list()

    if related(target_opts):
        return True
    # A primary key that is also a parent link can be compared to either side.
    return bool(getattr(field, "primary_key", False)) and related(field.model._meta)


def _relation_and_condition(relation_name, condition):
    """FilteredRelation's arguments, checked."""
    if not isinstance(relation_name, str) or not relation_name:
        raise ValueError("relation_name cannot be empty.")
    if isinstance(condition, Q):
        return relation_name, condition
    raise ValueError("condition argument must be a Q() instance.")


class FilteredRelation:
    """A relation with an extra join condition, used through an alias:
    ``annotate(recent=FilteredRelation("book", condition=Q(book__year=2020)))``."""

    def __init__(self, relation_name, *, condition=Q()):
        self.relation_name, self.condition = _relation_and_condition(relation_name, condition)
        # Set by the query: the annotation name and the aliases of the joins.
        self.alias, self.path = None, []

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
