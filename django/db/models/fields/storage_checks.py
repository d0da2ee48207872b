"""
Values a field refuses to save, and the checks that find them cheaply.

A model must accept the same values on every database it may be saved to,
and a value is either stored as it is or refused: never cut, rounded,
turned into its ``repr()`` or into NULL. Before any SQL is sent, saving
(``save()``, ``create()``, ``bulk_create()``, ``update()`` with plain
values, ``bulk_update()``) refuses:

* text longer than ``max_length`` (``CharField`` and its subclasses, a
  ``TextField`` given one);
* integers outside the field type's documented range (16, 32 or 64 bits,
  ``Positive*`` from 0), whatever the database could hold;
* a ``dict``, list, tuple, set or bytes-like value for a text field (it
  would be stored as its repr), a float or Decimal with a fraction for an
  integer field;
* NaN and infinities for a ``DecimalField``; for a ``FloatField`` only
  where the database would store something else (the backend's
  ``stores_float_nan`` / ``stores_float_infinity`` operations flags);
* a timezone-aware datetime while ``USE_TZ`` is False (also in lookups).

Every refusal is a :class:`FieldValueError`: a ``DataError`` (what the
servers raise for a value that does not fit its column) that is also a
``ValueError``, whose message names the model, the field and the value.

Where the checks run: a field's ``get_db_prep_save()`` makes them on every
value it prepares. The INSERT paths skip preparation for values of a
field's pass-through type (``Field.save_passthrough_type()``); they ask the
field once per INSERT shape for its :class:`Guard`
(``Field.save_guard(connection)``, None when nothing needs checking) and
call ``guard.value(v)`` per value, or, for whole columns of a
``bulk_create()``, ``guard.column_fits(values)``: one C-level pass
(``max(map(len, ...))``, ``min``/``max``, ``sum``) that says whether the
row-by-row path must look closer.
"""
import copy
import itertools
import operator

from django.db.utils import DataError

# Longest value shown in a message, in characters of its repr().
_SHOWN = 60


def short_repr(value):
    """repr() of ``value`` cut to a readable length, with the length of
    long text or bytes, so a 10 MB value makes a one-line message."""
    if isinstance(value, (str, bytes)) and len(value) > _SHOWN // 2:
        unit = "characters" if isinstance(value, str) else "bytes"
        return "%r... (%d %s)" % (value[: _SHOWN // 2], len(value), unit)
    shown = repr(value)
    return shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "..."


def field_label(field):
    """``Model.field`` (or the bare name of a field not on a model)."""
    model = getattr(field, "model", None)
    if model is None:
        return repr(field.name)
    return "%s.%s" % (model._meta.object_name, field.name)


class FieldValueError(DataError, ValueError):
    """A value a model field refuses to save (see the module docstring).

    ``field``, ``model``, ``value`` and ``reason`` say what was refused
    and why; ``code`` names the rule for programs: ``max_length``,
    ``range``, ``not_text``, ``fraction``, ``not_finite``, ``max_digits``,
    ``aware``.
    """

    def __init__(self, field, value, reason, code):
        self.field, self.value, self.reason, self.code = field, value, reason, code
        super().__init__("%s: %s %s." % (field_label(field), short_repr(value), reason))

    @property
    def model(self):
        return getattr(self.field, "model", None)

    def naming(self, field):
        """The same refusal reported for ``field`` (a foreign key storing
        its target's value)."""
        return type(self)(field, self.value, self.reason, self.code)

    def __reduce__(self):
        return type(self), (self.field, self.value, self.reason, self.code)


def refuse_unsavable(fields, objs, connection):
    """Raise FieldValueError for the first value of ``fields`` in ``objs``
    that saving would refuse, as get_db_prep_save() does: for callers that
    send values without it (bulk_update()'s CASE expressions)."""
    for field in fields:
        stored = map(operator.attrgetter(field.attname), objs)
        # Expressions (F(), Value()...) are compiled, not stored as given.
        for value in itertools.filterfalse(_is_expression, stored):
            field.get_db_prep_save(value, connection)


def _is_expression(value):
    return hasattr(value, "resolve_expression")


class Guard:
    """The check of one field's values of its pass-through type. ``value()``
    raises FieldValueError for a value the field refuses; ``column_fits()``
    is a cheap test of a whole column: True when every value passes, False
    when some may not (the caller then checks value by value)."""

    __slots__ = ("field",)

    def __init__(self, field):
        self.field = field

    def naming(self, field):
        """This check, with its errors naming ``field``."""
        renamed = copy.copy(self)
        renamed.field = field
        return renamed

    def refuse(self, value, reason, code):
        raise FieldValueError(self.field, value, reason, code)


class LengthGuard(Guard):
    """Text no longer than ``limit`` characters."""

    __slots__ = ("limit",)

    def __init__(self, field, limit):
        super().__init__(field)
        self.limit = limit

    def value(self, value):
        if len(value) > self.limit:
            self.refuse(value, "is longer than max_length=%d" % self.limit, "max_length")

    def column_fits(self, values):
        return max(map(len, values), default=0) <= self.limit


class RangeGuard(Guard):
    """Integers from ``low`` to ``high``, the range of the field's type."""

    __slots__ = ("low", "high", "kind")

    def __init__(self, field, low, high, kind):
        super().__init__(field)
        self.low, self.high, self.kind = low, high, kind

    def value(self, value):
        if not self.low <= value <= self.high:
            self.refuse(
                value,
                "is out of range for %s (%d to %d)" % (self.kind, self.low, self.high),
                "range",
            )

    def column_fits(self, values):
        return self.low <= min(values, default=self.low) and max(values, default=self.high) <= self.high


class FloatGuard(Guard):
    """Floats the database keeps as they are: NaN and the infinities only
    where it stores them (``where`` names the database in messages)."""

    __slots__ = ("nan_ok", "infinity_ok", "where")

    def __init__(self, field, nan_ok, infinity_ok, where):
        super().__init__(field)
        self.nan_ok, self.infinity_ok, self.where = nan_ok, infinity_ok, where

    def value(self, value):
        # x - x is 0.0 for every finite float, NaN for NaN and infinities.
        if value - value == 0.0:
            return
        if not (self.nan_ok if value != value else self.infinity_ok):
            self.refuse(value, "is not a number %s can store" % self.where, "not_finite")

    def column_fits(self, values):
        # A NaN or an infinity anywhere makes the sum NaN or infinite; a
        # sum that overflows only sends the column down the exact path.
        total = sum(values)
        return total - total == 0.0
