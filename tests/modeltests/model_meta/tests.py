"""Options (_meta), abstract and proxy inheritance, model class creation."""
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models import signals
from django.test import SimpleTestCase, TestCase
from django.test.utils import isolate_apps

from .models import Animal, Comment, Custom, Dog, OrderedDog, Post, TimeStamped

APP = "modeltests.model_meta"


class OptionsTests(SimpleTestCase):
    def test_names(self):
        opts = Post._meta
        self.assertEqual(opts.app_label, "model_meta")
        self.assertEqual(opts.model_name, "post")
        self.assertEqual(opts.object_name, "Post")
        self.assertEqual(opts.label, "model_meta.Post")
        self.assertEqual(opts.label_lower, "model_meta.post")
        self.assertEqual(opts.db_table, "model_meta_post")
        self.assertEqual(opts.verbose_name, "post")
        self.assertEqual(opts.verbose_name_plural, "the posts")
        self.assertEqual(opts.verbose_name_raw, "post")
        self.assertEqual(Custom._meta.verbose_name_plural, "custom things")
        self.assertEqual(Custom._meta.db_table, "meta_custom_table")
        self.assertIsNone(opts.swapped)
        self.assertFalse(opts.auto_created)
        self.assertIs(opts.apps, apps)
        self.assertEqual(str(opts), "model_meta.post")

    def test_fields(self):
        opts = Post._meta
        names = [f.name for f in opts.fields]
        self.assertEqual(names, ["id", "created", "tag", "title"])
        self.assertEqual([f.name for f in opts.local_fields], names)
        self.assertEqual(opts.concrete_fields, opts.fields)
        self.assertEqual(opts.local_concrete_fields, opts.fields)
        self.assertEqual(opts.pk.name, "id")
        self.assertEqual(opts.get_fields(), opts.fields)
        self.assertEqual(opts.get_field("title").verbose_name, "post title")
        self.assertEqual([f.name for f in opts.db_returning_fields], ["id"])
        self.assertEqual(opts.parents, {})
        self.assertIs(opts.concrete_model, Post)
        self.assertIsNone(opts.proxy_for_model)

    def test_custom_pk(self):
        opts = Custom._meta
        self.assertEqual(opts.pk.name, "code")
        self.assertEqual(opts.pk.column, "CODE")
        self.assertEqual(opts.db_returning_fields, [])
        self.assertEqual(opts.unique_together, (("code", "amount"),))
        c = Custom(code="ab", amount=1)
        self.assertEqual(c.pk, "ab")

    def test_get_field_errors(self):
        with self.assertRaisesMessage(
            FieldDoesNotExist, "Post has no field named 'nope'. Choices are: created, id, tag, title."
        ):
            Post._meta.get_field("nope")

    def test_abstract(self):
        self.assertTrue(TimeStamped._meta.abstract)
        self.assertEqual(Post._meta.ordering, ["-created"])
        self.assertEqual(Post._meta.get_latest_by, "created")
        self.assertFalse(Post._meta.abstract)
        with self.assertRaisesMessage(TypeError, "Abstract models cannot be instantiated."):
            TimeStamped()
        with self.assertRaisesMessage(AttributeError, "Manager isn't available; TimeStamped is abstract"):
            TimeStamped.objects
        # The abstract parent's fields are copies.
        self.assertIsNot(Post._meta.get_field("tag"), Comment._meta.get_field("body"))
        self.assertEqual(Post._meta.get_field("tag").model, Post)
        self.assertEqual([f.name for f in Comment._meta.fields], ["id", "created", "body"])

    def test_proxy(self):
        opts = Dog._meta
        self.assertTrue(opts.proxy)
        self.assertEqual(opts.db_table, Animal._meta.db_table)
        self.assertIs(opts.concrete_model, Animal)
        self.assertIs(opts.proxy_for_model, Animal)
        self.assertIs(opts.pk, Animal._meta.pk)
        self.assertEqual([f.name for f in opts.fields], ["id", "name", "sound"])
        self.assertEqual(opts.local_fields, [])
        self.assertEqual(opts.ordering, ["name"])
        self.assertEqual(OrderedDog._meta.ordering, ["-name"])
        self.assertIs(OrderedDog._meta.concrete_model, Animal)
        self.assertTrue(issubclass(Dog.DoesNotExist, Animal.DoesNotExist))
        self.assertEqual(Dog(id=1), Animal(id=1))

    def test_managers(self):
        self.assertEqual([m.name for m in Post._meta.managers], ["objects"])
        self.assertIs(Post.objects.model, Post)
        self.assertIs(Post._default_manager.model, Post)
        self.assertEqual(Post._base_manager.name, "_base_manager")
        self.assertEqual([m.name for m in Dog._meta.managers], ["loud", "objects"])
        self.assertEqual(Dog._default_manager.name, "loud")
        self.assertEqual(Animal._default_manager.name, "objects")
        self.assertTrue(Animal._meta.managers[0].auto_created)
        with self.assertRaisesMessage(AttributeError, "Manager isn't accessible via Animal instances"):
            Animal().objects


