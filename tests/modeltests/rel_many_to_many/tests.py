"""ManyToManyField: both managers, through models, symmetry, m2m_changed."""
from django.db.models import signals
from django.test import TestCase

from .models import Article, Author, Group, Membership, Publication


class ManyToManyTests(TestCase):
    def setUp(self):
        self.ann = Author.objects.create(name="Ann")
        self.bob = Author.objects.create(name="Bob")
        self.cid = Author.objects.create(name="Cid")
        self.art = Article.objects.create(headline="Hello")

    def test_add_and_both_directions(self):
        self.art.authors.add(self.ann, self.bob)
        self.assertEqual(list(self.art.authors.all()), [self.ann, self.bob])
        self.assertEqual(list(self.ann.articles.all()), [self.art])
        # Adding again is a no-op; raw primary keys are accepted.
        self.art.authors.add(self.ann, self.cid.pk)
        self.assertEqual(list(self.art.authors.all()), [self.ann, self.bob, self.cid])
        self.assertEqual(self.art.authors.count(), 3)
        self.assertEqual(list(self.art.authors.filter(name__startswith="B")), [self.bob])

    def test_through_model(self):
        through = Article.authors.through
        self.assertEqual(through._meta.db_table, "rel_many_to_many_article_authors")
        self.assertTrue(through._meta.auto_created)
        self.art.authors.add(self.ann)
        row = through.objects.get()
        self.assertEqual((row.article, row.author), (self.art, self.ann))
        self.assertEqual(Article._meta.get_field("authors").m2m_field_name(), "article")
        self.assertEqual(Article._meta.get_field("authors").m2m_reverse_field_name(), "author")

    def test_reverse_manager_writes(self):
        other = Article.objects.create(headline="Other")
        self.ann.articles.add(self.art, other)
        self.assertEqual(list(self.art.authors.all()), [self.ann])
        self.ann.articles.remove(other)
        self.assertEqual(list(self.ann.articles.all()), [self.art])
        new = self.ann.articles.create(headline="New")
        self.assertEqual(list(new.authors.all()), [self.ann])
        self.ann.articles.clear()
        self.assertEqual(list(self.ann.articles.all()), [])
        self.assertEqual(Article.objects.count(), 3)

    def test_remove_clear_set(self):
        self.art.authors.add(self.ann, self.bob)
        self.art.authors.remove(self.ann)
        self.assertEqual(list(self.art.authors.all()), [self.bob])
        self.art.authors.set([self.cid, self.ann])
        self.assertEqual(list(self.art.authors.all()), [self.ann, self.cid])
        self.art.authors.set([self.bob], clear=True)
        self.assertEqual(list(self.art.authors.all()), [self.bob])
        self.art.authors = [self.ann]  # direct assignment means set()
        self.assertEqual(list(self.art.authors.all()), [self.ann])
        self.art.authors.clear()
        self.assertEqual(self.art.authors.count(), 0)
        self.assertEqual(Author.objects.count(), 3)

    def test_create_get_or_create(self):
        a = self.art.authors.create(name="Dee")
        self.assertEqual(list(self.art.authors.all()), [a])
        obj, created = self.art.authors.get_or_create(name="Dee")
        self.assertEqual((obj, created), (a, False))
        obj, created = self.art.authors.get_or_create(name="Eve")
        self.assertTrue(created)
        self.assertEqual(self.art.authors.count(), 2)

    def test_errors(self):
        with self.assertRaisesMessage(TypeError, "'Author' instance expected, got <Article: Hello>"):
            self.art.authors.add(self.art)
        with self.assertRaisesMessage(
            ValueError, '"<Article: New>" needs to have a value for field "id" before this relationship can be used.'
        ):
            Article(headline="New").authors.all()
        # An unsaved object is on no database yet: the database check
        # (patch 0005) refuses it before its missing key is noticed.
        with self.assertRaisesMessage(
            ValueError, 'Cannot add "<Author: Unsaved>": instance is on database "default", value is on database "None"'
        ):
            self.art.authors.add(Author(name="Unsaved"))

    def test_symmetrical(self):
        self.ann.friends.add(self.bob)
        self.assertEqual(list(self.ann.friends.all()), [self.bob])
        self.assertEqual(list(self.bob.friends.all()), [self.ann])
        self.bob.friends.remove(self.ann)
        self.assertEqual(list(self.ann.friends.all()), [])
        self.assertFalse(hasattr(Author, "friends_rel_+"))

    def test_not_symmetrical(self):
        self.ann.follows.add(self.bob)
        self.assertEqual(list(self.ann.follows.all()), [self.bob])
        self.assertEqual(list(self.bob.follows.all()), [])
        self.assertEqual(list(self.bob.followers.all()), [self.ann])

    def test_explicit_through(self):
        g = Group.objects.create(name="G")
        Membership.objects.create(author=self.ann, group=g, role="chair")
        self.assertEqual(list(g.members.all()), [self.ann])
        self.assertEqual(list(self.ann.groups.all()), [g])
        g.members.add(self.bob, through_defaults={"role": "guest"})
        self.assertEqual(Membership.objects.get(author=self.bob).role, "guest")
        g.members.remove(self.ann)
        self.assertEqual(list(g.members.all()), [self.bob])
        self.assertIs(Group.members.through, Membership)

    def test_publications(self):
        p1 = Publication.objects.create(title="Science")
        p2 = Publication.objects.create(title="Nature")
        self.art.publications.add(p1, p2)
        self.assertEqual(list(self.art.publications.all()), [p2, p1])
        self.assertEqual(list(p1.article_set.all()), [self.art])


