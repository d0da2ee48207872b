"""
ORM statements read to the end share one cursor per connection (see
BaseDatabaseWrapper.statement_cursor()). These tests pin down that sharing
it never shows: results, errors, logging and session settings stay as they
would be with a new cursor per statement.
"""
from django.db import IntegrityError, connection, get_connection, transaction
from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext, override_settings

from .models import Entry


class CursorSpy:
    """An execute wrapper recording the cursor wrapper each statement ran on."""

    def __init__(self):
        self.cursors = []

    def __call__(self, execute, sql, params, many, context):
        self.cursors.append(context["cursor"])
        return execute(sql, params, many, context)


def _run_with_spy(*statements):
    spy = CursorSpy()
    with get_connection().execute_wrapper(spy):
        for statement in statements:
            statement()
    return spy.cursors


class SharingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Entry.objects.bulk_create([Entry(title="e%d" % i, rank=i) for i in range(5)])

    def test_statements_read_to_the_end_share_a_cursor(self):
        cursors = _run_with_spy(
            lambda: list(Entry.objects.filter(rank__gte=2)),
            lambda: Entry.objects.create(title="new"),
            lambda: Entry.objects.filter(title="new").update(rank=9),
            lambda: Entry.objects.get(title="new"),
        )
        self.assertEqual(len(cursors), 4)
        self.assertEqual(len({id(c) for c in cursors}), 1)
        self.assertEqual(Entry.objects.get(title="new").rank, 9)

    def test_a_cursor_that_read_many_rows_is_not_kept(self):
        Entry.objects.bulk_create(
            [Entry(title="bulk") for _ in range(connection.kept_cursor_max_rows + 1)]
        )
        cursors = _run_with_spy(
            lambda: list(Entry.objects.filter(title="bulk")),
            lambda: list(Entry.objects.filter(title="e1")),
            lambda: list(Entry.objects.filter(title="e2")),
        )
        if connection.vendor == "sqlite":
            # sqlite3 reads rows from the database file as they are fetched:
            # a drained cursor holds none and is kept (its rowcount is -1).
            self.assertIs(cursors[0], cursors[1])
        else:
            self.assertIsNot(cursors[0], cursors[1])
        self.assertIs(cursors[1], cursors[2])

    def test_partly_read_results_get_their_own_cursor(self):
        # exists() and aggregates read one row only: their cursor is closed
        # (an unfinished SQLite statement would hold its lock).
        cursors = _run_with_spy(
            lambda: list(Entry.objects.all()),
            lambda: Entry.objects.filter(rank=1).exists(),
            lambda: Entry.objects.aggregate(n=Count("id")),
            lambda: list(Entry.objects.all()),
        )
        self.assertIs(cursors[0], cursors[3])
        self.assertNotIn(cursors[1], (cursors[0], cursors[2]))

    def test_results_are_not_mixed_up(self):
        first = list(Entry.objects.order_by("rank").values_list("title", flat=True))
        second = list(Entry.objects.filter(rank__lt=2).order_by("-rank").values_list("rank", flat=True))
        self.assertEqual(first, ["e0", "e1", "e2", "e3", "e4"])
        self.assertEqual(second, [1, 0])
        self.assertEqual(Entry.objects.filter(rank=3).update(title="three"), 1)
        self.assertEqual(Entry.objects.filter(title__startswith="e").count(), 4)

    def test_a_failed_statement_leaves_a_working_connection(self):
        list(Entry.objects.all())
        with self.assertRaises(Exception), transaction.atomic():
            list(Entry.objects.raw("SELECT * FROM no_such_table"))
        with self.assertRaises(Exception), transaction.atomic():
            Entry.objects.filter(rank=RawSQL("no_such_column", ())).update(rank=1)
        self.assertEqual(Entry.objects.count(), 5)
        self.assertEqual(Entry.objects.get(rank=4).title, "e4")

    def test_query_logging_switched_on_and_off(self):
        list(Entry.objects.all())  # a kept, unlogged cursor
        with CaptureQueriesContext(connection) as captured:
            list(Entry.objects.filter(rank=1))
            Entry.objects.create(title="logged")
        self.assertEqual(len(captured), 2)
        self.assertIn("rank", captured[0]["sql"])
        self.assertIn("logged", captured[1]["sql"])
        before = len(connection.queries_log)
        list(Entry.objects.filter(rank=2))
        self.assertEqual(len(connection.queries_log), before)


class ReconnectTests(TransactionTestCase):
    def test_closing_the_connection_forgets_the_cursor(self):
        Entry.objects.create(title="a")
        wrapper = get_connection()
        wrapper.close()
        if wrapper.vendor == "sqlite" and wrapper.connection is not None:
            return  # an in-memory database keeps its connection open
        self.assertIsNone(wrapper._kept_cursor)
        Entry.objects.create(title="b")
        self.assertEqual(sorted(Entry.objects.values_list("title", flat=True)), ["a", "b"])

    def test_integrity_error_then_more_work(self):
        first = Entry.objects.create(title="a")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Entry.objects.create(id=first.pk, title="dup")
        Entry.objects.create(title="b")
        self.assertEqual(Entry.objects.count(), 2)


class SessionTimeZoneTests(TransactionTestCase):
    """PostgreSQL checks the session time zone when it makes a cursor; a
    kept cursor must not keep an outdated one."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("only PostgreSQL has a session time zone to keep in step")

    def session_zone(self):
        return Entry.objects.annotate(
            zone=RawSQL("current_setting('TimeZone')", ())
        ).values_list("zone", flat=True).get()

    def test_override_applies_to_the_next_statement(self):
        Entry.objects.create(title="x")
        self.session_zone()  # the cursor is kept now
        with override_settings(USE_TZ=False, TIME_ZONE="Asia/Tokyo"):
            self.assertEqual(self.session_zone(), "Asia/Tokyo")
        with override_settings(USE_TZ=False, TIME_ZONE="America/Chicago"):
            self.assertEqual(self.session_zone(), "America/Chicago")

    def test_zone_set_in_a_rolled_back_transaction_is_set_again(self):
        Entry.objects.create(title="x")
        with override_settings(USE_TZ=False, TIME_ZONE="Asia/Tokyo"):
            for block in (transaction.atomic, transaction.atomic):
                try:
                    with block():
                        # The first statement in the transaction sets the
                        # zone; rolling back undoes that.
                        self.assertEqual(self.session_zone(), "Asia/Tokyo")
                        raise ZeroDivisionError
                except ZeroDivisionError:
                    pass
                self.assertEqual(self.session_zone(), "Asia/Tokyo")
