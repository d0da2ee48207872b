"""contenttypes and auth on each database (patch 0008).

* post_migrate (syncdb, flush) creates content types and permissions on
  the database it is sent for, whichever alias that is, when the routers
  allow the tables there, and on no other database;
* stale content types are reported and removed per database;
* users are created, authenticated and given their profile and their
  permissions on the database they belong to;
* ``django.contrib.contenttypes.generic`` (the 1.2 import path) works on
  any database.
"""
import io
from contextlib import redirect_stdout
from unittest import mock

from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes import generic
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext, override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher"]


def writes(context):
    """The INSERT, UPDATE and DELETE statements a CaptureQueriesContext saw."""
    return [q["sql"] for q in context.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def forget_rows_on(alias):
    """Delete every content type (and with them every permission) of
    ``alias``; the test's transaction puts them back."""
    ContentType.objects.clear_cache()
    Permission.objects.using(alias).all().delete()
    ContentType.objects.using(alias).all().delete()
    ContentType.objects.clear_cache()


def ensure_rows_on(alias):
    """The content types and permissions of ``alias``, whatever earlier
    tests (a flush, say) left there."""
    emit_post_migrate_signal(verbosity=0, interactive=False, using=alias)


class KeepOff:
    """A router keeping the tables of ``models`` (model names) off ``alias``."""

    def __init__(self, alias, *models):
        self.alias, self.models = alias, set(models)

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == self.alias and model_name in self.models:
            return False
        return None


class SendTo:
    """A router sending User's reads or writes (``method``) to ``alias``."""

    def __init__(self, method, alias):
        self.method, self.alias = method, alias

    def db_for_read(self, model, **hints):
        if self.method == "read" and model is User:
            return self.alias
        return None

    def db_for_write(self, model, **hints):
        if self.method == "write" and model is User:
            return self.alias
        return None


class RowsPerDatabaseTests(TestCase):
    """post_migrate puts content types and permissions on the database
    synced, and only there."""

    databases = {"default", "other"}

    def tearDown(self):
        ContentType.objects.clear_cache()

    def test_post_migrate_for_other_creates_its_content_types_and_permissions(self):
        forget_rows_on("other")
        with CaptureQueriesContext(connections["default"]) as on_default:
            emit_post_migrate_signal(verbosity=0, interactive=False, using="other")
        self.assertEqual(writes(on_default), [])
        ct = ContentType.objects.using("other").get(app_label="auth", model="user")
        self.assertTrue(Permission.objects.using("other").filter(content_type=ct, codename="add_user").exists())
        document = ContentType.objects.using("other").get(app_label="contrib_auth", model="document")
        self.assertTrue(
            Permission.objects.using("other").filter(content_type=document, codename="publish_document").exists()
        )

    def test_syncdb_database_other_fills_other(self):
        forget_rows_on("other")
        default_count = ContentType.objects.using("default").count()
        call_command("syncdb", database="other", verbosity=0, interactive=False)
        self.assertTrue(ContentType.objects.using("other").filter(app_label="auth", model="group").exists())
        self.assertTrue(Permission.objects.using("other").filter(codename="change_group").exists())
        self.assertEqual(ContentType.objects.using("default").count(), default_count)

    def test_every_installed_model_gets_a_content_type_on_other(self):
        forget_rows_on("other")
        emit_post_migrate_signal(verbosity=0, interactive=False, using="other")
        expected = {(m._meta.app_label, m._meta.model_name) for m in apps.get_models()}
        found = set(ContentType.objects.using("other").values_list("app_label", "model"))
        self.assertLessEqual(expected, found)

    def test_a_router_keeping_contenttypes_off_other_means_no_rows_and_no_queries_there(self):
        forget_rows_on("other")
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "contenttype")]):
            with CaptureQueriesContext(connections["other"]) as on_other:
                emit_post_migrate_signal(verbosity=0, interactive=False, using="other")
        self.assertEqual(on_other.captured_queries, [])
        self.assertFalse(ContentType.objects.using("other").exists())
        self.assertFalse(Permission.objects.using("other").exists())

    def test_a_router_keeping_permissions_off_other_leaves_the_content_types(self):
        forget_rows_on("other")
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "permission")]):
            emit_post_migrate_signal(verbosity=0, interactive=False, using="other")
        self.assertTrue(ContentType.objects.using("other").filter(app_label="auth", model="user").exists())
        self.assertFalse(Permission.objects.using("other").exists())

    def test_the_router_decides_per_database(self):
        # Kept off 'other' only: 'default' still gets its rows.
        forget_rows_on("default")
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "contenttype", "permission")]):
            emit_post_migrate_signal(verbosity=0, interactive=False, using="default")
        self.assertTrue(ContentType.objects.using("default").filter(app_label="auth", model="user").exists())
        self.assertTrue(Permission.objects.using("default").filter(codename="add_user").exists())

    def test_content_types_created_on_other_are_served_for_other(self):
        forget_rows_on("other")
        emit_post_migrate_signal(verbosity=0, interactive=False, using="other")
        row = ContentType.objects.using("other").get(app_label="auth", model="user")
        # (Created inside the test's transaction: served, cached at commit.)
        self.assertEqual(ContentType.objects.db_manager("other").get_for_model(User).pk, row.pk)


