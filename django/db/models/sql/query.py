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
from collections import namedtuple
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
from django.db.models.query_utils import LOOKUP_SEP, Q
from django.db.models.sql.constants import INNER, LOUTER, SINGLE
from django.db.models.sql.datastructures import BaseTable, Join
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


def _names_field(opts, name):
    if name == "pk":
        return True
    try:
        opts.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


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
        rhs_where = rhs.where.clone()
        if rhs.base_table and self.base_table and rhs.base_table != self.base_table:
            rhs_where.relabel_aliases({rhs.base_table: self.base_table})
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
        alias_list = self.table_map.get(table_name)
        if not create and alias_list:
            alias = alias_list[0]
            self.alias_refcount[alias] += 1
            return alias, False
        if alias_list:
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
        # Only single-table queries exist until relations arrive.
        return None

    def demote_joins(self, aliases):
        return None

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

    def join(self, join, reuse=None):
        reuse_aliases = [
            a
            for a, j in self.alias_map.items()
            if (reuse is None or a in reuse) and j.equals(join)
        ]
        if reuse_aliases:
            alias = reuse_aliases[-1]
            self.ref_alias(alias)
            return alias
        alias, _ = self.table_alias(
            join.table_name, create=True, filtered_relation=join.filtered_relation
        )
        join.table_alias = alias
        self.alias_map[alias] = join
        return alias

    # -- names --------------------------------------------------------------
    def _field_choices(self, opts=None):
        if opts is None or opts is self.get_meta():
            return sorted(
                [*get_field_names_from_opts(self.get_meta()), *self.annotation_select]
            )
        return sorted(get_field_names_from_opts(opts))

    def names_to_path(self, names, opts, allow_many=True, fail_on_missing=False):
        """
        Resolve the first name against ``opts``. Return (path, field,
        targets, remaining names); the remaining names are related fields,
        transforms or lookups. Unknown names raise FieldError listing the
        choices.
        """
        name = names[0]
        if name == "pk":
            name = opts.pk.name
        field = None
        if isinstance(name, str):
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                field = None
        if field is None or (
            not getattr(field, "concrete", True) and not getattr(field, "is_relation", False)
        ):
            raise FieldError(
                "Cannot resolve keyword '%s' into field. Choices are: %s"
                % (name, ", ".join(self._field_choices(opts)))
            )
        if getattr(field, "is_relation", False) and not getattr(field, "concrete", False):
            raise FieldError(
                "Filtering across the multi-valued relation '%s' is not supported "
                "yet; use a subquery (e.g. pk__in=...) instead." % name
            )
        return [], field, (field,), list(names[1:])

    def _resolve_path(self, names):
        """
        Follow forward many-to-one/one-to-one relations as long as the next
        name is a field of the related model. Return (fields, remaining):
        the fields named along the way and the transforms/lookups left.
        """
        opts = self.get_meta()
        fields = []
        pos = 0
        while True:
            _, field, _, remaining = self.names_to_path(names[pos:], opts)
            fields.append(field)
            pos = len(names) - len(remaining)
            related = getattr(field, "related_model", None)
            if (
                remaining
                and (getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False))
                and getattr(field, "concrete", False)
                and related is not None
                and not isinstance(related, str)
                and _names_field(related._meta, remaining[0])
            ):
                opts = related._meta
                continue
            if (
                remaining
                and related is not None
                and not isinstance(related, str)
                and getattr(field, "concrete", False)
                and field.get_lookup(remaining[0]) is None
                and field.get_transform(remaining[0]) is None
            ):
                # Neither a field of the related model nor a lookup: say
                # which fields the related model has.
                raise FieldError(
                    "Cannot resolve keyword '%s' into field. Choices are: %s"
                    % (remaining[0], ", ".join(self._field_choices(related._meta)))
                )
            return fields, remaining

    def _setup_joins(self, fields, allow_joins=True):
        """
        Join the tables of the relations in fields[:-1] (LEFT OUTER JOINs,
        reused when equal). Return (final field, its table alias, whether a
        join on the way may produce NULLs).
        """
        alias = self.get_initial_alias()
        nullable = False
        for field in fields[:-1]:
            if not allow_joins:
                raise FieldError("Joined field references are not permitted in this query")
            nullable = True  # LEFT OUTER JOIN: a missing row reads as NULL.
            rel_opts = field.related_model._meta
            alias = self.join(
                self.join_class(
                    rel_opts.db_table, alias, None, LOUTER, field, field.null
                )
            )
        return fields[-1], alias, nullable

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
        _, lookup_parts = self._resolve_path(lookup_splitted)
        field_parts = lookup_splitted[0 : len(lookup_splitted) - len(lookup_parts)]
        return lookup_parts, field_parts, False

    def _resolve_field_expression(self, name, allow_joins=True):
        """'pub_date__year' -> Extract(Col(pub_date), 'year'); validates every part."""
        names = name.split(LOOKUP_SEP)
        annotation = self.annotations.get(names[0])
        if annotation is not None:
            expression = annotation
        else:
            fields, remaining = self._resolve_path(names)
            field, alias, _ = self._setup_joins(fields, allow_joins)
            expression = self._get_col(field, field, alias)
            names = [None, *remaining]
        for transform in names[1:]:
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
        return self._resolve_field_expression(name, allow_joins)

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
    ):
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
        value = self.resolve_lookup_value(value, can_reuse, allow_joins)
        if check_filterable:
            self.check_filterable(value)

        if reffed_expression:
            condition = self.build_lookup(list(lookups), reffed_expression, value)
            return WhereNode([condition], connector=AND), []

        fields, _ = self._resolve_path(list(parts))
        field, alias, join_nullable = self._setup_joins(fields, allow_joins)
        col = self._get_col(field, field, alias)
        condition = self.build_lookup(list(lookups), col, value)
        lookup_type = condition.lookup_name
        clause = WhereNode([condition], connector=AND)

        # In a negated branch, "NOT (col = v)" must still exclude NULL rows
        # the way Python expects: add "col IS NOT NULL" for nullable columns.
        if (
            current_negated
            and (lookup_type != "isnull" or condition.rhs is False)
            and condition.rhs is not None
        ):
            if lookup_type != "isnull" and (field.null or join_nullable):
                lookup_class = field.get_lookup("isnull")
                clause.add(lookup_class(self._get_col(field, field, alias), False), AND)
            if isinstance(value, Col) and value.target.null:
                lookup_class = value.target.get_lookup("isnull")
                clause.add(lookup_class(value, False), AND)
        return clause, []

    def add_filter(self, filter_lhs, filter_rhs):
        self.add_q(Q((filter_lhs, filter_rhs)))

    def add_q(self, q_object):
        clause, _ = self._add_q(q_object, self.used_aliases)
        if clause:
            self.where.add(clause, AND)

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
        for child in q_object.children:
            child_clause, _ = self.build_filter(
                child,
                can_reuse=used_aliases,
                branch_negated=branch_negated,
                current_negated=current_negated,
                allow_joins=allow_joins,
                split_subq=split_subq,
                check_filterable=check_filterable,
                summarize=summarize,
            )
            if child_clause:
                target_clause.add(child_clause, connector)
        return target_clause, set()

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
                self._resolve_field_expression(name)
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
        raise FieldError("select_related() needs relations, which are not supported yet.")

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


class _Empty:
    pass


def _debug_param(value):
    # Only for str(query): show strings quoted so the statement reads well.
    if isinstance(value, str):
        return "'%s'" % value.replace("'", "''")
    return value
