"""
Lookups (``field__lookup=value``) and transforms (``field__transform``).

A Lookup compares ``lhs`` (an expression, usually a column) with ``rhs``
(a value, always sent as a parameter, or an expression). The builtin lookups
take their SQL operator from the backend's ``operators`` dictionary, so case
sensitivity and LIKE escaping follow the database.

Most builtin lookups differ only in their name and in how the right-hand
value is massaged, so they are declared from small tables below rather
than written out one class body at a time.
"""
import math

from django.core.exceptions import EmptyResultSet, FullResultSet  # noqa: F401
from django.db.models.expressions import Case, Expression, Func, Value, When  # noqa: F401
from django.db.models.fields.storage_checks import field_label
from django.db.models.fields import (
    BooleanField,
    CharField,  # noqa: F401
    DateField,  # noqa: F401
    DateTimeField,
    DecimalField,  # noqa: F401
    Field,
    FloatField,  # noqa: F401
    IntegerField,
    TimeField,  # noqa: F401
)
from django.db.models.query_utils import RegisterLookupMixin
from django.utils.functional import cached_property


def _is_expression(value):
    return hasattr(value, "resolve_expression")


def _compiles_itself(value):
    return hasattr(value, "as_sql")


def _bilateral_of(lhs):
    """Transforms in the lhs chain that must also be applied to the rhs."""
    collect = getattr(lhs, "get_bilateral_transforms", None)
    return collect() if collect is not None else []


def _hashable_rhs(rhs):
    # Lookups are hashed (filters are deduplicated); lists of values and
    # unhashable values still need a stable stand-in.
    if isinstance(rhs, (list, tuple, set)):
        return tuple(map(_hashable_rhs, rhs))
    try:
        hash(rhs)
    except TypeError:
        return id(rhs)
    return rhs


def _integer_capacity(lookup, connection):
    """(lowest, highest) value the lookup's integer column holds on
    ``connection``, or None: not an integer column, or the value is
    transformed in SQL. A foreign key holds its target's values."""
    if lookup.bilateral_transforms:
        return None
    field = lookup.lhs.output_field
    field = getattr(field, "target_field", None) or field
    try:
        return connection.ops.integer_field_range(field.get_internal_type())
    except KeyError:
        return None


def _lookup_path(lookup):
    """``(field, "year__exact")`` for a lookup over transforms of a column;
    field is None when the chain does not start at a model field."""
    names, node = [lookup.lookup_name], lookup.lhs
    while isinstance(node, Transform):
        names.insert(0, node.lookup_name)
        node = node.lhs
    return getattr(node, "target", None), "__".join(names)


def _parenthesize(sql):
    # Never wrap twice: SQLite, for one, misreads "((SELECT ...))".
    return sql if sql.startswith("(") else "(%s)" % sql