class FlushPerDatabaseTests(TransactionTestCase):
    # flush empties every table (a TRUNCATE commits on MariaDB): a
    # TransactionTestCase, whose own flush puts each database back.
    databases = {"default", "other"}

    def test_flushing_another_database_puts_its_rows_back_there(self):
        call_command("flush", database="other", interactive=False, verbosity=0)
        user_type = ContentType.objects.db_manager("other").get_by_natural_key("auth", "user")
        self.assertEqual(user_type._state.db, "other")
        self.assertTrue(
            Permission.objects.using("other").filter(content_type=user_type, codename="add_user").exists()
        )


class StaleContentTypesPerDatabaseTests(TestCase):
    databases = {"default", "other"}

    def setUp(self):
        self.addCleanup(ContentType.objects.clear_cache)
        for alias in ("default", "other"):
            ContentType.objects.using(alias).create(app_label="contrib_auth", model="gone_%s" % alias)

    def test_the_report_names_the_database(self):
        out = io.StringIO()
        with redirect_stdout(out):
            create_contenttypes(apps.get_app_config("contrib_auth"), verbosity=1, using="other")
        self.assertIn("Stale content types: contrib_auth.gone_other (on the database 'other';", out.getvalue())
        self.assertIn("remove_stale_contenttypes --database other", out.getvalue())
        self.assertNotIn("gone_default", out.getvalue())

    def test_post_migrate_for_other_reports_the_stale_rows_of_other(self):
        out = io.StringIO()
        with redirect_stdout(out):
            emit_post_migrate_signal(verbosity=1, interactive=False, using="other")
        self.assertIn("contrib_auth.gone_other (on the database 'other';", out.getvalue())
        self.assertNotIn("gone_default", out.getvalue())

    def test_remove_stale_contenttypes_database_other(self):
        out = io.StringIO()
        call_command("remove_stale_contenttypes", database="other", interactive=False, stdout=out)
        self.assertIn("Deleted stale content types: contrib_auth.gone_other (database 'other')", out.getvalue())
        self.assertFalse(ContentType.objects.using("other").filter(model="gone_other").exists())
        self.assertTrue(ContentType.objects.using("default").filter(model="gone_default").exists())
        out = io.StringIO()
        call_command("remove_stale_contenttypes", database="other", interactive=False, stdout=out)
        self.assertIn("No stale content types on the database 'other'.", out.getvalue())

    def test_remove_stale_contenttypes_deletes_on_the_database_examined_whatever_the_routers(self):
        class WritesToDefault:
            def db_for_write(self, model, **hints):
                return "default"

        with override_settings(DATABASE_ROUTERS=[WritesToDefault()]):
            call_command("remove_stale_contenttypes", database="other", interactive=False, stdout=io.StringIO())
        self.assertFalse(ContentType.objects.using("other").filter(model="gone_other").exists())
        self.assertTrue(ContentType.objects.using("default").filter(model="gone_default").exists())

    def test_remove_stale_contenttypes_unknown_database(self):
        with self.assertRaisesMessage(CommandError, "There is no database 'nowhere' to use; DATABASES configures"):
            call_command("remove_stale_contenttypes", database="nowhere", interactive=False)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class UsersPerDatabaseTests(TestCase):
    databases = {"default", "other"}

    def assertOnlyOn(self, alias, username):
        for each in ("default", "other"):
            self.assertEqual(User.objects.using(each).filter(username=username).exists(), each == alias,
                             "%s on %r" % (username, each))

    def test_create_user_writes_where_the_routers_send_user_writes(self):
        with override_settings(DATABASE_ROUTERS=[SendTo("write", "other")]):
            user = User.objects.create_user("ann", "ann@example.com", "pw")
        self.assertEqual(user._state.db, "other")
        self.assertOnlyOn("other", "ann")

    def test_create_superuser_writes_where_the_routers_send_user_writes(self):
        with override_settings(DATABASE_ROUTERS=[SendTo("write", "other")]):
            user = User.objects.create_superuser("root", "root@example.com", "pw")
        self.assertEqual(user._state.db, "other")
        self.assertTrue(User.objects.using("other").get(username="root").is_superuser)
        self.assertOnlyOn("other", "root")

    def test_create_user_without_routers_writes_on_default(self):
        user = User.objects.create_user("bob", password="pw")
        self.assertEqual(user._state.db, "default")
        self.assertOnlyOn("default", "bob")

    def test_db_manager_create_user_and_create_superuser_write_on_that_database(self):
        with override_settings(DATABASE_ROUTERS=[SendTo("write", "default")]):
            user = User.objects.db_manager("other").create_user("cy", password="pw")
            admin = User.objects.db_manager("other").create_superuser("di", "di@example.com", "pw")
        self.assertEqual((user._state.db, admin._state.db), ("other", "other"))
        self.assertOnlyOn("other", "cy")
        self.assertOnlyOn("other", "di")
        self.assertTrue(User.objects.using("other").get(username="cy").check_password("pw"))

    def test_authenticate_reads_users_where_the_routers_send_user_reads(self):
        User.objects.db_manager("other").create_user("eve", password="secret")
        self.assertIsNone(authenticate(username="eve", password="secret"))
        with override_settings(DATABASE_ROUTERS=[SendTo("read", "other")]):
            user = authenticate(username="eve", password="secret")
            self.assertIsNone(authenticate(username="eve", password="wrong"))
        self.assertEqual(user.username, "eve")
        self.assertEqual(user._state.db, "other")

    def test_get_profile_reads_the_users_database(self):
        Profile = apps.get_model("contrib_auth", "Profile")
        on_other = User.objects.db_manager("other").create_user("fay", password="pw")
        Profile.objects.using("other").create(user=on_other, bio="on other")
        user = User.objects.using("other").get(username="fay")
        with override_settings(AUTH_PROFILE_MODULE="contrib_auth.Profile"):
            with self.assertNumQueries(0, using="default"):
                profile = user.get_profile()
        self.assertEqual(profile.bio, "on other")
        self.assertEqual(profile._state.db, "other")
        self.assertIs(profile.user, user)

    def test_get_profile_of_a_user_without_one_on_its_database(self):
        Profile = apps.get_model("contrib_auth", "Profile")
        on_other = User.objects.db_manager("other").create_user("gus", password="pw")
        # Same primary key on 'default', with a profile there: not this user's.
        on_default = User(pk=on_other.pk, username="gus")
        on_default.set_unusable_password()
        on_default.save(using="default")
        Profile.objects.create(user=on_default, bio="on default")
        with override_settings(AUTH_PROFILE_MODULE="contrib_auth.Profile"):
            with self.assertRaises(Profile.DoesNotExist):
                on_other.get_profile()

    def test_group_permissions_are_read_on_the_users_database(self):
        ensure_rows_on("other")
        user = User.objects.db_manager("other").create_user("hal", password="pw")
        group = Group.objects.using("other").create(name="editors")
        group.permissions.add(Permission.objects.using("other").get(codename="publish_document"))
        user.groups.add(group)
        user = User.objects.using("other").get(pk=user.pk)
        self.assertEqual(user.get_group_permissions(), {"contrib_auth.publish_document"})
        self.assertTrue(user.has_perm("contrib_auth.publish_document"))

    def test_permission_labels_use_the_content_types_of_the_users_database(self):
        # A content type id that exists on 'other' only.
        top = max(ContentType.objects.using(alias).order_by("-pk").values_list("pk", flat=True).first() or 0
                  for alias in ("default", "other"))
        ct = ContentType.objects.using("other").create(pk=top + 10, app_label="contrib_auth", model="h0008_only")
        self.addCleanup(ContentType.objects.clear_cache)
        permission = Permission.objects.using("other").create(content_type=ct, codename="do_it", name="Can do it")
        user = User.objects.db_manager("other").create_user("ida", password="pw")
        user.user_permissions.add(permission)
        user = User.objects.using("other").get(pk=user.pk)
        self.assertEqual(user.get_user_permissions(), {"contrib_auth.do_it"})
        admin = User.objects.db_manager("other").create_superuser("jo", "jo@example.com", "pw")
        self.assertIn("contrib_auth.do_it", admin.get_all_permissions())

    def test_permission_natural_keys_are_resolved_on_the_managers_database(self):
        ensure_rows_on("other")
        ContentType.objects.clear_cache()
        self.addCleanup(ContentType.objects.clear_cache)
        with self.assertNumQueries(0, using="default"):
            found = Permission.objects.db_manager("other").get_by_natural_key("add_user", "auth", "user")
        self.assertEqual(found._state.db, "other")
        self.assertEqual(found.content_type._state.db, "other")
        self.assertEqual(found.content_type.model, "user")

    def test_default_username_is_checked_on_the_database_given(self):
        from django.contrib.auth.management import get_default_username

        User.objects.db_manager("other").create_user("h0008admin")
        with mock.patch("getpass.getuser", return_value="h0008admin"):
            self.assertEqual(get_default_username(database="other"), "")
            self.assertEqual(get_default_username(database="default"), "h0008admin")
            self.assertEqual(get_default_username(), "h0008admin")


