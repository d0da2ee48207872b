"""
The SQL structure of a query, independent of any database: which table,
which columns, which conditions, grouping, ordering and limits.

``Query`` is built up by QuerySet methods and turned into SQL by a compiler
for one connection (``query.get_compiler(connection=...)``). Every name that
comes from the caller (filter keywords, ordering, values(), annotations) is
resolved here against the model or refused with a FieldError/ValueError, so
that no caller-supplied text ever reaches the SQL as an identifier.
"""
import copy
import difflib
import re
from collections import Counter, namedtuple
from collections.abc import Iterator
from itertools import chain
from string import ascii_uppercase

from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models.expressions import (
    BaseExpression,
    Col,
    F,
    OuterRef,
    Ref,
    ResolvedOuterRef,
    Value,
)
from django.db.models.lookups import Lookup
from django.db.models.query_utils import (
    LOOKUP_SEP, Q, check_rel_lookup_compatibility,
)
from django.db.models.sql.constants import INNER, LOUTER, SINGLE
from django.db.models.sql.datastructures import BaseTable, Join, MultiJoin
from django.db.models.sql.where import AND, OR, XOR, NothingNode, WhereNode

__all__ = ["Query", "RawQuery"]

# Aliases for annotate()/alias()/aggregate()/values(**expr) are written into
# SQL (quoted), so they are held to a strict allow-list.
ALIAS_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Names of explain() options: letters, digits and underscores only.
EXPLAIN_OPTIONS_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

ExplainInfo = namedtuple("ExplainInfo", ("format", "options"))


def get_field_names_from_opts(opts):
    if opts is None:
        return set()
    return set(
        chain.from_iterable(
            (f.name, f.attname) if getattr(f, "concrete", False) else (f.name,)
            for f in opts.get_fields()
        )
    )


def get_order_dir(field, default="ASC"):
    """'-name' -> ('name', 'DESC'); 'name' -> ('name', 'ASC') (for default ASC)."""
    dirn = {"ASC": ("ASC", "DESC"), "DESC": ("DESC", "ASC")}[default]
    if field[0] == "-":
        return field[1:], dirn[1]
    return field, dirn[0]


def refs_expression(lookup_parts, annotations):
    """Find the longest prefix of lookup_parts that names an annotation."""
    for n in range(1, len(lookup_parts) + 1):
        level_n_lookup = LOOKUP_SEP.join(lookup_parts[0:n])
        if annotations.get(level_n_lookup) is not None:
            return level_n_lookup, lookup_parts[n:]
    return None, ()


class RawQuery:
    """A raw SQL statement; rows are fetched through the given connection."""

    def __init__(self, sql, params=()):
        self.params = params
        self.sql = sql
        self.cursor = None
        self.low_mark, self.high_mark = 0, None
        self.extra_select = {}
        self.annotation_select = {}

    def chain(self):
        return self.clone()

    def clone(self):
        return RawQuery(self.sql, params=self.params)

    def get_columns(self, connection):
        if self.cursor is None:
            self._execute_query(connection)
        converter = getattr(
            connection.introspection, "identifier_converter", lambda name: name
        )
        return [converter(column_meta[0]) for column_meta in self.cursor.description]

    def iterate(self, connection):
        self._execute_query(connection)
        return iter(self.cursor)

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)

    @property
    def params_type(self):
        if self.params is None:
            return None
        return dict if isinstance(self.params, dict) else tuple

    def __str__(self):
        if self.params_type is None:
            return self.sql
        return self.sql % self.params_type(self.params)

    def _execute_query(self, connection):
        params_type = self.params_type
        if params_type is tuple:
            params = tuple(self.params)
        elif params_type is dict:
            params = dict(self.params)
        else:
            params = None
        self.cursor = connection.cursor()
        self.cursor.execute(self.sql, params)


