"""django.core: exceptions (ValidationError shapes), validators, system checks."""
import datetime
from decimal import Decimal

from django.core import checks
from django.core import exceptions
from django.core.checks.registry import CheckRegistry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import (
    EMPTY_VALUES,
    DecimalValidator,
    EmailValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
    RegexValidator,
    StepValueValidator,
    URLValidator,
    validate_email,
    validate_integer,
    validate_ipv4_address,
    validate_ipv6_address,
    validate_ipv46_address,
    validate_slug,
    validate_unicode_slug,
)
from django.test import SimpleTestCase
from django.test.utils import override_settings


class ExceptionClassTests(SimpleTestCase):
    def test_exception_classes_exist(self):
        for name in (
            "ImproperlyConfigured", "AppRegistryNotReady", "ObjectDoesNotExist",
            "MultipleObjectsReturned", "FieldDoesNotExist", "FieldError", "ValidationError",
            "EmptyResultSet", "FullResultSet", "SuspiciousOperation", "PermissionDenied",
        ):
            with self.subTest(name=name):
                self.assertTrue(issubclass(getattr(exceptions, name), Exception))


class ValidationErrorTests(SimpleTestCase):
    def test_single_message(self):
        error = ValidationError("Bad %(value)s.", code="bad", params={"value": 3})
        self.assertEqual(error.message, "Bad %(value)s.")
        self.assertEqual(error.code, "bad")
        self.assertEqual(error.error_list, [error])
        self.assertEqual(error.messages, ["Bad 3."])
        self.assertEqual(list(error), ["Bad 3."])
        self.assertEqual(str(error), "['Bad 3.']")
        self.assertEqual(repr(error), "ValidationError(['Bad 3.'])")
        with self.assertRaises(AttributeError):
            error.message_dict
        with self.assertRaises(AttributeError):
            error.error_dict

    def test_list(self):
        error = ValidationError(["First.", ValidationError("Second.", code="two")])
        self.assertEqual(error.messages, ["First.", "Second."])
        self.assertEqual(error.error_list[1].code, "two")
        self.assertFalse(hasattr(error, "message"))

    def test_list_flattens_dict_errors(self):
        error = ValidationError([ValidationError({"a": ["A."], "b": "B."})])
        self.assertEqual(sorted(error.messages), ["A.", "B."])

    def test_dict(self):
        error = ValidationError(
            {"name": ["Too long.", "Bad char."], "age": ValidationError("Too young.", code="young")}
        )
        self.assertEqual(
            error.message_dict, {"name": ["Too long.", "Bad char."], "age": ["Too young."]}
        )
        self.assertEqual(sorted(error.messages), ["Bad char.", "Too long.", "Too young."])
        self.assertEqual(error.error_dict["age"][0].code, "young")
        self.assertEqual(dict(error), error.message_dict)
        self.assertIn("'age': ['Too young.']", str(error))

    def test_wrapping_keeps_shape(self):
        inner_dict = ValidationError({"f": "x"})
        self.assertEqual(ValidationError(inner_dict).message_dict, {"f": ["x"]})
        inner_list = ValidationError(["a", "b"])
        self.assertEqual(ValidationError(inner_list).messages, ["a", "b"])
        single = ValidationError("m %(p)s", code="c", params={"p": 1})
        wrapped = ValidationError(single)
        self.assertEqual((wrapped.message, wrapped.code, wrapped.params), ("m %(p)s", "c", {"p": 1}))

    def test_update_error_dict(self):
        target = {"a": [ValidationError("old")]}
        ValidationError({"a": "new", "b": "bee"}).update_error_dict(target)
        self.assertEqual([e.message for e in target["a"]], ["old", "new"])
        self.assertEqual([e.message for e in target["b"]], ["bee"])
        ValidationError("general").update_error_dict(target)
        self.assertEqual([e.message for e in target[NON_FIELD_ERRORS]], ["general"])

    def test_equality_and_hash(self):
        self.assertEqual(ValidationError("a", code="x"), ValidationError("a", code="x"))
        self.assertNotEqual(ValidationError("a", code="x"), ValidationError("a", code="y"))
        self.assertEqual(
            ValidationError("a", params={"k": [1]}), ValidationError("a", params={"k": [1]})
        )
        self.assertEqual(ValidationError(["a", "b"]), ValidationError(["b", "a"]))
        self.assertEqual(ValidationError({"f": ["a"]}), ValidationError({"f": "a"}))
        self.assertNotEqual(ValidationError("a"), "a")
        self.assertEqual(len({ValidationError("a"), ValidationError("a")}), 1)


