"""
Compilers turn a ``Query`` into SQL for one connection and run it.

The connection is always given explicitly (``query.get_compiler(connection=
...)``); nothing here looks up a global connection. Vendor differences come
from ``connection.ops``/``connection.features`` or an expression's
``as_<vendor>()`` method.
"""
from functools import partial
from itertools import chain, count, repeat
from operator import attrgetter

from django.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from django.db import router as _db_router
from django.db.models.expressions import Col, F, OrderBy, RawSQL, Ref, Value
from django.db.models.query_utils import LOOKUP_SEP
from django.db.models.sql.constants import (
    CURSOR,
    GET_ITERATOR_CHUNK_SIZE,
    MULTI,
    NO_RESULTS,
    ROW_COUNT,
    SINGLE,
)
from django.db.models.sql.datastructures import Join
from django.db.models.sql.db_checks import JoinCheck
from django.db.models.sql.query import get_order_dir
from django.db.models.sql import statement_cache
from django.db.models.sql.statement_cache import CompiledSelect, remember, statement_shape


# The cross-database join check of the project's routers.
_join_check = JoinCheck(_db_router)


def _feature(connection, name, default=False):
    return getattr(connection.features, name, default)


class SQLCompiler:
    """Turns a Query into SQL for one connection, runs it, converts rows."""

    # The alias the statement is compiled for, when the caller named one
    # (Query.get_compiler(using=...)): subqueries pinned to another
    # database are refused against it. The compilers of a statement's parts
    # (subqueries, compound parts, an aggregate's inner query) inherit it.
    db_alias = None

    def __init__(self, query, connection, elide_empty=True):
        self.query, self.connection = query, connection
        # elide_empty=False: a query that can match nothing is still sent
        # (an aggregate over no rows has a value).
        self.elide_empty = elide_empty
        self.quote_cache = {"*": "*"}
        self._vendor_method = "as_" + connection.vendor
        # Worked out by setup_query() and pre_sql_setup().
        self.select = self.klass_info = self.annotation_col_map = None
        self.col_count = self.where = self.having = None
        self.has_extra_select = False
        # Things derived from the compiled statement (converters, how rows
        # become objects): shared by every compiler of the same shape.
        self.memo = {}

    def __repr__(self):
        model = self.query.model
        return "<%s model=%s connection=%r>" % (
            type(self).__qualname__, model.__qualname__ if model else None, self.connection,
        )

    def setup_query(self, with_col_aliases=False):
        query = self.query
        if query.model is not None and not query.alias_map:
            query.get_initial_alias()
        selection = self.get_select(with_col_aliases=with_col_aliases)
        self.select, self.klass_info, self.annotation_col_map = selection
        self.col_count = len(selection[0])

    def pre_sql_setup(self, with_col_aliases=False):
        """Work out the columns, ordering, conditions and grouping; return
        (extra select, order_by, group_by) for as_sql()."""
        self.setup_query(with_col_aliases=with_col_aliases)
        ordering = self.get_order_by()
        # Conditions on aggregates belong to HAVING, the rest to WHERE.
        self.where, self.having = self.query.where.split_having()
        extra = self.get_extra_select(ordering, self.select)
        self.has_extra_select = bool(extra)
        return extra, ordering, self.get_group_by(self.select + extra, ordering)

    # -- GROUP BY -----------------------------------------------------------
    def _grouping_candidates(self, select, order_by):
        """Every expression GROUP BY may need: the explicit grouping, then
        what the selected columns, the ordering and HAVING refer to."""
        query = self.query
        if query.group_by is not True:
            for expr in query.group_by:
                yield expr if hasattr(expr, "as_sql") else query.resolve_ref(expr)
        for expr, _, _ in select:
            if not isinstance(expr, Ref) and not expr.contains_aggregate:
                yield from expr.get_group_by_cols()
        for expr, (_, _, is_ref) in order_by:
            if not is_ref and not expr.contains_aggregate:
                yield from expr.get_group_by_cols()
        if self.having is not None:
            yield from self.having.get_group_by_cols()

    def get_group_by(self, select, order_by):
        """The (sql, params) of each GROUP BY item, without repeats."""
        if self.query.group_by is None:
            return []
        positions = self._select_positions(select)
        unique = {}
        for expr in list(self._grouping_candidates(select, order_by)):
            item = self._grouping_item(expr, positions)
            if item is not None:
                unique.setdefault(_params_key(*item), item)
        return list(unique.values())

    def _grouping_item(self, expr, positions):
        """(sql, params) grouping on ``expr``; None for what cannot split
        groups (a constant, a condition that is always or never true)."""
        source = expr.source if isinstance(expr, Ref) else expr
        compiled = None if isinstance(source, Value) else self._compiled_or_none(source)
        if not compiled or not compiled[1]:
            return compiled
        # With server-side parameters "col -> $1" in SELECT and "col -> $2"
        # in GROUP BY are different expressions to the database: refer to
        # the selected column by its position instead.
        position = positions.get(_params_key(*compiled))
        return compiled if position is None else (str(position), [])

    def _compiled_or_none(self, expr):
        """compile(), or None when ``expr`` is always or never true."""
        try:
            return self.compile(expr)
        except (EmptyResultSet, FullResultSet):
            return None

    def _select_positions(self, select):
        """(sql, params) of each selected expression -> its 1-based position."""
        if not _feature(self.connection, "allows_group_by_select_index", True):
            return {}
        positions = {}
        for position, (_, compiled, _) in enumerate(select, start=1):
            positions.setdefault(_params_key(*compiled), position)
        return positions

    # -- SELECT -------------------------------------------------------------
    def get_select(self, with_col_aliases=False):
        """
        Return (select, klass_info, annotation_col_map). ``select`` lists
        (expression, (sql, params), alias) in SELECT order: extra(select=)
        entries, the model's (or values()') columns, annotations, then the
        select_related() columns; klass_info says which positions build
        which object, annotation_col_map which named value is where.
        """
        query = self.query
        extra, annotations = query.extra_select, query.annotation_select
        chosen = [(RawSQL(*entry), alias) for alias, entry in extra.items()] if extra else []
        own = self.get_default_columns() if query.default_cols else query.select
        klass_info = None
        if own:
            first = len(chosen)
            chosen.extend(zip(own, repeat(None)))
            klass_info = {"model": query.model, "select_fields": list(range(first, len(chosen)))}
        chosen.extend(zip(annotations.values(), annotations))
        named = {}
        if extra or annotations:
            named = {alias: position for position, (_, alias) in enumerate(chosen) if alias}
        if klass_info is not None and query.select_related and query.default_cols:
            # The related models' columns follow; the iterator builds them.
            klass_info["related_klass_infos"] = self.get_related_selections(chosen)
        compile_one = self._compile_selected
        if with_col_aliases:
            return _numbered_aliases(chosen, compile_one), klass_info, named
        return [(expr, compile_one(expr), alias) for expr, alias in chosen], klass_info, named

    def _compile_selected(self, col):
        """(sql, params) of one selected expression, in its select format."""
        try:
            sql, params = self.compile(col)
        except FullResultSet:
            # A condition true for every row is selected as TRUE.
            return self.compile(Value(True))
        except EmptyResultSet:
            # Over no rows: the expression's own answer (Count: 0), or a
            # false constant.
            fallback = getattr(col, "empty_result_set_value", NotImplemented)
            if fallback is NotImplemented:
                return "0", ()
            return self.compile(Value(fallback))
        return col.select_format(self, sql, params)

    def get_default_columns(self, start_alias=None, opts=None):
        """The model's concrete columns, minus the deferred ones (or, for
        select_related, every column of ``opts``'s model at ``start_alias``)."""
        if opts is None:
            alias = self.query.get_initial_alias()
            fields = self.query.get_loaded_field_names()
        else:
            alias = start_alias
            fields = opts.concrete_fields
        return [
            field.get_col(alias) if self.query.alias_cols else field.get_col(None)
            for field in fields
        ]

    def get_related_selections(self, select):
        """
        select_related(): join the related tables, append their columns to
        ``select`` and return a klass_info per relation, telling the
        iterator which columns build which object and where to cache it.
        """
        query = self.query
        named = query.select_related if isinstance(query.select_related, dict) else None
        return self._follow(select, query.get_meta(), query.get_initial_alias(), named, 1)

    def _follow(self, select, opts, alias, named, depth):
        """The klass_infos of the relations followed from ``opts`` at
        ``alias``: the ones ``named`` (a dict of name -> deeper names), or,
        when None, every non-null foreign key down to max_depth."""
        if named is None and depth > self.query.max_depth:
            return []
        infos = []
        for name, field, model, reverse in _related_steps(opts, named):
            joined = self.query.setup_joins([name], opts, alias).joins[-1]
            first = len(select)
            select += [(col, None) for col in self.get_default_columns(joined, model._meta)]
            here, there = (field.remote_field, field) if reverse else (field, field.remote_field)
            infos.append({
                "model": model, "field": field, "reverse": reverse,
                "local_setter": here.set_cached_value,
                # Only a one-to-one knows its way back to a single parent.
                "remote_setter": there.set_cached_value if field.unique else _ignore_cached_value,
                "select_fields": list(range(first, len(select))),
                "related_klass_infos": self._follow(
                    select, model._meta, joined, None if named is None else named[name], depth + 1
                ),
            })
        return infos

    def get_extra_select(self, order_by, select):
        """
        SELECT DISTINCT ... ORDER BY x needs x among the selected columns:
        the ordering expressions not selected yet, as extra select items.
        """
        query = self.query
        if query.distinct and not query.distinct_fields:
            selected = {_params_key(*compiled) for _, compiled, _ in select}
            unselected = (self._ordering_column(order) for order, (_, _, is_ref) in order_by if not is_ref)
            return [entry for entry in unselected if entry and _params_key(*entry[1]) not in selected]
        return []

    def _ordering_column(self, order):
        """(expression, (sql, params), None) selecting what ``order`` sorts by."""
        bare = order.expression if isinstance(order, OrderBy) else order
        compiled = self._compiled_or_none(bare)
        return compiled and (bare, compiled, None)

    # -- ORDER BY -----------------------------------------------------------
    def _ordering_source(self):
        """The ordering in force: extra(order_by=), order_by(), Meta.ordering."""
        query = self.query
        if query.extra_order_by:
            return query.extra_order_by
        if query.order_by or not query.default_ordering:
            return query.order_by
        meta = query.get_meta()
        # Meta.ordering never applies to a GROUP BY query: its columns would
        # change the groups.
        if meta and meta.ordering and query.group_by is None:
            return meta.ordering
        return ()

    def _combined_positions(self):
        """A combined query (UNION ...) can only be ordered by its columns,
        referred to by position: name -> position of each selected column."""
        positions = {}
        for position, (expr, _, alias) in enumerate(self.select, start=1):
            if isinstance(expr, Col):
                target = expr.target
                positions[target.attname] = positions[target.name] = position
                if target.primary_key:
                    positions["pk"] = position
            elif alias:
                positions[alias] = position
        return positions

    @staticmethod
    def _combined_ordinal(name, positions):
        if name not in positions:
            raise FieldError(
                "ORDER BY term does not match any column in the result set: %s" % name
            )
        return _Ordinal(positions[name])

    def _expression_ordering(self, item, positions):
        order = item.copy() if isinstance(item, OrderBy) else item.asc()
        inner = order.expression
        if isinstance(inner, Value) and not isinstance(inner, _Ordinal):
            # Once the driver inlines the parameter, "ORDER BY 1" would mean
            # "by the first column": make the constant an expression.
            from django.db.models.functions import Cast

            order.expression = Cast(inner, inner.output_field)
        if not self.query.standard_ordering:
            order.reverse_ordering()
        if self.query.combinator and isinstance(order.expression, F):
            ordinal = self._combined_ordinal(order.expression.name, positions)
            order = order.copy()
            order.expression = ordinal
            return order, False
        return order, isinstance(order.expression, Ref)

    def _named_ordering(self, item, default_order, positions):
        if item == "?":
            from django.db.models.functions import Random

            return [(OrderBy(Random()), False)]
        name, direction = get_order_dir(item, default_order)
        descending = direction == "DESC"
        query = self.query
        if query.combinator:
            return [(OrderBy(self._combined_ordinal(name, positions), descending=descending), False)]
        if name in query.extra or "." in name:
            return [self._extra_ordering(name, descending)]
        selected = query.annotation_select
        if name in selected:
            # A selected annotation is referred to by its alias.
            return [(OrderBy(Ref(name, selected[name]), descending=descending), True)]
        if name in query.annotations:
            # alias(): not selected, so order by the expression itself.
            return [(OrderBy(query.annotations[name], descending=descending), False)]
        return [(expr, False) for expr in self.find_ordering_name(name, descending)]

    def _extra_ordering(self, name, descending):
        """(OrderBy, is_ref) for an extra(select=) alias, referred to by its
        alias while it is selected, or for extra(order_by=)'s "table.column"."""
        query = self.query
        if name in query.extra:
            source = RawSQL(*query.extra[name])
            if name in query.extra_select:
                return OrderBy(Ref(name, source), descending=descending), True
            return OrderBy(source, descending=descending), False
        qn = self.quote_name_unless_alias
        table, column = name.split(".", 1)
        return OrderBy(RawSQL(qn(table) + "." + qn(column), ()), descending=descending), False

    def _ordering_items(self):
        """(OrderBy, whether it refers to a selected alias) per ordering item."""
        query = self.query
        default_order = "ASC" if query.standard_ordering else "DESC"
        positions = self._combined_positions() if query.combinator and self.select else {}
        for item in self._ordering_source():
            if hasattr(item, "resolve_expression"):
                yield self._expression_ordering(item, positions)
            else:
                yield from self._named_ordering(item, default_order, positions)

    def find_ordering_name(self, name, descending, seen=None, prefix=""):
        """
        ORDER BY for a field path. A relation orders by the related model's
        Meta.ordering (when it has one and the name is not the column
        itself: ``order_by("author")`` sorts by the author's ordering,
        ``order_by("author_id")`` by the column).
        """
        full_name = prefix + name
        related = self._ordering_of_relation(full_name)
        if related is None:
            column = self.query._resolve_field_expression(full_name)
            return [OrderBy(column, descending=descending)]
        # A model's Meta.ordering always expands the same way: reaching it
        # again on the way down would never end.
        if seen is not None and related.label in seen:
            raise FieldError("Infinite loop caused by ordering.")
        seen = {*(seen or ()), related.label}
        orders = []
        # Expressions in a related Meta.ordering are skipped.
        for item in filter(lambda item: isinstance(item, str), related.ordering):
            reversed_item = item.startswith("-")
            orders += self.find_ordering_name(
                item[reversed_item:], reversed_item != descending, seen, full_name + LOOKUP_SEP
            )
        return orders

    def _ordering_of_relation(self, full_name):
        """The options of the related model whose Meta.ordering ordering by
        ``full_name`` stands for, or None when it names a column."""
        names = full_name.split(LOOKUP_SEP)
        walked = self.query.names_to_path(names, self.query.get_meta())
        path, field, rest = walked[0], walked[1], walked[3]
        if rest or not path or not field.is_relation:
            return None
        if names[-1] in ("pk", getattr(field, "attname", None)):
            return None
        return path[-1].to_opts if path[-1].to_opts.ordering else None

    def get_order_by(self):
        """(OrderBy, (sql, params, is_ref)) per ORDER BY item, without
        repeats: the first occurrence of an expression decides its direction."""
        grouped = self.query.group_by is not None and self.select
        positions = self._select_positions(self.select) if grouped else {}
        unique = {}
        for expr, is_ref in self._ordering_items():
            order = expr.resolve_expression(self.query, allow_joins=True, reuse=None)
            if positions and isinstance(order, OrderBy):
                order = self._by_position(order, positions)
            compiled = order and self._compiled_or_none(order)
            if compiled:
                sql, params = compiled
                unique.setdefault(_params_key(sql.rsplit(" ", 1)[0], params), (order, (sql, params, is_ref)))
        return list(unique.values())

    def _by_position(self, order, positions):
        """Same reason as in _grouping_item(): a parametrised grouped
        expression is referred to by its position; None if it is constant."""
        compiled = self._compiled_or_none(order.expression)
        position = compiled and compiled[1] and positions.get(_params_key(*compiled))
        if not position:
            return order if compiled else None
        order = order.copy()
        order.expression = _Ordinal(position)
        return order

    # -- helpers ------------------------------------------------------------
    def quote_name_unless_alias(self, name):
        cache = self.quote_cache
        quoted = cache.get(name)
        if quoted is None:
            quoted = cache[name] = self.connection.ops.quote_name(name)
        return quoted

    def compile(self, node):
        # A backend-specific as_<vendor>() method wins over as_sql().
        method = getattr(node, self._vendor_method, None) or node.as_sql
        sql, params = method(self, self.connection)
        return sql, params

    def get_from_clause(self):
        """The FROM items in alias order, leaving out joins no longer used,
        then the extra(tables=) not among them."""
        query = self.query
        uses = query.alias_refcount
        present = [
            item for alias, item in query.alias_map.items()
            if uses.get(alias) or not isinstance(item, Join)
        ]
        params = []
        sqls = _collect(map(self.compile, present), params)
        if query.extra_tables:
            named = {item.table_name for item in present}
            quoted = [self.quote_name_unless_alias(t) for t in dict.fromkeys(query.extra_tables)
                      if t not in named]
            sqls[-1:] = [", ".join(sqls[-1:] + quoted)]
        return sqls, params

    def get_distinct(self):
        """The DISTINCT ON expressions' SQL, and their params."""
        params, resolve = [], self.query._resolve_field_expression
        sqls = _collect((self.compile(resolve(name)) for name in self.query.distinct_fields), params)
        return sqls, params

    def _combined_part(self, compiler, slicing_ok):
        """(sql, params) of one query of a compound statement."""
        own = self.query
        if own.values_select and not compiler.query.values_select:
            # values() on the compound applies to every part: the columns
            # must line up.
            compiler.query = compiler.query.clone()
            compiler.query.set_values((*own.values_select, *own.annotation_select))
        sql, params = compiler.as_sql(with_col_aliases=True)
        if compiler.query.combinator:
            # A nested compound: parenthesised, or made a subquery where the
            # backend does not accept parentheses there.
            if not _feature(self.connection, "supports_parentheses_in_compound", True):
                sql = "SELECT * FROM (%s)" % sql
            elif own.subquery or not slicing_ok:
                sql = "(%s)" % sql
        elif own.subquery and slicing_ok:
            sql = "(%s)" % sql
        return sql, params

    def get_combinator_sql(self, combinator, all):
        """``part UNION [ALL] part ...`` (or INTERSECT, EXCEPT) as one SQL
        string in a list, and its params."""
        slicing_ok = _feature(self.connection, "supports_slicing_ordering_in_compound", True)
        parts = self._compound_parts(combinator, slicing_ok)
        operator = self.connection.ops.set_operators[combinator]
        separator = " %s%s " % (operator, " ALL" if all and combinator == "union" else "")
        wrap = "(%s)" if slicing_ok and not self.query.subquery else "%s"
        params = []
        sqls = _collect(((wrap % sql, part_params) for sql, part_params in parts), params)
        return [separator.join(sqls)], params

    def _compound_parts(self, combinator, slicing_ok):
        """(sql, params) of each part. A part that can match nothing drops
        out of a UNION, and out of a DIFFERENCE after its first part; any
        other empty part empties the whole statement."""
        compilers = list(map(self._part_compiler, self.query.combined_queries))
        if not slicing_ok and any(c.query.is_sliced for c in compilers):
            raise _db_error("LIMIT/OFFSET not allowed in subqueries of compound statements.")
        parts = []
        for compiler in compilers:
            try:
                parts.append(self._combined_part(compiler, slicing_ok))
            except EmptyResultSet:
                droppable = {"union": True, "difference": bool(parts)}
                if not droppable.get(combinator, False):
                    raise
        if parts:
            return parts
        raise EmptyResultSet

    def _part_compiler(self, query):
        if not query.is_sliced:
            # Without LIMIT a part's ordering means nothing, and the
            # model's Meta.ordering must not leak into the compound.
            query = query.clone()
            query.clear_ordering(force=True)
        return query.get_compiler(
            self.db_alias, connection=self.connection, elide_empty=self.elide_empty
        )

    # -- the statement ------------------------------------------------------
    def _condition(self, node, is_where):
        """The SQL of WHERE or HAVING; empty when it excludes nothing."""
        if node is None:
            return "", []
        try:
            return self.compile(node)
        except FullResultSet:
            return "", []
        except EmptyResultSet:
            # A WHERE that can match nothing normally makes the caller skip
            # the query; when it must still run (elide_empty=False), it
            # gets a condition that is never true.
            if not is_where or self.elide_empty:
                raise
            return "0 = 1", []

    def _select_body(self, extra_select, group_by):
        """SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ... as a list of
        SQL pieces, their params, and the FOR UPDATE clause (or None)."""
        conn = self.connection
        ops, features = conn.ops, conn.features
        distinct_fields, distinct_params = self.get_distinct()
        from_sql, from_params = self.get_from_clause()
        where_sql, where_params = self._condition(self.where, True)
        having_sql, having_params = self._condition(self.having, False)

        parts, params = ["SELECT"], []
        if self.query.distinct:
            distinct_sql, distinct_params = ops.distinct_sql(distinct_fields, distinct_params)
            parts.extend(distinct_sql)
            params.extend(distinct_params)
        columns = (
            ("%s AS %s" % (sql, ops.quote_name(alias)) if alias else sql, col_params)
            for _, (sql, col_params), alias in self.select + extra_select
        )
        parts.append(", ".join(_collect(columns, params)))
        if from_sql:
            parts.append("FROM")
            parts.extend(from_sql)
        else:
            # Some databases need e.g. "FROM DUAL" to select without a table.
            suffix = getattr(features, "bare_select_suffix", "")
            if suffix:
                parts.append(suffix)
        params.extend(from_params)

        for_update_sql = None
        if self.query.select_for_update and _feature(conn, "has_select_for_update"):
            for_update_sql = self._for_update_sql()
        if where_sql:
            parts.append("WHERE " + where_sql)
            params.extend(where_params)
        grouping = _collect(group_by, params)
        if grouping:
            if distinct_fields:
                raise NotImplementedError("annotate() + distinct(fields) is not implemented.")
            parts.append("GROUP BY " + ", ".join(grouping))
        if having_sql:
            parts.append("HAVING " + having_sql)
            params.extend(having_params)
        return parts, params, for_update_sql

    def _combined_body(self):
        combinator = self.query.combinator
        if not _feature(self.connection, "supports_select_%s" % combinator, True):
            from django.db.utils import NotSupportedError

            raise NotSupportedError("%s is not supported on this database backend." % combinator)
        return self.get_combinator_sql(combinator, self.query.combinator_all)

    def _outer_select(self, inner_sql, inner_params):
        """
        A subquery must yield exactly its selected columns, but extra
        columns were added (for ordering): select the real ones from it.
        """
        qn = self.connection.ops.quote_name
        outer, outer_params = [], []
        for expr, _, alias in self.select:
            if alias:
                outer.append(qn("subquery") + "." + qn(alias))
                continue
            moved = expr.relabeled_clone({expr.alias: "subquery"} if isinstance(expr, Col) else {})
            sql, params = moved.as_sql(self, self.connection)
            outer.append(sql)
            outer_params.extend(params)
        sql = "SELECT %s FROM (%s) subquery" % (", ".join(outer), inner_sql)
        return sql, (*outer_params, *inner_params)

    def as_sql(self, with_limits=True, with_col_aliases=False):
        """Return (sql, params) for this SELECT; a join the routers say
        cannot work on this database raises (see db_checks)."""
        shape = statement_shape(self, with_limits, with_col_aliases)
        built = True
        if shape is None:
            sql, params = self._build_sql(with_limits, with_col_aliases)
        else:
            # Only WHERE varies within a shape: its SQL completes the key and
            # its params are the statement's.
            self.where, self.having = self.query.where, None
            where_sql, where_params = self._condition(self.where, True)
            key = (shape, where_sql)
            cache = self.connection.compiled_selects
            try:
                entry = cache.get(key)
            except TypeError:  # a join through something unhashable: not covered
                entry = key = None
            if entry is not None:
                entry.restore(self)
                sql, params, built = entry.sql, tuple(where_params), False
            else:
                sql, params = self._build_sql(with_limits, with_col_aliases)
                if key is not None and len(params) == len(where_params) and self.having is None:
                    remember(cache, key, CompiledSelect(sql, self))
        # No router defines allow_migrate (the usual case): nothing to check.
        if _join_check.idle_generation != _db_router.generation:
            _join_check.refuse(self, built)
        return sql, params

    def _build_sql(self, with_limits, with_col_aliases):
        query = self.query
        extra_select, order_by, group_by = self.pre_sql_setup(
            with_col_aliases=with_col_aliases or bool(query.combinator)
        )
        ops = self.connection.ops
        if query.combinator:
            parts, params = self._combined_body()
            for_update_sql = None
        else:
            parts, params, for_update_sql = self._select_body(extra_select, group_by)
        if query.explain_info:
            info = query.explain_info
            parts.insert(0, ops.explain_query_prefix(info.format, **info.options))
        ordering = _collect(((sql, p) for _, (sql, p, _) in order_by), params)
        if ordering:
            parts.append("ORDER BY " + ", ".join(ordering))
        if with_limits and query.is_sliced:
            parts.append(ops.limit_offset_sql(query.low_mark, query.high_mark))
        if for_update_sql and not _feature(self.connection, "for_update_after_from"):
            parts.append(for_update_sql)
        if query.subquery and extra_select:
            return self._outer_select(" ".join(parts), params)
        return " ".join(parts), tuple(params)

    # select_for_update() options: (Query attribute, feature flag, SQL name).
    _FOR_UPDATE_OPTIONS = (
        ("select_for_update_nowait", "has_select_for_update_nowait", "NOWAIT"),
        ("select_for_update_skip_locked", "has_select_for_update_skip_locked", "SKIP LOCKED"),
        ("select_for_update_of", "has_select_for_update_of", "FOR UPDATE OF"),
        ("select_for_no_key_update", "has_select_for_no_key_update", "FOR NO KEY UPDATE"),
    )

    def _for_update_sql(self):
        from django.db import transaction
        from django.db.utils import NotSupportedError

        conn, query = self.connection, self.query
        # In autocommit mode the lock would be released at once.
        if conn.get_autocommit() and _feature(conn, "supports_transactions", True):
            raise transaction.TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        if query.is_sliced and not _feature(conn, "supports_select_for_update_with_limit", True):
            raise NotSupportedError(
                "LIMIT/OFFSET is not supported with select_for_update on this "
                "database backend."
            )
        for attribute, flag, sql_name in self._FOR_UPDATE_OPTIONS:
            if getattr(query, attribute) and not _feature(conn, flag):
                raise NotSupportedError("%s is not supported on this database backend." % sql_name)
        return conn.ops.for_update_sql(
            nowait=query.select_for_update_nowait,
            skip_locked=query.select_for_update_skip_locked,
            of=self.get_select_for_update_of_arguments(),
            no_key=query.select_for_no_key_update,
        )

    def get_select_for_update_of_arguments(self):
        """Turn select_for_update(of=...) names into quoted table references."""
        result = []
        qn = self.connection.ops.quote_name
        for name in self.query.select_for_update_of:
            if name != "self":
                raise FieldError(
                    "Invalid field name(s) given in select_for_update(of=(...)): "
                    "%s. Only 'self' is allowed until relations are supported." % name
                )
            base = self.query.base_table
            if _feature(self.connection, "select_for_update_of_column"):
                pk = self.query.get_meta().pk
                result.append("%s.%s" % (qn(base), qn(pk.column)))
            else:
                result.append(qn(base))
        return result

    # -- running ------------------------------------------------------------
    def get_converters(self, expressions):
        """
        Map a column position to (converter functions, expression) for each
        column whose raw database value needs converting; positions without
        converters are left out so that rows needing nothing cost nothing.
        """
        ops, conn = self.connection.ops, self.connection
        found = {}
        for position, expr in enumerate(expressions):
            if not expr:
                continue
            funcs = [*ops.get_db_converters(expr), *expr.get_db_converters(conn)]
            if funcs:
                found[position] = (funcs, expr)
        return found

    def apply_converters(self, rows, converters):
        """Yield each row as a list with the converters run over its values."""
        return self._converted_rows(rows, _conversion_steps(converters))

    def _converted_rows(self, rows, steps):
        conn = self.connection
        for raw in rows:
            row = list(raw)
            for position, convert, expr in steps:
                row[position] = convert(row[position], expr, conn)
            yield row

    def results_iter(self, results=None, tuple_expected=False, chunked_fetch=False,
                     chunk_size=GET_ITERATOR_CHUNK_SIZE):
        """Flatten the fetched chunks into one iterator of converted rows."""
        if results is None:
            results = self.execute_sql(MULTI, chunked_fetch=chunked_fetch,
                                       chunk_size=chunk_size)
        steps = self.memo.get("conversion_steps")
        if steps is None:
            columns = [item[0] for item in self.select[: self.col_count]]
            steps = self.memo["conversion_steps"] = _conversion_steps(self.get_converters(columns))
        rows = chain.from_iterable(results)
        if not steps:
            return rows
        converted = self._converted_rows(rows, steps)
        return map(tuple, converted) if tuple_expected else converted

    def has_results(self):
        return bool(self.execute_sql(SINGLE))

    def execute_sql(self, result_type=MULTI, chunked_fetch=False,
                    chunk_size=GET_ITERATOR_CHUNK_SIZE):
        """
        Run the query. MULTI: an iterator over lists of rows (read in chunks
        of ``chunk_size``; fully read unless ``chunked_fetch``); SINGLE: one
        row or None; CURSOR: the cursor; ROW_COUNT: rows affected.
        A query known to match nothing sends no statement.
        """
        try:
            sql, params = self.as_sql()
        except EmptyResultSet:
            sql = None
        read, answer_without_statement = _READERS[result_type or NO_RESULTS]
        if not sql:
            return answer_without_statement()
        return read(self, sql, params, chunked_fetch, chunk_size)

    def _read_everything(self, sql, params, chunked_fetch, chunk_size):
        """MULTI. Rows read to the end here share the connection's kept
        cursor; rows read later, or only in part, need their own."""
        if chunked_fetch:
            return self._read_in_chunks(sql, params, chunk_size)
        with self.connection.statement_cursor() as cursor:
            cursor.execute(sql, params)
            # In one call: the connection may be reused before the caller
            # has consumed the rows.
            rows = cursor.fetchall()
        return self._drained(rows)

    def _read_in_chunks(self, sql, params, chunk_size):
        conn = self.connection
        cursor = _executed(conn.chunked_cursor(), sql, params)
        if not _feature(conn, "can_use_chunked_reads", True):
            with _closing(cursor):
                return self._drained(cursor.fetchall())
        width = self.col_count if self.has_extra_select else None
        return cursor_iter(cursor, _feature(conn, "empty_fetchmany_value", []), width, chunk_size)

    def _read_row_count(self, sql, params, *unused):
        with self.connection.statement_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _read_first_row(self, sql, params, *unused):
        with _closing(_executed(self.connection.cursor(), sql, params)) as cursor:
            first = cursor.fetchone()
        return first[: self.col_count] if first else first

    def _read_cursor(self, sql, params, *unused):
        # The caller reads and closes it.
        return _executed(self.connection.cursor(), sql, params)

    def _read_nothing(self, sql, params, *unused):
        _executed(self.connection.cursor(), sql, params).close()

    def _drained(self, rows):
        """execute_sql()'s MULTI answer for rows read at once."""
        # Extra select columns added only for ordering are cut off again.
        width = self.col_count if self.has_extra_select else None
        if width is not None:
            rows = [row[:width] for row in rows]
        return [rows] if rows else []

    def explain_query(self):
        """Yield the lines of the backend's EXPLAIN output as strings."""
        fetched = list(self.execute_sql())
        fmt = self.query.explain_info.format
        as_json = bool(fmt) and fmt.upper() == "JSON"
        # Backends differ: some give one string per row, others tuples of
        # numbers and strings, PostgreSQL's JSON format gives parsed objects.
        for row in (fetched[0] if fetched else ()):
            if isinstance(row, str):
                yield row
            elif as_json and isinstance(row[0], (dict, list)):
                import json

                yield " ".join(c if isinstance(c, str) else json.dumps(c) for c in row)
            else:
                yield " ".join(map(str, row))


