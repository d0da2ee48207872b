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
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.expressions import BaseExpression, Col, F, OuterRef, Ref, Value
from django.db.models.lookups import Lookup
from django.db.models.query_utils import LOOKUP_SEP, Q, check_rel_lookup_compatibility
from django.db.models.sql.constants import INNER, LOUTER, ORDER_DIR, SINGLE
from django.db.models.sql import filter_replay
from django.db.models.sql.datastructures import BaseTable, Join, MultiJoin
from django.db.models.sql.where import AND, OR, ExtraWhere, NothingNode, WhereNode

__all__ = ["Query", "RawQuery"]

# Aliases for annotate()/alias()/aggregate()/values(**expr) are written into
# SQL (quoted), so they are held to a strict allow-list.
ALIAS_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Names of explain() options: letters, digits and underscores only.
EXPLAIN_OPTIONS_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

ExplainInfo = namedtuple("ExplainInfo", ("format", "options"))


def get_field_names_from_opts(opts):
    """Every name a lookup may start with on ``opts``: field names, plus the
    attnames of concrete fields (``author_id`` beside ``author``)."""
    names = set()
    for field in opts.get_fields() if opts is not None else ():
        names.add(field.name)
        if getattr(field, "concrete", False):
            names.add(field.attname)
    return names


def get_order_dir(field, default="ASC"):
    """'-name' -> ('name', 'DESC'); 'name' -> ('name', 'ASC') (for default ASC)."""
    same, flipped = ORDER_DIR[default]
    return (field[1:], flipped) if field.startswith("-") else (field, same)


def refs_expression(lookup_parts, annotations):
    """
    The shortest leading run of ``lookup_parts`` that names an annotation,
    joined with ``__``, and the parts left after it; (None, ()) if none does.
    """
    name = None
    for used, part in enumerate(lookup_parts, start=1):
        name = part if name is None else name + LOOKUP_SEP + part
        if annotations.get(name) is not None:
            return name, lookup_parts[used:]
    return None, ()


# Query.deferred_loading when nothing is deferred.
_LOAD_EVERY_FIELD = (frozenset(), True)


class RawQuery:
    """A raw SQL statement; rows are fetched through the given connection."""

    low_mark, high_mark = 0, None

    def __init__(self, sql, params=()):
        self.sql, self.params = sql, params
        # The container execute() is given: None, dict or tuple.
        self.params_type = None if params is None else (dict if isinstance(params, dict) else tuple)
        self.cursor = None
        # A raw query selects what its SQL says: nothing extra, no annotations.
        self.extra_select, self.annotation_select = {}, {}

    def clone(self):
        return type(self)(self.sql, params=self.params)

    chain = clone

    def _run(self, connection):
        # Hand the driver a fresh container of the same kind: a mapping for
        # %(name)s placeholders, a tuple for positional ones, or nothing.
        kind = self.params_type
        self.cursor = connection.cursor()
        self.cursor.execute(self.sql, None if kind is None else kind(self.params))

    def get_columns(self, connection):
        if self.cursor is None:
            self._run(connection)
        to_name = getattr(connection.introspection, "identifier_converter", None)
        names = [description[0] for description in self.cursor.description]
        return [to_name(n) for n in names] if to_name else names

    def iterate(self, connection):
        self._run(connection)
        return iter(self.cursor)


    def __str__(self):
        kind = self.params_type
        return self.sql if kind is None else self.sql % kind(self.params)

    def __repr__(self):
        return "<RawQuery: %s>" % self


