"""The building blocks every serialization format shares.

A *serializer* walks model instances and writes them in some format; a
*deserializer* reads that format back and yields :class:`DeserializedObject`
wrappers whose ``save()`` writes the row as it is (``save_base(raw=True)``),
then restores many-to-many data.
"""
import base64
import io
from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.utils.duration import duration_string
from django.utils.encoding import is_protected_type

# Returned by deserialize_fk_value()/deserialize_m2m_values() when the
# referenced natural key is not in the database yet (it may come later in
# the same loaddata run): the value is stored in deferred_fields instead.
DEFER_FIELD = object()


class SerializerDoesNotExist(KeyError):
    """The requested serialization format is not registered."""


class SerializationError(Exception):
    """Something bad happened during serialization."""


class DeserializationError(Exception):
    """The data could not be turned back into model instances.

    The message says where: the object index, the model, the primary key and
    the field, so a broken fixture can be fixed without guessing.
    """

    @classmethod
    def WithData(cls, original_exc, model, fk, field_value, index=None, field_name=None):
        """A DeserializationError for ``original_exc`` that names the model,
        the primary key and the offending value (and the object index and
        field name when they are known)."""
        where = "%s:pk=%s" % (model, fk)
        if index is not None:
            where = "object #%d, %s" % (index, where)
        if field_name is not None:
            where += ", field '%s'" % field_name
        return cls("%s: (%s) field_value was '%s'" % (original_exc, where, field_value))


class M2MDeserializationError(Exception):
    """A many-to-many value could not be deserialized (``pk`` says which)."""

    def __init__(self, original_exc, pk):
        self.original_exc = original_exc
        self.pk = pk
        super().__init__(original_exc, pk)


def field_value_for_serialization(field, obj):
    """The value of ``field`` on ``obj`` as the python serializer stores it.

    Numbers, dates, times, decimals and None stay Python objects (the format
    writer encodes them); everything else goes through
    ``field.value_to_string()``.  Binary data becomes base64 and durations
    ``[DD] HH:MM:SS[.uuuuuu]`` whatever the field class does, because only
    those forms load back losslessly.
    """
    value = field.value_from_object(obj)
    if is_protected_type(value):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, timedelta):
        return duration_string(value)
    return field.value_to_string(obj)


def _is_fk(field):
    return bool(field.is_relation and (field.many_to_one or field.one_to_one))


def _is_m2m(field):
    return bool(field.is_relation and field.many_to_many)


def _m2m_through_auto_created(field):
    through = getattr(field.remote_field, "through", None)
    return through is None or through._meta.auto_created


class Serializer:
    """Walk a queryset (or any iterable of instances) and hand each object
    and field to the ``start_*``/``end_*``/``handle_*`` hooks of a format."""

    internal_use_only = False

    def serialize(self, queryset, *, stream=None, fields=None, use_natural_foreign_keys=False,
                  use_natural_primary_keys=False, progress_output=None, object_count=0,
                  **options):
        """Serialize ``queryset``; return the text unless ``stream`` was given.

        ``fields`` restricts the output to those field names (the primary key
        is always written, as ``pk``).  Objects are processed one at a time,
        so a queryset's ``iterator()`` keeps memory bounded.
        """
        self.options = options
        self.stream = io.StringIO() if stream is None else stream
        self.selected_fields = None if fields is None else set(fields)
        self.use_natural_foreign_keys, self.use_natural_primary_keys = (
            use_natural_foreign_keys, use_natural_primary_keys,
        )
        self.first = True
        self.start_serialization()
        for obj in queryset:
            self._serialize_object(obj)
            self.first = False
        self.end_serialization()
        return self.getvalue()

    def _serialize_object(self, obj):
        """Hand one object and each of its serializable fields to the hooks
        (the concrete model's own fields: a proxy is dumped as its model)."""
        opts = obj._meta.concrete_model._meta
        self.start_object(obj)
        for field in opts.local_fields:
            if field.serialize and self._selected(field):
                handler = self.handle_fk_field if _is_fk(field) else self.handle_field
                handler(obj, field)
        for field in opts.local_many_to_many:
            if field.serialize and self._selected(field):
                self.handle_m2m_field(obj, field)
        self.end_object(obj)

    def _selected(self, field):
        if self.selected_fields is None:
            return True
        return field.name in self.selected_fields or field.attname in self.selected_fields

    # -- hooks for the formats -------------------------------------------------
    def start_serialization(self):
        raise NotImplementedError("subclasses of Serializer must provide a start_serialization() method")

    def end_serialization(self):
        """Called after the last object."""

    def start_object(self, obj):
        raise NotImplementedError("subclasses of Serializer must provide a start_object() method")

    def end_object(self, obj):
        """Called after each object's fields."""

    def handle_field(self, obj, field):
        raise NotImplementedError("subclasses of Serializer must provide a handle_field() method")

    def handle_fk_field(self, obj, field):
        raise NotImplementedError("subclasses of Serializer must provide a handle_fk_field() method")

    def handle_m2m_field(self, obj, field):
        raise NotImplementedError("subclasses of Serializer must provide a handle_m2m_field() method")

    def getvalue(self):
        """The serialized text, when the stream is an in-memory buffer."""
        if callable(getattr(self.stream, "getvalue", None)):
            return self.stream.getvalue()
        return None