class _closing:
    """Close a cursor on leaving the block, whatever happens."""

    __slots__ = ("cursor",)

    def __init__(self, cursor):
        self.cursor = cursor

    def __enter__(self):
        return self.cursor

    def __exit__(self, *exc):
        self.cursor.close()
        return False


class _Ordinal(Value):
    """A column position in ORDER BY (combined queries order by position)."""

    def __init__(self, position):
        super().__init__(position)

    def as_sql(self, compiler, connection):
        return "%d" % int(self.value), []

    def resolve_expression(self, *args, **kwargs):
        return self


def _numbered_aliases(chosen, compile_one):
    """get_select() with col1, col2, ... for the columns without an alias
    (a subquery's columns need names)."""
    numbers = count(1)
    return [
        (expr, compile_one(expr), alias or "col%d" % next(numbers)) for expr, alias in chosen
    ]


def _ignore_cached_value(instance, value):
    """The remote setter of a relation that cannot cache its parent."""


def _related_steps(opts, named):
    """
    (lookup name, field, related model, reverse) of each relation of
    ``opts`` that select_related() follows: the forward relations and the
    reverse one-to-ones in ``named``, or with ``named`` None every forward
    foreign key that cannot be null. A name that is no such relation
    raises FieldError listing the ones that are.
    """
    from django.db.models.query_utils import select_related_descend

    forward = {f.name: f for f in opts.fields if f.is_relation}
    backward = {
        r.field.related_query_name(): r for r in opts.related_objects
        if r.field.unique and not r.many_to_many
    }
    if named is not None:
        _check_related_names(opts, named, [*forward, *backward])
    for name, field in forward.items():
        if select_related_descend(field, named is not None, named or ()):
            yield name, field, field.remote_field.model, False
    for name, relation in backward.items():
        if named is not None and name in named:
            yield name, relation.field, relation.related_model, True


