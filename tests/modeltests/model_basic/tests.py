"""Model instances: creation, saving, deleting, identity, pickling."""
import datetime
import pickle

from django.core.exceptions import FieldDoesNotExist, MultipleObjectsReturned, ObjectDoesNotExist
from django.db import ConnectionDoesNotExist, DatabaseError, models, transaction
from django.test import SimpleTestCase, TestCase

from .models import Article, Counted, Event, Note

D = datetime.datetime(2005, 7, 28)


class InstanceTests(SimpleTestCase):
    def test_init_by_position_and_keyword(self):
        a = Article(None, "Hello", D)
        self.assertEqual((a.id, a.headline, a.pub_date), (None, "Hello", D))
        b = Article(headline="Hi", pub_date=D)
        self.assertEqual(b.headline, "Hi")
        c = Article(pub_date=D)
        self.assertEqual(c.headline, "Default headline")

    def test_init_errors(self):
        with self.assertRaisesMessage(TypeError, "Article() got unexpected keyword arguments: 'foo'"):
            Article(headline="x", foo=1)
        with self.assertRaisesMessage(TypeError, "'foo', 'bar'"):
            Article(foo=1, bar=2)
        with self.assertRaises(IndexError):
            Article(1, "a", D, "extra")
        with self.assertRaisesMessage(TypeError, "both positional and keyword arguments for field 'headline'"):
            Article(None, "a", headline="b")

    def test_pk_property(self):
        a = Article(headline="x", pub_date=D)
        self.assertIsNone(a.pk)
        a.pk = 5
        self.assertEqual(a.id, 5)
        a2 = Article(pk=9)
        self.assertEqual(a2.id, 9)

    def test_str_repr(self):
        a = Event(id=3, name="x", when=D.date())
        self.assertEqual(str(a), "Event object (3)")
        self.assertEqual(repr(a), "<Event: Event object (3)>")
        self.assertEqual(repr(Article(headline="H", pub_date=D)), "<Article: H>")

    def test_eq_and_hash(self):
        self.assertEqual(Article(id=1), Article(id=1))
        self.assertNotEqual(Article(id=1), Article(id=2))
        self.assertNotEqual(Article(id=1), Event(id=1))
        unsaved = Article()
        self.assertEqual(unsaved, unsaved)
        self.assertNotEqual(Article(), Article())
        self.assertNotEqual(Article(id=1), "x")
        self.assertEqual(hash(Article(id=4)), hash(4))
        with self.assertRaisesMessage(TypeError, "unhashable"):
            hash(Article())
        self.assertEqual(len({Article(id=1), Article(id=1)}), 1)

    def test_exceptions_per_model(self):
        self.assertTrue(issubclass(Article.DoesNotExist, ObjectDoesNotExist))
        self.assertTrue(issubclass(Article.MultipleObjectsReturned, MultipleObjectsReturned))
        self.assertIsNot(Article.DoesNotExist, Event.DoesNotExist)
        self.assertEqual(Article.DoesNotExist.__qualname__, "Article.DoesNotExist")

    def test_pickle_unsaved(self):
        a = Article(headline="P", pub_date=D)
        b = pickle.loads(pickle.dumps(a))
        self.assertEqual((b.headline, b.pub_date, b.pk), ("P", D, None))
        self.assertTrue(b._state.adding)

    def test_state(self):
        a = Article()
        self.assertTrue(a._state.adding)
        self.assertEqual(a._state.fields_cache, {})

    def test_callable_default(self):
        self.assertEqual(Note().when, datetime.date(2000, 1, 1))

    def test_save_argument_errors(self):
        a = Article(headline="x", pub_date=D)
        with self.assertRaisesMessage(ValueError, "Cannot force both insert and updating"):
            a.save(force_insert=True, force_update=True)
        with self.assertRaisesMessage(ValueError, "Cannot force an update in save() with no primary key."):
            a.save(force_update=True)
        with self.assertRaisesMessage(ValueError, "do not exist in this model"):
            a.save(update_fields=["nope"])
        with self.assertRaisesMessage(ValueError, "nope"):
            a.save(update_fields=["headline", "nope"])

    def test_empty_update_fields_no_query(self):
        # Would fail under SimpleTestCase if it queried the database.
        Article(id=1, headline="x", pub_date=D).save(update_fields=[])

    def test_delete_unsaved(self):
        with self.assertRaisesMessage(
            ValueError, "Article object can't be deleted because its id attribute is set to None."
        ):
            Article(headline="x").delete()

    def test_get_next_unsaved(self):
        with self.assertRaisesMessage(ValueError, "unsaved objects"):
            Event(name="x", when=D.date()).get_next_by_when()
        self.assertFalse(hasattr(Event, "get_next_by_maybe"))

    def test_unknown_alias_refused_before_any_query(self):
        # A SimpleTestCase: any SQL would fail the test.
        with self.assertRaisesMessage(ConnectionDoesNotExist, "'nowhere'"):
            Article(headline="x", pub_date=D).save(using="nowhere")