class ValidatorTests(SimpleTestCase):
    def assertInvalid(self, validator, value, code, message=None):
        with self.assertRaises(ValidationError) as ctx:
            validator(value)
        self.assertEqual(ctx.exception.code, code)
        self.assertIs(ctx.exception.params["value"], value)
        if message is not None:
            self.assertEqual(ctx.exception.messages, [message])

    def test_empty_values(self):
        self.assertEqual(EMPTY_VALUES, (None, "", [], (), {}))

    def test_limit_validators(self):
        MaxValueValidator(10)(10)
        self.assertInvalid(
            MaxValueValidator(10), 11, "max_value",
            "Ensure this value is less than or equal to 10.",
        )
        MinValueValidator(-1)(-1)
        self.assertInvalid(
            MinValueValidator(0), -1, "min_value",
            "Ensure this value is greater than or equal to 0.",
        )
        self.assertInvalid(
            MaxValueValidator(lambda: datetime.date(2000, 1, 1)),
            datetime.date(2001, 1, 1), "max_value",
        )
        MinLengthValidator(2)("ab")
        self.assertInvalid(
            MinLengthValidator(3), "ab", "min_length",
            "Ensure this value has at least 3 characters (it has 2).",
        )
        self.assertInvalid(
            MaxLengthValidator(1), "ab", "max_length",
            "Ensure this value has at most 1 characters (it has 2).",
        )
        self.assertInvalid(StepValueValidator(3), 4, "step_size")
        StepValueValidator(0.5)(1.5)

    def test_base_validator(self):
        from django.core.validators import BaseValidator

        marker = object()
        BaseValidator(marker)(marker)  # Identity comparison by default.
        self.assertInvalid(
            BaseValidator(marker, message="Not it."), object(), "limit_value", "Not it."
        )

    def test_limit_validator_equality(self):
        self.assertEqual(MaxValueValidator(1), MaxValueValidator(1))
        self.assertNotEqual(MaxValueValidator(1), MaxValueValidator(2))
        self.assertNotEqual(MaxValueValidator(1), MinValueValidator(1))
        self.assertEqual(hash(MaxValueValidator(1)), hash(MaxValueValidator(1)))

    def test_regex_validator(self):
        validator = RegexValidator(r"^\d+$", message="Digits only.", code="digits")
        validator("123")
        self.assertInvalid(validator, "12a", "digits", "Digits only.")
        inverse = RegexValidator(r"x", inverse_match=True)
        inverse("abc")
        self.assertInvalid(inverse, "xyz", "invalid", "Enter a valid value.")
        RegexValidator("ABC", flags=2)("abc")  # re.IGNORECASE
        with self.assertRaises(TypeError):
            RegexValidator(validator.regex, flags=2)
        self.assertEqual(RegexValidator("a"), RegexValidator("a"))
        self.assertNotEqual(RegexValidator("a"), RegexValidator("b"))
        self.assertEqual(hash(RegexValidator("a")), hash(RegexValidator("a")))

    def test_integer_and_slug(self):
        validate_integer("-42")
        self.assertInvalid(validate_integer, "4.2", "invalid", "Enter a valid integer.")
        validate_slug("a-slug_1")
        self.assertInvalid(validate_slug, "not a slug", "invalid")
        validate_unicode_slug("héllo")
        self.assertInvalid(validate_unicode_slug, "hé llo", "invalid")

    def test_email(self):
        for value in (
            "john@example.com", "a.b+tag@sub.example.co.uk", '"john@doe"@example.com',
            "root@localhost", "x@[127.0.0.1]", "x@[IPv6:::1]", "user@xn--bcher-kva.ch",
            "user@bücher.ch",
        ):
            with self.subTest(value=value):
                validate_email(value)
        for value in (
            None, "", "plain", "a@b", "a@-example.com", "a..b@example.com", "a@[1.2.3]",
            "a@example..com", "a@" + "x" * 64 + ".com", "@example.com",
        ):
            with self.subTest(value=value):
                self.assertInvalid(validate_email, value, "invalid", "Enter a valid email address.")
        EmailValidator(allowlist=["intranet"])("me@intranet")
        self.assertInvalid(EmailValidator(message="Bad.", code="mail"), "x", "mail", "Bad.")
        self.assertEqual(EmailValidator(), EmailValidator())
        self.assertNotEqual(EmailValidator(code="x"), EmailValidator())
        self.assertIsInstance(hash(EmailValidator()), int)

    def test_url(self):
        validator = URLValidator()
        for value in (
            "http://www.example.com", "https://example.com:8000/path?q=1#frag",
            "ftp://files.example.org/", "http://127.0.0.1/", "http://[::1]:80/",
            "http://localhost:8000/", "http://user:pw@example.com/",
        ):
            with self.subTest(value=value):
                validator(value)
        for value in (
            "example.com", "http://", "http://x", "gopher://example.com", "http://exa mple.com",
            "http://example.com:99999/", "http://[zz::1]/", "http://999.1.1.1x/", 42,
            "http://" + "a" * 2050 + ".com",
        ):
            with self.subTest(value=value):
                self.assertInvalid(validator, value, "invalid")
        URLValidator(schemes=["git"])("git://example.com/repo")
        for value in ("http://[::1/", "http://example.com:0/"):
            with self.subTest(value=value):
                self.assertInvalid(validator, value, "invalid")
        custom = URLValidator(message="Bad URL.", code="url")
        self.assertInvalid(custom, "nope", "url", "Bad URL.")
        self.assertEqual(URLValidator(), URLValidator())
        self.assertIsInstance(hash(URLValidator()), int)

    def test_ip_addresses(self):
        validate_ipv4_address("192.168.0.1")
        self.assertInvalid(validate_ipv4_address, "256.1.1.1", "invalid", "Enter a valid IPv4 address.")
        validate_ipv6_address("fe80::1")
        self.assertInvalid(validate_ipv6_address, "1.2.3.4", "invalid", "Enter a valid IPv6 address.")
        validate_ipv46_address("::1")
        validate_ipv46_address("10.0.0.1")
        self.assertInvalid(
            validate_ipv46_address, "nope", "invalid", "Enter a valid IPv4 or IPv6 address."
        )

    def test_decimal(self):
        validator = DecimalValidator(5, 2)
        for value in ("123.45", "0.01", "-1.5", "100", "0.00"):
            validator(Decimal(value))
        self.assertInvalid(
            validator, Decimal("1234.5"), "max_whole_digits",
            "Ensure that there are no more than 3 digits before the decimal point.",
        )
        self.assertInvalid(
            validator, Decimal("1.234"), "max_decimal_places",
            "Ensure that there are no more than 2 decimal places.",
        )
        self.assertInvalid(
            validator, Decimal("123456"), "max_digits",
            "Ensure that there are no more than 5 digits in total.",
        )
        self.assertInvalid(validator, Decimal("1E+5"), "max_digits")
        self.assertInvalid(DecimalValidator(3, 3), Decimal("0.0001"), "max_digits")
        self.assertInvalid(validator, Decimal("NaN"), "invalid", "Enter a number.")
        self.assertInvalid(validator, Decimal("Infinity"), "invalid")
        DecimalValidator(None, None)(Decimal("123456.789"))
        self.assertEqual(DecimalValidator(5, 2), DecimalValidator(5, 2))
        self.assertNotEqual(DecimalValidator(5, 2), DecimalValidator(5, 3))
        self.assertIsInstance(hash(DecimalValidator(5, 2)), int)

    def test_null_characters(self):
        validator = ProhibitNullCharactersValidator()
        validator("fine")
        self.assertInvalid(
            validator, "bad\x00", "null_characters_not_allowed", "Null characters are not allowed."
        )
        custom = ProhibitNullCharactersValidator(message="No NUL.", code="nul")
        self.assertInvalid(custom, "\x00", "nul", "No NUL.")
        self.assertEqual(validator, ProhibitNullCharactersValidator())
        self.assertIsInstance(hash(validator), int)


