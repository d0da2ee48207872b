"""``JSONField`` and its key lookups (``data__key``, ``has_key``...).

Values are serialised with ``json.dumps(value, cls=encoder)`` (through the
backend's ``ops.adapt_json_value`` when it has one) and read back with
``json.loads(value, cls=decoder)``.
"""
import json

from django.core import exceptions
from django.db.models.fields import Field

__all__ = ["JSONField"]


def _require_callable(option, value):
    if value is not None and not callable(value):
        raise ValueError("The %s parameter must be a callable object." % option)


class JSONField(Field):
    _internal_type = "JSONField"
    empty_strings_allowed = False
    description = "A JSON object"
    default_error_messages = {"invalid": "Value must be valid JSON."}

    def __init__(self, verbose_name=None, name=None, encoder=None, decoder=None, **kwargs):
        # json.dumps(cls=...) / json.loads(cls=...) take classes; anything
        # callable will do.
        _require_callable("encoder", encoder)
        _require_callable("decoder", decoder)
        self.encoder, self.decoder = encoder, decoder
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for option in ("encoder", "decoder"):
            if getattr(self, option) is not None:
                kwargs[option] = getattr(self, option)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        # psycopg decodes jsonb itself; text-backed databases hand back text.
        is_text = isinstance(value, (str, bytes, bytearray))
        return self._parsed(value) if is_text else value

    def _parsed(self, text):
        """``text`` decoded, or as it is when it is not JSON (the unquoted
        text a KeyTextTransform reads is a plain string)."""
        try:
            return json.loads(text, cls=self.decoder)
        except json.JSONDecodeError:
            return text

    def get_db_prep_value(self, value, connection, prepared=False):
        value = value if prepared else self.get_prep_value(value)
        if hasattr(value, "as_sql"):
            return value
        adapt = getattr(connection.ops, "adapt_json_value", None)
        return self._dumps(value) if adapt is None else adapt(value, self.encoder)

    def get_db_prep_save(self, value, connection):
        if value is None and not self.null:
            # Saving None into a NOT NULL JSON column stores JSON null.
            return self.get_db_prep_value(value, connection)
        return super().get_db_prep_save(value, connection)

    def _dumps(self, value):
        try:
            return json.dumps(value, cls=self.encoder)
        except TypeError as exc:
            raise TypeError(
                "Field '%s': %r is not JSON serializable (%s)." % (self.name, value, exc)
            ) from exc

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            self._dumps(value)
        except TypeError:
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def value_to_string(self, obj):
        # Serializers embed the Python structure, not a JSON string.
        return self.value_from_object(obj)
