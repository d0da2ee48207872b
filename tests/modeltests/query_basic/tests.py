"""QuerySet API: retrieval, slicing, writing, values, ordering, bad input."""
import datetime
import pickle

from django.core.exceptions import FieldError
from django.db import connection, models
from django.db.models import Count, F, Max, Q, Value
from django.db.models.query import EmptyQuerySet
from django.test import TestCase, skipUnlessDBFeature

from .models import Article, Tag

D1 = datetime.datetime(2005, 7, 28, 10, 0)
D2 = datetime.datetime(2006, 1, 15, 12, 30)
D3 = datetime.datetime(2007, 3, 1, 8, 0)


class QuerySetTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a1 = Article.objects.create(headline="Alpha", pub_date=D1, views=10, rating=1.5)
        cls.a2 = Article.objects.create(headline="Beta", pub_date=D2, views=20, rating=None)
        cls.a3 = Article.objects.create(headline="Gamma", pub_date=D3, views=30, rating=4.0)


class RetrievalTests(QuerySetTestCase):
    def test_all_filter_exclude(self):
        self.assertQuerySetEqual(
            Article.objects.all(), ["Alpha", "Beta", "Gamma"], transform=str
        )
        self.assertEqual(list(Article.objects.filter(views__gte=20)), [self.a2, self.a3])
        self.assertEqual(list(Article.objects.exclude(views=20)), [self.a1, self.a3])
        self.assertEqual(
            list(Article.objects.filter(views__gt=5).filter(views__lt=25)),
            [self.a1, self.a2],
        )

    def test_laziness_and_cache(self):
        with self.assertNumQueries(0):
            qs = Article.objects.filter(views__gt=0).exclude(headline="x").order_by("-views")
        with self.assertNumQueries(1):
            self.assertEqual(len(qs), 3)
            self.assertTrue(qs)
            self.assertEqual(list(qs)[0], self.a3)
            self.assertEqual(qs.count(), 3)

    def test_get(self):
        self.assertEqual(Article.objects.get(headline="Beta"), self.a2)
        self.assertEqual(Article.objects.get(pk=self.a1.pk), self.a1)
        with self.assertRaisesMessage(Article.DoesNotExist, "Article matching query does not exist."):
            Article.objects.get(headline="Nope")
        with self.assertRaisesMessage(
            Article.MultipleObjectsReturned,
            "get() returned more than one Article -- it returned 3!",
        ):
            Article.objects.get(views__gt=0)

    def test_first_last_latest_earliest(self):
        self.assertEqual(Article.objects.first(), self.a1)
        self.assertEqual(Article.objects.last(), self.a3)
        self.assertEqual(Article.objects.order_by("-views").first(), self.a3)
        self.assertIsNone(Article.objects.filter(views=999).first())
        self.assertEqual(Article.objects.latest("pub_date"), self.a3)
        self.assertEqual(Article.objects.earliest("pub_date"), self.a1)
        self.assertEqual(Article.objects.latest("-views"), self.a1)
        with self.assertRaisesMessage(ValueError, "earliest() and latest() require"):
            Article.objects.latest()

    def test_in_bulk(self):
        self.assertEqual(
            Article.objects.in_bulk([self.a1.pk, self.a3.pk]),
            {self.a1.pk: self.a1, self.a3.pk: self.a3},
        )
        self.assertEqual(Article.objects.in_bulk([]), {})
        self.assertEqual(len(Article.objects.in_bulk()), 3)
        tag = Tag.objects.create(name="t")
        self.assertEqual(Tag.objects.in_bulk(["t"], field_name="name"), {"t": tag})
        with self.assertRaisesMessage(ValueError, "must be a unique field"):
            Article.objects.in_bulk(["Alpha"], field_name="headline")

    def test_exists_contains_count(self):
        self.assertTrue(Article.objects.exists())
        self.assertFalse(Article.objects.filter(headline="zzz").exists())
        self.assertTrue(Article.objects.contains(self.a1))
        self.assertFalse(Article.objects.filter(views__gt=10).contains(self.a1))
        self.assertEqual(Article.objects.filter(views__in=[10, 30]).count(), 2)
        with self.assertRaisesMessage(ValueError, "unsaved"):
            Article.objects.contains(Article(headline="x"))

    def test_none(self):
        qs = Article.objects.none()
        self.assertIsInstance(qs, EmptyQuerySet)
        with self.assertNumQueries(0):
            self.assertEqual(list(qs), [])
            self.assertEqual(qs.count(), 0)
            self.assertEqual(list(Article.objects.filter(pk__in=[])), [])

    def test_slicing(self):
        qs = Article.objects.order_by("views")
        self.assertEqual(list(qs[:2]), [self.a1, self.a2])
        self.assertEqual(list(qs[1:]), [self.a2, self.a3])
        self.assertEqual(list(qs[1:2]), [self.a2])
        self.assertEqual(qs[2], self.a3)
        self.assertEqual(list(qs[::2]), [self.a1, self.a3])
        self.assertEqual(list(qs[5:]), [])
        with self.assertRaises(IndexError):
            qs[10]
        with self.assertRaisesMessage(ValueError, "Negative indexing is not supported."):
            qs[-1]
        with self.assertRaisesMessage(ValueError, "Negative indexing is not supported."):
            qs[-2:]
        with self.assertRaisesMessage(TypeError, "Cannot filter a query once a slice has been taken."):
            qs[:1].filter(views=1)
        with self.assertRaises(TypeError):
            qs["a"]
        sql = str(qs[1:2].query)
        self.assertIn("LIMIT", sql.upper())

    def test_repr(self):
        self.assertEqual(
            repr(Article.objects.all()),
            "<QuerySet [<Article: Alpha>, <Article: Beta>, <Article: Gamma>]>",
        )
        Article.objects.bulk_create(Article(headline="x%d" % i) for i in range(25))
        text = repr(Article.objects.all())
        self.assertTrue(text.endswith("'...(remaining elements truncated)...']>"))
        self.assertEqual(text.count("<Article:"), 20)

    def test_pickle(self):
        qs = Article.objects.filter(views__gte=20).order_by("-views")
        restored = pickle.loads(pickle.dumps(qs))
        self.assertEqual(list(restored), [self.a3, self.a2])
        query = pickle.loads(pickle.dumps(qs.query))
        fresh = Article.objects.all()
        fresh.query = query
        self.assertEqual(list(fresh), [self.a3, self.a2])

    def test_str_query_interpolates(self):
        sql = str(Article.objects.filter(headline="Alpha").query)
        self.assertIn("'Alpha'", sql)
        self.assertIn(connection.ops.quote_name("headline"), sql)

    def test_ordering(self):
        self.assertEqual(list(Article.objects.order_by("-views")), [self.a3, self.a2, self.a1])
        self.assertEqual(list(Article.objects.order_by("-views").reverse()), [self.a1, self.a2, self.a3])
        self.assertEqual(list(Article.objects.order_by(F("views").desc())), [self.a3, self.a2, self.a1])
        self.assertEqual(
            list(Article.objects.order_by(F("rating").asc(nulls_last=True))),
            [self.a1, self.a3, self.a2],
        )
        self.assertEqual(
            list(Article.objects.order_by(F("rating").desc(nulls_first=True))),
            [self.a2, self.a3, self.a1],
        )
        self.assertEqual(
            list(Article.objects.order_by(F("rating").desc(nulls_last=True))),
            [self.a3, self.a1, self.a2],
        )
        self.assertEqual(
            list(Article.objects.order_by(F("rating").asc(nulls_first=True))),
            [self.a2, self.a1, self.a3],
        )
        self.assertEqual(len(list(Article.objects.order_by("?"))), 3)
        self.assertTrue(Article.objects.all().ordered)
        self.assertFalse(Tag.objects.all().ordered)
        self.assertTrue(Tag.objects.order_by("name").ordered)
        self.assertEqual(
            list(Article.objects.annotate(v2=F("views") * -1).order_by("v2")),
            [self.a3, self.a2, self.a1],
        )
        self.assertEqual(list(Article.objects.order_by("pub_date__year").values_list("views", flat=True)), [10, 20, 30])
        # A constant sorts nothing (it is not a column position).
        self.assertEqual(list(Article.objects.order_by(Value(1), "-views")), [self.a3, self.a2, self.a1])

    def test_distinct(self):
        Article.objects.create(headline="Alpha", views=99)
        self.assertEqual(
            list(Article.objects.values_list("headline", flat=True).distinct().order_by("headline")),
            ["Alpha", "Beta", "Gamma"],
        )
        self.assertEqual(Article.objects.values("headline").distinct().count(), 3)

    def test_iterator(self):
        Article.objects.bulk_create(Article(headline="x%d" % i) for i in range(7))
        with self.assertNumQueries(1):
            it = Article.objects.iterator(chunk_size=3)
            self.assertEqual(len(list(it)), 10)
        qs = Article.objects.all()
        list(qs.iterator())
        self.assertIsNone(qs._result_cache)
        self.assertEqual(list(Article.objects.values_list("headline", flat=True).iterator(chunk_size=2))[:3], ["Alpha", "Beta", "Gamma"])
        with self.assertRaisesMessage(ValueError, "Chunk size must be strictly positive."):
            Article.objects.iterator(chunk_size=0)

    def test_iterator_streams_in_chunks(self):
        # The compiler asks the cursor for chunk_size rows at a time.
        from django.db.models.sql.compiler import cursor_iter

        class FakeCursor:
            def __init__(self, rows):
                self.rows, self.calls, self.closed = rows, [], False

            def fetchmany(self, size):
                self.calls.append(size)
                chunk, self.rows = self.rows[:size], self.rows[size:]
                return chunk

            def close(self):
                self.closed = True

        cursor = FakeCursor([(i,) for i in range(7)])
        chunks = list(cursor_iter(cursor, [], None, 3))
        self.assertEqual([len(c) for c in chunks], [3, 3, 1])
        self.assertTrue(cursor.closed)

    def test_as_manager(self):
        class ArticleQuerySet(models.QuerySet):
            def popular(self):
                return self.filter(views__gte=20)

        manager = ArticleQuerySet.as_manager()
        manager.model = Article
        self.assertEqual(list(manager.popular()), [self.a2, self.a3])
        self.assertFalse(hasattr(manager, "delete"))

    def test_db_property(self):
        # An alias, not a connection: the one reads are routed to.
        self.assertEqual(Article.objects.all().db, "default")
        self.assertEqual(Article.objects.db, "default")


