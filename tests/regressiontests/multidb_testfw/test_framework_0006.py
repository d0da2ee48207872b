"""The test framework on several databases, patch 0006.

* Fixtures load into each database a test declares, one loaddata per
  alias in settings order, where the routers allow each object.
* ``available_apps``: only those apps are flushed, and they get
  post_migrate on each declared database before every test.
* override_settings(DATABASE_ROUTERS=...) in its three forms (class
  decorator, method decorator, ``with`` block, and ``self.settings()``):
  ``django.db.router`` and the queries follow, and come back afterwards.
* Query capture per alias: ``CaptureQueriesContext(connections[alias])``
  and ``assertNumQueries(using=alias)`` count that database only.
* TEST DEPENDENCIES, TEST MIRROR and routers at test database creation,
  seen by a project of its own run by the runner in a subprocess (the
  suite's settings have no mirror): creation in dependency order, tables
  only where the 1.2 router's ``allow_syncdb`` allows them, a mirror that
  sees the uncommitted writes of the test's transaction through its
  target, and the guard refusing a mirror the test did not declare.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import django
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models.signals import post_migrate, post_save
from django.test import SimpleTestCase, TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext, override_settings

from .models import Gadget

__all__ = [
    "FixturesPerDatabaseTests", "AvailableAppsPerDatabaseTests",
    "RoutersClassDecoratorTests", "RoutersOverrideTests", "QueryCapturePerDatabaseTests",
    "MirrorAndDependenciesTests",
]

HERE = __name__
FLUSH_TABLE = "testfw_flushitem"  # a table of another app (testfw_cases)


def run_case(case_class):
    result = unittest.TestResult()
    unittest.TestLoader().loadTestsFromTestCase(case_class).run(result)
    return result


def names_on(alias):
    return sorted(Gadget.objects.using(alias).values_list("name", flat=True))


def raw_count(alias, table):
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM %s" % connection.ops.quote_name(table))
        return cursor.fetchone()[0]


def raw_insert(alias, table, pk, name):
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO %s (id, name) VALUES (%%s, %%s)" % connection.ops.quote_name(table),
            [pk, name],
        )


class GadgetsOffOther:
    """Keeps Gadget off 'other': loaddata --database=other skips its objects."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == "multidb_testfw" and db == "other":
            return False
        return None


class GadgetsOnOther:
    def db_for_read(self, model, **hints):
        return "other" if model is Gadget else None

    db_for_write = db_for_read


class FixturesPerDatabaseTests(TransactionTestCase):
    """``fixtures`` go into every declared database, each by its own loaddata."""

    databases = "__all__"

    def loaded(self, base, databases, **attributes):
        """Run a ``base`` test declaring ``databases`` with the gadgets
        fixture; return {alias: gadget names} seen in the test and the
        order of the aliases the fixture's rows were saved to."""
        seen, saved_to = {}, []

        def record(sender, using=None, raw=False, **kwargs):
            if raw and (not saved_to or saved_to[-1] != using):
                saved_to.append(using)

        post_save.connect(record, sender=Gadget)
        self.addCleanup(post_save.disconnect, record, sender=Gadget)

        def test_loaded(test):
            for alias in ("default", "other"):
                if alias in databases:
                    seen[alias] = names_on(alias)

        namespace = {
            "databases": databases, "fixtures": ["multidb_gadgets"],
            "test_loaded": test_loaded, "__module__": HERE, **attributes,
        }
        result = run_case(type("Loaded", (base,), namespace))
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        return seen, saved_to

    def test_test_case_loads_into_each_database_in_settings_order(self):
        # Declared in the other order: settings order decides.
        seen, saved_to = self.loaded(TestCase, ["other", "default"])
        self.assertEqual(seen, {"default": ["lever", "pulley"], "other": ["lever", "pulley"]})
        self.assertEqual(saved_to, ["default", "other"])
        # Rolled back with the class.
        self.assertEqual((names_on("default"), names_on("other")), ([], []))

    def test_transaction_test_case_loads_into_each_database(self):
        seen, saved_to = self.loaded(TransactionTestCase, {"default", "other"})
        self.assertEqual(seen, {"default": ["lever", "pulley"], "other": ["lever", "pulley"]})
        self.assertEqual(saved_to, ["default", "other"])
        self.assertEqual((names_on("default"), names_on("other")), ([], []))

    def test_only_declared_databases_get_the_fixture(self):
        seen, saved_to = self.loaded(TestCase, {"other"})
        self.assertEqual(seen, {"other": ["lever", "pulley"]})
        self.assertEqual(saved_to, ["other"])

    def test_routers_decide_what_each_database_receives(self):
        with override_settings(DATABASE_ROUTERS=[GadgetsOffOther()]):
            seen, saved_to = self.loaded(TestCase, {"default", "other"})
        self.assertEqual(seen, {"default": ["lever", "pulley"], "other": []})
        self.assertEqual(saved_to, ["default"])


