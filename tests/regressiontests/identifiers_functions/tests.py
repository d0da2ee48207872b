"""Identifiers with '%' in them, JSON keys with any character, and time zones
in Trunc/Extract: each behaves the same on SQLite, PostgreSQL and MariaDB."""
import datetime
import io
import os
import zoneinfo

from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import (
    Extract, ExtractDay, ExtractHour, Trunc, TruncDate, TruncDay, TruncHour,
)
from django.test import TestCase, TransactionTestCase
from django.test.utils import override_settings
from django.utils import timezone

from .models import KeyedDocument, TruncMoment, PercentItem, PercentOwner

ITEM_TABLE = "idf_it%s_em%%_%(x)s"
OWNER_TABLE = "idf_owner%"


class PercentNamesTests(TestCase):
    """Table and column names containing '%', '%s', '%%' and '%(x)s'."""

    def setUp(self):
        self.owner = PercentOwner.objects.create(label="100%")
        PercentItem.objects.create(name="a%s", rate=3, note="x", owner=self.owner)
        PercentItem.objects.create(name="b", rate=1, note="%%", owner=self.owner)
        PercentItem.objects.create(name="c", rate=2, note="y")

    def test_create_and_get(self):
        item = PercentItem.objects.get(name="a%s")
        self.assertEqual((item.rate, item.note, item.owner_id), (3, "x", self.owner.pk))
        self.assertEqual(PercentItem.objects.get(pk=item.pk).name, "a%s")

    def test_filter_exclude_and_lookups(self):
        names = lambda qs: sorted(qs.values_list("name", flat=True))  # noqa: E731
        self.assertEqual(names(PercentItem.objects.filter(rate__gte=2)), ["a%s", "c"])
        self.assertEqual(names(PercentItem.objects.exclude(note="x")), ["b", "c"])
        self.assertEqual(names(PercentItem.objects.filter(name__contains="%")), ["a%s"])
        self.assertEqual(names(PercentItem.objects.filter(rate__in=[1, 2])), ["b", "c"])
        self.assertEqual(names(PercentItem.objects.filter(Q(rate=1) | Q(note="y"))), ["b", "c"])
        self.assertEqual(names(PercentItem.objects.filter(owner__label="100%")), ["a%s", "b"])
        self.assertEqual(names(PercentItem.objects.filter(owner__isnull=True)), ["c"])

    def test_update_and_f_expressions(self):
        self.assertEqual(PercentItem.objects.filter(rate__lt=3).update(rate=F("rate") + 10), 2)
        item = PercentItem.objects.get(name="c")
        item.note = "%(x)s"
        item.save()
        self.assertEqual(
            list(PercentItem.objects.order_by("rate").values_list("name", "rate", "note")),
            [("a%s", 3, "x"), ("b", 11, "%%"), ("c", 12, "%(x)s")],
        )

    def test_delete_cascades(self):
        self.owner.delete()
        self.assertEqual(list(PercentItem.objects.values_list("name", flat=True)), ["c"])
        PercentItem.objects.filter(name="c").delete()
        self.assertFalse(PercentItem.objects.exists())

    def test_order_by_and_default_ordering(self):
        self.assertEqual([i.name for i in PercentItem.objects.all()], ["b", "c", "a%s"])
        self.assertEqual([i.name for i in PercentItem.objects.order_by("-note")], ["c", "a%s", "b"])

    def test_select_related_and_reverse_relation(self):
        with self.assertNumQueries(1):
            labels = [(i.name, i.owner.label) for i in
                      PercentItem.objects.select_related("owner").filter(owner__isnull=False)]
        self.assertEqual(labels, [("b", "100%"), ("a%s", "100%")])
        self.assertEqual(self.owner.percentitem_set.count(), 2)

    def test_aggregate_and_annotate(self):
        self.assertEqual(
            PercentItem.objects.aggregate(total=Sum("rate"), top=Max("name")),
            {"total": 6, "top": "c"},
        )
        owner = PercentOwner.objects.annotate(n=Count("percentitem")).get()
        self.assertEqual(owner.n, 2)
        grouped = PercentItem.objects.values("owner").annotate(n=Count("pk")).order_by("owner")
        self.assertEqual(sorted(row["n"] for row in grouped), [1, 2])

    def test_bulk_create_and_in_bulk(self):
        made = PercentItem.objects.bulk_create(
            [PercentItem(name="n%d" % i, rate=10 + i, note="%") for i in range(3)]
        )
        self.assertEqual(len(made), 3)
        self.assertEqual(PercentItem.objects.filter(note="%").count(), 3)
        pks = list(PercentItem.objects.values_list("pk", flat=True))
        self.assertEqual(len(PercentItem.objects.in_bulk(pks)), 6)

    def test_unique_together_is_enforced(self):
        from django.db import IntegrityError, transaction

        with self.assertRaises(IntegrityError), transaction.atomic():
            PercentItem.objects.create(name="a%s", rate=9, note="x")

    def test_get_or_create_and_exists(self):
        item, created = PercentItem.objects.get_or_create(name="z", rate=7)
        self.assertTrue(created)
        self.assertTrue(PercentItem.objects.filter(pk=item.pk).exists())
        self.assertEqual(PercentItem.objects.get_or_create(name="z", rate=7)[1], False)