class ValuesTests(QuerySetTestCase):
    def test_values(self):
        self.assertEqual(
            list(Article.objects.values("headline", "views")),
            [
                {"headline": "Alpha", "views": 10},
                {"headline": "Beta", "views": 20},
                {"headline": "Gamma", "views": 30},
            ],
        )
        row = Article.objects.values().get(pk=self.a1.pk)
        self.assertEqual(row["headline"], "Alpha")
        self.assertIn("data", row)
        self.assertEqual(
            list(Article.objects.values("headline", double=F("views") * 2)[:1]),
            [{"headline": "Alpha", "double": 20}],
        )

    def test_values_list(self):
        self.assertEqual(list(Article.objects.values_list("views", flat=True)), [10, 20, 30])
        self.assertEqual(list(Article.objects.values_list("headline", "views")[:1]), [("Alpha", 10)])
        row = Article.objects.values_list("headline", "views", named=True).first()
        self.assertEqual((row.headline, row.views), ("Alpha", 10))
        self.assertEqual(
            list(Article.objects.annotate(v=F("views") + 1).values_list("v", "headline")[:1]),
            [(11, "Alpha")],
        )
        with self.assertRaisesMessage(TypeError, "'flat' is not valid when values_list is called with more than one field."):
            Article.objects.values_list("views", "headline", flat=True)
        with self.assertRaisesMessage(TypeError, "'flat' and 'named' can't be used together."):
            Article.objects.values_list("views", flat=True, named=True)

    def test_values_list_expressions_given_positionally(self):
        from django.db.models.functions import Lower

        first = Article.objects.order_by("pk")[:1]
        self.assertEqual(list(first.values_list(Lower("headline"))), [("alpha",)])
        self.assertEqual(list(first.values_list(Lower("headline"), flat=True)), ["alpha"])
        row = first.values_list("views", Lower("headline"), F("views"), named=True).get()
        self.assertEqual(row, (10, "alpha", 10))
        self.assertEqual(row._fields, ("views", "lower1", "f2"))

    def test_values_with_one_expression_is_a_subquery(self):
        keys = Article.objects.filter(views__gt=15).values(key=F("pk"))
        self.assertEqual(Article.objects.filter(pk__in=keys).count(), 2)

    def test_values_with_transform(self):
        self.assertEqual(
            list(Article.objects.values_list("pub_date__year", flat=True)), [2005, 2006, 2007]
        )

    def test_dates_datetimes(self):
        self.assertEqual(
            list(Article.objects.dates("pub_date", "year")),
            [datetime.date(2005, 1, 1), datetime.date(2006, 1, 1), datetime.date(2007, 1, 1)],
        )
        self.assertEqual(
            list(Article.objects.dates("pub_date", "month", order="DESC"))[0],
            datetime.date(2007, 3, 1),
        )
        self.assertEqual(
            list(Article.objects.datetimes("pub_date", "day"))[0],
            datetime.datetime(2005, 7, 28),
        )
        with self.assertRaisesMessage(ValueError, "'kind' must be one of"):
            Article.objects.dates("pub_date", "hour")
        with self.assertRaisesMessage(ValueError, "'order' must be either"):
            Article.objects.dates("pub_date", "year", order="sideways")

    def test_only_defer(self):
        a = Article.objects.only("headline").get(pk=self.a1.pk)
        self.assertEqual(a.get_deferred_fields(), {"pub_date", "views", "rating", "body", "data"})
        with self.assertNumQueries(1):
            self.assertEqual(a.views, 10)
        b = Article.objects.defer("body", "views").get(pk=self.a2.pk)
        self.assertEqual(b.get_deferred_fields(), {"body", "views"})
        self.assertEqual(b.headline, "Beta")
        c = Article.objects.defer("body").defer(None).get(pk=self.a2.pk)
        self.assertEqual(c.get_deferred_fields(), set())
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field. Choices are:"):
            Article.objects.only("nope")
        with self.assertRaisesMessage(TypeError, "Cannot pass None as an argument to only()."):
            Article.objects.only(None)