class Query(BaseExpression):
    """
    One SELECT (and, through subclasses in ``subqueries``, one INSERT,
    UPDATE, DELETE or aggregate) in database-neutral form.
    """

    compiler = "SQLCompiler"
    # The FROM-clause classes, overridable by subclasses.
    base_table_class, join_class = BaseTable, Join

    # Aliases are the table name first, then T2, T3, ...; a subquery takes
    # another letter (``bump_prefix``) and every letter in use is recorded.
    alias_prefix = "T"
    subq_aliases = frozenset("T")
    empty_result_set_value = None

    # What is selected. ``select`` holds the Col (or transform) expressions
    # of values()/values_list(); default_cols selects the model's columns.
    default_cols = True
    select = values_select = ()
    select_related = False
    max_depth = 5
    annotation_select_mask = extra_select_mask = None
    _masked_annotations = None
    extra_tables = extra_order_by = ()
    # Deferred columns: (names, True) defers them, (names, False) loads only them.
    deferred_loading = _LOAD_EVERY_FIELD

    # GROUP BY: None (none), True (every selected column) or a tuple of
    # expressions.
    group_by = None
    # ORDER BY, and whether the model's Meta.ordering applies.
    order_by = ()
    default_ordering = standard_ordering = True
    # Slicing.
    low_mark, high_mark = 0, None
    distinct, distinct_fields = False, ()
    # SELECT ... FOR UPDATE and its options.
    select_for_update = select_for_no_key_update = False
    select_for_update_nowait = select_for_update_skip_locked = False
    select_for_update_of = ()
    # UNION / INTERSECTION / DIFFERENCE.
    combinator, combinator_all, combined_queries = None, False, ()

    # Set for one chain() step by relation managers so that their filter
    # reuses the joins already made.
    filter_is_sticky = False
    subquery = False
    explain_info = None
    # The alias QuerySet.using() named, if any: str(query) renders for it,
    # and a subquery pinned elsewhere than its outer query is refused.
    explicit_alias = None

    def __init__(self, model, alias_cols=True):
        # alias_cols=False writes bare column names (CHECK constraints).
        self.model, self.alias_cols = model, alias_cols
        # The mutable state each query owns (_OWN_DICTS, which clone()
        # copies too); table_map: table -> its aliases; used_aliases: the
        # joins a filter() call may reuse.
        self.alias_map, self.alias_refcount, self.external_aliases = {}, {}, {}
        self.annotations, self.extra, self._filtered_relation_by_alias = {}, {}, {}
        self.table_map, self.used_aliases, self.where = {}, set(), WhereNode()

    # -- output -------------------------------------------------------------
    @property
    def output_field(self):
        # Used as a value, a query has the type of its only column (or of
        # its only annotation).
        if len(self.select) == 1:
            return _column_field(self.select[0])
        return _only_output_field(self.annotation_select.values())

    _output_field_if_known = output_field

    @property
    def has_select_fields(self):
        return bool(self.select or self.annotation_select_mask or self.extra_select_mask)

    @property
    def base_table(self):
        # The first alias ever made is the FROM table.
        return next(iter(self.alias_map), None)

    def __str__(self):
        """The SQL with the parameters interpolated, for debugging only."""
        sql, params = self.sql_with_params()
        return sql % tuple(map(_debug_param, params))

    def sql_with_params(self):
        """(sql, params) as the database named by using() would run it, else
        as the default one would: routers are not asked (this is for
        debugging, and they may depend on more than the query)."""
        return self.get_compiler(self.explicit_alias or DEFAULT_DB_ALIAS).as_sql()

    def __deepcopy__(self, memo):
        memo[id(self)] = copied = self.clone()
        return copied

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        """The compiler of this query for the alias ``using`` (on this
        thread's wrapper of it, unless ``connection`` is given: a compiler
        compiling a part of its statement passes its own), or for
        ``connection`` alone. The alias, when given, is the database the
        statement is for: two aliases may share one connection."""
        if connection is None:
            if using is None:
                raise ValueError("Need either using or connection")
            connection = connections[using]
        compiler = connection.ops.compiler(self.compiler)(self, connection, elide_empty)
        if using is not None:
            compiler.db_alias = using
        return compiler

    def get_meta(self):
        return self.model._meta if self.model else None

    # -- copying ------------------------------------------------------------
    # Mutable state a query owns rather than shares with its clones: alias ->
    # BaseTable/Join, alias -> times used, enclosing query's alias -> whether
    # relabeled, annotations, extra(select=) entries, FilteredRelations.
    _OWN_DICTS = (
        "alias_map", "alias_refcount", "external_aliases",
        "annotations", "extra", "_filtered_relation_by_alias",
    )

    def clone(self):
        """A copy that can be changed without touching this query."""
        obj = _Empty()
        obj.__class__ = type(self)
        state = obj.__dict__ = dict(self.__dict__)
        for name in self._OWN_DICTS:
            state[name] = dict(state[name])
        state["used_aliases"] = set(self.used_aliases)
        state["table_map"] = {table: list(aliases) for table, aliases in self.table_map.items()}
        state["where"] = self.where.clone()
        state["_masked_annotations"] = None
        if self.annotation_select_mask is not None:
            state["annotation_select_mask"] = list(self.annotation_select_mask)
        if self.combined_queries:
            state["combined_queries"] = tuple(q.clone() for q in self.combined_queries)
        if "subq_aliases" in state:
            state["subq_aliases"] = frozenset(state["subq_aliases"])
        return obj

    def chain(self, klass=None):
        """The clone a QuerySet method works on (optionally another class)."""
        obj = self.clone()
        if klass is not None and type(obj) is not klass:
            obj.__class__ = klass
        # Stickiness lasts exactly one step; otherwise each filter() call
        # starts with no joins to reuse.
        if obj.filter_is_sticky:
            obj.filter_is_sticky = False
        else:
            obj.used_aliases = set()
        setup = getattr(obj, "_reset_update_state", None)
        if setup is not None:
            setup()
        return obj

    def relabeled_clone(self, change_map):
        obj = self.clone()
        obj.change_aliases(change_map)
        return obj

    def _column(self, target, field, alias):
        return target.get_col(alias if self.alias_cols else None, field)

    # -- subqueries ---------------------------------------------------------
    def get_external_cols(self):
        """The columns of enclosing queries that this subquery refers to."""
        sources = chain(self.annotations.values(), self.where.flatten())
        found = self._columns_in(sources, include_external=True)
        outer, own = self.external_aliases, self.alias_map
        return [col for col in found if col.alias in outer or col.alias not in own]

    def get_group_by_cols(self, wrapper=None):
        outer_cols = self.get_external_cols()
        # A reference to a multi-valued outer column cannot be grouped on
        # column by column: group by the whole subquery instead.
        for col in outer_cols:
            if col.possibly_multivalued:
                return [wrapper or self]
        return outer_cols

    @classmethod
    def _columns_in(cls, exprs, include_external=False, resolve_refs=True):
        """Every Col inside ``exprs``, depth first and in order; with
        ``include_external`` a subquery contributes the outer columns it
        reads, and with ``resolve_refs`` False a Ref is not entered."""
        pending = list(exprs)[::-1]
        while pending:
            expr = pending.pop()
            outer = getattr(expr, "get_external_cols", None) if include_external else None
            if isinstance(expr, Col):
                yield expr
            elif callable(outer):
                yield from outer()
            elif hasattr(expr, "get_source_expressions") and (resolve_refs or not isinstance(expr, Ref)):
                pending.extend(reversed(expr.get_source_expressions()))

    def resolve_expression(self, query, *args, **kwargs):
        """This query, made ready to be a subquery of ``query``."""
        sub = self.clone()
        sub.subquery = True
        # Take another alias letter so nothing clashes with the outer query.
        sub.bump_prefix(query)
        sub.where = sub.where.resolve_expression(query, *args, **kwargs)
        sub.annotations = {
            name: _sees_outer(annotation.resolve_expression(query, *args, **kwargs), sub.external_aliases)
            for name, annotation in sub.annotations.items()
        }
        # The outer query's aliases are external here; the flag records
        # whether the alias differs from the table's own name.
        sub.external_aliases.update(
            (alias, table.table_name != alias) for alias, table in query.alias_map.items()
        )
        return sub

    def as_sql(self, compiler, connection):
        outer_alias = getattr(compiler, "db_alias", None)
        if self.explicit_alias is not None:
            _refuse_other_database(self.explicit_alias, outer_alias, connection)
        if self.subquery and not self.is_sliced:
            # Without a LIMIT, ORDER BY means nothing inside a subquery (and
            # some databases refuse it).
            for part in (self, *self.combined_queries):
                part.clear_ordering(force=False)
        # The outer alias, for subqueries nested in this one.
        inner = self.get_compiler(outer_alias, connection=connection)
        sql, params = inner.as_sql()
        return ("(%s)" % sql if self.subquery else sql), params

    def bump_prefix(self, other_query, exclude=None):
        """Rename every alias so that this (sub)query cannot clash with other_query."""
        clash_possible = self.alias_prefix == other_query.alias_prefix or not set(
            self.alias_map
        ).isdisjoint(other_query.alias_map)
        if not clash_possible:
            return
        taken = self.subq_aliases | other_query.subq_aliases
        # Try the letters after the outer query's first, then wrap around.
        start = ascii_uppercase.index(other_query.alias_prefix)
        letters = ascii_uppercase[start:] + ascii_uppercase
        prefix = next((letter for letter in letters if letter not in taken), None)
        if prefix is None:
            raise RecursionError("Maximum recursion depth exceeded: too many subqueries.")
        self.alias_prefix = prefix
        self.subq_aliases = self.subq_aliases | {prefix}
        other_query.subq_aliases = other_query.subq_aliases | self.subq_aliases
        keep = exclude or ()
        renames = {}
        for position, alias in enumerate(self.alias_map):
            if alias not in keep:
                renames[alias] = prefix + str(position)
        self.change_aliases(renames)

    def change_aliases(self, change_map):
        """Rename table aliases everywhere in the query (change_map: old -> new)."""
        if not change_map:
            return
        # A name that is both renamed and a new name would be ambiguous.
        assert set(change_map).isdisjoint(change_map.values())

        def renamed(alias):
            return change_map.get(alias, alias)

        def moved(expr):
            return expr.relabeled_clone(change_map)

        self.where.relabel_aliases(change_map)
        self.select = tuple(map(moved, self.select))
        if isinstance(self.group_by, tuple):
            self.group_by = tuple(map(moved, self.group_by))
        if self.annotations:
            self.annotations = {name: moved(expr) for name, expr in self.annotations.items()}
        old_map, old_counts = self.alias_map, self.alias_refcount
        self.alias_map = {renamed(a): table.relabeled_clone(change_map) for a, table in old_map.items()}
        self.alias_refcount = {renamed(a): old_counts.get(a, 0) for a in old_map}
        self.table_map = {name: [renamed(a) for a in aliases] for name, aliases in self.table_map.items()}
        # An external alias that was renamed now differs from its table name.
        self.external_aliases = {
            renamed(a): flag or a in change_map for a, flag in self.external_aliases.items()
        }

    # -- aggregation --------------------------------------------------------
    def _resolved_aggregates(self, aggregate_exprs):
        resolved = {}
        for alias, expr in aggregate_exprs.items():
            self.check_alias(alias)
            aggregate = expr.resolve_expression(self, allow_joins=True, reuse=None, summarize=True)
            if not aggregate.contains_aggregate:
                raise TypeError("%s is not an aggregate expression" % alias)
            resolved[alias] = aggregate
        return resolved

    def _aggregates_need_subquery(self, aggregate_names):
        """
        The aggregates can run on this query's own rows unless those rows
        are not plain table rows: grouped, sliced, DISTINCT, combined, or
        carrying other annotations the aggregates might read.
        """
        if self.group_by is not None or self.is_sliced or self.distinct or self.combinator:
            return True
        return any(name not in aggregate_names for name in self.annotations)

    def _aggregate_over_subquery(self, aggregates):
        """SELECT <aggregates> FROM (<this query>) subquery."""
        from django.db.models.sql.subqueries import AggregateQuery

        inner = self.clone()
        inner.subquery = True
        inner.select_for_update = inner.select_related = False
        inner.set_annotation_mask(self.annotation_select)
        inner.clear_ordering(force=False)
        inner_alias = inner.base_table
        if not inner.default_cols and not inner.combinator:
            # values() narrowed the inner select: add the columns the
            # aggregates read, once each.
            have = {getattr(col, "target", None) for col in inner.select}
            for aggregate in aggregates.values():
                for col in self._columns_in([aggregate], resolve_refs=False):
                    if col.alias == inner_alias and col.target not in have:
                        have.add(col.target)
                        inner.select += (col,)
        outer = AggregateQuery(self.model, inner)
        # Outside, the inner table is known by the subquery's alias.
        to_outer = {inner_alias: "subquery"} if inner_alias else {}
        for alias, aggregate in aggregates.items():
            outer.annotations[alias] = aggregate.relabeled_clone(to_outer)
        outer.set_annotation_mask(list(aggregates))
        return outer

    def _aggregate_in_place(self, aggregates):
        """Select only the aggregates, straight from this query's rows."""
        self.select, self.default_cols, self.extra = (), False, {}
        self.annotations = {**self.annotations, **aggregates}
        self.set_annotation_mask(list(aggregates))
        return self

    def get_aggregation(self, using, aggregate_exprs):
        """A dict of the values of ``aggregate_exprs`` over this query's
        rows, on the database ``using`` (an alias)."""
        if not aggregate_exprs:
            return {}
        aggregates = self._resolved_aggregates(aggregate_exprs)
        if self._aggregates_need_subquery(aggregate_exprs):
            query = self._aggregate_over_subquery(aggregates)
        else:
            query = self._aggregate_in_place(aggregates)
        query.clear_ordering(force=True)
        query.clear_limits()
        query.select_for_update = query.select_related = False
        selected = query.annotation_select
        # elide_empty=False: an aggregate over no rows still has a value.
        compiler = query.get_compiler(using, elide_empty=False)
        row = compiler.execute_sql(SINGLE)
        if row is None:
            row = [None] * len(selected)
        converters = compiler.get_converters(selected.values())
        row = next(compiler.apply_converters((row,), converters))
        results = {}
        for (alias, aggregate), value in zip(selected.items(), row):
            # Count() and friends answer 0 rather than NULL over no rows.
            if value is None:
                fallback = aggregate.empty_result_set_value
                if fallback is not NotImplemented and fallback is not None:
                    value = fallback
            results[alias] = value
        return results

    def get_count(self, using):
        """The number of rows, counted on the database ``using`` (an alias)."""
        from django.db.models.aggregates import Count

        counted = self.clone().get_aggregation(using, {"__count": Count("*")})
        return counted["__count"]

    def has_filters(self):
        return self.where

    def exists(self, limit=True):
        """A copy that selects the constant 1 for (at most one of) the rows."""
        probe = self.clone()
        # DISTINCT over a slice decides its rows by the selected columns:
        # those must stay. Otherwise no column is needed at all.
        keeps_columns = probe.distinct and probe.is_sliced
        if not keeps_columns:
            probe._spell_out_group_by()
            probe.clear_select_clause()
        if probe.combinator == "union":
            probe.combined_queries = tuple(q.exists(limit=False) for q in probe.combined_queries)
        probe.clear_ordering(force=True)
        probe.set_limits(high=1 if limit else None)
        probe.add_annotation(Value(1), "a")
        return probe

    def _spell_out_group_by(self):
        """GROUP BY True ("every selected column") named column by column,
        before the select clause changes under it."""
        if self.group_by is True:
            self.add_fields([f.attname for f in self.model._meta.concrete_fields], False)
            self.set_group_by(allow_aliases=False)

    def has_results(self, using):
        """Whether the query has a row on the database ``using`` (an alias)."""
        return self.exists().get_compiler(using).has_results()

    def explain(self, using, format=None, **options):
        """The database ``using``'s (an alias) plan for this query."""
        # Option names are written into the SQL: letters, digits, "_" only.
        for name in options:
            if "--" in name or not EXPLAIN_OPTIONS_PATTERN.match(name):
                raise ValueError(f"Invalid option name: {name!r}.")
        q = self.clone()
        q.explain_info = ExplainInfo(format, options)
        return "\n".join(q.get_compiler(using).explain_query())

    # (test on the two queries, message) for queries that cannot be merged.
    _COMBINE_REFUSALS = (
        (lambda lhs, rhs: lhs.model != rhs.model,
         "Cannot combine queries on two different base models."),
        (lambda lhs, rhs: lhs.is_sliced,
         "Cannot combine queries once a slice has been taken."),
        (lambda lhs, rhs: lhs.distinct != rhs.distinct,
         "Cannot combine a unique query with a non-unique query."),
        (lambda lhs, rhs: lhs.distinct_fields != rhs.distinct_fields,
         "Cannot combine queries with different distinct fields."),
    )

    def _import_joins(self, rhs, connector, change_map):
        """
        Bring rhs's joins over, recording renamed aliases in ``change_map``.
        With OR the joins of this query may be reused; with AND each side
        keeps its own (a multi-valued relation filtered on both sides must
        match two rows, as with two filter() calls). The join types are
        then decided from both sides' INNER votes.
        """
        promoter = JoinPromoter(connector, 2, False)
        promoter.add_votes(a for a, j in self.alias_map.items() if j.join_type == INNER)
        reusable = set() if connector == AND else set(self.alias_map)
        rhs_inner = set()
        for alias in list(rhs.alias_map)[1:]:
            join = rhs.alias_map[alias].relabeled_clone(change_map)
            here = self.join(join, reuse=reusable)
            # Each rhs join is matched by at most one of ours.
            reusable.discard(here)
            if join.join_type == INNER:
                rhs_inner.add(here)
            if here != alias:
                change_map[alias] = here
            if not rhs.alias_refcount.get(alias):
                # A join rhs no longer uses is not used here either.
                self.unref_alias(here)
        promoter.add_votes(rhs_inner)
        promoter.update_join_types(self)

    def combine(self, rhs, connector):
        """Merge rhs's conditions into this query (``qs1 & qs2``, ``qs1 | qs2``)."""
        for refuses, message in self._COMBINE_REFUSALS:
            if refuses(self, rhs):
                raise TypeError(message)
        self.get_initial_alias()
        change_map = {}
        ours, theirs = self.base_table, rhs.base_table
        if ours and theirs and ours != theirs:
            change_map[theirs] = ours
        self._import_joins(rhs, connector, change_map)
        rhs_where = rhs.where.clone()
        rhs_where.relabel_aliases(change_map)
        if connector == AND:
            self.where.add(rhs_where, AND)
        else:
            self.where = WhereNode([self.where, rhs_where], connector)
        for alias, annotation in rhs.annotations.items():
            self.annotations.setdefault(alias, annotation)
        self._merge_extra(rhs)
        # The right-hand side's ordering and columns win when it has any.
        self.order_by = rhs.order_by or self.order_by
        self.select = rhs.select or self.select

    def _merge_extra(self, rhs):
        """combine(): both sides' extra(select=) and extra(tables=); rhs's
        extra(order_by=) wins like its order_by()."""
        for alias, entry in rhs.extra.items():
            if self.extra.setdefault(alias, entry) != entry:
                raise ValueError(
                    "Cannot combine queries whose extra(select=) give %r different "
                    "SQL." % alias
                )
        new_tables = [table for table in rhs.extra_tables if table not in self.extra_tables]
        self.extra_tables = (*self.extra_tables, *new_tables)
        self.extra_order_by = rhs.extra_order_by or self.extra_order_by

    # -- deferred loading ---------------------------------------------------
    def clear_deferred_loading(self):
        self.deferred_loading = _LOAD_EVERY_FIELD

    def add_deferred_loading(self, field_names):
        """defer(): add to the deferred names, or, after only(), take the
        names out of the loaded set."""
        names, deferring = self.deferred_loading
        still_loaded = names.difference(field_names)
        if deferring:
            state = (names.union(field_names), True)
        elif still_loaded:
            state = (still_loaded, False)  # after only(): what is left of it
        else:
            # Every only() name deferred: load all but the other names.
            state = (frozenset(field_names).difference(names), True)
        self.deferred_loading = state

    def add_immediate_loading(self, field_names):
        """only(): load just these names (minus any deferred earlier)."""
        names, deferring = self.deferred_loading
        wanted = {self.get_meta().pk.name if n == "pk" else n for n in field_names}
        if deferring:
            wanted -= names
        self.deferred_loading = frozenset(wanted), False

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
        then T<n>; a FilteredRelation's alias is its annotation name.
        Return (alias, whether it is new)."""
        known = self.table_map.get(table_name)
        if known and not create:
            self.ref_alias(known[0])
            return known[0], False
        if filtered_relation is not None:
            alias = filtered_relation.alias
        else:
            alias = "%s%d" % (self.alias_prefix, len(self.alias_map) + 1) if known else table_name
        self.table_map[table_name] = [*(known or ()), alias]
        self.alias_refcount[alias] = 1
        return (alias, True)

    def unref_alias(self, alias, amount=1):
        self.alias_refcount[alias] -= amount

    def ref_alias(self, alias):
        self.unref_alias(alias, -1)

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
        """The FROM table's alias, created on first use; each call counts
        as one more use of it."""
        if not self.alias_map:
            if not self.model:
                return None
            return self.join(self.base_table_class(self.get_meta().db_table, None))
        first = self.base_table
        self.ref_alias(first)
        return first

    def count_active_tables(self):
        return sum(1 for uses in self.alias_refcount.values() if uses)

    def join(self, join, reuse=None, reuse_with_filtered_relation=False):
        """The alias of ``join``: an existing equal join (any when ``reuse``
        is None, else one of ``reuse``) or a new one."""
        # A FilteredRelation's condition runs on the join it made: with
        # reuse_with_filtered_relation, joins match ignoring the condition.
        loose = bool(reuse_with_filtered_relation and reuse)
        matches = join.equals if loose else join.__eq__
        found = [
            alias for alias, existing in self.alias_map.items()
            if (reuse is None or alias in reuse) and matches(existing)
        ]
        if not found:
            return self._new_join(join)
        chosen = join.table_alias if join.table_alias in found else found[-1]
        self.ref_alias(chosen)
        return chosen

    def _new_join(self, join):
        """Add ``join`` under a new alias; it is LEFT OUTER when nullable or
        below a LEFT OUTER join."""
        alias = self.table_alias(
            join.table_name, create=True, filtered_relation=join.filtered_relation
        )[0]
        if join.join_type is not None:
            below_outer = self.alias_map[join.parent_alias].join_type == LOUTER
            join.join_type = LOUTER if join.nullable or below_outer else INNER
        join.table_alias = alias
        self.alias_map[alias] = join
        return alias

    # -- names --------------------------------------------------------------
    def _field_choices(self, opts=None):
        opts = opts or self.get_meta()
        names = [*get_field_names_from_opts(opts)]
        if opts is self.get_meta():
            names += [*self.annotation_select, *self._filtered_relation_by_alias]
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
        if first and name in self._filtered_relation_by_alias:
            relation = self._filtered_relation_by_alias[name]
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
        path, final_field, targets = self.names_to_path(
            names, opts, allow_many, fail_on_missing=True
        )[:3]
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
        kept = len(joins)
        for hop in reversed(path):
            local = _local_columns(hop, targets) if kept > 1 else None
            if local is None:
                break
            targets, kept = local, kept - 1
            self.unref_alias(joins[kept])
        return targets, joins[kept - 1], list(joins[:kept])

    def _validate_field_path(self, name):
        """Check ``name`` (fields, relations, transforms) without joining."""
        names = name.split(LOOKUP_SEP)
        if names[0] in self.annotations:
            return
        field, targets, rest = self.names_to_path(names, self.get_meta())[1:]
        expression = targets[0].get_col(None, field) if hasattr(targets[0], "get_col") else None
        for transform in rest:
            if expression is None:
                break
            expression = self.try_transform(expression, transform)

    def solve_lookup_type(self, lookup, summarize=False):
        """Split 'field__transform__lookup' into (lookups, field parts, annotation)."""
        parts = lookup.split(LOOKUP_SEP)
        name, rest = refs_expression(parts, self.annotations) if self.annotations else (None, ())
        if name is None:
            rest = self.names_to_path(parts, self.get_meta())[3]
            return rest, parts[: len(parts) - len(rest)], False
        # aggregate() reads annotations from the query it wraps.
        annotation = self.annotations[name]
        return rest, (), Ref(name, annotation) if summarize else annotation

    def _resolve_field_expression(self, name, allow_joins=True, reuse=None):
        """'author__name__upper' -> Upper(Col(<join alias>, name)): joins as
        needed; validates every part."""
        names = name.split(LOOKUP_SEP)
        expression, transforms = self.annotations.get(names[0]), names[1:]
        if expression is None:
            # A field path: the Col it ends on, after the joins it needs.
            walked = self.names_to_path(names, self.get_meta())
            transforms = walked[3]
            if walked[0] and not allow_joins:
                raise FieldError("Joined field references are not permitted in this query")
            field_names = names[: len(names) - len(transforms)]
            info = self.setup_joins(field_names, self.get_meta(), self.get_initial_alias(), can_reuse=reuse)
            trimmed = self.trim_joins(info.targets, info.joins, info.path)
            expression = self._column(trimmed[0][0], info.targets[0], trimmed[1])
        for transform in transforms:
            expression = self.try_transform(expression, transform)
        return expression

    def resolve_ref(self, name, allow_joins=True, reuse=None, summarize=False):
        """What F(name) stands for here: an annotation (for aggregate(), a
        Ref to the column of the query it wraps) or a field path."""
        if not isinstance(name, str):
            raise FieldError("F() expressions need a field name, got %r." % (name,))
        if name not in self.annotations:
            return self._resolve_field_expression(name, allow_joins=allow_joins, reuse=reuse)
        return self._wrapped_annotation(name) if summarize else self.annotations[name]

    def _wrapped_annotation(self, name):
        """aggregate() over an annotation reads it from the query it wraps,
        which therefore has to select it."""
        selected = self.annotation_select.get(name)
        if selected is None:
            raise FieldError(
                "Cannot aggregate over the '%s' alias. Use annotate() to promote it." % name
            )
        return Ref(name, selected)

    # -- filters ------------------------------------------------------------
    def check_filterable(self, expression):
        """Refuse a filter that contains, anywhere, an expression marked
        ``filterable = False`` (a window function, for instance)."""
        pending = [expression]
        while pending:
            expr = pending.pop()
            if hasattr(expr, "resolve_expression") and not getattr(expr, "filterable", True):
                from django.db.utils import NotSupportedError

                raise NotSupportedError(
                    type(expr).__name__ + " is disallowed in the filter clause."
                )
            sources = getattr(expr, "get_source_expressions", None)
            if sources is not None:
                pending.extend(e for e in reversed(sources()) if e is not None)

    def resolve_lookup_value(self, value, can_reuse, allow_joins):
        """Resolve the expressions in a lookup's value, also inside a list
        or tuple (whose type is kept)."""
        if hasattr(value, "resolve_expression"):
            return value.resolve_expression(self, reuse=can_reuse, allow_joins=allow_joins)
        if not isinstance(value, (list, tuple)):
            return value
        items = [self.resolve_lookup_value(item, can_reuse, allow_joins) for item in value]
        kind = type(value)
        # A namedtuple takes its items as separate arguments.
        return kind(*items) if hasattr(kind, "_make") else kind(items)

    def try_transform(self, lhs, name):
        transform = lhs.get_transform(name)
        if not transform:
            raise _unsupported_lookup(name, lhs.output_field)
        return transform(lhs)

    def build_lookup(self, lookups, lhs, rhs):
        *transforms, name = lookups or ["exact"]
        for transform in transforms:
            lhs = self.try_transform(lhs, transform)
        lookup_class = lhs.get_lookup(name)
        if not lookup_class:
            # "field__transform" alone means "field__transform__exact".
            lhs, name = self.try_transform(lhs, name), "exact"
            lookup_class = lhs.get_lookup(name)
            if not lookup_class:
                return None
        lookup = lookup_class(lhs, rhs)
        if lookup.rhs is not None or lookup.can_use_none_as_rhs:
            return lookup
        # Only an equality may compare with None, meaning IS NULL.
        if name in ("exact", "iexact"):
            return lhs.get_lookup("isnull")(lhs, True)
        raise ValueError("Cannot use None as a query value")

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

    def build_filter(self, filter_expr, branch_negated=False, current_negated=False,
                     can_reuse=None, allow_joins=True, split_subq=True,
                     check_filterable=True, summarize=False,
                     reuse_with_filtered_relation=False):
        """
        Turn one ``(lookup, value)`` pair (or a Q, or a conditional
        expression) into a WhereNode. Return ``(clause, joins that must be
        INNER)``; the caller decides the join types from those votes.
        """
        options = FilterOptions(
            can_reuse, branch_negated, current_negated, allow_joins, split_subq,
            check_filterable, summarize, reuse_with_filtered_relation,
        )
        return self._condition_for(filter_expr, options)

    def _condition_for(self, filter_expr, options):
        if isinstance(filter_expr, Q):
            # A nested Q: the same options carry on into its children.
            return self._where_from_q(filter_expr, options)
        if hasattr(filter_expr, "resolve_expression"):
            return self._filter_from_expression(filter_expr, options)
        return self._filter_from_keyword(filter_expr, options)

    def _filter_from_expression(self, expr, options):
        """filter(<boolean expression>): the expression is the condition
        (compared with True when it is not a lookup already)."""
        if not getattr(expr, "conditional", False):
            raise TypeError("Cannot filter against a non-conditional expression.")
        resolved = expr.resolve_expression(
            self, allow_joins=options.allow_joins, reuse=options.can_reuse,
            summarize=options.summarize,
        )
        if not isinstance(resolved, Lookup):
            resolved = self.build_lookup(["exact"], resolved, True)
        return WhereNode([resolved], connector=AND), []

    def _filter_from_keyword(self, filter_expr, options):
        """``field__transform__lookup=value``, or the same on an annotation."""
        lookup, raw_value = _keyword_pair(filter_expr)
        lookups, parts, annotation = self.solve_lookup_type(lookup, options.summarize)
        if options.check_filterable:
            self.check_filterable(annotation)
        if not options.allow_joins and len(parts) > 1:
            raise FieldError("Joined field references are not permitted in this query")
        value, value_joins = self._filter_value(raw_value, options)
        if annotation:
            return WhereNode([self.build_lookup(list(lookups), annotation, value)], connector=AND), []
        try:
            join_info = self._filter_joins(parts, value, options)
        except MultiJoin as exc:
            return self.split_exclude(filter_expr, options.can_reuse, exc.names_with_path)
        return self._column_filter(join_info, lookups, value, value_joins, options)

    def _filter_value(self, value, options):
        """The value resolved against this query, and the joins resolving it
        added (an F() across a relation): the condition needs those too."""
        might_join = hasattr(value, "resolve_expression") or isinstance(value, (list, tuple))
        counts = dict(self.alias_refcount) if might_join else None
        value = self.resolve_lookup_value(value, options.can_reuse, options.allow_joins)
        if options.check_filterable:
            self.check_filterable(value)
        if isinstance(value, Iterator):
            value = list(value)  # a generator is read once, before it is checked
        if not might_join:
            return value, set()
        return value, {a for a, uses in self.alias_refcount.items() if uses > counts.get(a, 0)}

    def _filter_joins(self, parts, value, options):
        """Join the tables of the field path; under a NOT, a multi-valued
        relation raises MultiJoin instead (split_exclude() takes over)."""
        start = self.get_initial_alias()
        join_info = self.setup_joins(
            list(parts), self.get_meta(), start, can_reuse=options.can_reuse,
            allow_many=not (options.branch_negated and options.split_subq),
            reuse_with_filtered_relation=options.reuse_with_filtered_relation,
        )
        self.check_related_objects(join_info.final_field, value, join_info.opts)
        return join_info

    def _column_filter(self, join_info, lookups, value, value_joins, options):
        """The condition on the path's last column and the joins it needs INNER."""
        targets, alias, join_list = self.trim_joins(
            join_info.targets, join_info.joins, join_info.path
        )
        if options.can_reuse is not None:
            options.can_reuse.update(join_list)
        target = targets[0]
        condition = self.build_lookup(
            list(lookups), self._column(target, join_info.final_field, alias), value
        )
        clause = WhereNode([condition], connector=AND)
        rows_without_match, guarded = _negation_outcome(condition, options.current_negated)
        if guarded:
            self._add_null_guards(clause, value, target, join_info.targets[0], alias, join_list[-1])
        return clause, () if rows_without_match else value_joins.union(join_info.joins)

    def _add_null_guards(self, clause, value, target, source, alias, last_join):
        """"NOT (col = v)" must not lose the rows where col (or v, when it is
        a column) IS NULL, as SQL's NULL never compares: "col IS NOT NULL"
        inside the NOT keeps them."""
        if self.is_nullable(target) or self.alias_map[last_join].join_type == LOUTER:
            clause.add(target.get_lookup("isnull")(self._column(target, source, alias), False), AND)
        if isinstance(value, Col) and self.is_nullable(value.target):
            clause.add(value.target.get_lookup("isnull")(value, False), AND)

    def add_filter(self, filter_lhs, filter_rhs):
        self.add_q(Q((filter_lhs, filter_rhs)))

    def add_q(self, q_object):
        # The same keyword lookups on a query in the same state end the same
        # way: replay what the first such call did (see filter_replay).
        key = filter_replay.recording_key(self, q_object) if type(self) is Query else None
        recording = filter_replay.find(key) if key is not None else None
        if recording is None or not recording.replay(self, q_object):
            self._add_q_fully(q_object, key)

    def _add_q_fully(self, q_object, key):
        # A new filter() only narrows the result: joins that are INNER now
        # must not turn LEFT OUTER because of it.
        inner_before = [alias for alias, j in self.alias_map.items() if j.join_type == INNER]
        clause = self._where_from_q(q_object, can_reuse=self.used_aliases)[0]
        if clause:
            self.where.add(clause, AND)
        self.demote_joins(inner_before)
        if key is not None and clause:
            filter_replay.record(key, self, clause, q_object)

    def clear_where(self):
        """Drop every condition (the batch UPDATE/DELETE set their own)."""
        self.where = WhereNode()

    def build_where(self, filter_expr):
        # Conditions of constraints and the like: no joins allowed.
        return self.build_filter(filter_expr, allow_joins=False)[0]

    def _where_from_q(self, q_object, options=None, **changes):
        """
        The WhereNode for ``q_object`` and the set of joins that had to
        become INNER. Each child votes for the joins it needs; JoinPromoter
        turns the votes into INNER/LEFT OUTER. ``changes`` replace items of
        ``options`` (FilterOptions' defaults when None).
        """
        negated = q_object.negated
        options = (options or FilterOptions())._replace(**changes)
        # current_negated: under an odd number of NOTs; branch_negated:
        # under any NOT at all.
        options = options._replace(
            branch_negated=options.branch_negated or negated,
            current_negated=options.current_negated != negated,
        )
        node = WhereNode(connector=q_object.connector, negated=negated)
        promoter = JoinPromoter(q_object.connector, len(q_object.children), options.current_negated)
        for child in q_object.children:
            clause, inner_votes = self._condition_for(child, options)
            promoter.add_votes(inner_votes)
            if clause:
                node.add(clause, q_object.connector)
        return node, promoter.update_join_types(self)

    def build_filtered_relation_q(self, q_object, reuse, branch_negated=False, current_negated=False):
        """The WhereNode of a FilteredRelation condition, on its own joins."""
        negated = q_object.negated
        branch_negated = branch_negated or negated
        current_negated = current_negated != negated
        node = WhereNode(connector=q_object.connector, negated=negated)
        for child in q_object.children:
            if not isinstance(child, Q):
                # A FilteredRelation condition may join its own relation
                # again, and never splits into a subquery.
                clause = self.build_filter(
                    child, can_reuse=reuse, branch_negated=branch_negated,
                    current_negated=current_negated, allow_joins=True,
                    split_subq=False, reuse_with_filtered_relation=True,
                )[0]
            else:
                clause = self.build_filtered_relation_q(
                    child, reuse=reuse, branch_negated=branch_negated,
                    current_negated=current_negated,
                )
            node.add(clause, q_object.connector)
        return node

    def add_filtered_relation(self, filtered_relation, alias):
        """Register ``annotate(alias=FilteredRelation(...))``: its condition
        may only use the relation itself."""
        self.check_alias(alias)
        filtered_relation.alias = alias
        relation = filtered_relation.relation_name
        if LOOKUP_SEP in relation:
            raise ValueError(
                "FilteredRelation's relation_name cannot contain lookups (got %r)." % relation
            )
        hops = None
        for lookup in _q_lookups(filtered_relation.condition):
            if lookup.split(LOOKUP_SEP)[0] != relation:
                raise ValueError(
                    "FilteredRelation's condition doesn't support relations outside "
                    "the %r (got %r)." % (relation, lookup)
                )
            hops = hops or len(self.names_to_path([relation], self.get_meta())[0])
            if len(self.names_to_path(lookup.split(LOOKUP_SEP), self.get_meta())[0]) > hops:
                raise ValueError(
                    "FilteredRelation's condition doesn't support nested relations "
                    "deeper than the relation_name (got %r for %r)." % (lookup, relation)
                )
        self._filtered_relation_by_alias[alias] = filtered_relation

    def split_exclude(self, filter_expr, can_reuse, names_with_path):
        """
        exclude() across a multi-valued relation: "no related row matches",
        i.e. ``pk NOT IN (SELECT pk ... WHERE <condition>)`` (the NOT comes
        from the negated branch around this condition).
        """
        filter_lhs, filter_rhs = filter_expr
        # Inside the subquery, references to this query's columns become
        # references to the outer query.
        if isinstance(filter_rhs, (OuterRef, F)):
            filter_rhs = OuterRef(filter_rhs if isinstance(filter_rhs, OuterRef) else filter_rhs.name)
        inner = type(self)(self.model)
        inner._filtered_relation_by_alias = self._filtered_relation_by_alias
        inner.add_filter(filter_lhs, filter_rhs)
        inner.clear_ordering(force=True)
        pk = self.get_meta().pk
        inner.set_select([pk.get_col(inner.get_initial_alias())])
        inner.alias_refcount[inner.base_table] -= 1
        condition, needed_inner = self.build_filter(("pk__in", inner))
        return condition, needed_inner

    # -- limits -------------------------------------------------------------
    def set_limits(self, low=None, high=None):
        """Narrow the slice; both bounds count from the current start, and
        neither may pass an existing end (slicing a slice)."""
        start = self.low_mark
        if high is not None:
            self.high_mark = _at_most(start + high, self.high_mark)
        if low is not None:
            self.low_mark = _at_most(start + low, self.high_mark)
        if self.high_mark == self.low_mark:
            # An empty slice: the query can be answered without the database.
            self.set_empty()

    def clear_limits(self):
        self.low_mark = 0
        self.high_mark = None

    @property
    def is_sliced(self):
        return (self.low_mark, self.high_mark) != (0, None)

    def has_limit_one(self):
        return self.high_mark == self.low_mark + 1

    def can_filter(self):
        # Filtering a sliced query would change which rows the slice holds.
        return not self.is_sliced

    def set_empty(self):
        """Match no row (so no statement is sent), in every combined part too."""
        pending = [self]
        while pending:
            query = pending.pop()
            query.where.add(NothingNode(), AND)
            pending.extend(query.combined_queries)

    def is_empty(self):
        for child in self.where.children:
            if isinstance(child, NothingNode):
                return True
        return False

    # -- select -------------------------------------------------------------
    def clear_select_clause(self):
        """Select nothing yet: no model columns, extra columns or annotations."""
        self.select, self.default_cols, self.select_related = (), False, False
        self.set_extra_mask(())
        self.set_annotation_mask(())

    def clear_select_fields(self):
        self.select = self.values_select = ()

    def add_select_col(self, col, name):
        self.select, self.values_select = (*self.select, col), (*self.values_select, name)

    def set_select(self, cols):
        self.select, self.default_cols = tuple(cols), False

    def add_distinct_fields(self, *field_names):
        self.distinct, self.distinct_fields = True, field_names

    def add_fields(self, field_names, allow_m2m=True):
        """Select the named fields (with transforms) instead of the model's columns."""
        for name in field_names:
            if not isinstance(name, str):
                raise TypeError("Field names must be strings, got %r." % (name,))
        self.set_select([self._resolve_field_expression(name) for name in field_names])

    def add_ordering(self, *ordering):
        """
        Add items to ORDER BY. Strings are validated now (field, annotation,
        extra(select=) alias, '-' prefix, transforms or '?'), so bad names
        fail before any query.
        """
        unusable = [item for item in ordering if not self._usable_ordering(item)]
        if unusable:
            raise FieldError("Invalid order_by arguments: %s" % unusable)
        # order_by() with no arguments drops Meta.ordering too.
        self.default_ordering = self.default_ordering and bool(ordering)
        self.order_by = (*self.order_by, *ordering)

    def _usable_ordering(self, item):
        """False if ``item`` cannot be an ordering; FieldError for an unknown
        name or an aggregate that is not annotated."""
        if getattr(item, "contains_aggregate", False):
            raise FieldError(
                "Using an aggregate in order_by() without also including it in "
                "annotate() is not allowed: %s" % item
            )
        if not isinstance(item, str):
            return hasattr(item, "resolve_expression")
        name = item[1:] if item[:1] == "-" else item
        if name and item != "?" and name not in self.annotations and name not in self.extra:
            self._validate_field_path(name)  # raises FieldError for bad names
        return bool(name)

    def clear_ordering(self, force=False, clear_default=True):
        # The order decides which rows a slice, DISTINCT ON or FOR UPDATE
        # takes, so there it is only dropped when forced.
        keeps_meaning = self.is_sliced or self.distinct_fields or self.select_for_update
        if keeps_meaning and not force:
            return
        self.order_by = self.extra_order_by = ()
        if clear_default:
            self.default_ordering = False

    def set_group_by(self, allow_aliases=True):
        """GROUP BY the selected columns and what each annotation needs."""
        needs = (self._grouping_for(alias, allow_aliases) for alias in self.annotation_select)
        self.group_by = (*self.select, *chain.from_iterable(needs))

    def _grouping_for(self, alias, allow_aliases):
        """What GROUP BY needs for one annotation: nothing, the annotation
        by its alias (a plain expression, when aliases are allowed) or the
        columns it reads."""
        annotation = self.annotation_select[alias]
        columns = annotation.get_group_by_cols()
        if columns and allow_aliases and not annotation.contains_aggregate:
            return [Ref(alias, annotation)]
        return columns

    def add_select_related(self, fields):
        """``select_related("a__b", "c")`` -> {"a": {"b": {}}, "c": {}},
        merged into a copy of what was asked for before (clones share it)."""
        before = self.select_related if isinstance(self.select_related, dict) else {}
        self.select_related = _with_paths(before, fields)

    # -- extra() ------------------------------------------------------------
    def add_extra(self, select, select_params, where, params, tables, order_by):
        """
        ``QuerySet.extra()``: SQL fragments written by the programmer. They
        enter the statement as they are, so they must never hold text from
        an end user: every value goes in ``select_params``/``params``, one
        per ``%s`` placeholder (a literal ``%`` is written ``%%``).
        """
        select_values = _sequence("select_params", select_params)
        if select is not None:
            self._add_extra_select(select, select_values)
        elif select_values:
            raise ValueError("extra(): select_params were given without select.")
        where = _sequence("where", where, str)
        values = _sequence("params", params)
        if where or values:
            _check_placeholders("where", where, values)
            self.where.add(ExtraWhere(where, values), AND)
        tables = _sequence("tables", tables, str)
        for table in tables:
            _check_identifier("tables", table)
        self.extra_tables = (*self.extra_tables, *tables)
        if order_by is not None:
            self.extra_order_by = tuple(
                map(self._checked_extra_ordering, _sequence("order_by", order_by, str))
            )

    def _add_extra_select(self, select, values):
        if not isinstance(select, dict):
            raise TypeError("extra(): select must be a dict of alias -> SQL, got %r." % (select,))
        fragments = _sequence("select", select.values(), str)
        _check_placeholders("select", fragments, values)
        taken = get_field_names_from_opts(self.get_meta())
        remaining = iter(values)
        for alias, fragment in select.items():
            self.check_alias(alias)
            if alias in taken or alias in self.annotations:
                raise ValueError(
                    "extra(): the select alias %r conflicts with a field or an "
                    "annotation of %s." % (alias, self.model.__name__)
                )
            wanted = _placeholder_count(fragment)
            self.extra[alias] = (fragment, tuple(next(remaining) for _ in range(wanted)))

    def _checked_extra_ordering(self, item):
        """An extra(order_by=) item: an extra select alias, a field path or
        ``table.column``, each optionally prefixed by "-"; or "?"."""
        name = item[1:] if item[:1] == "-" else item
        if item == "?" or name in self.extra:
            return item
        table, dot, column = name.partition(".")
        if not dot:
            self._validate_field_path(name)
        else:
            _check_identifier("order_by", table)
            _check_identifier("order_by", column)
        return item

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
        """annotate() (select=True) or alias() (select=False)."""
        self.check_alias(alias)
        if alias in self.extra:
            raise ValueError("The annotation %r conflicts with an extra(select=) alias." % alias)
        resolved = annotation.resolve_expression(self, allow_joins=True, reuse=None)
        if not select:
            # alias(): usable in filters and ordering, never selected.
            self.set_annotation_mask(name for name in self.annotation_select if name != alias)
        else:
            self.append_annotation_mask([alias])
        self.annotations[alias] = resolved

    def set_annotation_mask(self, names):
        # None selects every annotation; a list keeps its order, once each.
        self.annotation_select_mask = None if names is None else list(dict.fromkeys(names))
        self._masked_annotations = None

    def append_annotation_mask(self, names):
        if self.annotation_select_mask is not None:
            self.set_annotation_mask([*self.annotation_select_mask, *names])

    def set_extra_mask(self, names):
        self.extra_select_mask = None if names is None else set(names)

    @property
    def annotation_select(self):
        """The annotations that are selected: all, unless a mask says which."""
        annotations = self.annotations
        if not annotations:
            return {}
        mask = self.annotation_select_mask
        if mask is None:
            return annotations
        # The masked view is rebuilt only after the mask or annotations change.
        if self._masked_annotations is None:
            self._masked_annotations = {n: annotations[n] for n in mask if n in annotations}
        return self._masked_annotations

    @property
    def extra_select(self):
        """The extra(select=) entries that are selected: all, unless a mask
        (values() naming fields) says which; alias -> (sql, params)."""
        mask, extra = self.extra_select_mask, self.extra
        if mask is None or not extra:
            return extra
        return {alias: entry for alias, entry in extra.items() if alias in mask}

    def set_values(self, fields):
        """values()/values_list(): select these names (all concrete columns
        when none are given)."""
        self.select_related, self.deferred_loading = False, _LOAD_EVERY_FIELD
        self.select = self.values_select = ()
        if fields:
            field_names, annotation_names = self._mask_values_names(fields)
        else:
            field_names = [f.attname for f in self.model._meta.concrete_fields]
            annotation_names = []
        if self.group_by is True:
            self._spell_out_group_by()
            self.clear_select_fields()
        elif self.group_by:
            self._group_unselected_by_expression({*field_names, *annotation_names})
        self.values_select = tuple(field_names)
        self.add_fields(field_names, True)

    def _mask_values_names(self, names):
        """Select only the annotations and extra(select=) aliases among
        ``names`` (a later extra() is not selected either); return (field
        names, annotation names)."""
        annotated, extra = self.annotations, self.extra
        if not (annotated or extra):
            self.extra_select_mask = set()
            self.set_annotation_mask(())
            return list(names), []
        self.set_extra_mask(name for name in names if name in extra)
        self.set_annotation_mask(name for name in names if name in annotated)
        fields = [name for name in names if name not in annotated and name not in extra]
        return fields, [name for name in names if name in annotated]

    def _group_unselected_by_expression(self, selected):
        """A GROUP BY Ref to an annotation that is no longer selected must
        group by the annotation's expression itself."""
        self.group_by = tuple(
            self.annotations[expr.refs]
            if isinstance(expr, Ref) and expr.refs not in selected else expr
            for expr in self.group_by
        )

    def is_nullable(self, field):
        return field.null


