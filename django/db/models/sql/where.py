"""
The condition tree behind a query's WHERE and HAVING clauses.

A WhereNode joins lookups, boolean expressions and nested nodes with a single
connector. Compiling a node may raise EmptyResultSet (no row can ever match)
or FullResultSet (every row matches): the compiler uses those signals to drop
a clause or skip the query instead of sending constant conditions to the
database.
"""
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.utils import tree

AND, OR, XOR = "AND", "OR", "XOR"

# How a child that compiled to "never matches" / "always matches" affects its
# parent. The *absorbing* outcome settles the whole node at once (one false
# term makes an AND false); the other outcome just removes that child. XOR
# nodes only reach the child loop on backends with a native XOR and share
# OR's bookkeeping.
_ABSORBING = {AND: EmptyResultSet, OR: FullResultSet, XOR: FullResultSet}
_OPPOSITE = {EmptyResultSet: FullResultSet, FullResultSet: EmptyResultSet}


def _any_leaf(node, flag):
    """True if some leaf below ``node`` has the boolean attribute ``flag`` set."""
    for child in node.children:
        if isinstance(child, tree.Node):
            if _any_leaf(child, flag):
                return True
        elif getattr(child, flag):
            return True
    return False


def _resolve_in_place(node, args, kwargs):
    """Resolve the operands of every lookup found below ``node``.

    Nodes are cloned before this runs, so mutating them is safe.
    """
    for child in getattr(node, "children", ()):
        _resolve_in_place(child, args, kwargs)
    for side in ("lhs", "rhs"):
        if hasattr(node, side):
            operand = getattr(node, side)
            if hasattr(operand, "resolve_expression"):
                setattr(node, side, operand.resolve_expression(*args, **kwargs))


def _xor_as_parity(node):
    """Rewrite ``a XOR b XOR ...`` for databases without a XOR operator.

    XOR of several terms is true when an odd number of them hold, so the
    node becomes ``(a OR b OR ...) AND <count of true terms> is odd``. For
    two terms "odd" is simply "equal to 1", which avoids a modulo.
    """
    from django.db.models.expressions import Case, Value, When
    from django.db.models.lookups import Exact

    indicators = [Case(When(c, then=Value(1)), default=Value(0)) for c in node.children]
    count = indicators[0]
    for indicator in indicators[1:]:
        count = count + indicator
    if len(indicators) > 2:
        count = count % 2
    any_true = WhereNode(node.children, OR)
    return WhereNode([any_true, Exact(1, count)], AND, node.negated)


def _relabeled(child, change_map):
    """``child`` with its aliases renamed: a node in place, a leaf as a copy
    (a leaf that names no alias as it is)."""
    if hasattr(child, "relabel_aliases"):
        child.relabel_aliases(change_map)
        return child
    return child.relabeled_clone(change_map) if hasattr(child, "relabeled_clone") else child


