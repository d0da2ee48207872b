"""``Model`` and its metaclass ``ModelBase``.

Contracts with the query layer (H6):

* ``Model.from_db(db, field_names, values)`` builds an instance from a row;
  ``values`` follow ``_meta.concrete_fields`` order (when some fields are
  deferred, ``field_names`` lists the attnames present, in that order).
* ``Model._run_insert`` calls ``manager._insert([obj], fields=...,
  returning_fields=..., raw=...)`` and expects a list of rows (tuples of the
  returning fields' values), or a falsy value when nothing is returned.
* ``Model._run_update`` calls ``base_qs.filter(pk=pk)._update(values)`` with
  ``values`` a list of ``(field, None, value)`` triples and expects the number
  of rows updated.
"""
import contextlib
import copy
from functools import partial
from itertools import chain

from django.apps import apps as global_apps
from django.core import exceptions
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import signals
from django.db.models.constraints import UniqueConstraint
from django.db.models.deletion import Collector
from django.db.models.fields import NOT_PROVIDED, Field
from django.db.models.manager import Manager
from django.db.models.options import Options
from django.db.models.utils import AltersData, checked_against

__all__ = ["DEFERRED", "Model", "ModelBase", "ModelState", "model_unpickle"]


class Deferred:
    """Type of the ``DEFERRED`` marker: "this column was not loaded"."""

    def __repr__(self):
        return "<Deferred field>"

    __str__ = __repr__


DEFERRED = Deferred()
# Model.__init__: no keyword argument for a field.
_MISSING = object()


def subclass_exception(name, bases, module, attached_to):
    """An exception class ``name`` nested in ``attached_to``. The qualified
    name makes ``pickle`` find it as ``Model.DoesNotExist``."""
    namespace = {"__module__": module, "__qualname__": f"{attached_to.__qualname__}.{name}"}
    return type(name, bases, namespace)


def _installs_itself(value):
    # Only instances (not classes) take part in contribute_to_class.
    return not isinstance(value, type) and hasattr(value, "contribute_to_class")


# The per-model exceptions and the root each one falls back to when no
# concrete model parent provides its own.
_MODEL_EXCEPTIONS = (
    ("DoesNotExist", exceptions.ObjectDoesNotExist),
    ("MultipleObjectsReturned", exceptions.MultipleObjectsReturned),
)
# Options a concrete child takes from a concrete (proxy) parent unless its
# own Meta says otherwise.
_INHERITED_META = ("ordering", "get_latest_by")


def _split_class_body(attrs):
    """Sort a class body into (plain attributes for ``type.__new__``,
    attributes to install with ``contribute_to_class``, the Meta class)."""
    plain, contributed, meta = {}, {}, None
    for key, value in attrs.items():
        if key == "Meta":
            meta = value
        elif _installs_itself(value):
            contributed[key] = value
        else:
            plain[key] = value  # includes __module__, __qualname__, __classcell__
    return plain, contributed, meta


def _app_label_for(module, class_name, meta, abstract):
    """The app label from the app containing ``module`` (None when Meta
    names one itself, or for an abstract model outside any app)."""
    if getattr(meta, "app_label", None) is not None:
        return None  # Options reads Meta.app_label
    custom_registry = getattr(meta, "apps", None) or Options.default_apps
    for registry in dict.fromkeys((global_apps, custom_registry)):
        config = registry.get_containing_app_config(module)
        if config is not None:
            return config.label
    if abstract:
        return None
    raise RuntimeError(
        "Model class %s.%s doesn't declare an explicit app_label and "
        "isn't in an application in INSTALLED_APPS." % (module, class_name)
    )


def _install_exceptions(model, model_bases):
    """``Model.DoesNotExist`` subclasses the parents' so ``except
    Parent.DoesNotExist`` also catches the child's."""
    concrete = [b for b in model_bases if hasattr(b, "_meta") and not b._meta.abstract]
    for exc_name, root in _MODEL_EXCEPTIONS:
        exc_bases = tuple(getattr(parent, exc_name) for parent in concrete) or (root,)
        model.add_to_class(exc_name, subclass_exception(exc_name, exc_bases, model.__module__, model))


def _proxy_target(class_name, model_bases):
    """The one concrete model a proxy stands for; abstract parents may only
    contribute methods and managers."""
    target = None
    for parent in model_bases:
        parent_opts = getattr(parent, "_meta", None)
        if parent_opts is None:
            continue
        if parent_opts.abstract:
            if parent_opts.fields:
                raise TypeError(
                    "Abstract base class containing model fields not "
                    "permitted for proxy model '%s'." % class_name
                )
        elif target is None:
            target = parent
        elif parent_opts.concrete_model is not target._meta.concrete_model:
            raise TypeError("Proxy model '%s' has more than one non-abstract model base class." % class_name)
    if target is None:
        raise TypeError("Proxy model '%s' has no non-abstract model base class." % class_name)
    return target