class SaveTests(TestCase):
    def test_insert_then_update(self):
        a = Article(headline="First", pub_date=D)
        self.assertIsNone(a.id)
        a.save()
        self.assertIsNotNone(a.id)
        self.assertFalse(a._state.adding)
        pk = a.pk
        a.headline = "Changed"
        with self.assertNumQueries(1):
            a.save()
        self.assertEqual(a.pk, pk)
        self.assertEqual(Article.objects.count(), 1)
        self.assertEqual(Article.objects.get(pk=pk).headline, "Changed")

    def test_pk_set_without_row_inserts(self):
        a = Article(id=40, headline="x", pub_date=D)
        a.save()  # UPDATE affects 0 rows -> INSERT
        self.assertEqual(Article.objects.get(id=40).headline, "x")

    def test_pk_with_default_inserts_directly(self):
        with self.assertNumQueries(1):
            Counted(label="a").save()
        self.assertEqual(Counted.objects.get().code, 7)
        c = Counted.objects.get()
        c.label = "b"
        c.save()
        self.assertEqual(Counted.objects.get().label, "b")

    def test_force_insert_duplicate(self):
        from django.db import IntegrityError

        a = Article.objects.create(headline="x", pub_date=D)
        with self.assertRaises(IntegrityError):
            Article(id=a.id, headline="y", pub_date=D).save(force_insert=True)

    def test_force_update_missing_row(self):
        # The failed save marks the surrounding atomic block for rollback.
        with self.assertRaisesMessage(DatabaseError, "Forced update did not affect any rows."):
            with transaction.atomic():
                Article(id=999, headline="x", pub_date=D).save(force_update=True)
        with self.assertRaisesMessage(DatabaseError, "did not affect any rows"):
            with transaction.atomic():
                Article(id=999, headline="x", pub_date=D).save(update_fields=["headline"])

    def test_update_fields(self):
        a = Article.objects.create(headline="orig", pub_date=D)
        a.headline = "new"
        a.pub_date = datetime.datetime(2010, 1, 1)
        a.save(update_fields=["headline"])
        a2 = Article.objects.get(pk=a.pk)
        self.assertEqual(a2.headline, "new")
        self.assertEqual(a2.pub_date, D)

    def test_create_and_get(self):
        a = Article.objects.create(headline="c", pub_date=D)
        self.assertEqual(Article.objects.get(headline="c"), a)
        with self.assertRaises(Article.DoesNotExist):
            Article.objects.get(headline="nope")
        Article.objects.create(headline="c", pub_date=D)
        with self.assertRaises(Article.MultipleObjectsReturned):
            Article.objects.get(headline="c")

    def test_delete(self):
        a = Article.objects.create(headline="d", pub_date=D)
        self.assertEqual(a.delete(), (1, {"model_basic.Article": 1}))
        self.assertIsNone(a.pk)
        self.assertEqual(Article.objects.count(), 0)

    def test_queryset_delete(self):
        for i in range(3):
            Article.objects.create(headline="q%d" % i, pub_date=D)
        self.assertEqual(Article.objects.all().delete(), (3, {"model_basic.Article": 3}))

    def test_refresh_from_db(self):
        a = Article.objects.create(headline="r", pub_date=D)
        Article.objects.filter(pk=a.pk).update(headline="changed")
        a.refresh_from_db(fields=["headline"])
        self.assertEqual(a.headline, "changed")
        a.headline = "local"
        a.refresh_from_db()
        self.assertEqual(a.headline, "changed")
        with self.assertRaisesMessage(FieldDoesNotExist, "Article has no field named 'nope'"):
            a.refresh_from_db(fields=["nope"])
        a.delete()
        b = Article(id=12345)
        with self.assertRaises(Article.DoesNotExist):
            b.refresh_from_db()

    def test_from_db_instances(self):
        a = Article.objects.create(headline="f", pub_date=D)
        b = Article.objects.get(pk=a.pk)
        self.assertFalse(b._state.adding)
        self.assertEqual(b.pub_date, D)

    def test_deferred_fields(self):
        a = Article.objects.create(headline="def", pub_date=D)
        b = Article.objects.only("headline").get(pk=a.pk)
        self.assertEqual(b.get_deferred_fields(), {"pub_date"})
        self.assertEqual(b.pub_date, D)  # loaded on access
        c = Article.from_db(None, ["id", "headline"], [a.pk, "x"])
        self.assertEqual(c.get_deferred_fields(), {"pub_date"})

    def test_pickle_saved(self):
        a = Article.objects.create(headline="p", pub_date=D)
        b = pickle.loads(pickle.dumps(a))
        self.assertEqual(a, b)
        self.assertFalse(b._state.adding)
        b.headline = "pp"
        b.save()
        self.assertEqual(Article.objects.get().headline, "pp")

    def test_get_next_previous_by(self):
        e1 = Event.objects.create(name="a", when=datetime.date(2020, 1, 1))
        e2 = Event.objects.create(name="b", when=datetime.date(2020, 1, 2))
        e3 = Event.objects.create(name="c", when=datetime.date(2020, 1, 2))
        self.assertEqual(e1.get_next_by_when(), e2)
        self.assertEqual(e2.get_next_by_when(), e3)
        self.assertEqual(e3.get_previous_by_when(), e2)
        self.assertEqual(e2.get_previous_by_when(), e1)
        self.assertEqual(e1.get_next_by_when(name="c"), e3)
        with self.assertRaises(Event.DoesNotExist):
            e3.get_next_by_when()

    def test_ordering_meta(self):
        Article.objects.create(headline="b", pub_date=datetime.datetime(2006, 1, 1))
        Article.objects.create(headline="a", pub_date=datetime.datetime(2007, 1, 1))
        self.assertEqual([a.headline for a in Article.objects.all()], ["b", "a"])

    def test_serializable_value(self):
        a = Article(headline="s", pub_date=D)
        self.assertEqual(a.serializable_value("headline"), "s")
        self.assertEqual(a.serializable_value("pk"), None)