def _check_related_names(opts, named, relations):
    choices = ", ".join(sorted(relations)) or "(none)"
    for name in named:
        if name not in relations and any(f.name == name for f in opts.fields):
            raise FieldError(
                "Non-relational field given in select_related: '%s'. Choices are: %s"
                % (name, choices)
            )
    unknown = sorted(set(named).difference(relations))
    if unknown:
        raise FieldError(
            "Invalid field name(s) given in select_related: %s. Choices are: %s"
            % (", ".join("'%s'" % name for name in unknown), choices)
        )


def _executed(cursor, sql, params):
    """``cursor`` once it ran the statement; closed if that failed (a failed
    statement may leave a server-side cursor behind)."""
    try:
        cursor.execute(sql, params)
    except BaseException:
        cursor.close()
        raise
    return cursor


# What an expression being saved must not contain: (flag, error, message
# formatted with the field and the expression).
_REFUSED_IN_UPDATE = (
    ("contains_aggregate", FieldError,
     "Aggregate functions are not allowed in this query ({field.name}={expr!r})."),
)
# A new row has no columns yet for F() to read, nor rows to aggregate.
_REFUSED_IN_INSERT = (
    ("contains_column_references", ValueError,
     'Failed to insert expression "{expr}" on {field}. F() expressions can only be '
     "used to update, not to insert."),
    *_REFUSED_IN_UPDATE,
)


