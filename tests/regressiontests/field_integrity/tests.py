"""Saving stores a value as it is or refuses it, alike on every database.

Every refusal is a FieldValueError (a DataError and a ValueError) naming
the model, the field and the value, raised before any SQL is sent.
"""
import datetime
import decimal
import math
import pickle

from doc_examples import run_doc_examples

from django.core.exceptions import ValidationError
from django.db import DataError, connection, models, transaction
from django.db.models import Avg, FieldValueError, Max, Min, Sum
from django.db.models.fields.storage_checks import short_repr
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext

from .models import Amount, Child, Counter, Label, Moment, Reading

INFINITY, NAN = float("inf"), float("nan")
PLUS_FIVE = datetime.timezone(datetime.timedelta(hours=5))
INTEGER_RANGES = {
    "small": (-(2**15), 2**15 - 1),
    "num": (-(2**31), 2**31 - 1),
    "big": (-(2**63), 2**63 - 1),
    "pos_small": (0, 2**15 - 1),
    "pos": (0, 2**31 - 1),
    "pos_big": (0, 2**63 - 1),
}


class RefusalAssertions:
    def assertRefused(self, label, shown=None):
        """A context manager: the block raises FieldValueError naming
        ``label`` (and ``shown``), with no INSERT or UPDATE sent. The block
        runs in a savepoint, as any code catching an error inside atomic()
        must (the test's transaction goes on after it)."""
        test = self

        class Refusal:
            def __enter__(self):
                self.queries = CaptureQueriesContext(connection)
                self.queries.__enter__()
                self.raises = test.assertRaises(FieldValueError)
                self.raises.__enter__()
                self.savepoint = transaction.atomic()
                self.savepoint.__enter__()
                return self.raises

            def __exit__(self, *exc_info):
                try:
                    self.savepoint.__exit__(*exc_info)
                    handled = self.raises.__exit__(*exc_info)
                finally:
                    self.queries.__exit__(None, None, None)
                message = str(self.raises.exception)
                test.assertTrue(message.startswith(label + ": "), message)
                if shown is not None:
                    test.assertIn(shown, message)
                writes = [
                    q["sql"] for q in self.queries.captured_queries
                    if q["sql"].split(None, 1)[0].upper() in ("INSERT", "UPDATE")
                ]
                test.assertEqual(writes, [], "refused after SQL was sent")
                return handled

        return Refusal()


class DecimalTests(RefusalAssertions, TestCase):
    def test_aggregates_of_decimals_are_decimals(self):
        Amount.objects.create(value=decimal.Decimal("1.10"))
        Amount.objects.create(value=decimal.Decimal("2.25"))
        result = Amount.objects.aggregate(
            avg=Avg("value"), total=Sum("value"), low=Min("value"), high=Max("value")
        )
        for name, expected in (("avg", "1.675"), ("total", "3.35"), ("low", "1.10"), ("high", "2.25")):
            with self.subTest(name):
                self.assertIsInstance(result[name], decimal.Decimal)
                self.assertEqual(result[name], decimal.Decimal(expected))

    def test_non_finite_decimals_are_refused(self):
        for value in (
            decimal.Decimal("Infinity"), decimal.Decimal("-Infinity"), decimal.Decimal("NaN"),
            INFINITY, NAN,
        ):
            with self.subTest(value=value), self.assertRefused("Amount.value", "not a finite number"):
                Amount.objects.create(value=value)
        self.assertEqual(Amount.objects.count(), 0)

    def test_non_finite_decimal_refused_by_update_and_bulk_operations(self):
        row = Amount.objects.create(value=decimal.Decimal("1"))
        with self.assertRefused("Amount.value", "Decimal('Infinity')"):
            Amount.objects.update(value=decimal.Decimal("Infinity"))
        with self.assertRefused("Amount.value"):
            Amount.objects.bulk_create([Amount(value=1), Amount(value=decimal.Decimal("NaN"))])
        row.value = decimal.Decimal("-Infinity")
        with self.assertRefused("Amount.value"):
            Amount.objects.bulk_update([row], ["value"])
        self.assertEqual(list(Amount.objects.values_list("value", flat=True)), [decimal.Decimal("1")])

    def test_too_many_digits_are_refused(self):
        with self.assertRefused("Amount.value", "does not fit max_digits=10, decimal_places=2"):
            Amount.objects.create(value=decimal.Decimal("123456789.5"))

    def test_non_finite_text_stored_earlier_reads_back_and_deletes(self):
        # SQLite kept non-finite decimals as text before they were refused;
        # such rows must stay readable and deletable.
        if connection.vendor != "sqlite":
            self.skipTest("only SQLite stores text in a decimal column")
        with connection.cursor() as cursor:
            table = Amount._meta.db_table
            cursor.execute("INSERT INTO %s (value) VALUES ('Infinity'), ('NaN')" % table)
        values = list(Amount.objects.order_by("pk").values_list("value", flat=True))
        self.assertEqual(values[0], decimal.Decimal("Infinity"))
        self.assertTrue(values[1].is_nan())
        Amount.objects.all().delete()
        self.assertEqual(Amount.objects.count(), 0)


