"""Run the ``>>>`` examples of docs/ref/differences.txt on this database."""
from doc_examples import run_doc_examples

from django.db.models import Count
from django.test import TestCase

from .models import Author, Book


class DifferencesPageTests(TestCase):
    def test_examples(self):
        run_doc_examples(self, "ref/differences.txt", {"Author": Author, "Book": Book}, more_than=8)


class GroupingTests(TestCase):
    """What the page says about GROUP BY and Meta.ordering, by the SQL."""

    @classmethod
    def setUpTestData(cls):
        alice = Author.objects.create(name="Alice")
        Book.objects.create(title="Beta", author=alice)
        Book.objects.create(title="Alpha", author=alice)

    def test_meta_ordering_stays_out_of_the_groups(self):
        grouped = Book.objects.values("author__name").annotate(books=Count("id"))
        self.assertNotIn("ORDER BY", str(grouped.query))
        self.assertEqual([row["books"] for row in grouped], [2])

    def test_meta_ordering_still_orders_plain_queries(self):
        self.assertEqual([b.title for b in Book.objects.all()], ["Alpha", "Beta"])

    def test_an_explicit_ordering_field_joins_the_grouping(self):
        grouped = Book.objects.values("author__name").annotate(books=Count("id")).order_by("title")
        self.assertEqual([row["books"] for row in grouped], [1, 1])
