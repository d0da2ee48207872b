"""Conditions, ordering and values across forward many-to-one relations."""
from django.core.exceptions import FieldError
from django.db.models import Count, F, Max, Q
from django.test import TestCase

from .models import Category, Country, Novel, Writer


class JoinTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        fr = Country.objects.create(name="France")
        uk = Country.objects.create(name="UK")
        cls.hugo = Writer.objects.create(name="Hugo", country=fr)
        cls.austen = Writer.objects.create(name="Austen", country=uk)
        cls.anon = Writer.objects.create(name="Anon", country=None)
        cls.n1 = Novel.objects.create(title="Les Miserables", pages=1400, writer=cls.hugo, editor=cls.austen)
        cls.n2 = Novel.objects.create(title="Emma", pages=474, writer=cls.austen)
        cls.n3 = Novel.objects.create(title="Persuasion", pages=249, writer=cls.austen, editor=cls.hugo)
        cls.n4 = Novel.objects.create(title="Beowulf", pages=90, writer=cls.anon)

    def titles(self, qs):
        return [n.title for n in qs]

    def test_filter_across_relations(self):
        self.assertEqual(self.titles(Novel.objects.filter(writer__name="Austen")), ["Emma", "Persuasion"])
        self.assertEqual(self.titles(Novel.objects.filter(writer__country__name="France")), ["Les Miserables"])
        self.assertEqual(self.titles(Novel.objects.filter(writer__name__startswith="A", pages__lt=300)), ["Beowulf", "Persuasion"])
        self.assertEqual(self.titles(Novel.objects.filter(Q(writer__name="Hugo") | Q(editor__name="Hugo"))), ["Les Miserables", "Persuasion"])
        self.assertEqual(self.titles(Novel.objects.filter(writer__country__isnull=True)), ["Beowulf"])
        self.assertEqual(self.titles(Novel.objects.filter(editor__name__isnull=True)), ["Beowulf", "Emma"])
        self.assertEqual(self.titles(Novel.objects.filter(writer__pk=self.hugo.pk)), ["Les Miserables"])
        self.assertEqual(Novel.objects.filter(writer__country__name="UK").count(), 2)

    def test_exclude_keeps_rows_without_related_row(self):
        self.assertEqual(self.titles(Novel.objects.exclude(editor__name="Hugo")), ["Beowulf", "Emma", "Les Miserables"])
        self.assertEqual(self.titles(Novel.objects.exclude(writer__country__name="UK")), ["Beowulf", "Les Miserables"])

    def test_order_values_and_f(self):
        self.assertEqual(self.titles(Novel.objects.order_by("writer__name", "-pages")), ["Beowulf", "Emma", "Persuasion", "Les Miserables"])
        self.assertEqual(
            list(Novel.objects.filter(pages__gt=400).values("title", "writer__name").order_by("title")),
            [{"title": "Emma", "writer__name": "Austen"}, {"title": "Les Miserables", "writer__name": "Hugo"}],
        )
        self.assertEqual(
            list(Novel.objects.values_list("writer__country__name", flat=True).distinct().order_by("writer__country__name").filter(writer__country__isnull=False)),
            ["France", "UK"],
        )
        rows = Novel.objects.annotate(who=F("writer__name")).filter(who="Hugo")
        self.assertEqual([(n.title, n.who) for n in rows], [("Les Miserables", "Hugo")])
        grouped = Novel.objects.values("writer__name").annotate(n=Count("id"), most=Max("pages")).order_by("writer__name")
        self.assertEqual([(r["writer__name"], r["n"], r["most"]) for r in grouped], [("Anon", 1, 90), ("Austen", 2, 474), ("Hugo", 1, 1400)])

    def test_writes_with_joined_conditions(self):
        self.assertEqual(Novel.objects.filter(writer__country__name="UK").update(pages=F("pages") + 1), 2)
        self.assertEqual(sorted(Novel.objects.values_list("pages", flat=True)), [90, 250, 475, 1400])
        with self.assertRaisesMessage(FieldError, "Joined field references are not permitted in this query"):
            Novel.objects.update(pages=F("writer__name"))
        deleted, _ = Novel.objects.filter(writer__name="Austen").delete()
        self.assertEqual(deleted, 2)
        self.assertEqual(self.titles(Novel.objects.all()), ["Beowulf", "Les Miserables"])

    def test_errors(self):
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field. Choices are: country, country_id, edited, id, name, novels"):
            Novel.objects.filter(writer__nope=1)
        # Multi-valued relations are supported since relations landed.
        self.assertEqual([w.name for w in Writer.objects.filter(novels__title="Emma")], ["Austen"])
        with self.assertRaisesMessage(FieldError, "Unsupported lookup 'nope' for CharField"):
            Novel.objects.filter(writer__name__nope=1)

    def test_unknown_field_on_related_model(self):
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field. Choices are: country, country_id, edited, id, name, novels"):
            Novel.objects.values("writer__nope__x")
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field. Choices are: id, name, writer"):
            Novel.objects.order_by("writer__country__nope")

    def test_select_related_on_a_clone_leaves_the_original_alone(self):
        by_writer = Novel.objects.select_related("writer")
        both = by_writer.select_related("editor__country")
        self.assertEqual(by_writer.query.select_related, {"writer": {}})
        self.assertEqual(both.query.select_related, {"writer": {}, "editor": {"country": {}}})
        novel = by_writer.get(title="Emma")
        self.assertFalse(Novel.editor.is_cached(novel))

    def test_ordering_that_never_ends_is_refused(self):
        Category.objects.create(name="root")
        with self.assertRaisesMessage(FieldError, "Infinite loop caused by ordering."):
            list(Category.objects.all())
        self.assertEqual([c.name for c in Category.objects.order_by("name")], ["root"])
