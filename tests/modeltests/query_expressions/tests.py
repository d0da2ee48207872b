"""Lookups, Q/F, expressions, functions, aggregates and JSON key lookups."""
import datetime
from decimal import Decimal

from django.core.exceptions import FieldError
from django.db import connection, models, transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    Extract,
    ExtractYear,
    Length,
    Lower,
    Now,
    Trunc,
    TruncDate,
    TruncMonth,
    Upper,
)
from django.db.models.lookups import Lookup, Transform
from django.db.transaction import TransactionManagementError
from django.test import SimpleTestCase, TestCase, TransactionTestCase

from .models import Book, Review


def titles(qs):
    return sorted(qs.values_list("title", flat=True))


class ExprTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.b1 = Book.objects.create(
            title="Dune", author="Herbert", pages=412, price=Decimal("9.99"), rating=4.5,
            published=datetime.date(1965, 8, 1), stamp=datetime.datetime(2020, 1, 15, 10, 30, 5),
            at=datetime.time(10, 30), data={"lang": "en", "tags": ["sf", "classic"], "n": 3, "meta": {"ed": 1}},
        )
        cls.b2 = Book.objects.create(
            title="Emma", author="Austen", pages=474, price=Decimal("5.50"), rating=4.0,
            published=datetime.date(1815, 12, 23), stamp=datetime.datetime(2021, 6, 1, 23, 59, 59),
            at=datetime.time(23, 0), data={"lang": "en", "n": 1, "odd key's name": True},
        )
        cls.b3 = Book.objects.create(
            title="Faust", author="Goethe", pages=158, price=None, rating=None,
            published=datetime.date(1808, 1, 1), stamp=datetime.datetime(2020, 11, 30, 0, 0, 0),
            at=datetime.time(0, 15), data={"lang": "de", "n": 10},
        )
        cls.b4 = Book.objects.create(title="50% off_sale\\", author="Nobody", pages=1)
        Review.objects.create(book_title="Dune", stars=5)
        Review.objects.create(book_title="Dune", stars=4)
        Review.objects.create(book_title="Emma", stars=3)