class Lookup(Expression):
    """``lhs <operator> rhs``, evaluating to a boolean."""

    # Whether ``None`` is a value to compare with (else it means IS NULL),
    # and whether the lhs field's get_prep_value() converts the value.
    can_use_none_as_rhs = False
    prepare_rhs = True
    lookup_name = None

    def __init__(self, lhs, rhs):
        self.lhs, self.rhs = lhs, rhs
        # The value is prepared while lhs is as given: preparing it may
        # consult lhs.output_field.
        self.rhs = self.get_prep_lookup()
        self.lhs = self.get_prep_lhs()
        self.bilateral_transforms = _bilateral_of(self.lhs)

    def __repr__(self):
        return "%s(%r, %r)" % (type(self).__name__, self.lhs, self.rhs)

    # -- preparing values ------------------------------------------------
    def get_prep_lookup(self):
        """The rhs converted by the lhs field's ``get_prep_value()``."""
        if _is_expression(self.rhs) or not self.prepare_rhs:
            return self.rhs
        if not hasattr(self.lhs, "output_field"):
            # A bare Python value on the left: compare two Values.
            return Value(self.rhs) if self.rhs_is_direct_value() else self.rhs
        field = self.lhs.output_field
        prep = getattr(field, "get_prep_value", None)
        if prep is None:
            return self.rhs
        try:
            return prep(self.rhs)
        except (TypeError, ValueError) as error:
            if getattr(field, "name", True) is not None:
                raise  # the field's message names it
            raise type(error)(self._unnamed_field_message(error)) from error

    def _unnamed_field_message(self, error):
        # A transform's output field (pub_date__year) has no name: say
        # which lookup on which field got the value.
        target, path = _lookup_path(self)
        where = " on %s" % field_label(target) if target is not None else ""
        return "Lookup '%s'%s %s" % (path, where, error)

    def get_prep_lhs(self):
        return self.lhs if _is_expression(self.lhs) else Value(self.lhs)

    def get_db_prep_lookup(self, value, connection):
        return "%s", [value]

    def apply_bilateral_transforms(self, value):
        for transform_class in self.bilateral_transforms:
            value = transform_class(value)
        return value

    def _compile_transformed(self, compiler, value):
        """Compile ``value`` after applying the bilateral transforms to it,
        so that e.g. ``name__upper__exact="x"`` compares UPPER(name) with
        UPPER('x')."""
        if not _compiles_itself(value):
            value = Value(value, output_field=self.lhs.output_field)
        value = self.apply_bilateral_transforms(value)
        return compiler.compile(value.resolve_expression(compiler.query))

    def rhs_is_direct_value(self):
        return not _compiles_itself(self.rhs)

    # -- compiling -------------------------------------------------------
    def process_lhs(self, compiler, connection, lhs=None):
        target = self.lhs if lhs is None else lhs
        if _is_expression(target):
            target = target.resolve_expression(compiler.query)
        sql, params = compiler.compile(target)
        if isinstance(target, Lookup):
            sql = "(%s)" % sql  # a comparison used as an operand
        return sql, list(params)

    def process_rhs(self, compiler, connection):
        if self.bilateral_transforms:
            sql, params = self._compile_transformed(compiler, self.rhs)
            return _parenthesize(sql) if sql else sql, list(params)
        if _compiles_itself(self.rhs):
            sql, params = compiler.compile(self.rhs)
            return _parenthesize(sql) if sql else sql, list(params)
        return self.get_db_prep_lookup(self.rhs, connection)

    def batch_process_rhs(self, compiler, connection, rhs=None):
        """Placeholders and parameters for an iterable rhs."""
        values = self.rhs if rhs is None else rhs
        if not self.bilateral_transforms:
            _sql, params = self.get_db_prep_lookup(values, connection)
            return ["%s"] * len(params), params
        placeholders, params = [], []
        for value in values:
            sql, value_params = self._compile_transformed(compiler, value)
            placeholders.append(sql)
            params += value_params
        return placeholders, params

    def _both_sides(self, compiler, connection):
        """((lhs SQL, params), (rhs SQL, params))."""
        return self.process_lhs(compiler, connection), self.process_rhs(compiler, connection)

    def as_sql(self, compiler, connection):
        raise NotImplementedError("%s must define as_sql()." % type(self).__name__)

    # -- expression protocol ---------------------------------------------
    def get_source_expressions(self):
        # A plain value is a parameter, not an expression.
        return [self.lhs] if self.rhs_is_direct_value() else [self.lhs, self.rhs]

    def set_source_expressions(self, new_exprs):
        if len(new_exprs) == 2:
            self.lhs, self.rhs = new_exprs
        else:
            [self.lhs] = new_exprs

    def get_group_by_cols(self):
        return [
            col
            for source in self.get_source_expressions()
            for col in source.get_group_by_cols()
        ]

    def _either_side(self, attribute):
        return getattr(self.lhs, attribute) or getattr(self.rhs, attribute, False)

    @cached_property
    def contains_aggregate(self):
        return self._either_side("contains_aggregate")

    @cached_property
    def contains_over_clause(self):
        return self._either_side("contains_over_clause")

    @property
    def is_summary(self):
        return self._either_side("is_summary")

    @is_summary.setter
    def is_summary(self, value):
        pass  # derived from the operands; nothing to store

    @property
    def identity(self):
        return type(self), self.lhs, _hashable_rhs(self.rhs)

    def __eq__(self, other):
        return self.identity == other.identity if isinstance(other, Lookup) else NotImplemented

    def __hash__(self):
        return hash(self.identity)

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        arguments = (query, allow_joins, reuse, summarize, for_save)
        resolved = self.copy()
        resolved.is_summary = summarize
        resolved.lhs = self.lhs.resolve_expression(*arguments)
        if _is_expression(self.rhs):
            resolved.rhs = self.rhs.resolve_expression(*arguments)
        return resolved

    def select_format(self, compiler, sql, params):
        # Selected as a value: backends without boolean expressions in the
        # SELECT list get 1/0 instead.
        features = compiler.connection.features
        if getattr(features, "supports_boolean_expr_in_select_clause", True):
            return sql, params
        return "CASE WHEN %s THEN 1 ELSE 0 END" % sql, params

    @cached_property
    def output_field(self):
        return BooleanField()  # a lookup is a condition


