"""A SELECT of a shape seen before reuses the compiled statement; these
tests pin down that reuse never changes what a query returns."""
import datetime

from django.db import connection
from django.db.models import Q
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from .models import Book, Pamphlet, Shelf


class StatementReuseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.top = Shelf.objects.create(name="top")
        cls.low = Shelf.objects.create(name="low")
        Book.objects.create(title="b", pages=10, shelf=cls.top,
                            read_on=datetime.datetime(2009, 5, 4, 12, 30))
        Book.objects.create(title="a", pages=20, shelf=cls.low)
        Book.objects.create(title="c", pages=30, shelf=None)
        Pamphlet.objects.create(title="p", pages=5)

    def test_same_shape_is_compiled_once(self):
        connection.compiled_selects.clear()
        first = Book.objects.get(pages=10)
        cached = len(connection.compiled_selects)
        second = Book.objects.get(pages=20)
        self.assertEqual(len(connection.compiled_selects), cached)
        self.assertEqual((first.title, second.title), ("b", "a"))

    def test_values_differ_between_reuses(self):
        for pages, title in [(10, "b"), (20, "a"), (30, "c")]:
            with self.subTest(pages=pages):
                self.assertEqual(Book.objects.get(pages=pages).title, title)
        self.assertEqual([b.title for b in Book.objects.filter(pages__gte=20)], ["a", "c"])
        self.assertEqual([b.title for b in Book.objects.filter(pages__gte=11)], ["a", "c"])

    def test_models_with_the_same_columns_do_not_share_statements(self):
        self.assertEqual(Book.objects.filter(pages__lt=100).count(), 3)
        self.assertEqual([p.title for p in Pamphlet.objects.filter(pages__lt=100)], ["p"])
        self.assertEqual([b.title for b in Book.objects.filter(pages__lt=100)], ["a", "b", "c"])

    def test_lookup_changes_where_sql(self):
        self.assertEqual(Book.objects.filter(shelf=None).get().title, "c")
        self.assertEqual(Book.objects.filter(shelf=self.top).get().title, "b")
        self.assertEqual(Book.objects.filter(Q(pages=10) | Q(pages=30)).count(), 2)
        self.assertEqual([b.title for b in Book.objects.filter(Q(pages=10) | Q(pages=30))], ["b", "c"])

    def test_in_lookup_with_different_lengths(self):
        self.assertEqual(len(Book.objects.filter(pages__in=[10])), 1)
        self.assertEqual(len(Book.objects.filter(pages__in=[10, 20])), 2)
        self.assertEqual(len(Book.objects.filter(pages__in=[10, 20, 30])), 3)

    def test_deferred_and_full_loads_differ(self):
        full = Book.objects.get(pages=10)
        only = Book.objects.only("title").get(pages=10)
        self.assertEqual(full.get_deferred_fields(), set())
        self.assertEqual(only.get_deferred_fields(), {"pages", "shelf_id", "read_on"})
        again = Book.objects.get(pages=10)
        self.assertEqual(again.get_deferred_fields(), set())

    def test_select_related_and_plain_differ(self):
        with self.assertNumQueries(1):
            book = Book.objects.select_related("shelf").get(pages=10)
            self.assertEqual(book.shelf.name, "top")
        plain = Book.objects.get(pages=10)
        with self.assertNumQueries(1):
            self.assertEqual(plain.shelf.name, "top")
        with self.assertNumQueries(1):
            books = list(Book.objects.select_related("shelf").filter(shelf__name="low"))
            self.assertEqual([b.shelf.name for b in books], ["low"])
        with self.assertNumQueries(1):
            books = list(Book.objects.select_related("shelf").filter(shelf__name="top"))
            self.assertEqual([b.shelf.name for b in books], ["top"])

    def test_ordering_and_slicing_are_part_of_the_shape(self):
        self.assertEqual([b.title for b in Book.objects.all()], ["a", "b", "c"])
        self.assertEqual([b.title for b in Book.objects.order_by("-pages")], ["c", "a", "b"])
        self.assertEqual([b.title for b in Book.objects.order_by("-pages")[:1]], ["c"])
        self.assertEqual([b.title for b in Book.objects.order_by("-pages")[1:]], ["a", "b"])
        self.assertEqual([b.title for b in Book.objects.reverse()], ["c", "b", "a"])

    def test_meta_ordering_change_is_noticed(self):
        opts = Book._meta
        saved = opts.ordering
        self.assertEqual([b.title for b in Book.objects.all()], ["a", "b", "c"])
        try:
            opts.ordering = ["-pages"]
            self.assertEqual([b.title for b in Book.objects.all()], ["c", "a", "b"])
        finally:
            opts.ordering = saved

    def test_empty_where_and_nothing_matching(self):
        self.assertEqual(list(Book.objects.filter(pages__in=[])), [])
        with self.assertRaises(Book.DoesNotExist):
            Book.objects.get(pages=999)
        self.assertEqual(Book.objects.filter(pages=10).get().title, "b")

    def test_setting_change_drops_converters(self):
        naive = Book.objects.get(pages=10).read_on
        self.assertIsNone(naive.tzinfo)
        with override_settings(USE_TZ=True):
            aware = Book.objects.get(pages=10).read_on
            self.assertIsNotNone(aware.tzinfo)
        self.assertIsNone(Book.objects.get(pages=10).read_on.tzinfo)

    def test_cache_is_bounded(self):
        from django.db.models.sql import statement_cache

        for n in range(statement_cache.CACHE_SIZE + 20):
            list(Book.objects.filter(pages__in=list(range(n + 1))))
        self.assertLessEqual(len(connection.compiled_selects), statement_cache.CACHE_SIZE)

    def test_query_str_matches_the_statement_sent(self):
        qs = Book.objects.filter(pages=20)
        list(qs)
        with self.assertNumQueries(1) as ctx:
            list(Book.objects.filter(pages=20))
        self.assertEqual(str(qs.query).replace('"', "").replace("`", ""),
                         ctx.captured_queries[0]["sql"].replace('"', "").replace("`", ""))


