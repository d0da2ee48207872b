"""full_clean() and database enforcement of unique/check constraints."""
import decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models.constraints import evaluate_q
from django.db.models import F, Q
from django.db.models.constraints import BaseConstraint, CheckConstraint, Deferrable, UniqueConstraint
from django.db.models.indexes import Index
from django.test import SimpleTestCase, TestCase

from .models import Product, Shelf


class FullCleanTests(TestCase):
    def test_every_invalid_field_reported(self):
        p = Product(sku="", name="x" * 11, price="abc", stock=-1, email="bad", kind="z")
        with self.assertRaises(ValidationError) as cm:
            p.full_clean()
        errors = cm.exception.message_dict
        self.assertEqual(sorted(errors), ["email", "kind", "name", "price", "sku", "stock"])
        self.assertIn("Ensure this value has at most 10 characters (it has 11).", errors["name"])
        self.assertIn("This field cannot be blank.", errors["sku"])
        self.assertIn("Value 'z' is not a valid choice.", errors["kind"])

    def test_exclude(self):
        p = Product(sku="", name="ok", price=1)
        p.full_clean(exclude=["sku"])

    def test_clean_hook_is_non_field_error(self):
        p = Product(sku="s1", name="forbidden", price=1)
        with self.assertRaises(ValidationError) as cm:
            p.full_clean()
        self.assertEqual(cm.exception.message_dict, {NON_FIELD_ERRORS: ["That name is forbidden."]})

    def test_clean_fields_converts(self):
        p = Product(sku="s", name="n", price="1.5", stock="3")
        p.full_clean()
        self.assertEqual(p.price, decimal.Decimal("1.5"))
        self.assertEqual(p.stock, 3)

    def test_validate_unique(self):
        Product.objects.create(sku="dup", name="a", price=1)
        p = Product(sku="dup", name="b", price=2)
        with self.assertRaises(ValidationError) as cm:
            p.full_clean()
        self.assertEqual(cm.exception.message_dict, {"sku": ["Product with this Sku already exists."]})
        # An existing instance does not clash with itself.
        existing = Product.objects.get(sku="dup")
        existing.full_clean()
        p.validate_unique(exclude=["sku"])

    def test_unique_together(self):
        Shelf.objects.create(room="r", number=1)
        s = Shelf(room="r", number=1)
        with self.assertRaises(ValidationError) as cm:
            s.validate_unique()
        self.assertEqual(
            cm.exception.message_dict,
            {NON_FIELD_ERRORS: ["Shelf with this Room and Number already exists."]},
        )
        Shelf(room="r", number=2).validate_unique()

    def test_validate_constraints(self):
        s = Shelf(room="r", number=-1, low=5, high=1)
        with self.assertRaises(ValidationError) as cm:
            s.validate_constraints()
        messages = cm.exception.message_dict[NON_FIELD_ERRORS]
        self.assertIn("Constraint “shelf_low_lte_high” is violated.", messages)
        self.assertIn("Shelf numbers start at zero.", messages)
        # excluding a field the check uses skips it
        with self.assertRaises(ValidationError) as cm:
            s.validate_constraints(exclude=["low"])
        self.assertEqual(cm.exception.message_dict[NON_FIELD_ERRORS], ["Shelf numbers start at zero."])
        Shelf(room="r", number=1).validate_constraints()

    def test_unique_constraint_validation(self):
        Shelf.objects.create(room="a", number=1, label="L")
        s = Shelf(room="b", number=1, label="L")
        with self.assertRaises(ValidationError) as cm:
            s.full_clean()
        self.assertEqual(cm.exception.message_dict, {"label": ["Shelf with this Label already exists."]})
        Shelf(room="c", number=1, label=None).full_clean()


class DatabaseEnforcementTests(TestCase):
    def assertIntegrity(self, **kwargs):
        with self.assertRaises(IntegrityError):
            with transaction.atomic():
                Shelf.objects.create(**kwargs)

    def test_unique_field(self):
        Product.objects.create(sku="u", name="a", price=1)
        with self.assertRaises(IntegrityError):
            with transaction.atomic():
                Product.objects.create(sku="u", name="b", price=1)

    def test_unique_together(self):
        Shelf.objects.create(room="r", number=1)
        self.assertIntegrity(room="r", number=1)

    def test_check_constraints(self):
        self.assertIntegrity(room="r", number=-5)
        self.assertIntegrity(room="r", number=3, low=9, high=2)

    def test_unique_constraint(self):
        Shelf.objects.create(room="r", number=1, label="x")
        self.assertIntegrity(room="s", number=1, label="x")
        Shelf.objects.create(room="t", number=1, label=None)
        Shelf.objects.create(room="u", number=1, label=None)

    def test_positive_check(self):
        # A CHECK violation (IntegrityError), or on MySQL/MariaDB an UNSIGNED
        # column out of range (DataError naming the column).
        with self.assertRaises((IntegrityError, DataError)):
            with transaction.atomic():
                Product.objects.create(sku="neg", name="n", price=1, stock=-3)


