"""
Query expressions: the SQL building blocks shared by filters, annotations,
ordering and updates (F, Value, Func, Case/When, Subquery, ...).

Every expression follows one protocol:

* ``resolve_expression(query, allow_joins, reuse, summarize, for_save)``
  returns a copy bound to ``query`` (field names turned into columns);
* ``as_sql(compiler, connection)`` returns ``(sql, params)``; values are always
  parameters, identifiers always go through ``connection.ops.quote_name``;
* ``output_field`` is the model field describing the result.
"""
import copy
import datetime
import decimal
import functools
import operator
import uuid

from django.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from django.db.models.query_utils import LOOKUP_SEP, Q
from django.utils.hashable import make_hashable


def _fields():
    # Imported lazily: the fields module imports query_utils, which is
    # imported by this module while django.db.models is still loading.
    from django.db.models import fields

    return fields


def _decimal_field():
    # A DecimalField describing a computed value. The model layer insists on
    # explicit precision, so give the widest one every backend accepts.
    f = _fields()
    try:
        return f.DecimalField()
    except TypeError:
        return f.DecimalField(max_digits=65, decimal_places=30)


def _internal_type_or_none(expression):
    """The output field's internal type, or None while it cannot be known."""
    try:
        return expression.output_field.get_internal_type()
    except FieldError:
        return None