def _resolved_for_save(query, field, value, refusals):
    """``value`` (an expression) resolved for an INSERT or UPDATE of
    ``field``, which cannot join other tables."""
    expr = value.resolve_expression(query, allow_joins=False, for_save=True)
    for flag, error, message in refusals:
        if getattr(expr, flag):
            raise error(message.format(field=field, expr=expr))
    return expr


def _no_rows():
    return iter(())


# execute_sql(): result type -> (the method that runs the statement and
# reads what the result type asks for, the maker of the answer when no
# statement is sent because the query can match nothing: int() is 0 rows,
# type(None)() is None).
_READERS = {
    MULTI: (SQLCompiler._read_everything, _no_rows),
    ROW_COUNT: (SQLCompiler._read_row_count, int),
    SINGLE: (SQLCompiler._read_first_row, type(None)),
    CURSOR: (SQLCompiler._read_cursor, type(None)),
    NO_RESULTS: (SQLCompiler._read_nothing, type(None)),
}


def _conversion_steps(converters):
    """get_converters()' answer as (position, converter, expression) with
    one call per converted value: several converters of a column are
    chained into one function first."""
    if not converters:
        return ()
    return tuple(
        (position, funcs[0] if len(funcs) == 1 else _in_turn(funcs), expr)
        for position, (funcs, expr) in converters.items()
    )


