"""
Meta.order_with_respect_to: the ``_order`` column, its numbering on insert,
the model's default ordering, and the order methods on both sides, on the
parent's database.
"""
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.proxy import OrderWrt
from django.test import TestCase
from django.test.utils import isolate_apps

from .models import Answer, Question, Recipe, ShortAnswer, Step


class OrderColumnTests(TestCase):
    def test_model_gets_an_order_wrt_column(self):
        field = Answer._meta.get_field("_order")
        self.assertIsInstance(field, OrderWrt)
        self.assertIsInstance(field, models.IntegerField)
        self.assertFalse(field.editable)
        self.assertEqual(
            field.deconstruct(), ("_order", "django.db.models.OrderWrt", [], {"editable": False})
        )
        self.assertIs(models.OrderWrt, OrderWrt)

    def test_option_is_resolved_to_the_foreign_key(self):
        self.assertIs(Answer._meta.order_with_respect_to, Answer._meta.get_field("question"))

    def test_default_ordering_is_order(self):
        self.assertEqual(list(Answer._meta.ordering), ["_order"])

    def test_new_rows_are_numbered_within_their_parent(self):
        q1, q2 = Question.objects.create(text="q1"), Question.objects.create(text="q2")
        a = [Answer.objects.create(question=q1, text=str(i)) for i in range(3)]
        b = Answer.objects.create(question=q2, text="b")
        self.assertEqual([x._order for x in a], [0, 1, 2])
        self.assertEqual(b._order, 0)
        self.assertEqual(
            list(Answer.objects.filter(question=q1).values_list("_order", flat=True)), [0, 1, 2]
        )

    def test_numbering_continues_after_a_deletion(self):
        q = Question.objects.create(text="q")
        a = [Answer.objects.create(question=q, text=str(i)) for i in range(3)]
        a[1].delete()
        self.assertEqual(Answer.objects.create(question=q, text="new")._order, 3)

    def test_insert_overrides_a_given_order_and_update_keeps_it(self):
        q = Question.objects.create(text="q")
        Answer.objects.create(question=q, text="first")
        answer = Answer(question=q, text="given", _order=50)
        answer.save()
        self.assertEqual(answer._order, 1)
        answer.text = "changed"
        answer.save()
        self.assertEqual(Answer.objects.get(pk=answer.pk)._order, 1)

    def test_bulk_create_numbers_rows_without_an_order(self):
        q1, q2 = Question.objects.create(text="q1"), Question.objects.create(text="q2")
        Answer.objects.create(question=q1, text="existing")
        made = Answer.objects.bulk_create([
            Answer(question=q1, text="a"), Answer(question=q2, text="b"),
            Answer(question=q1, text="c"), Answer(question=q1, text="given", _order=50),
        ])
        self.assertEqual([x._order for x in made], [1, 0, 2, 50])
        self.assertEqual(
            list(Answer.objects.filter(question=q1).values_list("text", flat=True)),
            ["existing", "a", "c", "given"],
        )

    def test_default_ordering_follows_order_not_pk(self):
        q = Question.objects.create(text="q")
        a = [Answer.objects.create(question=q, text=str(i)) for i in range(3)]
        q.set_answer_order([a[2].pk, a[0].pk, a[1].pk])
        self.assertEqual([x.text for x in Answer.objects.filter(question=q)], ["2", "0", "1"])

    def test_serialized_with_the_row(self):
        q = Question.objects.create(text="q")
        Answer.objects.create(question=q, text="x")
        answer = Answer.objects.create(question=q, text="y")
        data = serializers.serialize("json", [answer])
        self.assertIn('"_order": 1', data)
        Answer.objects.filter(pk=answer.pk).delete()
        # Loading (a raw save) keeps the stored position.
        for obj in serializers.deserialize("json", data):
            obj.save()
        self.assertEqual(Answer.objects.get(pk=answer.pk)._order, 1)


    def test_fixture_rows_without_an_order_are_numbered(self):
        q = Question.objects.create(text="q")
        Answer.objects.create(question=q, text="x")
        data = '[{"model": "model_order_wrt.answer", "pk": 99, "fields": {"question": %d, "text": "y"}}]'
        for obj in serializers.deserialize("json", data % q.pk):
            obj.save()
        self.assertEqual(Answer.objects.get(pk=99)._order, 1)


