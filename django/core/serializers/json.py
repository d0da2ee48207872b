"""The "json" format: a JSON array of python-format objects.

The serializer writes each object as soon as it is complete, so dumping a
large table through a queryset ``iterator()`` never holds the whole document
in memory.
"""
import base64
import datetime
import json
from decimal import Decimal
from uuid import UUID

from django.core.serializers import base, python
from django.utils.duration import duration_iso_string
from django.utils.timezone import is_aware


def dump_options(options, keep_indent=True):
    """Keyword arguments for ``json.dump()`` from a serializer's options:
    anything json understands, DjangoJSONEncoder and real UTF-8 by default,
    and no trailing spaces after commas when indenting."""
    kwargs = {k: v for k, v in options.items() if k not in ("stream", "fields")}
    if not keep_indent:
        kwargs.pop("indent", None)
    if kwargs.get("indent") or not keep_indent:
        kwargs["separators"] = (",", ": ")
    kwargs.setdefault("cls", DjangoJSONEncoder)
    kwargs.setdefault("ensure_ascii", False)
    return kwargs


class Serializer(python.Serializer):
    """Stream a JSON array of objects; ``indent`` pretty-prints it."""

    internal_use_only = False

    def start_serialization(self):
        self._dump_kwargs = dump_options(self.options)
        pretty = bool(self.options.get("indent"))
        # What goes before each object, and around the whole list.
        self._first_sep, self._next_sep = ("\n", ",\n") if pretty else ("", ", ")
        self._closing = "\n]\n" if pretty else "]"
        self.stream.write("[")

    def end_object(self, obj):
        self.stream.write(self._first_sep if self.first else self._next_sep)
        json.dump(self.get_dump_object(obj), self.stream, **self._dump_kwargs)

    def end_serialization(self):
        self.stream.write(self._closing)

    def getvalue(self):
        # The text of an in-memory stream (not the python format's list).
        return base.Serializer.getvalue(self)


class Deserializer(python.Deserializer):
    """Read a JSON document (string, bytes or file) and deserialize it.

    Malformed JSON raises DeserializationError with the parser's position.
    """

    def __init__(self, stream_or_string, **options):
        super().__init__(_json_array(stream_or_string), **options)


def _json_array(source):
    """The list of objects a JSON document holds (``source``: str, bytes or a file).

    json.loads() takes bytes as they are (it detects UTF-8/16/32); a decoding
    error is a ValueError like a syntax error, and reported the same way.
    """
    document = source.read() if hasattr(source, "read") else source
    try:
        objects = json.loads(document)
    except ValueError as e:
        raise base.DeserializationError("Invalid JSON: %s" % e) from e
    if not isinstance(objects, list):
        raise base.DeserializationError(
            "A JSON fixture must be a list of objects, not %s." % type(objects).__name__
        )
    return objects


class DjangoJSONEncoder(json.JSONEncoder):
    """A JSONEncoder that also knows dates, times, decimals, UUIDs and durations.

    Datetimes and times keep their microseconds (so a dump loads back to the
    identical value); an aware UTC datetime ends in ``Z``.
    """

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        if isinstance(o, datetime.date):
            return o.isoformat()
        if isinstance(o, datetime.timedelta):
            return duration_iso_string(o)
        if isinstance(o, (Decimal, UUID)):
            return str(o)
        if isinstance(o, (bytes, bytearray, memoryview)):
            return base64.b64encode(bytes(o)).decode("ascii")
        if type(o).__name__ == "__proxy__" or hasattr(o, "__html__"):
            return str(o)  # lazy translations and safe strings
        return super().default(o)
