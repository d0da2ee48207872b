"""Fields: conversions, round trips on the database, defaults, choices."""
import datetime
import decimal
import uuid
import warnings

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import get_connection, models
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import timezone

from .models import AllTypes, BigPk, Card, Person, Stamped, Suit, WithUUIDPk


class RoundTripTests(TestCase):
    def roundtrip(self, **kwargs):
        obj = AllTypes.objects.create(**kwargs)
        return AllTypes.objects.get(pk=obj.pk)

    def test_integers(self):
        o = self.roundtrip(big=2**40, small=-300, pos=7, pos_small=3, pos_big=2**41)
        self.assertEqual((o.big, o.small, o.pos, o.pos_small, o.pos_big), (2**40, -300, 7, 3, 2**41))

    def test_booleans(self):
        o = self.roundtrip(flag=True, nflag=None)
        self.assertIs(o.flag, True)
        self.assertIsNone(o.nflag)
        o = self.roundtrip(flag=False, nflag=False)
        self.assertIs(o.flag, False)
        self.assertIs(o.nflag, False)

    def test_float_decimal(self):
        o = self.roundtrip(ratio=1.5, amount=decimal.Decimal("12345.678"))
        self.assertEqual(o.ratio, 1.5)
        self.assertEqual(o.amount, decimal.Decimal("12345.678"))
        self.assertIsInstance(o.amount, decimal.Decimal)
        # quantized to decimal_places on save
        o = self.roundtrip(amount=decimal.Decimal("1.2"))
        self.assertEqual(str(o.amount), "1.200")
        o = self.roundtrip(amount="2.5")
        self.assertEqual(o.amount, decimal.Decimal("2.5"))

    def test_text_types(self):
        o = self.roundtrip(text="long " * 100, slug="a-slug", email="a@b.com", url="http://x.org/")
        self.assertEqual((o.text, o.slug, o.email, o.url), ("long " * 100, "a-slug", "a@b.com", "http://x.org/"))
        o = self.roundtrip(text="ünïcødé ✓")
        self.assertEqual(o.text, "ünïcødé ✓")

    def test_dates_and_times(self):
        d = datetime.date(2021, 2, 28)
        dt = datetime.datetime(2021, 2, 28, 13, 14, 15, 123456)
        t = datetime.time(1, 2, 3)
        o = self.roundtrip(day=d, moment=dt, clock=t)
        self.assertEqual((o.day, o.moment, o.clock), (d, dt, t))
        o = self.roundtrip(day="2020-01-02")
        self.assertEqual(o.day, datetime.date(2020, 1, 2))

    def test_duration(self):
        span = datetime.timedelta(days=3, hours=4, microseconds=17)
        o = self.roundtrip(span=span)
        self.assertEqual(o.span, span)
        o = self.roundtrip(span=datetime.timedelta(seconds=-90))
        self.assertEqual(o.span, datetime.timedelta(seconds=-90))

    def test_uuid(self):
        u = uuid.uuid4()
        o = self.roundtrip(uid=u)
        self.assertEqual(o.uid, u)
        o = self.roundtrip(uid=str(u))
        self.assertEqual(o.uid, u)
        self.assertEqual(AllTypes.objects.filter(uid=u).count(), 2)

    def test_binary(self):
        data = bytes(range(256))
        o = self.roundtrip(blob=data)
        self.assertEqual(bytes(o.blob), data)

    def test_ip(self):
        o = self.roundtrip(ip="192.168.0.1", ip4="::ffff:10.0.0.1")
        self.assertEqual(o.ip, "192.168.0.1")
        self.assertEqual(o.ip4, "10.0.0.1")
        o = self.roundtrip(ip="2001:0db8:0000:0000:0000:0000:0000:0001")
        self.assertEqual(o.ip, "2001:db8::1")

    def test_json(self):
        value = {"a": [1, 2, {"b": None, "c": "ü"}], "d": 1.5, "e": True}
        o = self.roundtrip(data=value)
        self.assertEqual(o.data, value)
        for scalar in ([1, "x"], "a string", 42, True):
            self.assertEqual(self.roundtrip(data=scalar).data, scalar)
        self.assertIsNone(self.roundtrip(data=None).data)

    def test_nulls(self):
        o = self.roundtrip()
        self.assertIsNone(o.big)
        self.assertIsNone(o.moment)
        self.assertEqual(o.text, "")

    def test_uuid_pk_default(self):
        w = WithUUIDPk.objects.create(name="u")
        self.assertIsInstance(w.pk, uuid.UUID)
        self.assertEqual(WithUUIDPk.objects.get(pk=w.pk).name, "u")

    def test_big_auto_pk(self):
        b = BigPk.objects.create(name="b")
        self.assertIsInstance(b.pk, int)
        self.assertEqual(BigPk.objects.get(pk=b.pk), b)