class LookupTests(ExprTestCase):
    def test_comparisons(self):
        self.assertEqual(titles(Book.objects.filter(pages__gt=400)), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(pages__gte=474)), ["Emma"])
        self.assertEqual(titles(Book.objects.filter(pages__lt=158)), ["50% off_sale\\"])
        self.assertEqual(titles(Book.objects.filter(pages__lte=158)), ["50% off_sale\\", "Faust"])
        self.assertEqual(titles(Book.objects.filter(pages__range=(150, 420))), ["Dune", "Faust"])
        self.assertEqual(titles(Book.objects.filter(pages__in=[1, 158, 999])), ["50% off_sale\\", "Faust"])
        self.assertEqual(titles(Book.objects.filter(pages__gte=157.5)), ["Dune", "Emma", "Faust"])

    def test_text_lookups_case_sensitivity(self):
        self.assertEqual(titles(Book.objects.filter(title__exact="dune")), [])
        self.assertEqual(titles(Book.objects.filter(title__iexact="dUNE")), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(title__contains="un")), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(title__contains="UN")), [])
        self.assertEqual(titles(Book.objects.filter(title__icontains="UN")), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(title__startswith="Em")), ["Emma"])
        self.assertEqual(titles(Book.objects.filter(title__startswith="em")), [])
        self.assertEqual(titles(Book.objects.filter(title__istartswith="em")), ["Emma"])
        self.assertEqual(titles(Book.objects.filter(title__endswith="st")), ["Faust"])
        self.assertEqual(titles(Book.objects.filter(title__iendswith="ST")), ["Faust"])

    def test_like_wildcards_are_escaped(self):
        self.assertEqual(titles(Book.objects.filter(title__contains="%")), ["50% off_sale\\"])
        self.assertEqual(titles(Book.objects.filter(title__contains="_")), ["50% off_sale\\"])
        self.assertEqual(titles(Book.objects.filter(title__endswith="\\")), ["50% off_sale\\"])
        self.assertEqual(titles(Book.objects.filter(title__icontains="% OFF_")), ["50% off_sale\\"])
        self.assertEqual(titles(Book.objects.filter(title__startswith="5_")), [])
        self.assertEqual(titles(Book.objects.filter(title__contains="u%t")), [])

    def test_pattern_lookup_with_expression(self):
        Book.objects.create(title="Herbert's book", author="Herbert", pages=2)
        self.assertEqual(
            titles(Book.objects.filter(title__startswith=F("author"))), ["Herbert's book"]
        )

    def test_regex(self):
        self.assertEqual(titles(Book.objects.filter(title__regex=r"^[DE]")), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(title__regex=r"^d")), [])
        self.assertEqual(titles(Book.objects.filter(title__iregex=r"^d")), ["Dune"])

    def test_isnull_and_none(self):
        self.assertEqual(titles(Book.objects.filter(price__isnull=True)), ["50% off_sale\\", "Faust"])
        self.assertEqual(titles(Book.objects.filter(price__isnull=False)), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(price=None)), ["50% off_sale\\", "Faust"])
        with self.assertRaisesMessage(ValueError, "The QuerySet value for an isnull lookup must be True or False."):
            list(Book.objects.filter(price__isnull="yes"))

    def test_in_empty_and_subquery(self):
        with self.assertNumQueries(0):
            self.assertEqual(list(Book.objects.filter(pages__in=[])), [])
        self.assertEqual(titles(Book.objects.filter(pages__in=[None, 412])), ["Dune"])
        reviewed = Review.objects.filter(stars__gte=4).values("book_title")
        self.assertEqual(titles(Book.objects.filter(title__in=reviewed)), ["Dune"])
        self.assertEqual(
            titles(Book.objects.filter(pk__in=Book.objects.filter(pages__gt=400))), ["Dune", "Emma"]
        )
        self.assertEqual(titles(Book.objects.exclude(title__in=reviewed)), ["50% off_sale\\", "Emma", "Faust"])
        with self.assertRaisesMessage(TypeError, "Cannot use multi-field values as a filter value."):
            Book.objects.filter(title__in=Review.objects.values("book_title", "stars"))
        with self.assertRaisesMessage(TypeError, "The 'in' lookup needs an iterable"):
            Book.objects.filter(pages__in=5)

    def test_date_lookups(self):
        self.assertEqual(titles(Book.objects.filter(published__year=1965)), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(published__year__gte=1815)), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(published__year__lt=1815)), ["Faust"])
        self.assertEqual(titles(Book.objects.filter(published__month=12)), ["Emma"])
        self.assertEqual(titles(Book.objects.filter(published__day=23)), ["Emma"])
        self.assertEqual(titles(Book.objects.filter(published__quarter=3)), ["Dune"])
        # 1965-08-01 was a Sunday: week_day 1 (Sunday=1), iso_week_day 7.
        self.assertEqual(titles(Book.objects.filter(published__week_day=1)), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(published__iso_week_day=7)), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(published__week=30)), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(stamp__year=2020)), ["Dune", "Faust"])
        self.assertEqual(titles(Book.objects.filter(stamp__month__in=[6, 11])), ["Emma", "Faust"])
        self.assertEqual(titles(Book.objects.filter(stamp__hour=23)), ["Emma"])
        self.assertEqual(titles(Book.objects.filter(stamp__minute=30)), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(stamp__second=59)), ["Emma"])
        self.assertEqual(titles(Book.objects.filter(stamp__date=datetime.date(2020, 11, 30))), ["Faust"])
        self.assertEqual(titles(Book.objects.filter(stamp__time=datetime.time(10, 30, 5))), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(at__hour=23)), ["Emma"])
        self.assertEqual(titles(Book.objects.filter(at__minute=15)), ["Faust"])
        sql = str(Book.objects.filter(published__year=1965).query)
        self.assertIn("BETWEEN", sql)

    def test_custom_lookup_and_transform(self):
        @models.CharField.register_lookup
        class NotEqual(Lookup):
            lookup_name = "ne"

            def as_sql(self, compiler, connection):
                lhs, lhs_params = self.process_lhs(compiler, connection)
                rhs, rhs_params = self.process_rhs(compiler, connection)
                return "%s <> %s" % (lhs, rhs), lhs_params + rhs_params

        class Half(Transform):
            lookup_name = "half"
            function = "ABS"
            template = "(%(function)s(%(expressions)s) / 2)"

        models.IntegerField.register_lookup(Half)
        try:
            self.assertEqual(titles(Book.objects.filter(author__ne="Herbert")), ["50% off_sale\\", "Emma", "Faust"])
            self.assertEqual(titles(Book.objects.filter(pages__half__gte=200)), ["Dune", "Emma"])
            self.assertEqual(titles(Book.objects.filter(pages__half=79)), ["Faust"])
        finally:
            models.CharField._unregister_lookup(NotEqual)
            models.IntegerField._unregister_lookup(Half)
        with self.assertRaisesMessage(FieldError, "Unsupported lookup 'ne' for CharField"):
            Book.objects.filter(author__ne="x")

    def test_unknown_transform_message(self):
        with self.assertRaisesMessage(
            FieldError, "Unsupported lookup 'yaer' for DateField or join on the field not permitted, perhaps you meant year?"
        ):
            Book.objects.filter(published__yaer=1)


