"""django.db.router and DATABASE_ROUTERS (patch 0002): which alias a model's
reads, writes and tables belong to, as the routers say."""
import warnings

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, ConnectionDoesNotExist, connections, router
from django.db.utils import ConnectionRouter
from django.test import SimpleTestCase, TestCase, TransactionTestCase
from django.test.utils import override_settings

from ..models import Book, Person, Shelf

HERE = __name__  # dotted paths below point at the routers of this module
THROUGH = Shelf._meta.get_field("readers").remote_field.through


class OtherRouter:
    """Sends every read and write to 'other'."""

    def db_for_read(self, model, **hints):
        return "other"

    def db_for_write(self, model, **hints):
        return "other"


class WriteOnlyRouter:
    """Defines a single method: the others fall through to the next router."""

    def db_for_write(self, model, **hints):
        return "other"


class AbstainingRouter:
    """Defines every method and answers None: no opinion."""

    def db_for_read(self, model, **hints):
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None


class RecordingRouter:
    """Notes what each method is handed, answers nothing."""

    def __init__(self):
        self.seen = []

    def db_for_read(self, model, **hints):
        self.seen.append(("db_for_read", model, hints))

    def db_for_write(self, model, **hints):
        self.seen.append(("db_for_write", model, hints))

    def allow_relation(self, obj1, obj2, **hints):
        self.seen.append(("allow_relation", obj1, obj2))

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        self.seen.append(("allow_migrate", db, app_label, model_name, hints.get("model")))


class BrokenRouter:
    """Its methods fail: an AttributeError inside is the router's own bug,
    not a missing method."""

    def db_for_read(self, model, **hints):
        return model.no_such_attribute

    def db_for_write(self, model, **hints):
        raise ValueError("db_for_write failed on purpose")


class NowhereRouter:
    def db_for_read(self, model, **hints):
        return "nowhere"


class LegacyRouter:
    """A Django 1.2 router: allow_syncdb(db, model) rather than allow_migrate."""

    def __init__(self):
        self.seen = []

    def allow_syncdb(self, db, model):
        self.seen.append((db, model))
        return model is Person


class FakeInstance:
    """Anything with a ``_state.db``, as instances loaded from a database have."""

    class _Where:
        db = None

    def __init__(self, db):
        self._state = self._Where()
        self._state.db = db


def only(*models):
    """A router allowing the tables of ``models`` only, on 'other' only."""
    allowed = set(models)

    class OnlyRouter:
        def allow_migrate(self, db, app_label, model_name=None, **hints):
            if db != "other" or app_label != "multiple_database":
                return None
            return hints.get("model") in allowed

    return OnlyRouter()


class FallbackTests(SimpleTestCase):
    """No routers: the documented fallbacks."""

    def test_no_routers_by_default(self):
        self.assertEqual(router.routers, [])

    def test_reads_and_writes_go_to_default(self):
        self.assertEqual(router.db_for_read(Person), DEFAULT_DB_ALIAS)
        self.assertEqual(router.db_for_write(Person), DEFAULT_DB_ALIAS)

    def test_the_hinted_instance_decides(self):
        self.assertEqual(router.db_for_read(Person, instance=FakeInstance("other")), "other")
        self.assertEqual(router.db_for_write(Person, instance=FakeInstance("other")), "other")
        # An instance that was never saved or loaded says nothing.
        self.assertEqual(router.db_for_write(Person, instance=Person(name="new")), "default")

    def test_relations_within_one_database(self):
        self.assertTrue(router.allow_relation(FakeInstance("other"), FakeInstance("other")))
        self.assertFalse(router.allow_relation(FakeInstance("other"), FakeInstance("default")))
        self.assertTrue(router.allow_relation(Person(), Book()))

    def test_every_table_everywhere(self):
        self.assertIs(router.allow_migrate("other", "multiple_database"), True)
        self.assertIs(router.allow_migrate_model("other", Person), True)

    def test_dict_spelling_for_the_query_path(self):
        self.assertEqual(router.route_read(Person), "default")
        self.assertEqual(router.route_write(Person, {"instance": FakeInstance("other")}), "other")

    def test_abstaining_router_changes_nothing(self):
        chain = ConnectionRouter([AbstainingRouter()])
        self.assertEqual(chain.db_for_read(Person), "default")
        self.assertEqual(chain.db_for_write(Person, instance=FakeInstance("other")), "other")
        self.assertFalse(chain.allow_relation(FakeInstance("a"), FakeInstance("b")))
        self.assertIs(chain.allow_migrate_model("other", Person), True)