class BadValueTests(TestCase):
    def test_text_in_integer_field(self):
        with self.assertRaisesMessage(ValueError, "Field 'age' expected a number but got 'abc'."):
            Person.objects.create(name="x", age="abc")
        with self.assertRaisesMessage(ValueError, "Field 'age' expected a number but got 'abc'."):
            Person.objects.filter(age="abc")

    def test_other_bad_values(self):
        with self.assertRaisesMessage(ValueError, "Field 'ratio' expected a number"):
            AllTypes.objects.create(ratio="x")
        with self.assertRaisesMessage(ValueError, "Field 'amount' expected a decimal number"):
            AllTypes.objects.create(amount="1.2.3")
        with self.assertRaisesMessage(ValueError, "Field 'day' expected a date"):
            AllTypes.objects.create(day="2020-13-45")
        with self.assertRaisesMessage(ValueError, "Field 'uid' expected a UUID"):
            AllTypes.objects.create(uid="not-a-uuid")
        with self.assertRaisesMessage(TypeError, "Field 'blob' expected bytes"):
            AllTypes.objects.create(blob="str")
        with self.assertRaisesMessage(ValueError, "does not fit"):
            AllTypes.objects.create(amount=decimal.Decimal("123456789"))

    @override_settings(USE_TZ=False)
    def test_integer_validation_range(self):
        p = Person(name="x", age=2**40)
        with self.assertRaises(ValidationError) as cm:
            p.full_clean()
        self.assertIn("age", cm.exception.message_dict)


@override_settings(USE_TZ=True, TIME_ZONE="America/Chicago")
class TimezoneTests(TestCase):
    def test_aware_roundtrip(self):
        aware = datetime.datetime(2020, 6, 1, 12, 30, tzinfo=datetime.timezone.utc)
        o = AllTypes.objects.create(moment=aware)
        back = AllTypes.objects.get(pk=o.pk).moment
        self.assertTrue(timezone.is_aware(back))
        self.assertEqual(back, aware)

    def test_naive_warns_and_uses_default_tz(self):
        naive = datetime.datetime(2020, 6, 1, 12, 30)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            o = AllTypes.objects.create(moment=naive)
        messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
        self.assertTrue(any("AllTypes.moment" in m and "naive datetime" in m for m in messages), messages)
        back = AllTypes.objects.get(pk=o.pk).moment
        self.assertEqual(back, timezone.make_aware(naive, timezone.get_default_timezone()))


class DefaultsAndAutoTests(TestCase):
    def test_auto_now(self):
        before = timezone.now()
        s = Stamped.objects.create(title="a")
        self.assertIsNotNone(s.created)
        self.assertGreaterEqual(s.modified, before)
        self.assertEqual(s.day, datetime.date.today())
        created = s.created
        s.title = "b"
        s.save()
        s = Stamped.objects.get(pk=s.pk)
        self.assertEqual(s.created, created)
        self.assertGreaterEqual(s.modified, created)

    def test_auto_fields_not_editable(self):
        f = Stamped._meta.get_field("created")
        self.assertFalse(f.editable)
        self.assertTrue(f.blank)

    def test_choices_display(self):
        p = Person.objects.create(name="x", gender="f", grouped=9)
        self.assertEqual(p.get_gender_display(), "Female")
        self.assertEqual(p.get_grouped_display(), "nine")
        p.gender = "?"
        self.assertEqual(p.get_gender_display(), "?")

    def test_enum_choices(self):
        c = Card.objects.create(suit=Suit.SPADES)
        self.assertEqual(Card.objects.get(pk=c.pk).suit, 2)
        self.assertEqual(c.get_suit_display(), "Spades")
        self.assertEqual(Suit.choices, [(1, "Hearts"), (2, "Spades")])
        self.assertEqual(Suit.HEARTS.label, "Hearts")
        self.assertEqual(Suit.labels, ["Hearts", "Spades"])
        self.assertEqual(Suit.values, [1, 2])
        self.assertIn(1, Suit)
        self.assertEqual(str(Suit.HEARTS), "1")


