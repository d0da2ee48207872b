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


class SQLiteNumericMixin:
    """SQLite stores decimals as REAL; cast so arithmetic stays exact."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)
        try:
            if self.output_field.get_internal_type() == "DecimalField":
                sql = "CAST(%s AS NUMERIC)" % sql
        except FieldError:
            pass
        return sql, params


class Combinable:
    """Arithmetic and boolean operators shared by F() and expressions."""

    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    POW = "^"
    # '%' must be doubled: the SQL goes through the driver's param formatting.
    MOD = "%%"
    BITAND = "&"
    BITOR = "|"
    BITLEFTSHIFT = "<<"
    BITRIGHTSHIFT = ">>"
    BITXOR = "#"

    def _combine(self, other, connector, reversed):
        if not hasattr(other, "resolve_expression"):
            other = Value(other)
        if reversed:
            return CombinedExpression(other, connector, self)
        return CombinedExpression(self, connector, other)

    def __neg__(self):
        return self._combine(-1, self.MUL, False)

    def __add__(self, other):
        return self._combine(other, self.ADD, False)

    def __sub__(self, other):
        return self._combine(other, self.SUB, False)

    def __mul__(self, other):
        return self._combine(other, self.MUL, False)

    def __truediv__(self, other):
        return self._combine(other, self.DIV, False)

    def __mod__(self, other):
        return self._combine(other, self.MOD, False)

    def __pow__(self, other):
        return self._combine(other, self.POW, False)

    def __radd__(self, other):
        return self._combine(other, self.ADD, True)

    def __rsub__(self, other):
        return self._combine(other, self.SUB, True)

    def __rmul__(self, other):
        return self._combine(other, self.MUL, True)

    def __rtruediv__(self, other):
        return self._combine(other, self.DIV, True)

    def __rmod__(self, other):
        return self._combine(other, self.MOD, True)

    def __rpow__(self, other):
        return self._combine(other, self.POW, True)

    def __and__(self, other):
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) & Q(other)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __or__(self, other):
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) | Q(other)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __xor__(self, other):
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) ^ Q(other)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __rand__(self, other):
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    __ror__ = __rand__
    __rxor__ = __rand__

    def bitand(self, other):
        return self._combine(other, self.BITAND, False)

    def bitor(self, other):
        return self._combine(other, self.BITOR, False)

    def bitxor(self, other):
        return self._combine(other, self.BITXOR, False)

    def bitleftshift(self, other):
        return self._combine(other, self.BITLEFTSHIFT, False)

    def bitrightshift(self, other):
        return self._combine(other, self.BITRIGHTSHIFT, False)


class BaseExpression:
    """The protocol every expression implements."""

    empty_result_set_value = NotImplemented
    is_summary = False
    filterable = True
    window_compatible = False
    allowed_default = False
    _output_field_resolved_to_none = False

    def __init__(self, output_field=None):
        if output_field is not None:
            self.output_field = output_field

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("convert_value", None)
        return state

    def get_db_converters(self, connection):
        converters = [] if self.convert_value is self._convert_value_noop else [
            self.convert_value
        ]
        return converters + self.output_field.get_db_converters(connection)

    def get_source_expressions(self):
        return []

    def set_source_expressions(self, exprs):
        assert not exprs

    def _parse_expressions(self, *expressions):
        return [
            arg
            if hasattr(arg, "resolve_expression")
            else (F(arg) if isinstance(arg, str) else Value(arg))
            for arg in expressions
        ]

    def as_sql(self, compiler, connection):
        raise NotImplementedError("Subclasses must implement as_sql()")

    @property
    def contains_aggregate(self):
        return any(
            expr is not None and expr.contains_aggregate
            for expr in self.get_source_expressions()
        )

    @property
    def contains_over_clause(self):
        return any(
            expr is not None and expr.contains_over_clause
            for expr in self.get_source_expressions()
        )

    @property
    def contains_column_references(self):
        return any(
            expr is not None and expr.contains_column_references
            for expr in self.get_source_expressions()
        )

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        c = self.copy()
        c.is_summary = summarize
        c.set_source_expressions(
            [
                expr.resolve_expression(query, allow_joins, reuse, summarize)
                if expr is not None
                else None
                for expr in c.get_source_expressions()
            ]
        )
        return c

    @property
    def conditional(self):
        try:
            return isinstance(self.output_field, _fields().BooleanField)
        except FieldError:
            return False

    @property
    def field(self):
        return self.output_field

    @functools.cached_property
    def output_field(self):
        output_field = self._resolve_output_field()
        if output_field is None:
            self._output_field_resolved_to_none = True
            raise FieldError(
                "Cannot resolve expression type of %r, unknown output_field. "
                "You must set output_field." % self
            )
        return output_field

    @functools.cached_property
    def _output_field_or_none(self):
        try:
            return self.output_field
        except FieldError:
            if not self._output_field_resolved_to_none:
                raise
            return None

    def _resolve_output_field(self):
        """All sources must have the same field class, which becomes the result's."""
        sources = [s for s in self.get_source_fields() if s is not None]
        if not sources:
            return None
        output_field = sources[0]
        for source in sources[1:]:
            if not isinstance(output_field, source.__class__):
                raise FieldError(
                    "Expression contains mixed types: %s, %s. You must set "
                    "output_field." % (
                        output_field.__class__.__name__,
                        source.__class__.__name__,
                    )
                )
        return output_field

    @staticmethod
    def _convert_value_noop(value, expression, connection):
        return value

    @functools.cached_property
    def convert_value(self):
        """Coerce what the driver returned to the output field's Python type."""
        try:
            internal_type = self.output_field.get_internal_type()
        except FieldError:
            return self._convert_value_noop
        if internal_type == "FloatField":
            return lambda v, e, c: None if v is None else float(v)
        if internal_type.endswith("IntegerField") or internal_type == "AutoField":
            return lambda v, e, c: None if v is None else int(v)
        if internal_type == "DecimalField":
            return lambda v, e, c: None if v is None else decimal.Decimal(str(v))
        return self._convert_value_noop

    def get_lookup(self, lookup):
        return self.output_field.get_lookup(lookup)

    def get_transform(self, name):
        return self.output_field.get_transform(name)

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.set_source_expressions(
            [
                e.relabeled_clone(change_map) if e is not None else None
                for e in self.get_source_expressions()
            ]
        )
        return clone

    def replace_expressions(self, replacements):
        if replacement := replacements.get(self):
            return replacement
        clone = self.copy()
        clone.set_source_expressions(
            [
                e.replace_expressions(replacements) if e is not None else None
                for e in self.get_source_expressions()
            ]
        )
        return clone

    def get_refs(self):
        refs = set()
        for expr in self.get_source_expressions():
            if expr is not None:
                refs |= expr.get_refs()
        return refs

    def copy(self):
        return copy.copy(self)

    def get_group_by_cols(self):
        if not self.contains_aggregate:
            return [self]
        cols = []
        for source in self.get_source_expressions():
            if source is not None:
                cols.extend(source.get_group_by_cols())
        return cols

    def get_source_fields(self):
        return [e._output_field_or_none for e in self.get_source_expressions()]

    def asc(self, **kwargs):
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs):
        return OrderBy(self, descending=True, **kwargs)

    def reverse_ordering(self):
        return self

    def flatten(self):
        yield self
        for expr in self.get_source_expressions():
            if expr is not None:
                if hasattr(expr, "flatten"):
                    yield from expr.flatten()
                else:
                    yield expr

    def select_format(self, compiler, sql, params):
        output_field = self._output_field_or_none if not isinstance(
            self, Col
        ) else self.output_field
        if hasattr(output_field, "select_format"):
            return output_field.select_format(compiler, sql, params)
        return sql, params


