"""``Choices``, ``TextChoices`` and ``IntegerChoices``: enums usable as
field ``choices``.

    class Suit(models.IntegerChoices):
        HEARTS = 1, "Hearts"
        SPADES = 2          # label "Spades"
"""
import enum
from types import DynamicClassAttribute

__all__ = ["Choices", "IntegerChoices", "TextChoices"]


class ChoicesMeta(enum.EnumMeta):
    """Read an optional label from the last item of each member's tuple."""

    def __new__(metacls, classname, bases, classdict, **kwds):
        labels = []
        for key in classdict._member_names:
            value = classdict[key]
            if isinstance(value, (list, tuple)) and len(value) > 1 and isinstance(value[-1], str):
                *value, label = value
                value = tuple(value)
            else:
                label = key.replace("_", " ").title()
            labels.append(label)
            # Bypass _EnumDict's duplicate-key guard: we are replacing values.
            dict.__setitem__(classdict, key, value)
        cls = super().__new__(metacls, classname, bases, classdict, **kwds)
        for member, label in zip(cls.__members__.values(), labels):
            member._label_ = label
        return enum.unique(cls)

    def __contains__(cls, member):
        if not isinstance(member, enum.Enum):
            return any(x.value == member for x in cls)
        return super().__contains__(member)

    @property
    def names(cls):
        empty = ["__empty__"] if hasattr(cls, "__empty__") else []
        return empty + [member.name for member in cls]

    @property
    def choices(cls):
        empty = [(None, cls.__empty__)] if hasattr(cls, "__empty__") else []
        return empty + [(member.value, member.label) for member in cls]

    @property
    def labels(cls):
        return [label for _, label in cls.choices]

    @property
    def values(cls):
        return [value for value, _ in cls.choices]


class Choices(enum.Enum, metaclass=ChoicesMeta):
    @DynamicClassAttribute
    def label(self):
        return self._label_

    @property
    def do_not_call_in_templates(self):
        return True

    def __str__(self):
        # str() gives the value, so members work where values are expected.
        return str(self.value)

    def __repr__(self):
        return "%s.%s" % (self.__class__.__qualname__, self._name_)


class IntegerChoices(int, Choices):
    pass


class TextChoices(str, Choices):
    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return name