class FieldApiTests(SimpleTestCase):
    def test_attributes(self):
        f = Person._meta.get_field("name")
        self.assertEqual((f.name, f.attname, f.column, f.verbose_name), ("name", "name", "name", "name"))
        self.assertEqual(f.model, Person)
        self.assertEqual(str(f), "model_fields.Person.name")
        self.assertIn("CharField: name", repr(f))
        self.assertFalse(f.is_relation)
        self.assertIsNone(f.remote_field)
        self.assertEqual(f.get_internal_type(), "CharField")
        self.assertTrue(f.concrete)

    def test_db_column(self):
        f = models.IntegerField(db_column="Col_X")
        f.set_attributes_from_name("x")
        self.assertEqual(f.get_attname_column(), ("x", "Col_X"))

    def test_ordering(self):
        a = models.IntegerField()
        b = models.IntegerField()
        self.assertLess(a, b)
        self.assertEqual(sorted([b, a]), [a, b])

    def test_db_type(self):
        conn = get_connection()
        self.assertEqual(
            models.CharField(max_length=12).db_type(conn),
            conn.data_types["CharField"] % {"max_length": 12},
        )
        f = models.PositiveIntegerField()
        f.set_attributes_from_name("n")
        params = f.db_parameters(conn)
        self.assertIn("n", params["check"] or "n")

    def test_charfield_requires_max_length(self):
        with self.assertRaisesMessage(TypeError, "requires a 'max_length'"):
            type("NoLen", (models.Model,), {
                "__module__": __name__, "name": models.CharField(),
                "Meta": type("Meta", (), {"app_label": "model_fields_x"}),
            })
        with self.assertRaisesMessage(TypeError, "positive integer"):
            models.CharField(max_length=-1)

    def test_decimal_args(self):
        with self.assertRaisesMessage(TypeError, "max_digits"):
            models.DecimalField(decimal_places=2)
        with self.assertRaisesMessage(TypeError, "greater or equal"):
            models.DecimalField(max_digits=2, decimal_places=3)

    def test_to_python_and_clean(self):
        self.assertEqual(models.IntegerField().to_python("4"), 4)
        with self.assertRaises(ValidationError):
            models.IntegerField().to_python("x")
        self.assertIs(models.BooleanField().to_python("t"), True)
        self.assertIs(models.BooleanField().to_python("0"), False)
        with self.assertRaises(ValidationError):
            models.BooleanField().to_python("maybe")
        self.assertEqual(models.DateTimeField().to_python("2020-01-02 03:04:05"),
                         datetime.datetime(2020, 1, 2, 3, 4, 5))
        self.assertEqual(models.TimeField().to_python("03:04"), datetime.time(3, 4))
        self.assertEqual(models.DurationField().to_python("1 02:00:00"),
                         datetime.timedelta(days=1, hours=2))
        self.assertEqual(models.DecimalField(max_digits=4, decimal_places=1).to_python(1.25),
                         decimal.Decimal("1.25"))
        with self.assertRaises(ValidationError):
            models.UUIDField().to_python("zz")
        self.assertEqual(models.UUIDField().to_python(1).int, 1)

    def test_validate_choices_null_blank(self):
        f = Person._meta.get_field("gender")
        with self.assertRaisesMessage(ValidationError, "is not a valid choice"):
            f.clean("x", None)
        self.assertEqual(f.clean("m", None), "m")
        g = Person._meta.get_field("grouped")
        self.assertEqual(g.clean(2, None), 2)
        with self.assertRaises(ValidationError):
            g.clean(5, None)
        n = Person._meta.get_field("name")
        with self.assertRaisesMessage(ValidationError, "cannot be blank"):
            n.clean("", None)
        with self.assertRaisesMessage(ValidationError, "cannot be null"):
            models.IntegerField().clean(None, None)
        with self.assertRaisesMessage(ValidationError, "Ensure this value has at most 10 characters"):
            n.clean("x" * 11, None)

    def test_flatchoices_and_get_choices(self):
        g = Person._meta.get_field("grouped")
        self.assertEqual(g.flatchoices, [(1, "one"), (2, "two"), (9, "nine")])
        self.assertEqual(Person._meta.get_field("gender").get_choices()[0], ("", "---------"))

    def test_defaults(self):
        self.assertFalse(models.IntegerField().has_default())
        self.assertIsNone(models.IntegerField().get_default())
        self.assertEqual(models.CharField(max_length=3).get_default(), "")
        self.assertEqual(models.IntegerField(default=lambda: 5).get_default(), 5)
        self.assertEqual(models.BinaryField().get_default(), b"")

    def test_deconstruct(self):
        name, path, args, kwargs = models.CharField(max_length=5, null=True).deconstruct()
        self.assertEqual(path, "django.db.models.CharField")
        self.assertEqual(kwargs, {"max_length": 5, "null": True})
        name, path, args, kwargs = models.DecimalField(max_digits=5, decimal_places=2).deconstruct()
        self.assertEqual(kwargs, {"max_digits": 5, "decimal_places": 2})
        clone = models.CharField(max_length=5, null=True).clone()
        self.assertEqual(clone.max_length, 5)

    def test_ip_validation(self):
        f = models.GenericIPAddressField(protocol="ipv4")
        with self.assertRaises(ValidationError):
            f.clean("::1", None)
        with self.assertRaises(ValueError):
            models.GenericIPAddressField(protocol="ipv5")
        with self.assertRaises(ValueError):
            models.GenericIPAddressField(protocol="ipv4", unpack_ipv4=True)

    def test_json_field_validation(self):
        f = models.JSONField()
        with self.assertRaises(ValidationError):
            f.clean({1, 2}, None)
        with self.assertRaises(ValueError):
            models.JSONField(encoder="nope")

    def test_autofield_isinstance(self):
        self.assertIsInstance(models.BigAutoField(primary_key=True), models.AutoField)
        self.assertTrue(issubclass(models.SmallAutoField, models.AutoField))

    def test_email_slug_url_validators(self):
        self.assertIn(validators.validate_email, models.EmailField().validators)
        with self.assertRaises(ValidationError):
            models.SlugField().clean("not a slug", None)
        with self.assertRaises(ValidationError):
            models.URLField().clean("nope", None)