class WriteTests(QuerySetTestCase):
    def test_create_get_or_create_update_or_create(self):
        obj = Article.objects.create(headline="New", views=1)
        self.assertIsNotNone(obj.pk)
        got, created = Article.objects.get_or_create(headline="New")
        self.assertEqual((got, created), (obj, False))
        made, created = Article.objects.get_or_create(headline="Newer", defaults={"views": 7})
        self.assertTrue(created)
        self.assertEqual(Article.objects.get(pk=made.pk).views, 7)
        upd, created = Article.objects.update_or_create(headline="Newer", defaults={"views": 8})
        self.assertFalse(created)
        self.assertEqual(Article.objects.get(pk=made.pk).views, 8)
        new, created = Article.objects.update_or_create(headline="Newest", defaults={"views": 9})
        self.assertTrue(created)
        with self.assertRaisesMessage(FieldError, "Invalid field name(s) for model Article: 'bogus'."):
            Article.objects.get_or_create(headline="Z", defaults={"bogus": 1})

    def test_update(self):
        self.assertEqual(Article.objects.filter(views__lt=25).update(views=F("views") + 1), 2)
        self.assertEqual(list(Article.objects.values_list("views", flat=True)), [11, 21, 30])
        self.assertEqual(Article.objects.update(rating=None), 3)
        self.assertEqual(Article.objects.filter(rating__isnull=True).count(), 3)
        Article.objects.update(views=F("views") * 2 - 1)
        self.assertEqual(list(Article.objects.values_list("views", flat=True)), [21, 41, 59])
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field."):
            Article.objects.update(nope=1)
        with self.assertRaisesMessage(TypeError, "Cannot update a query once a slice has been taken."):
            Article.objects.all()[:1].update(views=1)
        with self.assertRaisesMessage(FieldError, "Aggregate functions are not allowed in this query"):
            Article.objects.update(views=Max("views"))
        self.assertEqual(Article.objects.filter(pk__in=[]).update(views=1), 0)

    def test_delete_fast_path(self):
        with self.assertNumQueries(1):
            deleted, per_model = Article.objects.filter(views__gte=20).delete()
        self.assertEqual((deleted, per_model), (2, {"query_basic.Article": 2}))
        self.assertEqual(list(Article.objects.all()), [self.a1])
        with self.assertRaisesMessage(TypeError, "Cannot use 'limit' or 'offset' with delete()."):
            Article.objects.all()[:1].delete()
        with self.assertRaisesMessage(TypeError, "Cannot call delete() after .values() or .values_list()"):
            Article.objects.values("id").delete()

    def test_self_referencing_subqueries_in_writes(self):
        self.assertEqual(
            Article.objects.filter(pk__in=Article.objects.filter(views__gte=20)).update(views=1), 2
        )
        top = Article.objects.order_by("-views").values("views")[:1]
        self.assertEqual(Article.objects.filter(views__lt=models.Subquery(top)).update(rating=9.0), 2)
        deleted, _ = Article.objects.filter(pk__in=Article.objects.filter(rating=9.0).values("pk")).delete()
        self.assertEqual(deleted, 2)
        self.assertEqual(list(Article.objects.all()), [self.a1])

    def test_sliced_subquery_in_filter(self):
        top_two = Article.objects.order_by("-views")[:2]
        self.assertEqual(list(Article.objects.filter(pk__in=top_two)), [self.a2, self.a3])
        middle = Article.objects.order_by("-views").values("pk")[1:2]
        self.assertEqual(list(Article.objects.filter(pk__in=middle)), [self.a2])

    def test_delete_with_signals(self):
        from django.db.models.signals import pre_delete

        seen = []

        def receiver(sender, instance, **kwargs):
            seen.append(instance.headline)

        pre_delete.connect(receiver, sender=Article)
        try:
            Article.objects.filter(views__lte=20).delete()
        finally:
            pre_delete.disconnect(receiver, sender=Article)
        self.assertEqual(sorted(seen), ["Alpha", "Beta"])
        self.assertEqual(Article.objects.count(), 1)

    def test_bulk_create(self):
        objs = [Article(headline="b%d" % i, views=i) for i in range(5)]
        # Three batches of at most two rows: three INSERTs.
        with self.assertNumQueries(3):
            created = Article.objects.bulk_create(objs, batch_size=2)
        self.assertEqual(len(created), 5)
        self.assertEqual(Article.objects.filter(headline__startswith="b").count(), 5)
        if connection.features.can_return_rows_from_bulk_insert:
            self.assertTrue(all(o.pk is not None for o in created))
            self.assertEqual(Article.objects.get(pk=created[3].pk).headline, "b3")
        self.assertEqual(Article.objects.bulk_create([]), [])
        with self.assertRaisesMessage(ValueError, "Batch size must be a positive integer."):
            Article.objects.bulk_create(objs, batch_size=0)
        with self.assertRaisesMessage(TypeError, "bulk_create() expected Article instances"):
            Article.objects.bulk_create([Tag(name="x")])

    def test_bulk_create_ignore_conflicts(self):
        Tag.objects.create(name="dup")
        Tag.objects.bulk_create([Tag(name="dup"), Tag(name="fresh")], ignore_conflicts=True)
        self.assertEqual(sorted(Tag.objects.values_list("name", flat=True)), ["dup", "fresh"])

    def test_bulk_create_refuses_proxy(self):
        class ProxyArticle(Article):
            class Meta:
                proxy = True
                app_label = "query_basic"

        with self.assertRaisesMessage(ValueError, "Can't bulk create a proxy model (ProxyArticle)"):
            ProxyArticle.objects.bulk_create([ProxyArticle(headline="x")])

    def test_bulk_update(self):
        self.a1.views, self.a2.views = 100, 200
        self.a1.headline = "A!"
        self.assertEqual(Article.objects.bulk_update([self.a1, self.a2], ["views", "headline"]), 2)
        self.assertEqual(
            list(Article.objects.values_list("headline", "views")),
            [("A!", 100), ("Beta", 200), ("Gamma", 30)],
        )
        self.a3.views = F("views") + 5
        Article.objects.bulk_update([self.a3], ["views"], batch_size=1)
        self.assertEqual(Article.objects.get(pk=self.a3.pk).views, 35)
        with self.assertRaisesMessage(ValueError, "bulk_update() cannot be used with primary key fields."):
            Article.objects.bulk_update([self.a1], ["id"])
        with self.assertRaisesMessage(ValueError, "Field names must be given to bulk_update()."):
            Article.objects.bulk_update([self.a1], [])
        self.assertEqual(Article.objects.bulk_update([], ["views"]), 0)

    def test_insert_and_update_internals(self):
        fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
        rows = Article.objects._insert(
            [Article(headline="raw", views=5)],
            fields=fields,
            returning_fields=Article._meta.db_returning_fields,
        )
        self.assertEqual(len(rows), 1)
        pk = rows[0][0]
        self.assertEqual(Article.objects.get(pk=pk).headline, "raw")
        views = Article._meta.get_field("views")
        self.assertEqual(Article.objects.filter(pk=pk)._update([(views, None, 77)]), 1)
        self.assertEqual(Article.objects.get(pk=pk).views, 77)
        self.assertEqual(Article.objects.filter(pk=pk)._delete_without_collecting(), 1)