class SQLiteNumericMixin:
    """SQLite stores decimals as REAL; cast so arithmetic stays exact."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)
        if _internal_type_or_none(self) == "DecimalField":
            return "CAST(%s AS NUMERIC)" % sql, params
        return sql, params


_BITWISE_HINT = "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."


def _arithmetic(connector_name, reflected=False):
    """Build an operator method combining ``self`` and ``other`` with a connector.

    The connector is looked up on the instance at call time so subclasses
    may spell an operator differently.
    """

    def method(self, other):
        return self._combined_with(other, getattr(self, connector_name), reflected)

    method.__name__ = "_%s_%s" % ("r" if reflected else "", connector_name.lower())
    return method


def _logical(combine_q):
    """``&``, ``|`` and ``^`` only make sense between two boolean expressions;
    they then build the same condition a Q object would."""

    def method(self, other):
        both_boolean = getattr(self, "conditional", False) and getattr(
            other, "conditional", False
        )
        if not both_boolean:
            raise NotImplementedError(_BITWISE_HINT)
        return combine_q(Q(self), Q(other))

    return method


def _reflected_logical(self, other):
    # ``True & F(...)`` etc.: the left operand is never an expression here.
    raise NotImplementedError(_BITWISE_HINT)


class Combinable:
    """Python operators for expressions and F(): each builds a CombinedExpression."""

    # Connector spellings, passed to ops.combine_expression(). The modulo
    # sign is doubled because the final SQL goes through the driver's
    # "%s" parameter formatting.
    ADD, SUB, MUL, DIV, POW, MOD = "+", "-", "*", "/", "^", "%%"
    BITAND, BITOR, BITXOR = "&", "|", "#"
    BITLEFTSHIFT, BITRIGHTSHIFT = "<<", ">>"

    def _combined_with(self, other, connector, reversed):
        operand = other if hasattr(other, "resolve_expression") else Value(other)
        left, right = (operand, self) if reversed else (self, operand)
        return CombinedExpression(left, connector, right)

    def __neg__(self):
        return self._combined_with(-1, self.MUL, False)

    __add__, __radd__ = _arithmetic("ADD"), _arithmetic("ADD", True)
    __sub__, __rsub__ = _arithmetic("SUB"), _arithmetic("SUB", True)
    __mul__, __rmul__ = _arithmetic("MUL"), _arithmetic("MUL", True)
    __truediv__, __rtruediv__ = _arithmetic("DIV"), _arithmetic("DIV", True)
    __mod__, __rmod__ = _arithmetic("MOD"), _arithmetic("MOD", True)
    __pow__, __rpow__ = _arithmetic("POW"), _arithmetic("POW", True)

    # Python's &, | and ^ are reserved for boolean logic (like Q objects);
    # bitwise arithmetic has named methods instead.
    __and__ = _logical(operator.and_)
    __or__ = _logical(operator.or_)
    __xor__ = _logical(operator.xor)
    __rand__ = __ror__ = __rxor__ = _reflected_logical

    bitand = _arithmetic("BITAND")
    bitor = _arithmetic("BITOR")
    bitxor = _arithmetic("BITXOR")
    bitleftshift = _arithmetic("BITLEFTSHIFT")
    bitrightshift = _arithmetic("BITRIGHTSHIFT")


def _to_decimal(value):
    # Through str(): a float from the driver would otherwise carry binary noise.
    return decimal.Decimal(str(value))


def _python_coercion(internal_type):
    """The Python type a computed value of ``internal_type`` must end up as.

    Drivers return arithmetic results in whatever type the database chose
    (SQLite gives floats for decimal sums, MySQL gives Decimals for integer
    sums...). None means "leave the value alone".
    """
    if internal_type is None:
        return None
    if internal_type == "FloatField":
        return float
    if internal_type == "DecimalField":
        return _to_decimal
    if internal_type == "AutoField" or internal_type.endswith("IntegerField"):
        return int
    return None


class BaseExpression:
    """The protocol every expression implements.

    Subclasses describe their operands through get_source_expressions() /
    set_source_expressions(); most generic behaviour here (resolving,
    relabelling, aggregate detection, GROUP BY columns) is a walk over them.
    An expression whose operands are attributes of fixed names only lists
    those names in ``operands``; both methods then follow from it.
    """

    # What the expression evaluates to over no rows (e.g. 0 for COUNT), used
    # when an operand compiles to "matches nothing"; NotImplemented = unknown.
    empty_result_set_value = NotImplemented
    # True for expressions computed over the whole result (aggregate()).
    is_summary = False
    # False forbids using the expression in filter() (window functions).
    filterable = True
    window_compatible = False
    # Whether a model field's db_default may be this expression.
    allowed_default = False
    # Names of the attributes holding the operands, in order (see above).
    operands = ()

    def __init__(self, output_field=None):
        # Only an explicit type is stored; otherwise the output_field cached
        # property infers one from the operands on first use.
        if output_field is not None:
            self.output_field = output_field

    def __getstate__(self):
        # convert_value may be a function cached on the instance: not picklable.
        return {name: value for name, value in vars(self).items() if name != "convert_value"}

    # -- operands ----------------------------------------------------------

    def get_source_expressions(self):
        return [getattr(self, name) for name in self.operands]

    def set_source_expressions(self, exprs):
        if len(exprs) != len(self.operands):
            raise ValueError(
                "%s takes %d source expression(s), not %d."
                % (type(self).__name__, len(self.operands), len(exprs))
            )
        for name, expr in zip(self.operands, exprs):
            setattr(self, name, expr)

    def _present_sources(self):
        return [expr for expr in self.get_source_expressions() if expr is not None]

    def _with_sources_mapped(self, transform):
        """A copy whose operands are ``transform(operand)`` (None stays None)."""
        copied = self.copy()
        copied.set_source_expressions(
            [
                None if expr is None else transform(expr)
                for expr in copied.get_source_expressions()
            ]
        )
        return copied

    def _to_expressions(self, *expressions):
        """Accept plain arguments: strings name fields, anything else is a value."""

        def as_expression(arg):
            if hasattr(arg, "resolve_expression"):
                return arg
            return F(arg) if isinstance(arg, str) else Value(arg)

        return [as_expression(arg) for arg in expressions]

    @property
    def contains_aggregate(self):
        return any(expr.contains_aggregate for expr in self._present_sources())

    @property
    def contains_over_clause(self):
        return any(expr.contains_over_clause for expr in self._present_sources())

    @property
    def contains_column_references(self):
        return any(expr.contains_column_references for expr in self._present_sources())

    def get_source_fields(self):
        return [expr._output_field_if_known for expr in self.get_source_expressions()]

    # -- compilation -------------------------------------------------------

    def as_sql(self, compiler, connection):
        raise NotImplementedError("%s must implement as_sql()." % type(self).__name__)

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        # for_save is deliberately not passed on: only the top-level value of
        # an UPDATE/INSERT is prepared for saving, not its operands.
        resolved = self._with_sources_mapped(
            lambda expr: expr.resolve_expression(query, allow_joins, reuse, summarize)
        )
        resolved.is_summary = summarize
        return resolved

    def select_format(self, compiler, sql, params):
        field = self._output_field_if_known
        if hasattr(field, "select_format"):
            return field.select_format(compiler, sql, params)
        return sql, params

    # -- output type -------------------------------------------------------

    @property
    def conditional(self):
        try:
            field = self.output_field
        except FieldError:
            return False
        return isinstance(field, _fields().BooleanField)

    @property
    def field(self):
        return self.output_field

    @functools.cached_property
    def output_field(self):
        inferred = self._output_field_if_known
        if inferred is None:
            raise FieldError(
                "Cannot resolve expression type of %r, unknown output_field. "
                "You must set output_field." % self
            )
        return inferred

    @functools.cached_property
    def _output_field_if_known(self):
        """output_field, or None when no operand has a known type.

        A real conflict (mixed types) still raises. When the type is neither
        given to the constructor nor fixed by the class, the inference
        itself answers; output_field is then built on this.
        """
        if "output_field" in vars(self) or _fixed_output_field(type(self)):
            return self.output_field
        return self._resolve_output_field()

    def _resolve_output_field(self):
        """Infer the type from the operands, which must all agree.

        The first known operand type wins when every other one is an
        instance of its class (e.g. a subclass of it).
        """
        known = [field for field in self.get_source_fields() if field is not None]
        if not known:
            return None
        first = known[0]
        mismatch = next(
            (field for field in known[1:] if not isinstance(first, type(field))), None
        )
        if mismatch is not None:
            raise FieldError(
                "Expression contains mixed types: %s, %s. You must set output_field."
                % (type(first).__name__, type(mismatch).__name__)
            )
        return first

    # -- values coming back from the database --------------------------------

    @staticmethod
    def _unconverted(value, expression, connection):
        return value

    @functools.cached_property
    def convert_value(self):
        """Coerce what the driver returned to the output field's Python type."""
        coerce = _python_coercion(_internal_type_or_none(self))
        if coerce is None:
            return self._unconverted

        def convert(value, expression, connection):
            return value if value is None else coerce(value)

        return convert

    def get_db_converters(self, connection):
        own = [] if self.convert_value is self._unconverted else [self.convert_value]
        return own + self.output_field.get_db_converters(connection)

    def get_lookup(self, lookup):
        return self.output_field.get_lookup(lookup)

    def get_transform(self, name):
        return self.output_field.get_transform(name)

    # -- copies and traversal ----------------------------------------------

    def copy(self):
        return copy.copy(self)

    def relabeled_clone(self, change_map):
        return self._with_sources_mapped(lambda expr: expr.relabeled_clone(change_map))

    def replace_expressions(self, replacements):
        replacement = replacements.get(self)
        if replacement:
            return replacement
        return self._with_sources_mapped(
            lambda expr: expr.replace_expressions(replacements)
        )

    def get_refs(self):
        return set().union(*(expr.get_refs() for expr in self._present_sources()))

    def get_group_by_cols(self):
        # Without an aggregate inside, the expression groups as a whole;
        # otherwise only its non-aggregate operands can be grouped by.
        if not self.contains_aggregate:
            return [self]
        return [
            col for expr in self._present_sources() for col in expr.get_group_by_cols()
        ]

    def flatten(self):
        """This expression followed by every expression nested in it."""
        yield self
        for expr in self._present_sources():
            yield from expr.flatten() if hasattr(expr, "flatten") else (expr,)

    # -- ordering ------------------------------------------------------------

    # ``F("x").desc(nulls_last=True)``: an OrderBy over this expression.
    asc = functools.partialmethod(lambda self, **options: OrderBy(self, **options))
    desc = functools.partialmethod(
        lambda self, **options: OrderBy(self, **options), descending=True
    )

    def reverse_ordering(self):
        return self


