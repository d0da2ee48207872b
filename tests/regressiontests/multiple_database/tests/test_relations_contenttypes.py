"""Content types and generic relations on each database (patch 0005).

Each database numbers its content types itself: the tests give Poem one
id on 'default' and another on 'other' (as when the two databases got
their rows in different orders), and the same poem primary key on both,
so that an id or a row taken from the wrong database shows.
"""
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.db import ConnectionDoesNotExist, connections
from django.test import TestCase
from django.test.utils import override_settings

from ..models import Club, Poem, Tag


def number_content_types_apart(test_case):
    """Give Poem and Club other content type ids on 'other' than on
    'default' (ids neither database uses yet); return ``{alias: Poem's
    content type there}``."""
    test_case.addCleanup(ContentType.objects.clear_cache)
    ContentType.objects.clear_cache()
    for model in (Poem, Club):
        ContentType.objects.db_manager("default").get_for_model(model)
    on_other = ContentType.objects.db_manager("other")
    on_other.filter(app_label="multiple_database", model__in=["poem", "club"]).delete()
    top = max(ContentType.objects.using(alias).order_by("-pk").values_list("pk", flat=True).first() or 0
              for alias in ("default", "other"))
    on_other.create(pk=top + 1, app_label="multiple_database", model="poem")
    on_other.create(pk=top + 2, app_label="multiple_database", model="club")
    ContentType.objects.clear_cache()
    found = {alias: ContentType.objects.db_manager(alias).get_for_model(Poem) for alias in ("default", "other")}
    test_case.assertNotEqual(found["default"].pk, found["other"].pk)
    return found


def model_named_on(alias, ct_id):
    """The model name ``ContentType.objects.db_manager(alias).get_for_id()``
    answers for ``ct_id`` (None: no such row there)."""
    try:
        return ContentType.objects.db_manager(alias).get_for_id(ct_id).model
    except ContentType.DoesNotExist:
        return None


class Recorder:
    """Records every (method, model, hints) a router is asked; answers
    nothing, so the default routing applies."""

    def __init__(self):
        self.calls = []

    def db_for_read(self, model, **hints):
        self.calls.append(("db_for_read", model.__name__, hints))

    def db_for_write(self, model, **hints):
        self.calls.append(("db_for_write", model.__name__, hints))

    def allow_relation(self, obj1, obj2, **hints):
        self.calls.append(("allow_relation", type(obj1).__name__, type(obj2).__name__))


class AllowEverything:
    def allow_relation(self, obj1, obj2, **hints):
        return True


class ContentTypeCachePerDatabaseTests(TestCase):
    """``ContentType.objects.db_manager(alias)`` answers with that
    database's rows; the cache never serves one database's id on another."""

    databases = {"default", "other"}

    def setUp(self):
        self.poem_type = number_content_types_apart(self)

    def test_get_for_model_returns_the_row_of_the_database_asked(self):
        for alias in ("default", "other"):
            with self.subTest(alias=alias):
                ct = ContentType.objects.db_manager(alias).get_for_model(Poem)
                self.assertEqual(ct.pk, self.poem_type[alias].pk)
                self.assertEqual(ct._state.db, alias)
                self.assertTrue(ContentType.objects.using(alias).filter(pk=ct.pk, model="poem").exists())

    def test_a_cached_row_is_served_again_without_a_query(self):
        on_default = ContentType.objects.db_manager("default")
        on_default.get_for_model(Poem)
        with self.assertNumQueries(0, using="default"):
            self.assertEqual(on_default.get_for_model(Poem).pk, self.poem_type["default"].pk)

    def test_one_databases_cache_is_never_served_for_another(self):
        ContentType.objects.db_manager("default").get_for_model(Club)  # cached for 'default'
        club_on_other = ContentType.objects.db_manager("other").get_for_model(Club)
        self.assertNotEqual(club_on_other.pk, ContentType.objects.get_for_model(Club).pk)
        self.assertTrue(ContentType.objects.using("other").filter(pk=club_on_other.pk, model="club").exists())

    def test_two_servers_with_the_same_database_name_keep_their_own_ids(self):
        # Same NAME, two aliases (two servers): the alias keeps them apart.
        same_name = connections["default"].settings_dict["NAME"]
        with mock.patch.dict(connections["other"].settings_dict, NAME=same_name):
            ContentType.objects.clear_cache()
            self.assertEqual(ContentType.objects.get_for_model(Poem).pk, self.poem_type["default"].pk)
            on_other = ContentType.objects.db_manager("other")
            self.assertEqual(on_other.get_for_model(Poem).pk, self.poem_type["other"].pk)
            self.assertEqual(on_other.get_for_models(Poem)[Poem].pk, self.poem_type["other"].pk)
            self.assertNotEqual(model_named_on("other", self.poem_type["default"].pk), "poem")

    def test_get_for_models_on_a_database(self):
        found = ContentType.objects.db_manager("other").get_for_models(Poem, Club)
        self.assertEqual(found[Poem].pk, self.poem_type["other"].pk)
        self.assertEqual({ct._state.db for ct in found.values()}, {"other"})

    def test_get_for_id_reads_the_database_asked(self):
        other_id = self.poem_type["other"].pk
        self.assertEqual(ContentType.objects.db_manager("other").get_for_id(other_id).model, "poem")
        # The id 'default' uses for Poem names nothing, or another model, there.
        ContentType.objects.get_for_id(self.poem_type["default"].pk)  # cached for 'default'
        self.assertNotEqual(model_named_on("other", self.poem_type["default"].pk), "poem")

    def test_clear_cache_forgets_every_database(self):
        on_other = ContentType.objects.db_manager("other")
        on_other.get_for_model(Poem)
        ContentType.objects.get_for_model(Poem)
        ContentType.objects.clear_cache()
        with self.assertNumQueries(1, using="other"):
            on_other.get_for_id(self.poem_type["other"].pk)
        with self.assertNumQueries(1, using="default"):
            ContentType.objects.get_for_id(self.poem_type["default"].pk)

    def test_deleting_a_content_type_forgets_it(self):
        on_other = ContentType.objects.db_manager("other")
        ct = on_other.create(app_label="multiple_database", model="gone")
        on_other.get_for_id(ct.pk)
        ct.delete()
        with self.assertRaises(ContentType.DoesNotExist):
            on_other.get_for_id(ct.pk)


