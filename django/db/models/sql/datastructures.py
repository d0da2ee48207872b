"""The FROM clause entries of a query: the base table and joins."""


class MultiJoin(Exception):
    """A lookup path crossed a multi-valued relation where one was not allowed."""

    def __init__(self, names_pos, path_with_names):
        self.level = names_pos
        self.names_with_path = path_with_names


class Empty:
    pass


class BaseTable:
    """The first table of a query's FROM clause: ``"table" [alias]``."""

    join_type = None
    parent_alias = None
    filtered_relation = None

    def __init__(self, table_name, alias):
        self.table_name = table_name
        self.table_alias = alias

    def as_sql(self, compiler, connection):
        qn = connection.ops.quote_name
        if self.table_alias == self.table_name:
            return qn(self.table_name), []
        return "%s %s" % (qn(self.table_name), qn(self.table_alias)), []

    def relabeled_clone(self, change_map):
        return self.__class__(
            self.table_name, change_map.get(self.table_alias, self.table_alias)
        )

    @property
    def identity(self):
        return self.__class__, self.table_name, self.table_alias

    def __eq__(self, other):
        return isinstance(other, BaseTable) and self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    def equals(self, other):
        return self.identity == other.identity

    def __repr__(self):
        return "%s(%r, %r)" % (type(self).__name__, self.table_name, self.table_alias)


class Join:
    """
    A join to ``table_name`` from ``parent_alias``. ``join_cols`` is a tuple
    of (parent column, child column) pairs compared for equality.
    """

    def __init__(
        self,
        table_name,
        parent_alias,
        table_alias,
        join_type,
        join_field,
        nullable,
        filtered_relation=None,
        join_cols=None,
    ):
        self.table_name = table_name
        self.parent_alias = parent_alias
        self.table_alias = table_alias
        self.join_type = join_type
        self.join_field = join_field
        self.nullable = nullable
        self.filtered_relation = filtered_relation
        if join_cols is None and join_field is not None:
            join_cols = join_field.get_joining_columns()
        self.join_cols = tuple(join_cols or ())

    def as_sql(self, compiler, connection):
        qn = connection.ops.quote_name
        conditions = [
            "%s.%s = %s.%s"
            % (qn(self.parent_alias), qn(lhs), qn(self.table_alias), qn(rhs))
            for lhs, rhs in self.join_cols
        ]
        params = []
        # A relation may restrict the join further (a GenericRelation also
        # matches the content type column).
        get_extra = getattr(self.join_field, "get_extra_restriction", None)
        extra_cond = get_extra(self.table_alias, self.parent_alias) if get_extra else None
        if extra_cond is not None:
            extra_sql, extra_params = compiler.compile(extra_cond)
            if extra_sql:
                conditions.append("(%s)" % extra_sql)
                params.extend(extra_params)
        if self.filtered_relation is not None:
            # FilteredRelation: its condition joins the ON clause.
            extra_sql, extra_params = compiler.compile(self.filtered_relation)
            if extra_sql:
                conditions.append("(%s)" % extra_sql)
                params.extend(extra_params)
        alias = (
            "" if self.table_alias == self.table_name else " %s" % qn(self.table_alias)
        )
        sql = "%s %s%s ON (%s)" % (
            self.join_type,
            qn(self.table_name),
            alias,
            " AND ".join(conditions),
        )
        return sql, params

    def relabeled_clone(self, change_map):
        filtered_relation = self.filtered_relation
        if filtered_relation is not None:
            filtered_relation = filtered_relation.relabeled_clone(change_map)
        return self.__class__(
            self.table_name,
            change_map.get(self.parent_alias, self.parent_alias),
            change_map.get(self.table_alias, self.table_alias),
            self.join_type,
            self.join_field,
            self.nullable,
            filtered_relation,
            self.join_cols,
        )

    @property
    def identity(self):
        return (
            self.__class__,
            self.table_name,
            self.parent_alias,
            self.join_field,
            self.join_cols,
            self.filtered_relation,
        )

    def __eq__(self, other):
        return isinstance(other, Join) and self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    def equals(self, other):
        # The same join apart from a FilteredRelation condition.
        return isinstance(other, Join) and self.identity[:-1] == other.identity[:-1]

    def demote(self):
        from django.db.models.sql.constants import INNER

        new = self.relabeled_clone({})
        new.join_type = INNER
        return new

    def promote(self):
        from django.db.models.sql.constants import LOUTER

        new = self.relabeled_clone({})
        new.join_type = LOUTER
        return new