class QFTests(ExprTestCase):
    def test_q_combinations(self):
        self.assertEqual(titles(Book.objects.filter(Q(pages=412) | Q(pages=158))), ["Dune", "Faust"])
        self.assertEqual(titles(Book.objects.filter(Q(pages__gt=100) & ~Q(author="Austen"))), ["Dune", "Faust"])
        self.assertEqual(titles(Book.objects.filter(~Q(pages__gt=100))), ["50% off_sale\\"])
        self.assertEqual(titles(Book.objects.exclude(Q(pages=412) | Q(pages=474))), ["50% off_sale\\", "Faust"])
        self.assertEqual(titles(Book.objects.filter(Q())), ["50% off_sale\\", "Dune", "Emma", "Faust"])
        self.assertEqual(
            titles(Book.objects.filter(Q(pages__gt=400), author__startswith="A")), ["Emma"]
        )

    def test_q_xor(self):
        q = Q(pages__gt=400) ^ Q(author="Herbert")
        self.assertEqual(titles(Book.objects.filter(q)), ["Emma"])
        q3 = Q(pages__gt=400) ^ Q(author="Herbert") ^ Q(title__startswith="D")
        self.assertEqual(titles(Book.objects.filter(q3)), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(pages__gt=400) ^ Book.objects.filter(author="Herbert")), ["Emma"])

    def test_exclude_nullable(self):
        # NULL ratings are not "4.5", so exclude() keeps them.
        self.assertEqual(titles(Book.objects.exclude(rating=4.5)), ["50% off_sale\\", "Emma", "Faust"])

    def test_f_expressions(self):
        self.assertEqual(titles(Book.objects.filter(pages__gt=F("rating") * 100)), ["Emma"])
        self.assertEqual(titles(Book.objects.filter(pages__lt=F("rating") * 100 + 30)), ["Dune"])
        Book.objects.filter(pk=self.b3.pk).update(pages=F("pages") * 2 + 1)
        self.assertEqual(Book.objects.get(pk=self.b3.pk).pages, 317)
        Book.objects.filter(pk=self.b3.pk).update(pages=F("pages") % 10)
        self.assertEqual(Book.objects.get(pk=self.b3.pk).pages, 7)
        Book.objects.filter(pk=self.b3.pk).update(pages=F("pages") ** 2)
        self.assertEqual(Book.objects.get(pk=self.b3.pk).pages, 49)
        Book.objects.filter(pk=self.b3.pk).update(pages=100 - F("pages"))
        self.assertEqual(Book.objects.get(pk=self.b3.pk).pages, 51)
        annotated = Book.objects.annotate(double=F("pages") * 2, ratio=F("pages") / 2).get(pk=self.b1.pk)
        self.assertEqual((annotated.double, annotated.ratio), (824, 206))
        self.assertEqual(Book.objects.annotate(neg=-F("pages")).get(pk=self.b1.pk).neg, -412)

    def test_mixed_types_need_output_field(self):
        with self.assertRaisesMessage(FieldError, "You must set output_field"):
            list(Book.objects.annotate(x=F("title") + F("pages")))
        with self.assertRaisesMessage(FieldError, "Expression contains mixed types: CharField, IntegerField. You must set output_field."):
            list(Book.objects.annotate(x=Coalesce("title", "pages")))
        wrapped = Book.objects.annotate(
            x=ExpressionWrapper(F("pages") * F("rating"), output_field=models.FloatField())
        ).get(pk=self.b1.pk)
        self.assertAlmostEqual(wrapped.x, 1854.0)

    def test_case_when(self):
        qs = Book.objects.annotate(
            size=Case(
                When(pages__gt=450, then=Value("long")),
                When(pages__gt=300, then=Value("medium")),
                default=Value("short"),
            )
        ).order_by("title")
        self.assertEqual(
            list(qs.values_list("title", "size")),
            [("50% off_sale\\", "short"), ("Dune", "medium"), ("Emma", "long"), ("Faust", "short")],
        )
        self.assertEqual(
            Book.objects.aggregate(n=Sum(Case(When(Q(rating__gte=4), then=1), default=0)))["n"], 2
        )
        with self.assertRaisesMessage(TypeError, "When() supports a Q object"):
            When(then=1)
        with self.assertRaisesMessage(TypeError, "Positional arguments must all be When objects, got 'x'."):
            Case("x")
        self.assertEqual(
            titles(Book.objects.filter(Case(When(pages__gt=400, then=Value(True)), default=Value(False), output_field=models.BooleanField()))),
            ["Dune", "Emma"],
        )

    def test_subquery_outerref_exists(self):
        best = Review.objects.filter(book_title=OuterRef("title")).order_by("-stars")
        qs = Book.objects.annotate(best=Subquery(best.values("stars")[:1])).order_by("title")
        self.assertEqual(list(qs.values_list("title", "best")), [("50% off_sale\\", None), ("Dune", 5), ("Emma", 3), ("Faust", None)])
        self.assertEqual(titles(Book.objects.filter(Exists(Review.objects.filter(book_title=OuterRef("title"))))), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(~Exists(Review.objects.filter(book_title=OuterRef("title"))))), ["50% off_sale\\", "Faust"])
        has = Book.objects.annotate(has=Exists(Review.objects.filter(book_title=OuterRef("title"), stars=5)))
        self.assertEqual(sorted(has.values_list("title", "has")), [("50% off_sale\\", False), ("Dune", True), ("Emma", False), ("Faust", False)])
        # A self-referencing subquery: books longer than the average.
        avg = Book.objects.filter(author=OuterRef("author")).values("author").annotate(m=Max("pages")).values("m")
        self.assertEqual(titles(Book.objects.filter(pages=Subquery(avg))), ["50% off_sale\\", "Dune", "Emma", "Faust"])
        with self.assertRaisesMessage(ValueError, "This queryset contains a reference to an outer query"):
            list(Review.objects.filter(book_title=OuterRef("title")))

    def test_functions(self):
        row = Book.objects.annotate(
            lo=Lower("title"), up=Upper("title"), n=Length("title"),
            full=Concat("title", Value(" by "), "author"),
            c=Coalesce("price", Value(Decimal("0.00"))),
            p=Cast("pages", models.CharField(max_length=10)),
        ).get(pk=self.b1.pk)
        self.assertEqual((row.lo, row.up, row.n, row.full), ("dune", "DUNE", 4, "Dune by Herbert"))
        self.assertEqual(row.c, Decimal("9.99"))
        self.assertEqual(row.p, "412")
        self.assertEqual(Book.objects.annotate(c=Coalesce("price", Value(Decimal("0")))).get(pk=self.b3.pk).c, Decimal("0"))
        self.assertEqual(titles(Book.objects.annotate(n=Length("title")).filter(n=4)), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(title__in=Book.objects.annotate(lt=Lower("title")).filter(lt="emma").values("title"))), ["Emma"])

    def test_extract_trunc(self):
        row = Book.objects.annotate(
            y=ExtractYear("stamp"), m=Extract("stamp", "month"), d=TruncDate("stamp"),
            mo=TruncMonth("published"), tr=Trunc("stamp", "hour"),
        ).get(pk=self.b1.pk)
        self.assertEqual((row.y, row.m), (2020, 1))
        self.assertEqual(row.d, datetime.date(2020, 1, 15))
        self.assertEqual(row.mo, datetime.date(1965, 8, 1))
        self.assertEqual(row.tr, datetime.datetime(2020, 1, 15, 10, 0))
        with self.assertRaisesMessage(ValueError, "Trunc: unknown kind 'fortnight'"):
            Trunc("stamp", "fortnight")
        with self.assertRaisesMessage(ValueError, "Extract: unknown part 'epoch; DROP'"):
            Extract("stamp", "epoch; DROP")
        self.assertIsNotNone(Book.objects.annotate(now=Now()).first().now)

    def test_raw_sql_expression(self):
        qs = Book.objects.annotate(x=RawSQL("%s + 1", (41,), output_field=models.IntegerField()))
        self.assertEqual(qs.first().x, 42)
        self.assertEqual(list(Book.objects.annotate(k=Func(F("pages"), function="ABS")).values_list("k", flat=True)[:1]), [1])