class FloatTests(RefusalAssertions, TestCase):
    def assertStoredAsIsOrRefused(self, value, stored_flag):
        """``value`` round-trips unchanged where the backend stores it,
        and is refused before any SQL elsewhere: never stored as another."""
        if getattr(connection.ops, stored_flag):
            row = Reading.objects.create(value=value)
            back = Reading.objects.get(pk=row.pk).value
            self.assertTrue(back == value or (math.isnan(back) and math.isnan(value)), back)
        else:
            with self.assertRefused("Reading.value", "can store"):
                Reading.objects.create(value=value)
            self.assertEqual(Reading.objects.count(), 0)

    def test_nan_is_stored_as_nan_or_refused(self):
        self.assertStoredAsIsOrRefused(NAN, "stores_float_nan")

    def test_infinities_are_stored_as_they_are_or_refused(self):
        self.assertStoredAsIsOrRefused(INFINITY, "stores_float_infinity")
        Reading.objects.all().delete()
        self.assertStoredAsIsOrRefused(-INFINITY, "stores_float_infinity")

    def test_bulk_create_column_with_nan(self):
        readings = [Reading(value=1.5), Reading(value=NAN), Reading(value=2.5)]
        if connection.ops.stores_float_nan:
            Reading.objects.bulk_create(readings)
            self.assertEqual(Reading.objects.count(), 3)
        else:
            with self.assertRefused("Reading.value", "nan"):
                Reading.objects.bulk_create(readings)
            self.assertEqual(Reading.objects.count(), 0)

    def test_finite_floats_of_every_size_are_stored(self):
        values = [0.0, -0.5, 1e308, -1e308, 5e-324]
        Reading.objects.bulk_create([Reading(value=v) for v in values])
        Reading.objects.create(value=1e308)
        stored = sorted(Reading.objects.values_list("value", flat=True))
        self.assertEqual(stored, sorted(values + [1e308]))

    def test_whole_numbers_convert(self):
        row = Reading.objects.create(value=decimal.Decimal("2.5"))
        self.assertEqual(Reading.objects.get(pk=row.pk).value, 2.5)


