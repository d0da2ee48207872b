"""``Model`` and its metaclass ``ModelBase``.

Contracts with the query layer (H6):

* ``Model.from_db(db, field_names, values)`` builds an instance from a row;
  ``values`` follow ``_meta.concrete_fields`` order (when some fields are
  deferred, ``field_names`` lists the attnames present, in that order).
* ``Model._do_insert`` calls ``manager._insert([obj], fields=...,
  returning_fields=..., raw=...)`` and expects a list of rows (tuples of the
  returning fields' values), or a falsy value when nothing is returned.
* ``Model._do_update`` calls ``base_qs.filter(pk=pk)._update(values)`` with
  ``values`` a list of ``(field, None, value)`` triples and expects the number
  of rows updated.
"""
import copy

from django.apps import apps
from django.core.exceptions import (
    NON_FIELD_ERRORS, FieldDoesNotExist, FieldError, MultipleObjectsReturned,
    ObjectDoesNotExist, ValidationError,
)
from django.db.models import signals
from django.db.models.constraints import UniqueConstraint
from django.db.models.deletion import Collector
from django.db.models.fields import NOT_PROVIDED
from django.db.models.manager import Manager
from django.db.models.options import Options
from django.db.models.utils import AltersData

__all__ = ["DEFERRED", "Model", "ModelBase", "ModelState", "model_unpickle"]


class Deferred:
    def __repr__(self):
        return "<Deferred field>"

    __str__ = __repr__


DEFERRED = Deferred()


def subclass_exception(name, bases, module, attached_to):
    """An exception class ``name`` nested in ``attached_to`` (picklable)."""
    return type(name, bases, {"__module__": module, "__qualname__": "%s.%s" % (attached_to.__qualname__, name)})


def _has_contribute_to_class(value):
    # Only instances (not classes) take part in contribute_to_class.
    return not isinstance(value, type) and hasattr(value, "contribute_to_class")


