import io
from contextlib import redirect_stdout
from unittest import mock

from django.apps import apps
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import get_connection, transaction
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext

from .models import Article, Author, ProxyArticle

APP = "contrib_contenttypes"


class ContentTypeTests(TestCase):
    def setUp(self):
        ContentType.objects.clear_cache()

    def test_rows_created_by_syncdb(self):
        labels = set(ContentType.objects.filter(app_label=APP).values_list("model", flat=True))
        self.assertEqual(labels, {"article", "proxyarticle", "author"})
        self.assertTrue(ContentType.objects.filter(app_label="contenttypes", model="contenttype").exists())
        self.assertTrue(ContentType.objects.filter(app_label="auth", model="user").exists())

    def test_get_for_model_is_cached(self):
        with self.assertNumQueries(1):
            ct = ContentType.objects.get_for_model(Article)
        with self.assertNumQueries(0):
            self.assertEqual(ContentType.objects.get_for_model(Article), ct)
            self.assertEqual(ContentType.objects.get_for_model(Article(title="x")), ct)
            self.assertEqual(ContentType.objects.get_for_id(ct.pk), ct)
            self.assertEqual(ContentType.objects.get_by_natural_key(APP, "article"), ct)
        self.assertEqual((ct.app_label, ct.model), (APP, "article"))

    def test_proxy_models(self):
        concrete = ContentType.objects.get_for_model(Article)
        self.assertEqual(ContentType.objects.get_for_model(ProxyArticle), concrete)
        proxy = ContentType.objects.get_for_model(ProxyArticle, for_concrete_model=False)
        self.assertEqual(proxy.model, "proxyarticle")
        self.assertNotEqual(proxy, concrete)

    def test_get_for_models_one_query(self):
        with self.assertNumQueries(1):
            cts = ContentType.objects.get_for_models(Article, Author, ProxyArticle)
        self.assertEqual(cts[Article].model, "article")
        self.assertEqual(cts[Author].model, "author")
        self.assertEqual(cts[ProxyArticle], cts[Article])
        with self.assertNumQueries(1):
            cts = ContentType.objects.get_for_models(ProxyArticle, for_concrete_models=False)
        self.assertEqual(cts[ProxyArticle].model, "proxyarticle")

    def test_missing_content_type_is_created(self):
        ContentType.objects.filter(app_label=APP, model="author").delete()
        ct = ContentType.objects.get_for_model(Author)
        self.assertEqual(ct.model, "author")
        self.assertTrue(ContentType.objects.filter(pk=ct.pk).exists())
        ContentType.objects.filter(app_label=APP, model="author").delete()
        cts = ContentType.objects.get_for_models(Author)
        self.assertTrue(ContentType.objects.filter(pk=cts[Author].pk).exists())

    def test_get_for_id_falls_back_to_database(self):
        ct = ContentType.objects.get_for_model(Author)
        with self.assertRaises(ContentType.DoesNotExist):
            ContentType.objects.get_for_id(999999)
        ContentType.objects.clear_cache()
        with self.assertNumQueries(1):
            self.assertEqual(ContentType.objects.get_for_id(ct.pk), ct)

    def test_cache_of_another_database_is_not_served(self):
        ct = ContentType.objects.get_for_model(Author)
        foreign = ContentType(pk=424242, app_label=APP, model="author")
        ContentType.objects.clear_cache()
        ContentType.objects._rows_by_database["some_other_database"] = {(APP, "author"): foreign, 424242: foreign}
        self.assertEqual(ContentType.objects.get_for_model(Author).pk, ct.pk)
        with self.assertRaises(ContentType.DoesNotExist):
            ContentType.objects.get_for_id(424242)

    def test_model_methods(self):
        ct = ContentType.objects.get_for_model(Article)
        self.assertIs(ct.model_class(), Article)
        self.assertEqual(ct.name, "news article")
        self.assertEqual(str(ct), "contrib_contenttypes | news article")
        self.assertEqual(ct.natural_key(), (APP, "article"))
        a = Article.objects.create(title="one")
        Article.objects.create(title="two")
        self.assertEqual(ct.get_object_for_this_type(title="one"), a)
        self.assertEqual(
            sorted(ct.get_all_objects_for_this_type().values_list("title", flat=True)), ["one", "two"]
        )
        self.assertEqual(list(ct.get_all_objects_for_this_type(title="two")), [Article.objects.get(title="two")])

    def test_content_type_of_an_uninstalled_app(self):
        ct = ContentType(app_label="not_installed", model="thing")
        self.assertIsNone(ct.model_class())
        self.assertEqual(str(ct), "thing")

    def test_get_for_models_creates_each_missing_row_once(self):
        ContentType.objects.filter(app_label=APP).delete()
        cts = ContentType.objects.get_for_models(Article, ProxyArticle, Author)
        self.assertIs(cts[Article], cts[ProxyArticle])
        self.assertEqual(ContentType.objects.filter(app_label=APP).count(), 2)

    def test_stale_content_type(self):
        ct = ContentType.objects.create(app_label=APP, model="gone")
        self.assertIsNone(ct.model_class())
        self.assertEqual(ct.name, "gone")
        self.assertEqual(str(ct), "gone")
        with self.assertRaisesMessage(LookupError, "contrib_contenttypes.gone"):
            ct.get_object_for_this_type(pk=1)

    def test_stale_content_types_are_reported_not_deleted(self):
        ContentType.objects.create(app_label=APP, model="gone")
        out = io.StringIO()
        with redirect_stdout(out):
            create_contenttypes(apps.get_app_config(APP), verbosity=1, interactive=False)
        self.assertIn("Stale content types: contrib_contenttypes.gone", out.getvalue())
        self.assertIn("remove_stale_contenttypes", out.getvalue())
        self.assertTrue(ContentType.objects.filter(app_label=APP, model="gone").exists())
        out = io.StringIO()
        with redirect_stdout(out):
            create_contenttypes(apps.get_app_config(APP), verbosity=0, interactive=False)
        self.assertEqual(out.getvalue(), "")

    def test_create_contenttypes_creates_missing(self):
        ContentType.objects.filter(app_label=APP).delete()
        out = io.StringIO()
        with redirect_stdout(out):
            create_contenttypes(apps.get_app_config(APP), verbosity=2, interactive=False)
        self.assertIn("Adding content type 'contrib_contenttypes | author'", out.getvalue())
        self.assertEqual(ContentType.objects.filter(app_label=APP).count(), 3)
        # Created in this (rolled back) transaction: usable, never cached.
        ct = ContentType.objects.get_for_model(Author)
        self.assertEqual(ct.model, "author")
        self.assertNotIn(ct.pk, ContentType.objects._rows_by_database.get(ContentType.objects._db_key(), {}))

    def test_remove_stale_contenttypes(self):
        ContentType.objects.create(app_label=APP, model="gone")
        ContentType.objects.create(app_label="not_an_app", model="h10_gone_thing")
        with mock.patch("builtins.input", return_value="no"):
            out = io.StringIO()
            call_command("remove_stale_contenttypes", stdout=out)
        self.assertIn("were not deleted", out.getvalue())
        self.assertTrue(ContentType.objects.filter(model="gone").exists())
        out = io.StringIO()
        call_command("remove_stale_contenttypes", interactive=False, stdout=out)
        self.assertIn("Deleted stale content types: contrib_contenttypes.gone", out.getvalue())
        self.assertFalse(ContentType.objects.filter(model="gone").exists())
        self.assertTrue(ContentType.objects.filter(model="h10_gone_thing").exists())
        with mock.patch("builtins.input", return_value="yes"):
            out = io.StringIO()
            call_command("remove_stale_contenttypes", include_stale_apps=True, stdout=out)
        self.assertIn("not_an_app.h10_gone_thing", out.getvalue())
        self.assertFalse(ContentType.objects.filter(model="h10_gone_thing").exists())
        out = io.StringIO()
        call_command("remove_stale_contenttypes", interactive=False, stdout=out)
        self.assertIn("No stale content types on the database 'default'.", out.getvalue())
        # Live content types are untouched.
        self.assertEqual(ContentType.objects.filter(app_label=APP).count(), 3)