class LengthTests(RefusalAssertions, TestCase):
    def test_text_longer_than_max_length_is_refused(self):
        with self.assertRefused("Label.name", "(101 characters) is longer than max_length=100"):
            Label.objects.create(name="x" * 101)
        self.assertEqual(Label.objects.count(), 0)

    def test_message_of_a_huge_value_stays_short(self):
        with self.assertRefused("Label.name") as refusal:
            Label.objects.create(name="y" * 10_000_000)
        message = str(refusal.exception)
        self.assertLess(len(message), 200)
        self.assertIn("(10000000 characters)", message)

    def test_max_length_counts_characters(self):
        Label.objects.create(name="é" * 100)
        Label.objects.create(name="\U0001F600" * 100)
        self.assertEqual(Label.objects.count(), 2)

    def test_text_field_with_and_without_max_length(self):
        Label.objects.create(name="a", notes="z" * 100_000, short_notes="12345")
        with self.assertRefused("Label.short_notes"):
            Label.objects.create(name="b", short_notes="123456")

    def test_bulk_create_refuses_one_long_value_among_many(self):
        labels = [Label(name="n%d" % i) for i in range(50)] + [Label(name="x" * 101)]
        with self.assertRefused("Label.name", "'xxx"):
            Label.objects.bulk_create(labels)
        self.assertEqual(Label.objects.count(), 0)

    def test_save_update_and_bulk_update_refuse(self):
        label = Label.objects.create(name="ok")
        label.name = "x" * 101
        with self.assertRefused("Label.name"):
            label.save()
        with self.assertRefused("Label.name"):
            Label.objects.filter(pk=label.pk).update(name="x" * 101)
        with self.assertRefused("Label.name"):
            Label.objects.bulk_update([label], ["name"])
        self.assertEqual(Label.objects.get().name, "ok")

    def test_non_text_values_converted_to_text_are_checked_too(self):
        with self.assertRefused("Label.short_notes", "123456"):
            Label.objects.create(name="n", short_notes=123456)

    def test_a_refusal_leaves_the_database_transaction_intact(self):
        # Nothing was sent: the block is doomed only by the ORM's rule for
        # errors inside atomic(), which the caller may lift. (PostgreSQL
        # aborted the whole transaction when it refused the value itself.)
        Label.objects.create(name="before")
        with transaction.atomic():
            with self.assertRaises(FieldValueError):
                Label.objects.create(name="x" * 101)
            transaction.set_rollback(False)
            Label.objects.create(name="after")
        self.assertEqual(sorted(Label.objects.values_list("name", flat=True)), ["after", "before"])


class IntegerRangeTests(RefusalAssertions, TestCase):
    def test_each_type_stores_its_whole_range_and_nothing_beyond(self):
        for name, (low, high) in INTEGER_RANGES.items():
            field = Counter._meta.get_field(name)
            with self.subTest(name):
                Counter.objects.create(**{name: low})
                Counter.objects.create(**{name: high})
                for outside in (low - 1, high + 1):
                    with self.assertRefused("Counter.%s" % name, "is out of range for %s" % field.get_internal_type()):
                        Counter.objects.create(**{name: outside})
        stored = Counter.objects.values_list(*INTEGER_RANGES)
        self.assertEqual(len(stored), 2 * len(INTEGER_RANGES))

    def test_sqlite_size_values_are_refused_not_overflowing(self):
        with self.assertRefused("Counter.big", "9223372036854775808"):
            Counter.objects.create(big=2**63)
        with self.assertRefused("Counter.num"):
            Counter.objects.create(num=2**70)

    def test_bulk_create_refuses_one_value_out_of_range(self):
        counters = [Counter(num=i) for i in range(20)] + [Counter(num=2**31)]
        with self.assertRefused("Counter.num", "2147483648"):
            Counter.objects.bulk_create(counters)
        with self.assertRefused("Counter.pos", "-1"):
            Counter.objects.bulk_create([Counter(pos=None), Counter(pos=-1)])
        self.assertEqual(Counter.objects.count(), 0)

    def test_update_and_bulk_update_refuse(self):
        counter = Counter.objects.create(big=1)
        with self.assertRefused("Counter.big"):
            Counter.objects.update(big=2**63)
        counter.small = 2**15
        with self.assertRefused("Counter.small"):
            Counter.objects.bulk_update([counter], ["small"])
        self.assertEqual(Counter.objects.get().big, 1)

    def test_foreign_key_values_are_checked_as_its_targets_naming_it(self):
        with self.assertRefused("Child.parent", "2147483648"):
            Child.objects.create(parent_id=2**31)
        with self.assertRefused("Child.parent"):
            Child.objects.bulk_create([Child(parent_id=2**31), Child(parent_id=2**31 + 1)])
        with self.assertRefused("Child.parent"):
            Child.objects.update(parent_id=-(2**31) - 1)

    def test_auto_field_values_are_checked(self):
        with self.assertRefused("Counter.id"):
            Counter.objects.create(id=2**31)

    def test_full_clean_reports_the_portable_range(self):
        with self.assertRaises(ValidationError) as caught:
            Counter(pos=2**31, pos_big=-1).full_clean()
        errors = caught.exception.message_dict
        self.assertEqual(errors["pos"], ["Ensure this value is less than or equal to 2147483647."])
        self.assertEqual(errors["pos_big"], ["Ensure this value is greater than or equal to 0."])