class CheckMessageTests(SimpleTestCase):
    def test_levels_and_seriousness(self):
        self.assertEqual(
            [cls("m").level for cls in (checks.Debug, checks.Info, checks.Warning, checks.Error, checks.Critical)],
            [checks.DEBUG, checks.INFO, checks.WARNING, checks.ERROR, checks.CRITICAL],
        )
        self.assertTrue(checks.Error("m").is_serious())
        self.assertTrue(checks.Critical("m").is_serious())
        self.assertFalse(checks.Warning("m").is_serious())
        self.assertTrue(checks.Warning("m").is_serious(checks.WARNING))
        with self.assertRaisesMessage(TypeError, "level"):
            checks.CheckMessage("not a level", "msg")

    def test_str(self):
        message = checks.Error("Bad thing.", hint="Fix it.", obj="app.Model", id="models.E001")
        self.assertEqual(str(message), "app.Model: (models.E001) Bad thing.\n\tHINT: Fix it.")
        self.assertEqual(str(checks.Warning("No object.")), "?: No object.")

    def test_str_for_model_class(self):
        class Meta:
            label = "shop.Product"

        class Product:
            _meta = Meta

        self.assertEqual(str(checks.Info("Hello.", obj=Product, id="x.I1")), "shop.Product: (x.I1) Hello.")

    def test_equality_and_repr(self):
        self.assertEqual(checks.Error("a", id="x.E1"), checks.Error("a", id="x.E1"))
        self.assertNotEqual(checks.Error("a"), checks.Warning("a"))
        self.assertEqual(len({checks.Error("a"), checks.Error("a")}), 1)
        self.assertIn("msg='a'", repr(checks.Error("a")))

    @override_settings(SILENCED_SYSTEM_CHECKS=["x.W1"])
    def test_is_silenced(self):
        self.assertTrue(checks.Warning("w", id="x.W1").is_silenced())
        self.assertFalse(checks.Warning("w", id="x.W2").is_silenced())


