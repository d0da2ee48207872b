"""prefetch_related(): one extra query per relation."""
from django.db.models import Prefetch, prefetch_related_objects
from django.test import TestCase

from regressiontests.rel_joins.models import Book, Chapter, Country, Person, Publisher, UserProfile


class PrefetchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        fr = Country.objects.create(name="France")
        cls.pa = Publisher.objects.create(name="Pa", country=fr)
        cls.pb = Publisher.objects.create(name="Pb", country=fr)
        cls.ann = Person.objects.create(name="Ann")
        cls.bob = Person.objects.create(name="Bob")
        cls.cid = Person.objects.create(name="Cid")
        UserProfile.objects.create(user=cls.bob, flavor="lemon")
        cls.dune = Book.objects.create(title="Dune", pages=100, publisher=cls.pa)
        cls.emma = Book.objects.create(title="Emma", pages=500, publisher=cls.pb)
        cls.odd = Book.objects.create(title="Odd", pages=50)
        cls.dune.authors.add(cls.ann, cls.bob)
        cls.emma.authors.add(cls.ann)
        for book, title in [(cls.dune, "d1"), (cls.dune, "d2"), (cls.emma, "e1")]:
            Chapter.objects.create(book=book, title=title)

    def test_m2m_forward(self):
        with self.assertNumQueries(2):
            books = list(Book.objects.prefetch_related("authors"))
            self.assertEqual(
                [[a.name for a in b.authors.all()] for b in books],
                [["Ann", "Bob"], ["Ann"], []],
            )

    def test_m2m_reverse(self):
        with self.assertNumQueries(2):
            people = list(Person.objects.prefetch_related("book_set"))
            self.assertEqual([[b.title for b in p.book_set.all()] for p in people], [["Dune", "Emma"], ["Dune"], []])

    def test_reverse_fk_and_forward_fk(self):
        with self.assertNumQueries(3):
            books = list(Book.objects.prefetch_related("chapters", "publisher"))
            self.assertEqual([[c.title for c in b.chapters.all()] for b in books], [["d1", "d2"], ["e1"], []])
            self.assertEqual([b.publisher and b.publisher.name for b in books], ["Pa", "Pb", None])
            # The chapters know their book without a query.
            self.assertIs(books[0].chapters.all()[0].book, books[0])

    def test_nested(self):
        with self.assertNumQueries(3):
            people = list(Person.objects.prefetch_related("book_set__chapters"))
            self.assertEqual(
                [c.title for b in people[0].book_set.all() for c in b.chapters.all()],
                ["d1", "d2", "e1"],
            )
        with self.assertNumQueries(3):
            pubs = list(Publisher.objects.prefetch_related("book_set__authors").order_by("name"))
            self.assertEqual([a.name for a in pubs[0].book_set.all()[0].authors.all()], ["Ann", "Bob"])

    def test_reverse_one_to_one(self):
        with self.assertNumQueries(2):
            people = list(Person.objects.prefetch_related("userprofile"))
            self.assertEqual(people[1].userprofile.flavor, "lemon")
            with self.assertRaises(UserProfile.DoesNotExist):
                people[0].userprofile

    def test_prefetch_object_queryset_and_to_attr(self):
        long_books = Book.objects.filter(pages__gt=80).order_by("-pages")
        with self.assertNumQueries(2):
            people = list(Person.objects.prefetch_related(
                Prefetch("book_set", queryset=long_books, to_attr="long_books")
            ))
            self.assertEqual([[b.title for b in p.long_books] for p in people], [["Emma", "Dune"], ["Dune"], []])
        with self.assertNumQueries(2):
            people = list(Person.objects.prefetch_related(Prefetch("book_set", queryset=long_books)))
            self.assertEqual([b.title for b in people[0].book_set.all()], ["Emma", "Dune"])

    def test_prefetch_related_objects(self):
        books = list(Book.objects.all())
        with self.assertNumQueries(2):
            prefetch_related_objects(books, "authors", "publisher")
        with self.assertNumQueries(0):
            self.assertEqual([a.name for a in books[0].authors.all()], ["Ann", "Bob"])
            self.assertEqual(books[1].publisher.name, "Pb")

    def test_cache_cleared_by_writes(self):
        book = Book.objects.prefetch_related("authors").get(title="Odd")
        with self.assertNumQueries(0):
            self.assertEqual(list(book.authors.all()), [])
        book.authors.add(self.cid)
        self.assertEqual(list(book.authors.all()), [self.cid])

    def test_errors(self):
        with self.assertRaisesMessage(AttributeError, "Cannot find 'nope' on Book object, 'nope' is an invalid parameter to prefetch_related()"):
            list(Book.objects.prefetch_related("nope"))
        with self.assertRaisesMessage(ValueError, "'title' does not resolve to an item that supports prefetching"):
            list(Book.objects.prefetch_related("title"))
        with self.assertRaisesMessage(ValueError, "Prefetch querysets cannot use raw(), values(), and values_list()."):
            Prefetch("authors", queryset=Person.objects.values("name"))
        self.assertEqual(Book.objects.prefetch_related("authors").prefetch_related(None)._prefetch_related_lookups, ())