class FilterOptions(namedtuple(
    "FilterOptions",
    "can_reuse branch_negated current_negated allow_joins split_subq "
    "check_filterable summarize reuse_with_filtered_relation",
    defaults=(None, False, False, True, True, True, False, False),
)):
    """
    How build_filter() treats one condition: the joins it may reuse (None:
    any); whether a NOT is above it (branch_negated) and whether an odd
    number are (current_negated); whether it may join at all, filter a
    multi-valued relation in a subquery when negated (split_subq), must
    refuse non-filterable expressions, reads annotations through the query
    it wraps (summarize), and reuses joins ignoring FilteredRelation
    conditions.
    """


def _keyword_pair(filter_expr):
    """(lookup, value) of a keyword condition; FieldError for anything else."""
    if isinstance(filter_expr, dict):
        raise FieldError("Cannot parse keyword query as dict")
    try:
        lookup, value = filter_expr
    except (TypeError, ValueError):
        raise FieldError("Cannot parse keyword query %r" % (filter_expr,))
    if isinstance(lookup, str) and lookup:
        return lookup, value
    raise FieldError("Cannot parse keyword query %r" % (lookup,))


def _negation_outcome(condition, negated):
    """
    (whether rows without a related row are kept, whether "IS NOT NULL"
    guards are needed) for a condition under ``negated``. Such rows are
    kept by isnull=True, and under a NOT by any comparison with a value.
    """
    is_isnull = condition.lookup_name == "isnull"
    if not negated:
        return is_isnull and condition.rhs is True, False
    if condition.rhs is None or (is_isnull and condition.rhs is not False):
        return False, False
    return True, not is_isnull