def _in_turn(funcs):
    def run_in_turn(value, expression, connection):
        for func in funcs:
            value = func(value, expression, connection)
        return value
    return run_in_turn


def _db_error(message):
    from django.db.utils import DatabaseError

    return DatabaseError(message)


def _collect(pairs, params):
    """The SQL strings of (sql, params) pairs; their params go to ``params``."""
    sqls = []
    for sql, pair_params in pairs:
        sqls.append(sql)
        params.extend(pair_params)
    return sqls


def _params_key(sql, params):
    """(sql, params) as a dict key: the same text with the same values."""
    return sql, tuple(map(_hashable, params))


def _hashable(value):
    """``value`` itself when it can be a set member, else its repr()."""
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


# Values that cannot be expressions (SQLInsertCompiler._row_values()).
_SCALAR_TYPES = frozenset({int, str, float, bool, type(None)})
# SQLInsertCompiler._layout(): how the rows of an INSERT become statements.
_RETURNING_ALL, _RETURNING_FIRST, _ALL, _PER_ROW = range(4)
# Bounds of a connection's INSERT shapes and of each shape's statements.
_INSERT_SHAPES, _SHAPE_STATEMENTS = 256, 32


def _inherits(field, *names):
    """Does ``field`` use Field's own implementation of each method?"""
    from django.db.models.fields import Field

    cls, own = type(field), field.__dict__
    return all(getattr(cls, name) is getattr(Field, name) and name not in own for name in names)