class Query(BaseExpression):
    """A single SQL query."""

    alias_prefix = "T"
    empty_result_set_value = None
    subq_aliases = frozenset([alias_prefix])

    compiler = "SQLCompiler"

    base_table_class = BaseTable
    join_class = Join

    default_cols = True
    default_ordering = True
    standard_ordering = True

    filter_is_sticky = False
    subquery = False

    # Columns of values()/values_list(), as Col (or transform) expressions.
    select = ()
    # Explicit GROUP BY: None (no grouping), True (all selected columns) or a
    # tuple of expressions.
    group_by = None
    order_by = ()
    low_mark = 0
    high_mark = None
    distinct = False
    distinct_fields = ()
    select_for_update = False
    select_for_no_key_update = False
    select_for_update_nowait = False
    select_for_update_skip_locked = False
    select_for_update_of = ()
    select_related = False
    max_depth = 5
    values_select = ()

    annotation_select_mask = None
    _annotation_select_cache = None

    combinator = None
    combinator_all = False
    combined_queries = ()

    extra_select_mask = None
    extra_tables = ()
    extra_order_by = ()

    # (set of field names, True) defers those fields; (set, False) loads only them.
    deferred_loading = (frozenset(), True)

    explain_info = None

    def __init__(self, model, alias_cols=True):
        self.model = model
        self.alias_refcount = {}
        self.alias_map = {}
        self.alias_cols = alias_cols
        self.external_aliases = {}
        self.table_map = {}
        self.used_aliases = set()
        self.where = WhereNode()
        self.annotations = {}
        self.extra = {}
        self._filtered_relations = {}

    # -- output -------------------------------------------------------------
    @property
    def output_field(self):
        if len(self.select) == 1:
            select = self.select[0]
            return getattr(select, "target", None) or select.field
        elif len(self.annotation_select) == 1:
            return next(iter(self.annotation_select.values())).output_field

    @property
    def _output_field_or_none(self):
        return self.output_field

    @property
    def has_select_fields(self):
        return bool(self.select or self.annotation_select_mask or self.extra_select_mask)

    @property
    def base_table(self):
        for alias in self.alias_map:
            return alias

    def __str__(self):
        """The SQL with the parameters interpolated, for debugging only."""
        sql, params = self.sql_with_params()
        return sql % tuple(_debug_param(p) for p in params)

    def sql_with_params(self):
        from django.db import get_connection

        return self.get_compiler(connection=get_connection()).as_sql()

    def __deepcopy__(self, memo):
        result = self.clone()
        memo[id(self)] = result
        return result

    def get_compiler(self, connection=None, elide_empty=True):
        if connection is None:
            raise ValueError("Need a connection to compile a query.")
        return connection.ops.compiler(self.compiler)(self, connection, elide_empty)

    def get_meta(self):
        if self.model:
            return self.model._meta

    # -- copying ------------------------------------------------------------
    def clone(self):
        obj = _Empty()
        obj.__class__ = self.__class__
        obj.__dict__ = self.__dict__.copy()
        obj.alias_refcount = self.alias_refcount.copy()
        obj.alias_map = self.alias_map.copy()
        obj.external_aliases = self.external_aliases.copy()
        obj.table_map = {k: list(v) for k, v in self.table_map.items()}
        obj.where = self.where.clone()
        obj.annotations = self.annotations.copy()
        if self.annotation_select_mask is not None:
            obj.annotation_select_mask = list(self.annotation_select_mask)
        if self.combined_queries:
            obj.combined_queries = tuple(q.clone() for q in self.combined_queries)
        obj._annotation_select_cache = None
        obj.extra = self.extra.copy()
        if "subq_aliases" in self.__dict__:
            obj.subq_aliases = self.subq_aliases.copy()
        obj.used_aliases = self.used_aliases.copy()
        obj._filtered_relations = self._filtered_relations.copy()
        return obj

    def chain(self, klass=None):
        obj = self.clone()
        if klass and obj.__class__ != klass:
            obj.__class__ = klass
        if not obj.filter_is_sticky:
            obj.used_aliases = set()
        obj.filter_is_sticky = False
        if hasattr(obj, "_setup_query"):
            obj._setup_query()
        return obj

    def relabeled_clone(self, change_map):
        clone = self.clone()
        clone.change_aliases(change_map)
        return clone

    def _get_col(self, target, field, alias):
        if not self.alias_cols:
            alias = None
        return target.get_col(alias, field)

    # -- subqueries ---------------------------------------------------------
    def get_external_cols(self):
        exprs = chain(self.annotations.values(), self.where.flatten())
        return [
            col
            for col in self._gen_cols(exprs, include_external=True)
            if col.alias in self.external_aliases or col.alias not in self.alias_map
        ]

    def get_group_by_cols(self, wrapper=None):
        external_cols = self.get_external_cols()
        if any(col.possibly_multivalued for col in external_cols):
            return [wrapper or self]
        return external_cols

    @classmethod
    def _gen_cols(cls, exprs, include_external=False, resolve_refs=True):
        for expr in exprs:
            if isinstance(expr, Col):
                yield expr
            elif include_external and callable(
                getattr(expr, "get_external_cols", None)
            ):
                yield from expr.get_external_cols()
            elif hasattr(expr, "get_source_expressions"):
                if not resolve_refs and isinstance(expr, Ref):
                    continue
                yield from cls._gen_cols(
                    expr.get_source_expressions(),
                    include_external=include_external,
                    resolve_refs=resolve_refs,
                )

    @classmethod
    def _gen_col_aliases(cls, exprs):
        yield from (expr.alias for expr in cls._gen_cols(exprs))

    def resolve_expression(self, query, *args, **kwargs):
        clone = self.clone()
        # Subqueries need to use a different set of aliases than the outer query.
        clone.bump_prefix(query)
        clone.subquery = True
        clone.where = clone.where.resolve_expression(query, *args, **kwargs)
        for key, value in clone.annotations.items():
            resolved = value.resolve_expression(query, *args, **kwargs)
            if hasattr(resolved, "external_aliases"):
                resolved.external_aliases.update(clone.external_aliases)
            clone.annotations[key] = resolved
        # Outer query's aliases are considered external.
        for alias, table in query.alias_map.items():
            clone.external_aliases[alias] = table.table_name != alias
        return clone

    def as_sql(self, compiler, connection):
        # ORDER BY is pointless in a subquery (and some databases refuse it)
        # unless a LIMIT makes it matter.
        if self.subquery and not self.is_sliced:
            self.clear_ordering(force=False)
            for query in self.combined_queries:
                query.clear_ordering(force=False)
        sql, params = self.get_compiler(connection=connection).as_sql()
        if self.subquery:
            sql = "(%s)" % sql
        return sql, params

    def bump_prefix(self, other_query, exclude=None):
        """Rename every alias so that this (sub)query cannot clash with other_query."""
        if exclude is None:
            exclude = {}
        if self.alias_prefix != other_query.alias_prefix and (
            set(self.alias_map).isdisjoint(other_query.alias_map)
        ):
            return
        prefix = None
        for candidate in ascii_uppercase[ascii_uppercase.index(other_query.alias_prefix) :] + (
            ascii_uppercase
        ):
            if candidate not in other_query.subq_aliases and candidate not in self.subq_aliases:
                prefix = candidate
                break
        if prefix is None:
            raise RecursionError("Maximum recursion depth exceeded: too many subqueries.")
        self.alias_prefix = prefix
        self.subq_aliases = self.subq_aliases.union([self.alias_prefix])
        other_query.subq_aliases = other_query.subq_aliases.union(self.subq_aliases)
        self.change_aliases(
            {
                alias: "%s%d" % (self.alias_prefix, pos)
                for pos, alias in enumerate(self.alias_map)
                if alias not in exclude
            }
        )

    def change_aliases(self, change_map):
        """Rename table aliases everywhere in the query (change_map: old -> new)."""
        if not change_map:
            return
        assert set(change_map).isdisjoint(change_map.values())
        self.where.relabel_aliases(change_map)
        if isinstance(self.group_by, tuple):
            self.group_by = tuple(col.relabeled_clone(change_map) for col in self.group_by)
        self.select = tuple(col.relabeled_clone(change_map) for col in self.select)
        if self.annotations:
            self.annotations = {
                key: col.relabeled_clone(change_map)
                for key, col in self.annotations.items()
            }
        new_alias_map = {}
        new_refcount = {}
        for alias, table in self.alias_map.items():
            new_alias = change_map.get(alias, alias)
            new_alias_map[new_alias] = table.relabeled_clone(change_map)
            new_refcount[new_alias] = self.alias_refcount.get(alias, 0)
        self.alias_map = new_alias_map
        self.alias_refcount = new_refcount
        self.table_map = {
            table: [change_map.get(a, a) for a in aliases]
            for table, aliases in self.table_map.items()
        }
        self.external_aliases = {
            change_map.get(alias, alias): (aliased or alias in change_map)
            for alias, aliased in self.external_aliases.items()
        }

    # -- aggregation --------------------------------------------------------
    def get_aggregation(self, connection, aggregate_exprs):
        """Return a dict of aggregate results for the given expressions."""
        if not aggregate_exprs:
            return {}
        from django.db.models.sql.subqueries import AggregateQuery

        aggregates = {}
        for alias, aggregate_expr in aggregate_exprs.items():
            self.check_alias(alias)
            aggregate = aggregate_expr.resolve_expression(
                self, allow_joins=True, reuse=None, summarize=True
            )
            if not aggregate.contains_aggregate:
                raise TypeError("%s is not an aggregate expression" % alias)
            aggregates[alias] = aggregate
        existing_annotations = {
            alias: annotation
            for alias, annotation in self.annotations.items()
            if alias not in aggregate_exprs
        }
        # A subquery is needed whenever the rows to aggregate are not simply
        # the filtered table rows.
        if (
            isinstance(self.group_by, tuple)
            or self.group_by is True
            or self.is_sliced
            or existing_annotations
            or self.distinct
            or self.combinator
        ):
            inner_query = self.clone()
            inner_query.subquery = True
            inner_query.select_for_update = False
            inner_query.select_related = False
            inner_query.set_annotation_mask(self.annotation_select)
            inner_query.clear_ordering(force=False)
            outer_query = AggregateQuery(self.model, inner_query)
            inner_alias = inner_query.base_table
            # The aggregates read the inner query's columns through its alias.
            change_map = {inner_alias: "subquery"} if inner_alias else {}
            if not inner_query.default_cols and not inner_query.combinator:
                selected = {
                    getattr(c, "target", None) for c in inner_query.select
                }
                for aggregate in aggregates.values():
                    for col in self._gen_cols([aggregate], resolve_refs=False):
                        if col.alias == inner_alias and col.target not in selected:
                            inner_query.select += (col,)
                            selected.add(col.target)
            relabeled = {
                alias: agg.relabeled_clone(change_map)
                for alias, agg in aggregates.items()
            }
            for alias, agg in relabeled.items():
                outer_query.annotations[alias] = agg
            outer_query.set_annotation_mask(list(relabeled))
        else:
            outer_query = self
            self.select = ()
            self.default_cols = False
            self.extra = {}
            if self.annotations:
                # Only the aggregates are selected.
                self.annotations = {**self.annotations, **aggregates}
            else:
                self.annotations = dict(aggregates)
            self.set_annotation_mask(list(aggregates))
        outer_query.clear_ordering(force=True)
        outer_query.clear_limits()
        outer_query.select_for_update = False
        outer_query.select_related = False
        compiler = outer_query.get_compiler(connection=connection, elide_empty=False)
        result = compiler.execute_sql(SINGLE)
        if result is None:
            result = [None] * len(outer_query.annotation_select)
        converters = compiler.get_converters(outer_query.annotation_select.values())
        result = next(compiler.apply_converters((result,), converters))
        values = {}
        for (alias, aggregate), value in zip(outer_query.annotation_select.items(), result):
            if value is None and aggregate.empty_result_set_value is not NotImplemented:
                empty = aggregate.empty_result_set_value
                if empty is not None:
                    value = empty
            values[alias] = value
        return values

    def get_count(self, connection):
        from django.db.models.aggregates import Count

        obj = self.clone()
        return obj.get_aggregation(connection, {"__count": Count("*")})["__count"]

    def has_filters(self):
        return self.where

    def exists(self, limit=True):
        q = self.clone()
        if not (q.distinct and q.is_sliced):
            if q.group_by is True:
                q.add_fields(
                    (f.attname for f in self.model._meta.concrete_fields), False
                )
                q.set_group_by(allow_aliases=False)
            q.clear_select_clause()
        if q.combined_queries and q.combinator == "union":
            q.combined_queries = tuple(
                combined_query.exists(limit=False)
                for combined_query in q.combined_queries
            )
        q.clear_ordering(force=True)
        if limit:
            q.set_limits(high=1)
        q.add_annotation(Value(1), "a")
        return q

    def has_results(self, connection):
        q = self.exists()
        compiler = q.get_compiler(connection=connection)
        return compiler.has_results()

    def explain(self, connection, format=None, **options):
        q = self.clone()
        for option_name in options:
            if not EXPLAIN_OPTIONS_PATTERN.match(option_name) or "--" in option_name:
                raise ValueError(f"Invalid option name: {option_name!r}.")
        q.explain_info = ExplainInfo(format, options)
        compiler = q.get_compiler(connection=connection)
        return "\n".join(compiler.explain_query())

    def combine(self, rhs, connector):
        """Merge rhs's conditions into this query (``qs1 & qs2``, ``qs1 | qs2``)."""
        if self.model != rhs.model:
            raise TypeError("Cannot combine queries on two different base models.")
        if self.is_sliced:
            raise TypeError("Cannot combine queries once a slice has been taken.")
        if self.distinct != rhs.distinct:
            raise TypeError("Cannot combine a unique query with a non-unique query.")
        if self.distinct_fields != rhs.distinct_fields:
            raise TypeError("Cannot combine queries with different distinct fields.")
        self.get_initial_alias()
        change_map = {}
        if rhs.base_table and self.base_table and rhs.base_table != self.base_table:
            change_map[rhs.base_table] = self.base_table
        # Bring rhs's joins over: with OR the joins of this query may be
        # reused, with AND each side keeps its own (a multi-valued relation
        # filtered on both sides must match two rows, as with two filter()
        # calls). The join types are then decided from both sides' votes.
        conjunction = connector == AND
        joinpromoter = JoinPromoter(connector, 2, False)
        joinpromoter.add_votes(
            a for a, j in self.alias_map.items() if j.join_type == INNER
        )
        rhs_votes = set()
        reuse = set() if conjunction else set(self.alias_map)
        for alias in list(rhs.alias_map)[1:]:
            join = rhs.alias_map[alias].relabeled_clone(change_map)
            if join.join_type == INNER:
                rhs_votes.add(alias)
            new_alias = self.join(join, reuse=reuse)
            if join.join_type == INNER:
                rhs_votes.discard(alias)
                rhs_votes.add(new_alias)
            reuse.discard(new_alias)
            if alias != new_alias:
                change_map[alias] = new_alias
            if not rhs.alias_refcount.get(alias):
                # An unused join on the right stays unused here.
                self.unref_alias(new_alias)
        joinpromoter.add_votes(rhs_votes)
        joinpromoter.update_join_types(self)
        rhs_where = rhs.where.clone()
        rhs_where.relabel_aliases(change_map)
        if connector == AND:
            self.where.add(rhs_where, AND)
        else:
            self.where = WhereNode([self.where, rhs_where], connector)
        if rhs.annotations:
            for alias, annotation in rhs.annotations.items():
                self.annotations.setdefault(alias, annotation)
        if rhs.order_by:
            self.order_by = rhs.order_by
        self.select = rhs.select or self.select

    # -- deferred loading ---------------------------------------------------
    def clear_deferred_loading(self):
        self.deferred_loading = (frozenset(), True)

    def add_deferred_loading(self, field_names):
        existing, defer = self.deferred_loading
        if defer:
            self.deferred_loading = existing.union(field_names), True
        else:
            if new_existing := existing.difference(field_names):
                self.deferred_loading = new_existing, False
            else:
                self.clear_deferred_loading()
                if new_only := set(field_names).difference(existing):
                    self.deferred_loading = frozenset(new_only), True

    def add_immediate_loading(self, field_names):
        existing, defer = self.deferred_loading
        field_names = set(field_names)
        if "pk" in field_names:
            field_names.remove("pk")
            field_names.add(self.get_meta().pk.name)
        if defer:
            self.deferred_loading = frozenset(field_names.difference(existing)), False
        else:
            self.deferred_loading = frozenset(field_names), False

    def get_loaded_field_names(self):
        """The concrete fields a model query will load, in model order."""
        names, defer = self.deferred_loading
        loaded = []
        for field in self.get_meta().concrete_fields:
            in_names = field.name in names or field.attname in names
            if field.primary_key:
                loaded.append(field)
            elif defer and not in_names:
                loaded.append(field)
            elif not defer and in_names:
                loaded.append(field)
        return loaded

    # -- aliases and tables -------------------------------------------------
    def table_alias(self, table_name, create=False, filtered_relation=None):
        """An alias for ``table_name``: the table's own name the first time,
        then T<n>; a FilteredRelation's alias is its annotation name."""
        alias_list = self.table_map.get(table_name)
        if not create and alias_list:
            alias = alias_list[0]
            self.alias_refcount[alias] += 1
            return alias, False
        if filtered_relation is not None:
            alias = filtered_relation.alias
            self.table_map.setdefault(table_name, []).append(alias)
        elif alias_list:
            alias = "%s%d" % (self.alias_prefix, len(self.alias_map) + 1)
            alias_list.append(alias)
        else:
            alias = table_name
            self.table_map[table_name] = [alias]
        self.alias_refcount[alias] = 1
        return alias, True

    def ref_alias(self, alias):
        self.alias_refcount[alias] += 1

    def unref_alias(self, alias, amount=1):
        self.alias_refcount[alias] -= amount

    def promote_joins(self, aliases):
        """Turn these joins LEFT OUTER where a row may lack the related row
        (nullable, or below an outer join), cascading to the joins that
        hang off a promoted one."""
        todo = list(aliases)
        for alias in todo:  # grows while we go
            current = self.alias_map[alias]
            if current.join_type is None or current.join_type == LOUTER:
                continue  # the FROM table, or already outer
            above = self.alias_map.get(current.parent_alias)
            if not (current.nullable or (above is not None and above.join_type == LOUTER)):
                continue
            self.alias_map[alias] = current.promote()
            for child_alias, child in self.alias_map.items():
                if child.parent_alias == alias and child_alias not in todo:
                    todo.append(child_alias)

    def demote_joins(self, aliases):
        """Turn these joins INNER (a condition requires the related row);
        an INNER parent is looked at again in turn."""
        todo = list(aliases)
        for alias in todo:
            current = self.alias_map[alias]
            if current.join_type != LOUTER:
                continue
            self.alias_map[alias] = current.demote()
            if self.alias_map[current.parent_alias].join_type == INNER:
                todo.append(current.parent_alias)

    def get_initial_alias(self):
        if self.alias_map:
            alias = self.base_table
            self.ref_alias(alias)
        elif self.model:
            alias = self.join(self.base_table_class(self.get_meta().db_table, None))
        else:
            alias = None
        return alias

    def count_active_tables(self):
        return len([1 for count in self.alias_refcount.values() if count])

    def join(self, join, reuse=None, reuse_with_filtered_relation=False):
        """The alias of ``join``: an existing equal join (any when ``reuse``
        is None, else one of ``reuse``) or a new one. A new join is LEFT
        OUTER when it is nullable or hangs off a LEFT OUTER join."""
        if reuse_with_filtered_relation and reuse:
            # A FilteredRelation's condition runs on the join it made.
            def usable(alias, existing):
                return alias in reuse and existing.equals(join)
        else:
            def usable(alias, existing):
                return (reuse is None or alias in reuse) and existing == join
        candidates = [a for a, existing in self.alias_map.items() if usable(a, existing)]
        if candidates:
            chosen = join.table_alias if join.table_alias in candidates else candidates[-1]
            self.ref_alias(chosen)
            return chosen
        new_alias, _ = self.table_alias(
            join.table_name, create=True, filtered_relation=join.filtered_relation
        )
        if join.join_type is not None:
            outer_parent = self.alias_map[join.parent_alias].join_type == LOUTER
            join.join_type = LOUTER if (outer_parent or join.nullable) else INNER
        join.table_alias = new_alias
        self.alias_map[new_alias] = join
        return new_alias

    # -- names --------------------------------------------------------------
    def _field_choices(self, opts=None):
        opts = opts or self.get_meta()
        names = [*get_field_names_from_opts(opts)]
        if opts is self.get_meta():
            names += [*self.annotation_select, *self._filtered_relations]
        return sorted(names)

    def _unknown_name(self, name, opts):
        return FieldError(
            "Cannot resolve keyword '%s' into field. Choices are: %s"
            % (name, ", ".join(self._field_choices(opts)))
        )

    def _lookup_target(self, name, opts, first):
        """(field or None, FilteredRelation or None) for one name of a path:
        a field or reverse relation of ``opts``, or -- first name only --
        an annotation or a FilteredRelation alias."""
        if opts is not None:
            try:
                return opts.get_field(name), None
            except (FieldDoesNotExist, TypeError):
                pass
        if first and name in self.annotation_select:
            return self.annotation_select[name].output_field, None
        if first and name in self._filtered_relations:
            relation = self._filtered_relations[name]
            return opts.get_field(relation.relation_name), relation
        return None, None

    def names_to_path(self, names, opts, allow_many=True, fail_on_missing=False):
        """
        Walk ``names`` through the model's fields and relations. Return
        ``(path, final_field, targets, rest)``: the PathInfos of the joins
        crossed, the last field, the column(s) it ends on, and the names
        left over (transforms and lookups). An unknown first name (or, with
        ``fail_on_missing``, any unknown name) raises FieldError listing the
        choices; ``allow_many=False`` raises MultiJoin at a multi-valued hop.
        """
        hops = []  # PathInfos crossed so far
        walked = []  # (name, its PathInfos): what MultiJoin reports
        last_field = columns = None
        consumed = 0
        for index, raw_name in enumerate(names):
            name = opts.pk.name if (raw_name == "pk" and opts is not None) else raw_name
            field, relation = self._lookup_target(name, opts, index == 0)
            if field is not None and field.is_relation and not field.related_model:
                raise FieldError(
                    "Field %r does not generate an automatic reverse relation "
                    "and therefore cannot be used for reverse querying." % name
                )
            if field is None:
                after_relation = hops and last_field is not None and last_field.is_relation
                if after_relation and not (last_field.get_lookup(name) or last_field.get_transform(name)):
                    # Neither a field of the related model nor a lookup.
                    raise self._unknown_name(name, opts)
                if index == 0 or fail_on_missing:
                    raise self._unknown_name(name, opts)
                break  # the rest are transforms and lookups
            consumed = index + 1
            hop_list = None
            if hasattr(field, "path_infos"):
                hop_list = field.get_path_info(relation) if relation else field.path_infos
            if hop_list is None:
                if index == 0 and not getattr(field, "concrete", True) and name not in self.annotation_select:
                    raise self._unknown_name(name, opts)
                # A plain column: what follows are transforms and lookups.
                last_field, columns = field, (field,)
                if fail_on_missing and consumed != len(names):
                    raise FieldError(
                        "Cannot resolve keyword %r into field. Join on '%s' "
                        "not permitted." % (names[consumed], name)
                    )
                break
            if not allow_many:
                many_at = next((i for i, hop in enumerate(hop_list) if hop.m2m), None)
                if many_at is not None:
                    walked.append((raw_name, list(hop_list[: many_at + 1])))
                    raise MultiJoin(consumed, walked)
            hops.extend(hop_list)
            walked.append((raw_name, list(hop_list)))
            final_hop = hop_list[-1]
            last_field, columns, opts = final_hop.join_field, final_hop.target_fields, final_hop.to_opts
        return hops, last_field, columns, list(names[consumed:])

    def setup_joins(self, names, opts, alias, can_reuse=None, allow_many=True,
                    reuse_with_filtered_relation=False):
        """
        Join the tables along ``names`` (field names only) starting at
        ``alias``. Multi-valued joins are reused only from ``can_reuse``
        (None: any); single-valued ones always. Return a JoinInfo.
        """
        path, final_field, targets, _ = self.names_to_path(
            names, opts, allow_many, fail_on_missing=True
        )
        aliases = [alias]
        for hop in path:
            relation = hop.filtered_relation.clone() if hop.filtered_relation else None
            opts = hop.to_opts
            # A reverse hop may find no row: it is nullable by nature.
            may_be_null = not hop.direct or self.is_nullable(hop.join_field)
            new_join = self.join_class(
                opts.db_table, aliases[-1], None, INNER, hop.join_field, may_be_null,
                filtered_relation=relation,
            )
            reusable = can_reuse if (hop.m2m or reuse_with_filtered_relation) else None
            aliases.append(self.join(
                new_join, reuse=reusable,
                reuse_with_filtered_relation=reuse_with_filtered_relation,
            ))
            if relation is not None:
                # Its condition is compiled against the aliases of the path.
                relation.path = list(aliases)
        return JoinInfo(final_field, targets, opts, aliases, path)

    def trim_joins(self, targets, joins, path):
        """
        Drop trailing joins that only read a column the previous table
        already holds (``author__id`` is ``author_id``). Return ``(targets,
        final alias, joins)``.
        """
        joins = list(joins)
        for hop in path[::-1]:
            if len(joins) < 2 or not hop.direct or hop.filtered_relation:
                break
            # target column -> the local column holding the same value
            local_for = {
                remote.column: local for local, remote in hop.join_field.related_fields
            }
            if any(t.column not in local_for for t in targets):
                break
            targets = tuple(local_for[t.column] for t in targets)
            self.unref_alias(joins.pop())
        return targets, joins[-1], joins

    def _validate_field_path(self, name):
        """Check ``name`` (fields, relations, transforms) without joining."""
        names = name.split(LOOKUP_SEP)
        if names[0] in self.annotations:
            return
        _, field, targets, rest = self.names_to_path(names, self.get_meta())
        expression = targets[0].get_col(None, field) if hasattr(targets[0], "get_col") else None
        for transform in rest:
            if expression is None:
                break
            expression = self.try_transform(expression, transform)

    def solve_lookup_type(self, lookup, summarize=False):
        """Split 'field__transform__lookup' into (lookups, field parts, annotation)."""
        lookup_splitted = lookup.split(LOOKUP_SEP)
        if self.annotations:
            annotation, expression_lookups = refs_expression(
                lookup_splitted, self.annotations
            )
            if annotation:
                expression = self.annotations[annotation]
                if summarize:
                    expression = Ref(annotation, expression)
                return expression_lookups, (), expression
        _, field, _, lookup_parts = self.names_to_path(lookup_splitted, self.get_meta())
        field_parts = lookup_splitted[0 : len(lookup_splitted) - len(lookup_parts)]
        return lookup_parts, field_parts, False

    def _resolve_field_expression(self, name, allow_joins=True, reuse=None):
        """'author__name__upper' -> Upper(Col(<join alias>, name)): joins as
        needed; validates every part."""
        names = name.split(LOOKUP_SEP)
        annotation = self.annotations.get(names[0])
        if annotation is not None:
            expression = annotation
            remaining = names[1:]
        else:
            path, _, _, remaining = self.names_to_path(names, self.get_meta())
            field_names = names[: len(names) - len(remaining)]
            if not allow_joins and path:
                raise FieldError("Joined field references are not permitted in this query")
            join_info = self.setup_joins(
                field_names, self.get_meta(), self.get_initial_alias(), can_reuse=reuse
            )
            targets, final_alias, join_list = self.trim_joins(
                join_info.targets, join_info.joins, join_info.path
            )
            if len(targets) > 1:
                raise FieldError("Referencing multicolumn fields with F() objects isn't supported")
            expression = self._get_col(targets[0], join_info.targets[0], final_alias)
        for transform in remaining:
            expression = self.try_transform(expression, transform)
        return expression

    def resolve_ref(self, name, allow_joins=True, reuse=None, summarize=False):
        if not isinstance(name, str):
            raise FieldError("F() expressions need a field name, got %r." % (name,))
        annotation = self.annotations.get(name)
        if annotation is not None:
            if summarize:
                # aggregate() over an annotation: the aggregation query is
                # wrapped around this one, which selects the annotation.
                if name not in self.annotation_select:
                    raise FieldError(
                        "Cannot aggregate over the '%s' alias. Use annotate() to "
                        "promote it." % name
                    )
                return Ref(name, self.annotation_select[name])
            return annotation
        return self._resolve_field_expression(name, allow_joins=allow_joins, reuse=reuse)

    # -- filters ------------------------------------------------------------
    def check_filterable(self, expression):
        if hasattr(expression, "resolve_expression") and not getattr(
            expression, "filterable", True
        ):
            from django.db.utils import NotSupportedError

            raise NotSupportedError(
                expression.__class__.__name__ + " is disallowed in the filter clause."
            )
        if hasattr(expression, "get_source_expressions"):
            for expr in expression.get_source_expressions():
                if expr is not None:
                    self.check_filterable(expr)

    def resolve_lookup_value(self, value, can_reuse, allow_joins):
        if hasattr(value, "resolve_expression"):
            value = value.resolve_expression(
                self, reuse=can_reuse, allow_joins=allow_joins
            )
        elif isinstance(value, (list, tuple)):
            values = (
                self.resolve_lookup_value(sub_value, can_reuse, allow_joins)
                for sub_value in value
            )
            type_ = type(value)
            if hasattr(type_, "_make"):  # namedtuple
                return type_(*values)
            return type_(values)
        return value

    def try_transform(self, lhs, name):
        transform_class = lhs.get_transform(name)
        if transform_class:
            return transform_class(lhs)
        output_field = lhs.output_field.__class__
        suggested_lookups = difflib.get_close_matches(
            name, list(lhs.output_field.get_lookups())
        )
        if suggested_lookups:
            suggestion = ", perhaps you meant %s?" % " or ".join(suggested_lookups)
        else:
            suggestion = "."
        raise FieldError(
            "Unsupported lookup '%s' for %s or join on the field not "
            "permitted%s" % (name, output_field.__name__, suggestion)
        )

    def build_lookup(self, lookups, lhs, rhs):
        *transforms, lookup_name = lookups or ["exact"]
        for name in transforms:
            lhs = self.try_transform(lhs, name)
        lookup_class = lhs.get_lookup(lookup_name)
        if not lookup_class:
            # Not a lookup: try it as a transform compared with "exact".
            lhs = self.try_transform(lhs, lookup_name)
            lookup_name = "exact"
            lookup_class = lhs.get_lookup(lookup_name)
            if not lookup_class:
                return None
        lookup = lookup_class(lhs, rhs)
        # "field=None" means "field IS NULL"; other lookups refuse None.
        if lookup.rhs is None and not lookup.can_use_none_as_rhs:
            if lookup_name not in ("exact", "iexact"):
                raise ValueError("Cannot use None as a query value")
            return lhs.get_lookup("isnull")(lhs, True)
        return lookup

    def check_related_objects(self, field, value, opts):
        """A model instance compared with a relation must be of its model."""
        if not getattr(field, "is_relation", False):
            return
        from django.db.models import Model

        values = value if isinstance(value, (list, tuple, set)) else [value]
        for v in values:
            if isinstance(v, Model) and not check_rel_lookup_compatibility(v._meta.model, opts, field):
                raise ValueError(
                    'Cannot query "%s": Must be "%s" instance.' % (v, opts.object_name)
                )

    def build_filter(
        self,
        filter_expr,
        branch_negated=False,
        current_negated=False,
        can_reuse=None,
        allow_joins=True,
        split_subq=True,
        check_filterable=True,
        summarize=False,
        reuse_with_filtered_relation=False,
    ):
        """
        Turn one ``(lookup, value)`` pair (or a Q, or a conditional
        expression) into a WhereNode. Return ``(clause, joins that must be
        INNER)``; the caller (_add_q) decides the join types from those votes.
        """
        if isinstance(filter_expr, dict):
            raise FieldError("Cannot parse keyword query as dict")
        if isinstance(filter_expr, Q):
            return self._add_q(
                filter_expr,
                branch_negated=branch_negated,
                current_negated=current_negated,
                used_aliases=can_reuse,
                allow_joins=allow_joins,
                split_subq=split_subq,
                check_filterable=check_filterable,
                summarize=summarize,
            )
        if hasattr(filter_expr, "resolve_expression"):
            if not getattr(filter_expr, "conditional", False):
                raise TypeError("Cannot filter against a non-conditional expression.")
            condition = filter_expr.resolve_expression(
                self, allow_joins=allow_joins, reuse=can_reuse, summarize=summarize
            )
            if not isinstance(condition, Lookup):
                condition = self.build_lookup(["exact"], condition, True)
            return WhereNode([condition], connector=AND), []
        try:
            arg, value = filter_expr
        except (TypeError, ValueError):
            raise FieldError("Cannot parse keyword query %r" % (filter_expr,))
        if not arg or not isinstance(arg, str):
            raise FieldError("Cannot parse keyword query %r" % (arg,))
        lookups, parts, reffed_expression = self.solve_lookup_type(arg, summarize)
        if check_filterable:
            self.check_filterable(reffed_expression)
        if not allow_joins and len(parts) > 1:
            raise FieldError("Joined field references are not permitted in this query")
        pre_joins = self.alias_refcount.copy()
        value = self.resolve_lookup_value(value, can_reuse, allow_joins)
        used_joins = {k for k, v in self.alias_refcount.items() if v > pre_joins.get(k, 0)}
        if check_filterable:
            self.check_filterable(value)

        if reffed_expression:
            condition = self.build_lookup(list(lookups), reffed_expression, value)
            return WhereNode([condition], connector=AND), []

        opts = self.get_meta()
        alias = self.get_initial_alias()
        # In a negated branch a multi-valued relation becomes a subquery.
        allow_many = not branch_negated or not split_subq
        try:
            join_info = self.setup_joins(
                list(parts), opts, alias, can_reuse=can_reuse, allow_many=allow_many,
                reuse_with_filtered_relation=reuse_with_filtered_relation,
            )
            if isinstance(value, Iterator):
                value = list(value)
            self.check_related_objects(join_info.final_field, value, join_info.opts)
        except MultiJoin as e:
            return self.split_exclude(filter_expr, can_reuse, e.names_with_path)

        used_joins.update(join_info.joins)
        targets, alias, join_list = self.trim_joins(
            join_info.targets, join_info.joins, join_info.path
        )
        if can_reuse is not None:
            can_reuse.update(join_list)
        if len(targets) > 1:  # pragma: no cover
            raise FieldError("Multi-column relations are not supported.")
        col = self._get_col(targets[0], join_info.final_field, alias)
        condition = self.build_lookup(list(lookups), col, value)
        lookup_type = condition.lookup_name
        clause = WhereNode([condition], connector=AND)

        is_isnull = lookup_type == "isnull"
        # isnull=True keeps the rows without a related row: no INNER vote.
        keep_outer = is_isnull and condition.rhs is True and not current_negated
        negated_compare = current_negated and condition.rhs is not None and (
            not is_isnull or condition.rhs is False
        )
        if negated_compare:
            # "NOT (col = v)" must not lose rows where col IS NULL (SQL's
            # NULL never compares): add "AND col IS NOT NULL" inside the NOT.
            keep_outer = True
            target = targets[0]
            joined_outer = self.alias_map[join_list[-1]].join_type == LOUTER
            if not is_isnull and (self.is_nullable(target) or joined_outer):
                null_check = target.get_lookup("isnull")
                clause.add(null_check(self._get_col(target, join_info.targets[0], alias), False), AND)
            if not is_isnull and isinstance(value, Col) and self.is_nullable(value.target):
                clause.add(value.target.get_lookup("isnull")(value, False), AND)
        return clause, () if keep_outer else used_joins

    def add_filter(self, filter_lhs, filter_rhs):
        self.add_q(Q((filter_lhs, filter_rhs)))

    def add_q(self, q_object):
        # A new filter() only narrows the result: joins that are INNER now
        # must not turn LEFT OUTER because of it.
        inner_before = [alias for alias, j in self.alias_map.items() if j.join_type == INNER]
        clause, _ = self._add_q(q_object, self.used_aliases)
        if clause:
            self.where.add(clause, AND)
        self.demote_joins(inner_before)

    def build_where(self, filter_expr):
        return self.build_filter(filter_expr, allow_joins=False)[0]

    def clear_where(self):
        self.where = WhereNode()

    def _add_q(
        self,
        q_object,
        used_aliases,
        branch_negated=False,
        current_negated=False,
        allow_joins=True,
        split_subq=True,
        check_filterable=True,
        summarize=False,
    ):
        connector = q_object.connector
        current_negated ^= q_object.negated
        branch_negated = branch_negated or q_object.negated
        target_clause = WhereNode(connector=connector, negated=q_object.negated)
        # The children vote for the joins they need INNER.
        promoter = JoinPromoter(connector, len(q_object.children), current_negated)
        for child in q_object.children:
            child_clause, needed_inner = self.build_filter(
                child,
                can_reuse=used_aliases,
                branch_negated=branch_negated,
                current_negated=current_negated,
                allow_joins=allow_joins,
                split_subq=split_subq,
                check_filterable=check_filterable,
                summarize=summarize,
            )
            promoter.add_votes(needed_inner)
            if child_clause:
                target_clause.add(child_clause, connector)
        return target_clause, promoter.update_join_types(self)

    def build_filtered_relation_q(self, q_object, reuse, branch_negated=False, current_negated=False):
        """The WhereNode of a FilteredRelation condition, on its own joins."""
        connector = q_object.connector
        current_negated ^= q_object.negated
        branch_negated = branch_negated or q_object.negated
        target_clause = WhereNode(connector=connector, negated=q_object.negated)
        for child in q_object.children:
            if isinstance(child, Q):
                child_clause = self.build_filtered_relation_q(
                    child, reuse=reuse, branch_negated=branch_negated,
                    current_negated=current_negated,
                )
            else:
                child_clause, _ = self.build_filter(
                    child, can_reuse=reuse, branch_negated=branch_negated,
                    current_negated=current_negated, allow_joins=True,
                    split_subq=False, reuse_with_filtered_relation=True,
                )
            target_clause.add(child_clause, connector)
        return target_clause

    def add_filtered_relation(self, filtered_relation, alias):
        """Register ``annotate(alias=FilteredRelation(...))``: its condition
        may only use the relation itself."""
        self.check_alias(alias)
        filtered_relation.alias = alias
        relation_name = filtered_relation.relation_name
        if LOOKUP_SEP in relation_name:
            raise ValueError(
                "FilteredRelation's relation_name cannot contain lookups "
                "(got %r)." % relation_name
            )
        for lookup in _q_lookups(filtered_relation.condition):
            lookup_parts = lookup.split(LOOKUP_SEP)
            if lookup_parts[0] != relation_name:
                raise ValueError(
                    "FilteredRelation's condition doesn't support relations "
                    "outside the %r (got %r)." % (relation_name, lookup)
                )
            path, _, _, rest = self.names_to_path(lookup_parts, self.get_meta())
            if len(path) > len(self.names_to_path([relation_name], self.get_meta())[0]):
                raise ValueError(
                    "FilteredRelation's condition doesn't support nested "
                    "relations deeper than the relation_name (got %r for %r)."
                    % (lookup, relation_name)
                )
        self._filtered_relations[alias] = filtered_relation

    def split_exclude(self, filter_expr, can_reuse, names_with_path):
        """
        exclude() across a multi-valued relation: "no related row matches",
        i.e. ``pk NOT IN (SELECT pk ... WHERE <condition>)`` (the NOT comes
        from the negated branch around this condition).
        """
        filter_lhs, filter_rhs = filter_expr
        if isinstance(filter_rhs, OuterRef):
            filter_rhs = OuterRef(filter_rhs)
        elif isinstance(filter_rhs, F):
            filter_rhs = OuterRef(filter_rhs.name)
        inner = self.__class__(self.model)
        inner._filtered_relations = self._filtered_relations
        inner.add_filter(filter_lhs, filter_rhs)
        inner.clear_ordering(force=True)
        pk = self.get_meta().pk
        inner.set_select([pk.get_col(inner.get_initial_alias())])
        inner.alias_refcount[inner.base_table] -= 1
        condition, needed_inner = self.build_filter(("pk__in", inner))
        return condition, needed_inner

    # -- limits -------------------------------------------------------------
    def set_limits(self, low=None, high=None):
        if high is not None:
            if self.high_mark is not None:
                self.high_mark = min(self.high_mark, self.low_mark + high)
            else:
                self.high_mark = self.low_mark + high
        if low is not None:
            if self.high_mark is not None:
                self.low_mark = min(self.high_mark, self.low_mark + low)
            else:
                self.low_mark = self.low_mark + low
        if self.low_mark == self.high_mark:
            self.set_empty()

    def clear_limits(self):
        self.low_mark, self.high_mark = 0, None

    @property
    def is_sliced(self):
        return self.low_mark != 0 or self.high_mark is not None

    def has_limit_one(self):
        return self.high_mark is not None and (self.high_mark - self.low_mark) == 1

    def can_filter(self):
        return not self.is_sliced

    def set_empty(self):
        self.where.add(NothingNode(), AND)
        for query in self.combined_queries:
            query.set_empty()

    def is_empty(self):
        return any(isinstance(c, NothingNode) for c in self.where.children)

    # -- select -------------------------------------------------------------
    def clear_select_clause(self):
        self.select = ()
        self.default_cols = False
        self.select_related = False
        self.set_extra_mask(())
        self.set_annotation_mask(())

    def clear_select_fields(self):
        self.select = ()
        self.values_select = ()

    def add_select_col(self, col, name):
        self.select += (col,)
        self.values_select += (name,)

    def set_select(self, cols):
        self.default_cols = False
        self.select = tuple(cols)

    def add_distinct_fields(self, *field_names):
        self.distinct_fields = field_names
        self.distinct = True

    def add_fields(self, field_names, allow_m2m=True):
        """Select the named fields (with transforms) instead of the model's columns."""
        cols = []
        for name in field_names:
            if not isinstance(name, str):
                raise TypeError("Field names must be strings, got %r." % (name,))
            cols.append(self._resolve_field_expression(name))
        self.set_select(cols)

    def add_ordering(self, *ordering):
        """
        Add items to ORDER BY. Strings are validated now (field, annotation,
        '-' prefix, transforms or '?'), so bad names fail before any query.
        """
        errors = []
        for item in ordering:
            if isinstance(item, str):
                if item == "?":
                    continue
                name = item[1:] if item.startswith("-") else item
                if name in self.annotations:
                    continue
                if not name:
                    errors.append(item)
                    continue
                self._validate_field_path(name)
            elif not hasattr(item, "resolve_expression"):
                errors.append(item)
            if getattr(item, "contains_aggregate", False):
                raise FieldError(
                    "Using an aggregate in order_by() without also including "
                    "it in annotate() is not allowed: %s" % item
                )
        if errors:
            raise FieldError("Invalid order_by arguments: %s" % errors)
        if ordering:
            self.order_by += ordering
        else:
            self.default_ordering = False

    def clear_ordering(self, force=False, clear_default=True):
        if not force and (
            self.is_sliced or self.distinct_fields or self.select_for_update
        ):
            return
        self.order_by = ()
        self.extra_order_by = ()
        if clear_default:
            self.default_ordering = False

    def set_group_by(self, allow_aliases=True):
        group_by = list(self.select)
        for alias, annotation in self.annotation_select.items():
            if not (group_by_cols := annotation.get_group_by_cols()):
                continue
            if allow_aliases and not annotation.contains_aggregate:
                group_by.append(Ref(alias, annotation))
            else:
                group_by.extend(group_by_cols)
        self.group_by = tuple(group_by)

    def add_select_related(self, fields):
        """``select_related("a__b", "c")`` -> {"a": {"b": {}}, "c": {}}."""
        tree = {} if isinstance(self.select_related, bool) else self.select_related
        for path in fields:
            node = tree
            for step in path.split(LOOKUP_SEP):
                node = node.setdefault(step, {})
        self.select_related = tree

    def add_extra(self, *args, **kwargs):
        raise NotImplementedError("extra() is not supported; use annotate() or RawSQL.")

    # -- annotations --------------------------------------------------------
    def check_alias(self, alias):
        if not isinstance(alias, str) or not ALIAS_PATTERN.match(alias):
            raise ValueError(
                "Column aliases cannot contain whitespace characters, quotation "
                "marks, semicolons, or SQL comments; they must be identifiers "
                "(letters, digits and underscores, not starting with a digit). "
                "Got %r." % (alias,)
            )

    def add_annotation(self, annotation, alias, select=True):
        self.check_alias(alias)
        annotation = annotation.resolve_expression(self, allow_joins=True, reuse=None)
        if select:
            self.append_annotation_mask([alias])
        else:
            self.set_annotation_mask(
                [a for a in self.annotation_select if a != alias]
            )
        self.annotations[alias] = annotation

    def set_annotation_mask(self, names):
        if names is None:
            self.annotation_select_mask = None
        else:
            self.annotation_select_mask = list(dict.fromkeys(names))
        self._annotation_select_cache = None

    def append_annotation_mask(self, names):
        if self.annotation_select_mask is not None:
            self.set_annotation_mask([*self.annotation_select_mask, *names])

    def set_extra_mask(self, names):
        self.extra_select_mask = None if names is None else set(names)

    @property
    def annotation_select(self):
        if not self.annotations:
            return {}
        if self.annotation_select_mask is not None:
            if self._annotation_select_cache is None:
                self._annotation_select_cache = {
                    k: self.annotations[k]
                    for k in self.annotation_select_mask
                    if k in self.annotations
                }
            return self._annotation_select_cache
        return self.annotations

    @property
    def extra_select(self):
        return {}

    def set_values(self, fields):
        self.select_related = False
        self.clear_deferred_loading()
        self.clear_select_fields()
        if fields:
            field_names = []
            annotation_names = []
            if not self.annotations:
                field_names = list(fields)
            else:
                self.default_cols = False
                for f in fields:
                    if f in self.annotations:
                        annotation_names.append(f)
                    else:
                        field_names.append(f)
            self.set_annotation_mask(annotation_names)
            selected = frozenset(field_names + annotation_names)
        else:
            field_names = [f.attname for f in self.model._meta.concrete_fields]
            selected = frozenset(field_names)
        # Grouping must keep using the expressions, not just selected names.
        if self.group_by is True:
            self.add_fields(
                (f.attname for f in self.model._meta.concrete_fields), False
            )
            self.set_group_by(allow_aliases=False)
            self.clear_select_fields()
        elif self.group_by:
            group_by = []
            for expr in self.group_by:
                if isinstance(expr, Ref) and expr.refs not in selected:
                    expr = self.annotations[expr.refs]
                group_by.append(expr)
            self.group_by = tuple(group_by)
        self.values_select = tuple(field_names)
        self.add_fields(field_names, True)

    def is_nullable(self, field):
        return field.null