def _fixed_output_field(expression_class):
    """Whether the class sets output_field itself (a field, or a property of its own)."""
    return expression_class.output_field is not BaseExpression.__dict__["output_field"]


def _unchanged(self, *args, **kwargs):
    """For expressions that resolving or relabelling leaves as they are."""
    return self


def _grouped_as_itself(self):
    """For expressions that are a GROUP BY term of their own."""
    return [self]


def _identity_part(value):
    """A hashable stand-in for one constructor argument of an expression."""
    is_model_field = hasattr(value, "model") and hasattr(value, "attname")
    if is_model_field:
        # Field instances compare by creation order; two equal expressions
        # must instead name the same field of the same model.
        return (type(value), getattr(value, "model", None), value.name)
    try:
        return make_hashable(value)
    except TypeError:
        # Unhashable and not convertible: only the very same object matches.
        return id(value)


class Expression(BaseExpression, Combinable):
    """A combinable expression whose equality is defined by how it was built."""

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        # Recorded before __init__ can normalise anything, so that
        # Lower("name") == Lower("name") and both hash alike (the compiler
        # relies on that to de-duplicate GROUP BY and ORDER BY terms).
        instance._built_with = (args, kwargs)
        return instance

    @property
    def identity(self):
        args, kwargs = getattr(self, "_built_with", ((), {}))
        positional = tuple(_identity_part(arg) for arg in args)
        keywords = tuple(
            (name, _identity_part(kwargs[name])) for name in sorted(kwargs)
        )
        return (type(self),) + positional + keywords

    def __eq__(self, other):
        if isinstance(other, Expression):
            return self.identity == other.identity
        return NotImplemented

    def __hash__(self):
        return hash(self.identity)


def _type_family(internal_type):
    # Every integer flavour (Small/Big/Positive..., auto keys) computes alike.
    if internal_type.endswith(("IntegerField", "AutoField")):
        return "IntegerField"
    return internal_type


_NUMERIC_FAMILIES = frozenset({"IntegerField", "FloatField", "DecimalField"})
_TEMPORAL_FAMILIES = frozenset({"DateField", "DateTimeField", "TimeField"})


def _numeric_result_field(families):
    """The widest type among numeric operands: float > decimal > integer."""
    f = _fields()
    if "FloatField" in families:
        return f.FloatField()
    if "DecimalField" in families:
        return _decimal_field()
    return f.IntegerField()


