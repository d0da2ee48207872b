"""``Options``: the ``_meta`` of a model class (table, fields, managers...).

An ``Options`` object is created for every model class by the metaclass. It
starts from the ``class Meta`` the user wrote, learns its fields one by one
through ``add_field`` and then answers every question the rest of the ORM
asks about the model (which columns, which relations, which managers).
"""
from bisect import insort
from itertools import chain
from copy import copy as shallow_copy

from django.apps import apps as global_apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils.functional import cached_property
from django.utils.text import camel_case_to_spaces

# The ``class Meta`` options we accept, each with the value a model gets when
# its Meta is silent. A ``list`` entry is a factory: every model needs its own
# list, otherwise appending to one model's ordering would change another's.
_META_OPTIONS = {
    # naming and storage
    "app_label": None, "db_table": "", "db_table_comment": "", "db_tablespace": "",
    "verbose_name": None, "verbose_name_plural": None,
    # kind of model
    "abstract": False, "proxy": False, "managed": True, "auto_created": False,
    "swappable": None, "apps": None,
    # querying
    "ordering": list, "get_latest_by": None, "order_with_respect_to": None,
    "select_on_save": False, "default_related_name": None,
    "base_manager_name": None, "default_manager_name": None,
    # schema
    "indexes": list, "constraints": list, "unique_together": list, "index_together": list,
    "required_db_features": list, "required_db_vendor": None,
    # permissions (contrib.auth)
    "permissions": list, "default_permissions": ("add", "change", "delete", "view"),
}
DEFAULT_NAMES = tuple(_META_OPTIONS)

# Derived values kept in ``__dict__`` by cached_property; dropped together
# whenever the set of fields or managers changes.
_CACHED_PROPERTIES = (
    "fields", "concrete_fields", "local_concrete_fields", "_forward_by_name",
    "fields_map", "managers", "managers_map", "base_manager", "default_manager",
    "db_returning_fields", "_property_attribute_names", "_update_field_names",
    "_concrete_attnames", "total_unique_constraints", "local_concrete_fields_but_auto",
)

def normalize_together(option_together):
    """Accept one group (``("a", "b")``) or several and always return a
    tuple of tuples, so callers never need to guess which form they got."""
    if not isinstance(option_together, (tuple, list)):
        if option_together:
            raise TypeError("unique_together must be a tuple or list, got %r." % (option_together,))
        return ()
    if option_together and isinstance(option_together[0], (tuple, list)):
        return tuple(tuple(group) for group in option_together)
    return (tuple(option_together),) if option_together else ()


def _declared_options(meta):
    """{option: value} for what a ``class Meta`` declares (None: nothing).

    Read with getattr rather than from the class ``__dict__`` so that
    ``class Meta(Parent.Meta)`` inherits; an unknown name is an error.
    """
    if meta is None:
        return {}
    unknown = sorted(
        key for key in vars(meta) if not key.startswith("_") and key not in _META_OPTIONS
    )
    if unknown:
        raise TypeError("'class Meta' got invalid attribute(s): %s" % ",".join(unknown))
    return {option: getattr(meta, option) for option in _META_OPTIONS if hasattr(meta, option)}


