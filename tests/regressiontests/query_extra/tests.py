"""QuerySet.extra(): trusted SQL fragments added to SELECT, WHERE, FROM and
ORDER BY, with every value passed as a parameter."""
from django.core.exceptions import FieldError
from django.db.models import Count, Q
from django.db.utils import NotSupportedError
from django.test import TestCase

from .models import Article, Reporter

ARTICLE = "query_extra_article"
REPORTER = "query_extra_reporter"


def headlines(queryset):
    return [article.headline for article in queryset]


class ExtraTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = Reporter.objects.create(name="Ann")
        cls.bob = Reporter.objects.create(name="Bob")
        Article.objects.create(headline="alpha", pages=10, reporter=cls.ann)
        Article.objects.create(headline="beta", pages=20, reporter=cls.bob)
        Article.objects.create(headline="gamma", pages=30, reporter=cls.ann)
        Article.objects.create(headline="delta", pages=40, reporter=None)


class ExtraSelectTests(ExtraTestCase):
    def test_select_becomes_an_attribute_of_each_instance(self):
        articles = Article.objects.extra(select={"double": "pages * 2"})
        self.assertEqual([(a.headline, a.double) for a in articles],
                         [("alpha", 20), ("beta", 40), ("delta", 80), ("gamma", 60)])

    def test_select_params_fill_the_placeholders_in_order(self):
        articles = Article.objects.extra(
            select={"scaled": "pages * %s", "shifted": "pages + %s + %s"},
            select_params=(3, 100, 5),
        ).filter(headline="beta")
        article = articles.get()
        self.assertEqual((article.scaled, article.shifted), (60, 125))

    def test_values_without_names_includes_the_extra_aliases(self):
        row = Article.objects.extra(select={"double": "pages * 2"}).values().get(headline="alpha")
        self.assertEqual(row["double"], 20)
        self.assertEqual(row["headline"], "alpha")

    def test_values_keeps_only_the_named_aliases(self):
        rows = Article.objects.extra(select={"double": "pages * 2", "triple": "pages * 3"})
        self.assertEqual(list(rows.filter(pages=10).values("headline", "triple")),
                         [{"headline": "alpha", "triple": 30}])

    def test_values_list_follows_the_given_order(self):
        rows = Article.objects.extra(select={"double": "pages * 2"}).filter(pages__lte=20)
        self.assertEqual(list(rows.values_list("double", "headline")), [(20, "alpha"), (40, "beta")])
        self.assertEqual(list(rows.values_list("headline", "double")), [("alpha", 20), ("beta", 40)])
        self.assertEqual(list(rows.values_list("double", flat=True)), [20, 40])
        named = rows.values_list("double", "headline", named=True).first()
        self.assertEqual((named.double, named.headline), (20, "alpha"))

    def test_extra_after_values_is_not_selected(self):
        rows = Article.objects.filter(pages=10).values("headline").extra(select={"double": "pages * 2"})
        self.assertEqual(list(rows), [{"headline": "alpha"}])

    def test_select_with_select_related(self):
        article = Article.objects.select_related("reporter").extra(
            select={"double": "pages * 2"}).get(headline="gamma")
        with self.assertNumQueries(0):
            self.assertEqual((article.double, article.reporter.name), (60, "Ann"))

    def test_select_may_read_another_table(self):
        count_sql = "SELECT COUNT(*) FROM %s WHERE %s.reporter_id = %s.id" % (ARTICLE, ARTICLE, REPORTER)
        reporters = Reporter.objects.extra(select={"written": count_sql}).order_by("name")
        self.assertEqual([(r.name, r.written) for r in reporters], [("Ann", 2), ("Bob", 1)])

    def test_literal_percent_is_doubled(self):
        rows = Article.objects.extra(select={"tag": "'100%%'"}).filter(pages=10)
        self.assertEqual(list(rows.values_list("tag", flat=True)), ["100%"])

    def test_select_with_annotate_groups_by_the_fragment(self):
        rows = Reporter.objects.extra(select={"upper_name": "UPPER(name)"}).annotate(
            n=Count("article")).order_by("name")
        self.assertEqual([(r.upper_name, r.n) for r in rows], [("ANN", 2), ("BOB", 1)])


