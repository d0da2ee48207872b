"""Output-field and vendor mixins shared by functions and aggregates."""


def _fields():
    from django.db.models import fields

    return fields


class FixDurationInputMixin:
    """MySQL stores durations as microseconds: aggregate them as numbers."""

    def as_mysql(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)
        if self.output_field.get_internal_type() == "DurationField":
            sql = "CAST(%s AS SIGNED)" % sql
        return sql, params


class NumericOutputFieldMixin:
    """Decimal in, decimal out; integers in, float out (AVG, STDDEV...)."""

    def _resolve_output_field(self):
        f = _fields()
        source_fields = [s for s in self.get_source_fields() if s is not None]
        if any(isinstance(s, f.DecimalField) for s in source_fields):
            from django.db.models.expressions import _decimal_field

            return _decimal_field()
        if any(isinstance(s, f.IntegerField) for s in source_fields):
            return f.FloatField()
        return super()._resolve_output_field() if source_fields else f.FloatField()
