"""
Aggregates: Count, Sum, Avg, Min, Max (and StdDev/Variance), each with an
optional ``filter=`` (rendered as ``FILTER (WHERE ...)`` where the database
supports it, as ``CASE WHEN`` otherwise), ``distinct=`` and ``default=``.
"""
from django.core.exceptions import FieldError, FullResultSet
from django.db.models.expressions import Case, Func, Star, Value, When
from django.db.models.functions.comparison import Coalesce
from django.db.models.functions.mixins import FixDurationInputMixin, NumericOutputFieldMixin

__all__ = ["Aggregate", "Avg", "Count", "Max", "Min", "StdDev", "Sum", "Variance"]

# Internal types a numeric aggregate (Sum, Avg, StdDev...) accepts.
_INTEGER_TYPES = ("", "Big", "Small", "Positive", "PositiveSmall", "PositiveBig")
NUMERIC_TYPES = frozenset(
    [kind + "IntegerField" for kind in _INTEGER_TYPES]
    + ["AutoField", "BigAutoField", "SmallAutoField"]
    + ["FloatField", "DecimalField", "DurationField"]
)


def _integer_field():
    from django.db.models.fields import IntegerField  # fields import us

    return IntegerField()


def _describe(expression):
    """How an aggregate's argument is named in error messages."""
    name = getattr(expression, "name", None)
    if not name:
        target = getattr(expression, "target", None)
        name = getattr(target, "name", None)
    return "'%s'" % name if name else repr(expression)


class Aggregate(Func):
    template = "%(function)s(%(distinct)s%(expressions)s)"
    contains_aggregate = True
    name = None
    filter_template = "%s FILTER (WHERE %%(filter)s)"
    window_compatible = True
    allow_distinct = False
    # What the aggregate of no rows is, when not NULL (COUNT: 0). Such
    # aggregates have no use for default=.
    empty_result_set_value = None
    # Aggregates that compute on numbers refuse other source types.
    numeric_only = False

    def __init__(self, *expressions, distinct=False, filter=None, default=None, **extra):
        # An option is refused where this aggregate has no use for it:
        # distinct unless allowed, default where no rows give a value.
        pointless = [
            option for option, given, useful in (
                ("distinct", distinct, self.allow_distinct),
                ("default", default is not None, self.empty_result_set_value is None),
            ) if given and not useful
        ]
        if pointless:
            raise TypeError("%s does not allow %s." % (type(self).__name__, pointless[0]))
        vars(self).update(distinct=distinct, filter=filter, default=default)
        super().__init__(*expressions, **extra)

    # -- source expressions: the arguments, then the filter if any --------
    def _arguments(self):
        return Func.get_source_expressions(self)

    def get_source_expressions(self):
        arguments = self._arguments()
        return arguments + [self.filter] if self.filter else arguments

    def set_source_expressions(self, exprs):
        if self.filter:
            self.filter = exprs.pop()
        return super().set_source_expressions(exprs)

    def get_source_fields(self):
        # The filter is a condition, not an input of the computation.
        return [argument._output_field_if_known for argument in self._arguments()]

    # -- resolving ---------------------------------------------------------
    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        # for_save is dropped: an aggregate never appears in an UPDATE.
        resolved = super().resolve_expression(query, allow_joins, reuse, summarize)
        if resolved.filter:
            resolved.filter = resolved.filter.resolve_expression(query, allow_joins, reuse, summarize)
        if summarize:
            resolved._refuse_summarized_refs(query)
        elif not self.is_summary:
            resolved._refuse_nested_aggregates(original=self)
        if self.numeric_only:
            resolved._check_numeric_sources()
        if resolved.default is None:
            return resolved
        return resolved._with_default(query, allow_joins, reuse, summarize)

    def _refuse_summarized_refs(self, query):
        # aggregate() over an annotation that is itself an aggregate would
        # need two levels of grouping.
        for ref in self.get_refs():
            if query.annotations[ref].is_summary:
                raise FieldError("Cannot compute %s('%s'): '%s' is an aggregate" % (self.name, ref, ref))

    def _refuse_nested_aggregates(self, original):
        for position, argument in enumerate(self._arguments()):
            if not argument.contains_aggregate:
                continue
            as_written = original.get_source_expressions()[position]
            label = getattr(as_written, "name", None) or repr(as_written)
            raise FieldError("Cannot compute %s('%s'): '%s' is an aggregate" % (self.name, label, label))

    def _with_default(self, query, allow_joins, reuse, summarize):
        """``COALESCE(aggregate, default)``: the default replaces the NULL
        an aggregate of no rows gives."""
        result_field = self._output_field_if_known
        fallback = self.default
        if hasattr(fallback, "resolve_expression"):
            fallback = fallback.resolve_expression(query, allow_joins, reuse, summarize)
            if fallback._output_field_if_known is None:
                fallback.output_field = result_field
        else:
            fallback = Value(fallback, result_field)
        self.default = None  # the copy inside COALESCE must not wrap again
        wrapped = Coalesce(self, fallback, output_field=result_field)
        wrapped.is_summary = self.is_summary
        return wrapped

    def _check_numeric_sources(self):
        for argument in self._arguments():
            field = argument._output_field_if_known
            if field is None or field.get_internal_type() in NUMERIC_TYPES:
                continue
            label = _describe(argument)
            raise FieldError(
                "Cannot compute %s(%s): %s is a %s, not a number."
                % (self.name, label, label, type(field).__name__)
            )

    @property
    def default_alias(self):
        arguments = self._arguments()
        if len(arguments) != 1 or not hasattr(arguments[0], "name"):
            raise TypeError("Complex expressions require an alias")
        return "%s__%s" % (arguments[0].name, self.name.lower())

    def get_group_by_cols(self):
        return []  # an aggregate is what gets computed per group

    # -- SQL -----------------------------------------------------------------
    def as_sql(self, compiler, connection, **extra_context):
        context = dict(extra_context, distinct="DISTINCT " if self.distinct else "")
        if not self.filter:
            return super().as_sql(compiler, connection, **context)
        # FILTER (WHERE ...) where the database has it, CASE WHEN otherwise.
        native = getattr(connection.features, "supports_aggregate_filter_clause", False)
        render = self._as_sql_filter_clause if native else self._as_sql_case_filter
        return render(compiler, connection, context)

    def _as_sql_filter_clause(self, compiler, connection, extra_context):
        try:
            condition_sql, condition_params = self.filter.as_sql(compiler, connection)
        except FullResultSet:
            # The filter keeps every row: aggregate without it.
            return super().as_sql(compiler, connection, **extra_context)
        base_template = extra_context.pop("template", self.template)
        sql, params = super().as_sql(
            compiler, connection,
            template=self.filter_template % base_template,
            filter=condition_sql,
            **extra_context,
        )
        return sql, (*params, *condition_params)

    def _as_sql_case_filter(self, compiler, connection, extra_context):
        # AGG(CASE WHEN condition THEN value END): rows failing the filter
        # feed NULL, which aggregates skip.
        unfiltered = self.copy()
        unfiltered.filter = None
        first, *rest = unfiltered.get_source_expressions()
        unfiltered.set_source_expressions([Case(When(self.filter, then=first)), *rest])
        return Func.as_sql(unfiltered, compiler, connection, **extra_context)

    def _repr_keywords(self):
        options = super()._repr_keywords()
        options.update(
            (key, value)
            for key, value in (("distinct", self.distinct), ("filter", self.filter))
            if value
        )
        return options


