"""prefetch_related(): one extra query per relation."""
from django.db.models import Prefetch, prefetch_related_objects
from django.test import TestCase

from regressiontests.rel_joins.models import Book, Chapter, Country, Person, Publisher, UserProfile


class PrefetchData(TestCase):
    """The rows every test here reads."""

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


class PrefetchTests(PrefetchData):
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

    def test_shared_path_is_fetched_once(self):
        # "book_set" is fetched once; the chapters continue from those books.
        with self.assertNumQueries(3):
            people = list(Person.objects.prefetch_related("book_set", "book_set__chapters"))
        with self.assertNumQueries(0):
            self.assertEqual([c.title for c in people[0].book_set.all()[0].chapters.all()], ["d1", "d2"])

    def test_walks_through_relations_already_fetched(self):
        publishers = list(Publisher.objects.prefetch_related("book_set"))
        with self.assertNumQueries(1):
            prefetch_related_objects(publishers, "book_set__authors")
        with self.assertNumQueries(0):
            prefetch_related_objects(publishers, "book_set")
            self.assertEqual([p.name for p in publishers[1].book_set.all()[0].authors.all()], ["Ann", "Bob"])

    def test_no_instances_no_query(self):
        with self.assertNumQueries(0):
            prefetch_related_objects([], "authors")
            self.assertEqual(list(Book.objects.none().prefetch_related("authors")), [])

    def test_lookups_of_the_prefetch_queryset_run_one_level_down(self):
        books = Book.objects.prefetch_related("chapters")
        with self.assertNumQueries(3):
            people = list(Person.objects.prefetch_related(Prefetch("book_set", queryset=books)))
        with self.assertNumQueries(0):
            self.assertEqual(
                [[c.title for c in b.chapters.all()] for b in people[0].book_set.all()],
                [["d1", "d2"], ["e1"]],
            )

    def test_to_attr_on_a_single_object_relation(self):
        with self.assertNumQueries(2):
            books = list(Book.objects.prefetch_related(Prefetch("publisher", to_attr="house")))
            self.assertEqual([b.house and b.house.name for b in books], ["Pa", "Pb", None])

    def test_to_attr_then_nested_lookup_through_it(self):
        long_books = Book.objects.filter(pages__gt=80)
        with self.assertNumQueries(3):
            people = list(Person.objects.prefetch_related(
                Prefetch("book_set", queryset=long_books, to_attr="long_books"),
                "long_books__chapters",
            ))
            self.assertEqual([c.title for c in people[1].long_books[0].chapters.all()], ["d1", "d2"])

    def test_to_attr_may_not_hide_a_field(self):
        with self.assertRaisesMessage(ValueError, "to_attr=userprofile conflicts with a field on the Person model."):
            list(Person.objects.prefetch_related(Prefetch("book_set", to_attr="userprofile")))

    def test_same_path_with_another_queryset_is_refused(self):
        with self.assertRaisesMessage(ValueError, "'book_set' lookup was already seen with a different queryset."):
            list(Person.objects.prefetch_related(
                "book_set", Prefetch("book_set", queryset=Book.objects.filter(pages__gt=80)),
            ))

    def test_values_rows_are_left_alone(self):
        with self.assertNumQueries(1):
            self.assertEqual(len(Book.objects.values("title").prefetch_related("authors")), 3)

    def test_plain_attribute_on_the_way(self):
        # A name that is an attribute of the instances (not a relation) is
        # walked through; only the last name must be prefetchable.
        books = list(Book.objects.all())
        for book in books:
            book.lead = book.authors.last()
        with self.assertNumQueries(1):
            prefetch_related_objects(books, "lead__userprofile")
        with self.assertNumQueries(0):
            flavors = [b.lead.userprofile.flavor for b in books if b.lead == self.bob]
        self.assertEqual(flavors, ["lemon"])