class CustomFieldTests(SimpleTestCase):
    def test_subclass_keeps_internal_type(self):
        class UpperField(models.CharField):
            def get_prep_value(self, value):
                value = super().get_prep_value(value)
                return value.upper() if value else value

        f = UpperField(max_length=4)
        self.assertEqual(f.get_internal_type(), "CharField")
        conn = get_connection()
        self.assertEqual(f.db_type(conn), models.CharField(max_length=4).db_type(conn))
        self.assertEqual(f.get_prep_value("ab"), "AB")
        self.assertEqual(models.EmailField().get_internal_type(), "CharField")
        self.assertEqual(models.SlugField().get_internal_type(), "SlugField")


class JSONQueryTests(TestCase):
    def test_key_lookup_and_has_key(self):
        AllTypes.objects.create(data={"a": 1, "nested": {"b": "x"}})
        AllTypes.objects.create(data={"c": 2})
        self.assertEqual(AllTypes.objects.filter(data__a=1).count(), 1)
        self.assertEqual(AllTypes.objects.filter(data__nested__b="x").count(), 1)
        self.assertEqual(AllTypes.objects.filter(data__has_key="c").count(), 1)
        self.assertEqual(AllTypes.objects.filter(data="a string").count(), 0)


class JSONFieldApiTests(SimpleTestCase):
    def test_encoder_decoder(self):
        import json

        class Enc(json.JSONEncoder):
            def default(self, o):
                if isinstance(o, decimal.Decimal):
                    return str(o)
                return super().default(o)

        class Dec(json.JSONDecoder):
            pass

        f = models.JSONField(encoder=Enc, decoder=Dec)
        f.set_attributes_from_name("data")
        self.assertEqual(f.deconstruct()[3], {"encoder": Enc, "decoder": Dec})
        self.assertEqual(f.get_internal_type(), "JSONField")
        self.assertEqual(f.from_db_value('{"a": 1}', None, None), {"a": 1})
        self.assertEqual(f.from_db_value({"a": 1}, None, None), {"a": 1})
        self.assertIsNone(f.from_db_value(None, None, None))
        self.assertEqual(f._dumps({"d": decimal.Decimal("1.5")}), '{"d": "1.5"}')
        with self.assertRaisesMessage(TypeError, "Field 'data'"):
            models.JSONField(name="data")._dumps({1, 2})
        with self.assertRaises(ValueError):
            models.JSONField(decoder="x")
        f.clean({"d": decimal.Decimal("1")}, None)


