"""A tree of conditions joined by a connector (the base of Q and WhereNode)."""
import copy

from django.utils.hashable import make_hashable


class Node:
    """An internal node: ``children`` combined with ``connector``, maybe negated.

    Children are leaves (anything) or other Nodes. ``add()`` flattens
    children that use the same connector so trees stay shallow.
    """

    # Subclasses name their own default connector (e.g. "AND").
    default = "DEFAULT"

    def __init__(self, children=None, connector=None, negated=False):
        # Always a fresh list: callers often keep using the one they passed.
        self.children = list(children or ())
        self.connector, self.negated = connector or self.default, negated

    @classmethod
    def create(cls, children=None, connector=None, negated=False):
        """Build a node of this class without calling a subclass's __init__.

        Subclasses such as Q have a different __init__ signature, but
        _combine()/copy need to make nodes from raw parts.
        """
        node = object.__new__(cls)
        Node.__init__(node, children, connector or cls.default, negated)
        return node

    def _sibling(self, children):
        """A node like this one (class, connector, negation) with ``children``."""
        node = self.create(connector=self.connector, negated=self.negated)
        node.children = children
        return node

    def __copy__(self):
        # Shallow on purpose: the children list itself is shared.
        return self._sibling(self.children)

    copy = __copy__

    def __deepcopy__(self, memodict):
        return self._sibling(copy.deepcopy(self.children, memodict))

    def __str__(self):
        body = "%s: %s" % (self.connector, ", ".join(map(str, self.children)))
        return "(NOT (%s))" % body if self.negated else "(%s)" % body

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, self)

    # Container protocol over the children.
    def __len__(self):
        return len(self.children)

    def __bool__(self):
        return len(self.children) > 0

    def __contains__(self, other):
        return other in self.children

    def _shape(self):
        return (type(self), self.connector, self.negated)

    def __eq__(self, other):
        if not isinstance(other, Node):
            return NotImplemented
        return self._shape() == other._shape() and self.children == other.children

    def __hash__(self):
        # Children may hold unhashable values (lists in ``__in`` lookups).
        return hash((*self._shape(), make_hashable(self.children)))

    def add(self, data, conn_type):
        """Combine ``data`` into this node with ``conn_type``; return what was added.

        If this node already uses ``conn_type`` the data is appended (its
        children are merged if it is a compatible Node); otherwise this node's
        current content is pushed down one level first.
        """
        if conn_type != self.connector:
            # (a OR b) AND c: the old content becomes the first child.
            pushed_down = self.copy()
            self.connector, self.children = conn_type, [pushed_down, data]
            return data
        # A non-negated node with the same connector (or a single child,
        # for which the connector is irrelevant) can be spliced in:
        # (a AND b) AND c -> (a AND b AND c).
        splice = (
            isinstance(data, Node)
            and not data.negated
            and (len(data) == 1 or data.connector == conn_type)
        )
        if splice:
            self.children.extend(data.children)
            return self
        self.children.append(data)
        return data

    def negate(self):
        """Negate this node in place."""
        self.negated = not self.negated
