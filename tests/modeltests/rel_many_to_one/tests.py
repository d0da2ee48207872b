"""ForeignKey and OneToOneField: descriptors, reverse managers, errors."""
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.test import SimpleTestCase, TestCase

from .models import Book, Chapter, Memo, Note, Person, Place, Restaurant, Section, Tag, UserProfile


class ForwardDescriptorTests(TestCase):
    def setUp(self):
        self.ann = Person.objects.create(name="Ann")
        self.bob = Person.objects.create(name="Bob")
        self.book = Book.objects.create(title="Dune", author=self.ann)

    def test_attname_and_cache(self):
        self.assertEqual(self.book.author_id, self.ann.pk)
        book = Book.objects.get(pk=self.book.pk)
        with self.assertNumQueries(1):
            self.assertEqual(book.author, self.ann)
        with self.assertNumQueries(0):
            self.assertEqual(book.author.name, "Ann")

    def test_assign_instance_and_id(self):
        book = Book.objects.get(pk=self.book.pk)
        book.author = self.bob
        self.assertEqual(book.author_id, self.bob.pk)
        book.save()
        self.assertEqual(Book.objects.get(pk=book.pk).author, self.bob)
        # Changing the id forgets the cached object.
        book.author_id = self.ann.pk
        with self.assertNumQueries(1):
            self.assertEqual(book.author, self.ann)

    def test_constructor_by_id(self):
        book = Book(title="x", author_id=self.bob.pk)
        self.assertEqual(book.author, self.bob)

    def test_nullable_fk(self):
        self.assertIsNone(self.book.editor)
        self.book.editor = self.bob
        self.book.save()
        self.assertEqual(Book.objects.get(pk=self.book.pk).editor, self.bob)
        self.book.editor = None
        self.assertIsNone(self.book.editor_id)

    def test_wrong_type_assignment(self):
        place = Place.objects.create(name="p")
        with self.assertRaisesMessage(ValueError, 'Cannot assign "<Place: p>": "Book.author" must be a "Person" instance.'):
            self.book.author = place
        with self.assertRaisesMessage(ValueError, '"Book.author" must be a "Person" instance'):
            Book(title="y", author="Ann")

    def test_unsaved_related_object(self):
        new = Person(name="New")
        book = Book(title="x", author=new)
        with self.assertRaisesMessage(ValueError, "save() prohibited to prevent data loss due to unsaved related object 'author'."):
            book.save()
        new.save()
        book.save()  # the id is picked up now
        self.assertEqual(Book.objects.get(pk=book.pk).author, new)

    def test_none_to_non_null(self):
        with self.assertRaisesMessage(ValueError, 'Cannot assign None: "Book.author" does not allow null values.'):
            self.book.author = None

    def test_unset_non_null_raises_related_does_not_exist(self):
        book = Book(title="no author")
        with self.assertRaises(Book.author.RelatedObjectDoesNotExist):
            book.author
        with self.assertRaises(Person.DoesNotExist):
            book.author
        with self.assertRaises(AttributeError):
            book.author

    def test_lazy_string_references(self):
        self.assertIs(Chapter._meta.get_field("book").remote_field.model, Book)
        self.assertIs(Chapter._meta.get_field("section").remote_field.model, Section)
        self.assertIs(Section._meta.get_field("parent").remote_field.model, Section)
        self.assertIs(UserProfile._meta.get_field("user").related_model, Person)

    def test_to_field(self):
        s = Section.objects.create(name="news")
        tag = Tag.objects.create(section=s, label="hot")
        self.assertEqual(tag.section_id, "news")
        self.assertEqual(Tag.objects.get(pk=tag.pk).section, s)
        self.assertEqual(list(s.tag_set.all()), [tag])
        self.assertEqual(list(Tag.objects.filter(section=s)), [tag])

    def test_filter_by_instance_and_in(self):
        Book.objects.create(title="Emma", author=self.bob)
        self.assertEqual([b.title for b in Book.objects.filter(author=self.ann)], ["Dune"])
        self.assertEqual([b.title for b in Book.objects.filter(author=self.ann.pk)], ["Dune"])
        self.assertEqual(
            [b.title for b in Book.objects.filter(author__in=[self.ann, self.bob])], ["Dune", "Emma"]
        )
        self.assertEqual([b.title for b in Book.objects.filter(editor__isnull=True)], ["Dune", "Emma"])
        self.assertEqual(
            [b.title for b in Book.objects.filter(author__in=Person.objects.filter(name="Bob"))], ["Emma"]
        )

    def test_filter_values_of_every_kind(self):
        s = Section.objects.create(name="news")
        tag = Tag.objects.create(section=s, label="hot")
        # An instance is compared on the to_field column, a 1-tuple by its item.
        self.assertEqual(list(Tag.objects.filter(section=s)), [tag])
        self.assertEqual(list(Tag.objects.filter(section=("news",))), [tag])
        self.assertEqual(list(Tag.objects.filter(section__in=[s, "nope"])), [tag])
        self.assertEqual(list(Tag.objects.filter(section__in=Section.objects.all())), [tag])
        self.assertEqual(list(Book.objects.filter(author__gt=self.ann.pk - 1, author__lte=self.ann)), [self.book])
        with self.assertRaisesMessage(ValueError, "Model instances passed to related filters must be saved"):
            Book.objects.filter(author=Person(name="x"))

    def test_update_with_instance(self):
        self.assertEqual(Book.objects.filter(pk=self.book.pk).update(author=self.bob), 1)
        self.assertEqual(Book.objects.get(pk=self.book.pk).author, self.bob)
        self.assertEqual(Book.objects.update(editor=None), 1)
        with self.assertRaisesMessage(ValueError, "Unsaved model instance <Person: new> cannot be used in an ORM query."):
            Book.objects.update(author=Person(name="new"))

    def test_values_of_fk(self):
        self.assertEqual(list(Book.objects.values_list("author", flat=True)), [self.ann.pk])
        self.assertEqual(list(Book.objects.values("author_id")), [{"author_id": self.ann.pk}])

    def test_default_on_delete_is_cascade(self):
        field = Book._meta.get_field("author")
        self.assertIs(field.remote_field.on_delete, models.CASCADE)
        self.assertEqual(field.deconstruct()[3]["on_delete"], models.CASCADE)


