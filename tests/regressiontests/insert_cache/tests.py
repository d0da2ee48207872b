"""INSERTs reuse what was worked out for an earlier INSERT of the same
shape (statement text, how each value is read and prepared); these tests pin
down that reuse never changes what gets stored."""
import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Value, signals
from django.db.models.functions import Lower
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from .models import Counted, CountingQuerySet, Memo, Note, Odd, Prepared, Stamped, Tag, Token, Wide


def _stored(model):
    return sorted(model.objects.values_list("title", "pages"))


class SameShapeTests(TestCase):
    def test_models_with_the_same_columns_keep_their_tables(self):
        Note.objects.create(title="n1", pages=1)
        Memo.objects.create(title="m1", pages=2)
        Note.objects.create(title="n2", pages=3)
        Memo.objects.bulk_create([Memo(title="m2", pages=4), Memo(title="m3", pages=5)])
        Note.objects.bulk_create([Note(title="n3", pages=6), Note(title="n4", pages=7)])
        self.assertEqual(_stored(Note), [("n1", 1), ("n2", 3), ("n3", 6), ("n4", 7)])
        self.assertEqual(_stored(Memo), [("m1", 2), ("m2", 4), ("m3", 5)])

    def test_statement_text_is_the_same_each_time(self):
        with CaptureQueriesContext(connection) as first:
            Note.objects.create(title="a", pages=1)
        with CaptureQueriesContext(connection) as second:
            Note.objects.create(title="b", pages=1)
        with CaptureQueriesContext(connection) as other:
            Memo.objects.create(title="c", pages=3)
        self.assertEqual(first[0]["sql"].replace("'a'", "?"), second[0]["sql"].replace("'b'", "?"))
        self.assertIn(Memo._meta.db_table, other[0]["sql"])
        self.assertNotIn(Note._meta.db_table, other[0]["sql"])

    def test_create_with_and_without_explicit_pk(self):
        first = Note.objects.create(title="auto", pages=1)
        chosen = Note.objects.create(id=first.pk + 50, title="chosen", pages=2)
        after = Note.objects.create(title="auto again", pages=3)
        self.assertEqual(chosen.pk, first.pk + 50)
        self.assertNotIn(after.pk, (first.pk, chosen.pk))
        self.assertEqual(Note.objects.get(pk=chosen.pk).title, "chosen")
        self.assertEqual(Note.objects.get(pk=after.pk).title, "auto again")

    def test_pk_from_a_default(self):
        first = Token.objects.create(label="one")
        second = Token.objects.create(label="two")
        self.assertNotEqual(first.pk, second.pk)
        self.assertEqual(Token.objects.get(pk=second.pk).label, "two")
        made = Token.objects.bulk_create([Token(label="x"), Token(label="y")])
        self.assertEqual(sorted(t.label for t in Token.objects.filter(pk__in=[t.pk for t in made])),
                         ["x", "y"])

    def test_batches_of_different_sizes(self):
        for size in (1, 3, 2, 3, 1):
            made = Note.objects.bulk_create([Note(title="s%d" % size, pages=i) for i in range(size)])
            self.assertEqual(len(made), size)
            if connection.features.can_return_rows_from_bulk_insert:
                self.assertEqual(
                    [Note.objects.get(pk=n.pk).pages for n in made], list(range(size))
                )
        self.assertEqual(Note.objects.count(), 10)
        made = Note.objects.bulk_create([Note(title="b", pages=i) for i in range(7)], batch_size=3)
        self.assertEqual(Note.objects.filter(title="b").count(), 7)
        if connection.features.can_return_rows_from_bulk_insert:
            self.assertEqual(len({n.pk for n in made}), 7)

    def test_ignore_conflicts_is_part_of_the_shape(self):
        Tag.objects.bulk_create([Tag(name="a"), Tag(name="b")])
        Tag.objects.bulk_create([Tag(name="a"), Tag(name="c")], ignore_conflicts=True)
        self.assertEqual(sorted(Tag.objects.values_list("name", flat=True)), ["a", "b", "c"])
        with self.assertRaises(IntegrityError), transaction.atomic():
            Tag.objects.bulk_create([Tag(name="a"), Tag(name="d")])
        self.assertFalse(Tag.objects.filter(name="d").exists())

    def test_custom_base_manager_queryset_still_inserts(self):
        before = CountingQuerySet.inserts
        Counted.objects.create(title="a")
        Counted(title="b").save()
        self.assertEqual(CountingQuerySet.inserts, before + 2)
        self.assertEqual(sorted(Counted.objects.values_list("title", flat=True)), ["a", "b"])

    def test_failed_insert_dooms_the_atomic_block(self):
        Tag.objects.create(name="dup")
        with transaction.atomic():
            Tag.objects.create(name="undone")
            with self.assertRaises(IntegrityError):
                Tag.objects.create(name="dup")
            self.assertTrue(connection.needs_rollback)
            with self.assertRaises(transaction.TransactionManagementError):
                Tag.objects.count()
        self.assertEqual(list(Tag.objects.values_list("name", flat=True)), ["dup"])