class Expression(BaseExpression, Combinable):
    """An expression that can be combined with others; equal by its arguments."""

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        obj._constructor_args = (args, kwargs)
        return obj

    @property
    def identity(self):
        args, kwargs = getattr(self, "_constructor_args", ((), {}))
        identity = [self.__class__]
        for arg in args:
            identity.append(_identity_part(arg))
        for key, value in sorted(kwargs.items()):
            identity.append((key, _identity_part(value)))
        return tuple(identity)

    def __eq__(self, other):
        if not isinstance(other, Expression):
            return NotImplemented
        return other.identity == self.identity

    def __hash__(self):
        return hash(self.identity)


def _identity_part(value):
    if hasattr(value, "model") and hasattr(value, "attname"):
        # A model field: identify it by its model and name.
        return (value.__class__, getattr(value, "model", None), value.name)
    try:
        return make_hashable(value)
    except TypeError:
        return id(value)


class CombinedExpression(SQLiteNumericMixin, Expression):
    """``lhs <connector> rhs``, e.g. ``F('views') + 1``."""

    def __init__(self, lhs, connector, rhs, output_field=None):
        super().__init__(output_field=output_field)
        self.connector = connector
        self.lhs = lhs
        self.rhs = rhs

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)

    def __str__(self):
        return "{} {} {}".format(self.lhs, self.connector, self.rhs)

    def get_source_expressions(self):
        return [self.lhs, self.rhs]

    def set_source_expressions(self, exprs):
        self.lhs, self.rhs = exprs

    def _resolve_output_field(self):
        lhs = self.lhs._output_field_or_none
        rhs = self.rhs._output_field_or_none
        if lhs is None:
            return rhs
        if rhs is None:
            return lhs
        if isinstance(lhs, rhs.__class__) or isinstance(rhs, lhs.__class__):
            return lhs if isinstance(lhs, rhs.__class__) else rhs
        numeric = ("IntegerField", "FloatField", "DecimalField")
        ltype, rtype = lhs.get_internal_type(), rhs.get_internal_type()

        def kind(t):
            if t.endswith("IntegerField") or t.endswith("AutoField"):
                return "IntegerField"
            return t

        kinds = {kind(ltype), kind(rtype)}
        if kinds <= set(numeric):
            f = _fields()
            if "DecimalField" in kinds and "FloatField" not in kinds:
                return _decimal_field()
            if "FloatField" in kinds:
                return f.FloatField()
            return f.IntegerField()
        if self.connector in (self.ADD, self.SUB) and "DurationField" in kinds:
            other = (kinds - {"DurationField"}).pop()
            if other in ("DateField", "DateTimeField", "TimeField"):
                return lhs if kind(ltype) == other else rhs
        if self.connector == self.SUB and ltype == rtype and ltype in (
            "DateField",
            "DateTimeField",
        ):
            return _fields().DurationField()
        raise FieldError(
            "Cannot infer type of %r expression involving these types: %s, %s. "
            "You must set output_field."
            % (self.connector, lhs.__class__.__name__, rhs.__class__.__name__)
        )

    def as_sql(self, compiler, connection):
        expressions = []
        expression_params = []
        for side in (self.lhs, self.rhs):
            sql, params = compiler.compile(side)
            expressions.append(sql)
            expression_params.extend(params)
        sql = connection.ops.combine_expression(self.connector, expressions)
        return "(%s)" % sql, expression_params

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        c = self.copy()
        c.is_summary = summarize
        c.lhs = self.lhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        c.rhs = self.rhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return c