class AvailableAppsPerDatabaseTests(TransactionTestCase):
    """``available_apps`` on several databases: their flush, their post_migrate."""

    databases = "__all__"

    def test_post_migrate_for_the_available_apps_on_each_declared_database(self):
        heard = []

        def listener(sender, using=None, **kwargs):
            heard.append((sender.label, using))

        post_migrate.connect(listener)
        self.addCleanup(post_migrate.disconnect, listener)

        class Restricted(TransactionTestCase):
            databases = {"default", "other"}
            available_apps = ["regressiontests.multidb_testfw"]

            def test_one(self):
                heard.append("test_one ran")

            def test_two(self):
                heard.append("test_two ran")

        result = run_case(Restricted)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        before_each = [("multidb_testfw", "default"), ("multidb_testfw", "other")]
        self.assertEqual(heard, before_each + ["test_one ran"] + before_each + ["test_two ran"])

    def test_only_the_available_apps_are_flushed_on_each_database(self):
        class Restricted(TransactionTestCase):
            databases = {"default", "other"}
            available_apps = ["regressiontests.multidb_testfw"]

            def test_commit(self):
                for alias in ("default", "other"):
                    Gadget.objects.using(alias).create(name="flushed")
                    raw_insert(alias, FLUSH_TABLE, 1, "not an available app's")

        result = run_case(Restricted)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        for alias in ("default", "other"):
            with self.subTest(alias=alias):
                self.assertEqual(names_on(alias), [])
                self.assertEqual(raw_count(alias, FLUSH_TABLE), 1)


@override_settings(DATABASE_ROUTERS=[GadgetsOnOther()])
class RoutersClassDecoratorTests(TestCase):
    """On a test class, the routers are in force for every test of it."""

    databases = {"default", "other"}

    def test_router_follows(self):
        self.assertEqual(router.db_for_read(Gadget), "other")
        Gadget.objects.create(name="routed")
        self.assertEqual(names_on("other"), ["routed"])
        self.assertEqual(names_on("default"), [])

    def test_settings_inside_a_decorated_class_nests(self):
        with self.settings(DATABASE_ROUTERS=[]):
            self.assertEqual(router.db_for_write(Gadget), "default")
        self.assertEqual(router.db_for_write(Gadget), "other")


class RoutersOverrideTests(TestCase):
    """override_settings(DATABASE_ROUTERS=...) as a method decorator and a
    ``with`` block (and ``self.settings``); the routers come back after."""

    databases = {"default", "other"}

    def tearDown(self):
        self.assertEqual(router.db_for_read(Gadget), DEFAULT_DB_ALIAS)

    @override_settings(DATABASE_ROUTERS=[GadgetsOnOther()])
    def test_method_decorator(self):
        self.assertEqual(Gadget.objects.db, "other")
        Gadget.objects.create(name="decorated")
        self.assertEqual(names_on("other"), ["decorated"])

    @override_settings(DATABASE_ROUTERS=["%s.GadgetsOnOther" % HERE])
    def test_dotted_path(self):
        self.assertEqual(Gadget.objects.db, "other")

    def test_context_manager(self):
        with override_settings(DATABASE_ROUTERS=[GadgetsOnOther()]):
            Gadget.objects.create(name="in block")
        Gadget.objects.create(name="after block")
        self.assertEqual(names_on("other"), ["in block"])
        self.assertEqual(names_on("default"), ["after block"])

    def test_self_settings(self):
        with self.settings(DATABASE_ROUTERS=[GadgetsOnOther()]):
            self.assertEqual(router.db_for_write(Gadget), "other")
        self.assertEqual(router.db_for_write(Gadget), "default")

    def test_class_decorator_leaves_routers_as_they_were(self):
        result = run_case(RoutersClassDecoratorTests)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)


