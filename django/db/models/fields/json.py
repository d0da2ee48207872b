"""``JSONField`` and its key lookups (``data__key``, ``has_key``...).

Values are serialised with ``json.dumps(value, cls=encoder)`` (through the
backend's ``ops.adapt_json_value`` when it has one) and read back with
``json.loads(value, cls=decoder)``.
"""
import json

from django.core import exceptions
from django.db.models.fields import Field

__all__ = ["JSONField"]


class JSONField(Field):
    empty_strings_allowed = False
    description = "A JSON object"
    default_error_messages = {"invalid": "Value must be valid JSON."}

    def __init__(self, verbose_name=None, name=None, encoder=None, decoder=None, **kwargs):
        if encoder and not callable(encoder):
            raise ValueError("The encoder parameter must be a callable object.")
        if decoder and not callable(decoder):
            raise ValueError("The decoder parameter must be a callable object.")
        self.encoder = encoder
        self.decoder = decoder
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not None:
            kwargs["encoder"] = self.encoder
        if self.decoder is not None:
            kwargs["decoder"] = self.decoder
        return name, path, args, kwargs

    def get_internal_type(self):
        return "JSONField"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        if not isinstance(value, (str, bytes, bytearray)):
            return value  # the driver already decoded it
        try:
            return json.loads(value, cls=self.decoder)
        except json.JSONDecodeError:
            return value

    def get_prep_value(self, value):
        # The Python value; encoding happens in get_db_prep_value.
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if hasattr(value, "as_sql"):
            return value
        adapt = getattr(connection.ops, "adapt_json_value", None)
        if adapt is not None:
            return adapt(value, self.encoder)
        return self._dumps(value)

    def get_db_prep_save(self, value, connection):
        if value is None and not self.null:
            # Saving None into a NOT NULL JSON column stores JSON null.
            return self.get_db_prep_value(value, connection)
        return super().get_db_prep_save(value, connection)

    def _dumps(self, value):
        try:
            return json.dumps(value, cls=self.encoder)
        except TypeError as e:
            raise TypeError(
                "Field '%s': %r is not JSON serializable (%s)." % (self.name, value, e)
            ) from e

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            json.dumps(value, cls=self.encoder)
        except TypeError:
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )

    def value_to_string(self, obj):
        return self.value_from_object(obj)