class F(Combinable):
    """A reference to a model field (or an annotation) by name."""

    allowed_default = False

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "{}({})".format(self.__class__.__name__, self.name)

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        return query.resolve_ref(self.name, allow_joins, reuse, summarize)

    def replace_expressions(self, replacements):
        return replacements.get(self, self)

    def asc(self, **kwargs):
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs):
        return OrderBy(self, descending=True, **kwargs)

    def __eq__(self, other):
        return self.__class__ == other.__class__ and self.name == other.name

    def __hash__(self):
        return hash(self.name)

    def copy(self):
        return copy.copy(self)


class ResolvedOuterRef(F):
    """
    An OuterRef inside a subquery that is not yet bound to the outer query;
    it becomes a column of the outer query when the subquery is resolved.
    """

    contains_aggregate = False
    contains_over_clause = False

    def as_sql(self, *args, **kwargs):
        raise ValueError(
            "This queryset contains a reference to an outer query and may "
            "only be used in a subquery."
        )

    def resolve_expression(self, *args, **kwargs):
        col = super().resolve_expression(*args, **kwargs)
        if getattr(col, "contains_over_clause", False):
            raise FieldError(
                "Referencing outer query window expression is not supported: "
                "%s." % self.name
            )
        col.possibly_multivalued = LOOKUP_SEP in self.name
        return col

    def relabeled_clone(self, relabels):
        return self

    def get_group_by_cols(self):
        return []

    def flatten(self):
        yield self

    def get_refs(self):
        return set()