class CombinedExpression(SQLiteNumericMixin, Expression):
    """``lhs <connector> rhs``, e.g. ``F('views') + 1``."""

    operands = ("lhs", "rhs")

    def __init__(self, lhs, connector, rhs, output_field=None):
        super().__init__(output_field=output_field)
        self.lhs, self.connector, self.rhs = lhs, connector, rhs

    def __str__(self):
        return "%s %s %s" % (self.lhs, self.connector, self.rhs)

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, self)

    def _resolve_output_field(self):
        left = self.lhs._output_field_if_known
        right = self.rhs._output_field_if_known
        if left is None or right is None:
            # One side untyped (e.g. NULL): the other decides.
            return right if left is None else left
        # Same kind of field: keep the more specific of the two.
        if isinstance(left, type(right)):
            return left
        if isinstance(right, type(left)):
            return right
        left_family = _type_family(left.get_internal_type())
        right_family = _type_family(right.get_internal_type())
        families = {left_family, right_family}
        if families <= _NUMERIC_FAMILIES:
            return _numeric_result_field(families)
        shifts_in_time = self.connector in (self.ADD, self.SUB)
        if shifts_in_time and "DurationField" in families:
            # date/time +- interval keeps the date/time type.
            (other,) = families - {"DurationField"} or {"DurationField"}
            if other in _TEMPORAL_FAMILIES:
                return left if left_family == other else right
        if (
            self.connector == self.SUB
            and left_family == right_family
            and left_family in ("DateField", "DateTimeField")
        ):
            return _fields().DurationField()
        raise FieldError(
            "Cannot infer type of %r expression involving these types: %s, %s. "
            "You must set output_field."
            % (self.connector, type(left).__name__, type(right).__name__)
        )

    def as_sql(self, compiler, connection):
        compiled = [compiler.compile(side) for side in (self.lhs, self.rhs)]
        operands = [sql for sql, _ in compiled]
        params = [param for _, side_params in compiled for param in side_params]
        # The backend spells some operators itself (e.g. ^ as POWER()).
        combined = connection.ops.combine_expression(self.connector, operands)
        return "(%s)" % combined, params

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        resolved = self.copy()
        resolved.is_summary = summarize
        resolved.lhs, resolved.rhs = (
            side.resolve_expression(query, allow_joins, reuse, summarize, for_save)
            for side in (self.lhs, self.rhs)
        )
        return resolved


class F(Combinable):
    """A reference to a model field (or an annotation) by name."""

    allowed_default = False

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, self.name)

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        # The query knows the joins and annotations a name can refer to.
        return query.resolve_ref(self.name, allow_joins, reuse, summarize)

    def replace_expressions(self, replacements):
        return replacements.get(self, self)

    asc = BaseExpression.asc
    desc = BaseExpression.desc

    def __eq__(self, other):
        return type(other) is type(self) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    copy = BaseExpression.copy


class ResolvedOuterRef(F):
    """
    An OuterRef inside a subquery that is not yet bound to the outer query;
    it becomes a column of the outer query when the subquery is resolved.
    """

    contains_aggregate = contains_over_clause = False

    def as_sql(self, *args, **kwargs):
        # Reaching the compiler unresolved means the queryset holding the
        # reference was executed on its own instead of inside Subquery().
        raise ValueError(
            "This queryset contains a reference to an outer query and may "
            "only be used in a subquery."
        )

    def resolve_expression(self, *args, **kwargs):
        column = super().resolve_expression(*args, **kwargs)
        if getattr(column, "contains_over_clause", False):
            raise FieldError(
                "Referencing outer query window expression is not supported: "
                "%s." % self.name
            )
        # A path through relations may match several outer rows.
        column.possibly_multivalued = LOOKUP_SEP in self.name
        return column

    relabeled_clone = _unchanged

    def get_group_by_cols(self):
        # A constant from the subquery's point of view.
        return []

    def get_refs(self):
        return set()

    def flatten(self):
        yield self


class OuterRef(F):
    """A reference to a field of the query a Subquery is used in."""

    contains_aggregate = contains_over_clause = False

    def resolve_expression(self, *args, **kwargs):
        # OuterRef(OuterRef("x")) reaches two levels out: peel one level per
        # resolution.
        if isinstance(self.name, type(self)):
            return self.name
        return ResolvedOuterRef(self.name)

    relabeled_clone = _unchanged


def _compile_argument(compiler, arg):
    """Compile one function argument, replacing "matches nothing/everything".

    An argument such as an empty subquery may know the value it stands for
    (``empty_result_set_value``); then the call can still be rendered.
    """
    try:
        return compiler.compile(arg)
    except EmptyResultSet:
        stand_in = getattr(arg, "empty_result_set_value", NotImplemented)
        if stand_in is NotImplemented:
            raise
        return compiler.compile(Value(stand_in))
    except FullResultSet:
        return compiler.compile(Value(True))


def _check_arity(function_class, given):
    """TypeError unless a function with a fixed ``arity`` got that many arguments."""
    expected = function_class.arity
    if expected is not None and given != expected:
        raise TypeError(
            "'%s' takes exactly %s %s (%s given)"
            % (function_class.__name__, expected, "argument" if expected == 1 else "arguments", given)
        )