class WhereNode(tree.Node):
    """
    Conditions joined by AND, OR or XOR, possibly negated. Leaves are
    lookups, conditional expressions or NothingNode; inner nodes are
    WhereNodes.
    """

    default = AND
    # Set once resolve_expression() ran: the node is then used as an
    # expression (e.g. inside When()) and always gets its own parentheses.
    resolved = False
    conditional = True

    # -- WHERE / HAVING split -------------------------------------------

    def split_having(self, negated=False):
        """
        Return ``(where_node, having_node)``, either of which may be None.

        Conditions on aggregates can only be evaluated after grouping, so they
        belong in HAVING. Children are separated when the node is a
        conjunction (AND, or a negated OR by De Morgan); a disjunction that
        mentions an aggregate cannot be split and goes to HAVING whole, which
        stays correct because HAVING can test plain columns too.
        """
        if not self.contains_aggregate:
            return self, None
        effective_negation = negated ^ self.negated
        conjunction = (self.connector == AND) != effective_negation
        if not conjunction:
            return None, self
        to_where, to_having = [], []
        for child in self.children:
            if hasattr(child, "split_having"):
                child_where, child_having = child.split_having(effective_negation)
            elif child.contains_aggregate:
                child_where, child_having = None, child
            else:
                child_where, child_having = child, None
            if child_where is not None:
                to_where.append(child_where)
            if child_having is not None:
                to_having.append(child_having)
        return self._regroup(to_where), self._regroup(to_having)

    def _regroup(self, children):
        """A node like this one holding ``children``, or None if there are none."""
        if not children:
            return None
        return self.create(children, self.connector, self.negated)

    # -- compilation -----------------------------------------------------

    def as_sql(self, compiler, connection):
        if not self.children:
            raise FullResultSet
        if self.connector == XOR and not getattr(
            connection.features, "supports_logical_xor", False
        ):
            return _xor_as_parity(self).as_sql(compiler, connection)
        absorbing = _ABSORBING[self.connector]
        fragments, params = [], []
        for child in self.children:
            try:
                child_sql, child_params = compiler.compile(child)
            except (EmptyResultSet, FullResultSet) as outcome:
                if isinstance(outcome, absorbing):
                    self._raise_outcome(absorbing)
                continue
            if not child_sql:
                # An empty fragment means "no restriction", i.e. always true.
                if absorbing is FullResultSet:
                    self._raise_outcome(FullResultSet)
                continue
            fragments.append(child_sql)
            params.extend(child_params)
        if not fragments:
            # Every child dropped out without settling the node.
            self._raise_outcome(_OPPOSITE[absorbing])
        sql = (" %s " % self.connector).join(fragments)
        if self.negated:
            return "NOT (%s)" % sql, params
        if len(fragments) > 1 or self.resolved:
            sql = "(%s)" % sql
        return sql, params

    def _raise_outcome(self, outcome):
        """Raise ``outcome`` as seen from outside, i.e. after this node's NOT."""
        raise _OPPOSITE[outcome] if self.negated else outcome

    def select_format(self, compiler, sql, params):
        # Some databases (Oracle-like) reject a bare predicate in the SELECT
        # list; turn it into a 1/0 value there.
        features = compiler.connection.features
        if getattr(features, "supports_boolean_expr_in_select_clause", True):
            return sql, params
        return "CASE WHEN %s THEN 1 ELSE 0 END" % sql, params

    # -- expression protocol ---------------------------------------------

    def get_source_expressions(self):
        return list(self.children)

    def set_source_expressions(self, children):
        if len(children) != len(self.children):
            raise ValueError(
                "WhereNode has %d children, got %d replacements."
                % (len(self.children), len(children))
            )
        self.children = children

    def get_group_by_cols(self):
        return [col for child in self.children for col in child.get_group_by_cols()]

    def get_refs(self):
        return set().union(*(child.get_refs() for child in self.children))

    @property
    def contains_aggregate(self):
        return _any_leaf(self, "contains_aggregate")

    @property
    def contains_over_clause(self):
        return _any_leaf(self, "contains_over_clause")

    @property
    def is_summary(self):
        return any(child.is_summary for child in self.children)

    def resolve_expression(self, *args, **kwargs):
        """A resolved copy, used as an expression (it parenthesises itself)."""
        resolved = self.clone()
        _resolve_in_place(resolved, args, kwargs)
        resolved.resolved = True
        return resolved

    @property
    def output_field(self):
        """A condition is a boolean (when selected or compared)."""
        from django.db.models.fields import BooleanField

        return BooleanField()

    # Expressions ask for this to learn their type without raising.
    _output_field_if_known = output_field

    def get_db_converters(self, connection):
        """A selected condition converts as a BooleanField does."""
        return self.output_field.get_db_converters(connection)

    def get_lookup(self, lookup):
        """``condition__exact=True`` and the like: BooleanField's lookups."""
        return self.output_field.get_lookup(lookup)

    # -- copying and alias changes ---------------------------------------

    def clone(self):
        """A copy deep enough that the copy's children can be mutated."""
        copied = self.create(
            [c.clone() if hasattr(c, "clone") else c for c in self.children],
            self.connector,
            self.negated,
        )
        copied.resolved = self.resolved
        return copied

    def relabel_aliases(self, change_map):
        """Rename table aliases used by the children, in place."""
        self.children = [_relabeled(child, change_map) for child in self.children]

    def relabeled_clone(self, change_map):
        copied = self.clone()
        copied.relabel_aliases(change_map)
        return copied

    def replace_expressions(self, replacements):
        replacement = replacements.get(self)
        if replacement:
            return replacement
        return self.create(
            [child.replace_expressions(replacements) for child in self.children],
            self.connector,
            self.negated,
        )

    # -- traversal -------------------------------------------------------

    def flatten(self):
        """This node, then every node and leaf below it (depth first)."""
        yield self
        for child in self.children:
            yield from child.flatten() if hasattr(child, "flatten") else (child,)

    def leaves(self):
        """Every non-WhereNode descendant."""
        for child in self.children:
            yield from child.leaves() if isinstance(child, WhereNode) else (child,)


class OpaqueLeaf:
    """
    A WHERE leaf that reads no column of the model and names no alias the
    query knows: nothing to group by, refer to, relabel or replace in it,
    and it is immutable, so every copy of the tree may share it.
    """

    contains_aggregate = contains_over_clause = is_summary = False

    def get_group_by_cols(self):
        """No column to group by."""
        return []

    def get_refs(self):
        """No annotation referred to."""
        return set()

    def relabeled_clone(self, change_map):
        """No alias to rename."""
        return self

    def replace_expressions(self, replacements):
        """No expression inside to replace."""
        return self

    def flatten(self):
        """Nothing below it."""
        yield self


class NothingNode(OpaqueLeaf):
    """A condition no row satisfies; ``QuerySet.none()`` adds one."""

    def as_sql(self, compiler=None, connection=None):
        raise EmptyResultSet


class ExtraWhere(OpaqueLeaf):
    """
    The conditions of ``extra(where=[...], params=[...])``: SQL fragments the
    programmer wrote, each kept in parentheses and ANDed together, with the
    values of their ``%s`` placeholders. The fragments name tables as the
    programmer wrote them: they are never relabeled.
    """

    def __init__(self, fragments, params):
        self.fragments, self.params = tuple(fragments), tuple(params)

    def as_sql(self, compiler=None, connection=None):
        return " AND ".join("(%s)" % fragment for fragment in self.fragments), list(self.params)
