"""
IPAddressField (Django 1.2's API): IPv4 only, 15 characters, validated by
full_clean(), stored and read back as text, serialized as text.
"""
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import DataError, connection, models
from django.db.models import FieldValueError
from django.test import SimpleTestCase, TestCase, TransactionTestCase

from .models import Host, OptionalHost


class DeclarationTests(SimpleTestCase):
    def test_max_length_is_fifteen(self):
        field = Host._meta.get_field("ip")
        self.assertEqual(field.max_length, 15)
        self.assertEqual(models.IPAddressField(max_length=40).max_length, 15)

    def test_internal_type_and_column(self):
        field = Host._meta.get_field("ip")
        self.assertEqual(field.get_internal_type(), "IPAddressField")
        expected = "inet" if connection.vendor == "postgresql" else "char(15)"
        self.assertEqual(field.db_type(connection), expected)

    def test_is_not_a_generic_ip_address_field(self):
        self.assertNotIsInstance(models.IPAddressField(), models.GenericIPAddressField)

    def test_deconstruct_omits_the_fixed_length(self):
        name, path, args, kwargs = Host._meta.get_field("ip").deconstruct()
        self.assertEqual((name, path, args, kwargs), ("ip", "django.db.models.IPAddressField", [], {}))


class ConversionTests(SimpleTestCase):
    def test_to_python_gives_stripped_text(self):
        field = models.IPAddressField()
        self.assertEqual(field.to_python(" 10.0.0.1 "), "10.0.0.1")
        self.assertIsNone(field.to_python(None))

    def test_get_prep_value_stores_blank_as_null(self):
        field = models.IPAddressField()
        self.assertIsNone(field.get_prep_value(""))
        self.assertIsNone(field.get_prep_value(None))
        self.assertEqual(field.get_prep_value("192.168.0.1"), "192.168.0.1")


class ValidationTests(SimpleTestCase):
    def assert_rejected(self, value):
        with self.assertRaises(ValidationError) as caught:
            Host(name="h", ip=value).full_clean()
        self.assertEqual(caught.exception.message_dict, {"ip": ["Enter a valid IPv4 address."]})

    def test_ipv4_accepted(self):
        for value in ("0.0.0.0", "127.0.0.1", "255.255.255.255"):
            Host(name="h", ip=value).full_clean()

    def test_ipv6_rejected(self):
        self.assert_rejected("::1")

    def test_garbage_rejected(self):
        for value in ("localhost", "256.0.0.1", "1.2.3", "1.2.3.4.5"):
            with self.subTest(value=value):
                self.assert_rejected(value)

    def test_blank_rejected_unless_allowed(self):
        with self.assertRaises(ValidationError) as caught:
            Host(name="h", ip="").full_clean()
        self.assertIn("ip", caught.exception.message_dict)
        OptionalHost(ip="").full_clean()
        OptionalHost(ip=None).full_clean()


class StorageTests(TestCase):
    def test_round_trip_and_lookups(self):
        Host.objects.create(name="a", ip="192.168.1.10")
        Host.objects.create(name="b", ip="10.0.0.1")
        host = Host.objects.get(ip="192.168.1.10")
        self.assertEqual(host.name, "a")
        self.assertEqual(host.ip, "192.168.1.10")
        self.assertIsInstance(host.ip, str)
        matching = Host.objects.filter(ip__startswith="10.").values_list("name", flat=True)
        self.assertEqual(list(matching), ["b"])

    def test_blank_is_stored_as_null(self):
        OptionalHost.objects.create(ip="")
        self.assertEqual(list(OptionalHost.objects.values_list("ip", flat=True)), [None])

    def test_serialization_round_trip(self):
        host = Host.objects.create(name="a", ip="172.16.0.5")
        data = serializers.serialize("json", [host])
        self.assertIn('"ip": "172.16.0.5"', data)
        Host.objects.all().delete()
        for obj in serializers.deserialize("json", data):
            obj.save()
        self.assertEqual(Host.objects.get(pk=host.pk).ip, "172.16.0.5")


class SaveRefusalTests(TransactionTestCase):
    """A value that is not an IPv4 address is refused before any SQL, on
    every database (PostgreSQL's inet column alone would refuse it).
    Outside atomic(): a refusal marks an atomic block for rollback."""

    def assert_refused(self, call):
        with self.assertRaises(FieldValueError) as caught:
            call()
        error = caught.exception
        self.assertIsInstance(error, DataError)
        self.assertEqual((error.field.name, error.code), ("ip", "not_ipv4"))
        self.assertIn("Host.ip:", str(error))
        self.assertIn("is not an IPv4 address", str(error))

    def test_create_refuses(self):
        self.assert_refused(lambda: Host.objects.create(name="h", ip="not an address"))
        self.assert_refused(lambda: Host.objects.create(name="h", ip="2001:db8::1"))
        self.assertFalse(Host.objects.exists())

    def test_update_refuses(self):
        Host.objects.create(name="h", ip="10.0.0.1")
        self.assert_refused(lambda: Host.objects.update(ip="10.0.0.256"))
        self.assertEqual(Host.objects.get().ip, "10.0.0.1")

    def test_bulk_create_refuses(self):
        hosts = [Host(name="a", ip="10.0.0.1"), Host(name="b", ip="bad")]
        self.assert_refused(lambda: Host.objects.bulk_create(hosts))
        self.assertFalse(Host.objects.exists())