class QueryCapturePerDatabaseTests(TestCase):
    """Capturing and counting the queries of one database."""

    databases = {"default", "other"}

    def test_capture_queries_context_of_one_alias(self):
        with CaptureQueriesContext(connections["other"]) as on_other, \
                CaptureQueriesContext(connections["default"]) as on_default:
            Gadget.objects.using("other").create(name="there")
            Gadget.objects.using("other").count()
            Gadget.objects.count()
        self.assertEqual(len(on_other), 2)
        self.assertIn("INSERT", on_other[0]["sql"].upper())
        self.assertEqual(len(on_default), 1)

    def test_assert_num_queries_ignores_other_databases(self):
        with self.assertNumQueries(1, using="other"), self.assertNumQueries(2):
            Gadget.objects.using("other").count()
            Gadget.objects.count()
            Gadget.objects.exists()

    def test_assert_num_queries_names_the_queries_of_its_database(self):
        with self.assertRaises(AssertionError) as caught:
            with self.assertNumQueries(0, using="other"):
                Gadget.objects.using("other").filter(name="sprocket").count()
        self.assertIn("1 queries executed, 0 expected", str(caught.exception))
        self.assertIn("sprocket", str(caught.exception))


# --- a project of its own, run by the runner in a subprocess --------------------

SCENARIO_MODELS = """\
from django.db import models
from django.db.models.signals import post_migrate

# The aliases syncdb sent post_migrate for, in order: the creation order.
SYNCED = []


def note(sender, using=None, **kwargs):
    if not SYNCED or SYNCED[-1] != using:
        SYNCED.append(using)


post_migrate.connect(note)


class Item(models.Model):
    name = models.CharField(max_length=20)


class Secret(models.Model):
    name = models.CharField(max_length=20)
"""

SCENARIO_ROUTERS = """\
class OldRouter:
    # A Django 1.2 router: allow_syncdb keeps Secret off 'other'.
    def allow_syncdb(self, db, model):
        if model._meta.model_name == "secret":
            return db != "other"
        return None
"""

SCENARIO_TESTS = """\
from django.db import connections
from django.test import TestCase, TransactionTestCase
from django.test.testcases import DatabaseOperationForbidden

from .models import SYNCED, Item
from . import SEEN


class A_Tables(TransactionTestCase):
    databases = "__all__"

    def test_tables(self):
        SEEN["synced"] = list(SYNCED)
        SEEN["tables"] = {
            alias: sorted(t for t in connections[alias].introspection.table_names()
                          if t.startswith("mirrorapp_"))
            for alias in ("default", "other")
        }


class B_Mirror(TestCase):
    databases = {"default", "replica"}

    def test_mirror_sees_the_test_transaction(self):
        Item.objects.create(name="written on default")
        SEEN["read_through_mirror"] = list(
            Item.objects.using("replica").values_list("name", flat=True))
        Item.objects.using("replica").create(name="written on replica")
        SEEN["read_on_default"] = sorted(Item.objects.values_list("name", flat=True))
        SEEN["mirror_in_transaction"] = connections["replica"].in_atomic_block


class C_Undeclared(TestCase):
    def test_mirror_not_declared(self):
        try:
            Item.objects.using("replica").count()
        except DatabaseOperationForbidden as refused:
            SEEN["refused"] = str(refused)
        SEEN["default_allowed"] = Item.objects.count()
        SEEN["shared_when_undeclared"] = connections["replica"] is connections["default"]


class C_MirrorAlone(TestCase):
    databases = {"replica"}

    def test_mirror_declared_without_its_target(self):
        SEEN["alone_in_transaction"] = connections["replica"].in_atomic_block
        SEEN["alone_shared"] = connections["replica"] is connections["default"]
        Item.objects.using("replica").create(name="alone")


class D_After(TransactionTestCase):
    databases = {"default", "replica"}

    def test_after(self):
        # What B_Mirror and C_MirrorAlone wrote was rolled back.
        SEEN["left_after"] = Item.objects.count()
        SEEN["shared_when_declared"] = connections["replica"] is connections["default"]
"""

SCENARIO_SCRIPT = """\
import json
import django
django.setup()
from django.test.runner import DiscoverRunner
import mirrorapp

failures = DiscoverRunner(verbosity=0, interactive=False).run_tests(["mirrorapp"])
print(json.dumps({"failures": failures, "seen": mirrorapp.SEEN}))
"""