class AggregateTests(ExprTestCase):
    def test_aggregate(self):
        result = Book.objects.aggregate(
            total=Sum("pages"), avg=Avg("pages"), lo=Min("pages"), hi=Max("pages"), n=Count("id"),
        )
        self.assertEqual(result["total"], 1045)
        self.assertAlmostEqual(result["avg"], 261.25)
        self.assertEqual((result["lo"], result["hi"], result["n"]), (1, 474, 4))
        self.assertEqual(Book.objects.aggregate(Count("author", distinct=True)), {"author__count": 4})
        self.assertEqual(Book.objects.aggregate(Sum("price")), {"price__sum": Decimal("15.49")})
        self.assertEqual(Book.objects.filter(pk__in=[]).aggregate(n=Count("id"), s=Sum("pages")), {"n": 0, "s": None})
        self.assertEqual(Book.objects.filter(pages=-1).aggregate(s=Sum("pages", default=0)), {"s": 0})
        self.assertEqual(Book.objects.count(), 4)

    def test_aggregate_filter(self):
        result = Book.objects.aggregate(
            big=Count("id", filter=Q(pages__gt=400)),
            big_pages=Sum("pages", filter=Q(pages__gt=400)),
            rated=Avg("rating", filter=Q(rating__isnull=False)),
        )
        self.assertEqual((result["big"], result["big_pages"]), (2, 886))
        self.assertAlmostEqual(result["rated"], 4.25)

    def test_group_by_values(self):
        Book.objects.create(title="Persuasion", author="Austen", pages=249)
        rows = list(Book.objects.values("author").annotate(n=Count("id"), p=Sum("pages")).order_by("author"))
        self.assertEqual(rows[0], {"author": "Austen", "n": 2, "p": 723})
        self.assertEqual(len(rows), 4)
        having = Book.objects.values("author").annotate(n=Count("id")).filter(n__gt=1)
        self.assertEqual(list(having), [{"author": "Austen", "n": 2}])
        self.assertEqual(Book.objects.values("author").annotate(n=Count("id")).count(), 4)
        self.assertEqual(Book.objects.values("author").annotate(n=Count("id")).aggregate(m=Max("n")), {"m": 2})

    def test_annotate_aggregate_over_annotation(self):
        qs = Book.objects.annotate(double=F("pages") * 2)
        self.assertEqual(qs.aggregate(s=Sum("double")), {"s": 2090})
        self.assertEqual(Book.objects.all()[:2].aggregate(n=Count("id")), {"n": 2})
        self.assertEqual(Book.objects.values("author").distinct().aggregate(n=Count("author")), {"n": 4})

    def test_alias(self):
        qs = Book.objects.alias(double=F("pages") * 2).filter(double__gt=900)
        self.assertEqual(titles(qs), ["Emma"])
        self.assertFalse(hasattr(qs.get(), "double"))
        self.assertEqual(list(Book.objects.alias(d=F("pages") * -1).order_by("d").values_list("pages", flat=True)[:1]), [474])

    def test_non_numeric_aggregate_is_refused(self):
        with self.assertRaisesMessage(FieldError, "Cannot compute Sum('title'): 'title' is a CharField, not a number."):
            Book.objects.aggregate(Sum("title"))
        with self.assertRaisesMessage(FieldError, "Cannot compute Avg('published')"):
            Book.objects.aggregate(Avg("published"))
        # Min/Max work on any comparable type.
        self.assertEqual(Book.objects.aggregate(Min("title")), {"title__min": "50% off_sale\\"})

    def test_aggregate_errors(self):
        with self.assertRaisesMessage(TypeError, "Count does not allow default."):
            Count("id", default=0)
        with self.assertRaisesMessage(TypeError, "Max does not allow distinct."):
            Max("pages", distinct=True)
        with self.assertRaisesMessage(TypeError, "is not an aggregate expression"):
            Book.objects.aggregate(x=F("pages"))
        with self.assertRaisesMessage(FieldError, "Cannot compute Sum('n'): 'n' is an aggregate"):
            list(Book.objects.annotate(n=Count("id")).annotate(s=Sum("n")))
        with self.assertRaisesMessage(FieldError, "Using an aggregate in order_by() without also including it in annotate() is not allowed"):
            Book.objects.order_by(Count("id"))


