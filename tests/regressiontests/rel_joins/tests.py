"""Lookups, exclude, ordering, values and aggregates across relations in
both directions and several hops; join promotion; FilteredRelation."""
from django.core.exceptions import FieldError
from django.db.models import Count, F, FilteredRelation, Max, Q, Sum
from django.test import TestCase

from .models import Book, Chapter, Country, Person, Publisher, UserProfile


class RelationDataMixin:
    @classmethod
    def setUpTestData(cls):
        cls.fr = Country.objects.create(name="France")
        cls.uk = Country.objects.create(name="UK")
        cls.pa = Publisher.objects.create(name="Pa", country=cls.fr)
        cls.pb = Publisher.objects.create(name="Pb", country=cls.uk)
        cls.ann = Person.objects.create(name="Ann")
        cls.bob = Person.objects.create(name="Bob")
        cls.cid = Person.objects.create(name="Cid")
        UserProfile.objects.create(user=cls.ann, flavor="vanilla")
        UserProfile.objects.create(user=cls.bob, flavor="lemon")
        cls.dune = Book.objects.create(title="Dune", pages=100, publisher=cls.pa, editor=cls.bob)
        cls.emma = Book.objects.create(title="Emma", pages=500, publisher=cls.pb)
        cls.odd = Book.objects.create(title="Odd", pages=50)
        cls.dune.authors.add(cls.ann, cls.bob)
        cls.emma.authors.add(cls.ann)
        Chapter.objects.create(book=cls.dune, title="c1")
        Chapter.objects.create(book=cls.dune, title="c2")
        Chapter.objects.create(book=cls.emma, title="e1")


def names(qs):
    return [str(o) for o in qs]


