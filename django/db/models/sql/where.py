"""The WHERE/HAVING condition tree of a query."""
import operator
from functools import reduce

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.utils import tree

AND = "AND"
OR = "OR"
XOR = "XOR"


class WhereNode(tree.Node):
    """
    A tree of conditions (lookups, expressions, nested nodes) joined by
    AND/OR/XOR. Compiling raises EmptyResultSet when it can never match and
    FullResultSet when it always matches, so callers can drop the clause.
    """

    default = AND
    resolved = False
    conditional = True

    def split_having(self, negated=False):
        """
        Return (where, having): conditions on aggregates must go to HAVING.
        A branch that mixes both under OR (or negated AND) stays in HAVING
        as a whole, which is still correct because HAVING sees grouped rows.
        """
        if not self.contains_aggregate:
            return self, None
        in_negated = negated ^ self.negated
        may_need_split = (in_negated and self.connector == AND) or (
            not in_negated and self.connector in (OR, XOR)
        )
        if may_need_split:
            return None, self
        where_parts = []
        having_parts = []
        for c in self.children:
            if hasattr(c, "split_having"):
                where_part, having_part = c.split_having(in_negated)
                if where_part is not None:
                    where_parts.append(where_part)
                if having_part is not None:
                    having_parts.append(having_part)
            elif c.contains_aggregate:
                having_parts.append(c)
            else:
                where_parts.append(c)
        having_node = (
            self.create(having_parts, self.connector, self.negated)
            if having_parts
            else None
        )
        where_node = (
            self.create(where_parts, self.connector, self.negated)
            if where_parts
            else None
        )
        return where_node, having_node

    def as_sql(self, compiler, connection):
        result = []
        result_params = []
        if self.connector == AND:
            full_needed, empty_needed = len(self.children), 1
        else:
            full_needed, empty_needed = 1, len(self.children)

        if self.connector == XOR and not getattr(
            connection.features, "supports_logical_xor", False
        ):
            # Emulate "a XOR b XOR c" as "(a OR b OR c) AND (a + b + c) % 2 = 1":
            # true when an odd number of the conditions hold.
            from django.db.models.expressions import Case, Value, When
            from django.db.models.lookups import Exact

            lhs = self.__class__(self.children, OR)
            rhs_sum = reduce(
                operator.add,
                (Case(When(c, then=Value(1)), default=Value(0)) for c in self.children),
            )
            if len(self.children) > 2:
                rhs_sum = rhs_sum % 2
            rhs = Exact(1, rhs_sum)
            return self.__class__([lhs, rhs], AND, self.negated).as_sql(
                compiler, connection
            )

        for child in self.children:
            try:
                sql, params = compiler.compile(child)
            except EmptyResultSet:
                empty_needed -= 1
            except FullResultSet:
                full_needed -= 1
            else:
                if sql:
                    result.append(sql)
                    result_params.extend(params)
                else:
                    full_needed -= 1
            # Decide early when the outcome no longer depends on the rest.
            if empty_needed == 0:
                if self.negated:
                    raise FullResultSet
                raise EmptyResultSet
            if full_needed == 0:
                if self.negated:
                    raise EmptyResultSet
                raise FullResultSet
        conn = " %s " % self.connector
        sql_string = conn.join(result)
        if not sql_string:
            raise FullResultSet
        if self.negated:
            sql_string = "NOT (%s)" % sql_string
        elif len(result) > 1 or self.resolved:
            sql_string = "(%s)" % sql_string
        return sql_string, result_params

    def get_group_by_cols(self):
        cols = []
        for child in self.children:
            cols.extend(child.get_group_by_cols())
        return cols

    def get_source_expressions(self):
        return self.children[:]

    def set_source_expressions(self, children):
        assert len(children) == len(self.children)
        self.children = children

    def relabel_aliases(self, change_map):
        """Relabel the aliases of this node's children in place."""
        for pos, child in enumerate(self.children):
            if hasattr(child, "relabel_aliases"):
                child.relabel_aliases(change_map)
            elif hasattr(child, "relabeled_clone"):
                self.children[pos] = child.relabeled_clone(change_map)

    def clone(self):
        clone = self.create(connector=self.connector, negated=self.negated)
        for child in self.children:
            if hasattr(child, "clone"):
                child = child.clone()
            clone.children.append(child)
        clone.resolved = self.resolved
        return clone

    def relabeled_clone(self, change_map):
        clone = self.clone()
        clone.relabel_aliases(change_map)
        return clone

    def replace_expressions(self, replacements):
        if replacement := replacements.get(self):
            return replacement
        clone = self.create(connector=self.connector, negated=self.negated)
        for child in self.children:
            clone.children.append(child.replace_expressions(replacements))
        return clone

    def get_refs(self):
        refs = set()
        for child in self.children:
            refs |= child.get_refs()
        return refs

    @classmethod
    def _contains_aggregate(cls, obj):
        if isinstance(obj, tree.Node):
            return any(cls._contains_aggregate(c) for c in obj.children)
        return obj.contains_aggregate

    @property
    def contains_aggregate(self):
        return self._contains_aggregate(self)

    @classmethod
    def _contains_over_clause(cls, obj):
        if isinstance(obj, tree.Node):
            return any(cls._contains_over_clause(c) for c in obj.children)
        return obj.contains_over_clause

    @property
    def contains_over_clause(self):
        return self._contains_over_clause(self)

    @property
    def is_summary(self):
        return any(child.is_summary for child in self.children)

    @staticmethod
    def _resolve_leaf(expr, query, *args, **kwargs):
        if hasattr(expr, "resolve_expression"):
            expr = expr.resolve_expression(query, *args, **kwargs)
        return expr

    @classmethod
    def _resolve_node(cls, node, query, *args, **kwargs):
        if hasattr(node, "children"):
            for child in node.children:
                cls._resolve_node(child, query, *args, **kwargs)
        if hasattr(node, "lhs"):
            node.lhs = cls._resolve_leaf(node.lhs, query, *args, **kwargs)
        if hasattr(node, "rhs"):
            node.rhs = cls._resolve_leaf(node.rhs, query, *args, **kwargs)

    def resolve_expression(self, *args, **kwargs):
        clone = self.clone()
        clone._resolve_node(clone, *args, **kwargs)
        clone.resolved = True
        return clone

    def flatten(self):
        yield self
        for child in self.children:
            if hasattr(child, "flatten"):
                yield from child.flatten()
            else:
                yield child

    @property
    def output_field(self):
        from django.db.models.fields import BooleanField

        return BooleanField()

    @property
    def _output_field_or_none(self):
        return self.output_field

    def select_format(self, compiler, sql, params):
        # Wrap filters with a CASE WHEN expression where the database does not
        # allow a boolean expression in the SELECT list.
        if not getattr(
            compiler.connection.features, "supports_boolean_expr_in_select_clause", True
        ):
            sql = f"CASE WHEN {sql} THEN 1 ELSE 0 END"
        return sql, params

    def get_db_converters(self, connection):
        return self.output_field.get_db_converters(connection)

    def get_lookup(self, lookup):
        return self.output_field.get_lookup(lookup)

    def leaves(self):
        for child in self.children:
            if isinstance(child, WhereNode):
                yield from child.leaves()
            else:
                yield child


class NothingNode:
    """A node that matches nothing (``QuerySet.none()``)."""

    contains_aggregate = False
    contains_over_clause = False
    is_summary = False

    def as_sql(self, compiler=None, connection=None):
        raise EmptyResultSet

    def get_group_by_cols(self):
        return []

    def get_refs(self):
        return set()

    def relabeled_clone(self, change_map):
        return self

    def flatten(self):
        yield self
