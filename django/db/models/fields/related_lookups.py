"""Lookups on relation fields: ``filter(author=person)``,
``filter(author__in=[p1, p2])``, ``filter(author__isnull=True)``.

The value may be a model instance, a primary key value, or a queryset; an
instance is turned into the value of the column the relation points to.
"""
from django.db.models.lookups import (
    Exact, GreaterThan, GreaterThanOrEqual, In, IsNull, LessThan, LessThanOrEqual,
)


def _target_fields(output_field):
    path_infos = getattr(output_field, "path_infos", None)
    if path_infos:
        return path_infos[-1].target_fields
    return (output_field,)


def get_normalized_value(value, lhs):
    """``value`` as a tuple of the target column values."""
    from django.db.models import Model

    if isinstance(value, Model):
        if value.pk is None:
            raise ValueError("Model instances passed to related filters must be saved (got %r)." % value)
        values = []
        for source in _target_fields(lhs.output_field):
            # Follow to_field chains (a FK pointing at a FK).
            while not isinstance(value, source.model) and source.remote_field:
                source = source.remote_field.model._meta.get_field(source.remote_field.field_name)
            try:
                values.append(getattr(value, source.attname))
            except AttributeError:
                return (value.pk,)
        return tuple(values)
    return value if isinstance(value, tuple) else (value,)


class RelatedLookupMixin:
    """Compare a relation with an instance or a raw value: both become the
    target column's value, prepared by the target field."""

    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression"):
            return super().get_prep_lookup()
        (raw,) = get_normalized_value(self.rhs, self.lhs)[:1]
        self.rhs = raw
        if self.prepare_rhs and hasattr(self.lhs.output_field, "path_infos"):
            self.rhs = _target_fields(self.lhs.output_field)[-1].get_prep_value(raw)
        return super().get_prep_lookup()


class RelatedIn(In):
    def get_prep_lookup(self):
        target = _target_fields(self.lhs.output_field)[-1]
        if self.rhs_is_direct_value():
            # Instances and raw values, each prepared by the target field.
            prepared = []
            for item in self.rhs:
                (raw,) = get_normalized_value(item, self.lhs)[:1]
                prepared.append(None if raw is None else target.get_prep_value(raw))
            self.rhs = prepared
            return prepared
        inner = getattr(self.rhs, "query", self.rhs)
        if hasattr(inner, "has_select_fields") and not inner.has_select_fields:
            # A queryset of related objects: compare with their target column.
            inner = inner.clone()
            inner.clear_select_clause()
            inner.add_fields(["pk" if target.model is not inner.model else target.attname])
            self.rhs = inner
        return super().get_prep_lookup()

    def rhs_is_direct_value(self):
        return not (hasattr(self.rhs, "as_sql") or hasattr(self.rhs, "resolve_expression"))


# The comparisons a relation supports, each taking instances or values.
class RelatedExact(RelatedLookupMixin, Exact):
    pass


class RelatedLessThan(RelatedLookupMixin, LessThan):
    pass


class RelatedGreaterThan(RelatedLookupMixin, GreaterThan):
    pass


class RelatedGreaterThanOrEqual(RelatedLookupMixin, GreaterThanOrEqual):
    pass


class RelatedLessThanOrEqual(RelatedLookupMixin, LessThanOrEqual):
    pass


class RelatedIsNull(RelatedLookupMixin, IsNull):
    pass