def _passthrough_columns(plan, objs):
    """
    The values of many rows, a list per column, when every value is a plain
    attribute of its field's pass-through type (no pre_save(), nothing to
    prepare); else None and _row_values() goes row by row. Whole columns are
    read and checked with C-level loops; only when nothing can differ from
    the row-by-row reading, which decides the order of calls and errors.
    """
    columns = []
    for read, _prepare, _shortcut, _field, passthrough, guard in plan:
        if passthrough is None or type(read) is not attrgetter:
            return None
        column = list(map(read, objs))
        kinds = set(map(type, column))
        if len(kinds) != 1 or passthrough not in kinds:
            return None
        if guard is not None and not guard.column_fits(column):
            return None  # the row-by-row path names the first bad value
        columns.append(column)
    return columns


class _InsertShape:
    """What an INSERT of one shape (SQLInsertCompiler._insert_shape()) needs
    besides its values, worked out once per connection: how to read and
    prepare each field's value, and the statements and converters made."""

    __slots__ = ("fields", "returning", "plan", "own_placeholders", "statements", "converters")

    def __init__(self, fields, returning, raw, connection):
        self.fields, self.returning = tuple(fields), tuple(returning)
        self.plan = []
        for field in fields:
            # Raw saves (fixtures) store attributes untouched: no auto_now
            # etc.; Field.pre_save() itself just reads the attribute.
            if raw or _inherits(field, "pre_save", "value_from_object"):
                read = attrgetter(field.attname)
            else:
                read = partial(field.pre_save, add=True)
            # Field.get_db_prep_save() keeps an expression as it is and
            # otherwise calls get_prep_value() (via Field.get_db_prep_value()).
            shortcut = _inherits(field, "get_db_prep_save", "get_db_prep_value")
            if shortcut:
                prepare = field.get_prep_value
            else:
                prepare = partial(field.get_db_prep_save, connection=connection)
            # Values of this exact type need no preparing at all, only the
            # field's storage checks (None: nothing to check).
            passthrough = field.save_passthrough_type(connection)
            guard = None if passthrough is None else field.save_guard(connection)
            self.plan.append((read, prepare, shortcut, field, passthrough, guard))
        self.own_placeholders = any(hasattr(field, "get_placeholder") for field in fields)
        # row count -> (SQL, returning_params, params after the values)
        self.statements = {}
        # (settings generation, ids of the returned fields) -> (fields, converters)
        self.converters = {}