class InitSignalsAfterReuseTests(TestCase):
    """Instances are built without __init__ only while nobody listens: a
    receiver connected between two queries of one shape sees every object."""

    @classmethod
    def setUpTestData(cls):
        shelf = Shelf.objects.create(name="s")
        Book.objects.create(title="t", pages=1, shelf=shelf)

    def test_post_init_receiver_connected_between_queries(self):
        from django.db.models.signals import post_init

        list(Book.objects.select_related("shelf").filter(pages=1))
        seen = []

        def record(sender, instance, **kwargs):
            seen.append(type(instance).__name__)

        post_init.connect(record)
        try:
            books = list(Book.objects.select_related("shelf").filter(pages=1))
        finally:
            post_init.disconnect(record)
        self.assertEqual(sorted(seen), ["Book", "Shelf"])
        self.assertEqual(books[0].shelf.name, "s")
        self.assertFalse(books[0]._state.adding)
        self.assertFalse(books[0].shelf._state.adding)


class LoadedInstanceStateTests(TestCase):
    """Fetched instances get their ModelState on first use; each has its own."""

    @classmethod
    def setUpTestData(cls):
        shelf = Shelf.objects.create(name="s")
        Book.objects.create(title="one", pages=1, shelf=shelf)
        Book.objects.create(title="two", pages=2, shelf=shelf)

    def test_state_is_per_instance_and_not_adding(self):
        first, second = Book.objects.order_by("pages")
        self.assertFalse(first._state.adding)
        self.assertIsNot(first._state, second._state)
        self.assertEqual(first.shelf.name, "s")  # caches the shelf on first only
        self.assertTrue(Book.shelf.is_cached(first))
        self.assertFalse(Book.shelf.is_cached(second))

    def test_pickle_and_copy_keep_the_state(self):
        import copy
        import pickle

        book = Book.objects.get(pages=1)
        for clone in (pickle.loads(pickle.dumps(book)), copy.copy(book)):
            self.assertEqual(clone, book)
            self.assertFalse(clone._state.adding)
            self.assertIsNot(clone._state, book._state)

    def test_saving_a_fetched_instance_updates(self):
        book = Book.objects.get(pages=1)
        book.title = "uno"
        with self.assertNumQueries(1):
            book.save()
        self.assertEqual(Book.objects.get(pages=1).title, "uno")
        self.assertEqual(Book.objects.count(), 2)


