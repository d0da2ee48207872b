"""
Entries of a query's FROM clause.

``Query.alias_map`` maps each alias to one of these objects: a ``BaseTable``
for a table that starts the FROM list, a ``Join`` for one reached through a
relation. Both compile themselves (``as_sql``) and can be copied under new
aliases (``relabeled_clone``) when two queries are merged.
"""

from django.db.models.sql.constants import INNER, LOUTER


class MultiJoin(Exception):
    """
    Raised by ``Query.names_to_path`` when a lookup crosses a multi-valued
    relation while the caller asked for single-valued paths only.
    ``level`` is how many names were consumed; ``names_with_path`` holds the
    (name, path infos) pairs walked so far, which ``split_exclude`` needs.
    """

    def __init__(self, level, names_with_path):
        super().__init__(level)
        self.level, self.names_with_path = level, names_with_path


class Empty:
    """A bare class whose instances get their ``__class__`` swapped in."""


def _table_ref(qn, table_name, table_alias):
    # An alias equal to the table's own name is not written out twice.
    if table_alias == table_name:
        return qn(table_name)
    return qn(table_name) + " " + qn(table_alias)


class _FromItem:
    """What the table and the joins share: equality through ``identity``."""

    def __eq__(self, other):
        return isinstance(other, type(self)) and other.identity == self.identity

    def equals(self, other):
        # Join narrows this to ignore its FilteredRelation.
        return other.identity == self.identity

    # Hashable by value so alias maps can be compared and deduplicated.
    __hash__ = lambda self: hash(self.identity)  # noqa: E731

    def _renamed(self, change_map, alias):
        return change_map.get(alias, alias)


class BaseTable(_FromItem):
    """The first table of a query's FROM clause: ``"table" ["alias"]``."""

    # A base table has no join to promote or demote, and no parent.
    join_type = parent_alias = filtered_relation = None

    def __init__(self, table_name, alias):
        self.table_name, self.table_alias = table_name, alias

    def as_sql(self, compiler, connection):
        return _table_ref(connection.ops.quote_name, self.table_name, self.table_alias), []

    def relabeled_clone(self, change_map):
        return type(self)(self.table_name, self._renamed(change_map, self.table_alias))

    @property
    def identity(self):
        return (type(self), self.table_name, self.table_alias)

    def __repr__(self):
        return "BaseTable(%r, %r)" % (self.table_name, self.table_alias)


class Join(_FromItem):
    """
    ``<join_type> "table_name" ["table_alias"] ON (...)``, reached from
    ``parent_alias`` through ``join_field``. ``join_cols`` holds the
    (parent column, child column) pairs that must be equal; by default the
    field supplies them.
    """

    def __init__(self, table_name, parent_alias, table_alias, join_type, join_field,
                 nullable, filtered_relation=None, join_cols=None):
        if join_cols is None and join_field is not None:
            join_cols = join_field.get_joining_columns()
        vars(self).update(
            table_name=table_name, parent_alias=parent_alias, table_alias=table_alias,
            join_type=join_type, join_field=join_field, nullable=nullable,
            filtered_relation=filtered_relation, join_cols=tuple(join_cols or ()),
        )

    def _extra_conditions(self, compiler):
        """
        Conditions added to the column equalities: a relation's own
        restriction (a GenericRelation also matches the content type) and a
        FilteredRelation's condition, both of which belong in ON, not WHERE.
        """
        restrict = getattr(self.join_field, "get_extra_restriction", None)
        sources = (
            restrict(self.table_alias, self.parent_alias) if restrict else None,
            self.filtered_relation,
        )
        for node in sources:
            if node is None:
                continue
            sql, params = compiler.compile(node)
            if sql:
                yield "(" + sql + ")", params

    def as_sql(self, compiler, connection):
        qn = connection.ops.quote_name
        left, right = qn(self.parent_alias), qn(self.table_alias)
        on = ["%s.%s = %s.%s" % (left, qn(a), right, qn(b)) for a, b in self.join_cols]
        params = []
        for sql, extra in self._extra_conditions(compiler):
            on.append(sql)
            params += extra
        target = _table_ref(qn, self.table_name, self.table_alias)
        return "%s %s ON (%s)" % (self.join_type, target, " AND ".join(on)), params

    def _copy(self, change_map, join_type):
        fr = self.filtered_relation
        return type(self)(
            self.table_name,
            self._renamed(change_map, self.parent_alias),
            self._renamed(change_map, self.table_alias),
            join_type, self.join_field, self.nullable,
            None if fr is None else fr.relabeled_clone(change_map),
            self.join_cols,
        )

    def relabeled_clone(self, change_map):
        return self._copy(change_map, self.join_type)

    @property
    def identity(self):
        # Two joins are interchangeable when they leave the same parent over
        # the same relation and columns (and the same FilteredRelation).
        return (type(self), self.table_name, self.parent_alias, self.join_field,
                self.join_cols, self.filtered_relation)

    def equals(self, other):
        # Reuse ignores the FilteredRelation condition (the last item).
        return isinstance(other, Join) and other.identity[:-1] == self.identity[:-1]

    def demote(self):
        return self._copy({}, INNER)

    def promote(self):
        return self._copy({}, LOUTER)