class JoinInfo(namedtuple("JoinInfo", "final_field targets opts joins path")):
    """What setup_joins() built: the last field, its target column(s), the
    options of the last model, the aliases joined and the PathInfos."""


def _q_lookups(q_object):
    """Every lookup string used in a Q tree."""
    for child in q_object.children:
        if isinstance(child, Q):
            yield from _q_lookups(child)
        elif isinstance(child, tuple):
            yield child[0]


class JoinPromoter:
    """
    Decide INNER or LEFT OUTER for the joins a group of conditions uses.
    Each child condition "votes" for the joins it needs INNER. Under AND,
    one vote is enough to make a join INNER; under OR, a join is INNER only
    if every child voted for it (otherwise rows matched by another branch
    through a missing related row would be lost). A negated group behaves
    like the opposite connector.
    """

    def __init__(self, connector, num_children, negated):
        self.connector = connector
        self.negated = negated
        flipped = {AND: OR, OR: AND}
        self.effective_connector = flipped.get(connector, connector) if negated else connector
        self.num_children = num_children
        self.votes = Counter()

    def add_votes(self, votes):
        for alias in votes:
            self.votes[alias] += 1

    def update_join_types(self, query):
        """Apply the decision to ``query``; return the joins made INNER."""
        everyone = self.num_children
        if self.effective_connector == OR:
            inner = {alias for alias, n in self.votes.items() if n == everyone}
            outer = set(self.votes) - inner
        else:
            inner, outer = set(self.votes), set()
        query.promote_joins(outer)
        query.demote_joins(inner)
        return inner


class _Empty:
    pass


def _debug_param(value):
    # Only for str(query): show strings quoted so the statement reads well.
    if isinstance(value, str):
        return "'%s'" % value.replace("'", "''")
    return value
