"""``Meta.order_with_respect_to = "<foreign key>"``: rows kept in an order
of their own within each parent.

What a model declaring it gets (``install()``, called once the class body is
installed):

- an ``_order`` integer column (``OrderWrt``) and ``Meta.ordering = ["_order"]``;
- on INSERT (except for fixture rows that carry an ``_order``, which keep
  it), the next position among the rows of the same parent: one past the
  highest ``_order`` there, so a deleted row never causes a duplicate;
  ``bulk_create()`` numbers, in list order, the objects whose ``_order`` is
  None (one query per parent);
- ``get_next_in_order()`` / ``get_previous_in_order()`` on its instances;
- on the parent model, ``get_<model>_order()`` (the children's primary keys in
  order) and ``set_<model>_order(pk_list)`` (which rewrites ``_order``).

Databases: the numbering query runs on the database the row is inserted
into; the parent's methods read and write on the parent's database
(``parent._state.db``), and route like any write when the parent was never
saved or loaded.
"""
from functools import partialmethod

from django.core.exceptions import FieldDoesNotExist
from django.db import router, transaction
from django.db.models.aggregates import Max
from django.db.models.fields.proxy import OrderWrt
from django.db.models.fields.related import lazy_related_operation


def install(model):
    """Resolve ``Meta.order_with_respect_to`` to its field and give
    ``model`` the ``_order`` column, its ordering and the order methods."""
    opts = model._meta
    if opts.proxy:
        return  # a proxy shares its concrete model's column and methods
    name = opts.order_with_respect_to
    try:
        field = opts.get_field(name)
    except FieldDoesNotExist:
        raise FieldDoesNotExist(
            "%s: Meta.order_with_respect_to refers to '%s', which is not a field of the model."
            % (opts.label, name)
        ) from None
    if not getattr(field, "many_to_one", False) or getattr(field, "remote_field", None) is None:
        raise TypeError(
            "%s: Meta.order_with_respect_to must name a ForeignKey; '%s' is a %s."
            % (opts.label, name, type(field).__name__)
        )
    if opts.ordering and list(opts.ordering) != ["_order"]:
        raise TypeError(
            "%s: Meta.ordering and Meta.order_with_respect_to cannot be used together "
            "(the order is '_order')." % opts.label
        )
    opts.order_with_respect_to = field
    opts.ordering = ["_order"]
    model.add_to_class("_order", OrderWrt())
    model.get_next_in_order = partialmethod(_adjacent_in_order, later=True)
    model.get_previous_in_order = partialmethod(_adjacent_in_order, later=False)
    lazy_related_operation(_install_parent_methods, model, field.remote_field.model, field=field)


def next_position(rows, instance):
    """The ``_order`` for ``instance`` about to be inserted through ``rows``
    (a queryset on the database of the INSERT)."""
    field = rows.model._meta.order_with_respect_to
    siblings = rows.filter(**{field.attname: getattr(instance, field.attname)})
    highest = siblings.aggregate(highest=Max("_order"))["highest"]
    return 0 if highest is None else highest + 1


def number_bulk_rows(model, alias, objs):
    """bulk_create(): give the objects without an ``_order`` the next
    positions among their parent's rows on ``alias``, in list order."""
    rows = model._base_manager.using(alias)
    field = model._meta.order_with_respect_to
    following = {}  # parent key -> next free position
    for obj in objs:
        if obj._order is not None:
            continue
        parent_key = getattr(obj, field.attname)
        if parent_key not in following:
            following[parent_key] = next_position(rows, obj)
        obj._order = following[parent_key]
        following[parent_key] += 1


def _install_parent_methods(model, parent, field):
    suffix = model._meta.model_name
    setattr(parent, "get_%s_order" % suffix, partialmethod(_children_order, field=field))
    setattr(parent, "set_%s_order" % suffix, partialmethod(_set_children_order, field=field))


def _children_of(parent, field):
    """``field.model``'s rows belonging to ``parent``, on the parent's
    database, and that database's alias."""
    model = field.model
    alias = parent._state.db or router.db_for_write(model, instance=parent)
    return model._base_manager.using(alias).filter(**{field.name: parent}), alias


def _children_order(parent, field):
    children = _children_of(parent, field)[0]
    return children.order_by("_order").values_list("pk", flat=True)


def _set_children_order(parent, id_list, field):
    children, alias = _children_of(parent, field)
    # Primary keys that are not the parent's children are ignored.
    with transaction.atomic(using=alias, savepoint=False):
        for position, pk in enumerate(id_list):
            children.filter(pk=pk).update(_order=position)


def _adjacent_in_order(instance, later):
    # A proxy's rows are its concrete model's, ordered by the same field.
    field = instance._meta.concrete_model._meta.order_with_respect_to
    siblings = type(instance)._base_manager.using(instance._state.db).filter(
        **{field.attname: getattr(instance, field.attname)}
    )
    # The stored position, not the attribute: set_<model>_order() may have
    # moved the row since this instance was loaded.
    position = siblings.values_list("_order", flat=True).get(pk=instance.pk)
    if later:
        found = siblings.filter(_order__gt=position).order_by("_order").first()
    else:
        found = siblings.filter(_order__lt=position).order_by("-_order").first()
    if found is None:
        raise instance.DoesNotExist(
            "%s is the %s in its order." % (instance, "last" if later else "first")
        )
    return found
