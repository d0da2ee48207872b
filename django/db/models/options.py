"""``Options``: the ``_meta`` of a model class (table, fields, managers...)."""
import bisect
import copy
import re

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils.functional import cached_property

DEFAULT_NAMES = (
    "verbose_name", "verbose_name_plural", "db_table", "ordering",
    "unique_together", "permissions", "get_latest_by", "order_with_respect_to",
    "app_label", "db_tablespace", "abstract", "managed", "proxy", "swappable",
    "auto_created", "index_together", "apps", "default_permissions",
    "select_on_save", "default_related_name", "required_db_features",
    "required_db_vendor", "base_manager_name", "default_manager_name",
    "indexes", "constraints", "db_table_comment",
)

# Caches rebuilt whenever a field or manager is added.
_CACHED_PROPERTIES = (
    "fields", "concrete_fields", "local_concrete_fields", "_forward_fields_map",
    "fields_map", "managers", "managers_map", "base_manager", "default_manager",
    "db_returning_fields", "_property_names", "_non_pk_concrete_field_names",
    "_concrete_attnames", "total_unique_constraints",
)


def camel_case_to_spaces(value):
    return re.sub(r"(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))", r" \1", value).strip().lower()


def normalize_together(option_together):
    """``("a", "b")`` -> ``(("a", "b"),)``; tuples of tuples are left alone."""
    if not option_together:
        return ()
    if not isinstance(option_together, (tuple, list)):
        raise TypeError("unique_together must be a tuple or list, got %r." % (option_together,))
    first = option_together[0]
    if not isinstance(first, (tuple, list)):
        option_together = (option_together,)
    return tuple(tuple(ot) for ot in option_together)