class ContentTypeCacheTransactionTests(TransactionTestCase):
    """The cache never serves a row that a rollback or a flush removed."""

    def setUp(self):
        ContentType.objects.clear_cache()

    def test_rows_recreated_after_flush(self):
        # The previous test's flush sent post_migrate: the rows are back.
        self.assertTrue(ContentType.objects.filter(app_label=APP, model="article").exists())
        from django.contrib.auth.models import Permission

        self.assertTrue(Permission.objects.filter(codename="view_article").exists())

    def test_created_row_rolled_back_is_not_served(self):
        with transaction.atomic():
            ct = ContentType.objects.create(app_label=APP, model="temporary")
            self.assertEqual(ContentType.objects.get_for_id(ct.pk), ct)
            self.assertEqual(ContentType.objects.get_by_natural_key(APP, "temporary"), ct)
            transaction.set_rollback(True)
        with self.assertRaises(ContentType.DoesNotExist):
            ContentType.objects.get_for_id(ct.pk)
        with self.assertRaises(ContentType.DoesNotExist):
            ContentType.objects.get_by_natural_key(APP, "temporary")

    def test_recreated_row_rolled_back_is_not_served(self):
        original = ContentType.objects.get_for_model(Author)
        original_pk = original.pk
        with transaction.atomic():
            original.delete()
            created = ContentType.objects.get_for_model(Author)
            self.assertNotEqual(created.pk, original_pk)
            transaction.set_rollback(True)
        ct = ContentType.objects.get_for_model(Author)
        self.assertEqual(ct.pk, original_pk)
        self.assertTrue(ContentType.objects.filter(pk=ct.pk).exists())

    def test_committed_row_is_cached_after_commit(self):
        with transaction.atomic():
            ct = ContentType.objects.create(app_label=APP, model="committed")
        with self.assertNumQueries(0):
            self.assertEqual(ContentType.objects.get_for_id(ct.pk), ct)

    def test_flush_clears_the_cache(self):
        before = ContentType.objects.get_for_model(Author)
        call_command("flush", interactive=False, verbosity=0)
        ct = ContentType.objects.get_for_model(Author)
        self.assertTrue(ContentType.objects.filter(pk=ct.pk).exists())
        self.assertEqual((ct.app_label, ct.model), (before.app_label, before.model))

    def test_flush_without_post_migrate_and_app_change(self):
        ContentType.objects.get_for_model(Author)
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        # The test framework announces INSTALLED_APPS changes (available_apps).
        from django.test.signals import setting_changed
        from django.conf import settings

        setting_changed.send(sender=None, setting="INSTALLED_APPS", value=settings.INSTALLED_APPS, enter=False)
        ct = ContentType.objects.get_for_model(Author)
        self.assertTrue(ContentType.objects.filter(pk=ct.pk).exists())
        call_command("syncdb", interactive=False, verbosity=0)  # rows back for what follows