class PercentNamesSchemaTests(TransactionTestCase):
    """syncdb, sqlall, flush and inspectdb with '%' in table and column names."""

    available_apps = ["regressiontests.identifiers_functions"]

    def test_sqlall_prints_the_names_as_they_are(self):
        out = io.StringIO()
        call_command("sqlall", "identifiers_functions", stdout=out)
        sql = out.getvalue()
        self.assertIn(connection.ops.quote_name(ITEM_TABLE).replace("%%", "%"), sql)
        self.assertIn(ITEM_TABLE, sql)
        self.assertNotIn("%%%%", sql)
        self.assertIn("na%sme", sql)

    def test_tables_can_be_dropped_and_created_again(self):
        with connection.schema_editor() as editor:
            editor.delete_model(PercentItem)
        self.assertNotIn(ITEM_TABLE, connection.introspection.table_names())
        call_command("syncdb", verbosity=0)
        self.assertIn(ITEM_TABLE, connection.introspection.table_names())
        PercentItem.objects.create(name="again", rate=1)
        self.assertEqual(PercentItem.objects.get().name, "again")

    def test_flush_empties_the_tables(self):
        owner = PercentOwner.objects.create(label="o")
        PercentItem.objects.create(name="x", rate=1, owner=owner)
        call_command("flush", interactive=False, verbosity=0)
        self.assertFalse(PercentItem.objects.exists())
        self.assertFalse(PercentOwner.objects.exists())
        # Sequences were reset and new rows still go in.
        PercentOwner.objects.create(label="p")

    def test_introspection_and_inspectdb(self):
        with connection.cursor() as cursor:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, ITEM_TABLE)]
            constraints = connection.introspection.get_constraints(cursor, ITEM_TABLE)
            relations = connection.introspection.get_relations(cursor, ITEM_TABLE)
        self.assertEqual(sorted(columns), sorted(["id", "na%sme", "rate%%", "no%(x)ste", "own%er"]))
        self.assertEqual(relations["own%er"], ("id", OWNER_TABLE))
        self.assertTrue(any(c["unique"] and c["columns"] == ["na%sme", "no%(x)ste"]
                            for c in constraints.values()))
        out = io.StringIO()
        call_command("inspectdb", ITEM_TABLE, stdout=out)
        output = out.getvalue()
        self.assertIn("db_table = %r" % ITEM_TABLE, output)
        self.assertIn("db_column='na%sme'", output)
        self.assertIn("db_column='rate%%'", output)

    def test_quoted_names_survive_the_driver_with_and_without_params(self):
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM %s WHERE %s >= %%s" % (qn(ITEM_TABLE), qn("rate%%")), [0])
            self.assertEqual(cursor.fetchone()[0], 0)
            cursor.execute("SELECT COUNT(*) FROM %s" % qn(ITEM_TABLE), ())
            self.assertEqual(cursor.fetchone()[0], 0)