def _inherit_from_bases(model, model_bases):
    """Copy the fields of abstract parents onto ``model``.

    A concrete parent is only allowed for a proxy (multi-table inheritance
    is not implemented). An attribute defined earlier in the MRO (on the
    model itself or a mixin) overrides a parent's field of the same name;
    a *field* of the same name is a clash.
    """
    opts = model._meta
    taken = {f.name for f in chain(opts.local_fields, opts.local_many_to_many, opts.private_fields)}
    shadowing = set()
    for klass in model.__mro__:
        if klass not in model_bases or not hasattr(klass, "_meta"):
            shadowing.update(vars(klass))
            continue
        parent_opts = klass._meta
        if parent_opts.abstract:
            _copy_abstract_fields(model, parent_opts, taken, shadowing | set(vars(model)))
            continue
        if not opts.proxy:
            raise TypeError(
                "Model %s.%s subclasses the concrete model %s: multi-table "
                "inheritance is not supported yet. Make %s abstract, or set "
                "Meta.proxy = True on %s."
                % (model.__module__, model.__name__, parent_opts.label, klass.__name__, model.__name__)
            )
        opts.parents[parent_opts.concrete_model] = None
        shadowing.update(vars(klass))


def _copy_abstract_fields(model, parent_opts, taken, overridden):
    for field in chain(parent_opts.local_fields, parent_opts.local_many_to_many):
        if field.name in taken:
            if field.name in overridden:
                raise exceptions.FieldError(
                    "Local field %r in class %r clashes with field of the same "
                    "name from base class %r." % (field.name, model.__name__, parent_opts.object_name)
                )
        elif field.name not in overridden:
            # Each child needs its own field object (it records its model).
            model.add_to_class(field.name, copy.deepcopy(field))
            taken.add(field.name)
    for field in parent_opts.private_fields:
        if field.name not in taken:
            model.add_to_class(field.name, copy.deepcopy(field))


def _assemble(model, contributed, declared_meta):
    """Turn the bare class ``type.__new__`` made into a model: its Options,
    fields and managers, exceptions, parents, and (unless abstract) its
    place in the app registry."""
    model_bases = [base for base in model.__bases__ if isinstance(base, ModelBase)]
    abstract = bool(getattr(declared_meta, "abstract", False))
    meta = declared_meta or getattr(model, "Meta", None)
    # Until add_to_class("_meta") below, ``model._meta`` is the parent's.
    parent_opts = getattr(model, "_meta", None)
    app_label = _app_label_for(model.__module__, model.__name__, meta, abstract)
    model.add_to_class("_meta", Options(meta, app_label))
    if not abstract:
        _install_exceptions(model, model_bases)
        _inherit_meta_options(model._meta, meta, parent_opts)
    for attr_name, value in contributed.items():
        model.add_to_class(attr_name, value)
    _link_concrete_model(model, model_bases)
    _inherit_from_bases(model, model_bases)
    # Index objects may come from an abstract parent: each model gets its
    # own, because the name is set per model.
    model._meta.indexes = [copy.deepcopy(index) for index in model._meta.indexes]
    if abstract:
        # Never registered; a child's ``class Meta(Parent.Meta)`` must not
        # inherit abstract = True.
        declared_meta.abstract = False
        model.Meta = declared_meta
    else:
        model._finish()
        model._meta.apps.register_model(model._meta.app_label, model)


def _inherit_meta_options(opts, meta, parent_opts):
    """A concrete child takes _INHERITED_META from a concrete parent, unless its Meta sets them."""
    if parent_opts is None or parent_opts.abstract:
        return
    for option in _INHERITED_META:
        if not hasattr(meta, option):
            setattr(opts, option, getattr(parent_opts, option))


def _link_concrete_model(model, model_bases):
    """Set ``concrete_model``: the model itself, or the one a proxy stands for."""
    opts = model._meta
    if not opts.proxy:
        opts.concrete_model = model
        return
    target = _proxy_target(model.__name__, model_bases)
    opts.setup_proxy(target)
    opts.concrete_model = target._meta.concrete_model


class ModelBase(type):
    """Metaclass of every model: builds ``_meta``, fields and managers."""

    def __new__(mcs, name, bases, attrs, **kwargs):
        if not any(isinstance(base, ModelBase) for base in bases):
            # ``Model`` itself has no _meta and needs no setup.
            return super().__new__(mcs, name, bases, attrs, **kwargs)
        plain, contributed, declared_meta = _split_class_body(attrs)
        model = super().__new__(mcs, name, bases, plain, **kwargs)
        _assemble(model, contributed, declared_meta)
        return model

    def add_to_class(cls, name, value):
        """Install ``value``: fields, managers and Options hook themselves
        in; anything else is a plain class attribute."""
        install = getattr(value, "contribute_to_class", None) if not isinstance(value, type) else None
        if install is None:
            setattr(cls, name, value)
        else:
            install(cls, name)

    def _finish(cls):
        """Last step of class creation, once every field is installed."""
        opts = cls._meta
        if opts.order_with_respect_to:
            from django.db.models import order_wrt

            order_wrt.install(cls)
        opts._settle_pk(cls)
        for unnamed in [index for index in opts.indexes if not index.name]:
            unnamed.set_name_with_model(cls)
        # A misspelt unique_together entry fails at import time, naming it.
        for name in chain.from_iterable(opts.unique_together):
            opts.get_field(name)
        if cls.__doc__ is None:
            cls.__doc__ = f"{cls.__name__}({', '.join(field.name for field in opts.fields)})"
        if not opts.managers:
            _add_implicit_manager(cls)
        _check_db_table_clash(cls)
        signals.class_prepared.send(sender=cls)

    # ``Model._default_manager`` / ``_base_manager`` on the class itself.
    _base_manager = property(lambda cls: cls._meta.base_manager)
    _default_manager = property(lambda cls: cls._meta.default_manager)


