"""Numeric functions."""
from django.db.models.expressions import Func

from .mixins import NumericOutputFieldMixin, _fields


class Abs(Func):
    function = "ABS"
    arity = 1


class Mod(NumericOutputFieldMixin, Func):
    function = "MOD"
    arity = 2

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" %% ",
            **extra_context,
        )


class Random(Func):
    function = "RANDOM"
    arity = 0

    def __init__(self):
        super().__init__(output_field=_fields().FloatField())

    def as_mysql(self, compiler, connection, **extra_context):
        extra_context["function"] = "RAND"  # MySQL's spelling
        return self.as_sql(compiler, connection, **extra_context)

    def get_group_by_cols(self):
        # A fresh value per row: grouping by it would split every group.
        return []


class Round(Func):
    function = "ROUND"
    arity = 1