class SetOperationTests(QuerySetTestCase):
    def test_union_intersection_difference(self):
        low = Article.objects.filter(views__lte=20)
        high = Article.objects.filter(views__gte=20)
        self.assertEqual(
            sorted(low.union(high).values_list("views", flat=True)), [10, 20, 30]
        )
        self.assertEqual(
            sorted(low.union(high, all=True).values_list("views", flat=True)), [10, 20, 20, 30]
        )
        if connection.features.supports_select_intersection:
            self.assertEqual(list(low.intersection(high)), [self.a2])
        if connection.features.supports_select_difference:
            self.assertEqual(list(low.difference(high)), [self.a1])
        self.assertEqual(list(low.union(high).order_by("-views")), [self.a3, self.a2, self.a1])
        self.assertEqual(low.union(high).count(), 3)

    def test_operators(self):
        a = Article.objects.filter(views=10)
        b = Article.objects.filter(views=30)
        self.assertEqual(list(a | b), [self.a1, self.a3])
        self.assertEqual(list(a & b), [])
        self.assertEqual(list(Article.objects.filter(views__gte=20) & b), [self.a3])


class BadInputTests(QuerySetTestCase):
    def test_unknown_field(self):
        msg = (
            "Cannot resolve keyword 'nope' into field. Choices are: body, data, "
            "headline, id, pub_date, rating, views"
        )
        with self.assertRaisesMessage(FieldError, msg):
            Article.objects.filter(nope=1)
        with self.assertRaisesMessage(FieldError, msg):
            Article.objects.order_by("nope")
        with self.assertRaisesMessage(FieldError, msg):
            Article.objects.values("nope")
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope'"):
            Article.objects.annotate(x=F("nope"))

    def test_unknown_lookup(self):
        with self.assertRaisesMessage(
            FieldError,
            "Unsupported lookup 'foo' for CharField or join on the field not permitted.",
        ):
            Article.objects.filter(headline__foo="x")
        with self.assertRaisesMessage(
            FieldError,
            "Unsupported lookup 'containz' for CharField or join on the field not "
            "permitted, perhaps you meant contains or icontains?",
        ):
            Article.objects.filter(headline__containz="x")
        with self.assertRaisesMessage(FieldError, "Unsupported lookup 'yeer' for DateTimeField"):
            Article.objects.filter(pub_date__yeer=2005)

    def test_none_value(self):
        self.assertEqual(list(Article.objects.filter(rating=None)), [self.a2])
        with self.assertRaisesMessage(ValueError, "Cannot use None as a query value"):
            Article.objects.filter(views__gt=None)

    def test_invalid_filter_arguments(self):
        with self.assertRaisesMessage(TypeError, "Cannot filter against a non-conditional expression."):
            Article.objects.filter(F("views"))
        with self.assertRaisesMessage(TypeError, "QuerySet.annotate() received non-expression(s): 5."):
            Article.objects.annotate(x=5)
        with self.assertRaisesMessage(ValueError, "The annotation 'views' conflicts with a field on the model."):
            Article.objects.annotate(views=F("rating"))
        with self.assertRaisesMessage(TypeError, "Complex aggregates require an alias"):
            Article.objects.aggregate(Max(F("views") + 1))