# Keys a JSON path could misread: quotes, escapes, path syntax, empty and
# number-like names. Each maps to a distinct value in DOC.
ODD_KEYS = {
    'a"b': 1, "it's": 2, "back\\slash": 3, "x.y": 4, "[0]": 5, "$": 6, "*": 7,
    "a b": 8, "é": 9, "": 10, "1": 11, 'a".b': 12, 'a"[b': 13, "tab\tnew\nline": 14,
    "ü\"ñ": 15, "07": 16,
}
DOC = {
    **ODD_KEYS,
    "nested": {'q"r': {"0": "zero", "z": [100, 101]}},
    "list": [20, {'k"k': 21}],
}


class JSONKeyTests(TestCase):
    """Every key finds its value, and only in the document that has it."""

    @classmethod
    def setUpTestData(cls):
        cls.doc = KeyedDocument.objects.create(data=DOC)
        cls.other = KeyedDocument.objects.create(data={"other": 1, "list": [30], "1": None})

    def key(self, *path):
        from django.db.models.json_lookups import KeyTransform

        expression = "data"
        for key in path:
            expression = KeyTransform(key, expression)
        return expression

    def matching(self, **filters):
        return list(KeyedDocument.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))

    def test_exact_on_each_key(self):
        for key, value in ODD_KEYS.items():
            with self.subTest(key=key):
                found = KeyedDocument.objects.annotate(v=self.key(key)).filter(v=value)
                self.assertEqual([d.pk for d in found], [self.doc.pk])

    def test_each_key_is_read_back(self):
        for key, value in ODD_KEYS.items():
            with self.subTest(key=key):
                read = KeyedDocument.objects.annotate(v=self.key(key)).get(pk=self.doc.pk).v
                self.assertEqual(read, value)

    def test_has_key_and_isnull(self):
        for key in ODD_KEYS:
            with self.subTest(key=key):
                # The other document has "1" too (holding JSON null).
                expected = [self.doc.pk, self.other.pk] if key == "1" else [self.doc.pk]
                self.assertEqual(self.matching(data__has_key=key), expected)
                present = KeyedDocument.objects.annotate(v=self.key(key)).filter(v__isnull=False)
                self.assertEqual(sorted(d.pk for d in present), expected)
                missing = KeyedDocument.objects.annotate(v=self.key(key)).filter(v__isnull=True)
                self.assertEqual([d.pk for d in missing], [] if key == "1" else [self.other.pk])

    def test_has_keys_and_has_any_keys(self):
        keys = list(ODD_KEYS)
        self.assertEqual(self.matching(data__has_keys=keys), [self.doc.pk])
        self.assertEqual(self.matching(data__has_keys=keys + ["other"]), [])
        self.assertEqual(self.matching(data__has_any_keys=['a"b', "other"]), [self.doc.pk, self.other.pk])
        self.assertEqual(self.matching(data__has_any_keys=['a".b', "missing"]), [self.doc.pk])

    def test_comparisons_and_text_lookups(self):
        found = KeyedDocument.objects.annotate(v=self.key('a"b')).filter(v__gt=0, v__lt=2)
        self.assertEqual([d.pk for d in found], [self.doc.pk])
        self.assertEqual(self.matching(**{'data__nested__q"r__0__startswith': "ze"}), [self.doc.pk])
        self.assertEqual(self.matching(**{'data__nested__q"r__0__icontains': "ER"}), [self.doc.pk])

    def test_nested_paths_through_odd_keys(self):
        self.assertEqual(self.matching(**{'data__nested__q"r__0': "zero"}), [self.doc.pk])
        self.assertEqual(self.matching(**{'data__nested__q"r__z__1': 101}), [self.doc.pk])
        self.assertEqual(self.matching(**{'data__list__1__k"k': 21}), [self.doc.pk])
        self.assertEqual(self.matching(**{'data__nested__q"r__has_key': "z"}), [self.doc.pk])
        self.assertEqual(self.matching(**{'data__nested__has_key': 'q"r'}), [self.doc.pk])
        value = KeyedDocument.objects.annotate(v=self.key("nested", 'q"r', "z")).get(pk=self.doc.pk).v
        self.assertEqual(value, [100, 101])

    def test_number_like_keys_index_arrays_and_name_members(self):
        # "0" is the first element of a list, and the member named "0" of
        # an object; it never stands for the object itself.
        self.assertEqual(self.matching(data__list__0=20), [self.doc.pk])
        self.assertEqual(self.matching(data__list__0=30), [self.other.pk])
        self.assertEqual(self.matching(data__1=11), [self.doc.pk])
        self.assertEqual(self.matching(data__1=None), [self.other.pk])
        self.assertEqual(self.matching(data__nested__0__isnull=False), [])
        self.assertEqual(self.matching(data__has_key="0"), [])
        self.assertEqual(self.matching(data__list__has_key="1"), [self.doc.pk])
        self.assertEqual(self.matching(data__07=16), [self.doc.pk])

    def test_values_and_ordering_by_odd_keys(self):
        rows = KeyedDocument.objects.annotate(v=self.key('a".b')).order_by("pk").values_list("v", flat=True)
        self.assertEqual(list(rows), [12, None])


