"""
filter() calls replayed from a recording.

Turning ``filter(group__name="x")`` into a WHERE condition walks the
model's fields, sets up the join, votes on join types and picks the lookup
class: the same work for every call that names the same fields, with values
of the same types, on a query whose joins are in the same state. The first
such call is recorded (the joins it leaves behind and the shape of its
condition); later ones replay the recording and only build the lookups from
their own values, so a bad value still raises the field's own error.

Covered: ``add_q()`` of a plain Q (AND, not negated) of keyword lookups
whose values are scalars of the types in ``_PLAIN_TYPES`` (never None, a
list, an expression or a model instance), on a ``Query`` without
annotations, FilteredRelations or combinators. Anything else, and any
recording that would not describe the call exactly, takes the ordinary path.
"""
import datetime
import decimal
import uuid
from itertools import islice

from django.db.models.lookups import Lookup
from django.db.models.sql.where import AND, WhereNode

# Values whose type alone decides what build_filter() does with them.
_PLAIN_TYPES = frozenset({
    int, str, float, decimal.Decimal, uuid.UUID,
    datetime.date, datetime.datetime, datetime.time, datetime.timedelta,
})
CACHE_SIZE = 512
_recordings = {}


def _value_kind(value):
    kind = type(value)
    if kind is bool:
        # isnull=True and isnull=False promote joins differently.
        return ("bool", value)
    return kind if kind in _PLAIN_TYPES else None


def recording_key(query, q_object):
    """What decides the outcome of ``query.add_q(q_object)``, or None when
    the call is not covered."""
    if q_object.negated or q_object.connector != AND:
        return None
    if query.annotations or query._filtered_relation_by_alias or query.combinator:
        return None
    lookups = []
    for child in q_object.children:
        if type(child) is not tuple:
            return None
        name, value = child
        kind = _value_kind(value)
        if kind is None:
            return None
        lookups.append((name, kind))
    uses = query.alias_refcount
    tables = tuple(
        (alias, item.identity, item.join_type, getattr(item, "nullable", None), uses.get(alias))
        for alias, item in query.alias_map.items()
    )
    key = (query.model, tuple(lookups), tables, frozenset(query.used_aliases), query.alias_prefix)
    try:
        hash(key)
    except TypeError:  # a join through something unhashable: not covered
        return None
    return key


def forget_all():
    """Lookups were (un)registered: recorded lookup classes may be wrong."""
    _recordings.clear()


def find(key):
    return _recordings.get(key)


def record(key, query, clause, q_object):
    """Remember what ``add_q()`` just did, if the clause maps one lookup
    to each value, in order."""
    shape = _describe(clause)
    if shape is None or _leaf_count(shape) != len(q_object.children):
        return
    if len(_recordings) >= CACHE_SIZE:
        for oldest in list(islice(_recordings, CACHE_SIZE // 8)):
            del _recordings[oldest]
    _recordings[key] = Recording(shape, query)


def _describe(node):
    """The condition as nested tuples: ("node", connector, negated,
    children) and ("leaf", lookup class, lhs). None if it holds anything
    but nodes and lookups."""
    if isinstance(node, WhereNode):
        children = []
        for child in node.children:
            described = _describe(child)
            if described is None:
                return None
            children.append(described)
        return ("node", node.connector, node.negated, tuple(children))
    if isinstance(node, Lookup):
        return ("leaf", type(node), node.lhs)
    return None


def _leaf_count(shape):
    if shape[0] == "leaf":
        return 1
    return sum(_leaf_count(child) for child in shape[3])


class _NoneAfterPrep(Exception):
    """A value the field prepared into None: the ordinary path turns that
    into IS NULL, which the recording does not describe."""


def _build(shape, values):
    if shape[0] == "leaf":
        lookup_class, lhs = shape[1:]
        lookup = lookup_class(lhs, next(values))
        if lookup.rhs is None and not lookup.can_use_none_as_rhs:
            raise _NoneAfterPrep
        return lookup
    connector, negated, children = shape[1:]
    return WhereNode([_build(child, values) for child in children], connector, negated)


class Recording:
    """The joins an add_q() call left behind and the shape of its condition."""

    __slots__ = ("shape", "alias_map", "alias_refcount", "table_map", "used_aliases")

    def __init__(self, shape, query):
        self.shape = shape
        # Join objects are never changed once in a query (promotion makes a
        # new one), so queries may share them.
        self.alias_map, self.alias_refcount = dict(query.alias_map), dict(query.alias_refcount)
        self.table_map = {table: tuple(aliases) for table, aliases in query.table_map.items()}
        self.used_aliases = frozenset(query.used_aliases)

    def replay(self, query, q_object):
        """Apply the recorded call to ``query`` with ``q_object``'s values;
        False (and ``query`` untouched) when they do not fit the recording."""
        values = iter([value for _, value in q_object.children])
        try:
            clause = _build(self.shape, values)
        except _NoneAfterPrep:
            return False
        query.alias_map = dict(self.alias_map)
        query.alias_refcount = dict(self.alias_refcount)
        query.table_map = {table: list(aliases) for table, aliases in self.table_map.items()}
        query.used_aliases = set(self.used_aliases)
        query.where.add(clause, AND)
        return True
