"""The "jsonl" format (JSON Lines): one python-format object per line.

Both directions stream: the deserializer reads one line at a time.
"""
import json

from django.core.serializers import base, python
from django.core.serializers.json import dump_options


class Serializer(python.Serializer):
    """Write each object as one line of JSON (``indent`` is ignored)."""

    internal_use_only = False

    def start_serialization(self):
        self._dump_kwargs = dump_options(self.options, keep_indent=False)

    def end_object(self, obj):
        self.stream.write(json.dumps(self.get_dump_object(obj), **self._dump_kwargs) + "\n")

    def end_serialization(self):
        """Nothing closes a JSON Lines document."""

    def getvalue(self):
        return base.Serializer.getvalue(self)


def _documents(lines):
    """The JSON value of each non-blank line (str or bytes)."""
    for number, line in enumerate(lines, start=1):
        text = line.decode("utf-8") if isinstance(line, bytes) else line
        if text.strip():
            try:
                yield json.loads(text)
            except ValueError as e:
                raise base.DeserializationError("Invalid JSON on line %d: %s" % (number, e)) from e


class Deserializer(python.Deserializer):
    """Read JSON Lines from a string, bytes or a file, one line at a time."""

    def __init__(self, stream_or_string, **options):
        source = stream_or_string
        if isinstance(source, bytes):
            source = source.decode("utf-8")
        if isinstance(source, str):
            source = source.splitlines()
        super().__init__(_documents(source), **options)