class SQLInsertCompiler(SQLCompiler):
    returning_fields = None
    returning_params = ()
    shape = None  # set by as_sql()

    def field_as_sql(self, field, val):
        """The (placeholder, params) pair standing for one value of one row."""
        if field is None:
            # No field: ``val`` is already SQL (the backend's pk default).
            return val, []
        if hasattr(val, "as_sql"):
            return self.compile(val)
        if hasattr(field, "get_placeholder"):
            return field.get_placeholder(val, self, self.connection), [val]
        return "%s", [val]

    def prepare_value(self, field, value):
        """Turn a Python value into a database value, or check an expression."""
        if hasattr(value, "resolve_expression"):
            return _resolved_for_save(self.query, field, value, _REFUSED_IN_INSERT)
        return field.get_db_prep_save(value, connection=self.connection)

    def assemble_as_sql(self, fields, value_rows):
        """Per row: the list of placeholders and the flat list of parameters."""
        placeholder_rows, param_rows = [], []
        for values in value_rows:
            placeholders, params = [], []
            for field, value in zip(fields, values):
                sql, value_params = self.field_as_sql(field, value)
                placeholders.append(sql)
                params.extend(value_params)
            placeholder_rows.append(placeholders)
            param_rows.append(params)
        return placeholder_rows, param_rows

    def _layout(self):
        """How the rows become statements (the features consulted)."""
        conn = self.connection
        if self.returning_fields and _feature(conn, "can_return_columns_from_insert"):
            # One statement whose RETURNING clause hands back the new values.
            if _feature(conn, "can_return_rows_from_bulk_insert"):
                return _RETURNING_ALL
            return _RETURNING_FIRST
        if not self.returning_fields and _feature(conn, "has_bulk_insert", True):
            return _ALL
        # One statement per row (so that each row's id can be read back).
        return _PER_ROW

    def _insert_shape(self, fields, layout):
        """This INSERT's _InsertShape. Its key holds everything the shape
        depends on: the model, raw, the conflict handling, the layout (hence
        the features it consulted) and, by id, the field objects written and
        returned (the shape keeps them alive: no other object gets their ids)."""
        query = self.query
        returning = self.returning_fields or ()
        key = (
            query.model, query.raw, getattr(query, "on_conflict", None), layout, len(fields),
            *map(id, fields), *map(id, returning),
        )
        shapes = self.connection.compiled_inserts
        shape = shapes.get(key)
        if shape is None:
            if len(shapes) >= _INSERT_SHAPES:
                shapes.clear()
            shape = shapes[key] = _InsertShape(fields, returning, query.raw, self.connection)
        return shape

    def _row_values(self, fields, shape):
        """(fields, the values of all rows one after another, plain):
        ``plain`` when every value is a bare ``%s`` parameter (no
        expression, no field placeholder). A model without any column but
        its auto primary key inserts the backend's default value for it."""
        query = self.query
        if not query.fields:
            default = self.connection.ops.pk_default_value()
            return [None], [default] * len(query.objs), False
        plain, values = not shape.own_placeholders, []
        if plain and len(query.objs) > 1:
            columns = _passthrough_columns(shape.plan, query.objs)
            if columns is not None:
                values[:] = chain.from_iterable(zip(*columns))
                return fields, values, plain
        append = values.append
        for obj in query.objs:
            for read, prepare, shortcut, field, passthrough, guard in shape.plan:
                value = read(obj)
                if type(value) is passthrough:
                    if guard is not None:
                        guard.value(value)
                    append(value)
                    continue
                if type(value) in _SCALAR_TYPES:
                    # Most values: no expression to resolve, only to prepare.
                    value = prepare(value)
                    if type(value) not in _SCALAR_TYPES and hasattr(value, "as_sql"):
                        plain = False
                    append(value)
                    continue
                if hasattr(value, "resolve_expression"):
                    value = self.prepare_value(field, value)
                elif not (shortcut and hasattr(value, "as_sql")):
                    value = prepare(value)
                if hasattr(value, "as_sql"):
                    plain = False
                append(value)
        return fields, values, plain

    def _statement_sql(self, fields, placeholder_rows, layout, values_sql=None):
        """(SQL, params after the values) of the statement inserting
        ``placeholder_rows`` (its first row only, unless the layout puts all
        rows in one statement), or given its ``values_sql``. Sets
        ``returning_params``."""
        ops, query = self.connection.ops, self.query
        qn = ops.quote_name
        opts = query.get_meta()
        on_conflict = getattr(query, "on_conflict", None)
        head = "%s %s (%s)" % (
            ops.insert_statement(on_conflict=on_conflict),
            qn(opts.db_table),
            ", ".join(qn(f.column) for f in query.fields or [opts.pk]),
        )
        if values_sql is None and layout in (_ALL, _RETURNING_ALL):
            values_sql = ops.bulk_insert_sql(fields, placeholder_rows)
        elif values_sql is None:
            values_sql = "VALUES (%s)" % ", ".join(placeholder_rows[0])
        conflict_sql = ops.on_conflict_suffix_sql(
            fields, on_conflict,
            getattr(query, "update_fields", None),
            getattr(query, "unique_fields", None),
        )
        returning_sql, extra_params = "", ()
        if layout in (_RETURNING_ALL, _RETURNING_FIRST):
            returning_sql, self.returning_params = ops.return_insert_columns(self.returning_fields)
            if returning_sql:
                extra_params = tuple(self.returning_params)
        parts = (head, values_sql, conflict_sql, returning_sql)
        return " ".join(part for part in parts if part), extra_params

    def _plain_statement_sql(self, shape, fields, row_count, layout):
        """_statement_sql() for ``row_count`` rows of bare ``%s``
        placeholders: for one shape and row count the text never changes.
        Upserts (update/unique fields are not in the shape) are not kept."""
        query = self.query
        if getattr(query, "update_fields", None) or getattr(query, "unique_fields", None):
            return self._statement_sql(fields, [["%s"] * len(fields)] * row_count, layout)
        statements = shape.statements
        entry = statements.get(row_count)
        if entry is None:
            sql, extra_params = self._statement_sql(fields, [["%s"] * len(fields)] * row_count, layout)
            if len(statements) >= _SHAPE_STATEMENTS:
                statements.clear()
            entry = statements[row_count] = (sql, self.returning_params, extra_params)
        self.returning_params = entry[1]
        return entry[0], entry[2]

    def as_sql(self):
        query = self.query
        columns = query.fields or [query.get_meta().pk]
        layout = self._layout()
        shape = self.shape = self._insert_shape(columns, layout)
        fields, values, plain = self._row_values(columns, shape)
        width = len(fields)
        if plain:
            # The params are the values themselves.
            if layout == _PER_ROW:
                if not values:
                    return []
                sql = self._plain_statement_sql(shape, fields, 1, layout)[0]
                return [(sql, values[start:start + width]) for start in range(0, len(values), width)]
            row_count = len(values) // width
            if row_count > 1 and layout in (_ALL, _RETURNING_ALL):
                # The backend may have a cheaper form than a placeholder per value.
                custom = self.connection.ops.bulk_insert_values_sql(fields, values)
                if custom is not None:
                    values_sql, params = custom
                    sql, extra_params = self._statement_sql(fields, None, layout, values_sql)
                    return [(sql, (*params, *extra_params))]
            if layout == _RETURNING_FIRST:
                row_count = min(row_count, 1)
                del values[width:]
            sql, extra_params = self._plain_statement_sql(shape, fields, row_count, layout)
            values.extend(extra_params)
            return [(sql, tuple(values))]
        value_rows = [values[start:start + width] for start in range(0, len(values), width)]
        placeholder_rows, param_rows = self.assemble_as_sql(fields, value_rows)
        if layout == _PER_ROW:
            return [
                (self._statement_sql(fields, [placeholders], layout)[0], params)
                for placeholders, params in zip(placeholder_rows, param_rows)
            ]
        sql, extra_params = self._statement_sql(fields, placeholder_rows, layout)
        if layout == _RETURNING_FIRST:
            param_rows = param_rows[:1]
        params = [p for row in param_rows for p in row]
        params.extend(extra_params)
        return [(sql, tuple(params))]

    def _returned_rows(self, cursor, several):
        """The rows the INSERT handed back, and the fields of their columns."""
        ops = self.connection.ops
        if several:
            rows = ops.fetch_returned_insert_rows(cursor)
        elif _feature(self.connection, "can_return_columns_from_insert"):
            rows = [ops.fetch_returned_insert_columns(cursor, self.returning_params)]
        else:
            # Without RETURNING only the new primary key can be learnt.
            opts = self.query.get_meta()
            pk = opts.pk
            return [(ops.last_insert_id(cursor, opts.db_table, pk.column),)], (pk,)
        return rows, self.returning_fields

    def _returned_converters(self, fields):
        """get_converters() for columns of ``fields``, kept in the shape; the
        settings generation is in the key as a backend may choose converters
        by a setting (USE_TZ)."""
        converters = self.shape.converters
        key = (statement_cache.generation(), *map(id, fields))
        entry = converters.get(key)
        if entry is None:
            table = self.query.get_meta().db_table
            if len(converters) >= _SHAPE_STATEMENTS:
                converters.clear()
            cols = [f.get_col(table) for f in fields]
            entry = converters[key] = (tuple(fields), self.get_converters(cols))
        return entry[1]

    def execute_sql(self, returning_fields=None):
        """Insert the rows; return a list of tuples of the returning fields' values."""
        self.returning_fields = returning_fields
        several = len(self.query.objs) > 1
        if returning_fields and several:
            self._check_bulk_returning()
        # Every row the INSERT returns is read in the block: the cursor can
        # be kept for the next statement.
        with self.connection.statement_cursor() as cursor:
            _run_each(cursor, self.as_sql())
            returned = self._returned_rows(cursor, several) if returning_fields else None
        return self._converted_returns(*returned) if returned else []

    def _check_bulk_returning(self):
        if not _feature(self.connection, "can_return_rows_from_bulk_insert"):
            raise ValueError("This database cannot return the values of several inserted rows.")

    def _converted_returns(self, rows, fields):
        converters = self._returned_converters(fields)
        return [tuple(row) for row in (self.apply_converters(rows, converters) if converters else rows)]


