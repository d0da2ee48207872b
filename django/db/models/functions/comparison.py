"""Cast, Coalesce, Greatest, Least, NullIf."""
from django.db.models.expressions import Func, Value  # noqa: F401

from .mixins import _fields  # noqa: F401


def _refuse_fewer_than_two(function, expressions):
    # COALESCE, GREATEST, CONCAT... of a single argument is that argument:
    # asking for it is a mistake in the calling code.
    if len(expressions) < 2:
        raise ValueError("%s must take at least two expressions" % type(function).__name__)


class _AtLeastTwoArguments(Func):
    """A variadic SQL function that is meaningless with a single argument."""

    def __init__(self, *expressions, **extra):
        _refuse_fewer_than_two(self, expressions)
        super().__init__(*expressions, **extra)


class Cast(Func):
    """Coerce an expression to a new field type: ``CAST(x AS type)``."""

    function = "CAST"
    template = "%(function)s(%(expressions)s AS %(db_type)s)"

    def __init__(self, expression, output_field):
        super().__init__(expression, output_field=output_field)

    def as_sql(self, compiler, connection, **extra_context):
        # The target type is spelled the way this backend's CAST wants it.
        extra_context["db_type"] = self.output_field.cast_db_type(connection)
        return super().as_sql(compiler, connection, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # PostgreSQL's "::type" binds to the parenthesised operand and reads
        # better when the result is used in further operators.
        extra_context.setdefault("template", "(%(expressions)s)::%(db_type)s")
        return self.as_sql(compiler, connection, **extra_context)


class Coalesce(_AtLeastTwoArguments):
    """Return the first non-null value of its arguments."""

    function = "COALESCE"

    @property
    def empty_result_set_value(self):
        # Over an empty result the arguments' own fallbacks apply, in order;
        # NotImplemented ("cannot tell") stops the search as well.
        for argument in self.get_source_expressions():
            fallback = argument.empty_result_set_value
            if fallback is not None:
                return fallback
        return None


class _ExtremeOf(_AtLeastTwoArguments):
    """GREATEST/LEAST. SQLite has no such functions, but its scalar
    MAX()/MIN() with several arguments behave the same way."""

    sqlite_function = None

    def as_sqlite(self, compiler, connection, **extra_context):
        extra_context["function"] = self.sqlite_function
        return super().as_sqlite(compiler, connection, **extra_context)


class Greatest(_ExtremeOf):
    """The largest of the arguments (NULL if any is NULL on most databases)."""

    function = "GREATEST"
    sqlite_function = "MAX"


class Least(_ExtremeOf):
    """The smallest of the arguments."""

    function = "LEAST"
    sqlite_function = "MIN"


class NullIf(Func):
    function = "NULLIF"
    arity = 2