class ReverseManagerTests(TestCase):
    def setUp(self):
        self.ann = Person.objects.create(name="Ann")
        self.bob = Person.objects.create(name="Bob")
        self.dune = Book.objects.create(title="Dune", author=self.ann)
        self.emma = Book.objects.create(title="Emma", author=self.bob)

    def test_all_filter_count(self):
        self.assertEqual(list(self.ann.book_set.all()), [self.dune])
        self.assertEqual(self.ann.book_set.count(), 1)
        self.assertEqual(list(self.ann.book_set.filter(title__startswith="E")), [])
        self.assertEqual(self.ann.book_set.get(), self.dune)

    def test_create_get_or_create_update_or_create(self):
        b = self.ann.book_set.create(title="Anna")
        self.assertEqual(b.author, self.ann)
        obj, created = self.ann.book_set.get_or_create(title="Anna")
        self.assertEqual((obj, created), (b, False))
        obj, created = self.ann.book_set.get_or_create(title="Persuasion")
        self.assertTrue(created)
        self.assertEqual(obj.author_id, self.ann.pk)
        obj, created = self.ann.book_set.update_or_create(title="Anna", defaults={"pages": 5})
        self.assertFalse(created)
        self.assertEqual(Book.objects.get(pk=b.pk).pages, 5)

    def test_add_bulk_uses_one_update(self):
        with self.assertNumQueries(1):
            self.ann.book_set.add(self.emma)
        self.assertEqual(Book.objects.get(pk=self.emma.pk).author, self.ann)
        self.assertEqual(self.emma.author, self.ann)

    def test_add_not_bulk_saves(self):
        new = Book(title="Unsaved", author=self.bob)
        with self.assertRaisesMessage(ValueError, "isn't saved. Use bulk=False or save the object first."):
            self.ann.book_set.add(new)
        self.ann.book_set.add(new, bulk=False)
        self.assertIsNotNone(new.pk)
        self.assertEqual(self.ann.book_set.count(), 2)

    def test_add_wrong_type(self):
        with self.assertRaisesMessage(TypeError, "'Book' instance expected, got <Person: Bob>"):
            self.ann.book_set.add(self.bob)

    def test_remove_and_clear_only_for_nullable(self):
        self.assertFalse(hasattr(self.ann.book_set, "remove"))
        self.assertFalse(hasattr(self.ann.book_set, "clear"))
        with self.assertRaises(AttributeError):
            self.ann.book_set.remove(self.dune)
        self.ann.edited.add(self.dune, self.emma)
        self.assertEqual(list(self.ann.edited.all()), [self.dune, self.emma])
        self.ann.edited.remove(self.dune)
        self.assertEqual(list(self.ann.edited.all()), [self.emma])
        with self.assertRaisesMessage(Person.DoesNotExist, "is not related to"):
            self.ann.edited.remove(Book.objects.get(pk=self.dune.pk))
        self.ann.edited.clear()
        self.assertEqual(list(self.ann.edited.all()), [])
        self.assertEqual(Book.objects.count(), 2)
        self.ann.edited.add(self.dune)
        self.ann.edited.clear(bulk=False)
        self.assertIsNone(Book.objects.get(pk=self.dune.pk).editor_id)

    def test_set_and_direct_assignment(self):
        self.ann.edited.set([self.dune])
        self.assertEqual(list(self.ann.edited.all()), [self.dune])
        self.ann.edited.set([self.emma])
        self.assertEqual(list(self.ann.edited.all()), [self.emma])
        self.ann.edited.set([self.dune, self.emma], clear=True)
        self.assertEqual(list(self.ann.edited.all()), [self.dune, self.emma])
        # The baseline era allowed assignment: it means set().
        self.ann.edited = [self.dune]
        self.assertEqual(list(self.ann.edited.all()), [self.dune])
        self.bob.book_set = [self.dune]
        self.assertEqual(list(self.bob.book_set.all()), [self.dune, self.emma])

    def test_unsaved_instance(self):
        with self.assertRaisesMessage(ValueError, 'needs to have a value for field "id" before this relationship can be used.'):
            Person(name="new").book_set.all()

    def test_create_points_at_the_instance_whatever_is_passed(self):
        book = self.ann.book_set.create(title="Anna", author=self.bob)
        self.assertEqual(Book.objects.get(pk=book.pk).author, self.ann)

    def test_add_checks_every_object_before_writing(self):
        with self.assertRaises(TypeError):
            self.ann.book_set.add(self.emma, self.bob)
        self.assertEqual(self.emma.author, self.bob)
        self.assertEqual(Book.objects.get(pk=self.emma.pk).author, self.bob)

    def test_remove_wrong_type(self):
        with self.assertRaisesMessage(TypeError, "'Book' instance expected, got <Person: Bob>"):
            self.ann.edited.remove(self.bob)

    def test_set_with_bulk_false_saves(self):
        self.ann.edited.add(self.dune)
        self.ann.edited.set([self.emma], bulk=False)
        self.assertEqual(list(self.ann.edited.all()), [self.emma])
        self.assertIsNone(Book.objects.get(pk=self.dune.pk).editor_id)

    def test_other_manager_of_the_related_model(self):
        self.assertEqual(list(self.ann.book_set(manager="objects").all()), [self.dune])

    def test_set_saves_unsaved_objects_without_bulk(self):
        new = Book(title="New", author=self.bob)
        self.ann.edited.set([new, self.dune], bulk=False)
        self.assertIsNotNone(new.pk)
        self.assertEqual(list(self.ann.edited.all()), [self.dune, new])

    def test_related_name_and_hidden(self):
        self.assertTrue(hasattr(Book, "chapters"))
        self.assertFalse(hasattr(Section, "chapter_set"))
        self.assertEqual(Person._meta.get_field("edited").related_model, Book)
        self.assertEqual(Section._meta.get_field("tagged").related_model, Tag)
        self.assertEqual(Section._meta.get_field("children").related_model, Section)
        self.assertEqual(
            sorted(f.name for f in Person._meta.get_fields() if f.auto_created and not f.concrete),
            ["book", "edited", "memo_owned", "note_owned", "userprofile"],
        )

    def test_custom_manager_in_related(self):
        s = Section.objects.create(name="root")
        c = Section.objects.create(name="child", parent=s)
        self.assertEqual(list(s.children.all()), [c])
        self.assertEqual(list(c.children.all()), [])


