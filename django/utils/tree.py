"""A tree of conditions joined by a connector (the base of Q and WhereNode)."""
import copy

from django.utils.hashable import make_hashable


class Node:
    """An internal node: ``children`` combined with ``connector``, maybe negated.

    Children are leaves (anything) or other Nodes. ``add()`` flattens
    children that use the same connector so trees stay shallow.
    """

    default = "DEFAULT"

    def __init__(self, children=None, connector=None, negated=False):
        self.children = children[:] if children else []
        self.connector = connector or self.default
        self.negated = negated

    @classmethod
    def create(cls, children=None, connector=None, negated=False):
        """Build a node of this class without calling a subclass's __init__.

        Subclasses such as Q have a different __init__ signature, but
        _combine()/copy need to make nodes from raw parts.
        """
        obj = Node(children, connector or cls.default, negated)
        obj.__class__ = cls
        return obj

    def __str__(self):
        template = "(NOT (%s: %s))" if self.negated else "(%s: %s)"
        return template % (self.connector, ", ".join(str(c) for c in self.children))

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, self)

    def __copy__(self):
        obj = self.create(connector=self.connector, negated=self.negated)
        obj.children = self.children  # Shared on purpose: a shallow copy.
        return obj

    copy = __copy__

    def __deepcopy__(self, memodict):
        obj = self.create(connector=self.connector, negated=self.negated)
        obj.children = copy.deepcopy(self.children, memodict)
        return obj

    def __len__(self):
        return len(self.children)

    def __bool__(self):
        return bool(self.children)

    def __contains__(self, other):
        return other in self.children

    def __eq__(self, other):
        return (
            self.__class__ == other.__class__
            and self.connector == other.connector
            and self.negated == other.negated
            and self.children == other.children
        )

    def __hash__(self):
        return hash((self.__class__, self.connector, self.negated, *make_hashable(self.children)))

    def add(self, data, conn_type):
        """Combine ``data`` into this node with ``conn_type``; return what was added.

        If this node already uses ``conn_type`` the data is appended (its
        children are merged if it is a compatible Node); otherwise this node's
        current content is pushed down one level first.
        """
        if self.connector != conn_type:
            obj = self.copy()
            self.connector = conn_type
            self.children = [obj, data]
            return data
        if (
            isinstance(data, Node)
            and not data.negated
            and (data.connector == conn_type or len(data) == 1)
        ):
            # Flatten: (a AND b) AND c -> (a AND b AND c).
            self.children.extend(data.children)
            return self
        self.children.append(data)
        return data

    def negate(self):
        """Negate this node in place."""
        self.negated = not self.negated