class Transform(RegisterLookupMixin, Func):
    """
    A single-argument function applied to the left-hand side of a lookup,
    chainable: ``pub_date__year__gte``.
    """

    bilateral = False
    arity = 1

    @property
    def lhs(self):
        return self.get_source_expressions()[0]

    def get_bilateral_transforms(self):
        chain = _bilateral_of(self.lhs)
        return chain + [type(self)] if self.bilateral else chain


class BuiltinLookup(Lookup):
    """A lookup whose operator comes from ``connection.operators``."""

    def process_lhs(self, compiler, connection, lhs=None):
        sql, params = super().process_lhs(compiler, connection, lhs)
        # Backends may need the column cast first (e.g. to text for LIKE).
        internal_type = self.lhs.output_field.get_internal_type()
        cast_template = connection.ops.lookup_cast(self.lookup_name, internal_type)
        return cast_template % sql, params

    def get_rhs_op(self, connection, rhs):
        return connection.operators[self.lookup_name] % rhs

    def as_sql(self, compiler, connection):
        (column, column_params), (value, value_params) = self._both_sides(compiler, connection)
        condition = "%s %s" % (column, self.get_rhs_op(connection, value))
        return condition, [*column_params, *value_params]


class FieldGetDbPrepValueMixin:
    """Prepare the right-hand value with the field's get_db_prep_value()."""

    get_db_prep_lookup_value_is_iterable = False

    def _db_preparer(self):
        # A relation compares against its target column, so its target
        # field does the adapting.
        field = self.lhs.output_field
        target = getattr(field, "target_field", None)
        return getattr(target, "get_db_prep_value", None) or field.get_db_prep_value

    def get_db_prep_lookup(self, value, connection):
        prepare = self._db_preparer()
        values = value if self.get_db_prep_lookup_value_is_iterable else [value]
        return "%s", [prepare(item, connection, prepared=True) for item in values]