class Func(SQLiteNumericMixin, Expression):
    """An SQL function call: ``FUNCTION(arg, arg, ...)``.

    Subclasses usually only set ``function`` (and maybe ``template``,
    ``arg_joiner`` or ``arity``); keyword arguments given to the constructor
    become extra template placeholders.
    """

    function = None
    template = "%(function)s(%(expressions)s)"
    arg_joiner = ", "
    arity = None

    def __init__(self, *expressions, output_field=None, **extra):
        _check_arity(type(self), len(expressions))
        super().__init__(output_field=output_field)
        self.source_expressions = self._to_expressions(*expressions)
        self.extra = extra

    def _repr_keywords(self):
        """Extra ``name=value`` pairs subclasses want shown by repr()."""
        return {}

    def __repr__(self):
        shown = [self.arg_joiner.join(map(str, self.source_expressions))]
        options = {**self.extra, **self._repr_keywords()}
        shown.extend("%s=%s" % (key, options[key]) for key in sorted(options))
        return "%s(%s)" % (type(self).__name__, ", ".join(shown))

    def get_source_expressions(self):
        return self.source_expressions

    def set_source_expressions(self, exprs):
        self.source_expressions = list(exprs)

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        resolved = self.copy()
        resolved.is_summary = summarize
        resolved.source_expressions = [
            arg.resolve_expression(query, allow_joins, reuse, summarize, for_save)
            for arg in resolved.source_expressions
        ]
        return resolved

    def as_sql(
        self,
        compiler,
        connection,
        function=None,
        template=None,
        arg_joiner=None,
        **extra_context,
    ):
        compiled = [_compile_argument(compiler, arg) for arg in self.source_expressions]
        # Precedence, lowest first: class attributes, constructor keywords,
        # as_sql() keywords (vendor overrides pass those).
        context = {"function": self.function, **self.extra, **extra_context}
        if function is not None:
            context["function"] = function
        joiner = arg_joiner or context.get("arg_joiner", self.arg_joiner)
        # "field" is an older name for the argument list some templates use.
        context["expressions"] = context["field"] = joiner.join(
            sql for sql, _ in compiled
        )
        template = template or context.get("template", self.template)
        params = [param for _, arg_params in compiled for param in arg_params]
        return template % context, params

    def copy(self):
        copied = super().copy()
        # Own containers, so resolving/relabelling the copy leaves us intact.
        copied.source_expressions = list(self.source_expressions)
        copied.extra = dict(self.extra)
        return copied


def _value_field_name(value):
    """Name of the model field class matching a Python value's type, or None.

    Order matters: bool is an int and datetime is a date.
    """
    for python_type, field_name in (
        (str, "CharField"),
        (bool, "BooleanField"),
        (int, "IntegerField"),
        (float, "FloatField"),
        (datetime.datetime, "DateTimeField"),
        (datetime.date, "DateField"),
        (datetime.time, "TimeField"),
        (datetime.timedelta, "DurationField"),
        (decimal.Decimal, "DecimalField"),
        (bytes, "BinaryField"),
        (uuid.UUID, "UUIDField"),
    ):
        if isinstance(value, python_type):
            return field_name
    return None


class Value(SQLiteNumericMixin, Expression):
    """A literal value, always passed to the database as a parameter."""

    # True when the value is being written (UPDATE/INSERT): it is then
    # prepared with get_db_prep_save() like a model attribute.
    for_save = False
    allowed_default = True

    def __init__(self, value, output_field=None):
        super().__init__(output_field=output_field)
        self.value = value

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, self.value)

    def _prepared_value(self, field, connection):
        """The value as the database takes it: prepared by the field, if one is known."""
        if field is None:
            return self.value
        prepare = field.get_db_prep_save if self.for_save else field.get_db_prep_value
        return prepare(self.value, connection=connection)

    def as_sql(self, compiler, connection):
        field = self._output_field_if_known
        value = self._prepared_value(field, connection)
        placeholder = getattr(field, "get_placeholder", None)
        if placeholder is not None:
            return placeholder(value, compiler, connection), [value]
        # Some databases cannot type a bare NULL parameter (in SELECT, for
        # instance), so the keyword is written instead.
        return ("%s", [value]) if value is not None else ("NULL", [])

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        # A value has no operands: resolving only records how it will be used.
        resolved = self.copy()
        resolved.is_summary, resolved.for_save = summarize, for_save
        return resolved

    def get_group_by_cols(self):
        # A constant never splits groups.
        return []

    def _resolve_output_field(self):
        name = _value_field_name(self.value)
        if name is None:
            return None
        if name == "DecimalField":
            return _decimal_field()
        field_class = getattr(_fields(), name, None)
        return field_class() if field_class is not None else None

    @property
    def empty_result_set_value(self):
        return self.value


class RawSQL(Expression):
    """Literal SQL written by the programmer (never by an end user)."""

    allowed_default = True

    def __init__(self, sql, params, output_field=None):
        # Untyped raw SQL still needs a field for converters and lookups.
        if output_field is None:
            output_field = _fields().Field()
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, params

    def __repr__(self):
        return "%s(%s, %s)" % (type(self).__name__, self.sql, self.params)

    def as_sql(self, compiler, connection):
        # Parenthesised: the fragment may be a whole sub-select or an operator
        # expression that must not bind to its neighbours.
        return "(%s)" % self.sql, list(self.params)

    get_group_by_cols = _grouped_as_itself