class ParentMethodTests(TestCase):
    def setUp(self):
        self.q = Question.objects.create(text="q")
        self.a = [Answer.objects.create(question=self.q, text=str(i)) for i in range(3)]

    def test_get_order_lists_child_pks_in_order(self):
        self.assertEqual(list(self.q.get_answer_order()), [x.pk for x in self.a])

    def test_get_order_is_empty_for_a_parent_without_children(self):
        self.assertEqual(list(Question.objects.create(text="empty").get_answer_order()), [])

    def test_set_order_rewrites_order(self):
        new = [self.a[1].pk, self.a[2].pk, self.a[0].pk]
        self.q.set_answer_order(new)
        self.assertEqual(list(self.q.get_answer_order()), new)
        self.assertEqual(
            dict(Answer.objects.values_list("pk", "_order")),
            {self.a[1].pk: 0, self.a[2].pk: 1, self.a[0].pk: 2},
        )

    def test_set_order_leaves_other_parents_children_alone(self):
        other = Question.objects.create(text="other")
        stranger = Answer.objects.create(question=other, text="s")
        self.q.set_answer_order([stranger.pk, self.a[0].pk])
        self.assertEqual(Answer.objects.get(pk=stranger.pk)._order, 0)
        self.assertEqual(Answer.objects.get(pk=self.a[0].pk)._order, 1)

    def test_methods_on_a_lazily_related_parent(self):
        recipe = Recipe.objects.create(name="r")
        steps = [Step.objects.create(recipe=recipe, text=str(i)) for i in range(2)]
        recipe.set_step_order([steps[1].pk, steps[0].pk])
        self.assertEqual(list(recipe.get_step_order()), [steps[1].pk, steps[0].pk])

    def test_proxy_rows_share_the_order(self):
        proxied = ShortAnswer.objects.create(question=self.q, text="proxied")
        self.assertEqual(proxied._order, 3)
        texts = [x.text for x in ShortAnswer.objects.filter(question=self.q)]
        self.assertEqual(texts, ["0", "1", "2", "proxied"])
        self.assertEqual(proxied.get_previous_in_order().pk, self.a[2].pk)

    def test_next_and_previous_in_order(self):
        self.q.set_answer_order([self.a[2].pk, self.a[0].pk, self.a[1].pk])
        self.assertEqual(self.a[0].get_next_in_order(), self.a[1])
        self.assertEqual(self.a[0].get_previous_in_order(), self.a[2])
        with self.assertRaisesMessage(Answer.DoesNotExist, "is the last in its order"):
            self.a[1].get_next_in_order()
        with self.assertRaisesMessage(Answer.DoesNotExist, "is the first in its order"):
            self.a[2].get_previous_in_order()


class DeclarationErrorTests(TestCase):
    @isolate_apps("regressiontests.model_order_wrt")
    def test_unknown_field_is_named(self):
        with self.assertRaisesMessage(FieldDoesNotExist, "order_with_respect_to refers to 'nope'"):
            class Bad(models.Model):
                class Meta:
                    order_with_respect_to = "nope"

    @isolate_apps("regressiontests.model_order_wrt")
    def test_non_foreign_key_is_refused(self):
        with self.assertRaisesMessage(TypeError, "must name a ForeignKey; 'name' is a CharField"):
            class Bad(models.Model):
                name = models.CharField(max_length=10)

                class Meta:
                    order_with_respect_to = "name"

    @isolate_apps("regressiontests.model_order_wrt")
    def test_ordering_and_order_with_respect_to_conflict(self):
        class Parent(models.Model):
            pass

        with self.assertRaisesMessage(TypeError, "cannot be used together"):
            class Bad(models.Model):
                parent = models.ForeignKey(Parent, models.CASCADE)

                class Meta:
                    order_with_respect_to = "parent"
                    ordering = ["pk"]


class OtherDatabaseTests(TestCase):
    databases = {"default", "other"}

    def test_order_methods_use_the_parents_database(self):
        q = Question.objects.using("other").create(text="q")
        a = [Answer.objects.using("other").create(question=q, text=str(i)) for i in range(3)]
        # A same-pk parent on default has no children: nothing leaks across.
        Question.objects.create(pk=q.pk, text="default twin")
        self.assertEqual([x._order for x in a], [0, 1, 2])
        self.assertEqual(list(q.get_answer_order()), [x.pk for x in a])
        q.set_answer_order([a[2].pk, a[1].pk, a[0].pk])
        self.assertEqual(
            list(Answer.objects.using("other").values_list("pk", flat=True)),
            [a[2].pk, a[1].pk, a[0].pk],
        )
        self.assertFalse(Answer.objects.using("default").exists())
        self.assertEqual(a[0].get_previous_in_order(), a[1])

    def test_numbering_counts_rows_on_the_insert_database(self):
        for alias in ("default", "other"):
            Question.objects.using(alias).create(pk=1, text=alias)
        Answer.objects.using("default").create(question_id=1, text="d")
        on_other = Answer.objects.using("other").create(question_id=1, text="o")
        self.assertEqual(on_other._order, 0)


class DocExamplesTests(TestCase):
    """The ``>>>`` examples of docs/ref/models/options.txt run."""

    databases = {"default", "other"}

    def test_reference_page(self):
        from doc_examples import run_doc_examples

        globs = {"Question": Question, "Answer": Answer}
        run_doc_examples(self, "ref/models/options.txt", globs, more_than=10)