class PoemReadsToOther(Recorder):
    """Records; sends reads of Poem to 'other'."""

    def db_for_read(self, model, **hints):
        super().db_for_read(model, **hints)
        return "other" if model is Poem else None


class ObjectsOfAContentTypeTests(TestCase):
    """``get_object_for_this_type()`` and ``get_all_objects_for_this_type()``
    read where the routers send reads of the model, whatever database the
    content type was read from (Django 6.1, observed black-box)."""

    databases = {"default", "other"}

    def setUp(self):
        self.poem_type = number_content_types_apart(self)
        for alias in ("default", "other"):
            Poem.objects.using(alias).create(pk=7, title="on " + alias)

    def test_get_object_without_a_router_reads_default(self):
        # The content type comes from 'other'; the poem does not.
        poem = self.poem_type["other"].get_object_for_this_type(pk=7)
        self.assertEqual((poem.title, poem._state.db), ("on default", "default"))

    def test_get_object_reads_where_the_router_sends_the_models_reads(self):
        router = PoemReadsToOther()
        with override_settings(DATABASE_ROUTERS=[router]):
            poem = self.poem_type["default"].get_object_for_this_type(pk=7)
        self.assertEqual((poem.title, poem._state.db), ("on other", "other"))
        # Asked once, about the model, with no hints.
        self.assertEqual(router.calls, [("db_for_read", "Poem", {})])

    def test_get_object_using_a_database_asks_no_router(self):
        router = PoemReadsToOther()
        with override_settings(DATABASE_ROUTERS=[router]):
            poem = self.poem_type["other"].get_object_for_this_type(using="default", pk=7)
        self.assertEqual((poem.title, poem._state.db), ("on default", "default"))
        self.assertEqual(router.calls, [])

    def test_get_object_using_an_unknown_alias_names_it(self):
        with self.assertRaisesMessage(ConnectionDoesNotExist, "There is no database 'nowhere' to use"):
            self.poem_type["other"].get_object_for_this_type(using="nowhere", pk=7)

    def test_get_all_objects_is_routed_as_any_query_of_the_model(self):
        for alias in ("default", "other"):
            with self.subTest(alias=alias):
                poems = self.poem_type[alias].get_all_objects_for_this_type(pk=7)
                self.assertEqual(poems.db, "default")
                self.assertEqual([p.title for p in poems], ["on default"])
                with override_settings(DATABASE_ROUTERS=[PoemReadsToOther()]):
                    self.assertEqual(self.poem_type[alias].get_all_objects_for_this_type(pk=7).db, "other")


class PoemsAndTagsOnBothDatabases(TestCase):
    """The same poem (pk 7) and one tag pointing at it on each database,
    whose content type ids for Poem differ."""

    databases = {"default", "other"}

    def setUp(self):
        self.poem_type = number_content_types_apart(self)
        self.poems = {}
        for alias in ("default", "other"):
            self.poems[alias] = Poem.objects.using(alias).create(pk=7, title="on " + alias)
            Tag.objects.using(alias).create(
                label="tag on " + alias, content_type=self.poem_type[alias], object_id=7
            )


