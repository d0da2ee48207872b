"""Managers: custom managers, from_queryset, as_manager, inheritance."""
from django.db import models
from django.db.models.manager import BaseManager, Manager
from django.test import SimpleTestCase, TestCase

from .models import Book, BookManager, Magazine, PublishedQuerySet


class ManagerApiTests(SimpleTestCase):
    def test_default_manager_is_first_declared(self):
        self.assertEqual(Book._default_manager.name, "all_books")
        self.assertEqual([m.name for m in Book._meta.managers],
                         ["all_books", "current", "with_qs", "as_mgr"])
        self.assertFalse(hasattr(Book, "objects"))

    def test_from_queryset_copies_methods(self):
        manager_class = Manager.from_queryset(PublishedQuerySet)
        self.assertTrue(issubclass(manager_class, BaseManager))
        self.assertEqual(manager_class.__name__, "ManagerFromPublishedQuerySet")
        self.assertTrue(hasattr(manager_class, "published"))
        self.assertTrue(hasattr(manager_class, "titled"))
        self.assertFalse(hasattr(manager_class, "_private"))
        self.assertFalse(hasattr(manager_class, "public_but_queryset_only"))
        named = BaseManager.from_queryset(PublishedQuerySet, class_name="Named")
        self.assertEqual(named.__name__, "Named")

    def test_manager_has_no_delete(self):
        self.assertFalse(hasattr(Book.all_books, "delete"))
        for name in ("all", "filter", "exclude", "get", "create", "count", "order_by",
                     "update", "get_or_create"):
            self.assertTrue(hasattr(Book.all_books, name), name)

    def test_instance_access_refused(self):
        with self.assertRaisesMessage(AttributeError, "Manager isn't accessible via Book instances"):
            Book().all_books

    def test_inherited_from_abstract(self):
        self.assertIsInstance(Magazine.live, BookManager)
        self.assertIs(Magazine.live.model, Magazine)
        self.assertEqual(Magazine._default_manager.name, "live")

    def test_str_and_eq(self):
        self.assertEqual(str(Book.current), "model_managers.Book.current")
        self.assertEqual(BookManager(), BookManager())
        self.assertEqual(Book.current.deconstruct()[1], "modeltests.model_managers.models.BookManager")


class ManagerQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Book.all_books.create(title="Alpha", published=True)
        Book.all_books.create(title="Beta", published=False)
        Book.all_books.create(title="Archived", published=True, archived=True)

    def test_custom_get_queryset(self):
        self.assertEqual(Book.all_books.count(), 3)
        self.assertEqual(Book.current.count(), 2)
        self.assertEqual(Book.current.count_published(), 1)
        self.assertEqual(sorted(b.title for b in Book.current.all()), ["Alpha", "Beta"])

    def test_queryset_methods_on_manager(self):
        self.assertEqual([b.title for b in Book.with_qs.published().order_by("title")], ["Alpha", "Archived"])
        self.assertEqual([b.title for b in Book.as_mgr.titled("Be")], ["Beta"])
        self.assertEqual(Book.as_mgr.published().titled("Al").count(), 1)

    def test_base_manager_sees_everything(self):
        self.assertEqual(Book._base_manager.count(), 3)

    def test_abstract_manager_queries(self):
        Magazine.live.create(title="m")
        Magazine.live.create(title="old", archived=True)
        self.assertEqual(Magazine.live.count(), 1)