class OuterRef(F):
    """A reference to a field of the query a Subquery is used in."""

    contains_aggregate = False
    contains_over_clause = False

    def resolve_expression(self, *args, **kwargs):
        if isinstance(self.name, self.__class__):
            return self.name
        return ResolvedOuterRef(self.name)

    def relabeled_clone(self, relabels):
        return self


class Func(SQLiteNumericMixin, Expression):
    """An SQL function call: ``FUNCTION(arg, arg, ...)``."""

    function = None
    template = "%(function)s(%(expressions)s)"
    arg_joiner = ", "
    arity = None

    def __init__(self, *expressions, output_field=None, **extra):
        if self.arity is not None and len(expressions) != self.arity:
            raise TypeError(
                "'%s' takes exactly %s %s (%s given)"
                % (
                    self.__class__.__name__,
                    self.arity,
                    "argument" if self.arity == 1 else "arguments",
                    len(expressions),
                )
            )
        super().__init__(output_field=output_field)
        self.source_expressions = self._parse_expressions(*expressions)
        self.extra = extra

    def __repr__(self):
        args = self.arg_joiner.join(str(arg) for arg in self.source_expressions)
        extra = {**self.extra, **self._get_repr_options()}
        if extra:
            extra = ", ".join(
                str(key) + "=" + str(val) for key, val in sorted(extra.items())
            )
            return "{}({}, {})".format(self.__class__.__name__, args, extra)
        return "{}({})".format(self.__class__.__name__, args)

    def _get_repr_options(self):
        return {}

    def get_source_expressions(self):
        return self.source_expressions

    def set_source_expressions(self, exprs):
        self.source_expressions = list(exprs)

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        c = self.copy()
        c.is_summary = summarize
        c.source_expressions = [
            arg.resolve_expression(query, allow_joins, reuse, summarize, for_save)
            for arg in c.source_expressions
        ]
        return c

    def as_sql(
        self,
        compiler,
        connection,
        function=None,
        template=None,
        arg_joiner=None,
        **extra_context,
    ):
        sql_parts = []
        params = []
        for arg in self.source_expressions:
            try:
                arg_sql, arg_params = compiler.compile(arg)
            except EmptyResultSet:
                empty_result_set_value = getattr(
                    arg, "empty_result_set_value", NotImplemented
                )
                if empty_result_set_value is NotImplemented:
                    raise
                arg_sql, arg_params = compiler.compile(Value(empty_result_set_value))
            except FullResultSet:
                arg_sql, arg_params = compiler.compile(Value(True))
            sql_parts.append(arg_sql)
            params.extend(arg_params)
        data = {**self.extra, **extra_context}
        if function is not None:
            data["function"] = function
        else:
            data.setdefault("function", self.function)
        template = template or data.get("template", self.template)
        arg_joiner = arg_joiner or data.get("arg_joiner", self.arg_joiner)
        data["expressions"] = data["field"] = arg_joiner.join(sql_parts)
        return template % data, params

    def copy(self):
        copy = super().copy()
        copy.source_expressions = self.source_expressions[:]
        copy.extra = self.extra.copy()
        return copy