class ModelBase(type):
    """Metaclass of every model: builds ``_meta``, fields and managers."""

    def __new__(cls, name, bases, attrs, **kwargs):
        super_new = super().__new__
        parents = [b for b in bases if isinstance(b, ModelBase)]
        if not parents:
            # Model itself.
            return super_new(cls, name, bases, attrs, **kwargs)

        module = attrs.pop("__module__")
        new_attrs = {"__module__": module}
        classcell = attrs.pop("__classcell__", None)
        if classcell is not None:
            new_attrs["__classcell__"] = classcell
        attr_meta = attrs.pop("Meta", None)
        contributable_attrs = {}
        for obj_name, obj in attrs.items():
            if _has_contribute_to_class(obj):
                contributable_attrs[obj_name] = obj
            else:
                new_attrs[obj_name] = obj
        new_class = super_new(cls, name, bases, new_attrs, **kwargs)

        abstract = getattr(attr_meta, "abstract", False)
        meta = attr_meta or getattr(new_class, "Meta", None)
        base_meta = getattr(new_class, "_meta", None)

        app_label = None
        if getattr(meta, "app_label", None) is None:
            app_config = apps.get_containing_app_config(module)
            registry = getattr(meta, "apps", None) or Options.default_apps
            if app_config is None and registry is not apps:
                app_config = registry.get_containing_app_config(module)
            if app_config is None:
                if not abstract:
                    raise RuntimeError(
                        "Model class %s.%s doesn't declare an explicit app_label and "
                        "isn't in an application in INSTALLED_APPS." % (module, name)
                    )
            else:
                app_label = app_config.label

        new_class.add_to_class("_meta", Options(meta, app_label))
        if not abstract:
            new_class.add_to_class("DoesNotExist", subclass_exception(
                "DoesNotExist",
                tuple(x.DoesNotExist for x in parents if hasattr(x, "_meta") and not x._meta.abstract)
                or (ObjectDoesNotExist,),
                module, new_class,
            ))
            new_class.add_to_class("MultipleObjectsReturned", subclass_exception(
                "MultipleObjectsReturned",
                tuple(x.MultipleObjectsReturned for x in parents if hasattr(x, "_meta") and not x._meta.abstract)
                or (MultipleObjectsReturned,),
                module, new_class,
            ))
            if base_meta and not base_meta.abstract:
                # Non-abstract children inherit ordering and get_latest_by.
                if not hasattr(meta, "ordering"):
                    new_class._meta.ordering = base_meta.ordering
                if not hasattr(meta, "get_latest_by"):
                    new_class._meta.get_latest_by = base_meta.get_latest_by

        is_proxy = new_class._meta.proxy

        for obj_name, obj in contributable_attrs.items():
            new_class.add_to_class(obj_name, obj)

        opts = new_class._meta
        field_names = {f.name for f in (*opts.local_fields, *opts.local_many_to_many, *opts.private_fields)}

        if is_proxy:
            base = None
            for parent in [kls for kls in parents if hasattr(kls, "_meta")]:
                if parent._meta.abstract:
                    if parent._meta.fields:
                        raise TypeError(
                            "Abstract base class containing model fields not "
                            "permitted for proxy model '%s'." % name
                        )
                    continue
                if base is None:
                    base = parent
                elif parent._meta.concrete_model is not base._meta.concrete_model:
                    raise TypeError("Proxy model '%s' has more than one non-abstract model base class." % name)
            if base is None:
                raise TypeError("Proxy model '%s' has no non-abstract model base class." % name)
            opts.setup_proxy(base)
            opts.concrete_model = base._meta.concrete_model
        else:
            opts.concrete_model = new_class

        # Walk the MRO: copy the fields of abstract bases, refuse concrete
        # bases (multi-table inheritance is not implemented).
        inherited_attributes = set()
        for base in new_class.mro():
            if base not in parents or not hasattr(base, "_meta"):
                inherited_attributes.update(base.__dict__)
                continue
            parent_fields = (*base._meta.local_fields, *base._meta.local_many_to_many)
            if not base._meta.abstract:
                if not is_proxy:
                    raise TypeError(
                        "Model %s.%s subclasses the concrete model %s: multi-table "
                        "inheritance is not supported yet. "
                        "Make %s abstract, or set Meta.proxy = True on %s."
                        % (module, name, base._meta.label, base.__name__, name)
                    )
                opts.parents[base._meta.concrete_model] = None
                inherited_attributes.update(base.__dict__)
                continue
            for field in parent_fields:
                if field.name in field_names:
                    if field.name not in new_class.__dict__ and field.name not in inherited_attributes:
                        continue
                    raise FieldError(
                        "Local field %r in class %r clashes with field of the same "
                        "name from base class %r." % (field.name, name, base.__name__)
                    )
                if field.name in new_class.__dict__ or field.name in inherited_attributes:
                    continue  # overridden (e.g. set to None) by a subclass
                new_field = copy.deepcopy(field)
                new_class.add_to_class(field.name, new_field)
                field_names.add(field.name)
            for field in base._meta.private_fields:
                if field.name not in field_names:
                    new_class.add_to_class(field.name, copy.deepcopy(field))

        # Copy indexes so names are unique when models extend an abstract model.
        opts.indexes = [copy.deepcopy(idx) for idx in opts.indexes]

        if abstract:
            # Abstract models are never registered; children inherit Meta.
            attr_meta.abstract = False
            new_class.Meta = attr_meta
            return new_class

        new_class._prepare()
        opts.apps.register_model(opts.app_label, new_class)
        return new_class

    def add_to_class(cls, name, value):
        if _has_contribute_to_class(value):
            value.contribute_to_class(cls, name)
        else:
            setattr(cls, name, value)

    def _prepare(cls):
        opts = cls._meta
        opts._prepare(cls)
        for index in opts.indexes:
            if not index.name:
                index.set_name_with_model(cls)
        for names in opts.unique_together:
            for field_name in names:
                opts.get_field(field_name)  # clear FieldDoesNotExist early
        if cls.__doc__ is None:
            cls.__doc__ = "%s(%s)" % (cls.__name__, ", ".join(f.name for f in opts.fields))

        if not opts.managers:
            if any(f.name == "objects" for f in opts.fields):
                raise ValueError(
                    "Model %s must specify a custom Manager, because it has a "
                    "field named 'objects'." % cls.__name__
                )
            manager = Manager()
            manager.auto_created = True
            cls.add_to_class("objects", manager)

        _check_db_table_clash(cls)
        signals.class_prepared.send(sender=cls)

    @property
    def _base_manager(cls):
        return cls._meta.base_manager

    @property
    def _default_manager(cls):
        return cls._meta.default_manager