class OneToOneTests(TestCase):
    def setUp(self):
        self.place = Place.objects.create(name="Demon Dogs")
        self.rest = Restaurant.objects.create(place=self.place, serves_pizza=True)

    def test_both_directions(self):
        self.assertEqual(self.rest.place, self.place)
        place = Place.objects.get(pk=self.place.pk)
        with self.assertNumQueries(1):
            self.assertEqual(place.restaurant, self.rest)
        with self.assertNumQueries(0):
            self.assertEqual(place.restaurant.place, place)
        self.assertEqual(self.rest.pk, self.place.pk)

    def test_reverse_missing(self):
        other = Place.objects.create(name="Ace")
        with self.assertRaises(Place.restaurant.RelatedObjectDoesNotExist):
            other.restaurant
        with self.assertRaises(Restaurant.DoesNotExist):
            other.restaurant
        self.assertFalse(hasattr(other, "restaurant"))
        self.assertTrue(issubclass(Place.restaurant.RelatedObjectDoesNotExist, ObjectDoesNotExist))

    def test_reverse_assignment(self):
        other = Place.objects.create(name="Ace")
        r = Restaurant(serves_pizza=False)
        other.restaurant = r
        self.assertEqual(r.place_id, other.pk)
        r.save()
        self.assertEqual(Place.objects.get(pk=other.pk).restaurant, r)
        with self.assertRaisesMessage(ValueError, 'must be a "Restaurant" instance'):
            other.restaurant = other

    def test_userprofile(self):
        p = Person.objects.create(name="Zed")
        UserProfile.objects.create(user=p, flavor="vanilla")
        self.assertEqual(Person.objects.get(pk=p.pk).userprofile.flavor, "vanilla")
        self.assertEqual(UserProfile._meta.get_field("user").unique, True)