class MoreSaveTests(TestCase):
    def test_custom_char_pk_and_db_column(self):
        from modeltests.model_meta.models import Custom

        c = Custom(code="ab", amount=1)
        c.save()  # UPDATE (0 rows) then INSERT
        self.assertFalse(c._state.adding)
        c.amount = 2
        with self.assertNumQueries(1):
            c.save()
        self.assertEqual(Custom.objects.get(pk="ab").amount, 2)
        self.assertEqual(Custom.objects.filter(code="ab").count(), 1)
        self.assertEqual(c.delete(), (1, {"model_meta.Custom": 1}))

    def test_save_deferred_instance_updates_loaded_fields_only(self):
        a = Article.objects.create(headline="orig", pub_date=D)
        b = Article.objects.only("headline").get(pk=a.pk)
        Article.objects.filter(pk=a.pk).update(pub_date=datetime.datetime(2011, 1, 1))
        b.headline = "changed"
        b.save()
        fresh = Article.objects.get(pk=a.pk)
        self.assertEqual(fresh.headline, "changed")
        self.assertEqual(fresh.pub_date, datetime.datetime(2011, 1, 1))

    def test_from_db_with_init_listener_uses_slow_path(self):
        from django.db.models.signals import post_init

        seen = []

        def receiver(sender, instance, **kwargs):
            seen.append(instance.headline)

        post_init.connect(receiver, sender=Article)
        try:
            obj = Article.from_db(None, ["id", "headline", "pub_date"], [1, "h", D])
        finally:
            post_init.disconnect(receiver, sender=Article)
        self.assertEqual(seen, ["h"])
        self.assertFalse(obj._state.adding)

    def test_defaults_saved(self):
        n = Note.objects.create(text="t")
        n = Note.objects.get(pk=n.pk)
        self.assertEqual((n.when, n.rank), (datetime.date(2000, 1, 1), 0))

    def test_save_with_no_non_pk_fields_existing_row(self):
        from modeltests.model_meta.models import Animal

        a = Animal.objects.create(name="x")
        a.save(update_fields=["name"])
        self.assertEqual(Animal.objects.count(), 1)

    def test_delete_missing_row(self):
        a = Article.objects.create(headline="gone", pub_date=D)
        Article.objects.filter(pk=a.pk).delete()
        self.assertEqual(a.delete(), (0, {}))