UTC = datetime.timezone.utc
PLUS_3 = datetime.timezone(datetime.timedelta(hours=3))
MINUS_5 = datetime.timezone(datetime.timedelta(hours=-5))


class NowhereZone(datetime.tzinfo):
    """A zone-like tzinfo (no fixed offset) whose name no database knows."""

    def utcoffset(self, dt):
        return None if dt is None else datetime.timedelta(hours=1)

    def dst(self, dt):
        return datetime.timedelta(0)

    def tzname(self, dt):
        return "Mars/Olympus_Mons"


@override_settings(USE_TZ=True, TIME_ZONE="UTC")
class TimeZoneTests(TestCase):
    """Trunc and Extract in a given zone answer in that zone on every backend."""

    @classmethod
    def setUpTestData(cls):
        # 22:30 UTC on Jan 1st is already Jan 2nd at UTC+3, still Jan 1st at -5.
        TruncMoment.objects.create(when=datetime.datetime(2024, 1, 1, 22, 30, tzinfo=UTC))

    def annotated(self, **annotations):
        return TruncMoment.objects.annotate(**annotations).get()

    def test_trunc_day_is_returned_in_the_given_zone(self):
        day = self.annotated(day=TruncDay("when", tzinfo=PLUS_3)).day
        self.assertEqual(day, datetime.datetime(2024, 1, 2, tzinfo=PLUS_3))
        self.assertEqual(day.utcoffset(), datetime.timedelta(hours=3))

    def test_trunc_hour_and_generic_trunc_in_the_given_zone(self):
        moment = self.annotated(hour=TruncHour("when", tzinfo=MINUS_5), day=Trunc("when", "day", tzinfo=MINUS_5))
        self.assertEqual(moment.hour, datetime.datetime(2024, 1, 1, 17, tzinfo=MINUS_5))
        self.assertEqual(moment.day, datetime.datetime(2024, 1, 1, tzinfo=MINUS_5))

    def test_trunc_uses_the_current_time_zone_by_default(self):
        with timezone.override(PLUS_3):
            day = self.annotated(day=TruncDay("when")).day
        self.assertEqual(day, datetime.datetime(2024, 1, 2, tzinfo=PLUS_3))
        self.assertEqual(day.utcoffset(), datetime.timedelta(hours=3))

    def test_trunc_in_utc_stays_utc(self):
        day = self.annotated(day=TruncDay("when", tzinfo=UTC)).day
        self.assertEqual((day, day.utcoffset()), (datetime.datetime(2024, 1, 1, tzinfo=UTC), datetime.timedelta(0)))

    def test_filtering_and_grouping_on_a_truncated_value(self):
        TruncMoment.objects.create(when=datetime.datetime(2024, 1, 2, 20, 59, tzinfo=UTC))
        TruncMoment.objects.create(when=datetime.datetime(2024, 1, 2, 21, 0, tzinfo=UTC))
        days = TruncMoment.objects.annotate(day=TruncDay("when", tzinfo=PLUS_3))
        jan_2 = datetime.datetime(2024, 1, 2, tzinfo=PLUS_3)
        self.assertEqual(days.filter(day=jan_2).count(), 2)
        self.assertEqual(days.filter(day=jan_2.astimezone(UTC)).count(), 2)
        self.assertEqual(days.filter(day__gt=jan_2).count(), 1)
        per_day = days.values("day").annotate(n=Count("pk")).order_by("day")
        self.assertEqual(
            [(row["day"], row["n"]) for row in per_day],
            [(jan_2, 2), (datetime.datetime(2024, 1, 3, tzinfo=PLUS_3), 1)],
        )

    def test_extract_in_the_given_zone(self):
        moment = self.annotated(
            hour=ExtractHour("when", tzinfo=PLUS_3), day=ExtractDay("when", tzinfo=MINUS_5),
            day_plus=Extract("when", "day", tzinfo=PLUS_3),
        )
        self.assertEqual((moment.hour, moment.day, moment.day_plus), (1, 1, 2))
        self.assertEqual(TruncMoment.objects.filter(when__day=1).count(), 1)

    def test_trunc_date_in_the_given_zone(self):
        self.assertEqual(self.annotated(d=TruncDate("when", tzinfo=PLUS_3)).d, datetime.date(2024, 1, 2))

    def test_a_fixed_offset_is_used_whatever_its_label(self):
        labelled = datetime.timezone(datetime.timedelta(hours=3), "Not/A_Zone")
        day = self.annotated(day=TruncDay("when", tzinfo=labelled)).day
        self.assertEqual(day, datetime.datetime(2024, 1, 2, tzinfo=PLUS_3))
        fixed = timezone.get_fixed_timezone(180)  # named "+0300"
        self.assertEqual(self.annotated(hour=ExtractHour("when", tzinfo=fixed)).hour, 1)

    def test_a_named_zone(self):
        if not connection.features.has_zoneinfo_database:
            # MariaDB without its time zone tables: CI loads them (.ci/run), so
            # there a missing table is a failure, not a skip.
            if os.environ.get("CI") == "true":
                self.fail("the server has no time zone tables (mariadb-tzinfo-to-sql loads them)")
            self.skipTest("the server has no time zone tables")
        tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
        day = self.annotated(day=TruncDay("when", tzinfo=tokyo)).day
        self.assertEqual(day, datetime.datetime(2024, 1, 2, tzinfo=tokyo))
        self.assertEqual(day.utcoffset(), datetime.timedelta(hours=9))

    def test_an_unknown_zone_is_refused_before_sql(self):
        for expression in (TruncDay("when", tzinfo=NowhereZone()), ExtractHour("when", tzinfo=NowhereZone())):
            with self.subTest(expression=expression), self.assertNumQueries(0):
                with self.assertRaisesMessage(ValueError, "Mars/Olympus_Mons"):
                    self.annotated(value=expression)

    def test_an_unknown_current_zone_is_refused_before_sql(self):
        with timezone.override(NowhereZone()), self.assertNumQueries(0):
            with self.assertRaisesMessage(ValueError, "Mars/Olympus_Mons"):
                self.annotated(day=TruncDay("when"))

    def test_zone_names_are_accepted_and_checked(self):
        with self.assertRaisesMessage(ValueError, "Mars/Nowhere"):
            TruncDay("when", tzinfo="Mars/Nowhere")
        with self.assertRaisesMessage(ValueError, "Mars/Nowhere"):
            ExtractHour("when", tzinfo="Mars/Nowhere")
        self.assertEqual(self.annotated(hour=ExtractHour("when", tzinfo="UTC")).hour, 22)