class Options:
    FORWARD_PROPERTIES = set(_CACHED_PROPERTIES)
    default_apps = global_apps

    def __init__(self, meta, app_label=None):
        for name, default in _META_OPTIONS.items():
            setattr(self, name, default() if callable(default) else default)
        self.apps = self.default_apps
        self.app_label = app_label
        self.meta = meta
        # Filled in by contribute_to_class / add_field / the metaclass.
        self.model_name = self.object_name = None
        self.pk = self.auto_field = None
        self.proxy_for_model = self.concrete_model = None
        self.parents = {}
        self.local_fields, self.local_many_to_many, self.private_fields = [], [], []
        self.local_managers, self.related_fkey_lookups = [], []
        self._field_lists = {}
        # Reverse relations pointing at this model, added as the relation
        # fields on other models resolve (``add_reverse_relation``).
        self._reverse_relations = []

    # -- names -----------------------------------------------------------
    @property
    def label(self):
        """``"app.Model"``, the spelling used in messages and lazy references."""
        return f"{self.app_label}.{self.object_name}"

    @property
    def label_lower(self):
        return f"{self.app_label}.{self.model_name}"

    @property
    def app_config(self):
        configs = getattr(self.apps, "app_configs", None)
        return None if configs is None else configs.get(self.app_label)

    @property
    def verbose_name_raw(self):
        return str(self.verbose_name)

    @property
    def swapped(self):
        # Swappable models are not supported yet; nothing is ever swapped.
        return None

    @property
    def installed(self):
        return self.app_config is not None

    def __repr__(self):
        return f"<Options for {self.object_name}>"

    def __str__(self):
        return self.label_lower

    # -- setup -----------------------------------------------------------
    def contribute_to_class(self, cls, name):
        cls._meta, self.model = self, cls
        self.object_name, self.model_name = cls.__name__, cls.__name__.lower()
        self.verbose_name = camel_case_to_spaces(cls.__name__)
        # What the user's Meta declares replaces the defaults; it is kept
        # as declared in original_attrs, and normalised on self.
        self.original_attrs = _declared_options(self.__dict__.pop("meta"))
        self.__dict__.update(self.original_attrs)
        if self.original_attrs:
            self._normalise_declared(cls)
        # Defaults that depend on the names above.
        if self.verbose_name_plural is None:
            self.verbose_name_plural = self.verbose_name + "s"
        if not self.db_table:
            self.db_table = "%s_%s" % (self.app_label, self.model_name)

    def _normalise_declared(self, cls):
        if isinstance(self.ordering, str):
            raise TypeError("%s: Meta.ordering must be a list or tuple, not a string." % self.object_name)
        self.unique_together = normalize_together(self.unique_together)
        self.index_together = normalize_together(self.index_together)
        if not self.abstract:
            # Names on an abstract base may use placeholders; they are
            # filled in for each concrete child.
            self.indexes = self._format_names_with_class(cls, self.indexes)
            self.constraints = self._format_names_with_class(cls, self.constraints)

    def _format_names_with_class(self, cls, objs):
        """Interpolate ``%(app_label)s`` and ``%(class)s`` in index and
        constraint names (needed for names declared on abstract bases)."""
        placeholders = {"app_label": self.app_label.lower(), "class": cls.__name__.lower()}
        formatted = []
        for original in objs:
            obj = original.clone()
            if obj.name and "%(" in obj.name:
                obj.name %= placeholders
                validate = getattr(obj, "validate_name", None)
                if validate is not None:
                    validate()
            formatted.append(obj)
        return formatted

    def _implicit_pk_class(self):
        """The class of the implicit ``id`` field: the app config's
        ``default_auto_field``, else the setting, else AutoField."""
        # Imported here: settings are read when the first model is prepared,
        # not when this module is imported.
        from django.conf import settings
        from django.db.models.fields import AutoField
        from django.utils.module_loading import import_string

        dotted = getattr(self.app_config, "default_auto_field", None) if self.app_config else None
        dotted = dotted or getattr(settings, "DEFAULT_AUTO_FIELD", None) or "django.db.models.AutoField"
        if not isinstance(dotted, str):
            return dotted  # already a class
        try:
            found = import_string(dotted)
        except ImportError as exc:
            raise ImproperlyConfigured(
                "DEFAULT_AUTO_FIELD refers to the module '%s' that could not be imported." % dotted
            ) from exc
        if issubclass(found, AutoField):
            return found
        raise ValueError(
            "Primary key '%s' referred by DEFAULT_AUTO_FIELD must subclass AutoField." % dotted
        )

    def _settle_pk(self, model):
        """Give the model a primary key once all its fields are known."""
        if self.pk is not None:
            return
        if self.parents:
            # Proxy models: the primary key is the concrete model's.
            self.setup_pk(next(iter(self.parents))._meta.pk)
            return
        implicit = self._implicit_pk_class()(verbose_name="ID", primary_key=True, auto_created=True)
        model.add_to_class("id", implicit)

    def add_manager(self, manager):
        """Called by ``Manager.contribute_to_class``; the manager caches
        (``managers``, ``default_manager``...) must be recomputed."""
        self.local_managers += [manager]
        self._forget_derived()

    def add_field(self, field, private=False):
        """Register a field declared on (or generated for) this model."""
        if private:
            # GenericForeignKey and friends: no column, kept aside.
            self.private_fields += [field]
        else:
            # Fields stay sorted by creation counter, i.e. declaration order,
            # whatever order contribute_to_class happens to run in.
            is_m2m = field.is_relation and field.many_to_many
            insort(self.local_many_to_many if is_m2m else self.local_fields, field)
            if not is_m2m:
                self.setup_pk(field)
        self._forget_derived()

    def setup_pk(self, field):
        if self.pk or not field.primary_key:
            return
        self.pk = field
        field.serialize = False  # dumps carry the pk separately

    def setup_proxy(self, target):
        """Point this proxy model at the concrete model ``target``."""
        target_opts = target._meta
        self.pk, self.db_table = target_opts.pk, target_opts.db_table
        self.proxy_for_model = target

    def can_migrate(self, connection):
        """True when this model's table belongs on ``connection``."""
        if self.proxy or self.swapped or not self.managed:
            return False
        if self.required_db_vendor not in (None, connection.vendor):
            return False
        features = connection.features
        return all(getattr(features, flag, False) for flag in self.required_db_features)

    # -- managers ----------------------------------------------------------
    @cached_property
    def managers(self):
        """Managers of this model and its bases, copied and bound to this model.

        A name declared closer to the model shadows the same name further up
        the MRO; the result is ordered by that distance, then by declaration.
        """
        chosen = {}
        ancestry = [klass for klass in self.model.__mro__ if hasattr(klass, "_meta")]
        for distance, klass in enumerate(ancestry):
            for declared in klass._meta.local_managers:
                if declared.name not in chosen:
                    chosen[declared.name] = (distance, declared.creation_counter, declared)
        bound = []
        for _distance, _counter, declared in sorted(chosen.values(), key=lambda t: t[:2]):
            manager = shallow_copy(declared)
            manager.model = self.model
            bound.append(manager)
        return tuple(bound)

    @cached_property
    def managers_map(self):
        return {manager.name: manager for manager in self.managers}

    def _manager_named(self, name):
        if name in self.managers_map:
            return self.managers_map[name]
        raise ValueError("%s has no manager named %r" % (self.object_name, name))

    @cached_property
    def base_manager(self):
        """Manager used for internal access (related objects, saving):
        ``Meta.base_manager_name`` or a plain Manager, never filtered."""
        if self.base_manager_name:
            return self._manager_named(self.base_manager_name)
        from django.db.models.manager import Manager

        plain = Manager()
        plain.name, plain.model, plain.auto_created = "_base_manager", self.model, True
        return plain

    @cached_property
    def default_manager(self):
        chosen_name = self.default_manager_name
        if not chosen_name and not self.local_managers:
            # A model declaring no manager inherits its nearest model
            # parent's choice.
            parent = next((k for k in self.model.__mro__[1:] if hasattr(k, "_meta")), None)
            if parent is not None:
                chosen_name = parent._meta.default_manager_name
        if chosen_name:
            return self._manager_named(chosen_name)
        return self.managers[0] if self.managers else None

    # -- fields ------------------------------------------------------------
    def _forget_derived(self, forward=True, reverse=True):
        for name in _CACHED_PROPERTIES:
            self.__dict__.pop(name, None)
        self._field_lists = {}

    def add_reverse_relation(self, rel):
        """Register ``rel`` (a ManyToOneRel/OneToOneRel/ManyToManyRel whose
        field points at this model) once both models are ready."""
        if rel not in self._reverse_relations:
            self._reverse_relations.append(rel)
        self._forget_derived()
        # Proxies of this model list the same reverse relations.
        for models in getattr(self.apps, "all_models", {}).values():
            for model in list(models.values()):
                if model._meta.proxy and model._meta.concrete_model is self.model:
                    model._meta._forget_derived()

    def get_fields(self, include_parents=True, include_hidden=False):
        """All fields of the model: reverse relations pointing here, then the
        parents' fields, then the local ones."""
        return self._collect_fields(include_parents=include_parents, include_hidden=include_hidden)

    def _collect_fields(self, forward=True, reverse=True, include_parents=True, include_hidden=False):
        """The fields get_fields() and the other field lists are made from, cached by the flags."""
        key = (forward, reverse, include_parents, include_hidden)
        found = self._field_lists.get(key)
        if found is None:
            # Each field once (a parent's field may be reached twice), by identity.
            unique = {id(field): field for field in self._walk_fields(*key)}
            found = self._field_lists[key] = tuple(unique.values())
        return found

    def _walk_fields(self, forward, reverse, include_parents, include_hidden):
        """Reverse relations pointing here, then the parents' fields, then the local ones."""
        def shown(field):
            return include_hidden or not field.hidden

        if reverse:
            # A proxy answers with its concrete model's reverse relations.
            owner = self.concrete_model._meta if self.concrete_model else self
            yield from filter(shown, owner._reverse_relations)
        if not forward:
            return
        if include_parents:
            for parent in self.parents:
                yield from parent._meta._collect_fields(reverse=False, include_hidden=include_hidden)
        yield from filter(shown, chain(self.local_fields, self.local_many_to_many, self.private_fields))

    @cached_property
    def fields(self):
        """Forward, non-many-to-many fields (including the parents')."""
        # A GenericForeignKey (a private many-to-one with no remote_field
        # and no column) is not a field of the row either.
        return tuple(
            f for f in self._collect_fields(reverse=False)
            if not (f.is_relation and (f.many_to_many or f.one_to_many))
            and not (f.is_relation and f.many_to_one and f.remote_field is None)
        )

    @cached_property
    def concrete_fields(self):
        return tuple(f for f in self.fields if f.concrete)

    @cached_property
    def local_concrete_fields(self):
        return tuple(f for f in self.local_fields if f.concrete)

    @cached_property
    def local_concrete_fields_but_auto(self):
        """The columns save() INSERTs when the database numbers the row."""
        auto = self.auto_field
        return tuple(f for f in self.local_concrete_fields if f is not auto)

    @cached_property
    def _concrete_attnames(self):
        return tuple(f.attname for f in self.concrete_fields)

    @property
    def many_to_many(self):
        return tuple(
            f for f in self._collect_fields(reverse=False) if f.is_relation and f.many_to_many
        )

    @property
    def related_objects(self):
        """Reverse relations pointing at this model (hidden ones only for
        many-to-many, as in Django)."""
        return tuple(
            rel for rel in self._collect_fields(forward=False, reverse=True, include_hidden=True)
            if not rel.hidden or rel.field.many_to_many
        )

    @cached_property
    def _forward_by_name(self):
        """Forward fields by name and by attname (``author`` and ``author_id``)."""
        forward = self._collect_fields(reverse=False)
        # A name wins over another field's attname.
        return {**{f.attname: f for f in forward}, **{f.name: f for f in forward}}

    @cached_property
    def fields_map(self):
        """Every field by name, reverse relations by their query name."""
        res = {}
        for field in self._collect_fields(forward=False, include_hidden=True):
            res[field.name] = field
        return res

    def get_field(self, field_name):
        """Return the field called ``field_name`` (name or attname, or the
        query name of a reverse relation)."""
        # The forward map answers almost every call (and is ready before
        # the relations to this model are); reverse names are the fallback.
        # A non-string name (None, a list) is simply "not found".
        if isinstance(field_name, str):
            found = self._forward_by_name.get(field_name)
            if found is None:
                found = self.fields_map.get(field_name)
            if found is not None:
                return found
        known = sorted(field.name for field in self.get_fields())
        raise FieldDoesNotExist(
            f"{self.object_name} has no field named '{field_name}'. Choices are: {', '.join(known)}."
        )

    def get_parent_list(self):
        """Every model ancestor, nearest first, each once."""
        ordered = {}
        for parent in self.parents:
            ordered[parent] = None
            ordered.update(dict.fromkeys(parent._meta.get_parent_list()))
        return list(ordered)

    # Multi-table inheritance is not supported: parents are only ever the
    # concrete model of a proxy, which shares its table, so there is no
    # link field and no join path to walk.
    def get_ancestor_link(self, ancestor):
        """No parent link exists without multi-table inheritance."""

    def get_path_to_parent(self, parent):
        return list()

    def get_path_from_parent(self, parent):
        return list()

    @cached_property
    def db_returning_fields(self):
        """Fields whose value the database produces on INSERT."""
        return list(filter(lambda field: getattr(field, "db_returning", False), self.local_concrete_fields))

    @cached_property
    def total_unique_constraints(self):
        """UniqueConstraints that hold for every row: unconditional and on
        plain columns, so they can identify a row like unique=True does."""
        from django.db.models.constraints import UniqueConstraint

        def covers_every_row(constraint):
            if not isinstance(constraint, UniqueConstraint):
                return False
            partial = constraint.condition is not None
            return not (partial or constraint.contains_expressions)

        return list(filter(covers_every_row, self.constraints))

    @cached_property
    def _property_attribute_names(self):
        names = set()
        for klass in self.model.__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, property):
                    names.add(name)
        return frozenset(names)

    @cached_property
    def _update_field_names(self):
        """Names and attnames accepted in ``save(update_fields=...)``."""
        non_pk = [field for field in self.concrete_fields if not field.primary_key]
        return frozenset(field.name for field in non_pk) | frozenset(field.attname for field in non_pk)
