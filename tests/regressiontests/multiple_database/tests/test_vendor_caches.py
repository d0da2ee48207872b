"""The caches kept for speed never hand one database's SQL, plan or cursor
to another (patch 0003).

The same query shapes run on every alias in turn -- and on the first one
again -- in one process: under ``test_multidb`` that is SQLite, then
PostgreSQL, then MariaDB, then SQLite. Each time the statements must be
the ones that alias's backend writes (its own identifier quoting) and the
rows those that alias holds.
"""
from django.db import connections
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from ..models import Book, Person


def quoted_table(alias, model):
    return connections[alias].ops.quote_name(model._meta.db_table)


class SameShapesOnEveryAliasTests(TransactionTestCase):
    databases = "__all__"

    def run_shapes(self, alias, tag):
        """Create, read (get, values_list, select_related), update and
        delete on ``alias``; return what was read."""
        people = Person.objects.using(alias)
        books = Book.objects.using(alias)
        author = people.create(name="%s author" % tag)  # a prepared single INSERT
        books.create(title="%s book" % tag, author=author)
        fetched = people.get(pk=author.pk)
        titles = list(books.filter(author=author).values_list("title", flat=True))
        with_author = [(b.title, b.author.name) for b in books.select_related("author")]
        books.filter(author=author).update(title="%s book, revised" % tag)
        revised = list(books.values_list("title", flat=True))
        people.filter(name="nobody").delete()
        return fetched.name, titles, with_author, revised

    def test_each_alias_gets_its_own_sql_and_rows(self):
        aliases = list(connections)
        order = aliases + aliases[:1]  # back to the first: its caches still serve it
        for round_number, alias in enumerate(order):
            tag = "%s-%d" % (alias, round_number)
            with self.subTest(alias=alias, round=round_number):
                with CaptureQueriesContext(connections[alias]) as captured:
                    name, titles, with_author, revised = self.run_shapes(alias, tag)
                self.assertEqual(name, "%s author" % tag)
                self.assertEqual(titles, ["%s book" % tag])
                self.assertIn(("%s book" % tag, "%s author" % tag), with_author)
                self.assertIn("%s book, revised" % tag, revised)
                # Every statement this alias ran names the tables the way its
                # own backend quotes them.
                sql = [query["sql"] for query in captured.captured_queries]
                self.assertTrue(sql)
                expected = quoted_table(alias, Book)
                book_statements = [s for s in sql if Book._meta.db_table in s]
                self.assertTrue(book_statements)
                for statement in book_statements:
                    self.assertIn(expected, statement)
        # Each alias holds only the rows written to it.
        for alias in aliases:
            rounds = [n for n, a in enumerate(order) if a == alias]
            stored = sorted(Person.objects.using(alias).values_list("name", flat=True))
            self.assertEqual(stored, sorted("%s-%d author" % (alias, n) for n in rounds))