def scenario_databases(directory):
    """'default' and its mirror 'replica' on the suite's default vendor
    (a database of their own), 'other' on SQLite, created first."""
    current = connections["default"].settings_dict
    if connections["default"].vendor == "sqlite":
        server = {"ENGINE": "django.db.backends.sqlite3",
                  "NAME": os.path.join(directory, "main.sqlite3")}
        test_name = os.path.join(directory, "test_main.sqlite3")
    else:
        server = {key: current[key] for key in ("ENGINE", "HOST", "PORT", "USER", "PASSWORD",
                                                 "OPTIONS")}
        server["NAME"] = current["NAME"] + "_0006"
        test_name = current["NAME"] + "_0006m"
    return {
        "default": dict(server, TEST={"NAME": test_name, "DEPENDENCIES": ["other"]}),
        "replica": dict(server, TEST={"MIRROR": "default"}),
        "other": {"ENGINE": "django.db.backends.sqlite3",
                  "NAME": os.path.join(directory, "other.sqlite3"),
                  "TEST": {"NAME": os.path.join(directory, "test_other.sqlite3"),
                           "DEPENDENCIES": []}},
    }


def run_scenario():
    with tempfile.TemporaryDirectory() as directory:
        app = os.path.join(directory, "mirrorapp")
        os.mkdir(app)
        files = {
            "__init__.py": "SEEN = {}\n",
            "models.py": SCENARIO_MODELS,
            "routers.py": SCENARIO_ROUTERS,
            "tests.py": SCENARIO_TESTS,
        }
        for name, source in files.items():
            with open(os.path.join(app, name), "w") as module:
                module.write(source)
        with open(os.path.join(directory, "scenario_settings.py"), "w") as module:
            module.write(
                "DATABASES = %r\nDATABASE_ROUTERS = ['mirrorapp.routers.OldRouter']\n"
                "INSTALLED_APPS = ['mirrorapp']\nSECRET_KEY = 'x'\nUSE_TZ = False\n"
                % scenario_databases(directory)
            )
        repo = os.path.dirname(os.path.dirname(os.path.abspath(django.__file__)))
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(PYTHONPATH=os.pathsep.join([directory, repo]),
                   DJANGO_SETTINGS_MODULE="scenario_settings",
                   PYTHONWARNINGS="ignore::DeprecationWarning")
        done = subprocess.run(
            [sys.executable, "-c", SCENARIO_SCRIPT], capture_output=True, text=True,
            env=env, cwd=directory, timeout=120,
        )
    if done.returncode != 0:
        raise AssertionError("the scenario failed:\n%s\n%s" % (done.stdout, done.stderr))
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    if outcome["failures"]:
        raise AssertionError("the scenario's tests failed:\n%s" % done.stderr)
    return outcome["seen"]


class MirrorAndDependenciesTests(SimpleTestCase):
    """TEST DEPENDENCIES, routers at creation and TEST MIRROR, in a real run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seen = run_scenario()

    def test_databases_created_in_dependency_order(self):
        # Settings order is default, replica, other; 'default' depends on 'other'.
        self.assertEqual(self.seen["synced"], ["other", "default"])

    def test_each_test_database_gets_what_allow_syncdb_allows(self):
        self.assertEqual(self.seen["tables"], {
            "default": ["mirrorapp_item", "mirrorapp_secret"],
            "other": ["mirrorapp_item"],
        })

    def test_mirror_reads_the_uncommitted_writes_of_its_target(self):
        self.assertEqual(self.seen["read_through_mirror"], ["written on default"])

    def test_writes_through_the_mirror_are_seen_on_its_target(self):
        self.assertEqual(self.seen["read_on_default"], ["written on default", "written on replica"])
        self.assertIs(self.seen["mirror_in_transaction"], True)

    def test_writes_through_the_mirror_are_rolled_back_with_the_test(self):
        self.assertEqual(self.seen["left_after"], 0)

    def test_mirror_uses_its_target_connection_only_where_declared(self):
        self.assertIs(self.seen["shared_when_declared"], True)
        self.assertIs(self.seen["shared_when_undeclared"], False)

    def test_mirror_declared_alone_has_its_own_transaction(self):
        self.assertIs(self.seen["alone_shared"], False)
        self.assertIs(self.seen["alone_in_transaction"], True)
        self.assertEqual(self.seen["left_after"], 0)

    def test_undeclared_mirror_is_refused_by_its_own_name(self):
        self.assertEqual(
            self.seen["refused"],
            "Database queries to 'replica' are not allowed in this test. Add 'replica' to "
            "mirrorapp.tests.C_Undeclared.databases to ensure proper test isolation "
            "and silence this failure.",
        )
        self.assertEqual(self.seen["default_allowed"], 0)