class Value(SQLiteNumericMixin, Expression):
    """A literal value, always passed to the database as a parameter."""

    for_save = False
    allowed_default = True

    def __init__(self, value, output_field=None):
        super().__init__(output_field=output_field)
        self.value = value

    def __repr__(self):
        return f"{self.__class__.__name__}({self.value!r})"

    def as_sql(self, compiler, connection):
        val = self.value
        output_field = self._output_field_or_none
        if output_field is not None:
            if self.for_save:
                val = output_field.get_db_prep_save(val, connection=connection)
            else:
                val = output_field.get_db_prep_value(val, connection=connection)
            if hasattr(output_field, "get_placeholder"):
                return output_field.get_placeholder(val, compiler, connection), [val]
        if val is None:
            # NULL cannot be a parameter in every position (e.g. SELECT).
            return "NULL", []
        return "%s", [val]

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        c = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        c.for_save = for_save
        return c

    def get_group_by_cols(self):
        return []

    def _resolve_output_field(self):
        f = _fields()
        value = self.value
        if isinstance(value, str):
            return f.CharField()
        if isinstance(value, bool):
            return f.BooleanField()
        if isinstance(value, int):
            return f.IntegerField()
        if isinstance(value, float):
            return f.FloatField()
        if isinstance(value, datetime.datetime):
            return f.DateTimeField()
        if isinstance(value, datetime.date):
            return f.DateField()
        if isinstance(value, datetime.time):
            return f.TimeField()
        if isinstance(value, datetime.timedelta):
            return f.DurationField()
        if isinstance(value, decimal.Decimal):
            return _decimal_field()
        if isinstance(value, bytes) and hasattr(f, "BinaryField"):
            return f.BinaryField()
        if isinstance(value, uuid.UUID) and hasattr(f, "UUIDField"):
            return f.UUIDField()
        return None

    @property
    def empty_result_set_value(self):
        return self.value


class RawSQL(Expression):
    """Literal SQL written by the programmer (never by an end user)."""

    allowed_default = True

    def __init__(self, sql, params, output_field=None):
        if output_field is None:
            output_field = _fields().Field()
        self.sql, self.params = sql, params
        super().__init__(output_field=output_field)

    def __repr__(self):
        return "{}({}, {})".format(self.__class__.__name__, self.sql, self.params)

    def as_sql(self, compiler, connection):
        return "(%s)" % self.sql, list(self.params)

    def get_group_by_cols(self):
        return [self]


class Star(Expression):
    def __repr__(self):
        return "'*'"

    def as_sql(self, compiler, connection):
        return "*", []


class Col(Expression):
    """A column of a table alias: ``"alias"."column"``."""

    contains_column_references = True
    possibly_multivalued = False

    def __init__(self, alias, target, output_field=None):
        if output_field is None:
            output_field = target
        super().__init__(output_field=output_field)
        self.alias, self.target = alias, target

    def __repr__(self):
        alias, target = self.alias, self.target
        identifiers = (alias, str(target)) if alias else (str(target),)
        return "{}({})".format(self.__class__.__name__, ", ".join(identifiers))

    @property
    def identity(self):
        return (self.__class__, self.alias, _identity_part(self.target))

    def as_sql(self, compiler, connection):
        qn = connection.ops.quote_name
        if self.alias is None:
            return qn(self.target.column), []
        return "%s.%s" % (qn(self.alias), qn(self.target.column)), []

    def relabeled_clone(self, relabels):
        if self.alias not in relabels:
            return self
        return self.__class__(relabels[self.alias], self.target, self.output_field)

    def get_group_by_cols(self):
        return [self]

    def get_db_converters(self, connection):
        if self.target == self.output_field:
            return self.output_field.get_db_converters(connection)
        return self.output_field.get_db_converters(
            connection
        ) + self.target.get_db_converters(connection)

    @property
    def convert_value(self):
        # A column already has its field's converters; no numeric coercion.
        return self._convert_value_noop