class JSONTests(ExprTestCase):
    def test_key_transforms(self):
        self.assertEqual(titles(Book.objects.filter(data__lang="en")), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(data__n__gt=2)), ["Dune", "Faust"])
        self.assertEqual(titles(Book.objects.filter(data__n__lte=3)), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(data__tags__0="sf")), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(data__meta__ed=1)), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(data__lang__in=["de", "fr"])), ["Faust"])
        self.assertEqual(titles(Book.objects.filter(data__lang__istartswith="E")), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(**{"data__odd key's name": True})), ["Emma"])
        self.assertEqual(titles(Book.objects.filter(data__tags__isnull=False)), ["Dune"])
        self.assertEqual(titles(Book.objects.exclude(data__lang="en").filter(data__isnull=False)), ["Faust"])
        self.assertEqual(
            list(Book.objects.filter(pk=self.b1.pk).values_list("data__lang", "data__n")), [("en", 3)]
        )

    def test_group_by_key(self):
        rows = Book.objects.filter(data__has_key="lang").values("data__lang").annotate(n=Count("id"))
        self.assertEqual(sorted((r["data__lang"], r["n"]) for r in rows), [("de", 1), ("en", 2)])
        ordered = list(rows.order_by("data__lang").values_list("data__lang", flat=True))
        self.assertEqual(ordered, ["de", "en"])
        self.assertEqual(rows.count(), 2)

    def test_has_key(self):
        self.assertEqual(titles(Book.objects.filter(data__has_key="tags")), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(data__has_keys=["lang", "n"])), ["Dune", "Emma", "Faust"])
        self.assertEqual(titles(Book.objects.filter(data__has_any_keys=["tags", "odd key's name"])), ["Dune", "Emma"])
        self.assertEqual(titles(Book.objects.filter(data__meta__has_key="ed")), ["Dune"])
        self.assertEqual(titles(Book.objects.filter(data__has_key="x') OR 1=1 --")), [])
        self.assertEqual(titles(Book.objects.filter(data__has_key='a"b')), [])