class ValuesTests(TestCase):
    def test_expression_then_plain_values(self):
        Note.objects.create(title=Lower(Value("LOUD")), pages=1)
        Note.objects.create(title="plain", pages=2)
        Note.objects.create(title=Value("value"), pages=3)
        self.assertEqual(_stored(Note), [("loud", 1), ("plain", 2), ("value", 3)])

    def test_plain_then_expression_then_plain(self):
        # The first create() prepares the statement; an expression value
        # must still be rendered as SQL, and the next plain one bound.
        Note.objects.create(title="first", pages=1)
        Note.objects.create(title=Lower(Value("SECOND")), pages=2)
        Note(title="third", pages=3).save()
        self.assertEqual(_stored(Note), [("first", 1), ("second", 2), ("third", 3)])

    def test_overridden_preparation_runs_for_every_value(self):
        for _ in range(3):
            Prepared.objects.create(trimmed="  padded  ", tenfold=4)
        self.assertEqual(
            list(Prepared.objects.values_list("trimmed", "tenfold").distinct()), [("padded", 40)]
        )

    def test_defaults_and_foreign_keys(self):
        tag = Tag.objects.create(name="t")
        by_object = Prepared.objects.create(tag=tag)
        by_id = Prepared.objects.create(tag_id=tag.pk, label="by id")
        without = Prepared.objects.create(tag=None)
        # A callable default is called for each instance, a constant one
        # is the same value every time.
        self.assertEqual(len({by_object.serial, by_id.serial, without.serial}), 3)
        self.assertEqual((by_object.label, without.label), ("none", "none"))
        self.assertIs(by_object.tag, tag)  # assigned objects stay cached
        stored = dict(Prepared.objects.values_list("pk", "tag"))
        self.assertEqual(stored, {by_object.pk: tag.pk, by_id.pk: tag.pk, without.pk: None})
        self.assertEqual(Prepared.objects.get(pk=by_id.pk).tag, tag)
        # A descriptor the field put on the class still sees every value.
        self.assertEqual((by_id.code, Prepared(code="abc").code), ("DFLT", "ABC"))
        with self.assertRaises(ValueError):
            Prepared(tag="not a tag")
        with self.assertRaisesMessage(TypeError, "unexpected keyword arguments: 'colour'"):
            Prepared(label="x", colour="red")

    def test_rejected_key_values_are_still_rejected(self):
        if connection.vendor != "mysql":
            self.skipTest("only MySQL rejects a key of 0 (validate_autopk_value)")
        Note.objects.create(title="warm-up", pages=1)
        with self.assertRaisesMessage(ValueError, "0"):
            Note.objects.create(id=0, title="zero", pages=0)

    def test_values_are_still_prepared(self):
        Note.objects.create(title=12, pages="34")
        self.assertEqual(_stored(Note), [("12", 34)])
        with self.assertRaises(ValueError):
            Note.objects.create(title="bad", pages="many")

    def test_field_placeholder_and_own_preparation(self):
        Odd.objects.create(shout="quiet", backwards="abc")
        Odd.objects.bulk_create([Odd(shout="x", backwards="xyz"), Odd(shout="y", backwards="12")])
        self.assertEqual(
            sorted(Odd.objects.values_list("shout", "backwards")),
            [("QUIET", "cba"), ("X", "zyx"), ("Y", "21")],
        )

    def test_auto_now_add_runs_unless_raw(self):
        fixed = datetime.datetime(2001, 2, 3, 4, 5, 6)
        made = Stamped.objects.create(title="now", created=fixed)
        self.assertNotEqual(made.created, fixed)
        raw = Stamped(title="raw", created=fixed)
        raw.save_base(raw=True)
        self.assertEqual(Stamped.objects.get(title="raw").created, fixed)
        bulk = Stamped.objects.bulk_create([Stamped(title="bulk", created=fixed)])
        self.assertNotEqual(bulk[0].created, fixed)
        self.assertNotEqual(Stamped.objects.get(title="bulk").created, fixed)


