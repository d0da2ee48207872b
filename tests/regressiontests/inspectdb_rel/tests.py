import io

from django.core.management import call_command
from django.test import TestCase
from django.test.utils import isolate_apps

from regressiontests.fixtures_rel.models import Author, Book, Genre, Node, Profile

TABLES = [
    "fixtures_rel_author", "fixtures_rel_book", "fixtures_rel_book_genres",
    "fixtures_rel_genre", "fixtures_rel_node", "fixtures_rel_profile",
]


class InspectRelationsTests(TestCase):
    def test_foreign_keys_work(self):
        ann = Author.objects.create(name="Ann")
        book = Book.objects.create(title="T", author=ann)
        sf = Genre.objects.create(name="sf")
        book.genres.set([sf])
        Profile.objects.create(author=ann, bio="x")
        root = Node.objects.create(name="root")
        Node.objects.create(name="leaf", parent=root)

        out = io.StringIO()
        call_command("inspectdb", *TABLES, stdout=out)
        output = out.getvalue()
        self.assertIn("author = models.ForeignKey(FixturesRelAuthor, models.DO_NOTHING", output)
        self.assertIn("author = models.OneToOneField(FixturesRelAuthor, models.DO_NOTHING", output)
        self.assertIn("parent = models.ForeignKey('self', models.DO_NOTHING", output)
        # Models defined further down are referred to by name.
        self.assertIn("genre = models.ForeignKey('FixturesRelGenre', models.DO_NOTHING", output)
        self.assertIn("unique_together = (('book', 'genre'),)", output)
        with isolate_apps("regressiontests.inspectdb_rel"):
            namespace = {"__name__": "regressiontests.inspectdb_rel.generated"}
            exec(output, namespace)
            InspectedBook = namespace["FixturesRelBook"]
            Through = namespace["FixturesRelBookGenres"]
            InspectedNode = namespace["FixturesRelNode"]
            inspected = InspectedBook.objects.get()
            self.assertEqual(inspected.author.name, "Ann")
            link = Through.objects.get()
            self.assertEqual((link.book.title, link.genre.name), ("T", "sf"))
            self.assertEqual(InspectedNode.objects.get(name="leaf").parent.name, "root")
            self.assertEqual(namespace["FixturesRelProfile"].objects.get().author.name, "Ann")