class FieldGetDbPrepValueIterableMixin(FieldGetDbPrepValueMixin):
    """The right-hand side is an iterable of values (``in``, ``range``)."""

    get_db_prep_lookup_value_is_iterable = True

    def get_prep_lookup(self):
        if _is_expression(self.rhs):
            return self.rhs
        prep = None
        if self.prepare_rhs:
            prep = getattr(self.lhs.output_field, "get_prep_value", None)
        # Expressions may be mixed with plain values; the database
        # evaluates those, so they are left as they are.
        return [
            item if prep is None or _is_expression(item) else prep(item)
            for item in self.rhs
        ]

    def process_rhs(self, compiler, connection):
        # Plain values are bound one parameter each; an expression or a
        # subquery compiles as a whole.
        direct = self.rhs_is_direct_value()
        return self.batch_process_rhs(compiler, connection) if direct else super().process_rhs(compiler, connection)

    def resolve_expression_parameter(self, compiler, connection, sql, param):
        if _is_expression(param):
            param = param.resolve_expression(compiler.query)
        if _compiles_itself(param):
            return compiler.compile(param)
        return sql, [param]

    def batch_process_rhs(self, compiler, connection, rhs=None):
        placeholders, params = super().batch_process_rhs(compiler, connection, rhs)
        # A "parameter" may really be an expression; compile those into
        # their own SQL fragment and parameters.
        final_sql, final_params = [], []
        for placeholder, param in zip(placeholders, params):
            sql, sql_params = self.resolve_expression_parameter(
                compiler, connection, placeholder, param
            )
            final_sql.append(sql)
            final_params += sql_params
        return tuple(final_sql), tuple(final_params)


class PostgresOperatorLookup(Lookup):
    """Lookup defined by an operator on PostgreSQL."""

    postgres_operator = None

    def as_postgresql(self, compiler, connection):
        (column, column_params), (value, value_params) = self._both_sides(compiler, connection)
        return " ".join((column, self.postgres_operator, value)), (*column_params, *value_params)


def _limit_to_primary_key(query):
    """A subquery used as a value must select one column: default to pk."""
    if not query.has_select_fields:
        query.clear_select_clause()
        query.add_fields(["pk"])


def _is_query(value):
    from django.db.models.sql.query import Query  # avoid circular import

    return isinstance(value, Query)


# --------------------------------------------------------------------------
# Comparisons
# --------------------------------------------------------------------------
# What a comparison with an integer beyond its column's capacity means.
NO_ROW, EVERY_VALUE = "no row", "every value"


class ComparisonLookup(FieldGetDbPrepValueMixin, BuiltinLookup):
    """A comparison of a column with one value. An integer the column
    cannot hold decides it without the database (whose driver may not
    even take it: SQLite's stops at 64 bits): ``below`` and ``above`` say
    what a value past either end means, NO_ROW (the condition is false
    for every row) or EVERY_VALUE (true for every non-NULL value)."""

    below = above = None

    def as_sql(self, compiler, connection):
        outcome = None
        if type(self.rhs) is int:
            capacity = _integer_capacity(self, connection)
            if capacity is not None:
                low, high = capacity
                outcome = self.below if self.rhs < low else self.above if self.rhs > high else None
        if outcome is None:
            return super().as_sql(compiler, connection)
        if outcome == NO_ROW:
            raise EmptyResultSet
        return IsNull(self.lhs, False).as_sql(compiler, connection)


@Field.register_lookup
class Exact(ComparisonLookup):
    lookup_name = "exact"
    below = above = NO_ROW

    def get_prep_lookup(self):
        if _is_query(self.rhs):
            if not self.rhs.has_limit_one():
                raise ValueError(
                    "The QuerySet value for an exact lookup must be limited to "
                    "one result using slicing."
                )
            _limit_to_primary_key(self.rhs)
        return super().get_prep_lookup()

    def as_sql(self, compiler, connection):
        # "flag=True" on a boolean expression is the expression itself
        # ("flag=False" its negation) where the backend allows that form.
        plain_condition = (
            isinstance(self.rhs, bool)
            and getattr(self.lhs, "conditional", False)
            and connection.ops.conditional_expression_supported_in_where_clause(self.lhs)
        )
        if not plain_condition:
            return super().as_sql(compiler, connection)
        sql, params = self.process_lhs(compiler, connection)
        return (sql if self.rhs else "NOT %s" % sql), params