class CoercionTests(RefusalAssertions, TestCase):
    def test_containers_and_bytes_are_not_text(self):
        for value in ({"a": 1}, ["a"], ("a",), {"a"}, b"ab", bytearray(b"ab")):
            kind = type(value).__name__
            with self.subTest(kind), self.assertRefused("Label.name", "is a %s value, not text" % kind):
                Label.objects.create(name=value)
        self.assertEqual(Label.objects.count(), 0)

    def test_values_whose_text_is_meant_still_convert(self):
        Label.objects.create(name=5)
        Label.objects.create(name=decimal.Decimal("1.5"))
        Label.objects.create(name=datetime.date(2020, 1, 2))
        self.assertEqual(
            sorted(Label.objects.values_list("name", flat=True)), ["1.5", "2020-01-02", "5"]
        )

    def test_fractions_are_not_integers(self):
        for value in (1.9, decimal.Decimal("2.5"), -0.5, INFINITY, NAN):
            with self.subTest(value=value), self.assertRefused("Counter.num", "not a whole number"):
                Counter.objects.create(num=value)
        with self.assertRefused("Counter.num"):
            Counter.objects.update(num=1.5)

    def test_exact_values_still_convert(self):
        Counter.objects.create(num=1.0, big=decimal.Decimal("3"), small=True)
        self.assertEqual(Counter.objects.values_list("num", "big", "small").get(), (1, 3, 1))


@override_settings(USE_TZ=False)
class AwareDatetimeTests(RefusalAssertions, TestCase):
    def test_aware_datetime_is_refused_without_time_zone_support(self):
        aware = datetime.datetime(2020, 1, 1, 12, tzinfo=PLUS_FIVE)
        with self.assertRefused("Moment.when", "is timezone-aware, which needs USE_TZ = True"):
            Moment.objects.create(when=aware)
        with self.assertRefused("Moment.when"):
            Moment.objects.filter(when=aware).exists()
        self.assertEqual(Moment.objects.count(), 0)

    def test_naive_datetime_is_stored(self):
        Moment.objects.create(when=datetime.datetime(2020, 1, 1, 12))
        self.assertEqual(Moment.objects.get().when, datetime.datetime(2020, 1, 1, 12))

    def test_operations_refuse_aware_values_given_without_a_field(self):
        aware = datetime.datetime(2020, 1, 1, 12, tzinfo=PLUS_FIVE)
        with self.assertRaisesMessage(ValueError, "does not support timezone-aware datetimes"):
            connection.ops.adapt_datetimefield_value(aware)

    @override_settings(USE_TZ=True)
    def test_aware_datetime_is_stored_with_time_zone_support(self):
        aware = datetime.datetime(2020, 1, 1, 12, tzinfo=PLUS_FIVE)
        Moment.objects.create(when=aware)
        self.assertEqual(Moment.objects.get().when, aware)


class OutOfRangeLookupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first = Counter.objects.create(num=1, big=1)
        cls.second = Counter.objects.create(num=2, big=None)
        Child.objects.create(parent=cls.first)

    def pks(self, **lookups):
        return sorted(Counter.objects.filter(**lookups).values_list("pk", flat=True))

    def test_exact_beyond_any_column_matches_nothing(self):
        for huge in (2**70, -(2**70), 2**63):
            with self.subTest(huge=huge):
                self.assertEqual(self.pks(pk=huge), [])
                self.assertEqual(self.pks(big=huge), [])
        self.assertEqual(
            sorted(Counter.objects.exclude(pk=2**70).values_list("pk", flat=True)),
            [self.first.pk, self.second.pk],
        )

    def test_ordering_lookups_beyond_the_column(self):
        self.assertEqual(self.pks(big__gt=2**70), [])
        self.assertEqual(self.pks(big__gte=2**70), [])
        self.assertEqual(self.pks(big__lt=2**70), [self.first.pk])  # NULL never compares
        self.assertEqual(self.pks(big__lte=2**70), [self.first.pk])
        self.assertEqual(self.pks(big__gt=-(2**70)), [self.first.pk])
        self.assertEqual(self.pks(big__lt=-(2**70)), [])

    def test_in_and_range_keep_to_the_column(self):
        self.assertEqual(self.pks(pk__in=[self.first.pk, 2**70]), [self.first.pk])
        self.assertEqual(self.pks(pk__in=[2**70, -(2**70)]), [])
        self.assertEqual(self.pks(pk__range=(-(2**70), 2**70)), [self.first.pk, self.second.pk])
        self.assertEqual(self.pks(pk__range=(2**70, 2**71)), [])

    def test_foreign_keys_compare_as_their_target(self):
        self.assertEqual(list(Child.objects.filter(parent_id=2**70)), [])
        self.assertEqual(list(Child.objects.filter(parent=2**70)), [])
        self.assertEqual(list(Child.objects.filter(parent__in=[2**70])), [])
        self.assertEqual(Child.objects.filter(parent__lt=2**70).count(), 1)

    def test_a_value_the_column_holds_is_still_sent(self):
        self.assertEqual(self.pks(num=1), [self.first.pk])
        self.assertEqual(self.pks(num__in=[1, 2]), [self.first.pk, self.second.pk])


class LookupMessageTests(TestCase):
    def test_transform_lookup_names_field_and_lookup(self):
        msg = "Lookup 'year__exact' on Moment.day expected a number but got 'abc'."
        with self.assertRaisesMessage(ValueError, msg):
            list(Moment.objects.filter(day__year="abc"))
        msg = "Lookup 'year__gte' on Moment.when expected a number but got 'x'."
        with self.assertRaisesMessage(ValueError, msg):
            list(Moment.objects.filter(when__year__gte="x"))

    def test_field_lookup_keeps_the_field_message(self):
        with self.assertRaisesMessage(ValueError, "Field 'num' expected a number but got 'abc'."):
            list(Counter.objects.filter(num="abc"))


class FieldValueErrorTests(SimpleTestCase):
    def error(self):
        field = Label._meta.get_field("name")
        return FieldValueError(field, "x" * 500, "is longer than max_length=100", "max_length")

    def test_it_is_a_data_error_and_a_value_error(self):
        error = self.error()
        self.assertIsInstance(error, DataError)
        self.assertIsInstance(error, ValueError)
        self.assertIs(models.FieldValueError, FieldValueError)

    def test_attributes(self):
        error = self.error()
        self.assertEqual((error.model, error.field.name, error.code), (Label, "name", "max_length"))
        self.assertEqual(error.value, "x" * 500)

    def test_pickles(self):
        again = pickle.loads(pickle.dumps(self.error()))
        self.assertEqual(str(again), str(self.error()))

    def test_unbound_field_is_named_by_its_name(self):
        error = FieldValueError(models.IntegerField(name="n"), 2**40, "is out of range", "range")
        self.assertEqual(str(error), "'n': 1099511627776 is out of range.")

    def test_short_repr(self):
        self.assertEqual(short_repr("abc"), "'abc'")
        self.assertEqual(short_repr(b"z" * 100), "%r... (100 bytes)" % (b"z" * 30))
        self.assertEqual(short_repr(list(range(100)))[-3:], "...")


class DocExamplesTests(TransactionTestCase):
    """The ``>>>`` examples of docs/ref/models/fields.txt run on this database
    (outside atomic(): the refusals in them would doom a test's block)."""

    def test_reference_page(self):
        globs = {"Amount": Amount, "Counter": Counter, "Label": Label, "Moment": Moment}
        run_doc_examples(self, "ref/models/fields.txt", globs, more_than=8)