class Ref(Expression):
    """A reference to an expression selected under an alias (an annotation)."""

    def __init__(self, refs, source):
        super().__init__()
        self.refs, self.source = refs, source

    def __repr__(self):
        return "{}({}, {})".format(self.__class__.__name__, self.refs, self.source)

    @property
    def identity(self):
        return (self.__class__, self.refs)

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, exprs):
        (self.source,) = exprs

    def resolve_expression(self, *args, **kwargs):
        # The source is already resolved; it was added as an annotation.
        return self

    def get_refs(self):
        return {self.refs}

    def relabeled_clone(self, relabels):
        return self

    def as_sql(self, compiler, connection):
        return connection.ops.quote_name(self.refs), []

    def get_group_by_cols(self):
        return [self]

    @property
    def convert_value(self):
        return self._convert_value_noop

    def get_db_converters(self, connection):
        return self.source.get_db_converters(connection)

    def _resolve_output_field(self):
        return self.source.output_field


class ExpressionList(Func):
    """Expressions separated by commas, e.g. a GROUP BY list."""

    template = "%(expressions)s"

    def __init__(self, *expressions, **extra):
        if not expressions:
            raise ValueError(
                "%s requires at least one expression." % self.__class__.__name__
            )
        super().__init__(*expressions, **extra)

    def __str__(self):
        return self.arg_joiner.join(str(arg) for arg in self.source_expressions)


class ExpressionWrapper(SQLiteNumericMixin, Expression):
    """Wrap an expression to give it an output_field (e.g. mixed arithmetic)."""

    def __init__(self, expression, output_field):
        super().__init__(output_field=output_field)
        self.expression = expression

    def set_source_expressions(self, exprs):
        self.expression = exprs[0]

    def get_source_expressions(self):
        return [self.expression]

    def get_group_by_cols(self):
        if isinstance(self.expression, Expression):
            expression = self.expression.copy()
            expression.output_field = self.output_field
            return expression.get_group_by_cols()
        return super().get_group_by_cols()

    def as_sql(self, compiler, connection):
        return compiler.compile(self.expression)

    def __repr__(self):
        return "{}({})".format(self.__class__.__name__, self.expression)


class When(Expression):
    """``WHEN <condition> THEN <result>`` inside a Case()."""

    template = "WHEN %(condition)s THEN %(result)s"
    # This isn't a complete conditional expression, must be used in Case().
    conditional = False

    def __init__(self, condition=None, then=None, **lookups):
        if lookups:
            if condition is None:
                condition, lookups = Q(**lookups), None
            elif getattr(condition, "conditional", False):
                condition, lookups = Q(condition, **lookups), None
        if condition is None or not getattr(condition, "conditional", False) or lookups:
            raise TypeError(
                "When() supports a Q object, a boolean expression, or lookups "
                "as a condition."
            )
        if isinstance(condition, Q) and not condition:
            raise ValueError("An empty Q() can't be used as a When() condition.")
        super().__init__(output_field=None)
        self.condition = condition
        self.result = self._parse_expressions(then)[0]

    def __str__(self):
        return "WHEN %r THEN %r" % (self.condition, self.result)

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)

    def get_source_expressions(self):
        return [self.condition, self.result]

    def set_source_expressions(self, exprs):
        self.condition, self.result = exprs

    def get_source_fields(self):
        # We're only interested in the fields of the result expressions.
        return [self.result._output_field_or_none]

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        c = self.copy()
        c.is_summary = summarize
        if hasattr(c.condition, "resolve_expression"):
            c.condition = c.condition.resolve_expression(
                query, allow_joins, reuse, summarize, False
            )
        c.result = c.result.resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )
        return c

    def as_sql(self, compiler, connection, template=None, **extra_context):
        template_params = extra_context
        try:
            condition_sql, condition_params = compiler.compile(self.condition)
        except FullResultSet:
            condition_sql, condition_params = "1 = 1", []
        if condition_sql == "":
            condition_sql, condition_params = "1 = 1", []
        template_params["condition"] = condition_sql
        result_sql, result_params = compiler.compile(self.result)
        template_params["result"] = result_sql
        template = template or self.template
        return template % template_params, [*condition_params, *result_params]

    def get_group_by_cols(self):
        cols = []
        for source in self.get_source_expressions():
            cols.extend(source.get_group_by_cols())
        return cols