class SignalTests(TestCase):
    def test_pre_save_receiver_connected_then_disconnected(self):
        seen = []

        def rename(sender, instance, **kwargs):
            seen.append(instance.title)
            instance.title = "renamed"

        Note.objects.create(title="before", pages=1)
        signals.pre_save.connect(rename, sender=Note)
        try:
            Note.objects.create(title="during", pages=2)
            Memo.objects.create(title="other sender", pages=3)
        finally:
            signals.pre_save.disconnect(rename, sender=Note)
        Note.objects.create(title="after", pages=4)
        self.assertEqual(seen, ["during"])
        self.assertEqual(_stored(Note), [("after", 4), ("before", 1), ("renamed", 2)])

    def test_post_save_and_init_receivers(self):
        events = []

        def on_post_save(sender, instance, created, **kwargs):
            events.append(("saved", instance.title, created, instance.pk is not None))

        def on_init(sender, **kwargs):
            events.append(("init", sender.__name__))

        signals.post_save.connect(on_post_save, sender=Note)
        signals.post_init.connect(on_init, sender=Note)
        try:
            Note.objects.create(title="x", pages=1)
        finally:
            signals.post_save.disconnect(on_post_save, sender=Note)
            signals.post_init.disconnect(on_init, sender=Note)
        Note.objects.create(title="y", pages=2)
        self.assertEqual(events, [("init", "Note"), ("saved", "x", True, True)])


class BulkInsertFormTests(TestCase):
    """A backend may send a many-row INSERT in its own form (PostgreSQL: one
    array per column); the rows stored and the errors must not change."""

    def test_more_rows_than_one_statement_can_bind(self):
        # With no batch_size, 40,000 rows of 2 columns are 80,000 values:
        # more than PostgreSQL binds in one statement (65,535).
        notes = [Note(title="n%d" % i, pages=i) for i in range(40000)]
        Note.objects.bulk_create(notes)
        self.assertEqual(Note.objects.count(), 40000)
        self.assertEqual(Note.objects.filter(pages__gte=39990).count(), 10)
        # The same with a placeholder per value (a field with its own SQL).
        Odd.objects.bulk_create([Odd(shout="s", backwards="ab") for _ in range(40000)])
        self.assertEqual(Odd.objects.filter(shout="S", backwards="ba").count(), 40000)

    def test_datetimes_and_uuids_read_back(self):
        stamped = Stamped.objects.bulk_create([Stamped(title="t%d" % i) for i in range(3)])
        stored = dict(Stamped.objects.values_list("title", "created"))
        self.assertEqual(stored, {s.title: s.created for s in stamped})
        tokens = Token.objects.bulk_create([Token(label="a"), Token(label="b")])
        self.assertEqual({t.pk for t in tokens}, set(Token.objects.values_list("pk", flat=True)))

    def test_too_long_text_is_refused_not_cut(self):
        from django.db import DataError

        with self.assertRaises(DataError), transaction.atomic():
            Note.objects.bulk_create([Note(title="x" * 101), Note(title="short")])
        self.assertEqual(Note.objects.count(), 0)

    def test_columns_of_one_type_with_and_without_nulls(self):
        rows = [
            dict(big=2**62, small=-(2**31), ratio=1e308, ok=True, note="ü\ttab"),
            dict(big=-(2**63), small=2**31 - 1, ratio=-0.5, ok=False, note=""),
            dict(big=0, small=0, ratio=0.25, ok=True, note="x" * 5000),
        ]
        Wide.objects.bulk_create([Wide(**row) for row in rows])
        # The same again with a NULL in every column.
        Wide.objects.bulk_create([Wide(**row) for row in rows[:2]] + [Wide()])
        stored = list(Wide.objects.order_by("pk").values("big", "small", "ratio", "ok", "note"))
        nulls = dict(big=None, small=None, ratio=None, ok=None, note=None)
        self.assertEqual(stored, rows + rows[:2] + [nulls])

    def test_out_of_range_integers_are_refused(self):
        from django.db import DataError, DatabaseError

        for bad in (2**31, 2**63):
            with self.subTest(bad=bad), self.assertRaises((DataError, DatabaseError)):
                with transaction.atomic():
                    Wide.objects.bulk_create([Wide(small=1), Wide(small=bad)])
        self.assertEqual(Wide.objects.count(), 0)

    def test_percent_and_quotes_survive(self):
        titles = ["50% off", "it's", 'say "hi"', "back\\slash", "%s", "emoji \U0001F600"]
        Note.objects.bulk_create([Note(title=t) for t in titles])
        self.assertEqual(sorted(Note.objects.values_list("title", flat=True)), sorted(titles))