def _check_db_table_clash(model):
    """Refuse two managed concrete models sharing one table in a registry."""
    opts = model._meta
    if opts.proxy or not opts.managed:
        return
    registry = opts.apps
    all_models = getattr(registry, "all_models", {})
    for models in all_models.values():
        for other in models.values():
            o = other._meta
            if (
                other is not model and not o.proxy and o.managed
                and o.db_table == opts.db_table
                and o.label_lower != opts.label_lower
            ):
                raise RuntimeError(
                    "db_table '%s' is used by multiple models: %s, %s."
                    % (opts.db_table, o.label, opts.label)
                )


class ModelStateFieldsCacheDescriptor:
    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        res = instance.fields_cache = {}
        return res


class ModelState:
    """Per-instance state: ``adding`` (not saved yet) and the relation cache."""

    adding = True
    fields_cache = ModelStateFieldsCacheDescriptor()

    def __getstate__(self):
        state = self.__dict__.copy()
        if "fields_cache" in state:
            state["fields_cache"] = state["fields_cache"].copy()
        return state


class Model(AltersData, metaclass=ModelBase):
    def __init__(self, *args, **kwargs):
        cls = self.__class__
        opts = self._meta
        _setattr = setattr
        _DEFERRED = DEFERRED
        if opts.abstract:
            raise TypeError("Abstract models cannot be instantiated.")

        signals.pre_init.send(sender=cls, args=args, kwargs=kwargs)
        self._state = ModelState()

        concrete = opts.concrete_fields
        if len(args) > len(concrete):
            raise IndexError(
                "%s() takes at most %d positional arguments (%d given)."
                % (cls.__name__, len(concrete), len(args))
            )
        if not kwargs:
            fields_iter = iter(concrete)
            for val, field in zip(args, fields_iter):
                if val is not _DEFERRED:
                    _setattr(self, field.attname, val)
        else:
            fields_iter = iter(opts.fields)
            for val, field in zip(args, fields_iter):
                if val is not _DEFERRED:
                    _setattr(self, field.attname, val)
                if field.name in kwargs or field.attname in kwargs:
                    raise TypeError(
                        "%s() got both positional and keyword arguments for field '%s'."
                        % (cls.__qualname__, field.name)
                    )

        for field in fields_iter:
            is_related_object = False
            if kwargs:
                try:
                    val = kwargs.pop(field.attname)
                except KeyError:
                    if field.is_relation and field.name in kwargs:
                        # Book(author=person): an object, set through the
                        # descriptor so it is checked and cached.
                        is_related_object = True
                        val = kwargs.pop(field.name)
                    elif field.name != field.attname and field.name in kwargs:
                        val = kwargs.pop(field.name)
                    else:
                        val = field.get_default()
            else:
                val = field.get_default()
            if is_related_object:
                if val is not _DEFERRED:
                    _setattr(self, field.name, val)
            elif val is not _DEFERRED:
                _setattr(self, field.attname, val)

        if kwargs:
            property_names = opts._property_names
            unexpected = []
            for prop, value in kwargs.items():
                if prop in property_names:
                    if value is not _DEFERRED:
                        _setattr(self, prop, value)
                else:
                    try:
                        opts.get_field(prop)
                    except FieldDoesNotExist:
                        unexpected.append(prop)
                    else:
                        if value is not _DEFERRED:
                            _setattr(self, prop, value)
            if unexpected:
                raise TypeError(
                    "%s() got unexpected keyword arguments: %s"
                    % (cls.__name__, ", ".join(repr(n) for n in unexpected))
                )
        super().__init__()
        signals.post_init.send(sender=cls, instance=self)

    @classmethod
    def from_db(cls, db, field_names, values):
        """Build an instance from a database row (the compiler's fast path).

        ``values`` is in ``_meta.concrete_fields`` order; ``field_names`` are
        the attnames loaded, used only when some fields are deferred.
        """
        opts = cls._meta
        attnames = opts._concrete_attnames
        if len(values) == len(attnames):
            if cls.__init__ is Model.__init__ and not (
                signals.pre_init.has_listeners(cls) or signals.post_init.has_listeners(cls)
            ):
                new = cls.__new__(cls)
                state = ModelState()
                state.adding = False
                new_dict = new.__dict__
                new_dict["_state"] = state
                new_dict.update(zip(attnames, values))
                return new
        else:
            present = set(field_names)
            values_iter = iter(values)
            values = [next(values_iter) if a in present else DEFERRED for a in attnames]
        new = cls(*values)
        new._state.adding = False
        return new

    # -- identity ------------------------------------------------------------
    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)

    def __str__(self):
        return "%s object (%s)" % (self.__class__.__name__, self.pk)

    def __eq__(self, other):
        if not isinstance(other, Model):
            return NotImplemented
        if self._meta.concrete_model != other._meta.concrete_model:
            return False
        my_pk = self.pk
        if my_pk is None:
            return self is other
        return my_pk == other.pk

    def __hash__(self):
        if self.pk is None:
            raise TypeError("Model instances without primary key value are unhashable")
        return hash(self.pk)

    def __reduce__(self):
        data = self.__getstate__()
        class_id = self._meta.app_label, self._meta.object_name
        return model_unpickle, (class_id,), data

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_state"] = copy.copy(state["_state"])
        if "fields_cache" in state["_state"].__dict__:
            state["_state"].fields_cache = state["_state"].fields_cache.copy()
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    def _get_pk_val(self, meta=None):
        meta = meta or self._meta
        return getattr(self, meta.pk.attname)

    def _set_pk_val(self, value):
        return setattr(self, self._meta.pk.attname, value)

    pk = property(_get_pk_val, _set_pk_val)

    def get_deferred_fields(self):
        """Attnames of concrete fields not loaded from the database."""
        return {f.attname for f in self._meta.concrete_fields if f.attname not in self.__dict__}

    # -- loading -------------------------------------------------------------
    def refresh_from_db(self, fields=None, from_queryset=None):
        """Reload field values from the database (all, or ``fields``)."""
        if fields is not None:
            fields = list(fields)
            if not fields:
                return
            for name in fields:
                self._meta.get_field(name)  # FieldDoesNotExist naming it
        qs = from_queryset if from_queryset is not None else self.__class__._base_manager.get_queryset()
        qs = qs.filter(pk=self.pk)
        deferred = self.get_deferred_fields()
        if fields is not None:
            qs = qs.only(*fields)
        elif deferred:
            loaded = [f.attname for f in self._meta.concrete_fields if f.attname not in deferred]
            qs = qs.only(*loaded)
        db_instance = qs.get()
        non_loaded = db_instance.get_deferred_fields()
        for field in self._meta.concrete_fields:
            if field.attname in non_loaded:
                continue
            setattr(self, field.attname, getattr(db_instance, field.attname))
        self._state.adding = False

    def serializable_value(self, field_name):
        try:
            field = self._meta.get_field(field_name)
        except FieldDoesNotExist:
            return getattr(self, field_name)
        return getattr(self, field.attname)

    # -- saving --------------------------------------------------------------
    def save(self, force_insert=False, force_update=False, update_fields=None):
        """Save the instance: INSERT or UPDATE as appropriate."""
        if force_insert and (force_update or update_fields):
            raise ValueError("Cannot force both insert and updating in model saving.")

        self._prepare_related_fields_for_save(operation_name="save")
        if update_fields is not None:
            # An empty update_fields list means nothing to save.
            if not update_fields:
                return
            update_fields = frozenset(update_fields)
            field_names = self._meta._non_pk_concrete_field_names
            non_model_fields = update_fields.difference(field_names)
            if non_model_fields:
                raise ValueError(
                    "The following fields do not exist in this model, are m2m "
                    "fields, or are non-concrete fields: %s" % ", ".join(sorted(non_model_fields))
                )
        elif not force_insert and not self._state.adding:
            # A deferred-loaded instance saves only the loaded fields.
            deferred = self.get_deferred_fields()
            if deferred:
                loaded = self._meta._non_pk_concrete_field_names.difference(deferred)
                update_fields = frozenset(
                    f.name for f in self._meta.concrete_fields if f.attname in loaded
                )
        self.save_base(force_insert=force_insert, force_update=force_update, update_fields=update_fields)

    save.alters_data = True

    def save_base(self, raw=False, force_insert=False, force_update=False, update_fields=None):
        """The core of save(): signals around one atomic INSERT/UPDATE."""
        from django.db import transaction

        cls = origin = self.__class__
        if cls._meta.proxy:
            cls = cls._meta.concrete_model
        meta = cls._meta
        if not meta.auto_created:
            signals.pre_save.send(sender=origin, instance=self, raw=raw, update_fields=update_fields)
        with transaction.mark_for_rollback_on_error():
            updated = self._save_table(raw, cls, force_insert, force_update, update_fields)
        self._state.adding = False
        if not meta.auto_created:
            signals.post_save.send(
                sender=origin, instance=self, created=(not updated),
                update_fields=update_fields, raw=raw,
            )

    save_base.alters_data = True

    def _save_table(self, raw=False, cls=None, force_insert=False, force_update=False, update_fields=None):
        meta = cls._meta
        pk_attname = meta.pk.attname
        non_pks = [f for f in meta.local_concrete_fields if not f.primary_key]
        if update_fields:
            non_pks = [f for f in non_pks if f.name in update_fields or f.attname in update_fields]

        pk_val = self._get_pk_val(meta)
        if pk_val is None:
            pk_val = meta.pk.get_pk_value_on_save(self) if hasattr(meta.pk, "get_pk_value_on_save") else None
            setattr(self, pk_attname, pk_val)
        pk_set = pk_val is not None
        if not pk_set and (force_update or update_fields):
            raise ValueError("Cannot force an update in save() with no primary key.")
        updated = False
        # A new instance whose pk comes from a default: skip the UPDATE try.
        if (
            not raw and not force_insert and self._state.adding
            and meta.pk.default is not NOT_PROVIDED
        ):
            force_insert = True
        if pk_set and not force_insert:
            from django.db import DatabaseError

            base_qs = cls._base_manager
            values = [
                (f, None, (getattr(self, f.attname) if raw else f.pre_save(self, False)))
                for f in non_pks
            ]
            forced_update = update_fields or force_update
            updated = self._do_update(base_qs, pk_val, values, update_fields, forced_update)
            if force_update and not updated:
                raise DatabaseError("Forced update did not affect any rows.")
            if update_fields and not updated:
                raise DatabaseError("Save with update_fields did not affect any rows.")
        if not updated:
            fields = meta.local_concrete_fields
            if not pk_set:
                fields = [f for f in fields if f is not meta.auto_field]
            returning_fields = meta.db_returning_fields
            results = self._do_insert(cls._base_manager, fields, returning_fields, raw)
            if results:
                row = results[0]
                if not isinstance(row, (list, tuple)):
                    row = (row,)
                for value, field in zip(row, returning_fields):
                    setattr(self, field.attname, value)
        return updated

    def _do_update(self, base_qs, pk_val, values, update_fields, forced_update):
        filtered = base_qs.filter(pk=pk_val)
        if not values:
            # Nothing to update: report whether the row exists (or trust
            # update_fields, which says the row is known to exist).
            return update_fields is not None or filtered.exists()
        return filtered._update(values) > 0

    def _do_insert(self, manager, fields, returning_fields, raw):
        insert = getattr(manager, "_insert", None)
        if insert is None:
            insert = manager.get_queryset()._insert
        return insert([self], fields=fields, returning_fields=returning_fields, raw=raw)

    def prepare_database_save(self, field):
        """The value stored for this object in ``field`` (a foreign key):
        ``update(author=person)``."""
        if self.pk is None:
            raise ValueError("Unsaved model instance %r cannot be used in an ORM query." % self)
        return getattr(self, field.remote_field.get_related_field().attname)

    # -- deleting ------------------------------------------------------------
    def delete(self, keep_parents=False):
        """Delete the row; return ``(count, {"app_label.Model": count})``."""
        if self.pk is None:
            raise ValueError(
                "%s object can't be deleted because its %s attribute is set to None."
                % (self._meta.object_name, self._meta.pk.attname)
            )
        connection = self.__class__._base_manager.get_queryset().db
        collector = Collector(connection, origin=self)
        collector.collect([self])
        return collector.delete()

    delete.alters_data = True

    def _prepare_related_fields_for_save(self, operation_name, fields=None):
        """Refuse to save a reference to an unsaved related object (its id
        would be lost), and pick up the id of one saved since assignment."""
        for field in self._meta.concrete_fields:
            if fields and field not in fields:
                continue
            if not field.is_relation or not field.is_cached(self):
                continue
            obj = field.get_cached_value(self)
            if obj is None:
                continue
            if obj.pk is None:
                if not field.remote_field.multiple:
                    field.remote_field.delete_cached_value(obj)
                raise ValueError(
                    "%s() prohibited to prevent data loss due to unsaved "
                    "related object '%s'." % (operation_name, field.name)
                )
            if getattr(self, field.attname) in field.empty_values:
                # The related object was saved after the assignment.
                setattr(self, field.name, obj)
            if getattr(obj, field.target_field.attname) != getattr(self, field.attname):
                field.delete_cached_value(self)

    # -- system checks -----------------------------------------------------------
    @classmethod
    def check(cls, **kwargs):
        """Configuration problems of this model (fields, Meta.ordering)."""
        errors = []
        for field in (*cls._meta.local_fields, *cls._meta.local_many_to_many):
            errors.extend(field.check(**kwargs))
        errors.extend(cls._check_ordering())
        return errors

    @classmethod
    def _check_ordering(cls):
        from django.core import checks

        errors = []
        valid = {f.name for f in cls._meta.get_fields()} | {f.attname for f in cls._meta.concrete_fields}
        for item in cls._meta.ordering or ():
            if not isinstance(item, str) or item == "?":
                continue  # expressions and random ordering
            name = item.lstrip("-").split("__")[0]
            if name != "pk" and name not in valid:
                errors.append(checks.Error(
                    "'ordering' refers to the nonexistent field '%s'." % name,
                    obj=cls, id="models.E015",
                ))
        return errors

    # -- helpers installed by fields -------------------------------------------
    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        choices_dict = dict(_make_hashable_choices(field.flatchoices))
        try:
            return str(choices_dict.get(_make_hashable(value), value))
        except TypeError:
            return str(value)

    def _get_next_or_previous_by_FIELD(self, field, is_next, **kwargs):
        if not self.pk:
            raise ValueError("get_next/get_previous cannot be used on unsaved objects.")
        from django.db.models.query_utils import Q

        op = "gt" if is_next else "lt"
        order = "" if is_next else "-"
        param = getattr(self, field.attname)
        q = Q(**{field.name: param, "pk__%s" % op: self.pk}) | Q(**{"%s__%s" % (field.name, op): param})
        qs = (
            self.__class__._default_manager.filter(**kwargs)
            .filter(q)
            .order_by("%s%s" % (order, field.name), "%spk" % order)
        )
        try:
            return qs[0]
        except IndexError:
            raise self.DoesNotExist("%s matching query does not exist." % self.__class__._meta.object_name)

    # -- validation ------------------------------------------------------------
    def clean(self):
        """Hook for model-wide validation; raise ValidationError."""

    def clean_fields(self, exclude=None):
        """Clean every field not in ``exclude``; collect all errors."""
        exclude = set(exclude or ())
        errors = {}
        for f in self._meta.fields:
            if f.name in exclude:
                continue
            raw_value = getattr(self, f.attname)
            if f.blank and raw_value in f.empty_values:
                continue
            try:
                setattr(self, f.attname, f.clean(raw_value, self))
            except ValidationError as e:
                errors[f.name] = e.error_list
        if errors:
            raise ValidationError(errors)

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        """clean_fields(), clean(), validate_unique() and
        validate_constraints(); one ValidationError with every problem."""
        errors = {}
        exclude = set(exclude or ())
        try:
            self.clean_fields(exclude=exclude)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        try:
            self.clean()
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        # Fields that already failed are not checked again.
        exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
        if validate_unique:
            try:
                self.validate_unique(exclude=exclude)
            except ValidationError as e:
                errors = e.update_error_dict(errors)
        if validate_constraints:
            try:
                self.validate_constraints(exclude=exclude)
            except ValidationError as e:
                errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _get_unique_checks(self, exclude=None):
        exclude = set(exclude or ())
        unique_checks = []
        opts = self._meta
        for check in opts.unique_together:
            if not any(name in exclude for name in check):
                unique_checks.append((self.__class__, tuple(check)))
        for f in opts.local_fields:
            if f.name in exclude or not f.unique:
                continue
            unique_checks.append((self.__class__, (f.name,)))
        return unique_checks

    def validate_unique(self, exclude=None):
        """Check unique fields and unique_together against the database."""
        errors = {}
        for model_class, unique_check in self._get_unique_checks(exclude):
            lookup = {}
            for field_name in unique_check:
                f = self._meta.get_field(field_name)
                value = getattr(self, f.attname)
                if value is None:
                    break  # NULLs never clash
                if f.primary_key and not self._state.adding:
                    break  # an existing pk is its own row
                lookup[field_name] = value
            else:
                qs = model_class._default_manager.filter(**lookup)
                if not self._state.adding and self.pk is not None:
                    qs = qs.exclude(pk=self.pk)
                if qs.exists():
                    key = unique_check[0] if len(unique_check) == 1 else NON_FIELD_ERRORS
                    errors.setdefault(key, []).append(self.unique_error_message(model_class, unique_check))
        if errors:
            raise ValidationError(errors)

    def unique_error_message(self, model_class, unique_check):
        opts = model_class._meta
        params = {"model": self, "model_class": model_class, "model_name": _capfirst(opts.verbose_name),
                  "unique_check": unique_check}
        if len(unique_check) == 1:
            field = opts.get_field(unique_check[0])
            params["field_label"] = _capfirst(field.verbose_name)
            return ValidationError(field.error_messages["unique"], code="unique", params=params)
        labels = [_capfirst(opts.get_field(f).verbose_name) for f in unique_check]
        params["field_labels"] = " and ".join(labels)
        return ValidationError(
            "%(model_name)s with this %(field_labels)s already exists.",
            code="unique_together", params=params,
        )

    def get_constraints(self):
        constraints = [(self.__class__, self._meta.constraints)]
        for parent in self._meta.get_parent_list():
            if parent._meta.constraints:
                constraints.append((parent, parent._meta.constraints))
        return constraints

    def validate_constraints(self, exclude=None):
        """Check Meta.constraints (unique and check) for this instance."""
        errors = {}
        for model_class, model_constraints in self.get_constraints():
            for constraint in model_constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude)
                except ValidationError as e:
                    if (
                        getattr(e, "code", None) == "unique"
                        and isinstance(constraint, UniqueConstraint)
                        and len(constraint.fields) == 1
                    ):
                        errors.setdefault(constraint.fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _get_field_value_map(self, meta, exclude=None):
        exclude = set(exclude or ())
        return {
            field.name: getattr(self, field.attname)
            for field in meta.local_concrete_fields
            if field.name not in exclude
        }


def _capfirst(value):
    value = str(value)
    return value[:1].upper() + value[1:]


def _make_hashable(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _make_hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_make_hashable(v) for v in value)
    return value


def _make_hashable_choices(choices):
    for key, label in choices:
        yield _make_hashable(key), label


def model_unpickle(model_id):
    """Rebuild an instance of the model ``(app_label, object_name)``."""
    if isinstance(model_id, tuple):
        model = apps.get_model(*model_id)
    else:
        model = model_id
    return model.__new__(model)


model_unpickle.__safe_for_unpickle__ = True