class GenericForeignKeyTests(PoemsAndTagsOnBothDatabases):
    """``tag.content_object`` reads the content type and the object on the
    tag's database; assigning records the id that database uses."""

    databases = {"default", "other"}

    def tag_on(self, alias):
        return Tag.objects.using(alias).get()

    def test_reading_the_object_follows_the_tags_database(self):
        for alias in ("default", "other"):
            with self.subTest(alias=alias):
                poem = self.tag_on(alias).content_object
                self.assertEqual((poem.title, poem._state.db), ("on " + alias, alias))

    def test_reading_the_object_asks_no_router(self):
        # Django 6.1, observed with a recording router: no call at all.
        recorder = Recorder()
        tag = self.tag_on("other")
        with override_settings(DATABASE_ROUTERS=[recorder]):
            self.assertEqual(tag.content_object.title, "on other")
        self.assertEqual(recorder.calls, [])

    def test_prefetching_reads_the_tags_database(self):
        tags = list(Tag.objects.using("other").prefetch_related("content_object"))
        with self.assertNumQueries(0, using="default"):
            poems = [tag.content_object for tag in tags]
        self.assertEqual([(p.title, p._state.db) for p in poems], [("on other", "other")])

    def test_assigning_records_the_id_the_values_database_uses(self):
        tag = self.tag_on("other")
        tag.content_object = self.poems["other"]
        self.assertEqual(tag.content_type_id, self.poem_type["other"].pk)
        tag.save()
        self.assertEqual(self.tag_on("other").content_object.title, "on other")

    def test_an_unsaved_tag_takes_the_id_of_the_objects_database(self):
        tag = Tag(label="new", content_object=self.poems["other"])
        self.assertEqual(tag.content_type_id, self.poem_type["other"].pk)
        self.assertEqual(tag.content_type._state.db, "other")

    @override_settings(DATABASE_ROUTERS=["%s.AllowEverything" % __name__])
    def test_an_allowed_relation_across_databases_stores_the_tags_databases_id(self):
        # The row is written on the tag's database: it must hold the id
        # that database gives Poem, not the one the poem's database uses.
        tag = self.tag_on("other")
        tag.content_object = self.poems["default"]
        self.assertEqual(tag.content_type_id, self.poem_type["other"].pk)
        self.assertEqual(tag.content_type._state.db, "other")
        self.assertIs(tag.content_object, self.poems["default"])


class GenericRelationTests(PoemsAndTagsOnBothDatabases):
    """``poem.tags`` matches the rows by the content type id of the
    instance's database."""

    databases = {"default", "other"}

    def labels_on(self, alias):
        return list(Tag.objects.using(alias).values_list("label", flat=True))

    def test_the_manager_uses_the_instances_databases_content_type(self):
        self.assertEqual(self.poems["other"].tags.content_type, self.poem_type["other"])
        self.assertEqual(self.poems["other"].tags.content_type._state.db, "other")

    def test_looking_up_the_managers_content_type_asks_no_router(self):
        # As in Django 6.1: the content type is the instance's database's.
        recorder = Recorder()
        poem = self.poems["other"]
        with override_settings(DATABASE_ROUTERS=[recorder]):
            self.assertEqual(poem.tags.content_type.pk, self.poem_type["other"].pk)
        self.assertEqual(recorder.calls, [])

    def test_reading_on_the_instances_database_finds_its_rows(self):
        tags = self.poems["other"].tags.db_manager("other")
        self.assertEqual([t.label for t in tags.all()], ["tag on other"])

    def test_created_rows_hold_the_instances_databases_id(self):
        tag = self.poems["other"].tags.db_manager("other").create(label="second")
        self.assertEqual(tag._state.db, "other")
        self.assertEqual(Tag.objects.using("other").get(label="second").content_type_id,
                         self.poem_type["other"].pk)
        self.assertEqual(self.labels_on("default"), ["tag on default"])

    def test_clearing_deletes_only_the_instances_rows(self):
        self.poems["other"].tags.db_manager("other").clear()
        self.assertEqual(self.labels_on("other"), [])
        self.assertEqual(self.labels_on("default"), ["tag on default"])

    def test_deleting_the_instance_deletes_its_rows_on_its_database(self):
        self.poems["other"].delete()
        self.assertEqual(self.labels_on("other"), [])
        self.assertEqual(self.labels_on("default"), ["tag on default"])

    def test_the_manager_reads_and_writes_on_the_instances_database(self):
        # No db_manager(): the instance hint sends both to 'other'.
        poem = Poem.objects.using("other").get(pk=7)
        self.assertEqual(poem.tags.db, "other")
        self.assertEqual([t.label for t in poem.tags.all()], ["tag on other"])
        tag = poem.tags.create(label="second")
        self.assertEqual(tag._state.db, "other")
        self.assertEqual(sorted(self.labels_on("other")), ["second", "tag on other"])
        self.assertEqual(self.labels_on("default"), ["tag on default"])
        poem.tags.clear()
        self.assertEqual(self.labels_on("other"), [])
        self.assertEqual(self.labels_on("default"), ["tag on default"])

    def test_prefetching_reads_the_parents_database(self):
        for alias in ("default", "other"):
            with self.subTest(alias=alias):
                (poem,) = Poem.objects.using(alias).prefetch_related("tags")
                with self.assertNumQueries(0, using=alias):
                    tags = list(poem.tags.all())
                self.assertEqual([(t.label, t._state.db) for t in tags], [("tag on " + alias, alias)])

    def test_filtering_across_the_relation_matches_the_querys_databases_id(self):
        for alias in ("default", "other"):
            with self.subTest(alias=alias):
                found = Poem.objects.using(alias).filter(tags__label="tag on " + alias)
                self.assertEqual([p.title for p in found], ["on " + alias])
