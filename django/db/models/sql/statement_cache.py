"""
Compiled SELECT statements, remembered per query shape.

Most applications send a handful of query shapes again and again with
different values: ``Item.objects.get(pk=...)``, ``qs.filter(group__name=
...)``. Working out the selected columns, the FROM clause, the ordering and
the per-column converters is the same work every time, so the compiler
keeps the result per connection, keyed by the *shape* of the query:
everything that decides the SQL text and the row layout, but not the
values.

The WHERE clause is not part of the shape: it is compiled for every query
(its SQL text joins the key, its params are the statement's params). So a
shape only covers queries whose other clauses carry no params, and only the
query features listed in ``statement_shape()``; for anything else it is
None and the compiler does all the work as usual.
"""
from itertools import islice

# Entries per connection; the oldest is dropped beyond this.
CACHE_SIZE = 256

# Bumped when a setting that converters or SQL depend on changes (tests
# override USE_TZ, for instance): every key made before stops matching.
_generation = 0


def forget_all():
    global _generation
    _generation += 1


def generation():
    """Part of every key made from settings-dependent choices (converters)."""
    return _generation


class CompiledSelect:
    """What a compiler worked out for one shape, and a memo for its users
    (converters, the row-building plan of the model iterable)."""

    # The compiler attributes an entry keeps and hands to later compilers.
    KEPT = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select", "memo")
    __slots__ = ("sql", *KEPT)

    def __init__(self, sql, compiler):
        self.sql = sql
        for name in self.KEPT:
            setattr(self, name, getattr(compiler, name))

    def restore(self, compiler):
        for name in self.KEPT:
            setattr(compiler, name, getattr(self, name))


def remember(cache, key, entry):
    if len(cache) >= CACHE_SIZE:
        for oldest in list(islice(cache, CACHE_SIZE // 8)):
            del cache[oldest]
    cache[key] = entry


def _frozen(related):
    """select_related's nested dict as a hashable value."""
    if isinstance(related, dict):
        return tuple(sorted((name, _frozen(inner)) for name, inner in related.items()))
    return related


def _uncacheable(query):
    # Anything that puts params outside WHERE, or that the compiler handles
    # in ways a key would have to describe, takes the ordinary path.
    return (
        query.annotations or query.extra or query.extra_tables or query.extra_order_by
        or query.combinator or query.explain_info or query.subquery
        or query.group_by is not None or query.distinct_fields or query.select_for_update
        or query._filtered_relation_by_alias or query.external_aliases or not query.alias_cols
        or not query.default_cols or query.select or query.values_select
        or query.annotation_select_mask or query.extra_select_mask
    )


def statement_shape(compiler, with_limits, with_col_aliases):
    """A hashable description of everything but the WHERE clause that the
    compiled statement depends on, or None when the query is not covered."""
    query = compiler.query
    if _uncacheable(query):
        return None
    ordering = query.order_by
    for item in ordering:
        if type(item) is not str:
            return None
    if not ordering and query.default_ordering:
        ordering = tuple(query.get_meta().ordering)
        for item in ordering:
            if type(item) is not str:
                return None
    refcount = query.alias_refcount
    tables = []
    for alias, item in query.alias_map.items():
        if item.filtered_relation is not None:
            return None
        tables.append((alias, item.identity, item.join_type, bool(refcount.get(alias))))
    return (
        _generation, query.model, type(compiler), with_limits, with_col_aliases,
        compiler.elide_empty, tuple(tables), ordering, query.default_ordering,
        query.standard_ordering, query.low_mark, query.high_mark, query.distinct,
        query.deferred_loading, _frozen(query.select_related), query.max_depth,
    )