def _declare(class_name, sql_function, bases=(Aggregate,), **options):
    """An aggregate that is fully described by its SQL function and a few
    options (the SQL name doubles as the class's display name)."""
    namespace = {
        "function": sql_function, "name": class_name, "arity": 1,
        "__module__": __name__, "__qualname__": class_name, **options,
    }
    return type(class_name, bases, namespace)


# Duration inputs need converting on backends without an interval type;
# AVG of integers is not an integer.
Avg = _declare("Avg", "AVG", (FixDurationInputMixin, NumericOutputFieldMixin, Aggregate),
               allow_distinct=True, numeric_only=True)
Max = _declare("Max", "MAX")
Min = _declare("Min", "MIN")
Sum = _declare("Sum", "SUM", (FixDurationInputMixin, Aggregate), allow_distinct=True, numeric_only=True)


class Count(Aggregate):
    function = "COUNT"
    name = "Count"
    allow_distinct = True
    empty_result_set_value = 0
    arity = 1

    def __init__(self, expression, filter=None, **extra):
        counts_rows = expression == "*" or isinstance(expression, Star)
        if counts_rows and filter is not None:
            # COUNT(*) has no value to blank out for filtered-away rows.
            raise ValueError("Star cannot be used with filter. Please specify a field.")
        if expression == "*":
            expression = Star()
        super().__init__(expression, filter=filter, output_field=_integer_field(), **extra)


class _SampleOrPopulation(NumericOutputFieldMixin, Aggregate):
    """Statistics computed over the whole population by default, or as a
    sample estimate with ``sample=True``; ``_functions`` names the SQL
    function for each case."""

    arity = 1
    numeric_only = True
    _functions = {False: None, True: None}

    def __init__(self, expression, sample=False, **extra):
        self.function = self._functions[bool(sample)]
        super().__init__(expression, **extra)

    def _repr_keywords(self):
        options = super()._repr_keywords()
        options["sample"] = self.function == self._functions[True]
        return options


class StdDev(_SampleOrPopulation):
    name = "StdDev"
    _functions = {False: "STDDEV_POP", True: "STDDEV_SAMP"}


class Variance(_SampleOrPopulation):
    name = "Variance"
    _functions = {False: "VAR_POP", True: "VAR_SAMP"}