class FilterReplayTests(TestCase):
    """A filter() like an earlier one is replayed from a recording; every
    test runs each call at least twice so that the replay is exercised."""

    @classmethod
    def setUpTestData(cls):
        cls.mixed = Shelf.objects.create(name="mixed")
        cls.empty = Shelf.objects.create(name="empty")
        Book.objects.create(title="x", pages=10, shelf=cls.mixed)
        Book.objects.create(title="y", pages=20, shelf=cls.mixed)
        Book.objects.create(title="loose", pages=30, shelf=None)

    def test_same_names_new_values(self):
        for _ in range(2):
            self.assertEqual([b.title for b in Book.objects.filter(shelf__name="mixed")], ["x", "y"])
            self.assertEqual([b.title for b in Book.objects.filter(shelf__name="empty")], [])
            self.assertEqual(Book.objects.get(pages=30, title="loose").shelf_id, None)

    def test_isnull_true_and_false_join_differently(self):
        # False first: its INNER join must not be reused for True, which
        # needs the books without a shelf (LEFT OUTER).
        for _ in range(2):
            self.assertEqual([b.title for b in Book.objects.filter(shelf__name__isnull=False)], ["x", "y"])
            self.assertEqual([b.title for b in Book.objects.filter(shelf__name__isnull=True)], ["loose"])

    def test_chained_filters_keep_separate_joins(self):
        for _ in range(2):
            # One book titled x and one with 20 pages: a shelf matches when
            # each filter may use its own book...
            chained = Shelf.objects.filter(book__title="x").filter(book__pages=20)
            self.assertEqual([s.name for s in chained], ["mixed"])
            # ...but not when both conditions apply to the same book.
            together = Shelf.objects.filter(book__title="x", book__pages=20)
            self.assertEqual(list(together), [])

    def test_bad_value_still_raises_the_fields_error(self):
        self.assertEqual(Book.objects.filter(pages="10").count(), 1)
        for _ in range(2):
            with self.assertRaisesMessage(ValueError, "Field 'pages' expected a number but got 'many'"):
                Book.objects.filter(pages="many")

    def test_other_value_kinds_take_the_ordinary_path(self):
        for _ in range(2):
            self.assertEqual([b.title for b in Book.objects.filter(shelf=self.mixed)], ["x", "y"])
            self.assertEqual([b.title for b in Book.objects.filter(shelf=None)], ["loose"])
            self.assertEqual([b.title for b in Book.objects.filter(pages__in=[10, 30])], ["loose", "x"])

    def test_registered_lookup_is_seen_after_a_recording(self):
        from django.core.exceptions import FieldError
        from django.db.models import CharField
        from django.db.models.lookups import Exact

        class Same(Exact):
            lookup_name = "same"

            def get_rhs_op(self, connection, rhs):
                return "= %s" % rhs

        with self.assertRaises(FieldError):
            Book.objects.filter(title__same="x")
        CharField.register_lookup(Same)
        try:
            for _ in range(2):
                self.assertEqual([b.title for b in Book.objects.filter(title__same="x")], ["x"])
        finally:
            CharField._unregister_lookup(Same)
        with self.assertRaises(FieldError):
            Book.objects.filter(title__same="x")


class SameAnswersWithoutCachesTests(TestCase):
    """Every query below is run three times with the caches (the first run
    records, the others reuse) and once with both caches switched off:
    the rows and the SQL sent must be the same."""

    @classmethod
    def setUpTestData(cls):
        top = Shelf.objects.create(name="top")
        low = Shelf.objects.create(name="low")
        for i, (title, shelf) in enumerate([("a", top), ("b", top), ("c", low), ("d", None)]):
            Book.objects.create(title=title, pages=10 * (i + 1), shelf=shelf,
                                read_on=datetime.datetime(2009, 5, i + 1, 8, 0))

    QUERIES = [
        lambda v: Book.objects.filter(pages=v),
        lambda v: Book.objects.filter(pages__gte=v),
        lambda v: Book.objects.filter(pages__gt=v, title__lt="d"),
        lambda v: Book.objects.filter(shelf__name="top", pages__lte=v),
        lambda v: Book.objects.filter(shelf__name__isnull=v > 20),
        lambda v: Book.objects.select_related("shelf").filter(pages__gte=v),
        lambda v: Book.objects.select_related("shelf").filter(shelf__name="low").filter(pages__gte=v),
        lambda v: Book.objects.only("title").filter(pages__lt=v),
        lambda v: Book.objects.defer("read_on").filter(pages__lt=v).order_by("-pages"),
        lambda v: Book.objects.filter(pages__gte=v).order_by("-title")[:2],
        lambda v: Book.objects.filter(pages__gte=v).order_by("title")[1:3],
        lambda v: Book.objects.exclude(pages=v),
        lambda v: Book.objects.filter(Q(pages=v) | Q(title="a")),
        lambda v: Book.objects.filter(pages__in=[v, v + 10]),
        lambda v: Book.objects.filter(title__startswith="a", pages__gte=v),
        lambda v: Book.objects.filter(read_on__year=2009, pages__gte=v),
        lambda v: Book.objects.filter(pages__gte=v).reverse(),
        lambda v: Book.objects.filter(pages__gte=v).distinct(),
        lambda v: Shelf.objects.filter(book__pages__gte=v).distinct(),
        lambda v: Shelf.objects.filter(book__pages=v),
    ]

    def _answers(self):
        answers = []
        for index, build in enumerate(self.QUERIES):
            for value in (10, 20, 30, 40):
                with CaptureQueriesContext(connection) as ctx:
                    rows = [
                        (type(obj).__name__, obj.pk, sorted(obj.__dict__.keys() - {"_state"}),
                         getattr(obj, "title", None))
                        for obj in build(value)
                    ]
                answers.append((index, value, rows, [q["sql"] for q in ctx.captured_queries]))
        return answers

    def test_same_rows_and_sql(self):
        from unittest import mock

        from django.db.models.sql import compiler, filter_replay

        with_caches = [self._answers() for _ in range(3)]
        with mock.patch.object(compiler, "statement_shape", lambda *args: None), \
                mock.patch.object(filter_replay, "recording_key", lambda *args: None):
            connection.compiled_selects.clear()
            without = self._answers()
            self.assertEqual(connection.compiled_selects, {})
        for run in with_caches:
            for cached, plain in zip(run, without):
                self.assertEqual(cached, plain)