@isolate_apps(APP)
class ClassCreationTests(SimpleTestCase):
    def test_app_label_required(self):
        with self.assertRaisesMessage(RuntimeError, "Model class somewhere.else.Stray doesn't declare an explicit app_label"):
            type("Stray", (models.Model,), {"__module__": "somewhere.else"})

    def test_explicit_app_label(self):
        M = type("Labelled", (models.Model,), {
            "__module__": "somewhere.else",
            "Meta": type("Meta", (), {"app_label": "elsewhere"}),
        })
        self.assertEqual(M._meta.app_label, "elsewhere")
        self.assertEqual(M._meta.db_table, "elsewhere_labelled")

    def test_invalid_meta_attribute(self):
        with self.assertRaisesMessage(TypeError, "'class Meta' got invalid attribute(s): colour"):
            class Bad(models.Model):
                class Meta:
                    colour = "red"

    def test_duplicate_db_table(self):
        class One(models.Model):
            class Meta:
                db_table = "shared_tbl"

        with self.assertRaisesMessage(RuntimeError, "db_table 'shared_tbl' is used by multiple models: model_meta.One, model_meta.Two"):
            class Two(models.Model):
                class Meta:
                    db_table = "shared_tbl"

        # Unmanaged and proxy models may share a table.
        class Three(models.Model):
            class Meta:
                db_table = "shared_tbl"
                managed = False

    def test_multi_table_inheritance_refused(self):
        class Base(models.Model):
            pass

        with self.assertRaisesMessage(TypeError, "multi-table inheritance is not supported yet"):
            class Child(Base):
                pass

    def test_proxy_errors(self):
        class Abs(models.Model):
            x = models.IntegerField()

            class Meta:
                abstract = True

        with self.assertRaisesMessage(TypeError, "Abstract base class containing model fields not permitted for proxy model 'P1'"):
            class P1(Abs):
                class Meta:
                    proxy = True

        class EmptyAbs(models.Model):
            class Meta:
                abstract = True

        with self.assertRaisesMessage(TypeError, "Proxy model 'P2' has no non-abstract model base class."):
            class P2(EmptyAbs):
                class Meta:
                    proxy = True

    def test_field_clash_with_abstract_parent(self):
        class Abs2(models.Model):
            x = models.IntegerField()

            class Meta:
                abstract = True

        with self.assertRaises(FieldError):
            class Clash(Abs2):
                x = models.CharField(max_length=3)

    def test_field_named_objects(self):
        with self.assertRaisesMessage(ValueError, "must specify a custom Manager, because it has a field named 'objects'"):
            class HasObjects(models.Model):
                objects = models.IntegerField()

    def test_two_auto_fields(self):
        with self.assertRaisesMessage(ValueError, "can't have more than one auto-generated field"):
            class TwoAutos(models.Model):
                a = models.AutoField(primary_key=True)
                b = models.BigAutoField()

    def test_class_prepared_signal(self):
        seen = []

        def receiver(sender, **kwargs):
            seen.append(sender.__name__)

        signals.class_prepared.connect(receiver)
        try:
            class Prepared(models.Model):
                pass
        finally:
            signals.class_prepared.disconnect(receiver)
        self.assertEqual(seen, ["Prepared"])

    def test_default_manager_name(self):
        class Named(models.Model):
            first = models.Manager()
            second = models.Manager()

            class Meta:
                default_manager_name = "second"
                base_manager_name = "first"

        self.assertEqual(Named._default_manager.name, "second")
        self.assertEqual(Named._base_manager.name, "first")

        class BadName(models.Model):
            class Meta:
                default_manager_name = "missing"

        with self.assertRaisesMessage(ValueError, "BadName has no manager named 'missing'"):
            BadName._default_manager

    def test_system_checks(self):
        class Checked(models.Model):
            bad_ = models.IntegerField()
            choice = models.IntegerField(choices=[1, 2])

            class Meta:
                ordering = ["-missing", "bad_", "?", "pk"]

        ids = [e.id for e in Checked.check()]
        self.assertEqual(ids, ["fields.E001", "fields.E005", "models.E015"])
        self.assertIn("nonexistent field 'missing'", Checked.check()[-1].msg)
        self.assertEqual(Post.check(), [])

    def test_unique_together_unknown_field(self):
        with self.assertRaises(FieldDoesNotExist):
            class UT(models.Model):
                class Meta:
                    unique_together = [("nope", "id")]

    def test_index_names(self):
        with self.assertRaisesMessage(ValueError, "too long"):
            models.Index(fields=["a"], name="x" * 31)
        with self.assertRaisesMessage(ValueError, "must start with a letter"):
            models.Index(fields=["a"], name="_bad")
        with self.assertRaisesMessage(ValueError, "At least one field"):
            models.Index(fields=[], name="n")

        class Abs(models.Model):
            v = models.IntegerField()

            class Meta:
                abstract = True
                indexes = [models.Index(fields=["v"], name="%(app_label)s_%(class)s_v")]

        class Concrete(Abs):
            pass

        self.assertEqual(Concrete._meta.indexes[0].name, "model_meta_concrete_v")

        class Auto(models.Model):
            v = models.IntegerField()

            class Meta:
                indexes = [models.Index(fields=["-v"])]

        name = Auto._meta.indexes[0].name
        self.assertTrue(name.endswith("_idx") and len(name) <= 30, name)

        class AVeryLongModelNameIndeed(models.Model):
            a_rather_long_column = models.IntegerField()

            class Meta:
                indexes = [models.Index(fields=["a_rather_long_column"])]

        name = AVeryLongModelNameIndeed._meta.indexes[0].name
        self.assertEqual(len(name), 30, name)
        self.assertTrue(name.startswith("model_meta__a_rath") and name.endswith("_idx"), name)