class MetaTests(SimpleTestCase):
    def test_field_flags(self):
        fk = Book._meta.get_field("author")
        self.assertTrue(fk.is_relation and fk.many_to_one)
        self.assertEqual(fk.attname, "author_id")
        self.assertIs(fk.target_field, Person._meta.pk)
        rel = Person._meta.get_field("book")
        self.assertTrue(rel.one_to_many and rel.auto_created and not rel.concrete)
        self.assertIs(rel.field, fk)
        self.assertEqual(rel.get_accessor_name(), "book_set")
        o2o = Restaurant._meta.get_field("place")
        self.assertTrue(o2o.one_to_one)
        self.assertEqual(Place._meta.get_field("restaurant").get_accessor_name(), "restaurant")
        self.assertNotIn(rel, Person._meta.fields)
        self.assertIn(rel, Person._meta.related_objects)

    def test_unknown_field(self):
        with self.assertRaises(FieldDoesNotExist):
            Person._meta.get_field("nope")

    def test_bad_target(self):
        with self.assertRaisesMessage(TypeError, "First parameter to ForeignKey must be either a model"):
            models.ForeignKey(42)
        with self.assertRaisesMessage(TypeError, "on_delete must be callable"):
            models.ForeignKey(Person, on_delete="cascade")


class FieldAPITests(TestCase):
    def test_abstract_related_names(self):
        ann = Person.objects.create(name="Ann")
        note = Note.objects.create(owner=ann, text="n")
        memo = Memo.objects.create(owner=ann, text="m")
        self.assertEqual(list(ann.rel_many_to_one_note_set.all()), [note])
        self.assertEqual(list(ann.rel_many_to_one_memo_set.all()), [memo])
        self.assertIsNot(Note._meta.get_field("owner"), Memo._meta.get_field("owner"))
        self.assertIs(Note._meta.get_field("owner").remote_field.field, Note._meta.get_field("owner"))
        self.assertEqual(Person._meta.get_field("note_owned").related_model, Note)
        self.assertEqual(Note._meta.get_field("owner").get_limit_choices_to(), {"name__startswith": "A"})

    def test_deconstruct(self):
        name, path, args, kwargs = Book._meta.get_field("editor").deconstruct()
        self.assertEqual(path, "django.db.models.ForeignKey")
        self.assertEqual(kwargs["to"], "rel_many_to_one.person")
        self.assertEqual(kwargs["related_name"], "edited")
        self.assertIs(kwargs["on_delete"], models.SET_NULL)
        self.assertTrue(kwargs["null"])
        name, path, args, kwargs = Tag._meta.get_field("section").deconstruct()
        self.assertEqual(kwargs["to_field"], "name")
        self.assertEqual(kwargs["related_query_name"], "tagged")
        name, path, args, kwargs = Restaurant._meta.get_field("place").deconstruct()
        self.assertEqual(path, "django.db.models.OneToOneField")
        self.assertNotIn("unique", kwargs)
        field = Book._meta.get_field("editor").clone()
        self.assertEqual(field.remote_field.related_name, "edited")

    def test_validate_and_clean(self):
        ann = Person.objects.create(name="Ann")
        book = Book(title="t", author_id=ann.pk)
        book.full_clean(exclude=["editor"])
        book.author_id = ann.pk + 100
        with self.assertRaises(ValidationError) as cm:
            book.full_clean(exclude=["editor"])
        self.assertIn("author", cm.exception.message_dict)
        field = Book._meta.get_field("author")
        self.assertEqual(field.to_python("3"), 3)
        self.assertEqual(field.get_prep_value("4"), 4)
        self.assertEqual(field.value_to_string(book), str(ann.pk + 100))

    def test_model_instance_default(self):
        field = models.ForeignKey(Person, models.CASCADE, default=None)
        self.assertIsNone(field.get_default())

    def test_reverse_rel_api(self):
        rel = Person._meta.get_field("edited")
        self.assertEqual(rel.name, "edited")
        self.assertIs(rel.remote_field, Book._meta.get_field("editor"))
        self.assertIs(rel.target_field, Book._meta.pk)
        self.assertEqual(rel.get_joining_columns(), (("id", "editor_id"),))
        self.assertTrue(rel.null and not rel.concrete and rel.is_relation)
        self.assertIsNotNone(rel.get_lookup("exact"))
        self.assertIn("rel_many_to_one.book", repr(rel))
        self.assertEqual(rel.get_related_field() if hasattr(rel, "get_related_field") else None, Person._meta.pk)

    def test_checks(self):
        from django.apps.registry import Apps

        isolated = Apps(["modeltests.rel_many_to_one"])

        class Dangling(models.Model):
            target = models.ForeignKey("NoSuchModel", models.CASCADE)

            class Meta:
                app_label = "rel_many_to_one"
                apps = isolated

        errors = Dangling._meta.get_field("target").check()
        self.assertEqual([e.id for e in errors], ["fields.E300"])
        self.assertIn("NoSuchModel", errors[0].msg)

    def test_clash_checks(self):
        from django.apps.registry import Apps

        isolated = Apps(["modeltests.rel_many_to_one"])

        class Target(models.Model):
            book_set = models.IntegerField(default=0)

            class Meta:
                app_label = "rel_many_to_one"
                apps = isolated

        class Book(models.Model):
            first = models.ForeignKey(Target, models.CASCADE)
            second = models.ForeignKey(Target, models.CASCADE, related_name="other")
            third = models.ForeignKey(Target, models.CASCADE, related_name="other")

            class Meta:
                app_label = "rel_many_to_one"
                apps = isolated

        ids = [e.id for e in Book.check()]
        self.assertIn("fields.E302", ids)
        self.assertIn("fields.E304", ids)
        self.assertIn("fields.E305", ids)
        self.assertEqual(Person.check(), [])
        self.assertEqual(Book.__module__, __name__)
