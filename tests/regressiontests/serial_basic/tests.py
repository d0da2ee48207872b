import datetime
import decimal
import io
import json
import uuid

from django.core import serializers
from django.core.serializers import base
from django.core.serializers.json import DjangoJSONEncoder
from django.test import SimpleTestCase, TestCase, override_settings

from .models import Code, Point


class RegistryTests(SimpleTestCase):
    def tearDown(self):
        serializers._loaded_formats.clear()

    def test_builtin_formats(self):
        self.assertEqual(set(serializers.get_serializer_formats()) >= {"json", "jsonl", "python"}, True)
        self.assertNotIn("python", serializers.get_public_serializer_formats())
        self.assertIs(
            serializers.get_serializer("json"), serializers.json.Serializer
        )
        self.assertIs(serializers.get_deserializer("python"), serializers.python.Deserializer)

    def test_unknown_format(self):
        with self.assertRaises(serializers.SerializerDoesNotExist) as cm:
            serializers.get_serializer("nope")
        self.assertIn("Unknown serialization format 'nope'", str(cm.exception))
        self.assertIn("json", str(cm.exception))
        with self.assertRaises(serializers.SerializerDoesNotExist):
            serializers.get_deserializer("nope")
        with self.assertRaises(serializers.SerializerDoesNotExist):
            serializers.unregister_serializer("nope")

    def test_register_and_unregister(self):
        serializers.register_serializer("custom", "regressiontests.serial_basic.custom_format")
        self.assertIn("custom", serializers.get_public_serializer_formats())
        serializers.unregister_serializer("custom")
        self.assertNotIn("custom", serializers.get_serializer_formats())

    def test_bad_module_fails_only_when_used(self):
        serializers.register_serializer("broken", "regressiontests.serial_basic.does_not_exist")
        self.assertIn("broken", serializers.get_serializer_formats())
        with self.assertRaises(ImportError):
            serializers.serialize("broken", [])
        self.assertEqual(serializers.serialize("json", []), "[]")

    @override_settings(SERIALIZATION_MODULES={"custom": "regressiontests.serial_basic.custom_format"})
    def test_setting(self):
        serializers._loaded_formats.clear()
        text = serializers.serialize("custom", [Point(id=1, x=1)])
        self.assertTrue(text.startswith("CUSTOM:["))
        objs = list(serializers.deserialize("custom", text))
        self.assertEqual(objs[0].object.x, 1)


class EncoderTests(SimpleTestCase):
    def encode(self, value):
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))

    def test_types(self):
        utc = datetime.timezone.utc
        self.assertEqual(self.encode(datetime.datetime(2020, 1, 2, 3, 4, 5, 6)), "2020-01-02T03:04:05.000006")
        self.assertEqual(self.encode(datetime.datetime(2020, 1, 2, tzinfo=utc)), "2020-01-02T00:00:00Z")
        plus_two = datetime.timezone(datetime.timedelta(hours=2))
        self.assertEqual(self.encode(datetime.datetime(2020, 1, 2, tzinfo=plus_two)), "2020-01-02T00:00:00+02:00")
        self.assertEqual(self.encode(datetime.date(2020, 1, 2)), "2020-01-02")
        self.assertEqual(self.encode(datetime.time(1, 2, 3)), "01:02:03")
        self.assertEqual(self.encode(datetime.timedelta(days=1, seconds=1)), "P1DT00H00M01S")
        self.assertEqual(self.encode(decimal.Decimal("1.10")), "1.10")
        u = uuid.uuid4()
        self.assertEqual(self.encode(u), str(u))
        self.assertEqual(self.encode(b"\x00\xff"), "AP8=")
        with self.assertRaisesMessage(ValueError, "timezone-aware times"):
            json.dumps(datetime.time(1, tzinfo=utc), cls=DjangoJSONEncoder)
        with self.assertRaises(TypeError):
            json.dumps(object(), cls=DjangoJSONEncoder)