class Options:
    FORWARD_PROPERTIES = set(_CACHED_PROPERTIES)
    default_apps = apps

    def __init__(self, meta, app_label=None):
        self._get_fields_cache = {}
        self.local_fields = []
        self.local_many_to_many = []
        self.private_fields = []
        self.local_managers = []
        self.base_manager_name = None
        self.default_manager_name = None
        self.model_name = None
        self.verbose_name = None
        self.verbose_name_plural = None
        self.db_table = ""
        self.db_table_comment = ""
        self.ordering = []
        self._ordering_clash = False
        self.indexes = []
        self.constraints = []
        self.unique_together = []
        self.index_together = []
        self.select_on_save = False
        self.default_permissions = ("add", "change", "delete", "view")
        self.permissions = []
        self.object_name = None
        self.app_label = app_label
        self.get_latest_by = None
        self.order_with_respect_to = None
        self.db_tablespace = ""
        self.required_db_features = []
        self.required_db_vendor = None
        self.meta = meta
        self.pk = None
        self.auto_field = None
        self.abstract = False
        self.managed = True
        self.proxy = False
        self.proxy_for_model = None
        self.concrete_model = None
        self.swappable = None
        self.parents = {}
        self.auto_created = False
        self.related_fkey_lookups = []
        self.apps = self.default_apps
        self.default_related_name = None
        # Reverse relations pointing at this model, added as the relation
        # fields on other models resolve (``add_reverse_relation``).
        self._reverse_relations = []

    # -- names -----------------------------------------------------------
    @property
    def label(self):
        return "%s.%s" % (self.app_label, self.object_name)

    @property
    def label_lower(self):
        return "%s.%s" % (self.app_label, self.model_name)

    @property
    def app_config(self):
        try:
            return self.apps.app_configs.get(self.app_label)
        except AttributeError:  # pragma: no cover
            return None

    @property
    def verbose_name_raw(self):
        return str(self.verbose_name)

    @property
    def swapped(self):
        return None

    @property
    def installed(self):
        return self.app_config is not None

    def __repr__(self):
        return "<Options for %s>" % self.object_name

    def __str__(self):
        return self.label_lower

    # -- setup -----------------------------------------------------------
    def contribute_to_class(self, cls, name):
        cls._meta = self
        self.model = cls
        self.object_name = cls.__name__
        self.model_name = self.object_name.lower()
        self.verbose_name = camel_case_to_spaces(self.object_name)
        self.original_attrs = {}

        if self.meta:
            meta_attrs = {k: v for k, v in self.meta.__dict__.items() if not k.startswith("_")}
            for attr_name in DEFAULT_NAMES:
                if attr_name in meta_attrs:
                    value = meta_attrs.pop(attr_name)
                elif hasattr(self.meta, attr_name):
                    value = getattr(self.meta, attr_name)
                else:
                    continue
                setattr(self, attr_name, value)
                self.original_attrs[attr_name] = value
            self.unique_together = normalize_together(self.unique_together)
            self.index_together = normalize_together(self.index_together)
            if not getattr(cls._meta, "abstract", False):
                for attr_name in ("constraints", "indexes"):
                    setattr(self, attr_name, self._format_names_with_class(cls, getattr(self, attr_name)))
            if self.verbose_name_plural is None:
                self.verbose_name_plural = "%ss" % self.verbose_name
            if meta_attrs:
                raise TypeError(
                    "'class Meta' got invalid attribute(s): %s" % ",".join(sorted(meta_attrs))
                )
        else:
            self.verbose_name_plural = "%ss" % self.verbose_name
        if isinstance(self.ordering, str):
            raise TypeError("%s: Meta.ordering must be a list or tuple, not a string." % self.object_name)
        del self.meta

        if not self.db_table:
            self.db_table = "%s_%s" % (self.app_label, self.model_name)

    def _format_names_with_class(self, cls, objs):
        """Interpolate ``%(app_label)s`` and ``%(class)s`` in index and
        constraint names (needed for names declared on abstract bases)."""
        new_objs = []
        for obj in objs:
            obj = obj.clone()
            if obj.name and "%(" in obj.name:
                obj.name = obj.name % {
                    "app_label": cls._meta.app_label.lower(),
                    "class": cls.__name__.lower(),
                }
                if hasattr(obj, "validate_name"):
                    obj.validate_name()
            new_objs.append(obj)
        return new_objs

    def _get_default_pk_class(self):
        path = None
        app_config = self.app_config
        if app_config is not None:
            path = getattr(app_config, "default_auto_field", None)
        if not path:
            path = getattr(settings, "DEFAULT_AUTO_FIELD", None) or "django.db.models.AutoField"
        if not isinstance(path, str):
            return path
        from django.utils.module_loading import import_string

        try:
            pk_class = import_string(path)
        except ImportError as e:
            raise ImproperlyConfigured(
                "DEFAULT_AUTO_FIELD refers to the module '%s' that could not be imported." % path
            ) from e
        from django.db.models.fields import AutoField

        if not issubclass(pk_class, AutoField):
            raise ValueError(
                "Primary key '%s' referred by DEFAULT_AUTO_FIELD must subclass AutoField." % path
            )
        return pk_class

    def _prepare(self, model):
        if self.pk is None:
            if self.parents:
                # Proxy models: the primary key is the concrete model's.
                parent = next(iter(self.parents))
                self.setup_pk(parent._meta.pk)
            else:
                pk_class = self._get_default_pk_class()
                auto = pk_class(verbose_name="ID", primary_key=True, auto_created=True)
                model.add_to_class("id", auto)

    def add_manager(self, manager):
        self.local_managers.append(manager)
        self._expire_cache()

    def add_field(self, field, private=False):
        if private:
            self.private_fields.append(field)
        elif field.is_relation and field.many_to_many:
            bisect.insort(self.local_many_to_many, field)
        else:
            bisect.insort(self.local_fields, field)
            self.setup_pk(field)
        self._expire_cache()

    def setup_pk(self, field):
        if not self.pk and field.primary_key:
            self.pk = field
            field.serialize = False

    def setup_proxy(self, target):
        """Point this proxy model at the concrete model ``target``."""
        self.pk = target._meta.pk
        self.proxy_for_model = target
        self.db_table = target._meta.db_table

    def can_migrate(self, connection):
        """True when this model's table belongs on ``connection``."""
        if self.proxy or self.swapped or not self.managed:
            return False
        features = connection.features
        if self.required_db_vendor and self.required_db_vendor != connection.vendor:
            return False
        return all(getattr(features, feat, False) for feat in self.required_db_features)

    # -- managers ----------------------------------------------------------
    @cached_property
    def managers(self):
        """Managers of this model and its bases, copied and bound to this model."""
        managers = []
        seen = set()
        bases = (b for b in self.model.mro() if hasattr(b, "_meta"))
        for depth, base in enumerate(bases):
            for manager in base._meta.local_managers:
                if manager.name in seen:
                    continue
                manager = copy.copy(manager)
                manager.model = self.model
                seen.add(manager.name)
                managers.append((depth, manager.creation_counter, manager))
        return tuple(m[2] for m in sorted(managers, key=lambda m: m[:2]))

    @cached_property
    def managers_map(self):
        return {manager.name: manager for manager in self.managers}

    @cached_property
    def base_manager(self):
        from django.db.models.manager import Manager

        base_manager_name = self.base_manager_name
        if base_manager_name:
            try:
                return self.managers_map[base_manager_name]
            except KeyError:
                raise ValueError(
                    "%s has no manager named %r" % (self.object_name, base_manager_name)
                )
        manager = Manager()
        manager.name = "_base_manager"
        manager.model = self.model
        manager.auto_created = True
        return manager

    @cached_property
    def default_manager(self):
        name = self.default_manager_name
        if not name and not self.local_managers:
            # Get the first parent's default_manager_name if there is one.
            for parent in self.model.mro()[1:]:
                if hasattr(parent, "_meta"):
                    name = parent._meta.default_manager_name
                    break
        if name:
            try:
                return self.managers_map[name]
            except KeyError:
                raise ValueError("%s has no manager named %r" % (self.object_name, name))
        if self.managers:
            return self.managers[0]
        return None

    # -- fields ------------------------------------------------------------
    def _expire_cache(self, forward=True, reverse=True):
        for name in _CACHED_PROPERTIES:
            self.__dict__.pop(name, None)
        self._get_fields_cache = {}

    def add_reverse_relation(self, rel):
        """Register ``rel`` (a ManyToOneRel/OneToOneRel/ManyToManyRel whose
        field points at this model) once both models are ready."""
        if rel not in self._reverse_relations:
            self._reverse_relations.append(rel)
        self._expire_cache()
        # Proxies of this model list the same reverse relations.
        for models in getattr(self.apps, "all_models", {}).values():
            for model in list(models.values()):
                if model._meta.proxy and model._meta.concrete_model is self.model:
                    model._meta._expire_cache()

    def get_fields(self, include_parents=True, include_hidden=False):
        """All fields of the model: reverse relations pointing here, then the
        parents' fields, then the local ones."""
        return self._get_fields(include_parents=include_parents, include_hidden=include_hidden)

    def _get_fields(self, forward=True, reverse=True, include_parents=True, include_hidden=False):
        key = (forward, reverse, include_parents, include_hidden)
        try:
            return self._get_fields_cache[key]
        except KeyError:
            pass
        fields = []
        seen = set()

        def append(field):
            if id(field) not in seen:
                seen.add(id(field))
                fields.append(field)

        if reverse:
            concrete = self.concrete_model._meta if self.concrete_model else self
            for rel in concrete._reverse_relations:
                if include_hidden or not rel.hidden:
                    append(rel)
        if forward:
            if include_parents:
                for parent in self.parents:
                    for field in parent._meta._get_fields(
                        forward=True, reverse=False, include_parents=True,
                        include_hidden=include_hidden,
                    ):
                        append(field)
            for field in (*self.local_fields, *self.local_many_to_many, *self.private_fields):
                if include_hidden or not field.hidden:
                    append(field)
        fields = tuple(fields)
        self._get_fields_cache[key] = fields
        return fields

    @cached_property
    def fields(self):
        """Forward, non-many-to-many fields (including the parents')."""
        # A GenericForeignKey (a private many-to-one with no remote_field
        # and no column) is not a field of the row either.
        return tuple(
            f for f in self._get_fields(reverse=False)
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
    def _concrete_attnames(self):
        return tuple(f.attname for f in self.concrete_fields)

    @property
    def many_to_many(self):
        return tuple(
            f for f in self._get_fields(reverse=False) if f.is_relation and f.many_to_many
        )

    @property
    def related_objects(self):
        """Reverse relations pointing at this model (hidden ones only for
        many-to-many, as in Django)."""
        return tuple(
            rel for rel in self._get_fields(forward=False, reverse=True, include_hidden=True)
            if not rel.hidden or rel.field.many_to_many
        )

    @cached_property
    def _forward_fields_map(self):
        res = {}
        for field in self._get_fields(reverse=False):
            res[field.name] = field
            try:
                res[field.attname] = field
            except AttributeError:  # pragma: no cover
                pass
        return res

    @cached_property
    def fields_map(self):
        """Every field by name, reverse relations by their query name."""
        res = {}
        for field in self._get_fields(forward=False, include_hidden=True):
            res[field.name] = field
        return res

    def get_field(self, field_name):
        """Return the field called ``field_name`` (name or attname, or the
        query name of a reverse relation)."""
        try:
            return self._forward_fields_map[field_name]
        except (KeyError, TypeError):
            pass
        try:
            return self.fields_map[field_name]
        except (KeyError, TypeError):
            choices = ", ".join(sorted(f.name for f in self.get_fields()))
            raise FieldDoesNotExist(
                "%s has no field named '%s'. Choices are: %s."
                % (self.object_name, field_name, choices)
            )

    def get_parent_list(self):
        result = []
        for parent in self.parents:
            result.append(parent)
            result.extend(p for p in parent._meta.get_parent_list() if p not in result)
        return result

    def get_ancestor_link(self, ancestor):
        return None

    def get_path_to_parent(self, parent):
        return []

    def get_path_from_parent(self, parent):
        return []

    @cached_property
    def db_returning_fields(self):
        """Fields whose value the database produces on INSERT."""
        return [f for f in self.local_concrete_fields if getattr(f, "db_returning", False)]

    @cached_property
    def total_unique_constraints(self):
        from django.db.models.constraints import UniqueConstraint

        return [
            c for c in self.constraints
            if isinstance(c, UniqueConstraint) and c.condition is None and not c.contains_expressions
        ]

    @cached_property
    def _property_names(self):
        names = set()
        for klass in self.model.__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, property):
                    names.add(name)
        return frozenset(names)

    @cached_property
    def _non_pk_concrete_field_names(self):
        names = set()
        for field in self.concrete_fields:
            if not field.primary_key:
                names.add(field.name)
                if field.name != field.attname:
                    names.add(field.attname)
        return frozenset(names)
