"""Lookups on relation fields: ``filter(author=person)``,
``filter(author__in=[p1, p2])``, ``filter(author__isnull=True)``.

The value may be a model instance, a primary key value, or a queryset; an
instance is turned into the value of the column the relation points to.
Relations here have one column, so each comparison is with one value.
"""
from django.db.models.lookups import (
    Exact, GreaterThan, GreaterThanOrEqual, In, IsNull, LessThan, LessThanOrEqual,
)


def _target_field(output_field):
    """The field whose values a relation's column holds (the field itself
    for a plain column)."""
    path_infos = getattr(output_field, "path_infos", None)
    return path_infos[-1].target_fields[-1] if path_infos else output_field


def _value_of(instance, target):
    """``instance``'s value for ``target``, following a chain of relations
    when the target is itself a relation to the instance's model."""
    while not isinstance(instance, target.model) and target.remote_field is not None:
        rel = target.remote_field
        target = rel.model._meta.get_field(rel.field_name)
    return getattr(instance, target.attname, instance.pk)


def related_value(value, lhs):
    """The raw value ``value`` stands for when compared with the relation
    ``lhs``: an instance's target column value, a 1-tuple's item, or the
    value itself."""
    from django.db.models import Model

    if isinstance(value, tuple) and len(value) == 1:
        (value,) = value
    if not isinstance(value, Model):
        return value
    if value.pk is None:
        raise ValueError("Model instances passed to related filters must be saved (got %r)." % value)
    return _value_of(value, _target_field(lhs.output_field))


class RelatedLookupMixin:
    """Compare a relation with an instance or a raw value: both become the
    target column's value, prepared by the target field."""

    def get_prep_lookup(self):
        if not hasattr(self.rhs, "resolve_expression"):
            self.rhs = related_value(self.rhs, self.lhs)
            if self.prepare_rhs and hasattr(self.lhs.output_field, "path_infos"):
                self.rhs = _target_field(self.lhs.output_field).get_prep_value(self.rhs)
        return super().get_prep_lookup()


class RelatedIn(In):
    """``author__in=``: a list of instances or values (each prepared by the
    target field), or a queryset (compared on the target column)."""

    def get_prep_lookup(self):
        target = _target_field(self.lhs.output_field)
        if self.rhs_is_direct_value():
            raw_values = (related_value(item, self.lhs) for item in self.rhs)
            self.rhs = [None if raw is None else target.get_prep_value(raw) for raw in raw_values]
            return self.rhs
        subquery = getattr(self.rhs, "query", self.rhs)
        if hasattr(subquery, "has_select_fields") and not subquery.has_select_fields:
            self.rhs = _selecting(subquery, "pk" if target.model is not subquery.model else target.attname)
        return super().get_prep_lookup()

    def rhs_is_direct_value(self):
        return not (hasattr(self.rhs, "as_sql") or hasattr(self.rhs, "resolve_expression"))


def _selecting(query, column):
    """A copy of ``query`` (a queryset of related objects) selecting
    ``column`` only."""
    narrowed = query.clone()
    narrowed.clear_select_clause()
    narrowed.add_fields([column])
    return narrowed


def _relation_flavour(lookup_class):
    """``lookup_class`` taking instances or values on its right side."""
    name = "Related" + lookup_class.__name__
    return type(name, (RelatedLookupMixin, lookup_class), {"__module__": __name__, "__qualname__": name})


# The comparisons a relation supports besides ``in``.
RelatedExact = _relation_flavour(Exact)
RelatedLessThan = _relation_flavour(LessThan)
RelatedGreaterThan = _relation_flavour(GreaterThan)
RelatedGreaterThanOrEqual = _relation_flavour(GreaterThanOrEqual)
RelatedLessThanOrEqual = _relation_flavour(LessThanOrEqual)
RelatedIsNull = _relation_flavour(IsNull)