class CheckRegistryTests(SimpleTestCase):
    def setUp(self):
        self.registry = CheckRegistry()

    def test_register_forms_and_tags(self):
        @self.registry.register
        def untagged(app_configs, **kwargs):
            return [checks.Info("untagged")]

        @self.registry.register(checks.Tags.models, "custom")
        def tagged(app_configs, **kwargs):
            return [checks.Error("tagged", id="models.E900")]

        def plain(app_configs, **kwargs):
            return (checks.Warning("plain"),)

        self.assertIs(self.registry.register(plain, checks.Tags.database), plain)

        self.assertEqual(untagged.tags, ())
        self.assertEqual(tagged.tags, ("models", "custom"))
        self.assertEqual(
            sorted(m.msg for m in self.registry.run_checks()), ["plain", "tagged", "untagged"]
        )
        self.assertEqual([m.msg for m in self.registry.run_checks(tags=["custom"])], ["tagged"])
        self.assertEqual([m.msg for m in self.registry.run_checks(tags=["database"])], ["plain"])
        self.assertTrue(self.registry.tag_exists("models"))
        self.assertFalse(self.registry.tag_exists("nope"))

    def test_app_configs_passed_through(self):
        seen = []

        @self.registry.register()
        def check(app_configs, **kwargs):
            seen.append((app_configs, sorted(kwargs)))
            return []

        self.registry.run_checks(app_configs=["x"])
        self.assertEqual(seen, [(["x"], ["databases"])])

    def test_deployment_checks(self):
        @self.registry.register(deploy=True)
        def deploy_only(app_configs, **kwargs):
            return [checks.Warning("deploy")]

        self.assertEqual(self.registry.run_checks(), [])
        self.assertEqual(
            [m.msg for m in self.registry.run_checks(include_deployment_checks=True)], ["deploy"]
        )

    def test_silenced_checks_dropped(self):
        @self.registry.register
        def noisy(app_configs, **kwargs):
            return [checks.Warning("w", id="x.W1"), checks.Error("e", id="x.E1")]

        with override_settings(SILENCED_SYSTEM_CHECKS=["x.W1"]):
            self.assertEqual([m.id for m in self.registry.run_checks()], ["x.E1"])

    def test_check_must_return_list(self):
        @self.registry.register
        def wrong(app_configs, **kwargs):
            return None

        with self.assertRaisesMessage(TypeError, "did not return a list"):
            self.registry.run_checks()

    def test_check_must_accept_kwargs(self):
        def no_kwargs(app_configs):
            return []

        with self.assertRaisesMessage(TypeError, "keyword arguments"):
            self.registry.register(no_kwargs)

    def test_global_registry(self):
        self.assertEqual(checks.register, checks.registry.register)
        self.assertIsInstance(checks.run_checks(tags=["no-such-tag"]), list)


class ModelChecksTests(SimpleTestCase):
    def test_check_all_models_uses_model_check_or_fields(self):
        from django.core.checks.model_checks import check_all_models

        class WithCheck:
            @classmethod
            def check(cls, **kwargs):
                return [checks.Error("model says no", id="models.E999")]

        class Field:
            def check(self, **kwargs):
                return [checks.Warning("field says hmm", id="fields.W999")]

        class Meta:
            local_fields = [Field(), object()]

        class WithoutCheck:
            _meta = Meta

        class Config:
            def get_models(self):
                return [WithCheck, WithoutCheck]

        messages = check_all_models(app_configs=[Config()])
        self.assertEqual([m.id for m in messages], ["models.E999", "fields.W999"])

    def test_registered_under_models_tag(self):
        from django.core.checks.model_checks import check_all_models

        self.assertIn(check_all_models, checks.registry.get_checks())
        self.assertEqual(check_all_models.tags, ("models",))
        self.assertIsInstance(checks.run_checks(tags=[checks.Tags.models]), list)
