"""Text functions: Lower, Upper, Length, Concat, Replace."""
from django.db.models.expressions import Func, Value
from django.db.models.lookups import Transform

from .comparison import Coalesce
from .mixins import _fields


class Lower(Transform):
    function = "LOWER"
    lookup_name = "lower"


class Upper(Transform):
    function = "UPPER"
    lookup_name = "upper"


class Length(Transform):
    """The number of characters in the expression."""

    function = "LENGTH"
    lookup_name = "length"

    def __init__(self, expression, **extra):
        super().__init__(expression, output_field=_fields().IntegerField(), **extra)

    def as_mysql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, function="CHAR_LENGTH", **extra_context
        )


class ConcatPair(Func):
    """Concatenate two arguments; NULL counts as the empty string everywhere."""

    function = "CONCAT"

    def as_sqlite(self, compiler, connection, **extra_context):
        coalesced = self.coalesce()
        return super(ConcatPair, coalesced).as_sql(
            compiler,
            connection,
            template="%(expressions)s",
            arg_joiner=" || ",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        copy = self.copy()
        copy.set_source_expressions(
            [
                _Text(expression)
                for expression in copy.get_source_expressions()
            ]
        )
        return super(ConcatPair, copy).as_sql(compiler, connection, **extra_context)

    def as_mysql(self, compiler, connection, **extra_context):
        # Use CONCAT_WS with an empty separator so that NULLs are ignored.
        return super().as_sql(
            compiler,
            connection,
            function="CONCAT_WS",
            template="%(function)s('', %(expressions)s)",
            **extra_context,
        )

    def coalesce(self):
        # null on either side results in null for expression, wrap with coalesce
        c = self.copy()
        c.set_source_expressions(
            [
                Coalesce(expression, Value(""))
                for expression in c.get_source_expressions()
            ]
        )
        return c


class _Text(Func):
    # PostgreSQL's CONCAT() takes "any": cast so parameters get a type.
    template = "(%(expressions)s)::text"
    arity = 1


class Concat(Func):
    """
    Concatenate text fields and values. Nested pairs are used so every
    database treats NULL as the empty string.
    """

    function = None
    template = "%(expressions)s"

    def __init__(self, *expressions, **extra):
        if len(expressions) < 2:
            raise ValueError("Concat must take at least two expressions")
        paired = self._paired(expressions, output_field=extra.get("output_field"))
        super().__init__(paired, **extra)

    def _paired(self, expressions, output_field):
        # wrap pairs of expressions in successive concat functions
        # exp = [a, b, c, d]
        # -> ConcatPair(a, ConcatPair(b, ConcatPair(c, d))))
        if len(expressions) == 2:
            return ConcatPair(*expressions, output_field=output_field)
        return ConcatPair(
            expressions[0],
            self._paired(expressions[1:], output_field=output_field),
            output_field=output_field,
        )


class Replace(Func):
    function = "REPLACE"

    def __init__(self, expression, text, replacement=Value(""), **extra):
        super().__init__(expression, text, replacement, **extra)