class ExtraWhereTests(ExtraTestCase):
    def test_where_fragments_are_anded(self):
        articles = Article.objects.extra(where=["pages > %s", "pages < %s"], params=[10, 40])
        self.assertEqual(headlines(articles), ["beta", "gamma"])

    def test_params_are_never_pasted_into_the_sql(self):
        # Pasted in, this value would match every row.
        hostile = "alpha' OR '1'='1"
        self.assertEqual(list(Article.objects.extra(where=["headline = %s"], params=[hostile])), [])
        Article.objects.create(headline=hostile, pages=1)
        self.assertEqual(headlines(Article.objects.extra(where=["headline = %s"], params=[hostile])),
                         [hostile])

    def test_where_combines_with_filter_and_exclude(self):
        articles = Article.objects.filter(reporter=self.ann).extra(where=["pages > %s"], params=[15])
        self.assertEqual(headlines(articles), ["gamma"])
        self.assertEqual(headlines(articles.exclude(headline="gamma")), [])
        self.assertEqual(headlines(Article.objects.extra(where=["pages > 15"]).exclude(
            reporter=self.ann)), ["beta", "delta"])

    def test_where_inside_or_filters(self):
        articles = Article.objects.filter(Q(pages=10) | Q(pages=40)).extra(where=["pages > 20"])
        self.assertEqual(headlines(articles), ["delta"])

    def test_count_exists_and_aggregate(self):
        articles = Article.objects.extra(where=["pages >= %s"], params=[20])
        self.assertEqual(articles.count(), 3)
        self.assertTrue(articles.exists())
        self.assertFalse(Article.objects.extra(where=["pages > 1000"]).exists())
        self.assertEqual(articles.aggregate(n=Count("id"))["n"], 3)

    def test_update_applies_the_conditions(self):
        self.assertEqual(Article.objects.extra(where=["pages < %s"], params=[25]).update(pages=1), 2)
        self.assertEqual(sorted(Article.objects.values_list("pages", flat=True)), [1, 1, 30, 40])

    def test_delete_applies_the_conditions(self):
        Article.objects.extra(where=["pages > %s"], params=[25]).delete()
        self.assertEqual(headlines(Article.objects.all()), ["alpha", "beta"])


class ExtraTablesTests(ExtraTestCase):
    def join_where(self):
        return ["%s.id = %s.reporter_id" % (REPORTER, ARTICLE)]

    def test_tables_are_added_to_from(self):
        articles = Article.objects.extra(
            tables=[REPORTER], where=self.join_where() + ["%s.name = %%s" % REPORTER], params=["Ann"])
        self.assertEqual(headlines(articles), ["alpha", "gamma"])

    def test_a_table_already_in_the_query_is_not_repeated(self):
        articles = Article.objects.filter(reporter__name="Bob").extra(tables=[REPORTER, ARTICLE])
        self.assertEqual(headlines(articles), ["beta"])

    def test_count_with_tables(self):
        self.assertEqual(Article.objects.extra(tables=[REPORTER], where=self.join_where()).count(), 3)

    def test_update_with_tables_goes_through_the_primary_keys(self):
        changed = Article.objects.extra(
            tables=[REPORTER], where=self.join_where() + ["%s.name = 'Bob'" % REPORTER],
        ).update(pages=99)
        self.assertEqual(changed, 1)
        self.assertEqual(Article.objects.get(pages=99).headline, "beta")