def _run_each(cursor, statements):
    for statement in statements:
        cursor.execute(*statement)


def _base_table_only(query, connection, alias):
    """
    UPDATE and DELETE name one table: when the conditions join others,
    select the primary keys in a subquery (``pk IN (SELECT ...)``), or fetch
    them first where the backend cannot select from the table it changes
    (``features.update_can_self_select``). ``alias``: the database the
    statement is for, when known.
    """
    joined = any(
        isinstance(j, Join) and query.alias_refcount.get(a)
        for a, j in query.alias_map.items()
    )
    if not joined and not query.extra_tables:
        return query
    from django.db.models.sql.query import Query
    from django.db.models.sql.where import WhereNode

    inner = query.clone()
    inner.__class__ = Query
    inner.clear_ordering(force=True)
    inner.select_related = False
    pk = query.get_meta().pk
    inner.clear_select_clause()
    inner.set_select([pk.get_col(inner.base_table)])
    if not _feature(connection, "update_can_self_select", True):
        inner_compiler = inner.get_compiler(alias, connection=connection)
        value = [
            row[0] for chunk in (inner_compiler.execute_sql(MULTI) or ()) for row in chunk
        ]
    else:
        value = inner
    outer = query.clone()
    outer.alias_map = {}
    outer.alias_refcount = {}
    outer.table_map = {}
    outer.extra_tables = ()
    outer.where = WhereNode()
    outer.get_initial_alias()
    outer.add_filter("pk__in", value)
    return outer


def _narrow_to_base_table(compiler):
    """Make sure the query has its table, then reduce it to that one table."""
    if not compiler.query.alias_map:
        compiler.query.get_initial_alias()
    compiler.query = _base_table_only(compiler.query, compiler.connection, compiler.db_alias)
    return compiler.query


def _with_where(compiler, sql, params, where):
    """Append ``WHERE ...`` unless the condition matches every row."""
    try:
        where_sql, where_params = compiler.compile(where)
    except FullResultSet:
        return sql, tuple(params)
    return "%s WHERE %s" % (sql, where_sql), (*params, *where_params)


class SQLDeleteCompiler(SQLCompiler):
    def _delete_sql(self, query):
        table = self.connection.ops.quote_name(query.base_table)
        return _with_where(self, "DELETE FROM " + table, (), query.where)

    def as_sql(self):
        query = _narrow_to_base_table(self)
        real_name = query.get_meta().db_table
        if query.base_table != real_name:
            # DELETE cannot use an alias: go back to the table's own name.
            query = self.query = query.relabeled_clone({query.base_table: real_name})
        return self._delete_sql(query)

    def execute_sql(self, result_type=ROW_COUNT, **kwargs):
        return super().execute_sql(result_type, **kwargs)


class SQLUpdateCompiler(SQLCompiler):
    def _db_value(self, field, value):
        """What gets stored: a resolved expression, a related object's key,
        or the field's database value."""
        if hasattr(value, "resolve_expression"):
            return _resolved_for_save(self.query, field, value, _REFUSED_IN_UPDATE)
        if hasattr(value, "prepare_database_save"):
            return value.prepare_database_save(field)
        return field.get_db_prep_save(value, connection=self.connection)

    def _assignment(self, field, value):
        """``"column" = <value>`` and its parameters."""
        target = self.connection.ops.quote_name(field.column)
        if value is None:
            return target + " = NULL", ()
        if hasattr(field, "get_placeholder"):
            placeholder = field.get_placeholder(value, self, self.connection)
        else:
            placeholder = "%s"
        if hasattr(value, "as_sql"):
            sql, params = self.compile(value)
            return "%s = %s" % (target, placeholder % sql), params
        return "%s = %s" % (target, placeholder), (value,)

    def as_sql(self):
        query = _narrow_to_base_table(self)
        if not query.values:
            return "", ()
        assignments, params = [], []
        for field, _model, value in query.values:
            sql, value_params = self._assignment(field, self._db_value(field, value))
            assignments.append(sql)
            params.extend(value_params)
        table = self.connection.ops.quote_name(query.base_table)
        sql = "UPDATE %s SET %s" % (table, ", ".join(assignments))
        return _with_where(self, sql, params, query.where)

    def execute_sql(self, result_type=ROW_COUNT, **kwargs):
        """Run the UPDATE; return the number of rows matched."""
        matched = super().execute_sql(ROW_COUNT)
        # Some drivers report -1 or None when they do not know.
        return matched if matched and matched > 0 else 0


class SQLAggregateCompiler(SQLCompiler):
    def as_sql(self):
        """SELECT <aggregates> FROM (<inner query>) subquery."""
        columns, params = [], []
        for expr in self.query.annotation_select.values():
            sql, expr_params = expr.select_format(self, *self.compile(expr))
            columns.append(sql)
            params.extend(expr_params)
        self.col_count = len(columns)
        inner = self.query.inner_query.get_compiler(
            self.db_alias, connection=self.connection, elide_empty=self.elide_empty
        )
        inner_sql, inner_params = inner.as_sql(with_col_aliases=False)
        sql = "SELECT %s FROM (%s) subquery" % (", ".join(columns), inner_sql)
        return sql, (*params, *inner_params)


def cursor_iter(cursor, sentinel, col_count, itersize):
    """
    Yield the cursor's rows ``itersize`` at a time, each cut to ``col_count``
    columns when given; the cursor is closed once drained or abandoned.
    """
    try:
        fetch = cursor.fetchmany
        while True:
            chunk = fetch(itersize)
            if not chunk or chunk == sentinel:
                break
            if col_count is not None:
                chunk = [row[:col_count] for row in chunk]
            yield chunk
    finally:
        cursor.close()