def _add_implicit_manager(model):
    """Every model without a declared manager gets ``objects``."""
    if "objects" in {field.name for field in model._meta.fields}:
        raise ValueError(
            "Model %s must specify a custom Manager, because it has a "
            "field named 'objects'." % model.__name__
        )
    objects = Manager()
    objects.auto_created = True
    model.add_to_class("objects", objects)


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


class _LazyFieldsCache:
    """``ModelState.fields_cache``, created on first use: most instances
    never cache a related object, so rows from the database skip the dict."""

    def __get__(self, state, owner=None):
        if state is None:
            return self
        state.__dict__["fields_cache"] = cache = {}
        return cache


class ModelState:
    """Per-instance state: ``adding`` (not saved yet), ``db`` (the alias the
    instance was loaded from or saved to, None until then: routers and
    ``allow_relation`` read it) and the relation cache."""

    adding = True
    db = None
    fields_cache = _LazyFieldsCache()

    def __getstate__(self):
        # A copy (or unpickled clone) must not share the cache dict.
        snapshot = dict(self.__dict__)
        if "fields_cache" in snapshot:
            snapshot["fields_cache"] = dict(snapshot["fields_cache"])
        return snapshot


# Instances built from a row skip __init__ and get their ModelState on
# first use (_StateOfLoadedInstance): most of them are only read, and a
# ModelState per row is the largest part of what building one would cost.
# Which database the row came from must survive until then. A row of the
# default database stores nothing for it: a state made without a recorded
# alias is the default's. A row of another database stores its alias in the
# instance dict under _LOADED_FROM (one dict store per row), taken out when
# the state is made; the key is not an identifier, so no field or attribute
# can clash with it.
_LOADED_FROM = "_state.db"


def _loaded_instance(cls, attnames, values):
    """An instance of ``cls`` holding a complete row of the default
    database, built without running __init__ (the caller knows nobody could
    observe the difference)."""
    instance = cls.__new__(cls)
    instance.__dict__.update(zip(attnames, values))
    return instance


def _loaded_instance_from(cls, attnames, alias, values):
    """_loaded_instance() for a row of the database ``alias``, not the
    default one."""
    instance = cls.__new__(cls)
    held = instance.__dict__
    held.update(zip(attnames, values))
    held[_LOADED_FROM] = alias
    return instance


class _LoadedState(ModelState):
    """The state of an instance read from a database: ``adding`` is False
    and ``db`` the default database unless set otherwise. Class attributes,
    so that the usual case stores nothing: an attribute store that a class
    attribute shadows is not one of the interpreter's fast ones."""

    adding = False
    db = DEFAULT_DB_ALIAS


class _StateOfLoadedInstance:
    """``Model._state`` of an instance built from a row: its state is
    created when first asked for rather than for every row fetched."""

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        held = instance.__dict__
        state = held["_state"] = _LoadedState()
        if _LOADED_FROM in held:
            state.db = held.pop(_LOADED_FROM)
        return state


_CALL_GET_DEFAULT = object()


def _plain_init_steps(fields):
    """__init__ steps that call get_default() and setattr() every time."""
    return [(field, field.attname, _CALL_GET_DEFAULT, False) for field in fields]


def _init_plan(opts):
    """
    How Model.__init__ fills each of ``opts.fields`` from keywords, worked
    out once per model: (field, attname, default, direct). ``default`` is
    the value itself when the field's default is a constant (no default,
    or a non-callable one, with the stock get_default()), else
    _CALL_GET_DEFAULT. ``direct`` means storing into the instance dict is
    exactly what setattr() would do on a new instance: no data descriptor
    sits on the class under the attname, or it says so itself
    (``plain_store_on_new_instance``). Kept on ``opts`` with the fields
    tuple it was made from.
    """
    fields = opts.fields
    kept = opts.__dict__.get("_init_plan")
    if kept is not None and kept[0] is fields:
        return kept[1]
    model = opts.model
    steps = []
    for field in fields:
        attname = field.attname
        if type(field).get_default is Field.get_default and not (
            field.has_default() and callable(field.default)
        ):
            default = field.get_default()
        else:
            default = _CALL_GET_DEFAULT
        on_class = getattr(model, attname, None)
        direct = not hasattr(type(on_class), "__set__") or getattr(
            on_class, "plain_store_on_new_instance", False
        )
        steps.append((field, attname, default, direct))
    steps = tuple(steps)
    opts._init_plan = (fields, steps)
    return steps


