"""
One wrapper per alias per thread: threads, thread pools and asyncio.to_thread
get their own; the ORM refuses to run inside an event loop; a thread that ends
closes what it opened.
"""
import asyncio
import gc
import os
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

from django.core.exceptions import SynchronousOnlyOperation
from django.db import connections
from django.test import TransactionTestCase

from ..models import Book
from .support import create_entry_table, entry_ids, insert_entry, run_in_thread

ALIASES = ("default", "other")


def wrappers():
    """This thread's wrappers for both aliases."""
    return {alias: connections[alias] for alias in ALIASES}


class PerThreadTests(TransactionTestCase):
    databases = {"default", "other"}

    def test_another_thread_gets_other_wrappers(self):
        mine = wrappers()
        theirs = run_in_thread(wrappers)
        for alias in ALIASES:
            with self.subTest(alias=alias):
                self.assertIsNot(theirs[alias], mine[alias])
                self.assertEqual(theirs[alias].alias, alias)
                self.assertEqual(theirs[alias].settings_dict["NAME"],
                                 mine[alias].settings_dict["NAME"])
        self.assertIsNot(theirs["default"], theirs["other"])
        self.assertEqual(wrappers(), mine)

    def test_all_is_per_thread(self):
        mine = connections.all()
        theirs = run_in_thread(connections.all)
        self.assertEqual([w.alias for w in theirs], [w.alias for w in mine])
        for ours, its in zip(mine, theirs):
            self.assertIsNot(ours, its)

    def test_threads_see_committed_rows_on_each_alias(self):
        create_entry_table(self, *ALIASES)
        insert_entry("default", 1)
        insert_entry("other", 2)
        Book.objects.create(title="Dune")

        def read():
            return entry_ids("default"), entry_ids("other"), Book.objects.count()

        self.assertEqual(run_in_thread(read), ([1], [2], 1))

    def test_thread_pool(self):
        create_entry_table(self, "other")
        insert_entry("other", 5)
        mine = connections["other"]

        def work(_):
            return connections["other"], entry_ids("other")

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(work, range(4)))
        for wrapper, ids in results:
            self.assertIsNot(wrapper, mine)
            self.assertEqual(wrapper.alias, "other")
            self.assertEqual(ids, [5])

    def test_wrapper_of_another_thread_cannot_be_used(self):
        from django.db import DatabaseError

        theirs = run_in_thread(lambda: connections["other"])
        with self.assertRaises(DatabaseError):
            theirs.cursor()


class ThreadEndTests(TransactionTestCase):
    databases = {"default", "other"}

    def setUp(self):
        # Closing must not wait for a garbage collection that may never come.
        gc.disable()
        self.addCleanup(gc.enable)

    def test_a_finished_thread_closes_its_connections(self):
        def work():
            Book.objects.create(title="Written by a thread")
            with connections["other"].cursor() as cursor:
                cursor.execute("SELECT 1")
            opened = wrappers()
            for alias, wrapper in opened.items():
                assert wrapper.connection is not None, alias
            return opened

        opened = run_in_thread(work)
        for alias, wrapper in opened.items():
            with self.subTest(alias=alias):
                self.assertIsNone(wrapper.connection)
        self.assertEqual(Book.objects.get().title, "Written by a thread")

    def test_pool_threads_close_their_connections(self):
        def work(_):
            with connections["other"].cursor() as cursor:
                cursor.execute("SELECT 1")
            return connections["other"]

        with ThreadPoolExecutor(max_workers=2) as pool:
            opened = set(pool.map(work, range(4)))
        # The pool is shut down: its threads have ended.
        for wrapper in opened:
            self.assertIsNone(wrapper.connection)


class AsyncTests(TransactionTestCase):
    databases = {"default", "other"}

    def run_async(self, func):
        async def main():
            return func()

        return asyncio.run(main())

    def test_orm_refused_inside_an_event_loop(self):
        with mock.patch.dict(os.environ):
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            with self.assertRaises(SynchronousOnlyOperation) as caught:
                self.run_async(Book.objects.count)
            self.assertIn("async", str(caught.exception))
            for alias in ALIASES:
                with self.subTest(alias=alias):
                    with self.assertRaises(SynchronousOnlyOperation):
                        self.run_async(lambda: connections[alias].cursor().execute("SELECT 1"))
        # Outside the loop the same calls work.
        self.assertEqual(Book.objects.count(), 0)

    def test_allowed_when_asked(self):
        Book.objects.create(title="Sync")
        with mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}):
            self.assertEqual(self.run_async(Book.objects.count), 1)

    def test_to_thread_gets_its_own_connections(self):
        create_entry_table(self, "other")
        insert_entry("other", 3)
        Book.objects.create(title="Async")
        mine = wrappers()

        def work():
            return Book.objects.count(), entry_ids("other"), wrappers()

        async def main():
            return await asyncio.to_thread(work)

        with mock.patch.dict(os.environ):
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            count, ids, theirs = asyncio.run(main())
        self.assertEqual((count, ids), (1, [3]))
        for alias in ALIASES:
            self.assertIsNot(theirs[alias], mine[alias])