class ModelUtilsTests(SimpleTestCase):
    def test_make_model_tuple(self):
        from django.db.models.utils import make_model_tuple, resolve_callables

        self.assertEqual(make_model_tuple(Person), ("model_fields", "person"))
        self.assertEqual(make_model_tuple("app.Model"), ("app", "model"))
        self.assertEqual(make_model_tuple(("a", "b")), ("a", "b"))
        with self.assertRaisesMessage(ValueError, "Invalid model reference 'nodot'"):
            make_model_tuple("nodot")
        self.assertEqual(dict(resolve_callables({"a": 1, "b": lambda: 2})), {"a": 1, "b": 2})

    def test_alters_data(self):
        self.assertTrue(models.Model.save.alters_data)
        self.assertTrue(models.Model.delete.alters_data)


class ReservedNamesTests(TestCase):
    def test_keywords_are_quoted(self):
        from .models import Reserved

        r = Reserved.objects.create(order=1, select="a", group="g")
        r.select = "b"
        r.save()
        got = Reserved.objects.get(order=1)
        self.assertEqual((got.select, got.group), ("b", "g"))
        self.assertEqual(Reserved._meta.get_field("select").column, "where")
        self.assertEqual(r.delete(), (1, {"model_fields.Reserved": 1}))


class TextChoicesTests(SimpleTestCase):
    def test_text_choices(self):
        from .models import Color

        self.assertEqual(Color.choices, [(None, "(unknown)"), ("R", "Red"), ("G", "Green")])
        self.assertEqual(Color.names, ["__empty__", "RED", "GREEN"])
        self.assertEqual(Color.RED, "R")
        self.assertEqual(repr(Color.RED), "Color.RED")
        self.assertIn("R", Color)
        self.assertIn(Color.GREEN, Color)
        f = models.CharField(max_length=1, choices=Color)
        self.assertEqual(f.choices, Color.choices)


class TextFormsTests(SimpleTestCase):
    """to_python() reads the text forms people and fixtures write, and
    value_to_string() writes forms that to_python() reads back."""

    def field(self, cls, **kwargs):
        field = cls(**kwargs)
        field.set_attributes_from_name("value")
        return field

    def test_dates_with_one_digit_parts(self):
        self.assertEqual(self.field(models.DateField).to_python("2009-5-4"), datetime.date(2009, 5, 4))
        self.assertEqual(
            self.field(models.DateTimeField).to_python("2009-5-4 3:04"),
            datetime.datetime(2009, 5, 4, 3, 4),
        )
        self.assertEqual(self.field(models.TimeField).to_python("3:04"), datetime.time(3, 4))

    def test_datetime_with_offset_and_bare_date(self):
        field = self.field(models.DateTimeField)
        self.assertEqual(
            field.to_python("2009-05-04T03:04:05Z"),
            datetime.datetime(2009, 5, 4, 3, 4, 5, tzinfo=datetime.timezone.utc),
        )
        self.assertEqual(field.to_python("2009-5-4"), datetime.datetime(2009, 5, 4))

    def test_impossible_or_malformed_date_is_a_validation_error(self):
        field = self.field(models.DateField)
        for text in ("2009-02-30", "4 May 2009", ""):
            with self.subTest(text=text), self.assertRaises(ValidationError) as ctx:
                field.to_python(text)
            self.assertEqual(ctx.exception.code, "invalid")

    def test_duration_and_binary_text_forms_load_back(self):
        class Holder:
            pass

        obj = Holder()
        duration = self.field(models.DurationField)
        obj.value = datetime.timedelta(days=1, seconds=5, microseconds=7)
        self.assertEqual(duration.to_python(duration.value_to_string(obj)), obj.value)
        binary = self.field(models.BinaryField)
        obj.value = b"\x00\xffbinary"
        self.assertEqual(binary.value_to_string(obj), "AP9iaW5hcnk=")
        self.assertEqual(bytes(binary.to_python(binary.value_to_string(obj))), obj.value)