class ConfigurationTests(SimpleTestCase):
    def test_dotted_path(self):
        with override_settings(DATABASE_ROUTERS=[HERE + ".OtherRouter"]):
            self.assertEqual(len(router.routers), 1)
            self.assertIsInstance(router.routers[0], OtherRouter)
            self.assertEqual(router.db_for_read(Person), "other")
        # The setting is read again once the override ends.
        self.assertEqual(router.routers, [])
        self.assertEqual(router.db_for_read(Person), "default")

    def test_instance(self):
        mine = OtherRouter()
        with override_settings(DATABASE_ROUTERS=[mine]):
            self.assertIs(router.routers[0], mine)
            self.assertEqual(router.db_for_write(Book), "other")
        self.assertEqual(router.db_for_write(Book), "default")

    def test_nested_overrides(self):
        with override_settings(DATABASE_ROUTERS=[OtherRouter()]):
            self.assertEqual(router.db_for_read(Person), "other")
            with override_settings(DATABASE_ROUTERS=[]):
                self.assertEqual(router.db_for_read(Person), "default")
            self.assertEqual(router.db_for_read(Person), "other")

    def test_routers_assigned_directly(self):
        # Django 1.2 tests swap the list in and out by hand.
        saved = router.routers
        try:
            router.routers = [OtherRouter()]
            self.assertEqual(router.db_for_read(Person), "other")
            router.routers = [HERE + ".WriteOnlyRouter"]
            self.assertIsInstance(router.routers[0], WriteOnlyRouter)
            self.assertEqual(router.db_for_read(Person), "default")
            self.assertEqual(router.db_for_write(Person), "other")
        finally:
            router.routers = saved
        self.assertEqual(router.db_for_read(Person), "default")

    def test_router_of_its_own(self):
        mine = ConnectionRouter([HERE + ".OtherRouter"])
        self.assertEqual(mine.db_for_read(Person), "other")
        # The project's router is not affected, nor affects it.
        self.assertEqual(router.db_for_read(Person), "default")
        with override_settings(DATABASE_ROUTERS=[]):
            self.assertEqual(mine.db_for_read(Person), "other")

    def test_path_that_does_not_import(self):
        for value in (HERE + ".NoSuchRouter", "no_such_module.Router", "Router"):
            with self.subTest(value=value):
                with override_settings(DATABASE_ROUTERS=[value]):
                    with self.assertRaises(ImproperlyConfigured) as caught:
                        router.db_for_read(Person)
                message = str(caught.exception)
                self.assertIn("DATABASE_ROUTERS", message)
                self.assertIn(repr(value), message)

    def test_entry_that_is_no_router(self):
        for value in (42, None, ["nested.Router"]):
            with self.subTest(value=value):
                with self.assertRaises(ImproperlyConfigured) as caught:
                    ConnectionRouter([value]).db_for_read(Person)
                self.assertIn("DATABASE_ROUTERS", str(caught.exception))
                self.assertIn(repr(value), str(caught.exception))

    def test_setting_that_is_no_list(self):
        with override_settings(DATABASE_ROUTERS=HERE + ".OtherRouter"):
            with self.assertRaisesMessage(ImproperlyConfigured, "DATABASE_ROUTERS must be a list"):
                router.db_for_read(Person)

    def test_assigning_bad_routers_is_refused_at_once(self):
        with self.assertRaises(ImproperlyConfigured):
            router.routers = [3]
        self.assertEqual(router.routers, [])