@Field.register_lookup
class IExact(BuiltinLookup):
    lookup_name = "iexact"
    prepare_rhs = False

    # Backends comparing with LIKE need wildcards in the value escaped: it
    # is escaped before any bilateral transform (UPPER() keeps escapes).
    def get_db_prep_lookup(self, value, connection):
        return "%s", [connection.ops.prep_for_iexact_query(value)]

    def _compile_transformed(self, compiler, value):
        if not _compiles_itself(value):
            value = compiler.connection.ops.prep_for_iexact_query(value)
        return super()._compile_transformed(compiler, value)


def _ordering_lookup(class_name, lookup_name, below, above):
    """``gt``/``gte``/``lt``/``lte``: nothing but an operator each."""
    namespace = {
        "lookup_name": lookup_name, "below": below, "above": above,
        "__module__": __name__, "__qualname__": class_name,
    }
    return Field.register_lookup(type(class_name, (ComparisonLookup,), namespace))


GreaterThan = _ordering_lookup("GreaterThan", "gt", EVERY_VALUE, NO_ROW)
GreaterThanOrEqual = _ordering_lookup("GreaterThanOrEqual", "gte", EVERY_VALUE, NO_ROW)
LessThan = _ordering_lookup("LessThan", "lt", NO_ROW, EVERY_VALUE)
LessThanOrEqual = _ordering_lookup("LessThanOrEqual", "lte", NO_ROW, EVERY_VALUE)


class IntegerFieldFloatRounding:
    """Let a float bound an integer column: ``n >= 1.5`` means ``n >= 2``
    and ``n < 1.5`` means ``n < 2``, so rounding up keeps the meaning."""

    def get_prep_lookup(self):
        bound = self.rhs
        self.rhs = math.ceil(bound) if isinstance(bound, float) else bound
        return super().get_prep_lookup()


@IntegerField.register_lookup
class IntegerGreaterThanOrEqual(IntegerFieldFloatRounding, GreaterThanOrEqual):
    pass


@IntegerField.register_lookup
class IntegerLessThan(IntegerFieldFloatRounding, LessThan):
    pass


# --------------------------------------------------------------------------
# Membership and ranges
# --------------------------------------------------------------------------
def _without_nulls(values):
    """The distinct non-None values, in order (NULL never matches IN)."""
    try:
        unique = dict.fromkeys(values)
    except TypeError:  # unhashable values: keep duplicates
        return [value for value in values if value is not None]
    unique.pop(None, None)
    return list(unique)


@Field.register_lookup
class In(FieldGetDbPrepValueIterableMixin, BuiltinLookup):
    lookup_name = "in"

    def get_prep_lookup(self):
        if _is_query(self.rhs):
            # Ordering a subquery is pointless (and refused by some backends).
            self.rhs.clear_ordering(clear_default=True)
            _limit_to_primary_key(self.rhs)
            return self.rhs
        not_a_collection = isinstance(self.rhs, (str, bytes)) or not hasattr(self.rhs, "__iter__")
        if not_a_collection and not _is_expression(self.rhs):
            raise TypeError(
                "The 'in' lookup needs an iterable of values (or a queryset), "
                "got %r." % (self.rhs,)
            )
        return super().get_prep_lookup()

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            values = _without_nulls(self.rhs)
            if not values:
                raise EmptyResultSet  # "IN ()" can match nothing
            placeholders, params = self.batch_process_rhs(compiler, connection, values)
            return "(%s)" % ", ".join(placeholders), params
        subquery, params = super().process_rhs(compiler, connection)
        limited = getattr(self.rhs, "is_sliced", False)
        if limited and not getattr(connection.features, "allow_sliced_subqueries_with_in", True):
            # Some databases refuse LIMIT directly inside IN (...): select
            # from the sliced query as a derived table instead.
            subquery = "(SELECT * FROM %s %s)" % (subquery, connection.ops.quote_name("subquery"))
        return subquery, params

    def get_rhs_op(self, connection, rhs):
        return "IN %s" % rhs

    def batch_process_rhs(self, compiler, connection, rhs=None):
        values = self.rhs if rhs is None else rhs
        capacity = _integer_capacity(self, connection)
        if capacity is not None:
            # An integer its column cannot hold matches no row.
            low, high = capacity
            values = [v for v in values if type(v) is not int or low <= v <= high]
            if not values:
                raise EmptyResultSet
        return super().batch_process_rhs(compiler, connection, values)

    def as_sql(self, compiler, connection):
        limit = connection.ops.max_in_list_size()
        if limit and self.rhs_is_direct_value() and len(self.rhs) > limit:
            return self.split_parameter_list_as_sql(compiler, connection)
        return super().as_sql(compiler, connection)

    def split_parameter_list_as_sql(self, compiler, connection):
        """``(col IN (...) OR col IN (...))`` in chunks the backend accepts."""
        limit = connection.ops.max_in_list_size()
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        placeholders, values = self.batch_process_rhs(compiler, connection)
        pieces, params = [], []
        for start in range(0, len(values), limit):
            chunk = slice(start, start + limit)
            pieces.append("%s IN (%s)" % (lhs_sql, ", ".join(placeholders[chunk])))
            params += list(lhs_params) + list(values[chunk])
        return "(%s)" % " OR ".join(pieces), params