class Deserializer:
    """Iterate over :class:`DeserializedObject` built from a stream or string."""

    def __init__(self, stream_or_string, **options):
        self.options = options
        source = stream_or_string
        if isinstance(source, bytes):
            source = source.decode("utf-8")
        # Text is read through an in-memory stream, like a file.
        self.stream = io.StringIO(source) if isinstance(source, str) else source

    def __iter__(self):
        return self

    def __next__(self):
        raise NotImplementedError("subclasses of Deserializer must provide a __next__() method")


class DeserializedObject:
    """A model instance read from serialized data, not saved yet.

    ``object`` is the instance, ``m2m_data`` maps many-to-many field names to
    lists of primary keys, ``deferred_fields`` maps fields whose natural-key
    targets did not exist yet to their raw values.  ``save()`` writes the row
    exactly as given: ``save_base(raw=True)``, so ``pre_save``/``post_save``
    are sent once each with ``raw=True`` and no field's ``pre_save`` (e.g.
    ``auto_now``) rewrites the data. ``save(using=alias)`` writes the row and
    its many-to-many links on that database.
    """

    def __init__(self, obj, m2m_data=None, deferred_fields=None):
        self.object, self.m2m_data, self.deferred_fields = obj, m2m_data, deferred_fields

    def has_required_deferred_fields(self):
        """True when a deferred foreign key is NOT NULL: the row cannot be
        written until the natural key it refers to exists."""
        return any(
            _is_fk(field) and not field.null for field in (self.deferred_fields or {})
        )

    def __repr__(self):
        return "<%s: %s(pk=%s)>" % (
            self.__class__.__name__, self.object._meta.label, self.object.pk,
        )

    def save(self, save_m2m=True, using=None, **kwargs):
        """Write the row on ``using`` (None: where the routers send the
        model's writes), then its many-to-many links on the same database."""
        Model.save_base(self.object, raw=True, using=using, **kwargs)
        # The many-to-many data is written (or skipped) once, then dropped.
        relations, self.m2m_data = self.m2m_data or {}, None
        if save_m2m:
            for name, targets in relations.items():
                links = getattr(self.object, name)
                # Without an alias the links follow the row (the routers,
                # hinted with the instance, else the row's database).
                (links if using is None else links.db_manager(using)).set(targets)

    def save_deferred_fields(self, using=None):
        """Resolve, on ``using`` (None: routed), the natural keys that were
        missing at first and save them there (the whole object, if it could
        not be saved without them)."""
        self.m2m_data = dict(self.m2m_data or {})
        for field, field_value in (self.deferred_fields or {}).items():
            if _is_m2m(field):
                try:
                    values = deserialize_m2m_values(
                        field, field_value, handle_forward_references=False, using=using,
                    )
                except M2MDeserializationError as e:
                    raise DeserializationError.WithData(
                        e.original_exc, self.object._meta.label, self.object.pk, e.pk,
                        field_name=field.name,
                    )
                self.m2m_data[field.name] = values
            elif _is_fk(field):
                try:
                    value = deserialize_fk_value(field, field_value, handle_forward_references=False, using=using)
                except Exception as e:
                    raise DeserializationError.WithData(
                        e, self.object._meta.label, self.object.pk, field_value, field_name=field.name,
                    )
                setattr(self.object, field.attname, value)
        if self.object.pk is None:
            fill_natural_pk(self.object, using)
        self.save(using=using)