class Star(Expression):
    """The ``*`` of ``COUNT(*)``."""

    def __repr__(self):
        return "'*'"

    def as_sql(self, compiler, connection):
        return "*", []


class Col(Expression):
    """A column of a table alias: ``"alias"."column"``."""

    contains_column_references = True
    # Set by the query when the column comes through a multi-valued relation.
    possibly_multivalued = False

    def __init__(self, alias, target, output_field=None):
        super().__init__(output_field=target if output_field is None else output_field)
        self.alias, self.target = alias, target

    def __repr__(self):
        parts = [str(self.target)]
        if self.alias:
            parts.insert(0, self.alias)
        return "%s(%s)" % (type(self).__name__, ", ".join(parts))

    @property
    def identity(self):
        return (type(self), self.alias, _identity_part(self.target))

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False,
                           for_save=False):
        # A column has no operands to resolve: a copy would only differ in
        # its summary flag.
        if summarize == self.is_summary:
            return self
        return super().resolve_expression(query, allow_joins, reuse, summarize, for_save)

    def as_sql(self, compiler, connection):
        quote = connection.ops.quote_name
        column = quote(self.target.column)
        if self.alias is None:
            return column, []
        return "%s.%s" % (quote(self.alias), column), []

    def relabeled_clone(self, relabels):
        new_alias = relabels.get(self.alias, self.alias)
        if new_alias == self.alias:
            return self
        return type(self)(new_alias, self.target, self.output_field)

    get_group_by_cols = _grouped_as_itself

    def get_db_converters(self, connection):
        converters = self.output_field.get_db_converters(connection)
        # A column read as another type (e.g. a foreign key's target) needs
        # both fields' conversions.
        if self.target != self.output_field:
            converters = converters + self.target.get_db_converters(connection)
        return converters

    @property
    def convert_value(self):
        # A column already has its field's converters; no numeric coercion.
        return self._unconverted


class Ref(Expression):
    """A reference to an expression selected under an alias (an annotation).

    The source was resolved when it became an annotation, and the alias is a
    SELECT alias, which relabelling tables never touches: a Ref stays as it is.
    """

    operands = ("source",)
    resolve_expression = relabeled_clone = _unchanged
    get_group_by_cols = _grouped_as_itself

    def __init__(self, refs, source):
        super().__init__()
        self.refs, self.source = refs, source

    def __repr__(self):
        return "%s(%s, %s)" % (type(self).__name__, self.refs, self.source)

    @property
    def identity(self):
        return (type(self), self.refs)

    def get_refs(self):
        return {self.refs}

    def as_sql(self, compiler, connection):
        return connection.ops.quote_name(self.refs), []

    def _resolve_output_field(self):
        return self.source.output_field

    @property
    def convert_value(self):
        return self._unconverted

    def get_db_converters(self, connection):
        return self.source.get_db_converters(connection)


class ExpressionList(Func):
    """Expressions separated by commas, e.g. a GROUP BY list."""

    template = "%(expressions)s"

    def __init__(self, *expressions, **extra):
        if not expressions:
            raise ValueError(
                "%s requires at least one expression." % type(self).__name__
            )
        super().__init__(*expressions, **extra)

    def __str__(self):
        return self.arg_joiner.join(map(str, self.source_expressions))


class ExpressionWrapper(SQLiteNumericMixin, Expression):
    """Wrap an expression to give it an output_field (e.g. mixed arithmetic)."""

    operands = ("expression",)

    def __init__(self, expression, output_field):
        super().__init__(output_field=output_field)
        self.expression = expression

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, self.expression)

    def as_sql(self, compiler, connection):
        # Only the type changes; the SQL is the wrapped expression's.
        return compiler.compile(self.expression)

    def get_group_by_cols(self):
        inner = self.expression
        if not isinstance(inner, Expression):
            return super().get_group_by_cols()
        # Group by the wrapped expression, but typed like this wrapper so
        # the GROUP BY term matches the selected one.
        typed = inner.copy()
        typed.output_field = self.output_field
        return typed.get_group_by_cols()


_WHEN_CONDITION_ERROR = (
    "When() supports a Q object, a boolean expression, or lookups as a condition."
)


def _when_condition(condition, lookups):
    """Normalise When()'s arguments to one conditional object."""
    is_boolean = getattr(condition, "conditional", False)
    if lookups:
        if condition is None:
            return Q(**lookups)
        if is_boolean:
            return Q(condition, **lookups)
        raise TypeError(_WHEN_CONDITION_ERROR)
    if not is_boolean:
        raise TypeError(_WHEN_CONDITION_ERROR)
    if isinstance(condition, Q) and not condition:
        raise ValueError("An empty Q() can't be used as a When() condition.")
    return condition


def _sources_group_by_cols(expression):
    return [
        col
        for source in expression.get_source_expressions()
        for col in source.get_group_by_cols()
    ]


