"""
Compilers turn a ``Query`` into SQL for one connection and run it.

The connection is always given explicitly (``query.get_compiler(connection=
...)``); nothing here looks up a global connection. Vendor differences come
from ``connection.ops``/``connection.features`` or an expression's
``as_<vendor>()`` method.
"""
from itertools import chain

from django.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from django.db.models.expressions import Col, F, OrderBy, Ref, Value
from django.db.models.query_utils import LOOKUP_SEP
from django.db.models.sql.constants import (
    CURSOR,
    GET_ITERATOR_CHUNK_SIZE,
    MULTI,
    NO_RESULTS,
    ORDER_DIR,
    ROW_COUNT,
    SINGLE,
)
from django.db.models.sql.datastructures import Join
from django.db.models.sql.query import get_order_dir


def _feature(connection, name, default=False):
    return getattr(connection.features, name, default)


class SQLCompiler:
    def __init__(self, query, connection, elide_empty=True):
        self.query = query
        self.connection = connection
        # Some queries (e.g. aggregates over an empty set) must still run.
        self.elide_empty = elide_empty
        self.quote_cache = {"*": "*"}
        self.select = None
        self.annotation_col_map = None
        self.klass_info = None
        self.col_count = None
        self.has_extra_select = False
        self.where = None
        self.having = None

    def __repr__(self):
        return "<%s model=%s connection=%r>" % (
            self.__class__.__qualname__,
            self.query.model.__qualname__ if self.query.model else None,
            self.connection,
        )

    def setup_query(self, with_col_aliases=False):
        if not self.query.alias_map and self.query.model is not None:
            self.query.get_initial_alias()
        self.select, self.klass_info, self.annotation_col_map = self.get_select(
            with_col_aliases=with_col_aliases
        )
        self.col_count = len(self.select)

    def pre_sql_setup(self, with_col_aliases=False):
        self.setup_query(with_col_aliases=with_col_aliases)
        order_by = self.get_order_by()
        self.where, self.having = self.query.where.split_having()
        extra_select = self.get_extra_select(order_by, self.select)
        self.has_extra_select = bool(extra_select)
        group_by = self.get_group_by(self.select + extra_select, order_by)
        return extra_select, order_by, group_by

    # -- GROUP BY -----------------------------------------------------------
    def get_group_by(self, select, order_by):
        if self.query.group_by is None:
            return []
        expressions = []
        if self.query.group_by is not True:
            for expr in self.query.group_by:
                if not hasattr(expr, "as_sql"):
                    expr = self.query.resolve_ref(expr)
                if isinstance(expr, Ref):
                    expr = expr.source
                expressions.append(expr)
        for expr, _, alias in select:
            if isinstance(expr, Ref):
                continue
            if not expr.contains_aggregate:
                expressions.extend(expr.get_group_by_cols())
        for expr, (sql, params, is_ref) in order_by:
            if not is_ref and not expr.contains_aggregate:
                expressions.extend(expr.get_group_by_cols())
        if self.having is not None:
            expressions.extend(self.having.get_group_by_cols())
        result = []
        seen = set()
        positions = self._select_positions(select)
        for expr in expressions:
            if isinstance(expr, Ref):
                expr = expr.source
            try:
                sql, params = self.compile(expr)
            except (EmptyResultSet, FullResultSet):
                continue
            # Constant expressions (e.g. Value()) need no grouping.
            if isinstance(expr, Value):
                continue
            params_hash = tuple(_hashable(p) for p in params)
            position = positions.get((sql, params_hash))
            if params and position is not None:
                # With server-side parameters "col -> $1" in SELECT and
                # "col -> $2" in GROUP BY are different expressions to the
                # database: refer to the selected column by position.
                sql, params = str(position), []
                params_hash = ()
            if (sql, params_hash) not in seen:
                result.append((sql, params))
                seen.add((sql, params_hash))
        return result

    def _select_positions(self, select):
        """(sql, params) of each selected expression -> its 1-based position."""
        if not _feature(self.connection, "allows_group_by_select_index", True):
            return {}
        positions = {}
        for position, (_, (sql, params), _) in enumerate(select, start=1):
            key = (sql, tuple(_hashable(p) for p in params))
            positions.setdefault(key, position)
        return positions

    # -- SELECT -------------------------------------------------------------
    def get_select(self, with_col_aliases=False):
        """
        Return (select, klass_info, annotation_col_map). ``select`` is a list
        of (expression, (sql, params), alias); klass_info says which columns
        build the model instance.
        """
        select = []
        klass_info = None
        annotations = {}
        select_idx = 0
        if self.query.default_cols:
            cols = self.get_default_columns()
        else:
            cols = self.query.select
        if cols:
            select_list = []
            for col in cols:
                select_list.append(select_idx)
                select.append((col, None))
                select_idx += 1
            klass_info = {
                "model": self.query.model,
                "select_fields": select_list,
            }
        for alias, annotation in self.query.annotation_select.items():
            annotations[alias] = select_idx
            select.append((annotation, alias))
            select_idx += 1
        if self.query.select_related and klass_info is not None and self.query.default_cols:
            # The related models' columns follow; the iterator builds them.
            klass_info["related_klass_infos"] = self.get_related_selections(select)

        ret = []
        col_idx = 1
        for col, alias in select:
            try:
                sql, params = self.compile(col)
            except EmptyResultSet:
                empty_result_set_value = getattr(
                    col, "empty_result_set_value", NotImplemented
                )
                if empty_result_set_value is NotImplemented:
                    # Select a predicate that's always False.
                    sql, params = "0", ()
                else:
                    sql, params = self.compile(Value(empty_result_set_value))
            except FullResultSet:
                sql, params = self.compile(Value(True))
            else:
                sql, params = col.select_format(self, sql, params)
            if alias is None and with_col_aliases:
                alias = "col%d" % col_idx
                col_idx += 1
            ret.append((col, (sql, params), alias))
        return ret, klass_info, annotations

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

    def get_related_selections(self, select, opts=None, root_alias=None, cur_depth=1,
                               requested=None, restricted=None):
        """
        select_related(): join the related tables and add their columns to
        ``select``; return the klass_info of each related model, telling
        the iterator which columns build which object and where to cache it.
        Without names every non-null foreign key is followed (up to
        max_depth); with names, nullable and reverse one-to-one relations
        too, several hops deep.
        """
        from django.db.models.query_utils import select_related_descend

        related_klass_infos = []
        if opts is None:
            # The top level: start from the query's model.
            opts = self.query.get_meta()
            root_alias = self.query.get_initial_alias()
        if requested is None:
            wanted = self.query.select_related
            restricted = isinstance(wanted, dict)
            requested = wanted if restricted else {}
        if cur_depth > self.query.max_depth and not restricted:
            return related_klass_infos

        def get_choices():
            forward = {f.name for f in opts.fields if f.is_relation}
            backward = {
                r.field.related_query_name() for r in opts.related_objects
                if r.one_to_one
            }
            return sorted(forward | backward)

        fields_found = set()
        for f in opts.fields:
            fields_found.add(f.name)
            if restricted:
                next_requested = requested.get(f.name, {})
                if not f.is_relation and f.name in requested:
                    raise FieldError(
                        "Non-relational field given in select_related: '%s'. "
                        "Choices are: %s" % (f.name, ", ".join(get_choices()) or "(none)")
                    )
            else:
                next_requested = {}
            if not f.is_relation or not select_related_descend(f, restricted, requested):
                continue
            related_model = f.remote_field.model
            klass_info = {
                "model": related_model,
                "field": f,
                "reverse": False,
                "local_setter": f.set_cached_value,
                "remote_setter": f.remote_field.set_cached_value if f.unique else (lambda x, y: None),
            }
            related_klass_infos.append(klass_info)
            join_info = self.query.setup_joins([f.name], opts, root_alias)
            alias = join_info.joins[-1]
            select_fields = []
            for col in self.get_default_columns(start_alias=alias, opts=related_model._meta):
                select_fields.append(len(select))
                select.append((col, None))
            klass_info["select_fields"] = select_fields
            klass_info["related_klass_infos"] = self.get_related_selections(
                select, related_model._meta, alias, cur_depth + 1, next_requested, restricted,
            )

        if restricted:
            reverse_o2o = [
                (o.field, o.related_model) for o in opts.related_objects
                if o.field.unique and not o.many_to_many
            ]
            for f, model in reverse_o2o:
                if not select_related_descend(f, restricted, requested, reverse=True):
                    continue
                related_field_name = f.related_query_name()
                fields_found.add(related_field_name)
                join_info = self.query.setup_joins([related_field_name], opts, root_alias)
                alias = join_info.joins[-1]
                klass_info = {
                    "model": model,
                    "field": f,
                    "reverse": True,
                    "local_setter": f.remote_field.set_cached_value,
                    "remote_setter": f.set_cached_value,
                }
                related_klass_infos.append(klass_info)
                select_fields = []
                for col in self.get_default_columns(start_alias=alias, opts=model._meta):
                    select_fields.append(len(select))
                    select.append((col, None))
                klass_info["select_fields"] = select_fields
                klass_info["related_klass_infos"] = self.get_related_selections(
                    select, model._meta, alias, cur_depth + 1,
                    requested.get(related_field_name, {}), restricted,
                )
            fields_not_found = set(requested).difference(fields_found)
            if fields_not_found:
                invalid = ", ".join("'%s'" % name for name in sorted(fields_not_found))
                raise FieldError(
                    "Invalid field name(s) given in select_related: %s. "
                    "Choices are: %s" % (invalid, ", ".join(get_choices()) or "(none)")
                )
        return related_klass_infos

    def get_extra_select(self, order_by, select):
        # SELECT DISTINCT ... ORDER BY x needs x in the select list.
        extra_select = []
        if self.query.distinct and not self.query.distinct_fields:
            select_sql = [t[1] for t in select]
            for expr, (sql, params, is_ref) in order_by:
                without_ordering = expr.expression if isinstance(expr, OrderBy) else expr
                try:
                    w_sql, w_params = self.compile(without_ordering)
                except (EmptyResultSet, FullResultSet):
                    continue
                if not is_ref and (w_sql, w_params) not in select_sql:
                    extra_select.append(
                        (without_ordering, (w_sql, w_params), None)
                    )
        return extra_select

    # -- ORDER BY -----------------------------------------------------------
    def _order_by_pairs(self):
        if self.query.extra_order_by:
            ordering = self.query.extra_order_by
        elif not self.query.default_ordering:
            ordering = self.query.order_by
        elif self.query.order_by:
            ordering = self.query.order_by
        elif (
            (meta := self.query.get_meta())
            and meta.ordering
            # The model's default ordering never applies to GROUP BY queries:
            # its columns would change the grouping.
            and self.query.group_by is None
        ):
            ordering = meta.ordering
        else:
            ordering = []
        if self.query.standard_ordering:
            default_order, _ = ORDER_DIR["ASC"]
        else:
            default_order, _ = ORDER_DIR["DESC"]

        selected_exprs = {}
        if self.query.combinator and self.select:
            for ordinal, (expr, _, alias) in enumerate(self.select, start=1):
                if isinstance(expr, Col):
                    selected_exprs[expr.target.attname] = ordinal
                    selected_exprs[expr.target.name] = ordinal
                    if expr.target.primary_key:
                        selected_exprs["pk"] = ordinal
                elif alias:
                    selected_exprs[alias] = ordinal

        for field in ordering:
            if hasattr(field, "resolve_expression"):
                if not isinstance(field, OrderBy):
                    field = field.asc()
                else:
                    field = field.copy()
                if isinstance(field.expression, Value) and not isinstance(
                    field.expression, _Ordinal
                ):
                    # "ORDER BY 1" would mean "by the first column" once the
                    # driver inlines the parameter: make it an expression.
                    from django.db.models.functions import Cast

                    field.expression = Cast(field.expression, field.expression.output_field)
                if not self.query.standard_ordering:
                    field.reverse_ordering()
                if self.query.combinator and isinstance(field.expression, F):
                    name = field.expression.name
                    if name not in selected_exprs:
                        raise FieldError(
                            "ORDER BY term does not match any column in the "
                            "result set: %s" % name
                        )
                    field = field.copy()
                    field.expression = _Ordinal(selected_exprs[name])
                    yield field, False
                    continue
                yield field, isinstance(field.expression, Ref)
                continue
            if field == "?":  # random
                from django.db.models.functions import Random

                yield OrderBy(Random()), False
                continue

            col, order = get_order_dir(field, default_order)
            descending = order == "DESC"

            if self.query.combinator:
                if col not in selected_exprs:
                    raise FieldError(
                        "ORDER BY term does not match any column in the result "
                        "set: %s" % col
                    )
                yield OrderBy(_Ordinal(selected_exprs[col]), descending=descending), False
                continue
            if col in self.query.annotation_select:
                # Reference to an expression that is selected under an alias.
                yield (
                    OrderBy(Ref(col, self.query.annotation_select[col]), descending=descending),
                    True,
                )
                continue
            if col in self.query.annotations:
                # Referenced but not selected (alias()): order by the expression.
                yield OrderBy(self.query.annotations[col], descending=descending), False
                continue
            for expr in self.find_ordering_name(col, descending):
                yield expr, False

    def find_ordering_name(self, name, descending, seen=None, prefix=""):
        """
        ORDER BY for a field path. A relation orders by the related model's
        Meta.ordering (when it has one and the name is not the column
        itself: ``order_by("author")`` sorts by the author's ordering,
        ``order_by("author_id")`` by the column).
        """
        full_name = prefix + name
        names = name.split(LOOKUP_SEP)
        path, field, targets, rest = self.query.names_to_path(
            full_name.split(LOOKUP_SEP), self.query.get_meta()
        )
        related_opts = path[-1].to_opts if path else None
        if (
            field.is_relation
            and related_opts is not None
            and related_opts.ordering
            and not rest
            and names[-1] != getattr(field, "attname", None)
            and names[-1] != "pk"
        ):
            seen = set() if seen is None else seen
            key = (related_opts.label, full_name)
            if key in seen:
                raise FieldError("Infinite loop caused by ordering.")
            seen.add(key)
            results = []
            for item in related_opts.ordering:
                if hasattr(item, "resolve_expression"):
                    continue  # expressions in a related Meta.ordering are skipped
                item_name, item_order = get_order_dir(item, "ASC")
                item_desc = (item_order == "DESC") != descending
                results.extend(self.find_ordering_name(
                    item_name, item_desc, seen, prefix=full_name + LOOKUP_SEP,
                ))
            return results
        expr = self.query._resolve_field_expression(full_name)
        return [OrderBy(expr, descending=descending)]

    def get_order_by(self):
        result = []
        seen = set()
        positions = (
            self._select_positions(self.select)
            if self.query.group_by is not None and self.select
            else {}
        )
        for expr, is_ref in self._order_by_pairs():
            resolved = expr.resolve_expression(self.query, allow_joins=True, reuse=None)
            if positions and isinstance(resolved, OrderBy):
                # Same reason as in get_group_by(): a parametrised grouped
                # expression must be referred to by position.
                try:
                    inner_sql, inner_params = self.compile(resolved.expression)
                except (EmptyResultSet, FullResultSet):
                    continue
                position = positions.get(
                    (inner_sql, tuple(_hashable(p) for p in inner_params))
                )
                if inner_params and position is not None:
                    resolved = resolved.copy()
                    resolved.expression = _Ordinal(position)
            try:
                sql, params = self.compile(resolved)
            except (EmptyResultSet, FullResultSet):
                continue
            # Don't add the same column twice: the first one wins.
            without_ordering = sql.rsplit(" ", 1)[0]
            params_hash = tuple(_hashable(p) for p in params)
            if (without_ordering, params_hash) in seen:
                continue
            seen.add((without_ordering, params_hash))
            result.append((resolved, (sql, params, is_ref)))
        return result

    # -- helpers ------------------------------------------------------------
    def quote_name_unless_alias(self, name):
        if name in self.quote_cache:
            return self.quote_cache[name]
        r = self.connection.ops.quote_name(name)
        self.quote_cache[name] = r
        return r

    def compile(self, node):
        vendor_impl = getattr(node, "as_" + self.connection.vendor, None)
        if vendor_impl:
            sql, params = vendor_impl(self, self.connection)
        else:
            sql, params = node.as_sql(self, self.connection)
        return sql, params

    def get_from_clause(self):
        result = []
        params = []
        for alias, from_clause in self.query.alias_map.items():
            if isinstance(from_clause, Join) and not self.query.alias_refcount.get(alias):
                continue
            clause_sql, clause_params = self.compile(from_clause)
            result.append(clause_sql)
            params.extend(clause_params)
        return result, params

    def get_distinct(self):
        result = []
        params = []
        for name in self.query.distinct_fields:
            expr = self.query._resolve_field_expression(name)
            sql, p = self.compile(expr)
            result.append(sql)
            params.extend(p)
        return result, params

    def get_combinator_sql(self, combinator, all):
        features = self.connection.features
        queries = []
        for query in self.query.combined_queries:
            if not query.is_sliced:
                # Ordering a part without LIMIT means nothing; the model's
                # default ordering must not leak into the compound.
                query = query.clone()
                query.clear_ordering(force=True)
            queries.append(query)
        compilers = [
            query.get_compiler(connection=self.connection, elide_empty=self.elide_empty)
            for query in queries
        ]
        if not _feature(self.connection, "supports_slicing_ordering_in_compound", True):
            for compiler in compilers:
                if compiler.query.is_sliced:
                    raise _db_error(
                        "LIMIT/OFFSET not allowed in subqueries of compound statements."
                    )
        parts = ()
        for compiler in compilers:
            try:
                # If the columns list is limited, then all combined queries
                # must have the same columns list.
                if not compiler.query.values_select and self.query.values_select:
                    compiler.query = compiler.query.clone()
                    compiler.query.set_values(
                        (
                            *self.query.values_select,
                            *self.query.annotation_select,
                        )
                    )
                part_sql, part_args = compiler.as_sql(with_col_aliases=True)
                if compiler.query.combinator:
                    # Wrap in a subquery if wrapping in parentheses isn't supported.
                    if not _feature(self.connection, "supports_parentheses_in_compound", True):
                        part_sql = "SELECT * FROM ({})".format(part_sql)
                    elif (
                        self.query.subquery
                        or not _feature(
                            self.connection, "supports_slicing_ordering_in_compound", True
                        )
                    ):
                        part_sql = "({})".format(part_sql)
                elif (
                    self.query.subquery
                    and _feature(self.connection, "supports_slicing_ordering_in_compound", True)
                ):
                    part_sql = "({})".format(part_sql)
                parts += ((part_sql, part_args),)
            except EmptyResultSet:
                # Omit the empty queryset with UNION and with DIFFERENCE if the
                # first queryset is nonempty.
                if combinator == "union" or (combinator == "difference" and parts):
                    continue
                raise
        if not parts:
            raise EmptyResultSet
        combinator_sql = {
            "union": "UNION",
            "intersection": "INTERSECT",
            "difference": getattr(self.connection.ops, "set_operators", {}).get(
                "difference", "EXCEPT"
            ),
        }[combinator]
        if all and combinator == "union":
            combinator_sql += " ALL"
        braces = "{}"
        if not self.query.subquery and _feature(
            self.connection, "supports_slicing_ordering_in_compound", True
        ):
            braces = "({})"
        sql_parts, args_parts = zip(
            *((braces.format(sql), args) for sql, args in parts)
        )
        result = [" {} ".format(combinator_sql).join(sql_parts)]
        params = []
        for part in args_parts:
            params.extend(part)
        return result, params

    # -- the statement ------------------------------------------------------
    def as_sql(self, with_limits=True, with_col_aliases=False):
        """Return (sql, params) for this SELECT."""
        extra_select, order_by, group_by = self.pre_sql_setup(
            with_col_aliases=with_col_aliases or bool(self.query.combinator)
        )
        features = self.connection.features
        with_limit_offset = with_limits and self.query.is_sliced
        combinator = self.query.combinator
        for_update_part = None
        if combinator:
            if not _feature(self.connection, "supports_select_{}".format(combinator), True):
                from django.db.utils import NotSupportedError

                raise NotSupportedError(
                    "{} is not supported on this database backend.".format(combinator)
                )
            result, params = self.get_combinator_sql(combinator, self.query.combinator_all)
        else:
            distinct_fields, distinct_params = self.get_distinct()
            from_, f_params = self.get_from_clause()
            try:
                where, w_params = (
                    self.compile(self.where) if self.where is not None else ("", [])
                )
            except EmptyResultSet:
                if self.elide_empty:
                    raise
                # Use a predicate that's always False.
                where, w_params = "0 = 1", []
            except FullResultSet:
                where, w_params = "", []
            try:
                having, h_params = (
                    self.compile(self.having) if self.having is not None else ("", [])
                )
            except FullResultSet:
                having, h_params = "", []
            result = ["SELECT"]
            params = []

            if self.query.distinct:
                distinct_result, distinct_params = self.connection.ops.distinct_sql(
                    distinct_fields, distinct_params
                )
                result += distinct_result
                params += distinct_params

            out_cols = []
            for _, (s_sql, s_params), alias in self.select + extra_select:
                if alias:
                    s_sql = "%s AS %s" % (s_sql, self.connection.ops.quote_name(alias))
                params.extend(s_params)
                out_cols.append(s_sql)
            result += [", ".join(out_cols)]
            if from_:
                result += ["FROM", *from_]
            elif getattr(features, "bare_select_suffix", ""):
                result += [features.bare_select_suffix]
            params.extend(f_params)

            if self.query.select_for_update and _feature(
                self.connection, "has_select_for_update"
            ):
                for_update_part = self._for_update_sql()

            if where:
                result.append("WHERE %s" % where)
                params.extend(w_params)

            grouping = []
            for g_sql, g_params in group_by:
                grouping.append(g_sql)
                params.extend(g_params)
            if grouping:
                if distinct_fields:
                    raise NotImplementedError(
                        "annotate() + distinct(fields) is not implemented."
                    )
                result.append("GROUP BY %s" % ", ".join(grouping))
            if having:
                result.append("HAVING %s" % having)
                params.extend(h_params)

        if self.query.explain_info:
            result.insert(
                0,
                self.connection.ops.explain_query_prefix(
                    self.query.explain_info.format,
                    **self.query.explain_info.options,
                ),
            )

        if order_by:
            ordering = []
            for _, (o_sql, o_params, _) in order_by:
                ordering.append(o_sql)
                params.extend(o_params)
            result.append("ORDER BY %s" % ", ".join(ordering))

        if with_limit_offset:
            result.append(
                self.connection.ops.limit_offset_sql(
                    self.query.low_mark, self.query.high_mark
                )
            )

        if for_update_part and not _feature(self.connection, "for_update_after_from"):
            result.append(for_update_part)

        if self.query.subquery and extra_select:
            # If the query is used as a subquery, the extra selects would
            # result in more columns than the left-hand side expression is
            # expecting: wrap it and select only the original columns.
            sub_selects = []
            sub_params = []
            for index, (select, _, alias) in enumerate(self.select, start=1):
                if alias:
                    sub_selects.append(
                        "%s.%s"
                        % (
                            self.connection.ops.quote_name("subquery"),
                            self.connection.ops.quote_name(alias),
                        )
                    )
                else:
                    select_clone = select.relabeled_clone(
                        {select.alias: "subquery"} if isinstance(select, Col) else {}
                    )
                    subselect, subparams = select_clone.as_sql(self, self.connection)
                    sub_selects.append(subselect)
                    sub_params.extend(subparams)
            return "SELECT %s FROM (%s) subquery" % (
                ", ".join(sub_selects),
                " ".join(result),
            ), tuple(sub_params + params)

        return " ".join(result), tuple(params)

    def _for_update_sql(self):
        from django.db import transaction
        from django.db.utils import NotSupportedError

        features = self.connection.features
        if self.connection.get_autocommit() and _feature(
            self.connection, "supports_transactions", True
        ):
            raise transaction.TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        if self.query.is_sliced and not _feature(
            self.connection, "supports_select_for_update_with_limit", True
        ):
            raise NotSupportedError(
                "LIMIT/OFFSET is not supported with select_for_update on this "
                "database backend."
            )
        nowait = self.query.select_for_update_nowait
        skip_locked = self.query.select_for_update_skip_locked
        of = self.query.select_for_update_of
        no_key = self.query.select_for_no_key_update
        if nowait and not _feature(self.connection, "has_select_for_update_nowait"):
            raise NotSupportedError(
                "NOWAIT is not supported on this database backend."
            )
        if skip_locked and not _feature(
            self.connection, "has_select_for_update_skip_locked"
        ):
            raise NotSupportedError(
                "SKIP LOCKED is not supported on this database backend."
            )
        if of and not _feature(self.connection, "has_select_for_update_of"):
            raise NotSupportedError(
                "FOR UPDATE OF is not supported on this database backend."
            )
        if no_key and not _feature(self.connection, "has_select_for_no_key_update"):
            raise NotSupportedError(
                "FOR NO KEY UPDATE is not supported on this database backend."
            )
        return self.connection.ops.for_update_sql(
            nowait=nowait,
            skip_locked=skip_locked,
            of=self.get_select_for_update_of_arguments(),
            no_key=no_key,
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
        converters = {}
        for i, expression in enumerate(expressions):
            if expression:
                backend_converters = self.connection.ops.get_db_converters(expression)
                field_converters = expression.get_db_converters(self.connection)
                if backend_converters or field_converters:
                    converters[i] = (backend_converters + field_converters, expression)
        return converters

    def apply_converters(self, rows, converters):
        connection = self.connection
        converters = list(converters.items())
        for row in map(list, rows):
            for pos, (convs, expression) in converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
            yield row

    def results_iter(
        self,
        results=None,
        tuple_expected=False,
        chunked_fetch=False,
        chunk_size=GET_ITERATOR_CHUNK_SIZE,
    ):
        """Return an iterator over the results from executing this query."""
        if results is None:
            results = self.execute_sql(
                MULTI, chunked_fetch=chunked_fetch, chunk_size=chunk_size
            )
        fields = [s[0] for s in self.select[0 : self.col_count]]
        converters = self.get_converters(fields)
        rows = chain.from_iterable(results)
        if converters:
            rows = self.apply_converters(rows, converters)
            if tuple_expected:
                rows = map(tuple, rows)
        return rows

    def has_results(self):
        return bool(self.execute_sql(SINGLE))

    def execute_sql(
        self, result_type=MULTI, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE
    ):
        """
        Run the query. MULTI: an iterator over lists of rows (read in chunks
        of ``chunk_size``; fully read unless ``chunked_fetch``); SINGLE: one
        row or None; CURSOR: the cursor; ROW_COUNT: rows affected.
        """
        result_type = result_type or NO_RESULTS
        try:
            sql, params = self.as_sql()
            if not sql:
                raise EmptyResultSet
        except EmptyResultSet:
            if result_type == MULTI:
                return iter([])
            if result_type == ROW_COUNT:
                return 0
            return None
        if chunked_fetch:
            cursor = self.connection.chunked_cursor()
        else:
            cursor = self.connection.cursor()
        try:
            cursor.execute(sql, params)
        except Exception:
            # Might fail for server-side cursors (e.g. connection closed)
            cursor.close()
            raise

        if result_type == CURSOR:
            # Give the caller the cursor to process and close.
            return cursor
        if result_type == ROW_COUNT:
            try:
                return cursor.rowcount
            finally:
                cursor.close()
        if result_type == SINGLE:
            try:
                val = cursor.fetchone()
                if val:
                    return val[0 : self.col_count]
                return val
            finally:
                cursor.close()
        if result_type == NO_RESULTS:
            cursor.close()
            return None

        result = cursor_iter(
            cursor,
            getattr(self.connection.features, "empty_fetchmany_value", []),
            self.col_count if self.has_extra_select else None,
            chunk_size,
        )
        if not chunked_fetch or not _feature(
            self.connection, "can_use_chunked_reads", True
        ):
            # Read everything now so the cursor is free for other queries.
            return list(result)
        return result

    def explain_query(self):
        result = list(self.execute_sql())
        # Some backends return 1 item tuples with strings, and others return
        # tuples with integers and strings. Flatten them out into strings.
        format_ = self.query.explain_info.format
        output_formatter = None
        if format_ and format_.upper() == "JSON":
            import json

            output_formatter = json.dumps
        for row in result[0] if result else []:
            if not isinstance(row, str):
                if output_formatter and isinstance(row[0], (dict, list)):
                    yield " ".join(output_formatter(c) if not isinstance(c, str) else c for c in row)
                else:
                    yield " ".join(str(c) for c in row)
            else:
                yield row


class _Ordinal(Value):
    """A column position in ORDER BY (combined queries order by position)."""

    def __init__(self, position):
        super().__init__(position)

    def as_sql(self, compiler, connection):
        return "%d" % int(self.value), []

    def resolve_expression(self, *args, **kwargs):
        return self


def _db_error(message):
    from django.db.utils import DatabaseError

    return DatabaseError(message)


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class SQLInsertCompiler(SQLCompiler):
    returning_fields = None
    returning_params = ()

    def field_as_sql(self, field, val):
        if field is None:
            # A field value of None means the value is raw.
            sql, params = val, []
        elif hasattr(val, "as_sql"):
            sql, params = self.compile(val)
        elif hasattr(field, "get_placeholder"):
            sql, params = field.get_placeholder(val, self, self.connection), [val]
        else:
            sql, params = "%s", [val]
        return sql, params

    def prepare_value(self, field, value):
        if hasattr(value, "resolve_expression"):
            value = value.resolve_expression(self.query, allow_joins=False, for_save=True)
            if value.contains_column_references:
                raise ValueError(
                    'Failed to insert expression "%s" on %s. F() expressions '
                    "can only be used to update, not to insert." % (value, field)
                )
            if value.contains_aggregate:
                raise FieldError(
                    "Aggregate functions are not allowed in this query "
                    "(%s=%r)." % (field.name, value)
                )
        else:
            value = field.get_db_prep_save(value, connection=self.connection)
        return value

    def pre_save_val(self, field, obj):
        if self.query.raw:
            return getattr(obj, field.attname)
        return field.pre_save(obj, add=True)

    def assemble_as_sql(self, fields, value_rows):
        if not value_rows:
            return [], []
        rows_of_fields_as_sql = (
            (self.field_as_sql(field, v) for field, v in zip(fields, row))
            for row in value_rows
        )
        sql_and_param_pair_rows = (zip(*row) for row in rows_of_fields_as_sql)
        placeholder_rows, param_rows = zip(*sql_and_param_pair_rows)
        param_rows = [[p for ps in row for p in ps] for row in param_rows]
        return placeholder_rows, param_rows

    def as_sql(self):
        qn = self.connection.ops.quote_name
        opts = self.query.get_meta()
        on_conflict = getattr(self.query, "on_conflict", None)
        insert_statement = self.connection.ops.insert_statement(on_conflict=on_conflict)
        result = ["%s %s" % (insert_statement, qn(opts.db_table))]
        fields = self.query.fields or [opts.pk]
        result.append("(%s)" % ", ".join(qn(f.column) for f in fields))

        if self.query.fields:
            value_rows = [
                [
                    self.prepare_value(field, self.pre_save_val(field, obj))
                    for field in fields
                ]
                for obj in self.query.objs
            ]
        else:
            value_rows = [
                [self.connection.ops.pk_default_value()] for _ in self.query.objs
            ]
            fields = [None]

        can_bulk = (
            not self.returning_fields and _feature(self.connection, "has_bulk_insert", True)
        )
        placeholder_rows, param_rows = self.assemble_as_sql(fields, value_rows)
        on_conflict_suffix_sql = self.connection.ops.on_conflict_suffix_sql(
            fields,
            on_conflict,
            getattr(self.query, "update_fields", None),
            getattr(self.query, "unique_fields", None),
        )
        if self.returning_fields and _feature(
            self.connection, "can_return_columns_from_insert"
        ):
            if _feature(self.connection, "can_return_rows_from_bulk_insert"):
                result.append(
                    self.connection.ops.bulk_insert_sql(fields, placeholder_rows)
                )
                params = param_rows
            else:
                result.append("VALUES (%s)" % ", ".join(placeholder_rows[0]))
                params = [param_rows[0]]
            if on_conflict_suffix_sql:
                result.append(on_conflict_suffix_sql)
            r_sql, self.returning_params = self.connection.ops.return_insert_columns(
                self.returning_fields
            )
            if r_sql:
                result.append(r_sql)
                params += [self.returning_params]
            return [(" ".join(result), tuple(chain.from_iterable(params)))]

        if can_bulk:
            result.append(self.connection.ops.bulk_insert_sql(fields, placeholder_rows))
            if on_conflict_suffix_sql:
                result.append(on_conflict_suffix_sql)
            return [(" ".join(result), tuple(p for ps in param_rows for p in ps))]
        if on_conflict_suffix_sql:
            result.append(on_conflict_suffix_sql)
        return [
            (" ".join(result + ["VALUES (%s)" % ", ".join(p)]), vals)
            for p, vals in zip(placeholder_rows, param_rows)
        ]

    def execute_sql(self, returning_fields=None):
        """Insert the rows; return a list of tuples of the returning fields' values."""
        opts = self.query.get_meta()
        self.returning_fields = returning_fields
        many = len(self.query.objs) > 1
        if returning_fields and many and not _feature(
            self.connection, "can_return_rows_from_bulk_insert"
        ):
            raise ValueError(
                "This database cannot return the values of several inserted rows."
            )
        cols = []
        with self.connection.cursor() as cursor:
            for sql, params in self.as_sql():
                cursor.execute(sql, params)
            if not self.returning_fields:
                return []
            if many:
                rows = self.connection.ops.fetch_returned_insert_rows(cursor)
                cols = [field.get_col(opts.db_table) for field in self.returning_fields]
            elif _feature(self.connection, "can_return_columns_from_insert"):
                rows = [
                    self.connection.ops.fetch_returned_insert_columns(
                        cursor, self.returning_params
                    )
                ]
                cols = [field.get_col(opts.db_table) for field in self.returning_fields]
            else:
                cols = [opts.pk.get_col(opts.db_table)]
                rows = [
                    (
                        self.connection.ops.last_insert_id(
                            cursor, opts.db_table, opts.pk.column
                        ),
                    )
                ]
        converters = self.get_converters(cols)
        if converters:
            rows = list(self.apply_converters(rows, converters))
        return [tuple(row) for row in rows]


def _base_table_only(query, connection):
    """
    UPDATE and DELETE name one table: when the conditions join others,
    select the primary keys in a subquery (``pk IN (SELECT ...)``), or fetch
    them first where the backend cannot select from the table it changes
    (``features.update_can_self_select``).
    """
    joined = any(
        isinstance(j, Join) and query.alias_refcount.get(a)
        for a, j in query.alias_map.items()
    )
    if not joined:
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
        inner_compiler = inner.get_compiler(connection=connection)
        value = [
            row[0] for chunk in (inner_compiler.execute_sql(MULTI) or ()) for row in chunk
        ]
    else:
        value = inner
    outer = query.clone()
    outer.alias_map = {}
    outer.alias_refcount = {}
    outer.table_map = {}
    outer.where = WhereNode()
    outer.get_initial_alias()
    outer.add_filter("pk__in", value)
    return outer


class SQLDeleteCompiler(SQLCompiler):
    def _as_sql(self, query):
        qn = self.connection.ops.quote_name
        result = ["DELETE FROM %s" % qn(query.base_table)]
        try:
            where, params = self.compile(query.where)
        except FullResultSet:
            return result[0], ()
        result.append("WHERE %s" % where)
        return " ".join(result), tuple(params)

    def as_sql(self):
        if not self.query.alias_map:
            self.query.get_initial_alias()
        self.query = _base_table_only(self.query, self.connection)
        if self.query.base_table != self.query.get_meta().db_table:
            # A relabeled delete query: point it back at the real table name.
            self.query = self.query.relabeled_clone(
                {self.query.base_table: self.query.get_meta().db_table}
            )
        return self._as_sql(self.query)

    def execute_sql(self, result_type=ROW_COUNT, **kwargs):
        return super().execute_sql(result_type, **kwargs)


class SQLUpdateCompiler(SQLCompiler):
    def as_sql(self):
        if not self.query.alias_map:
            self.query.get_initial_alias()
        self.query = _base_table_only(self.query, self.connection)
        if not self.query.values:
            return "", ()
        qn = self.connection.ops.quote_name
        values, update_params = [], []
        for field, model, val in self.query.values:
            if hasattr(val, "resolve_expression"):
                val = val.resolve_expression(self.query, allow_joins=False, for_save=True)
                if val.contains_aggregate:
                    raise FieldError(
                        "Aggregate functions are not allowed in this query "
                        "(%s=%r)." % (field.name, val)
                    )
            elif hasattr(val, "prepare_database_save"):
                val = val.prepare_database_save(field)
            else:
                val = field.get_db_prep_save(val, connection=self.connection)

            if hasattr(field, "get_placeholder"):
                placeholder = field.get_placeholder(val, self, self.connection)
            else:
                placeholder = "%s"
            name = field.column
            if hasattr(val, "as_sql"):
                sql, params = self.compile(val)
                values.append("%s = %s" % (qn(name), placeholder % sql))
                update_params.extend(params)
            elif val is not None:
                values.append("%s = %s" % (qn(name), placeholder))
                update_params.append(val)
            else:
                values.append("%s = NULL" % qn(name))
        table = self.query.base_table
        result = ["UPDATE %s SET" % qn(table), ", ".join(values)]
        try:
            where, params = self.compile(self.query.where)
        except FullResultSet:
            params = []
        else:
            result.append("WHERE %s" % where)
        return " ".join(result), tuple(update_params + list(params))

    def execute_sql(self, result_type=ROW_COUNT, **kwargs):
        """Run the UPDATE; return the number of rows matched."""
        try:
            sql, params = self.as_sql()
        except EmptyResultSet:
            return 0
        if not sql:
            return 0
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.rowcount
        return rows if rows is not None and rows >= 0 else 0


class SQLAggregateCompiler(SQLCompiler):
    def as_sql(self):
        """SELECT <aggregates> FROM (<inner query>) subquery."""
        sql, params = [], []
        for annotation in self.query.annotation_select.values():
            ann_sql, ann_params = self.compile(annotation)
            ann_sql, ann_params = annotation.select_format(self, ann_sql, ann_params)
            sql.append(ann_sql)
            params.extend(ann_params)
        self.col_count = len(self.query.annotation_select)
        sql = ", ".join(sql)
        params = tuple(params)
        inner_query_sql, inner_query_params = self.query.inner_query.get_compiler(
            connection=self.connection, elide_empty=self.elide_empty
        ).as_sql(with_col_aliases=False)
        sql = "SELECT %s FROM (%s) subquery" % (sql, inner_query_sql)
        params += tuple(inner_query_params)
        return sql, params


def cursor_iter(cursor, sentinel, col_count, itersize):
    """Yield blocks of rows from a cursor and ensure the cursor is closed when done."""
    try:
        for rows in iter((lambda: cursor.fetchmany(itersize)), sentinel):
            if not rows:
                break
            yield rows if col_count is None else [r[:col_count] for r in rows]
    finally:
        cursor.close()