class ChainTests(SimpleTestCase):
    def test_first_answer_wins(self):
        chain = ConnectionRouter([AbstainingRouter(), WriteOnlyRouter(), OtherRouter()])
        self.assertEqual(chain.db_for_write(Person), "other")
        # WriteOnlyRouter has no db_for_read: the next router answers.
        self.assertEqual(chain.db_for_read(Person), "other")
        first = ConnectionRouter([WriteOnlyRouter(), AbstainingRouter()])
        self.assertEqual(first.db_for_read(Person), "default")

    def test_routers_with_some_methods_only(self):
        chain = ConnectionRouter([WriteOnlyRouter()])
        self.assertEqual(chain.db_for_write(Person), "other")
        self.assertEqual(chain.db_for_read(Person), "default")
        self.assertTrue(chain.allow_relation(FakeInstance("x"), FakeInstance("x")))
        self.assertIs(chain.allow_migrate_model("other", Person), True)

    def test_allow_relation_and_migrate_answers(self):
        class Strict:
            def allow_relation(self, obj1, obj2, **hints):
                return False

            def allow_migrate(self, db, app_label, model_name=None, **hints):
                return db == "default"

        chain = ConnectionRouter([AbstainingRouter(), Strict()])
        self.assertIs(chain.allow_relation(FakeInstance("x"), FakeInstance("x")), False)
        self.assertIs(chain.allow_migrate_model("default", Person), True)
        self.assertIs(chain.allow_migrate_model("other", Person), False)

    def test_exceptions_reach_the_caller(self):
        chain = ConnectionRouter([BrokenRouter(), OtherRouter()])
        # Not mistaken for a missing db_for_read: OtherRouter is not asked.
        with self.assertRaisesMessage(AttributeError, "no_such_attribute"):
            chain.db_for_read(Person)
        with self.assertRaisesMessage(ValueError, "db_for_write failed on purpose"):
            chain.db_for_write(Person)

    def test_unknown_alias_names_the_router(self):
        chain = ConnectionRouter([NowhereRouter()])
        with self.assertRaises(ConnectionDoesNotExist) as caught:
            chain.db_for_read(Person)
        message = str(caught.exception)
        self.assertIn("NowhereRouter", message)
        self.assertIn("'nowhere'", message)
        self.assertIn("'default'", message)


class ModelClassTests(SimpleTestCase):
    """Router methods are handed model classes, whatever the caller had."""

    def setUp(self):
        self.recorder = RecordingRouter()
        self.chain = ConnectionRouter([self.recorder])

    def test_class_instance_and_label(self):
        self.chain.db_for_read(Person)
        self.chain.db_for_read(Person(name="x"))
        self.chain.db_for_write("multiple_database.Person", instance=FakeInstance(None))
        self.assertEqual([seen[1] for seen in self.recorder.seen], [Person, Person, Person])
        self.assertIsInstance(self.recorder.seen[2][2]["instance"], FakeInstance)

    def test_through_model_for_a_many_to_many_table(self):
        self.assertTrue(THROUGH._meta.auto_created)
        self.chain.allow_migrate_model("other", THROUGH)
        self.assertEqual(
            self.recorder.seen,
            [("allow_migrate", "other", "multiple_database", THROUGH._meta.model_name, THROUGH)],
        )

    def test_allow_relation_gets_the_objects(self):
        one, two = Person(name="a"), Book(title="b")
        self.chain.allow_relation(one, two)
        self.assertEqual(self.recorder.seen, [("allow_relation", one, two)])


class LegacyAllowSyncdbTests(SimpleTestCase):
    def test_allow_syncdb_still_answers_with_a_warning(self):
        legacy = LegacyRouter()
        chain = ConnectionRouter([legacy])
        with self.assertWarns(DeprecationWarning) as caught:
            self.assertIs(chain.allow_migrate_model("other", Person), True)
        message = str(caught.warning)
        self.assertIn("allow_syncdb", message)
        self.assertIn("allow_migrate", message)
        self.assertIn("LegacyRouter", message)
        self.assertIs(chain.allow_migrate_model("other", Book), False)
        self.assertEqual(legacy.seen, [("other", Person), ("other", Book)])

    def test_no_model_no_opinion(self):
        chain = ConnectionRouter([LegacyRouter()])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self.assertIs(chain.allow_migrate("other", "multiple_database"), True)

    def test_allow_migrate_is_preferred(self):
        class Both(LegacyRouter):
            def allow_migrate(self, db, app_label, model_name=None, **hints):
                return False

        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            self.assertIs(ConnectionRouter([Both()]).allow_migrate_model("other", Person), False)