class SerializeTests(TestCase):
    def test_python_format(self):
        p = Point.objects.create(x=1, y=2, label="a")
        data = serializers.serialize("python", Point.objects.all())
        self.assertEqual(data, [{"model": "serial_basic.point", "pk": p.pk, "fields": {"x": 1, "y": 2, "label": "a"}}])

    def test_fields_option(self):
        p = Point.objects.create(x=1, y=2, label="a")
        data = json.loads(serializers.serialize("json", Point.objects.all(), fields=["x", "label"]))
        self.assertEqual(data, [{"model": "serial_basic.point", "pk": p.pk, "fields": {"x": 1, "label": "a"}}])
        # Deserializing partial data keeps the other fields' defaults.
        obj = next(serializers.deserialize("json", json.dumps(data))).object
        self.assertEqual((obj.x, obj.y, obj.label), (1, 0, "a"))

    def test_indent_and_stream(self):
        Point.objects.create(id=1, x=1)
        Point.objects.create(id=2, x=2)
        stream = io.StringIO()
        result = serializers.serialize("json", Point.objects.all(), indent=2, stream=stream)
        text = stream.getvalue()
        self.assertEqual(result, text)
        self.assertTrue(text.startswith("[\n{\n  \"model\""))
        self.assertTrue(text.endswith("}\n]\n"))
        self.assertNotIn(" \n", text)
        self.assertEqual([d["pk"] for d in json.loads(text)], [1, 2])
        compact = serializers.serialize("json", Point.objects.all())
        self.assertIn("}, {", compact)

    def test_string_primary_key(self):
        Code.objects.create(code="A1", title="first")
        text = serializers.serialize("json", Code.objects.all())
        self.assertEqual(json.loads(text), [{"model": "serial_basic.code", "pk": "A1", "fields": {"title": "first"}}])
        Code.objects.all().delete()
        for obj in serializers.deserialize("json", text):
            obj.save()
        self.assertEqual(Code.objects.get().title, "first")

    def test_round_trip_python_json_jsonl(self):
        Point.objects.create(x=5, y=6, label="é")
        for format in ("python", "json", "jsonl"):
            with self.subTest(format=format):
                data = serializers.serialize(format, Point.objects.all())
                Point.objects.all().delete()
                objects = list(serializers.deserialize(format, data))
                self.assertEqual(len(objects), 1)
                self.assertRegex(repr(objects[0]), r"<DeserializedObject: serial_basic.Point\(pk=\d+\)>")
                objects[0].save()
                self.assertEqual(Point.objects.get().label, "é")

    def test_deserialize_bytes_and_files(self):
        text = '[{"model": "serial_basic.point", "pk": 4, "fields": {"x": 1}}]'
        for source in (text, text.encode(), io.StringIO(text), io.BytesIO(text.encode())):
            obj = next(iter(serializers.deserialize("json", source)))
            self.assertEqual(obj.object.pk, 4)
        lines = io.BytesIO(b'{"model": "serial_basic.point", "pk": 4, "fields": {"x": 1}}\n')
        self.assertEqual(next(serializers.deserialize("jsonl", lines)).object.pk, 4)


class DeserializationErrorTests(SimpleTestCase):
    def error(self, text, format="json", **options):
        with self.assertRaises(base.DeserializationError) as cm:
            list(serializers.deserialize(format, text, **options))
        return str(cm.exception)

    def test_malformed_json(self):
        self.assertIn("Invalid JSON", self.error('[{"model": '))
        self.assertIn("must be a list of objects, not dict", self.error('{"model": "x"}'))
        self.assertIn("Invalid JSON on line 2", self.error('{"model": "serial_basic.point", "fields": {"x": 1}}\n{', "jsonl"))

    def test_bad_objects(self):
        self.assertIn("Object #1 is not a mapping", self.error("[1]"))
        self.assertIn("Object #2: Invalid model identifier: 'nope'", self.error(
            '[{"model": "serial_basic.point", "fields": {"x": 1}}, {"model": "nope", "fields": {}}]'
        ))
        self.assertIn("Invalid model identifier: 'None'", self.error('[{"fields": {}}]'))
        self.assertIn("'fields' must be a mapping", self.error('[{"model": "serial_basic.point", "fields": []}]'))

    def test_unknown_field_and_bad_value(self):
        message = self.error('[{"model": "serial_basic.point", "pk": 3, "fields": {"z": 1}}]')
        self.assertIn("object #1, serial_basic.Point:pk=3, field 'z'", message)
        self.assertIn("Point has no field named 'z'", message)
        message = self.error('[{"model": "serial_basic.point", "pk": 3, "fields": {"x": "abc"}}]')
        self.assertIn("field 'x'", message)
        self.assertIn("field_value was 'abc'", message)
        message = self.error('[{"model": "serial_basic.point", "pk": "zz", "fields": {"x": 1}}]')
        self.assertIn("field 'pk'", message)

    def test_ignorenonexistent(self):
        text = '[{"model": "serial_basic.point", "pk": 3, "fields": {"x": 1, "z": 2}}]'
        obj = next(serializers.deserialize("json", text, ignorenonexistent=True)).object
        self.assertEqual(obj.x, 1)

    def test_with_data_and_m2m_error(self):
        exc = base.DeserializationError.WithData(ValueError("bad"), "app.M", 5, "v")
        self.assertEqual(str(exc), "bad: (app.M:pk=5) field_value was 'v'")
        m2m = base.M2MDeserializationError(ValueError("x"), 7)
        self.assertEqual((m2m.pk, str(m2m.original_exc)), (7, "x"))


