"""A third-party serialization format, registered through SERIALIZATION_MODULES."""
from django.core.serializers import json as json_format


class Serializer(json_format.Serializer):
    def start_serialization(self):
        self.stream.write("CUSTOM:")
        super().start_serialization()


class Deserializer(json_format.Deserializer):
    def __init__(self, stream_or_string, **options):
        if not isinstance(stream_or_string, str):
            stream_or_string = stream_or_string.read()
        super().__init__(stream_or_string[len("CUSTOM:"):], **options)