class ExtraOrderingTests(ExtraTestCase):
    def test_order_by_an_extra_alias(self):
        articles = Article.objects.extra(select={"neg": "0 - pages"}, order_by=["neg"])
        self.assertEqual(headlines(articles), ["delta", "gamma", "beta", "alpha"])
        self.assertEqual(headlines(articles.extra(order_by=["-neg"])), ["alpha", "beta", "gamma", "delta"])

    def test_order_by_table_dot_column(self):
        articles = Article.objects.extra(order_by=["-%s.pages" % ARTICLE])
        self.assertEqual(headlines(articles), ["delta", "gamma", "beta", "alpha"])

    def test_order_by_field_names(self):
        self.assertEqual(headlines(Article.objects.extra(order_by=["-pages"])),
                         ["delta", "gamma", "beta", "alpha"])

    def test_order_by_accepts_an_extra_alias(self):
        articles = Article.objects.extra(select={"neg": "0 - pages"}).order_by("-neg")
        self.assertEqual(headlines(articles), ["alpha", "beta", "gamma", "delta"])

    def test_order_by_replaces_extra_ordering(self):
        articles = Article.objects.extra(order_by=["-pages"]).order_by("headline")
        self.assertEqual(headlines(articles), ["alpha", "beta", "delta", "gamma"])

    def test_reverse_first_last_and_slicing(self):
        articles = Article.objects.extra(select={"neg": "0 - pages"}, order_by=["neg"])
        self.assertEqual(headlines(articles.reverse()), ["alpha", "beta", "gamma", "delta"])
        self.assertEqual((articles.first().headline, articles.last().headline), ("delta", "alpha"))
        self.assertEqual(headlines(articles[1:3]), ["gamma", "beta"])
        self.assertTrue(articles.ordered)

    def test_order_by_an_alias_that_values_left_out(self):
        rows = Article.objects.extra(select={"neg": "0 - pages"}, order_by=["neg"]).values_list(
            "headline", flat=True)
        self.assertEqual(list(rows), ["delta", "gamma", "beta", "alpha"])

    def test_distinct_with_extra_select_and_ordering(self):
        rows = Article.objects.extra(select={"even": "pages - pages"}).values_list("even", flat=True)
        self.assertEqual(list(rows.distinct().order_by()), [0])
        self.assertEqual(rows.distinct().count(), 1)


class ExtraCombinationTests(ExtraTestCase):
    def test_and_or_of_extra_querysets(self):
        low = Article.objects.extra(where=["pages < 25"])
        high = Article.objects.extra(where=["pages > 15"])
        self.assertEqual(headlines(low & high), ["beta"])
        self.assertEqual(headlines(low | Article.objects.filter(pages=40)), ["alpha", "beta", "delta"])

    def test_combining_merges_selects(self):
        left = Article.objects.extra(select={"double": "pages * 2"})
        right = Article.objects.extra(select={"triple": "pages * 3"}).filter(pages=10)
        article = (left & right).get()
        self.assertEqual((article.double, article.triple), (20, 30))

    def test_combining_different_sql_for_one_alias_is_refused(self):
        left = Article.objects.extra(select={"n": "pages * 2"})
        right = Article.objects.extra(select={"n": "pages * 3"})
        with self.assertRaisesMessage(ValueError, "'n'"):
            left & right

    def test_pk_in_subquery_of_an_extra_queryset(self):
        inner = Article.objects.extra(where=["pages > 25"]).values("pk")
        self.assertEqual(headlines(Article.objects.filter(pk__in=inner)), ["delta", "gamma"])


