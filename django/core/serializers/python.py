"""The "python" format: lists of dicts of plain Python values.

Each object is ``{"model": "app_label.modelname", "pk": ..., "fields":
{...}}``.  The other formats (json, jsonl) are this one plus an encoding.
"""
import datetime

from django.apps import apps
from django.core.serializers import base
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.dateparse import parse_date, parse_datetime


class Serializer(base.Serializer):
    """Serialize to a list of dicts; ``getvalue()`` returns the list."""

    internal_use_only = True

    def start_serialization(self):
        self.objects = []
        self._fields_data = None

    def start_object(self, obj):
        self._fields_data = {}

    def end_object(self, obj):
        self.objects.append(self.get_dump_object(obj))

    def end_serialization(self):
        """The list is complete."""

    def get_dump_object(self, obj):
        """``{"model": ..., "pk": ..., "fields": {...}}`` for the current object
        (no "pk" when natural primary keys are wanted and the model has one)."""
        # The natural key identifies the object instead, when it is wanted.
        natural = self.use_natural_primary_keys and hasattr(obj, "natural_key")
        identity = {} if natural else {"pk": base.field_value_for_serialization(obj._meta.pk, obj)}
        return {"model": obj._meta.label_lower, **identity, "fields": self._fields_data}

    def handle_field(self, obj, field):
        self._fields_data[field.name] = base.field_value_for_serialization(field, obj)

    def handle_fk_field(self, obj, field):
        if self.use_natural_foreign_keys and hasattr(field.remote_field.model, "natural_key"):
            self._fields_data[field.name] = _natural_key_of(getattr(obj, field.name))
        else:
            self.handle_field(obj, field)

    def handle_m2m_field(self, obj, field):
        if not base._m2m_through_auto_created(field):
            return  # rows of an explicit through model are dumped on their own
        related_model = field.remote_field.model
        manager = getattr(obj, field.name)
        if self.use_natural_foreign_keys and hasattr(related_model, "natural_key"):
            values = [_natural_key_of(related) for related in manager.iterator()]
        else:
            pk_field = related_model._meta.pk
            values = [
                base.field_value_for_serialization(pk_field, related) for related in manager.iterator()
            ]
        self._fields_data[field.name] = values

    def getvalue(self):
        return self.objects


class Deserializer(base.Deserializer):
    """Turn a list of dicts back into :class:`DeserializedObject` instances.

    Options: ``ignorenonexistent`` skips fields (and models are still
    required) that the model does not have; ``handle_forward_references``
    defers natural keys whose target does not exist yet instead of failing;
    ``using`` is the database natural keys are looked up in (default:
    'default'). Every error names the object index (from 1), the model and the field.
    """

    def __init__(self, object_list, *, ignorenonexistent=False, handle_forward_references=False,
                 using=None, **options):
        self.options = options
        self.ignorenonexistent, self.handle_forward_references = (
            ignorenonexistent, handle_forward_references,
        )
        # Natural keys are looked up on ``using`` ('default' if not given);
        # an unknown alias fails here, naming it, before any object is read.
        self.using = connections.checked_alias(using) or DEFAULT_DB_ALIAS
        # Objects are built one at a time, as the caller iterates.
        self._pending = (
            self._deserialize_one(index, d) for index, d in enumerate(object_list, start=1)
        )

    def __next__(self):
        return next(self._pending)

    def _deserialize_one(self, index, d):
        if not isinstance(d, dict):
            raise base.DeserializationError(
                "Object #%d is not a mapping with 'model' and 'fields' keys: %r" % (index, d)
            )
        try:
            Model = _get_model(d.get("model"))
        except base.DeserializationError as e:
            raise base.DeserializationError("Object #%d: %s" % (index, e)) from None
        label = Model._meta.label
        pk = d.get("pk")
        fields_data = d.get("fields", {})
        if not isinstance(fields_data, dict):
            raise base.DeserializationError(
                "Object #%d (%s:pk=%s): 'fields' must be a mapping, not %r" % (index, label, pk, fields_data)
            )
        data, m2m_data, deferred_fields = {}, {}, {}
        if "pk" in d:
            try:
                data[Model._meta.pk.attname] = Model._meta.pk.to_python(pk)
            except Exception as e:
                raise base.DeserializationError.WithData(e, label, pk, pk, index, "pk")
        known = {f.name for f in Model._meta.get_fields()}
        for name, raw in fields_data.items():
            if name not in known and self.ignorenonexistent:
                continue
            # Any failure below is reported with the object and field.
            try:
                field = Model._meta.get_field(name)
                if base._is_m2m(field):
                    resolved = base.deserialize_m2m_values(field, raw, self.handle_forward_references, self.using)
                    target, key = m2m_data, field.name
                elif base._is_fk(field):
                    resolved = base.deserialize_fk_value(field, raw, self.handle_forward_references, self.using)
                    target, key = data, field.attname
                else:
                    resolved = _to_python(field, raw)
                    target, key = data, field.name
            except base.M2MDeserializationError as e:
                raise base.DeserializationError.WithData(e.original_exc, label, pk, e.pk, index, name)
            except Exception as e:
                raise base.DeserializationError.WithData(e, label, pk, raw, index, name)
            if resolved is base.DEFER_FIELD:
                deferred_fields[field] = raw
            else:
                target[key] = resolved
        try:
            obj = base.build_instance(Model, data, self.using)
        except Exception as e:
            raise base.DeserializationError(
                "Object #%d (%s:pk=%s): could not build the instance: %s" % (index, label, pk, e)
            ) from e
        return base.DeserializedObject(obj, m2m_data, deferred_fields)


def _natural_key_of(related):
    """A related object's natural key as a list (JSON has no tuples); None for no object."""
    return None if related is None else list(related.natural_key())


def _to_python(field, value):
    """``field.to_python(value)``, first reading date and datetime strings
    with django.utils.dateparse, which is lenient where fixtures written by
    hand are (``2009-5-4``, ``2009-05-04 10:30``)."""
    if isinstance(value, str):
        internal_type = field.get_internal_type()
        parsed = None
        if internal_type == "DateField":
            parsed = parse_date(value.strip())
        elif internal_type == "DateTimeField":
            parsed = parse_datetime(value.strip())
            if parsed is None:
                day = parse_date(value.strip())
                if day is not None:
                    parsed = datetime.datetime(day.year, day.month, day.day)
        if parsed is not None:
            value = parsed
    return field.to_python(value)


def _get_model(model_identifier):
    """The model class for an ``"app_label.ModelName"`` identifier."""
    try:
        return apps.get_model(model_identifier)
    except (LookupError, TypeError, ValueError, AttributeError):
        raise base.DeserializationError("Invalid model identifier: '%s'" % (model_identifier,))