def build_instance(Model, data, using=DEFAULT_DB_ALIAS):
    """An unsaved ``Model(**data)``; with no pk but a natural key, the pk of
    the existing row with that natural key on the database ``using`` is
    filled in (so loading updates it instead of inserting a duplicate)."""
    obj = Model(**data)
    if data.get(Model._meta.pk.attname) is None:
        fill_natural_pk(obj, using)
    return obj


def fill_natural_pk(obj, using=DEFAULT_DB_ALIAS):
    """Set ``obj``'s pk from the row on ``using`` having the same natural
    key, if any."""
    Model = type(obj)
    manager = Model._default_manager
    if not (hasattr(manager, "get_by_natural_key") and hasattr(Model, "natural_key")):
        return
    try:
        natural_key = obj.natural_key()
    except (ObjectDoesNotExist, AttributeError):
        # The natural key goes through a relation that is not loaded yet
        # (a deferred forward reference): the object is new for now.
        return
    try:
        existing = manager.db_manager(using).get_by_natural_key(*natural_key)
    except Model.DoesNotExist:
        return
    setattr(obj, Model._meta.pk.attname, Model._meta.pk.to_python(existing.pk))


def _natural_key_given(value):
    return hasattr(value, "__iter__") and not isinstance(value, str)


def _reference_resolver(model, to_field_name=None, using=DEFAULT_DB_ALIAS):
    """A function turning one serialized reference to ``model`` into the value stored.

    A reference is either the value of the target field itself (the pk, or
    the ``to_field`` of a foreign key) or, when ``model``'s default manager
    has ``get_by_natural_key()``, a natural key (a list), looked up in the
    database ``using`` (ObjectDoesNotExist when the row is not there yet).
    """
    opts = model._meta
    target = opts.get_field(to_field_name) if to_field_name else opts.pk
    manager = model._default_manager
    natural = hasattr(manager, "get_by_natural_key")

    def resolve(reference):
        if natural and _natural_key_given(reference):
            return getattr(manager.db_manager(using).get_by_natural_key(*reference), target.attname)
        return target.to_python(reference)

    return resolve


def deserialize_m2m_values(field, field_value, handle_forward_references, using=DEFAULT_DB_ALIAS):
    """The list of target primary keys for a many-to-many value (pks or
    natural keys); DEFER_FIELD if a natural key is missing and forward
    references are allowed.

    M2MDeserializationError carries the culprit: the one reference that
    failed, or the whole value when it is not a list at all.
    """
    resolve = _reference_resolver(field.remote_field.model, using=using)
    culprit, resolved = field_value, []
    try:
        for culprit in field_value:
            resolved.append(resolve(culprit))
    except ObjectDoesNotExist as exc:
        if handle_forward_references:
            return DEFER_FIELD
        raise M2MDeserializationError(exc, culprit)
    except Exception as exc:
        raise M2MDeserializationError(exc, culprit)
    return resolved


def deserialize_fk_value(field, field_value, handle_forward_references, using=DEFAULT_DB_ALIAS):
    """The value for ``field.attname`` from a serialized foreign key (a pk
    or a natural key, looked up on ``using``); DEFER_FIELD if a natural key
    is missing and forward references are allowed."""
    if field_value is None:
        return None
    remote = field.remote_field
    resolve = _reference_resolver(remote.model, getattr(remote, "field_name", None), using)
    try:
        return resolve(field_value)
    except ObjectDoesNotExist:
        if not handle_forward_references:
            raise
        return DEFER_FIELD