class When(Expression):
    """``WHEN <condition> THEN <result>`` inside a Case()."""

    template = "WHEN %(condition)s THEN %(result)s"
    # Not usable as a filter by itself: it only has a meaning inside Case().
    conditional = False
    operands = ("condition", "result")

    def __init__(self, condition=None, then=None, **lookups):
        condition = _when_condition(condition, lookups)
        super().__init__(output_field=None)
        self.condition = condition
        (self.result,) = self._to_expressions(then)

    def __str__(self):
        return "WHEN %r THEN %r" % (self.condition, self.result)

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, self)

    def get_source_fields(self):
        # The type of a WHEN is the type of its THEN; the condition is boolean.
        return [self.result._output_field_if_known]

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        # The condition is never saved; only the THEN value may be.
        resolved = self.copy()
        resolved.is_summary = summarize
        resolved.condition, resolved.result = (
            operand.resolve_expression(query, allow_joins, reuse, summarize, saving)
            for operand, saving in ((self.condition, False), (self.result, for_save))
        )
        return resolved

    def _condition_sql(self, compiler):
        try:
            sql, params = compiler.compile(self.condition)
        except FullResultSet:
            sql = ""
        # A condition that always holds still needs a predicate after WHEN.
        return (sql, params) if sql else ("1 = 1", [])

    def as_sql(self, compiler, connection, template=None, **extra_context):
        condition_sql, condition_params = self._condition_sql(compiler)
        result_sql, result_params = compiler.compile(self.result)
        context = dict(extra_context, condition=condition_sql, result=result_sql)
        return (template or self.template) % context, condition_params + list(
            result_params
        )

    def get_group_by_cols(self):
        return _sources_group_by_cols(self)


class Case(SQLiteNumericMixin, Expression):
    """``CASE WHEN ... THEN ... ELSE <default> END``."""

    template = "CASE %(cases)s ELSE %(default)s END"
    case_joiner = " "

    def __init__(self, *cases, default=None, output_field=None, **extra):
        strays = [case for case in cases if not isinstance(case, When)]
        if strays:
            raise TypeError("Positional arguments must all be When objects, got %r." % (strays[0],))
        super().__init__(output_field)
        self.cases, self.extra = list(cases), extra
        (self.default,) = self._to_expressions(default)

    def __str__(self):
        return "CASE %s, ELSE %r" % (", ".join(map(str, self.cases)), self.default)

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, self)

    def get_source_expressions(self):
        return [*self.cases, self.default]

    def set_source_expressions(self, exprs):
        self.cases, self.default = list(exprs[:-1]), exprs[-1]

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        resolved = self.copy()
        resolved.is_summary = summarize
        resolved.cases, resolved.default = (
            [
                case.resolve_expression(query, allow_joins, reuse, summarize, for_save)
                for case in self.cases
            ],
            self.default.resolve_expression(
                query, allow_joins, reuse, summarize, for_save
            ),
        )
        return resolved

    def copy(self):
        copied = super().copy()
        copied.cases = list(self.cases)
        return copied

    def _reachable_branches(self, compiler):
        """Compile the WHENs that can matter, plus the effective ELSE.

        A WHEN that can never hold is left out; one that always holds ends
        the search and its result becomes the ELSE, since later branches
        could never be chosen.
        """
        branches = []
        for case in self.cases:
            try:
                branches.append(compiler.compile(case))
            except EmptyResultSet:
                continue
            except FullResultSet:
                return branches, compiler.compile(case.result)
        return branches, compiler.compile(self.default)

    def as_sql(self, compiler, connection, template=None, case_joiner=None, **extra):
        if not self.cases:
            return compiler.compile(self.default)
        branches, (else_sql, else_params) = self._reachable_branches(compiler)
        if not branches:
            return else_sql, else_params
        context = {**self.extra, **extra}
        context["cases"] = (case_joiner or self.case_joiner).join(
            sql for sql, _ in branches
        )
        context["default"] = else_sql
        params = [param for _, branch_params in branches for param in branch_params]
        params.extend(else_params)
        sql = (template or context.get("template", self.template)) % context
        # Some backends need every branch cast to one type (e.g. PostgreSQL
        # with parameters of unknown type).
        cast_template = getattr(connection.ops, "unification_cast_sql", None)
        if cast_template is not None and self._output_field_if_known is not None:
            sql = cast_template(self.output_field) % sql
        return sql, params

    def get_group_by_cols(self):
        if self.cases:
            return super().get_group_by_cols()
        return self.default.get_group_by_cols()


def _subquery_of(queryset):
    """A private copy of the query of a QuerySet (or of a bare sql.Query), marked as a subquery."""
    query = getattr(queryset, "query", queryset).clone()
    query.subquery = True
    return query


