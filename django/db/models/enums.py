"""``Choices``, ``TextChoices`` and ``IntegerChoices``: enums usable as
field ``choices``.

    class Suit(models.IntegerChoices):
        HEARTS = 1, "Hearts"
        SPADES = 2          # label "Spades"
"""
import enum
from types import DynamicClassAttribute

__all__ = ["Choices", "IntegerChoices", "TextChoices"]


def _value_and_label(member_name, declared):
    """Split a member declaration: a tuple ending in a string carries its
    label; otherwise the label is made from the member's name."""
    has_label = (
        isinstance(declared, (list, tuple))
        and len(declared) > 1
        and isinstance(declared[-1], str)
    )
    if has_label:
        return tuple(declared[:-1]), declared[-1]
    return declared, member_name.replace("_", " ").title()


class ChoicesMeta(enum.EnumMeta):
    """Read an optional label from the last item of each member's tuple."""

    def __new__(metacls, classname, bases, classdict, **kwds):
        labels = {}
        for member_name in list(classdict._member_names):
            value, labels[member_name] = _value_and_label(member_name, classdict[member_name])
            # Plain dict assignment: _EnumDict refuses to redefine a member.
            dict.__setitem__(classdict, member_name, value)
        cls = super().__new__(metacls, classname, bases, classdict, **kwds)
        for member_name, member in cls.__members__.items():
            member._choice_label = labels[member_name]
        # Two members with one value would make choices ambiguous.
        return enum.unique(cls)

    def __contains__(cls, member):
        # Also accept raw values: 1 in Suit.
        if isinstance(member, enum.Enum):
            return super().__contains__(member)
        return any(each.value == member for each in cls)

    def _blank_entries(cls):
        # An "__empty__" attribute adds a (None, label) entry in front.
        return [(None, cls.__empty__)] if hasattr(cls, "__empty__") else []

    @property
    def names(cls):
        return ["__empty__" for _entry in cls._blank_entries()] + [each.name for each in cls]

    @property
    def choices(cls):
        return cls._blank_entries() + [(each.value, each.label) for each in cls]

    @property
    def labels(cls):
        return [pair[1] for pair in cls.choices]

    @property
    def values(cls):
        return [pair[0] for pair in cls.choices]


class Choices(enum.Enum, metaclass=ChoicesMeta):
    """Base class for enums used as field ``choices``."""

    @DynamicClassAttribute
    def label(self):
        return self._choice_label

    @property
    def do_not_call_in_templates(self):
        # Templates would otherwise try calling the enum class.
        return True

    def __str__(self):
        # str() gives the value, so members work where values are expected.
        return str(self.value)

    def __repr__(self):
        return "%s.%s" % (type(self).__qualname__, self._name_)


class IntegerChoices(int, Choices):
    pass


class TextChoices(str, Choices):
    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return name