class ManagerDetailsTests(TestCase):
    def setUp(self):
        self.ann = Author.objects.create(name="Ann")
        self.bob = Author.objects.create(name="Bob")
        self.art = Article.objects.create(headline="Hello")

    def test_symmetrical_add_is_one_read_and_one_write(self):
        with self.assertNumQueries(2):
            self.ann.friends.add(self.bob)
        through = Author.friends.through
        self.assertEqual(through.objects.count(), 2)
        # Both links exist: nothing to write.
        with self.assertNumQueries(1):
            self.bob.friends.add(self.ann)
        self.assertEqual(through.objects.count(), 2)

    def test_symmetrical_add_repairs_a_missing_direction(self):
        through = Author.friends.through
        through.objects.create(from_author=self.ann, to_author=self.bob)
        self.ann.friends.add(self.bob)
        self.assertEqual(
            sorted(through.objects.values_list("from_author__name", "to_author__name")),
            [("Ann", "Bob"), ("Bob", "Ann")],
        )

    def test_set_with_keys_keeps_present_links(self):
        self.art.authors.add(self.ann)
        row = Article.authors.through.objects.get()
        self.art.authors.set([self.ann.pk, self.bob.pk])
        self.assertEqual(list(self.art.authors.all()), [self.ann, self.bob])
        # The link to Ann was not deleted and inserted again.
        self.assertTrue(Article.authors.through.objects.filter(pk=row.pk).exists())

    def test_set_refuses_other_models(self):
        with self.assertRaisesMessage(TypeError, "'Author' instance expected, got <Article: Hello>"):
            self.art.authors.set([self.art])

    def test_other_manager_of_the_related_model(self):
        self.art.authors.add(self.ann)
        manager = self.art.authors(manager="objects")
        self.assertEqual(list(manager.all()), [self.ann])
        self.assertIs(manager.through, Article.authors.through)

    def test_related_field_of_the_reverse_relation(self):
        self.assertIs(Article._meta.get_field("authors").remote_field.get_related_field(), Author._meta.pk)
        self.assertIs(Group._meta.get_field("members").remote_field.get_related_field(), Author._meta.pk)

    def test_bad_target_and_options(self):
        from django.db import models

        with self.assertRaisesMessage(TypeError, "ManyToManyField(42) is invalid. First parameter to ManyToManyField must be either a model"):
            models.ManyToManyField(42)
        with self.assertRaisesMessage(ValueError, "Cannot specify a db_table if an intermediary model is used."):
            models.ManyToManyField(Author, through="Membership", db_table="x")
        self.assertTrue(models.ManyToManyField("self").remote_field.symmetrical)
        self.assertFalse(models.ManyToManyField(Author).remote_field.symmetrical)
        self.assertEqual(Article._meta.get_field("authors").verbose_name, "authors")

    def test_update_or_create(self):
        obj, created = self.art.authors.update_or_create(name="Dee", defaults={"name": "Dee"})
        self.assertTrue(created)
        self.assertEqual(list(self.art.authors.all()), [obj])
        again, created = self.art.authors.update_or_create(name="Dee", defaults={"name": "Dea"})
        self.assertEqual((again.pk, again.name, created), (obj.pk, "Dea", False))

    def test_create_links_in_one_transaction(self):
        dee = self.art.authors.create(name="Dee", through_defaults={})
        self.assertEqual(list(dee.articles.all()), [self.art])


class M2MSignalTests(TestCase):
    def setUp(self):
        self.events = []

        def receiver(**kwargs):
            self.events.append((
                kwargs["action"], kwargs["reverse"], kwargs["model"].__name__,
                sorted(kwargs["pk_set"]) if kwargs["pk_set"] is not None else None,
                kwargs["instance"],
            ))

        self.receiver = receiver
        signals.m2m_changed.connect(receiver, sender=Article.authors.through)
        self.ann = Author.objects.create(name="Ann")
        self.bob = Author.objects.create(name="Bob")
        self.art = Article.objects.create(headline="Hello")

    def tearDown(self):
        signals.m2m_changed.disconnect(self.receiver, sender=Article.authors.through)

    def test_actions(self):
        self.art.authors.add(self.ann, self.bob)
        self.art.authors.remove(self.bob)
        self.art.authors.clear()
        self.ann.articles.add(self.art)
        a, b = self.ann.pk, self.bob.pk
        self.assertEqual(self.events, [
            ("pre_add", False, "Author", [a, b], self.art),
            ("post_add", False, "Author", [a, b], self.art),
            ("pre_remove", False, "Author", [b], self.art),
            ("post_remove", False, "Author", [b], self.art),
            ("pre_clear", False, "Author", None, self.art),
            ("post_clear", False, "Author", None, self.art),
            ("pre_add", True, "Article", [self.art.pk], self.ann),
            ("post_add", True, "Article", [self.art.pk], self.ann),
        ])

    def test_set_reports_removals_then_additions(self):
        self.art.authors.add(self.ann)
        self.events.clear()
        self.art.authors.set([self.bob])
        self.assertEqual([(e[0], e[3]) for e in self.events], [
            ("pre_remove", [self.ann.pk]), ("post_remove", [self.ann.pk]),
            ("pre_add", [self.bob.pk]), ("post_add", [self.bob.pk]),
        ])

    def test_add_existing_reports_only_missing(self):
        self.art.authors.add(self.ann)
        self.events.clear()
        self.art.authors.add(self.ann, self.bob)
        self.assertEqual(self.events[0][3], [self.bob.pk])