class Model(AltersData, metaclass=ModelBase):
    _state = _StateOfLoadedInstance()

    def __init__(self, *args, **kwargs):
        cls = type(self)
        opts = self._meta
        if opts.abstract:
            raise TypeError("Abstract models cannot be instantiated.")
        # Here and in save_base(): a send() to nobody still costs a call.
        if signals.pre_init.receivers:
            signals.pre_init.send(sender=cls, args=args, kwargs=kwargs)
        self._state = ModelState()

        # Positional arguments follow concrete_fields; with keywords too,
        # the longer ``fields`` order (same prefix) is used.
        remaining = opts.fields if kwargs else opts.concrete_fields
        if args:
            if len(args) > len(opts.concrete_fields):
                raise IndexError(
                    "%s() takes at most %d positional arguments (%d given)."
                    % (cls.__name__, len(opts.concrete_fields), len(args))
                )
            for field, value in zip(remaining, args):
                if kwargs and (field.attname in kwargs or field.name in kwargs):
                    raise TypeError(
                        "%s() got both positional and keyword arguments for field '%s'."
                        % (cls.__qualname__, field.name)
                    )
                if value is not DEFERRED:
                    setattr(self, field.attname, value)
            remaining = remaining[len(args):]

        if not kwargs:
            for field in remaining:
                setattr(self, field.attname, field.get_default())
        else:
            take = kwargs.pop
            # Without positional arguments every field is in the plan, which
            # knows each field's default and whether setattr() is needed.
            steps = _init_plan(opts) if remaining is opts.fields else _plain_init_steps(remaining)
            values = self.__dict__
            for field, attname, default, direct in steps:
                value = take(attname, _MISSING)
                if value is _MISSING:
                    name = field.name
                    if name in kwargs:
                        # ``author=person`` goes through the relation
                        # descriptor (type check, caching); other aliases
                        # set the attname.
                        value = take(name)
                        if value is not DEFERRED:
                            setattr(self, name if field.is_relation else attname, value)
                        continue
                    value = field.get_default() if default is _CALL_GET_DEFAULT else default
                if value is DEFERRED:
                    continue
                if direct:
                    values[attname] = value
                else:
                    setattr(self, attname, value)
            if kwargs:
                self._set_extra_kwargs(kwargs)
        super().__init__()
        if signals.post_init.receivers:
            signals.post_init.send(sender=cls, instance=self)

    def _set_extra_kwargs(self, extra):
        """Keywords naming no concrete field: settable properties and
        column-less fields (GenericForeignKey) are assigned; any other name
        is an error that lists every unknown keyword at once."""
        opts = self._meta

        def accepted(name):
            if name in opts._property_attribute_names:
                return True
            try:
                opts.get_field(name)
            except FieldDoesNotExist:
                return False
            return True

        unknown = [name for name in extra if not accepted(name)]
        if unknown:
            raise TypeError(
                "%s() got unexpected keyword arguments: %s"
                % (type(self).__name__, ", ".join(map(repr, unknown)))
            )
        for name, value in extra.items():
            if value is not DEFERRED:
                setattr(self, name, value)

    @classmethod
    def from_db(cls, db, field_names, values):
        """Build an instance from a row read from the database alias ``db``
        (the compiler's fast path).

        ``values`` is in ``_meta.concrete_fields`` order; ``field_names`` are
        the attnames loaded, used only when some fields are deferred.
        """
        attnames = cls._meta._concrete_attnames
        if len(values) != len(attnames):
            # Deferred loading: a DEFERRED marker fills each missing slot.
            loaded, row = frozenset(field_names), iter(values)
            values = [next(row) if attname in loaded else DEFERRED for attname in attnames]
        elif cls.__init__ is Model.__init__ and not (
            signals.pre_init.has_listeners(cls) or signals.post_init.has_listeners(cls)
        ):
            # Nobody can observe __init__ running, and a complete row needs
            # no defaults: fill the instance dict directly.
            if db == DEFAULT_DB_ALIAS:
                return _loaded_instance(cls, attnames, values)
            return _loaded_instance_from(cls, attnames, db, values)
        instance = cls(*values)
        state = instance._state
        state.adding = False
        state.db = db
        return instance

    @classmethod
    def _row_loader(cls, db, field_names):
        """A function turning one row of ``field_names`` into an instance,
        chosen once per query: ``from_db()``, or, when nothing could tell
        the difference, a loop-free fill of the instance dict."""
        if (
            cls.from_db.__func__ is not Model.from_db.__func__
            or len(field_names) != len(cls._meta._concrete_attnames)
            or cls.__init__ is not Model.__init__
            or signals.pre_init.has_listeners(cls)
            or signals.post_init.has_listeners(cls)
        ):
            from_db = cls.from_db
            return lambda values: from_db(db, field_names, values)
        if db == DEFAULT_DB_ALIAS:
            return partial(_loaded_instance, cls, field_names)
        return partial(_loaded_instance_from, cls, field_names, db)

    # -- identity ------------------------------------------------------------
    def __repr__(self):
        return f"<{type(self).__name__}: {self}>"

    def __str__(self):
        return f"{type(self).__name__} object ({self.pk})"

    def __eq__(self, other):
        # Equal means "the same row": same table (a proxy instance equals
        # its concrete model's) and the same pk. Unsaved instances have no
        # row yet, so each is only equal to itself.
        if not isinstance(other, Model):
            return NotImplemented
        if self._meta.concrete_model is not other._meta.concrete_model:
            return False
        key = self.pk
        return self is other if key is None else key == other.pk

    def __hash__(self):
        key = self.pk
        if key is None:
            raise TypeError("Model instances without primary key value are unhashable")
        return hash(key)

    def __reduce__(self):
        # The class travels as (app_label, object_name) and is looked up in
        # the registry on load, so dynamically built models pickle too.
        opts = self._meta
        return model_unpickle, ((opts.app_label, opts.object_name),), self.__getstate__()

    def __getstate__(self):
        # Read first: a lazily made state takes the loaded-from alias out
        # of the instance dict (see _LOADED_FROM) before it is copied.
        state = self._state
        snapshot = dict(self.__dict__)
        # copy.copy goes through ModelState.__getstate__, which also copies
        # the relation cache: the pickle/copy never shares it with self.
        snapshot["_state"] = copy.copy(state)
        return snapshot

    def __setstate__(self, state):
        self.__dict__.update(state)

    def _read_pk(self, meta=None):
        return getattr(self, (meta or self._meta).pk.attname)

    def _write_pk(self, value):
        setattr(self, self._meta.pk.attname, value)

    pk = property(_read_pk, _write_pk)

    def get_deferred_fields(self):
        """Attnames of concrete fields not loaded from the database."""
        # A deferred column simply has no entry in the instance dict; the
        # field's descriptor loads it on first access.
        present = self.__dict__
        return {attname for attname in self._meta._concrete_attnames if attname not in present}

    # -- loading -------------------------------------------------------------
    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """Reload field values (all, or ``fields``) from the database
        ``using``; else from ``from_queryset``'s database, else from where
        the routers send this instance's reads (without routers: its own
        database). The instance then belongs to the database read from."""
        opts = self._meta
        if fields is not None:
            fields = list(fields)
            if not fields:
                return
            for name in fields:
                opts.get_field(name)  # FieldDoesNotExist naming it
        if from_queryset is None:
            source = type(self)._base_manager.get_queryset()
            if using is None:
                using = router.db_for_read(type(self), instance=self)
        else:
            source = from_queryset
            if using is None:
                using = source.db
        # Pinned, so that the routers are asked once per refresh, above.
        source = source.using(using).filter(pk=self.pk)
        if fields is None:
            # Keep deferred columns deferred: refreshing must not load them.
            skipped = self.get_deferred_fields()
            if skipped:
                source = source.only(*[name for name in opts._concrete_attnames if name not in skipped])
        else:
            source = source.only(*fields)
        fresh = source.get()
        fresh_values = fresh.__dict__
        for attname in opts._concrete_attnames:
            if attname in fresh_values:
                setattr(self, attname, fresh_values[attname])
        state = self._state
        state.adding = False
        state.db = using

    def serializable_value(self, field_name):
        """The raw value of ``field_name`` (the id for a foreign key)."""
        try:
            return getattr(self, self._meta.get_field(field_name).attname)
        except FieldDoesNotExist:
            return getattr(self, field_name)

    # -- saving --------------------------------------------------------------
    def save(self, force_insert=False, force_update=False, using=None, update_fields=None):
        """Save the instance: INSERT or UPDATE as appropriate."""
        if force_insert and (force_update or update_fields):
            raise ValueError("Cannot force both insert and updating in model saving.")
        self._check_related_before_save("save")
        if update_fields is None:
            if not (force_insert or self._state.adding):
                update_fields = self._loaded_field_names()
                if update_fields is not None:
                    using = router.route_write(type(self), {"instance": self}) if using is None else using
                    if self._complete_if_moving(using):
                        update_fields = None
        else:
            update_fields = frozenset(update_fields)
            if not update_fields:
                return  # asked to save no field at all
            invalid = update_fields - self._meta._update_field_names
            if invalid:
                raise ValueError(
                    "The following fields do not exist in this model, are m2m "
                    "fields, or are non-concrete fields: %s" % ", ".join(sorted(invalid))
                )
        self.save_base(
            force_insert=force_insert, force_update=force_update, using=using, update_fields=update_fields,
        )

    save.alters_data = True

    def _complete_if_moving(self, using):
        """A deferred instance (only()/defer()) about to be saved to ``using``:
        if that is not the database it came from, load its deferred fields
        from there (one query) and return True, so that the whole row is
        written. Saving just the loaded fields would, on the other database,
        update a row that may not exist, or insert NULLs for the others."""
        source = self._state.db or router.route_read(type(self), {"instance": self})
        if source == using:
            return False
        connections[using]  # an unknown alias fails here, before any SQL
        origin = type(self)._base_manager.db_manager(source).all()
        self.refresh_from_db(fields=sorted(self.get_deferred_fields()), from_queryset=origin)
        return True

    def _loaded_field_names(self):
        """None for a fully loaded instance; for one loaded with
        only()/defer(), the names of the loaded non-pk fields, so that saving
        writes back just what was read and unread columns keep their values."""
        present = self.__dict__
        if all(attname in present for attname in self._meta._concrete_attnames):
            return None
        return frozenset(
            field.name for field in self._meta.concrete_fields
            if not field.primary_key and field.attname in present
        )

    def save_base(self, raw=False, force_insert=False, force_update=False, using=None, update_fields=None):
        """The core of save(): signals around one atomic INSERT/UPDATE on
        ``using``, else on the database the routers choose for the write."""
        origin = type(self)
        if using is None:
            using = router.route_write(origin, {"instance": self})
        # A proxy writes its concrete model's table; the signals still name
        # the class the caller holds.
        model = origin._meta.concrete_model
        # Auto-created through models of many-to-many fields are silent.
        announce = not model._meta.auto_created
        if announce and signals.pre_save.receivers:
            signals.pre_save.send(
                sender=origin, instance=self, raw=raw, using=using, update_fields=update_fields,
            )
        with transaction.mark_for_rollback_on_error(using):
            updated = self._write_row(raw, model, force_insert, force_update, update_fields, using)
        # The row now lives on ``using``: later saves, deletes and related
        # lookups of this instance go there unless told otherwise.
        state = self._state
        state.db = using
        state.adding = False
        if announce and signals.post_save.receivers:
            signals.post_save.send(
                sender=origin, instance=self, created=not updated, update_fields=update_fields, raw=raw,
                using=using,
            )

    save_base.alters_data = True

    def _write_row(
        self, raw=False, cls=None, force_insert=False, force_update=False, update_fields=None, using=None,
    ):
        """Write this instance's row of ``cls``'s table: an UPDATE when the
        pk is known, an INSERT when there is none or the UPDATE matched no
        row. Return True when the UPDATE did the work."""
        pk_field = cls._meta.pk
        pk_value = getattr(self, pk_field.attname)
        if pk_value is None:
            # Last chance for the pk field to supply a value itself.
            produce = getattr(pk_field, "get_pk_value_on_save", None)
            pk_value = produce(self) if produce is not None else None
            setattr(self, pk_field.attname, pk_value)
        if pk_value is None:
            if force_update or update_fields:
                raise ValueError("Cannot force an update in save() with no primary key.")
            try_update = False
        else:
            # A new instance whose pk came from a field default cannot have a
            # row yet: skip the UPDATE query that would find nothing.
            fresh_default = not raw and self._state.adding and pk_field.default is not NOT_PROVIDED
            try_update = not (force_insert or fresh_default)
        rows = _rows_on(cls, using)
        if try_update and self._update_row(rows, pk_value, raw, force_update, update_fields):
            return True
        self._insert_row(rows, raw, with_pk=pk_value is not None)
        return False

    def _update_row(self, rows, pk_value, raw, force_update, update_fields):
        from django.db import DatabaseError

        cls = rows.model
        columns = [field for field in cls._meta.local_concrete_fields if not field.primary_key]
        if update_fields:
            columns = [f for f in columns if f.name in update_fields or f.attname in update_fields]
        if raw:  # fixture loading: values are stored exactly as given
            values = [(field, None, getattr(self, field.attname)) for field in columns]
        else:
            values = [(field, None, field.pre_save(self, False)) for field in columns]
        forced = bool(force_update or update_fields)
        if self._run_update(rows, pk_value, values, update_fields, forced):
            return True
        if force_update:
            raise DatabaseError("Forced update did not affect any rows.")
        if update_fields:
            raise DatabaseError("Save with update_fields did not affect any rows.")
        return False

    def _insert_row(self, rows, raw, with_pk):
        meta = rows.model._meta
        columns = meta.local_concrete_fields
        if not with_pk:
            # The database numbers the row: the auto field stays out.
            columns = meta.local_concrete_fields_but_auto
        returned = meta.db_returning_fields
        # Fixture rows (raw) keep the position they carry, if they carry one.
        if meta.order_with_respect_to is not None and not (raw and self._order is not None):
            from django.db.models.order_wrt import next_position

            self._order = next_position(rows, self)
        inserted = self._run_insert(rows, columns, returned, raw)
        if not inserted:
            return
        first = inserted[0] if isinstance(inserted[0], (list, tuple)) else (inserted[0],)
        for field, value in zip(returned, first):
            setattr(self, field.attname, value)

    def _run_update(self, base_qs, pk_val, values, update_fields, forced_update):
        """UPDATE the row whose pk is ``pk_val``; True when a row matched."""
        row = base_qs.filter(pk=pk_val)
        if values:
            return row._update(values) > 0
        # No column to write. update_fields means the caller knows the row
        # exists; otherwise a cheap EXISTS decides between done and INSERT.
        return update_fields is not None or row.exists()

    def _run_insert(self, manager, fields, returning_fields, raw):
        """INSERT this instance; the returned rows carry ``returning_fields``."""
        target = manager if hasattr(manager, "_insert") else manager.get_queryset()
        return target._insert([self], fields=fields, returning_fields=returning_fields, raw=raw)

    def prepare_database_save(self, field):
        """The value stored for this object in ``field`` (a foreign key):
        ``update(author=person)``."""
        if self.pk is None:
            raise ValueError("Unsaved model instance %r cannot be used in an ORM query." % self)
        return getattr(self, field.remote_field.get_related_field().attname)

    # -- deleting ------------------------------------------------------------
    def delete(self, using=None, keep_parents=False):
        """Delete the row; return ``(count, {"app_label.Model": count})``."""
        if self.pk is None:
            opts = self._meta
            raise ValueError(
                f"{opts.object_name} object can't be deleted because its "
                f"{opts.pk.attname} attribute is set to None."
            )
        # The collector follows cascades, runs the signals and deletes in
        # dependency order, all on ``using``: else where the routers send the
        # model's writes (no router: the database the instance belongs to).
        if using is None:
            using = router.route_write(type(self), {"instance": self})
        else:
            connections[using]  # an unknown alias fails before any signal or SQL
        collector = Collector(using, origin=self)
        collector.collect([self])
        return collector.delete()

    delete.alters_data = True

    def _check_related_before_save(self, operation_name, fields=None):
        """Refuse to save a reference to an unsaved related object (its id
        would be lost), and pick up the id of one saved since assignment."""
        cached = self._state.__dict__.get("fields_cache")
        if not cached:
            # Related objects are cached in fields_cache (FieldCacheMixin);
            # none was created or it is empty: nothing to check.
            return
        for field in self._meta.concrete_fields:
            if field.is_relation and (not fields or field in fields) and field.is_cached(self):
                self._settle_cached_relation(field, operation_name)

    def _settle_cached_relation(self, field, operation_name):
        related = field.get_cached_value(self)
        if related is None:
            return
        if related.pk is None:
            if not field.remote_field.multiple:
                # A one-to-one caches us on the other side; drop that so
                # the failed save leaves no half-made link behind.
                field.remote_field.delete_cached_value(related)
            raise ValueError(
                f"{operation_name}() prohibited to prevent data loss due to "
                f"unsaved related object '{field.name}'."
            )
        if getattr(self, field.attname) in field.empty_values:
            # Assigned while unsaved, saved since: copy its id now.
            setattr(self, field.name, related)
        if getattr(self, field.attname) != getattr(related, field.target_field.attname):
            # The id was changed by hand: the cached object is stale.
            field.delete_cached_value(self)

    # -- system checks -----------------------------------------------------------
    @classmethod
    def check(cls, **kwargs):
        """Configuration problems of this model (fields, Meta.ordering)."""
        problems = [
            problem
            for field in chain(cls._meta.local_fields, cls._meta.local_many_to_many)
            for problem in field.check(**kwargs)
        ]
        return problems + cls._ordering_problems()

    @classmethod
    def _ordering_problems(cls):
        from django.core import checks

        opts = cls._meta
        known = {"pk", *(f.name for f in opts.get_fields()), *opts._concrete_attnames}
        problems = []
        for entry in opts.ordering or ():
            # Expressions and "?" (random order) name no field.
            if isinstance(entry, str) and entry != "?":
                head = entry.lstrip("-").split("__", 1)[0]
                if head not in known:
                    problems.append(checks.Error(
                        "'ordering' refers to the nonexistent field '%s'." % head,
                        obj=cls, id="models.E015",
                    ))
        return problems

    # -- helpers installed by fields -------------------------------------------
    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        labels = dict(_make_hashable_choices(field.flatchoices))
        try:
            return str(labels.get(_make_hashable(value), value))
        except TypeError:  # an unhashable value that is not a list/dict
            return str(value)

    def _adjacent_by_field(self, field, is_next, **kwargs):
        if not self.pk:
            raise ValueError("get_next/get_previous cannot be used on unsaved objects.")
        from django.db.models.query_utils import Q

        # Order by (field, pk) so ties on the field still give a total order.
        direction, sign = ("gt", "") if is_next else ("lt", "-")
        current = getattr(self, field.attname)
        beyond = Q(**{f"{field.name}__{direction}": current})
        tie = Q(**{field.name: current, f"pk__{direction}": self.pk})
        candidates = (
            # The neighbour is looked for where this instance lives.
            type(self)._default_manager.using(self._state.db).filter(**kwargs)
            .filter(beyond | tie)
            .order_by(sign + field.name, sign + "pk")
        )
        found = candidates[:1]
        for neighbour in found:
            return neighbour
        raise self.DoesNotExist(f"{self._meta.object_name} matching query does not exist.")

    # -- validation ------------------------------------------------------------
    def clean(self):
        """Hook for model-wide validation; raise ValidationError."""

    def clean_fields(self, exclude=None):
        """Clean every field not in ``exclude``; collect all errors."""
        skip = set(exclude or ())
        problems = _Problems()
        for field in self._meta.fields:
            current = getattr(self, field.attname)
            # A blank value that is allowed needs no converting or validating.
            if field.name in skip or (field.blank and current in field.empty_values):
                continue
            with problems.collected(on=field.name):
                setattr(self, field.attname, field.clean(current, self))
        problems.raise_if_any()

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        """clean_fields(), clean(), validate_unique() and
        validate_constraints(); one ValidationError with every problem."""
        skip = set(exclude or ())
        problems = _Problems()
        with problems.collected():
            self.clean_fields(skip)
        with problems.collected():
            self.clean()
        # A field that is already invalid is not also reported as clashing.
        skip.update(problems.fields())
        for wanted, check in ((validate_unique, self.validate_unique),
                              (validate_constraints, self.validate_constraints)):
            if wanted:
                with problems.collected():
                    check(skip)
        problems.raise_if_any()

    def _unique_groups(self, exclude=None):
        skip = set(exclude or ())
        model = type(self)
        groups = [tuple(group) for group in self._meta.unique_together if skip.isdisjoint(group)]
        groups += [(field.name,) for field in self._meta.local_fields if field.unique and field.name not in skip]
        return [(model, group) for group in groups]

    def _unique_lookup(self, names):
        """Filter kwargs finding another row with our values for ``names``,
        or None when no clash is possible (a NULL never equals anything; a
        saved instance's own pk is its own row)."""
        lookup = {}
        for name in names:
            field = self._meta.get_field(name)
            value = getattr(self, field.attname)
            if value is None or (field.primary_key and not self._state.adding):
                return None
            lookup[name] = value
        return lookup

    def validate_unique(self, exclude=None):
        """Check unique fields and unique_together against the database the
        instance belongs to (see checked_against())."""
        clashes = {}
        alias = None
        for model_class, names in self._unique_groups(exclude):
            lookup = self._unique_lookup(names)
            if lookup is None:
                continue
            if alias is None:
                alias = checked_against(self, model_class)
            others = model_class._default_manager.using(alias).filter(**lookup)
            if self.pk is not None and not self._state.adding:
                others = others.exclude(pk=self.pk)
            if others.exists():
                key = names[0] if len(names) == 1 else NON_FIELD_ERRORS
                clashes.setdefault(key, []).append(self.unique_error_message(model_class, names))
        if clashes:
            raise ValidationError(clashes)

    def unique_error_message(self, model_class, unique_check):
        opts = model_class._meta
        labels = [_capfirst(opts.get_field(name).verbose_name) for name in unique_check]
        params = {
            "model": self, "model_class": model_class, "unique_check": unique_check,
            "model_name": _capfirst(opts.verbose_name),
        }
        if len(unique_check) > 1:
            params["field_labels"] = " and ".join(labels)
            return ValidationError(
                "%(model_name)s with this %(field_labels)s already exists.",
                code="unique_together", params=params,
            )
        params["field_label"] = labels[0]
        message = opts.get_field(unique_check[0]).error_messages["unique"]
        return ValidationError(message, code="unique", params=params)

    def get_constraints(self):
        """(model class, its Meta.constraints) for this model and parents."""
        own = [(type(self), self._meta.constraints)]
        return own + [(p, p._meta.constraints) for p in self._meta.get_parent_list() if p._meta.constraints]

    def validate_constraints(self, exclude=None):
        """Check Meta.constraints (unique and check) for this instance; unique
        ones against the database it belongs to (see checked_against())."""
        problems = _Problems()
        for model_class, declared in self.get_constraints():
            alias = checked_against(self, model_class) if declared else None
            for constraint in declared:
                with problems.collected(on=_unique_constraint_field(constraint), codes=("unique",)):
                    constraint.validate(model_class, self, exclude=exclude, using=alias)
        problems.raise_if_any()

    def _get_field_value_map(self, meta, exclude=None):
        skip = set(exclude or ())
        return {f.name: getattr(self, f.attname) for f in meta.local_concrete_fields if f.name not in skip}