@Field.register_lookup
class Range(FieldGetDbPrepValueIterableMixin, BuiltinLookup):
    lookup_name = "range"

    def get_prep_lookup(self):
        if _is_expression(self.rhs):
            return self.rhs
        if isinstance(self.rhs, (str, bytes)) or len(self.rhs) != 2:
            raise ValueError(
                "The 'range' lookup needs a (start, end) pair, got %r." % (self.rhs,)
            )
        return super().get_prep_lookup()

    def get_rhs_op(self, connection, rhs):
        low, high = rhs
        return "BETWEEN %s AND %s" % (low, high)

    def batch_process_rhs(self, compiler, connection, rhs=None):
        start, end = self.rhs if rhs is None else rhs
        capacity = _integer_capacity(self, connection)
        if capacity is not None and type(start) is int and type(end) is int:
            # The column's values all lie within its capacity: keep to the
            # part of the range that overlaps it.
            low, high = capacity
            if start > high or end < low:
                raise EmptyResultSet
            start, end = max(start, low), min(end, high)
        return super().batch_process_rhs(compiler, connection, (start, end))


@Field.register_lookup
class IsNull(BuiltinLookup):
    prepare_rhs = False  # True or False, whatever the field
    lookup_name = "isnull"

    def as_sql(self, compiler, connection):
        if self.rhs is not True and self.rhs is not False:
            raise ValueError("The QuerySet value for an isnull lookup must be True or False.")
        column, params = self.process_lhs(compiler, connection)
        return "%s IS %sNULL" % (column, "" if self.rhs else "NOT "), params


# --------------------------------------------------------------------------
# Text patterns
# --------------------------------------------------------------------------
class PatternLookup(BuiltinLookup):
    """LIKE lookups: the value is escaped, then wrapped in ``param_pattern``."""

    param_pattern = "%%%s%%"
    prepare_rhs = False

    def _pattern_built_in_sql(self):
        # Values computed by the database (expressions, transformed values)
        # cannot be escaped here; the backend's pattern_ops do it in SQL.
        return _compiles_itself(self.rhs) or bool(self.bilateral_transforms)

    def get_rhs_op(self, connection, rhs):
        if not self._pattern_built_in_sql():
            return super().get_rhs_op(connection, rhs)
        template = connection.pattern_ops[self.lookup_name]
        return template.format(connection.pattern_esc).format(rhs)

    def process_rhs(self, qn, connection):
        sql, params = super().process_rhs(qn, connection)
        if params and not self._pattern_built_in_sql():
            escaped = connection.ops.prep_for_like_query(params[0])
            params[0] = self.param_pattern % escaped
        return sql, params


def _pattern_lookup(class_name, lookup_name, base, **attrs):
    namespace = {"lookup_name": lookup_name, "__module__": __name__, "__qualname__": class_name}
    namespace.update(attrs)
    return Field.register_lookup(type(class_name, (base,), namespace))


