"""``OrderWrt``: the ``_order`` column of a model ordered with respect to a
foreign key (``Meta.order_with_respect_to``).

The field itself is a plain integer column the user does not edit; the
behaviour around it (numbering new rows, the parent's ``get_<model>_order()``
and ``set_<model>_order()``) lives in ``django.db.models.order_wrt``.
"""
from django.db.models.fields import IntegerField

__all__ = ["OrderWrt"]


class OrderWrt(IntegerField):
    """The position of a row among the rows sharing its foreign key value."""

    def __init__(self, *args, **kwargs):
        # Always the same column, filled in by the ordering, never by a form.
        super().__init__(*args, **{**kwargs, "name": "_order", "editable": False})

    def deconstruct(self):
        name, args, kwargs = (part for index, part in enumerate(super().deconstruct())
                              if index != 1)
        return name, "django.db.models.OrderWrt", args, kwargs