class _Problems:
    """ValidationErrors gathered from several checks, raised as one.

    ``with problems.collected():`` keeps a ValidationError raised in the
    block instead of letting it out: filed under the field ``on`` (when
    its code is one of ``codes``, if given), else where the error itself
    says (its fields, or NON_FIELD_ERRORS).
    """

    def __init__(self):
        self.by_field = {}

    @contextlib.contextmanager
    def collected(self, on=None, codes=None):
        try:
            yield
        except ValidationError as exc:
            if on is not None and (codes is None or getattr(exc, "code", None) in codes):
                self.by_field.setdefault(on, []).extend(exc.error_list)
            else:
                self.by_field = exc.update_error_dict(self.by_field)

    def fields(self):
        return [name for name in self.by_field if name != NON_FIELD_ERRORS]

    def raise_if_any(self):
        if self.by_field:
            raise ValidationError(self.by_field)


def _rows_on(cls, alias):
    """``cls``'s base manager queryset on ``alias`` (None: routed): where
    save() runs its UPDATE and INSERT."""
    rows = cls._base_manager.get_queryset()
    if alias is not None:
        rows._db = alias
    return rows


def _unique_constraint_field(constraint):
    """The field a one-field UniqueConstraint's errors are reported on (as
    unique=True's are), or None."""
    if isinstance(constraint, UniqueConstraint) and len(constraint.fields) == 1:
        return constraint.fields[0]
    return None


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
    # Our pickles carry (app_label, object_name); a class is accepted as well.
    model = model_id if isinstance(model_id, type) else global_apps.get_model(*model_id)
    return model.__new__(model)


model_unpickle.__safe_for_unpickle__ = True
