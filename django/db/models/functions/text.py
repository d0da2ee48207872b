"""Text functions: Lower, Upper, Length, Concat, Replace."""
from django.db.models.expressions import Func, Value
from django.db.models.lookups import Transform

from .comparison import Coalesce, _refuse_fewer_than_two
from .mixins import _fields


def _transform(class_name, sql_function, doc):
    """A one-argument SQL function, also usable as ``field__<name>``."""
    namespace = {
        "function": sql_function,
        "lookup_name": sql_function.lower(),
        "__doc__": doc,
        "__module__": __name__,
        "__qualname__": class_name,
    }
    return type(class_name, (Transform,), namespace)


Lower = _transform("Lower", "LOWER", "The text in lower case.")
Upper = _transform("Upper", "UPPER", "The text in upper case.")


class Length(Transform):
    """The number of characters in the expression."""

    function = "LENGTH"
    lookup_name = "length"

    def __init__(self, expression, **extra):
        super().__init__(expression, output_field=_fields().IntegerField(), **extra)

    def as_mysql(self, compiler, connection, **extra_context):
        # MySQL's LENGTH() counts bytes; characters are what we mean.
        extra_context["function"] = "CHAR_LENGTH"
        return self.as_sql(compiler, connection, **extra_context)


class _Text(Func):
    # PostgreSQL's CONCAT() takes "any": cast so parameters get a type.
    template = "(%(expressions)s)::text"
    arity = 1


class ConcatPair(Func):
    """Concatenate two arguments; NULL counts as the empty string everywhere."""

    function = "CONCAT"

    def _with_arguments_wrapped(self, wrapper):
        clone = self.copy()
        clone.set_source_expressions([wrapper(argument) for argument in clone.get_source_expressions()])
        return clone

    def coalesce(self):
        """A copy whose arguments read '' instead of NULL (for the ``||``
        operator, which propagates NULL)."""
        return self._with_arguments_wrapped(lambda argument: Coalesce(argument, Value("")))

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite has no CONCAT(); use "a || b" over NULL-safe operands.
        return Func.as_sql(
            self.coalesce(), compiler, connection,
            template="%(expressions)s", arg_joiner=" || ", **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        # CONCAT() skips NULLs there already; only the types need help.
        return Func.as_sql(self._with_arguments_wrapped(_Text), compiler, connection, **extra_context)

    def as_mysql(self, compiler, connection, **extra_context):
        # CONCAT() is NULL as soon as one argument is; CONCAT_WS() with an
        # empty separator skips NULLs instead.
        extra_context.update(function="CONCAT_WS", template="%(function)s('', %(expressions)s)")
        return self.as_sql(compiler, connection, **extra_context)


class Concat(Func):
    """
    Concatenate text fields and values. Nested pairs are used so every
    database treats NULL as the empty string.
    """

    function = None
    template = "%(expressions)s"

    def __init__(self, *expressions, **extra):
        _refuse_fewer_than_two(self, expressions)
        super().__init__(self._in_pairs(expressions, output_field=extra.get("output_field")), **extra)

    def _in_pairs(self, expressions, output_field):
        """[a, b, c] -> ConcatPair(a, ConcatPair(b, c)), built from the right."""
        *leading, combined = expressions
        for expression in reversed(leading):
            combined = ConcatPair(expression, combined, output_field=output_field)
        return combined


class Replace(Func):
    """Every occurrence of ``text`` in ``expression`` replaced (by default,
    removed)."""

    function = "REPLACE"

    def __init__(self, expression, text, replacement=Value(""), **extra):
        super().__init__(expression, text, replacement, **extra)