class Case(SQLiteNumericMixin, Expression):
    """``CASE WHEN ... THEN ... ELSE <default> END``."""

    template = "CASE %(cases)s ELSE %(default)s END"
    case_joiner = " "

    def __init__(self, *cases, default=None, output_field=None, **extra):
        if not all(isinstance(case, When) for case in cases):
            raise TypeError("Positional arguments must all be When objects.")
        super().__init__(output_field)
        self.cases = list(cases)
        self.default = self._parse_expressions(default)[0]
        self.extra = extra

    def __str__(self):
        return "CASE %s, ELSE %r" % (
            ", ".join(str(c) for c in self.cases),
            self.default,
        )

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)

    def get_source_expressions(self):
        return self.cases + [self.default]

    def set_source_expressions(self, exprs):
        *self.cases, self.default = exprs

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        c = self.copy()
        c.is_summary = summarize
        c.cases = [
            case.resolve_expression(query, allow_joins, reuse, summarize, for_save)
            for case in c.cases
        ]
        c.default = c.default.resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )
        return c

    def copy(self):
        c = super().copy()
        c.cases = c.cases[:]
        return c

    def as_sql(self, compiler, connection, template=None, case_joiner=None, **extra):
        if not self.cases:
            return compiler.compile(self.default)
        template_params = {**self.extra, **extra}
        case_parts = []
        sql_params = []
        default_sql, default_params = compiler.compile(self.default)
        for case in self.cases:
            try:
                case_sql, case_params = compiler.compile(case)
            except EmptyResultSet:
                continue
            except FullResultSet:
                default_sql, default_params = compiler.compile(case.result)
                break
            case_parts.append(case_sql)
            sql_params.extend(case_params)
        if not case_parts:
            return default_sql, default_params
        case_joiner = case_joiner or self.case_joiner
        template_params["cases"] = case_joiner.join(case_parts)
        template_params["default"] = default_sql
        sql_params.extend(default_params)
        template = template or template_params.get("template", self.template)
        sql = template % template_params
        if self._output_field_or_none is not None:
            unification = getattr(connection.ops, "unification_cast_sql", None)
            if unification is not None:
                sql = unification(self.output_field) % sql
        return sql, sql_params

    def get_group_by_cols(self):
        if not self.cases:
            return self.default.get_group_by_cols()
        return super().get_group_by_cols()


class Subquery(BaseExpression, Combinable):
    """A queryset used as a value inside another query."""

    template = "(%(subquery)s)"
    contains_aggregate = False
    empty_result_set_value = None

    def __init__(self, queryset, output_field=None, **extra):
        # Allow the usage of both QuerySet and sql.Query objects.
        self.query = getattr(queryset, "query", queryset).clone()
        self.query.subquery = True
        self.extra = extra
        super().__init__(output_field)

    def get_source_expressions(self):
        return [self.query]

    def set_source_expressions(self, exprs):
        self.query = exprs[0]

    def _resolve_output_field(self):
        return self.query.output_field

    def copy(self):
        clone = super().copy()
        clone.query = clone.query.clone()
        return clone

    @property
    def external_aliases(self):
        return self.query.external_aliases

    def get_external_cols(self):
        return self.query.get_external_cols()

    def as_sql(self, compiler, connection, template=None, **extra_context):
        template_params = {**self.extra, **extra_context}
        subquery_sql, sql_params = self.query.as_sql(compiler, connection)
        template_params["subquery"] = subquery_sql[1:-1]
        template = template or template_params.get("template", self.template)
        return template % template_params, sql_params

    def get_group_by_cols(self):
        return self.query.get_group_by_cols(wrapper=self)

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self.query)