class MiscTests(ExprTestCase):
    def test_raw(self):
        table = Book._meta.db_table
        qn = connection.ops.quote_name
        raw = Book.objects.raw("SELECT * FROM %s WHERE %s > %%s" % (qn(table), qn("pages")), [400])
        self.assertEqual(sorted(b.title for b in raw), ["Dune", "Emma"])
        raw = Book.objects.raw(
            "SELECT %s AS pk_alias, %s AS label FROM %s" % (qn("id"), qn("title"), qn(table)),
            translations={"pk_alias": "id"},
        )
        books = sorted(raw, key=lambda b: b.label)
        self.assertEqual(books[1].label, "Dune")
        self.assertEqual(books[1].pk, self.b1.pk)
        with self.assertNumQueries(1):
            self.assertEqual(books[1].pages, 412)  # deferred field loads on access
        self.assertIn("SELECT", repr(raw))

    def test_explain(self):
        if not connection.features.supports_explaining_query_execution:
            self.skipTest("no EXPLAIN on this database")
        text = Book.objects.filter(pages__gt=1).explain()
        self.assertTrue(text)
        with self.assertRaises(ValueError):
            Book.objects.explain(format="nonsense")
        with self.assertRaisesMessage(ValueError, "Invalid option name: 'x; DROP TABLE y'."):
            Book.objects.explain(**{"x; DROP TABLE y": True})

    def test_select_for_update(self):
        with transaction.atomic():
            self.assertEqual(len(list(Book.objects.select_for_update())), 4)
            if connection.features.has_select_for_update_nowait:
                self.assertEqual(len(list(Book.objects.select_for_update(nowait=True))), 4)
            if connection.features.has_select_for_update_skip_locked:
                self.assertEqual(len(list(Book.objects.select_for_update(skip_locked=True))), 4)
            if connection.features.has_select_for_update_of:
                self.assertEqual(len(list(Book.objects.select_for_update(of=("self",)))), 4)
        with self.assertRaisesMessage(ValueError, "The nowait option cannot be used with skip_locked."):
            Book.objects.select_for_update(nowait=True, skip_locked=True)
        with self.assertRaisesMessage(FieldError, "Invalid field name(s) given in select_for_update(of=(...))"):
            Book.objects.select_for_update(of=("books; --",))