class EvaluateQTests(SimpleTestCase):
    def test_evaluate(self):
        vals = {"a": 1, "b": 2, "c": None, "s": "Hello"}
        self.assertIs(evaluate_q(Q(a__lt=F("b")), vals), True)
        self.assertIs(evaluate_q(Q(a=2) | Q(b=2), vals), True)
        self.assertIs(evaluate_q(~Q(a=1), vals), False)
        self.assertIsNone(evaluate_q(Q(c__gt=1), vals))
        self.assertIs(evaluate_q(Q(c__isnull=True), vals), True)
        self.assertIs(evaluate_q(Q(s__icontains="ell", a__in=[1, 3]), vals), True)
        self.assertIs(evaluate_q(Q(a__range=(0, 1)), vals), True)


class OverlongValueTests(TestCase):
    def test_overlong_charfield(self):
        from django.db import get_connection

        p = Product(sku="long", name="x" * 11, price=1)
        with self.assertRaises(ValidationError) as cm:
            p.full_clean()
        self.assertEqual(list(cm.exception.message_dict), ["name"])
        try:
            with transaction.atomic():
                p.save()
        except DataError as e:
            # PostgreSQL and MariaDB (strict mode) refuse it.
            self.assertTrue("name" in str(e) or "varying(10)" in str(e), str(e))
        else:
            # Only SQLite stores it: it does not enforce varchar lengths.
            self.assertEqual(get_connection().vendor, "sqlite")


class ConstraintApiTests(SimpleTestCase):
    def test_check_constraint_api(self):
        c = CheckConstraint(check=Q(low__lte=F("high")), name="c1")
        self.assertEqual(c, CheckConstraint(check=Q(low__lte=F("high")), name="c1"))
        self.assertNotEqual(c, CheckConstraint(check=Q(low__lte=F("high")), name="c2"))
        self.assertIn("name='c1'", repr(c))
        path, args, kwargs = c.deconstruct()
        self.assertEqual(path, "django.db.models.CheckConstraint")
        self.assertEqual(kwargs["name"], "c1")
        self.assertEqual(c.clone(), c)
        with self.assertRaisesMessage(TypeError, "must be a Q instance"):
            CheckConstraint(check="low < high", name="bad")
        with self.assertRaisesMessage(ValueError, "non-empty string 'name'"):
            CheckConstraint(check=Q(low=1), name="")
        c2 = CheckConstraint(check=Q(low=1), name="c3", violation_error_message="custom %(name)s")
        self.assertEqual(c2.get_violation_error_message(), "custom c3")
        self.assertEqual(c2.deconstruct()[2]["violation_error_message"], "custom %(name)s")

    def test_unique_constraint_api(self):
        u = UniqueConstraint(fields=["a", "b"], name="u1", condition=Q(a__gt=1),
                             deferrable=Deferrable.DEFERRED, include=["c"])
        kwargs = u.deconstruct()[2]
        self.assertEqual(kwargs["fields"], ("a", "b"))
        self.assertEqual(kwargs["deferrable"], "deferred")
        self.assertEqual(kwargs["include"], ("c",))
        self.assertIn("condition=", repr(u))
        self.assertFalse(u.contains_expressions)
        with self.assertRaisesMessage(ValueError, "at least one field"):
            UniqueConstraint(fields=[], name="x")
        with self.assertRaisesMessage(ValueError, "Q instance"):
            UniqueConstraint(fields=["a"], name="x", condition="a > 1")
        with self.assertRaisesMessage(ValueError, "Deferrable"):
            UniqueConstraint(fields=["a"], name="x", deferrable="later")
        with self.assertRaises(NotImplementedError):
            UniqueConstraint(F("a"), name="x")

    def test_base_constraint_abstract(self):
        b = BaseConstraint(name="b")
        for method in (b.constraint_sql, b.create_sql, b.remove_sql):
            with self.assertRaises(NotImplementedError):
                method(None, None)
        with self.assertRaises(NotImplementedError):
            b.validate(None, None)

    def test_index_api(self):
        i = Index(fields=["a", "-b"], name="i1", condition=Q(a=1))
        self.assertEqual(i.fields_orders, [("a", ""), ("b", "DESC")])
        self.assertEqual(i, i.clone())
        self.assertIn("name='i1'", repr(i))
        self.assertEqual(i.deconstruct()[0], "django.db.models.Index")
        with self.assertRaisesMessage(ValueError, "must be named to use condition"):
            Index(fields=["a"], condition=Q(a=1))
        with self.assertRaisesMessage(ValueError, "list or tuple"):
            Index(fields="a", name="x")
        with self.assertRaisesMessage(ValueError, "duplicates"):
            Index(fields=["a", "a"], name="x")
        with self.assertRaises(NotImplementedError):
            Index(F("a"), name="x")

    def test_check_validate_skips_unevaluable(self):
        c = CheckConstraint(check=Q(pk__gt=0), name="pkc")
        Shelf(room="r", number=1).validate_constraints()
        c.validate(Shelf, Shelf(room="r", number=1))  # pk lookups are not evaluated