class GenericImportPathTests(TestCase):
    """``from django.contrib.contenttypes import generic``, the 1.2 path,
    on any database."""

    databases = {"default", "other"}

    def test_generic_names_are_the_fields_classes(self):
        from django.contrib.contenttypes import fields

        self.assertIs(generic.GenericForeignKey, fields.GenericForeignKey)
        self.assertIs(generic.GenericRelation, fields.GenericRelation)

    def test_a_generic_relation_declared_through_the_old_path_works_on_other(self):
        Bookmark = apps.get_model("contrib_generic", "Bookmark")
        Comment = apps.get_model("contrib_generic", "Comment")
        self.assertIsInstance(Comment._meta.get_field("target"), generic.GenericForeignKey)
        self.assertIsInstance(Bookmark._meta.get_field("comments"), generic.GenericRelation)
        bookmark = Bookmark.objects.using("other").create(url="http://example.com/")
        comment = bookmark.comments.create(text="nice")
        self.assertEqual(comment._state.db, "other")
        self.assertFalse(Comment.objects.using("default").exists())
        comment = Comment.objects.using("other").get(pk=comment.pk)
        self.assertEqual(comment.target, bookmark)
        self.assertEqual(comment.target_type, ContentType.objects.db_manager("other").get_for_model(Bookmark))
        self.assertEqual(list(Bookmark.objects.using("other").get(pk=bookmark.pk).comments.all()), [comment])