class SortDependenciesTests(SimpleTestCase):
    def test_order_kept_without_dependencies(self):
        from django.apps import apps

        config = apps.get_app_config("serial_basic")
        self.assertEqual(serializers.sort_dependencies([(config, None)]), [Point, Code])
        self.assertEqual(serializers.sort_dependencies([(config, [Code, Point, Code])]), [Code, Point])

    def test_natural_key_dependencies_and_cycles(self):
        class Registry:
            models = {}

            def get_model(self, label):
                return self.models[label]

        def fake_model(label, dependencies):
            def natural_key(self):
                return ()

            natural_key.dependencies = dependencies
            meta = type("Meta", (), {
                "apps": Registry(), "fields": (), "many_to_many": (), "label": label,
            })
            model = type(label, (), {"natural_key": natural_key, "_meta": meta})
            Registry.models[label] = model
            return model

        first = fake_model("app.first", ["app.second"])
        second = fake_model("app.second", [])
        third = fake_model("app.third", [])
        self.assertEqual(
            serializers.sort_dependencies([(None, [first, second, third])]), [second, third, first]
        )
        second.natural_key.dependencies.append("app.first")
        with self.assertRaisesMessage(RuntimeError, "Can't resolve dependencies for app.first, app.second"):
            serializers.sort_dependencies([(None, [first, second, third])])
        self.assertEqual(
            serializers.sort_dependencies([(None, [first, second, third])], allow_cycles=True),
            [third, first, second],
        )


class BaseClassTests(SimpleTestCase):
    def test_hooks_must_be_implemented(self):
        class Incomplete(base.Serializer):
            pass

        with self.assertRaisesMessage(NotImplementedError, "start_serialization"):
            Incomplete().serialize([])

        class NoFields(base.Serializer):
            def start_serialization(self):
                pass

        with self.assertRaisesMessage(NotImplementedError, "start_object"):
            NoFields().serialize([Point(id=1, x=1)])
        serializer = NoFields()
        serializer.start_object = lambda obj: None
        with self.assertRaisesMessage(NotImplementedError, "handle_field"):
            serializer.serialize([Point(id=1, x=1)])

    def test_base_deserializer_reads_strings_bytes_and_streams(self):
        class Lines(base.Deserializer):
            def __next__(self):
                line = self.stream.readline()
                if not line:
                    raise StopIteration
                return line.strip()

        self.assertEqual(list(Lines("a\nb\n")), ["a", "b"])
        self.assertEqual(list(Lines(b"c\n")), ["c"])
        self.assertEqual(list(Lines(io.StringIO("d\n"))), ["d"])
        with self.assertRaises(NotImplementedError):
            next(base.Deserializer(""))

    def test_lenient_datetimes(self):
        from django.core.serializers.python import _to_python

        from regressiontests.fixtures_data.models import Thing

        moment = Thing._meta.get_field("moment")
        self.assertEqual(_to_python(moment, "2009-5-4"), datetime.datetime(2009, 5, 4))
        self.assertEqual(_to_python(moment, "2009-05-04 10:30"), datetime.datetime(2009, 5, 4, 10, 30))