class JoinInfo(namedtuple("JoinInfo", "final_field targets opts joins path")):
    """What setup_joins() built: the last field, its target column(s), the
    options of the last model, the aliases joined and the PathInfos."""


def _sequence(what, value, item_type=None):
    """extra()'s list arguments as a tuple, refusing a bare string (whose
    characters would be taken one by one) and items not of ``item_type``."""
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError("extra(): %s must be a list, got %r." % (what, value))
    items = tuple(value)
    for item in items:
        if item_type is not None and not isinstance(item, item_type):
            raise TypeError("extra(): %s must hold strings, got %r." % (what, item))
    return items


def _placeholder_count(fragment):
    # "%%" is a literal percent sign, not the start of a placeholder.
    return fragment.replace("%%", "").count("%s")


def _check_placeholders(what, fragments, values):
    wanted = sum(map(_placeholder_count, fragments))
    if wanted != len(values):
        raise ValueError(
            "extra(): the %s fragments have %d %%s placeholders but %d values "
            "were given." % (what, wanted, len(values))
        )


def _check_identifier(what, name):
    # Table and column names are quoted, never pasted: identifiers only.
    if not ALIAS_PATTERN.match(name):
        raise ValueError("extra(): %s needs table or column names, got %r." % (what, name))


def _column_field(column):
    # A transform of a column has no target: its output field is the type.
    return getattr(column, "target", None) or column.field


