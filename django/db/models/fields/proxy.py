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
        kwargs["name"] = "_order"
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.OrderWrt", args, kwargs