class PostMigrateTests(TestCase):
    """post_migrate creates every app's rows in a few queries (flush sends
    it after each TransactionTestCase test), whatever the receivers' order."""

    def test_emission_recreates_rows_in_few_queries(self):
        from django.contrib.auth.models import Permission
        from django.core.management.sql import emit_post_migrate_signal

        ContentType.objects.filter(app_label=APP).delete()
        self.assertFalse(Permission.objects.filter(content_type__app_label=APP, codename="view_author").exists())
        with CaptureQueriesContext(get_connection()) as ctx:
            emit_post_migrate_signal(verbosity=0, interactive=False)
        self.assertLessEqual(len(ctx.captured_queries), 10)
        self.assertEqual(ContentType.objects.filter(app_label=APP).count(), 3)
        self.assertTrue(Permission.objects.filter(content_type__app_label=APP, codename="view_author").exists())
        # A second emission creates nothing.
        with CaptureQueriesContext(get_connection()) as ctx:
            emit_post_migrate_signal(verbosity=0, interactive=False)
        self.assertFalse([q for q in ctx.captured_queries if q["sql"].startswith("INSERT")])

    def test_receiver_order_does_not_matter(self):
        from django.contrib.auth.management import post_migrate_create_permissions
        from django.contrib.contenttypes import management

        first = management.first_app_config()
        other = apps.get_app_config(APP)
        ContentType.objects.filter(app_label=APP).delete()
        with mock.patch.object(management, "create_all_contenttypes",
                               wraps=management.create_all_contenttypes) as batch:
            # auth's receiver runs first this time.
            post_migrate_create_permissions(first, verbosity=0)
            management.post_migrate_create_contenttypes(first, verbosity=0)
            self.assertEqual(batch.call_count, 1)
            post_migrate_create_permissions(other, verbosity=0)
            management.post_migrate_create_contenttypes(other, verbosity=0)
            # The next emission runs the batch again.
            management.post_migrate_create_contenttypes(first, verbosity=0)
            post_migrate_create_permissions(first, verbosity=0)
            self.assertEqual(batch.call_count, 2)
        self.assertEqual(ContentType.objects.filter(app_label=APP).count(), 3)
        # Not at the first app: nothing global happens.
        self.assertFalse(management.begin_post_migrate("contenttypes", other))

    def test_raw_bulk_insert_nothing(self):
        from django.contrib.contenttypes.management import raw_bulk_insert

        with self.assertNumQueries(0):
            raw_bulk_insert(ContentType, ["app_label", "model"], [], get_connection())