# Each case-insensitive lookup derives from its case-sensitive twin; only
# the operator (looked up by lookup_name) differs.
Contains = _pattern_lookup("Contains", "contains", PatternLookup)
IContains = _pattern_lookup("IContains", "icontains", Contains)
StartsWith = _pattern_lookup("StartsWith", "startswith", PatternLookup, param_pattern="%s%%")
IStartsWith = _pattern_lookup("IStartsWith", "istartswith", StartsWith)
EndsWith = _pattern_lookup("EndsWith", "endswith", PatternLookup, param_pattern="%%%s")
IEndsWith = _pattern_lookup("IEndsWith", "iendswith", EndsWith)


@Field.register_lookup
class Regex(BuiltinLookup):
    prepare_rhs = False  # a pattern, not a value of the field
    lookup_name = "regex"

    def _condition_template(self, connection):
        """A template taking (column, pattern): "%s <operator>" where the
        backend has an operator for the lookup, else the whole condition the
        backend supplies (a function call on SQLite, for instance)."""
        operator = connection.operators.get(self.lookup_name)
        if operator is None:
            return connection.ops.regex_lookup(self.lookup_name)
        return "%s " + operator

    def as_sql(self, compiler, connection):
        template = self._condition_template(connection)
        (column, column_params), (pattern, pattern_params) = self._both_sides(compiler, connection)
        return template % (column, pattern), [*column_params, *pattern_params]


@Field.register_lookup
class IRegex(Regex):
    lookup_name = "iregex"


# --------------------------------------------------------------------------
# Year lookups (registered on the Extract transforms in functions.datetime)
# --------------------------------------------------------------------------
class YearLookup(Lookup):
    """``pub_date__year__gte=2020`` compared against the first/last moment of
    the year on the bare column, which lets the database use an index."""

    # Which of (first, last) moment of the year the comparison needs.
    _bound_positions = None

    def year_lookup_bounds(self, connection, year):
        from django.db.models.functions import ExtractIsoYear

        ops = connection.ops
        if isinstance(self.lhs.lhs.output_field, DateTimeField):
            bounds_for = ops.year_lookup_bounds_for_datetime_field
        else:
            bounds_for = ops.year_lookup_bounds_for_date_field
        return bounds_for(year, iso_year=isinstance(self.lhs, ExtractIsoYear))

    def get_direct_rhs_sql(self, connection, rhs):
        return connection.operators[self.lookup_name] % rhs

    def get_bound_params(self, start, finish):
        if self._bound_positions is None:
            raise NotImplementedError(
                "subclasses of YearLookup must provide a get_bound_params() method"
            )
        bounds = (start, finish)
        return tuple(bounds[position] for position in self._bound_positions)

    def as_sql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        column = self.lhs.lhs  # the field under the Extract
        lhs_sql, params = self.process_lhs(compiler, connection, column)
        rhs_sql, _unused = self.process_rhs(compiler, connection)
        start, finish = self.year_lookup_bounds(connection, self.rhs)
        params.extend(self.get_bound_params(start, finish))
        return "%s %s" % (lhs_sql, self.get_direct_rhs_sql(connection, rhs_sql)), params


class YearExact(YearLookup, Exact):
    _bound_positions = (0, 1)

    def get_direct_rhs_sql(self, connection, rhs):
        return "BETWEEN %s AND %s"


class YearGt(YearLookup, GreaterThan):
    _bound_positions = (1,)  # after the year's last moment


class YearGte(YearLookup, GreaterThanOrEqual):
    _bound_positions = (0,)


class YearLt(YearLookup, LessThan):
    _bound_positions = (0,)  # before the year's first moment


class YearLte(YearLookup, LessThanOrEqual):
    _bound_positions = (1,)


# JSONField key transforms and has_key lookups register themselves on import.
from django.db.models import json_lookups  # noqa: E402,F401