class RawQuerySetTests(QuerySetTestCase):
    def select(self, columns="*", where=""):
        table = connection.ops.quote_name(Article._meta.db_table)
        return "SELECT %s FROM %s %s ORDER BY %s" % (columns, table, where, connection.ops.quote_name("id"))

    def test_rows_become_instances_with_converted_values(self):
        raw = Article.objects.raw(self.select())
        articles = list(raw)
        self.assertEqual([a.headline for a in articles], ["Alpha", "Beta", "Gamma"])
        self.assertEqual(articles[0].pub_date, D1)
        self.assertEqual(articles[1].rating, None)
        self.assertFalse(articles[0]._state.adding)

    def test_each_iteration_runs_the_query(self):
        raw = Article.objects.raw(self.select())
        with self.assertNumQueries(2):
            self.assertEqual(len(list(raw.iterator())), 3)
            self.assertEqual(len(list(raw.iterator())), 3)
        with self.assertNumQueries(1):
            self.assertEqual(len(raw), 3)
            self.assertTrue(raw)
            self.assertEqual(raw[2].headline, "Gamma")

    def test_unknown_columns_become_attributes_and_absent_fields_are_deferred(self):
        qn = connection.ops.quote_name
        raw = Article.objects.raw(
            self.select("%s, %s AS %s" % (qn("id"), qn("views"), qn("seen")))
        )
        first = raw[0]
        self.assertEqual(first.seen, 10)
        self.assertEqual(first.get_deferred_fields(), {"headline", "pub_date", "views", "rating", "body", "data"})
        with self.assertNumQueries(1):
            self.assertEqual(first.headline, "Alpha")

    def test_translations_and_params(self):
        qn = connection.ops.quote_name
        raw = Article.objects.raw(
            self.select("%s AS %s, %s" % (qn("id"), qn("key"), qn("headline")), "WHERE %s > %%s" % qn("views")),
            params=[15],
            translations={"key": "id", "missing": "views"},
        )
        self.assertEqual(raw.columns, ["id", "headline"])
        self.assertEqual([(a.pk, a.headline) for a in raw], [(self.a2.pk, "Beta"), (self.a3.pk, "Gamma")])
        self.assertIn("SELECT", repr(raw))

    def test_primary_key_is_required(self):
        from django.core.exceptions import FieldDoesNotExist

        raw = Article.objects.raw(self.select(connection.ops.quote_name("headline")))
        with self.assertRaisesMessage(FieldDoesNotExist, "Raw query must include the primary key"):
            list(raw)

    def test_clone_is_unevaluated(self):
        raw = Article.objects.raw(self.select(), translations={"x": "views"})
        list(raw)
        twin = raw._clone()
        self.assertIsNone(twin._result_cache)
        self.assertEqual((twin.raw_query, twin.translations), (raw.raw_query, raw.translations))
        self.assertEqual(len(twin), 3)