class ExpressionProtocolTests(SimpleTestCase):
    def test_declared_operands(self):
        combined = F("a") + F("b")
        self.assertEqual(combined.get_source_expressions(), [F("a"), F("b")])
        combined.set_source_expressions([F("c"), Value(1)])
        self.assertEqual((combined.lhs, combined.rhs), (F("c"), Value(1)))
        with self.assertRaisesMessage(ValueError, "CombinedExpression takes 2 source expression(s), not 1."):
            combined.set_source_expressions([F("c")])
        with self.assertRaisesMessage(ValueError, "Value takes 0 source expression(s), not 1."):
            Value(1).set_source_expressions([F("x")])

    def test_null_placement(self):
        from types import SimpleNamespace

        class Compiler:
            def compile(self, node):
                return '"col"', [7]

        def render(order_by, modifier=False, nulls_first_by_default=False):
            features = SimpleNamespace(
                supports_order_by_nulls_modifier=modifier, order_by_nulls_first=nulls_first_by_default,
            )
            return order_by.as_sql(Compiler(), SimpleNamespace(features=features))

        self.assertEqual(render(F("x").asc(nulls_last=True), modifier=True), ('"col" ASC NULLS LAST', [7]))
        self.assertEqual(render(F("x").desc(nulls_first=True), modifier=True), ('"col" DESC NULLS FIRST', [7]))
        # Without the modifier, a nullness test sorts first when needed; the
        # expression (and its parameters) then appear twice.
        self.assertEqual(
            render(F("x").asc(nulls_last=True), nulls_first_by_default=True),
            ('"col" IS NULL, "col" ASC', [7, 7]),
        )
        self.assertEqual(render(F("x").asc(nulls_first=True)), ('"col" IS NOT NULL, "col" ASC', [7, 7]))
        # Descending order flips where the database puts NULLs.
        self.assertEqual(render(F("x").desc(nulls_first=True)), ('"col" DESC', [7]))
        self.assertEqual(render(F("x").asc(nulls_first=True), nulls_first_by_default=True), ('"col" ASC', [7]))
        self.assertEqual(render(F("x").asc()), ('"col" ASC', [7]))


class SelectForUpdateAutocommitTests(TransactionTestCase):
    def test_outside_atomic_is_refused(self):
        Book.objects.create(title="x", author="y", pages=1)
        qs = Book.objects.select_for_update()
        if connection.features.has_select_for_update:
            with self.assertRaisesMessage(
                TransactionManagementError,
                "select_for_update cannot be used outside of a transaction.",
            ):
                list(qs)
        else:
            # SQLite has no row locks: the clause is left out.
            self.assertEqual(len(list(qs)), 1)
        self.assertEqual(len(list(Book.objects.all())), 1)