class ProxyQueryTests(TestCase):
    def test_proxy_shares_table(self):
        Animal.objects.create(name="rex", sound="woof!")
        Animal.objects.create(name="cat", sound="meow")
        self.assertEqual(Dog.objects.count(), 2)
        self.assertEqual([d.name for d in Dog.loud.all()], ["rex"])
        rex = Dog.objects.get(name="rex")
        self.assertIsInstance(rex, Dog)
        self.assertEqual(rex.bark(), "rex says woof")
        d = Dog.objects.create(name="fido")
        self.assertEqual(Animal.objects.get(pk=d.pk).name, "fido")
        self.assertEqual([d.name for d in OrderedDog.objects.all()], ["rex", "fido", "cat"])
        self.assertEqual(d.delete(), (1, {"model_meta.Dog": 1}))

    def test_abstract_child_queries(self):
        Post.objects.create(title="a")
        self.assertEqual(Post.objects.get().tag, "t")


class ProxyParentsTests(SimpleTestCase):
    def test_parents_point_at_concrete_model(self):
        self.assertEqual(Dog._meta.parents, {Animal: None})
        self.assertEqual(OrderedDog._meta.parents, {Animal: None})
        self.assertEqual(OrderedDog._meta.get_parent_list(), [Animal])
        self.assertEqual([f.name for f in OrderedDog._meta.fields], ["id", "name", "sound"])