class ExtraStatementCacheTests(ExtraTestCase):
    """An extra() query is never answered with a statement compiled for a
    query of another shape."""

    def test_extra_where_and_plain_filter_do_not_share_a_statement(self):
        self.assertEqual(Article.objects.get(pages=10).headline, "alpha")
        self.assertEqual(Article.objects.extra(where=["pages > 35"]).get().headline, "delta")
        self.assertEqual(Article.objects.get(pages=20).headline, "beta")
        self.assertEqual(Article.objects.extra(where=["pages < 15"]).get().headline, "alpha")

    def test_same_fragment_with_new_params(self):
        for low, expected in [(35, ["delta"]), (25, ["delta", "gamma"]), (5, ["alpha", "beta", "delta", "gamma"])]:
            with self.subTest(low=low):
                self.assertEqual(headlines(Article.objects.extra(where=["pages > %s"], params=[low])), expected)

    def test_extra_select_after_a_plain_query_of_the_same_shape(self):
        self.assertFalse(hasattr(Article.objects.filter(pages=10).get(), "double"))
        self.assertEqual(Article.objects.extra(select={"double": "pages * 2"}).filter(pages=10).get().double, 20)
        self.assertEqual(Article.objects.extra(select={"double": "pages * %s"}, select_params=[5])
                         .filter(pages=10).get().double, 50)
        self.assertFalse(hasattr(Article.objects.filter(pages=10).get(), "double"))

    def test_extra_ordering_and_tables_are_not_cached_as_plain_queries(self):
        self.assertEqual(headlines(Article.objects.filter(pages__gt=5)), ["alpha", "beta", "delta", "gamma"])
        self.assertEqual(headlines(Article.objects.filter(pages__gt=5).extra(order_by=["-pages"])),
                         ["delta", "gamma", "beta", "alpha"])
        with_table = Article.objects.filter(pages__gt=5).extra(
            tables=[REPORTER], where=["%s.id = %s.reporter_id" % (REPORTER, ARTICLE)])
        self.assertEqual(headlines(with_table), ["alpha", "beta", "gamma"])
        self.assertEqual(headlines(Article.objects.filter(pages__gt=5)), ["alpha", "beta", "delta", "gamma"])


class ExtraErrorTests(ExtraTestCase):
    def test_placeholder_and_value_counts_must_match(self):
        with self.assertRaisesMessage(ValueError, "the where fragments have 1 %s placeholders but 2 values"):
            Article.objects.extra(where=["pages > %s"], params=[1, 2])
        with self.assertRaisesMessage(ValueError, "the select fragments have 2 %s placeholders but 1 values"):
            Article.objects.extra(select={"a": "%s", "b": "%s"}, select_params=[1])
        with self.assertRaisesMessage(ValueError, "select_params were given without select"):
            Article.objects.extra(select_params=[1])

    def test_lists_must_be_lists(self):
        with self.assertRaisesMessage(TypeError, "where must be a list"):
            Article.objects.extra(where="pages > 1")
        with self.assertRaisesMessage(TypeError, "select must be a dict"):
            Article.objects.extra(select=["pages"])
        with self.assertRaisesMessage(TypeError, "tables must hold strings"):
            Article.objects.extra(tables=[1])

    def test_aliases_and_names_are_checked(self):
        with self.assertRaisesMessage(ValueError, "Column aliases cannot contain whitespace"):
            Article.objects.extra(select={'x" FROM y; --': "1"})
        with self.assertRaisesMessage(ValueError, "'pages' conflicts with a field"):
            Article.objects.extra(select={"pages": "1"})
        with self.assertRaisesMessage(ValueError, "tables needs table or column names"):
            Article.objects.extra(tables=["a; DROP TABLE b"])
        with self.assertRaisesMessage(ValueError, "order_by needs table or column names"):
            Article.objects.extra(order_by=["a.b c"])
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field"):
            Article.objects.extra(order_by=["-nope"])

    def test_annotation_and_extra_alias_may_not_clash(self):
        with self.assertRaisesMessage(ValueError, "'n' conflicts with an extra(select=) alias"):
            Reporter.objects.extra(select={"n": "1"}).annotate(n=Count("article"))
        with self.assertRaisesMessage(ValueError, "'n' conflicts with a field or an annotation"):
            Reporter.objects.annotate(n=Count("article")).extra(select={"n": "1"})

    def test_sliced_and_combined_querysets_are_refused(self):
        with self.assertRaisesMessage(TypeError, "Cannot change a query once a slice has been taken."):
            Article.objects.all()[:1].extra(where=["1 = 1"])
        with self.assertRaisesMessage(NotSupportedError, "Calling QuerySet.extra() after union()"):
            Article.objects.union(Article.objects.all()).extra(where=["1 = 1"])
