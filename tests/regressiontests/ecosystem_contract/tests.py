"""What pytest-django (and other test tools) rely on besides the runner:
django.test.utils.setup_databases() / teardown_databases() with Django's
signatures, the test case attributes they read, and the engine spellings
that settings written for Django (or by dj-database-url) use."""
import inspect
from unittest import mock

import django.db
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler
from django.test import SimpleTestCase, TestCase, TransactionTestCase
from django.test import utils


class FakeCreation:
    """Patches create_test_db / destroy_test_db of the SQLite creation class
    of ``handler`` and records what they were asked."""

    def __init__(self, test, handler):
        self.created, self.destroyed = [], []
        base = type(handler["default"].creation)
        for name, method in (("create_test_db", self.create), ("destroy_test_db", self.destroy)):
            patcher = mock.patch.object(base, name, method)
            patcher.start()
            test.addCleanup(patcher.stop)
        patcher = mock.patch.object(django.db, "connections", handler)
        patcher.start()
        test.addCleanup(patcher.stop)

    @property
    def create(self):
        def create_test_db(creation, **kwargs):
            self.created.append((creation.connection.alias, kwargs["keepdb"]))
            creation.connection.settings_dict["NAME"] = "test_" + creation.connection.alias
            return creation.connection.settings_dict["NAME"]
        return create_test_db

    @property
    def destroy(self):
        def destroy_test_db(creation, old_name, **kwargs):
            self.destroyed.append((creation.connection.alias, kwargs["keepdb"]))
            creation.connection.settings_dict["NAME"] = old_name
        return destroy_test_db


def three_aliases(test):
    handler = ConnectionHandler({
        "default": {"ENGINE": "sqlite3", "NAME": "a.db"},
        "other": {"ENGINE": "sqlite3", "NAME": "b.db"},
        "replica": {"ENGINE": "sqlite3", "NAME": "c.db", "TEST": {"MIRROR": "other"}},
    })
    test.addCleanup(handler.close_in_every_thread)
    return handler


class SignatureTests(SimpleTestCase):
    def test_setup_databases_signature(self):
        self.assertEqual(
            str(inspect.signature(utils.setup_databases)),
            "(verbosity, interactive, *, time_keeper=None, keepdb=False, debug_sql=False, "
            "parallel=0, aliases=None, serialized_aliases=None, **kwargs)",
        )

    def test_teardown_databases_signature(self):
        self.assertEqual(
            str(inspect.signature(utils.teardown_databases)),
            "(old_config, verbosity, parallel=0, keepdb=False)",
        )

    def test_test_case_attributes(self):
        self.assertEqual(SimpleTestCase.databases, set())
        self.assertEqual(TransactionTestCase.databases, {"default"})
        self.assertEqual(TestCase.databases, {"default"})
        self.assertTrue(inspect.ismethod(TestCase.setUpTestData))


class SetupDatabasesTests(SimpleTestCase):
    def test_every_alias_by_default_and_names_restored(self):
        handler = three_aliases(self)
        fake = FakeCreation(self, handler)
        old_config = utils.setup_databases(verbosity=0, interactive=False)
        self.assertEqual(fake.created, [("default", False), ("other", False)])
        self.assertEqual(handler.databases["replica"]["NAME"], "test_other")
        utils.teardown_databases(old_config, verbosity=0)
        self.assertEqual(fake.destroyed, [("other", False), ("default", False)])
        self.assertEqual([handler.databases[a]["NAME"] for a in handler], ["a.db", "b.db", "c.db"])

    def test_only_the_given_aliases(self):
        # What pytest-django passes: the aliases its collected tests use.
        handler = three_aliases(self)
        fake = FakeCreation(self, handler)
        old_config = utils.setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set(),
        )
        self.assertEqual(fake.created, [("default", False)])
        self.assertEqual(handler.databases["other"]["NAME"], "b.db")
        utils.teardown_databases(old_config, verbosity=0)
        self.assertEqual(fake.destroyed, [("default", False)])

    def test_a_mirror_brings_its_target(self):
        handler = three_aliases(self)
        fake = FakeCreation(self, handler)
        old_config = utils.setup_databases(verbosity=0, interactive=False, aliases=["replica"])
        self.assertEqual(fake.created, [("other", False)])
        self.assertEqual(handler.databases["replica"]["NAME"], "test_other")
        utils.teardown_databases(old_config, verbosity=0)
        self.assertEqual(handler.databases["replica"]["NAME"], "c.db")

    def test_keepdb_reaches_creation_and_destruction(self):
        handler = three_aliases(self)
        fake = FakeCreation(self, handler)
        old_config = utils.setup_databases(0, False, keepdb=True, aliases=["other"])
        utils.teardown_databases(old_config, 0, keepdb=True)
        self.assertEqual(fake.created, [("other", True)])
        self.assertEqual(fake.destroyed, [("other", True)])

    def test_unknown_alias_is_named(self):
        handler = three_aliases(self)
        fake = FakeCreation(self, handler)
        msg = "Cannot set up test databases for 'nope': not in DATABASES"
        with self.assertRaisesMessage(ImproperlyConfigured, msg):
            utils.setup_databases(0, False, aliases=["default", "nope"])
        self.assertEqual(fake.created, [])

    def test_parallel_is_refused(self):
        handler = three_aliases(self)
        fake = FakeCreation(self, handler)
        with self.assertRaisesMessage(NotImplementedError, "setup_databases(parallel=2)"):
            utils.setup_databases(0, False, parallel=2)
        self.assertEqual(fake.created, [])

    def test_unknown_keyword_arguments_are_accepted(self):
        handler = three_aliases(self)
        FakeCreation(self, handler)
        old_config = utils.setup_databases(0, False, time_keeper=None, debug_sql=True,
                                           parallel=1, aliases=["default"], extra=1)
        utils.teardown_databases(old_config, 0, parallel=1)


class EngineNameTests(SimpleTestCase):
    def test_dotted_postgresql_psycopg2_is_our_postgresql_backend(self):
        handler = ConnectionHandler({"default": {
            "ENGINE": "django.db.backends.postgresql_psycopg2", "NAME": "shop",
        }})
        self.addCleanup(handler.close_in_every_thread)
        self.assertEqual(handler["default"].vendor, "postgresql")
        self.assertEqual(type(handler["default"]).__module__, "django.db.backends.postgresql.base")