class QuerySetEdgeTests(QuerySetTestCase):
    """Behaviour at the edges of the QuerySet API: argument errors, the
    empty-queryset shortcuts, pickling across versions, races."""

    def test_assigning_a_values_query_yields_dicts(self):
        source = Article.objects.filter(views=10).values("headline")
        restored = Article.objects.all()
        restored.query = pickle.loads(pickle.dumps(source.query))
        self.assertEqual(list(restored), [{"headline": "Alpha"}])

    def test_unpickling_another_version_warns(self):
        import django

        state = Article.objects.filter(views=10).__getstate__()
        self.assertEqual(state["_django_version"], django.__version__)
        for recorded, message in [
            ("0.0", "Pickled queryset instance's Django version 0.0 does not match the current version"),
            (None, "Pickled queryset instance's Django version is not specified."),
        ]:
            stale = dict(state, _django_version=recorded)
            restored = Article.objects.none()
            with self.assertWarnsMessage(RuntimeWarning, message):
                restored.__setstate__(stale)
            self.assertEqual(list(restored), [self.a1])

    def test_generic_alias_and_empty_isinstance(self):
        from django.db.models import QuerySet

        self.assertIs(QuerySet[Article], QuerySet)
        self.assertNotIsInstance(5, EmptyQuerySet)
        self.assertNotIsInstance(Article.objects.all(), EmptyQuerySet)
        self.assertIsInstance(Article.objects.none().filter(views=1), EmptyQuerySet)

    def test_get_after_union(self):
        one = Article.objects.filter(pk=self.a1.pk)
        self.assertEqual(one.union(one).get(), self.a1)
        with self.assertRaisesMessage(
            Exception, "Calling QuerySet.get(...) with filters after union() is not supported."
        ):
            one.union(one).get(views=10)

    def test_union_with_an_empty_left_side(self):
        low = Article.objects.filter(views=10)
        high = Article.objects.filter(views=30)
        empty = Article.objects.none()
        self.assertIs(empty.union(), empty)
        self.assertIs(empty.union(empty, low), low)
        self.assertEqual(sorted(empty.union(low, empty, high).values_list("views", flat=True)), [10, 30])
        self.assertIsInstance(low.intersection(empty), EmptyQuerySet)
        self.assertIs(empty.difference(low), empty)

    def test_annotation_names_may_not_clash(self):
        with self.assertRaisesMessage(
            ValueError,
            "The named annotation 'views__max' conflicts with the default name for another annotation.",
        ):
            Article.objects.annotate(Max("views"), views__max=Max("rating"))
        with self.assertRaisesMessage(ValueError, "The annotation 'views' conflicts with a field on the model."):
            Article.objects.annotate(views=Max("rating"))
        with self.assertRaisesMessage(TypeError, "Complex annotations require an alias"):
            Article.objects.annotate(Max("views") + 1)
        with self.assertRaisesMessage(TypeError, "Complex aggregates require an alias"):
            Article.objects.aggregate(Max("views") + 1)
        with self.assertRaisesMessage(TypeError, "QuerySet.annotate() received non-expression(s): 1."):
            Article.objects.annotate(one=1)

    def test_field_names_must_be_strings(self):
        with self.assertRaisesMessage(TypeError, "Field names must be strings, got 1."):
            Article.objects.only(1)
        with self.assertRaisesMessage(TypeError, "Cannot call defer() after .values() or .values_list()"):
            Article.objects.values("views").defer("body")

    def test_distinct_on_fields(self):
        if connection.features.can_distinct_on_fields:
            rows = Article.objects.order_by("headline").distinct("headline").values_list("headline", flat=True)
            self.assertEqual(list(rows), ["Alpha", "Beta", "Gamma"])
        else:
            with self.assertRaisesMessage(Exception, "DISTINCT ON fields is not supported by this database backend"):
                Article.objects.distinct("headline")
        with self.assertRaisesMessage(FieldError, "nope"):
            Article.objects.distinct("nope")

    def test_get_or_create_recovers_from_a_lost_race(self):
        from unittest import mock

        from django.db import IntegrityError
        from django.db.models import QuerySet

        Tag.objects.create(name="raced")
        real_get = QuerySet.get
        missed = []

        def get_missing_once(queryset, *args, **kwargs):
            # Another connection inserts the row between our get() and our INSERT.
            if not missed:
                missed.append(True)
                raise Tag.DoesNotExist
            return real_get(queryset, *args, **kwargs)

        with mock.patch.object(QuerySet, "get", get_missing_once):
            tag, created = Tag.objects.get_or_create(name="raced")
        self.assertEqual((tag.name, created), ("raced", False))

        def never_found(queryset, *args, **kwargs):
            raise Tag.DoesNotExist

        with mock.patch.object(QuerySet, "get", never_found):
            with self.assertRaises(IntegrityError):
                Tag.objects.get_or_create(name="raced")

    def test_update_or_create_without_defaults_saves_the_row(self):
        obj, created = Article.objects.update_or_create(headline="Alpha")
        self.assertEqual((obj, created), (self.a1, False))
        calls = []
        obj, created = Article.objects.update_or_create(headline="Beta", defaults={"views": lambda: calls.append(1) or 21})
        self.assertEqual((obj.views, created, calls), (21, False, [1]))
        self.assertEqual(Article.objects.get(pk=self.a2.pk).views, 21)

    def test_bulk_create_with_keys_given(self):
        objs = [Article(id=1000 + i, headline="k%d" % i) for i in range(3)]
        Article.objects.bulk_create(objs)
        self.assertEqual([o.pk for o in objs], [1000, 1001, 1002])
        self.assertEqual(Article.objects.get(pk=1001).headline, "k1")
        self.assertFalse(objs[0]._state.adding)

    def test_bulk_update_refuses_unsaved_objects_and_odd_fields(self):
        with self.assertRaisesMessage(ValueError, "All bulk_update() objects must have a primary key set."):
            Article.objects.bulk_update([self.a1, Article(headline="new")], ["views"])
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field."):
            Article.objects.bulk_update([self.a1], ["nope"])
        with self.assertRaisesMessage(ValueError, "Batch size must be a positive integer."):
            Article.objects.bulk_update([self.a1], ["views"], batch_size=-1)