class FilterAcrossRelationsTests(RelationDataMixin, TestCase):
    def test_forward_fk(self):
        self.assertEqual(names(Book.objects.filter(publisher__name="Pa")), ["Dune"])
        self.assertEqual(names(Book.objects.filter(publisher__country__name="UK")), ["Emma"])
        self.assertEqual(names(Book.objects.filter(publisher__pk=self.pa.pk)), ["Dune"])

    def test_reverse_fk(self):
        self.assertEqual(names(Person.objects.filter(edited__title="Dune")), ["Bob"])
        self.assertEqual(names(Country.objects.filter(publishers__book__title="Emma")), ["UK"])
        self.assertEqual(names(Book.objects.filter(chapters__title="e1")), ["Emma"])

    def test_m2m_both_directions(self):
        self.assertEqual(names(Book.objects.filter(authors__name="Ann")), ["Dune", "Emma"])
        self.assertEqual(names(Person.objects.filter(book__title="Emma")), ["Ann"])
        self.assertEqual(names(Publisher.objects.filter(book__authors__name="Bob")), ["Pa"])
        self.assertEqual(names(Person.objects.filter(book__publisher__country__name="UK")), ["Ann"])
        self.assertEqual(names(Book.objects.filter(authors=self.bob)), ["Dune"])
        self.assertEqual(names(Person.objects.filter(book__in=[self.emma])), ["Ann"])

    def test_one_to_one_both_directions(self):
        self.assertEqual(names(Person.objects.filter(userprofile__flavor="vanilla")), ["Ann"])
        self.assertEqual(
            [p.flavor for p in UserProfile.objects.filter(user__name="Bob")], ["lemon"]
        )

    def test_multi_valued_single_vs_chained_filter(self):
        # One filter() call: the same book must match both conditions.
        self.assertEqual(names(Person.objects.filter(book__title="Dune", book__pages=500)), [])
        # Chained calls: each condition may match a different book.
        self.assertEqual(
            names(Person.objects.filter(book__title="Dune").filter(book__pages=500)), ["Ann"]
        )

    def test_exclude_across_m2m_uses_subquery(self):
        qs = Person.objects.exclude(book__title="Dune")
        self.assertEqual(names(qs), ["Cid"])
        self.assertIn("IN (SELECT", str(qs.query))
        self.assertEqual(names(Book.objects.exclude(authors__name="Ann")), ["Odd"])
        self.assertEqual(names(Publisher.objects.exclude(book__chapters__title="e1")), ["Pa"])

    def test_exclude_nullable_fk_keeps_null_rows(self):
        self.assertEqual(names(Book.objects.exclude(editor__name="Bob")), ["Emma", "Odd"])
        self.assertEqual(names(Book.objects.exclude(publisher__country__name="UK")), ["Dune", "Odd"])

    def test_isnull_and_outer_joins(self):
        qs = Person.objects.filter(book__isnull=True)
        self.assertEqual(names(qs), ["Cid"])
        self.assertIn("LEFT OUTER JOIN", str(qs.query))
        self.assertEqual(names(Book.objects.filter(editor__isnull=True)), ["Emma", "Odd"])
        self.assertEqual(names(Book.objects.filter(publisher__name__isnull=True)), ["Odd"])
        self.assertEqual(names(Person.objects.filter(userprofile__isnull=False)), ["Ann", "Bob"])
        inner = Book.objects.filter(publisher__name="Pa")
        self.assertIn("INNER JOIN", str(inner.query))
        self.assertNotIn("LEFT OUTER", str(inner.query))

    def test_or_promotes_to_outer_join(self):
        qs = Book.objects.filter(Q(publisher__name="Pa") | Q(pages__lt=60))
        self.assertEqual(names(qs), ["Dune", "Odd"])
        self.assertIn("LEFT OUTER JOIN", str(qs.query))
        qs = Book.objects.filter(Q(editor__name="Bob") | Q(publisher__country__name="UK"))
        self.assertEqual(names(qs), ["Dune", "Emma"])

    def test_f_across_relation(self):
        self.assertEqual(names(Book.objects.filter(title__lt=F("publisher__name"))), ["Dune", "Emma"])
        self.assertEqual(names(Book.objects.filter(title__gt=F("publisher__name"))), [])
        # Multi-valued: one row per matching author, unless distinct().
        self.assertEqual(names(Book.objects.filter(pages__gt=F("authors__id")).distinct()), ["Dune", "Emma"])

    def test_unknown_relation_field(self):
        with self.assertRaisesMessage(
            FieldError,
            "Cannot resolve keyword 'nope' into field. Choices are: book, edited, id, name, userprofile",
        ):
            Book.objects.filter(authors__nope=1)
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field."):
            Person.objects.filter(nope__title="x")
        with self.assertRaisesMessage(ValueError, 'Cannot query "Dune": Must be "Person" instance.'):
            list(Book.objects.filter(authors=self.dune))

    def test_update_and_delete_with_joins(self):
        self.assertEqual(Book.objects.filter(authors__name="Ann").update(pages=F("pages") + 1), 2)
        self.assertEqual(Book.objects.get(pk=self.emma.pk).pages, 501)
        with self.assertRaisesMessage(FieldError, "Joined field references are not permitted in this query"):
            Book.objects.update(title=F("publisher__name"))
        deleted, per_model = Chapter.objects.filter(book__publisher__name="Pa").delete()
        self.assertEqual(deleted, 2)