class Subquery(BaseExpression, Combinable):
    """A queryset used as a value inside another query."""

    template = "(%(subquery)s)"
    contains_aggregate = False
    # An empty subquery yields no row, i.e. NULL as a scalar.
    empty_result_set_value = None

    def __init__(self, queryset, output_field=None, **extra):
        self.query, self.extra = _subquery_of(queryset), extra
        super().__init__(output_field)

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, self.query)

    def get_source_expressions(self):
        return [self.query]

    def set_source_expressions(self, exprs):
        (self.query,) = exprs

    def _resolve_output_field(self):
        # The type of the single selected column.
        return self.query.output_field

    def copy(self):
        copied = super().copy()
        copied.query = self.query.clone()
        return copied

    @property
    def external_aliases(self):
        return self.query.external_aliases

    def get_external_cols(self):
        return self.query.get_external_cols()

    def as_sql(self, compiler, connection, template=None, **extra_context):
        inner_sql, params = self.query.as_sql(compiler, connection)
        context = {**self.extra, **extra_context}
        # The inner query comes back parenthesised; the template decides
        # how to wrap it (plain parentheses, EXISTS(...), ...).
        context["subquery"] = inner_sql[1:-1]
        return (template or context.get("template", self.template)) % context, params

    def get_group_by_cols(self):
        return self.query.get_group_by_cols(wrapper=self)


class Exists(Subquery):
    """``EXISTS(subquery)``: a boolean usable in filter() and annotate()."""

    template = "EXISTS(%(subquery)s)"

    def __init__(self, queryset, negated=False, **kwargs):
        self.negated = negated
        super().__init__(queryset, **kwargs)
        # Only the presence of a row matters: drop columns and ordering.
        self.query = self.query.exists()

    @functools.cached_property
    def output_field(self):
        return _fields().BooleanField()

    @property
    def empty_result_set_value(self):
        return False

    def __invert__(self):
        inverted = self.copy()
        inverted.negated = not self.negated
        return inverted

    def as_sql(self, compiler, connection, template=None, **extra_context):
        sql, params = super().as_sql(compiler, connection, template, **extra_context)
        return ("NOT " + sql if self.negated else sql), params

    def select_format(self, compiler, sql, params):
        # Where a predicate cannot be selected directly, select 1/0 instead.
        features = compiler.connection.features
        if getattr(features, "supports_boolean_expr_in_select_clause", True):
            return sql, params
        return "CASE WHEN %s THEN 1 ELSE 0 END" % sql, params


def _check_null_placement(nulls_first, nulls_last):
    if nulls_first and nulls_last:
        raise ValueError("nulls_first and nulls_last are mutually exclusive")
    if False in (nulls_first, nulls_last):
        # False would read as "nulls not first", which SQL cannot say.
        raise ValueError("nulls_first and nulls_last values must be True or None.")


class OrderBy(Expression):
    """An ORDER BY item, with optional NULLS FIRST/LAST."""

    template = "%(expression)s %(ordering)s"
    conditional = False
    operands = ("expression",)

    def __init__(self, expression, descending=False, nulls_first=None, nulls_last=None):
        _check_null_placement(nulls_first, nulls_last)
        if not hasattr(expression, "resolve_expression"):
            raise ValueError("expression must be an expression type")
        self.expression, self.descending = expression, descending
        self.nulls_first, self.nulls_last = nulls_first, nulls_last

    def __repr__(self):
        return "%s(%s, descending=%s)" % (
            type(self).__name__,
            self.expression,
            self.descending,
        )

    def _null_placement(self, features):
        """(nullness test to sort on first or None, modifier to append) for
        the NULL placement asked for.

        Without a NULLS FIRST/LAST modifier the database sorts on a test
        first, but only when its own placement is not already the right one
        (descending order flips that placement).
        """
        if not (self.nulls_first or self.nulls_last):
            return None, ""
        if getattr(features, "supports_order_by_nulls_modifier", True):
            return None, " NULLS LAST" if self.nulls_last else " NULLS FIRST"
        nulls_sort_first = getattr(features, "order_by_nulls_first", False) != self.descending
        if nulls_sort_first and self.nulls_last:
            return "IS NULL", ""
        if not nulls_sort_first and self.nulls_first:
            return "IS NOT NULL", ""
        return None, ""

    def as_sql(self, compiler, connection, template=None, **extra_context):
        sql, params = compiler.compile(self.expression)
        context = {"expression": sql, "ordering": "DESC" if self.descending else "ASC",
                   **extra_context}
        test, modifier = self._null_placement(connection.features)
        ordered = ((template or self.template) % context).rstrip() + modifier
        if test is None:
            return ordered, list(params)
        # The expression appears twice: in the nullness test and as itself.
        return "%s %s, %s" % (sql, test, ordered), [*params, *params]

    def get_group_by_cols(self):
        return _sources_group_by_cols(self)

    def reverse_ordering(self):
        self.descending = not self.descending
        # Swap the NULL placement too, so the reversed order is an exact
        # mirror image.
        if self.nulls_first or self.nulls_last:
            self.nulls_first, self.nulls_last = (
                self.nulls_last or None,
                self.nulls_first or None,
            )
        return self

    def asc(self):
        self.descending = False

    def desc(self):
        self.descending = True