class PrefetchObjectTests(TestCase):
    def test_paths(self):
        prefetch = Prefetch("book_set__chapters", to_attr="parts")
        self.assertEqual(prefetch.prefetch_through, "book_set__chapters")
        self.assertEqual(prefetch.prefetch_to, "book_set__parts")
        self.assertEqual(prefetch.get_current_prefetch_to(0), "book_set")
        self.assertEqual(prefetch.get_current_prefetch_to(1), "book_set__parts")
        self.assertEqual(prefetch.get_current_to_attr(0), ("book_set", False))
        self.assertEqual(prefetch.get_current_to_attr(1), ("parts", True))
        prefetch.add_prefix("userprofile__user")
        self.assertEqual(prefetch.prefetch_through, "userprofile__user__book_set__chapters")
        self.assertEqual(prefetch.prefetch_to, "userprofile__user__book_set__parts")
        self.assertEqual(repr(prefetch), "<Prefetch: userprofile__user__book_set__parts>")

    def test_queryset_applies_to_the_last_level(self):
        chapters = Chapter.objects.all()
        prefetch = Prefetch("chapters__book", queryset=Book.objects.all())
        self.assertIsNone(prefetch.get_current_queryset(0))
        self.assertIsNotNone(prefetch.get_current_queryset(1))
        self.assertIsNone(Prefetch("chapters", queryset=None).get_current_queryset(0))
        self.assertIs(Prefetch("chapters", queryset=chapters).get_current_queryset(0), chapters)

    def test_equality_is_by_destination(self):
        self.assertEqual(Prefetch("authors"), Prefetch("authors", queryset=Person.objects.all()))
        self.assertNotEqual(Prefetch("authors"), Prefetch("authors", to_attr="people"))
        self.assertNotEqual(Prefetch("authors"), "authors")
        self.assertEqual(len({Prefetch("authors"), Prefetch("authors")}), 1)

    def test_pickling_does_not_evaluate_the_queryset(self):
        import pickle

        prefetch = Prefetch("authors", queryset=Person.objects.filter(name="Ann"), to_attr="anns")
        with self.assertNumQueries(0):
            copy = pickle.loads(pickle.dumps(prefetch))
        self.assertEqual((copy.prefetch_to, copy.to_attr), ("anns", "anns"))
        self.assertEqual(str(copy.queryset.query), str(prefetch.queryset.query))
        self.assertIsNone(prefetch.queryset._result_cache)
        self.assertEqual(pickle.loads(pickle.dumps(Prefetch("authors"))).queryset, None)

    def test_raw_querysets_are_refused(self):
        with self.assertRaisesMessage(ValueError, "Prefetch querysets cannot use raw()"):
            Prefetch("authors", queryset=Person.objects.raw("SELECT * FROM x"))
        with self.assertRaisesMessage(ValueError, "Prefetch querysets cannot use raw()"):
            Prefetch("authors", queryset=Person.objects.values_list("name"))


class PrefetchWalkTests(PrefetchData):
    """Lookups that pass through what the instances already hold."""

    def test_through_cached_single_relations_no_query(self):
        people = list(Person.objects.prefetch_related("userprofile"))
        # Ann has no profile (cached as missing), Bob's knows its user.
        with self.assertNumQueries(0):
            prefetch_related_objects(people, "userprofile__user")
        self.assertIs(people[1].userprofile.user, people[1])

    def test_through_a_plain_list_attribute(self):
        books = list(Book.objects.order_by("title"))
        for book in books:
            book.readers = list(book.authors.all())
        with self.assertNumQueries(1):
            prefetch_related_objects(books, "readers__userprofile")
        with self.assertNumQueries(0):
            self.assertEqual(books[0].readers[1].userprofile.flavor, "lemon")

    def test_filtered_relations_are_refused(self):
        from django.db.models import FilteredRelation

        filtered = Book.objects.annotate(long_authors=FilteredRelation("authors"))
        with self.assertRaisesMessage(ValueError, "prefetch_related() is not supported with FilteredRelation."):
            filtered.prefetch_related("long_authors")
        with self.assertRaisesMessage(ValueError, "prefetch_related() needs relations"):
            Book.objects.raw("SELECT 1").prefetch_related("authors")


class _ShelfBook:
    """A hand-written prefetcher: the get_prefetch_querysets() protocol, a
    single object stored through the descriptor (is_descriptor=True)."""

    def __get__(self, shelf, owner=None):
        if shelf is None:
            return self
        return shelf.__dict__.get("_book")

    def __set__(self, shelf, book):
        shelf.__dict__["_book"] = book

    def is_cached(self, shelf):
        return "_book" in shelf.__dict__

    def get_prefetch_querysets(self, shelves, querysets=None):
        books = Book.objects.filter(pk__in=[shelf.book_id for shelf in shelves])
        return books, (lambda book: book.pk), (lambda shelf: shelf.book_id), True, "book", True


class Shelf:
    book = _ShelfBook()

    def __init__(self, book_id):
        self.book_id = book_id


class PrefetcherProtocolTests(PrefetchData):
    def test_a_descriptor_storing_single_objects(self):
        shelves = [Shelf(self.dune.pk), Shelf(self.emma.pk), Shelf(-1)]
        with self.assertNumQueries(1):
            prefetch_related_objects(shelves, "book")
        self.assertEqual([s.book and s.book.title for s in shelves], ["Dune", "Emma", None])
        with self.assertNumQueries(0):
            prefetch_related_objects(shelves, "book")


class KnownParentTests(PrefetchData):
    def test_combined_related_querysets_know_their_parent(self):
        long_ones = self.pa.book_set.filter(pages__gt=50)
        combined = self.pa.book_set.all() & long_ones
        with self.assertNumQueries(1):
            self.assertEqual([b.publisher for b in combined], [self.pa])
        with self.assertNumQueries(1):
            self.assertEqual([b.publisher for b in long_ones], [self.pa])