class OrderingValuesAggregatesTests(RelationDataMixin, TestCase):
    def test_order_by_related_field(self):
        books = Book.objects.filter(publisher__isnull=False)
        self.assertEqual(names(books.order_by("publisher__country__name")), ["Dune", "Emma"])
        self.assertEqual(names(books.order_by("-publisher__name")), ["Emma", "Dune"])
        # A relation orders by the related model's Meta.ordering ("-name").
        self.assertEqual(names(books.order_by("publisher")), ["Emma", "Dune"])
        self.assertEqual(names(books.order_by("publisher_id")), ["Dune", "Emma"])

    def test_values_across_relations(self):
        self.assertEqual(
            list(Book.objects.filter(publisher__isnull=False).values("title", "publisher__country__name")),
            [{"title": "Dune", "publisher__country__name": "France"},
             {"title": "Emma", "publisher__country__name": "UK"}],
        )
        self.assertEqual(
            list(Book.objects.values_list("title", "authors__name").order_by("title", "authors__name")),
            [("Dune", "Ann"), ("Dune", "Bob"), ("Emma", "Ann"), ("Odd", None)],
        )
        self.assertEqual(
            sorted(Person.objects.values_list("userprofile__flavor", flat=True).filter(userprofile__isnull=False)),
            ["lemon", "vanilla"],
        )
        self.assertEqual(list(Book.objects.filter(title="Dune").values_list("publisher", flat=True)), [self.pa.pk])

    def test_annotate_and_aggregate(self):
        counts = Person.objects.annotate(n=Count("book")).values_list("name", "n").order_by("name")
        self.assertEqual(list(counts), [("Ann", 2), ("Bob", 1), ("Cid", 0)])
        pubs = Publisher.objects.annotate(chapters=Count("book__chapters")).order_by("name")
        self.assertEqual([(p.name, p.chapters) for p in pubs], [("Pa", 2), ("Pb", 1)])
        self.assertEqual(Person.objects.aggregate(m=Max("book__pages"))["m"], 500)
        self.assertEqual(Book.objects.filter(authors__name="Ann").aggregate(s=Sum("pages"))["s"], 600)
        grouped = Book.objects.values("publisher__name").annotate(n=Count("id")).order_by("publisher__name")
        self.assertEqual(
            [(r["publisher__name"], r["n"]) for r in grouped if r["publisher__name"]],
            [("Pa", 1), ("Pb", 1)],
        )


class FilteredRelationTests(RelationDataMixin, TestCase):
    def test_condition_in_join(self):
        qs = Person.objects.annotate(
            long_books=FilteredRelation("book", condition=Q(book__pages__gt=300)),
        )
        self.assertEqual(names(qs.filter(long_books__isnull=False)), ["Ann"])
        self.assertEqual(
            list(qs.filter(long_books__isnull=False).values_list("name", "long_books__title")),
            [("Ann", "Emma")],
        )
        self.assertIn("long_books", str(qs.filter(long_books__title="Emma").query))

    def test_outer_join_keeps_rows(self):
        qs = Book.objects.annotate(
            first=FilteredRelation("chapters", condition=Q(chapters__title="c1")),
        ).values_list("title", "first__title").order_by("title")
        self.assertEqual(list(qs), [("Dune", "c1"), ("Emma", None), ("Odd", None)])

    def test_bad_condition(self):
        with self.assertRaisesMessage(ValueError, "FilteredRelation's condition doesn't support relations outside the 'book'"):
            Person.objects.annotate(x=FilteredRelation("book", condition=Q(edited__title="x")))
        with self.assertRaisesMessage(ValueError, "condition argument must be a Q() instance."):
            FilteredRelation("book", condition="x")
        with self.assertRaisesMessage(ValueError, "relation_name cannot be empty."):
            FilteredRelation("")


class DocExamplesTests(TestCase):
    """The ``>>>`` examples of docs/topics/db/queries-related.txt run."""

    def test_queries_related(self):
        import doctest
        import os

        from . import models

        path = os.path.normpath(os.path.join(
            os.path.dirname(__file__), "..", "..", "..", "docs", "topics", "db", "queries-related.txt",
        ))
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        globs = {name: getattr(models, name) for name in
                 ("Book", "Chapter", "Country", "Person", "Publisher", "UserProfile")}
        test = doctest.DocTestParser().get_doctest(text, globs, "queries-related", path, 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        failures = []
        runner.run(test, out=failures.append)
        self.assertEqual(runner.failures, 0, "".join(failures))
        self.assertGreater(len(test.examples), 30)


class CombineTests(RelationDataMixin, TestCase):
    def test_or_and_of_querysets_with_joins(self):
        either = Book.objects.filter(authors__name="Bob") | Book.objects.filter(publisher__name="Pb")
        self.assertEqual(names(either.distinct()), ["Dune", "Emma"])
        both = Book.objects.filter(authors__name="Ann") & Book.objects.filter(publisher__country__name="UK")
        self.assertEqual(names(both), ["Emma"])
        # A nullable relation on one side of an OR keeps the other rows.
        odd = Book.objects.filter(pages__lt=60) | Book.objects.filter(editor__name="Bob")
        self.assertEqual(names(odd), ["Dune", "Odd"])
