"""Output-field and vendor mixins shared by functions and aggregates."""


def _fields():
    # Imported lazily: the fields package imports the lookups, which
    # import these functions.
    from django.db.models import fields

    return fields


class FixDurationInputMixin:
    """MySQL stores durations as microseconds: aggregate them as numbers."""

    def as_mysql(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)
        on_durations = self.output_field.get_internal_type() == "DurationField"
        return ("CAST(%s AS SIGNED)" % sql if on_durations else sql), params


class NumericOutputFieldMixin:
    """Decimal in, decimal out; integers in, float out (AVG, STDDEV...)."""

    def _resolve_output_field(self):
        fields = _fields()
        known = [field for field in self.get_source_fields() if field is not None]
        if not known:
            return fields.FloatField()

        def any_of(field_class):
            return any(isinstance(field, field_class) for field in known)

        if any_of(fields.DecimalField):
            from django.db.models.expressions import _decimal_field

            return _decimal_field()
        if any_of(fields.IntegerField):
            return fields.FloatField()  # averages of integers have fractions
        return super()._resolve_output_field()
