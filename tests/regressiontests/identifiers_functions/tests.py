"""Identifiers with '%' in them, JSON keys with any character, and time zones
in Trunc/Extract: each behaves the same on SQLite, PostgreSQL and MariaDB."""
import datetime
import io
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
