"""select_related(): related objects from the same query."""
from django.core.exceptions import FieldError
from django.test import TestCase

from regressiontests.rel_joins.models import Book, Chapter, Country, Person, Publisher, UserProfile


class SelectRelatedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        fr = Country.objects.create(name="France")
        cls.pa = Publisher.objects.create(name="Pa", country=fr)
        cls.ann = Person.objects.create(name="Ann")
        cls.bob = Person.objects.create(name="Bob")
        UserProfile.objects.create(user=cls.ann, flavor="vanilla")
        cls.dune = Book.objects.create(title="Dune", publisher=cls.pa, editor=cls.ann)
        cls.odd = Book.objects.create(title="Odd")
        Chapter.objects.create(book=cls.dune, title="c1")
        Chapter.objects.create(book=cls.odd, title="o1")

    def test_without_select_related_one_query_per_access(self):
        # 1 for the chapters, 1 per book access, then 2 for the get().
        with self.assertNumQueries(5):
            for chapter in Chapter.objects.order_by("title"):
                chapter.book.title
            Chapter.objects.get(title="c1").book

    def test_no_args_follows_non_null_fks_deeply(self):
        with self.assertNumQueries(1):
            chapters = list(Chapter.objects.select_related().order_by("title"))
            self.assertEqual([c.book.title for c in chapters], ["Dune", "Odd"])
        # Book.publisher is nullable: not followed without names.
        with self.assertNumQueries(1):
            chapters[0].book.publisher

    def test_named_nullable_and_several_hops(self):
        with self.assertNumQueries(1):
            books = list(Book.objects.select_related("publisher__country", "editor"))
            self.assertEqual(books[0].publisher.country.name, "France")
            self.assertEqual(books[0].editor, self.ann)
            self.assertIsNone(books[1].publisher)
            self.assertIsNone(books[1].editor)
        with self.assertNumQueries(1):
            chapter = Chapter.objects.select_related("book__publisher__country").get(title="c1")
            self.assertEqual(chapter.book.publisher.country.name, "France")

    def test_reverse_one_to_one(self):
        with self.assertNumQueries(1):
            people = list(Person.objects.select_related("userprofile"))
            self.assertEqual(people[0].userprofile.flavor, "vanilla")
            # The cache goes both ways.
            self.assertIs(people[0].userprofile.user, people[0])
            with self.assertRaises(UserProfile.DoesNotExist):
                people[1].userprofile

    def test_with_filters_and_values(self):
        with self.assertNumQueries(1):
            book = Book.objects.select_related("publisher").filter(publisher__name="Pa").get()
            self.assertEqual(book.publisher.name, "Pa")
        self.assertEqual(
            Book.objects.select_related("publisher").filter(title="Dune").count(), 1
        )
        self.assertEqual(
            list(Book.objects.select_related("publisher").select_related(None).values_list("title", flat=True)),
            ["Dune", "Odd"],
        )

    def test_bad_names(self):
        with self.assertRaisesMessage(FieldError, "Non-relational field given in select_related: 'title'. Choices are: editor, publisher"):
            Book.objects.select_related("title")
        with self.assertRaisesMessage(FieldError, "Invalid field name(s) given in select_related: 'nope'. Choices are: editor, publisher"):
            Book.objects.select_related("nope")
        with self.assertRaisesMessage(FieldError, "use prefetch_related()"):
            Book.objects.select_related("authors")
        with self.assertRaisesMessage(TypeError, "Cannot call select_related() after .values() or .values_list()"):
            Book.objects.values("title").select_related("publisher")