class Exists(Subquery):
    """``EXISTS(subquery)``: a boolean usable in filter() and annotate()."""

    template = "EXISTS(%(subquery)s)"

    def __init__(self, queryset, negated=False, **kwargs):
        self.negated = negated
        super().__init__(queryset, **kwargs)
        self.query = self.query.exists()

    @functools.cached_property
    def output_field(self):
        return _fields().BooleanField()

    @property
    def empty_result_set_value(self):
        return False

    def __invert__(self):
        clone = self.copy()
        clone.negated = not self.negated
        return clone

    def as_sql(self, compiler, connection, template=None, **extra_context):
        sql, params = super().as_sql(compiler, connection, template, **extra_context)
        if self.negated:
            sql = "NOT {}".format(sql)
        return sql, params

    def select_format(self, compiler, sql, params):
        if not getattr(compiler.connection.features, "supports_boolean_expr_in_select_clause", True):
            sql = "CASE WHEN {} THEN 1 ELSE 0 END".format(sql)
        return sql, params


class OrderBy(Expression):
    """An ORDER BY item, with optional NULLS FIRST/LAST."""

    template = "%(expression)s %(ordering)s"
    conditional = False

    def __init__(self, expression, descending=False, nulls_first=None, nulls_last=None):
        if nulls_first and nulls_last:
            raise ValueError("nulls_first and nulls_last are mutually exclusive")
        if nulls_first is False or nulls_last is False:
            raise ValueError("nulls_first and nulls_last values must be True or None.")
        self.nulls_first = nulls_first
        self.nulls_last = nulls_last
        self.descending = descending
        if not hasattr(expression, "resolve_expression"):
            raise ValueError("expression must be an expression type")
        self.expression = expression

    def __repr__(self):
        return "{}({}, descending={})".format(
            self.__class__.__name__, self.expression, self.descending
        )

    def set_source_expressions(self, exprs):
        self.expression = exprs[0]

    def get_source_expressions(self):
        return [self.expression]

    def as_sql(self, compiler, connection, template=None, **extra_context):
        template = template or self.template
        features = connection.features
        if getattr(features, "supports_order_by_nulls_modifier", True):
            if self.nulls_last:
                template = "%s NULLS LAST" % template
            elif self.nulls_first:
                template = "%s NULLS FIRST" % template
        else:
            # Emulate by sorting on "IS NULL" first where the default differs.
            nulls_sort_first = getattr(features, "order_by_nulls_first", False)
            default_first = nulls_sort_first != self.descending
            if self.nulls_last and default_first:
                template = "%%(expression)s IS NULL, %s" % template
            elif self.nulls_first and not default_first:
                template = "%%(expression)s IS NOT NULL, %s" % template
        expression_sql, params = compiler.compile(self.expression)
        placeholders = {
            "expression": expression_sql,
            "ordering": "DESC" if self.descending else "ASC",
            **extra_context,
        }
        params *= template.count("%(expression)s")
        return (template % placeholders).rstrip(), params

    def get_group_by_cols(self):
        cols = []
        for source in self.get_source_expressions():
            cols.extend(source.get_group_by_cols())
        return cols

    def reverse_ordering(self):
        self.descending = not self.descending
        if self.nulls_first:
            self.nulls_last = True
            self.nulls_first = None
        elif self.nulls_last:
            self.nulls_first = True
            self.nulls_last = None
        return self

    def asc(self):
        self.descending = False

    def desc(self):
        self.descending = True