APP_TABLES = {
    model._meta.db_table for model in (Person, Book, Shelf, THROUGH)
}


class SyncdbOnAnAliasTests(TransactionTestCase):
    """syncdb --database creates, on that alias, only what allow_migrate permits."""

    databases = {"default", "other"}

    def tables(self, alias):
        return set(connections[alias].introspection.table_names()) & APP_TABLES

    def drop_app_tables(self, alias):
        wrapper = connections[alias]
        with wrapper.cursor() as cursor:
            # Referring tables first.
            for model in (THROUGH, Book, Shelf, Person):
                cursor.execute("DROP TABLE %s" % wrapper.ops.quote_name(model._meta.db_table))
        # Whatever a test leaves, the other tests find every table again.
        self.addCleanup(call_command, "syncdb", database=alias, verbosity=0, interactive=False)

    def test_only_allowed_tables_are_created(self):
        self.drop_app_tables("other")
        self.assertEqual(self.tables("other"), set())
        with override_settings(DATABASE_ROUTERS=[only(Person, Shelf)]):
            call_command("syncdb", "--database=other", verbosity=0, interactive=False)
        # The intermediary table is judged by its through model: not allowed.
        self.assertEqual(
            self.tables("other"), {Person._meta.db_table, Shelf._meta.db_table}
        )
        # 'default' was not touched.
        self.assertEqual(self.tables("default"), APP_TABLES)

    def test_through_model_allowed_on_its_own(self):
        self.drop_app_tables("other")
        with override_settings(DATABASE_ROUTERS=[only(Person, Shelf, THROUGH)]):
            call_command("syncdb", database="other", verbosity=0, interactive=False)
        self.assertEqual(self.tables("other"), APP_TABLES - {Book._meta.db_table})

    def test_plan_follows_the_routers(self):
        self.drop_app_tables("other")
        out = _Capture()
        with override_settings(DATABASE_ROUTERS=[only(Person)]):
            call_command("syncdb", database="other", plan=True, stdout=out)
        self.assertEqual(
            out.getvalue(),
            "Planned operations:\n"
            "  Create table multiple_database_person (model multiple_database.Person)\n",
        )

    def test_unknown_alias(self):
        # A command's user error (no traceback from the command line).
        with self.assertRaisesMessage(CommandError, "'nowhere'"):
            call_command("syncdb", database="nowhere", verbosity=0, interactive=False)


class _Capture:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def flush(self):
        pass

    def getvalue(self):
        return "".join(self.parts)


class ContentTypesFollowTheAliasTests(TestCase):
    """post_migrate writes content types only on the alias synced, and only
    where the routers allow their table."""

    databases = {"default", "other"}

    def setUp(self):
        self.ContentType = apps.get_model("contenttypes", "ContentType")
        self.ContentType.objects.filter(app_label="multiple_database", model="shelf").delete()
        self.ContentType.objects.clear_cache()
        self.addCleanup(self.ContentType.objects.clear_cache)

    def shelf_type_exists(self):
        return self.ContentType.objects.filter(app_label="multiple_database", model="shelf").exists()

    def test_syncing_another_alias_writes_nothing_on_default(self):
        call_command("syncdb", database="other", verbosity=0, interactive=False)
        self.assertFalse(self.shelf_type_exists())

    def test_not_where_the_routers_forbid(self):
        class NoContentTypes:
            def allow_migrate(self, db, app_label, model_name=None, **hints):
                return app_label != "contenttypes" and None

        with override_settings(DATABASE_ROUTERS=[NoContentTypes()]):
            call_command("syncdb", verbosity=0, interactive=False)
        self.assertFalse(self.shelf_type_exists())

    def test_synced_alias_gets_them(self):
        call_command("syncdb", verbosity=0, interactive=False)
        self.assertTrue(self.shelf_type_exists())