def _only_output_field(expressions):
    return next(iter(expressions)).output_field if len(expressions) == 1 else None


def _sees_outer(expr, outer_aliases):
    """A subquery nested in a subquery also sees the aliases its parent sees."""
    nested = getattr(expr, "external_aliases", None)
    if nested is not None:
        nested.update(outer_aliases)
    return expr


def _local_columns(hop, targets):
    """The columns of the hop's source table holding the same values as
    ``targets`` on the joined table, or None if the join is needed."""
    if not hop.direct or hop.filtered_relation:
        return None
    local_for = {remote.column: local for local, remote in hop.join_field.related_fields}
    if all(target.column in local_for for target in targets):
        return tuple(local_for[target.column] for target in targets)
    return None


def _unsupported_lookup(name, field):
    near = difflib.get_close_matches(name, list(field.get_lookups()))
    hint = (", perhaps you meant %s?" % " or ".join(near)) if near else "."
    return FieldError(
        "Unsupported lookup '%s' for %s or join on the field not permitted%s"
        % (name, type(field).__name__, hint)
    )


def _with_paths(tree, paths):
    """A copy of the nested dict ``tree`` with each ``a__b`` path added."""
    merged = {name: _with_paths(inner, ()) for name, inner in tree.items()}
    for path in paths:
        head, _sep, rest = path.partition(LOOKUP_SEP)
        merged[head] = _with_paths(merged.get(head, {}), (rest,) if rest else ())
    return merged


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
        # Under OR a join may only be INNER if every child needs it.
        needs_all = self.effective_connector == OR
        inner = {alias for alias, n in self.votes.items() if not needs_all or n == self.num_children}
        query.promote_joins(set(self.votes) - inner)
        query.demote_joins(inner)
        return inner


class _Empty:
    """Instances get their class swapped in by Query.clone()."""


def _at_most(value, ceiling):
    return value if ceiling is None else min(value, ceiling)


def _debug_param(value):
    # Only for str(query): show strings quoted so the statement reads well.
    if isinstance(value, str):
        return "'%s'" % value.replace("'", "''")
    return value


def _refuse_other_database(pinned, outer_alias, connection):
    """A subquery given its own alias by using() must run where the query
    around it runs. Compared by alias whenever the outer statement's is
    known (every statement a QuerySet runs): two aliases served by one
    connection are still two databases to the caller and the routers.
    Only a compiler made for a bare connection falls back to comparing
    connections."""
    if outer_alias is not None:
        same = pinned == outer_alias
    else:
        same = connections[pinned] is connection
    if not same:
        raise ValueError(
            "Subqueries aren't allowed across different databases. Force the "
            "inner query to be evaluated using `list(inner_query)`."
        )
