"""The system checks of DATABASES and DATABASE_ROUTERS (patch 0008).

What settings loading already refuses (django.conf.databases) never gets
this far; these are the mistakes that load and then fail at first use. Each
message names the setting, the alias or index, and the bad value.
"""
import os
import sys
import tempfile
from unittest import mock

from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connections
from django.test import SimpleTestCase
from django.test.utils import override_settings

from .support import run_with_settings


def ids(messages):
    return sorted(message.id for message in messages)


def messages_with(prefix, messages):
    return [message for message in messages if message.id and message.id.startswith(prefix)]


def database_messages(**kwargs):
    return messages_with("databases.", checks.run_checks(**kwargs))


def router_messages():
    return messages_with("routers.", checks.run_checks())


class Router:
    def db_for_read(self, model, **hints):
        return None


class NotARouter:
    """Has none of the router methods."""


class NeedsArguments:
    def __init__(self, primary):
        self.primary = primary

    def db_for_read(self, model, **hints):
        return self.primary


class ExtraAlias:
    """``with ExtraAlias(test_case, ENGINE=..., ...)``: an alias 'h0008'
    added to the configured DATABASES (completed like the others) for the
    block; no connection is ever made to it."""

    def __init__(self, **entry):
        self.entry = dict(connections.databases["default"], TEST={}, **entry)

    def __enter__(self):
        self.patch = mock.patch.dict(connections.databases, {"h0008": self.entry})
        self.patch.start()

    def __exit__(self, *exc):
        self.patch.stop()


class DatabasesCheckTests(SimpleTestCase):
    def test_the_test_settings_pass(self):
        self.assertEqual(database_messages(), [])
        self.assertEqual(router_messages(), [])

    def test_an_alias_without_engine(self):
        with ExtraAlias(ENGINE=""):
            found = database_messages()
        self.assertEqual(ids(found), ["databases.E001"])
        self.assertEqual(found[0].msg, "DATABASES['h0008'] has no ENGINE.")
        self.assertIn("'sqlite3'", found[0].hint)
        self.assertTrue(found[0].is_serious())

    def test_an_engine_that_names_no_backend(self):
        with ExtraAlias(ENGINE="no_such_package.backend"):
            found = database_messages()
        self.assertEqual(ids(found), ["databases.E002"])
        self.assertEqual(
            found[0].msg,
            "DATABASES['h0008']['ENGINE'] = 'no_such_package.backend' isn't an available database backend.",
        )

    def test_a_backend_whose_driver_is_missing(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        package = os.path.join(directory.name, "h0008_backend")
        os.mkdir(package)
        open(os.path.join(package, "__init__.py"), "w").close()
        with open(os.path.join(package, "base.py"), "w") as module:
            module.write("import h0008_missing_driver  # noqa\n")
        sys.path.insert(0, directory.name)
        self.addCleanup(sys.path.remove, directory.name)
        self.addCleanup(sys.modules.pop, "h0008_backend", None)
        with ExtraAlias(ENGINE="h0008_backend"):
            found = database_messages()
        self.assertEqual(ids(found), ["databases.E003"])
        self.assertIn("DATABASES['h0008']['ENGINE'] = 'h0008_backend' cannot be loaded", found[0].msg)
        self.assertIn("No module named 'h0008_missing_driver'", found[0].msg)

    def test_conn_max_age_must_be_none_or_seconds(self):
        for bad in ("60", -1, True, [60]):
            with self.subTest(bad=bad), ExtraAlias(CONN_MAX_AGE=bad):
                found = database_messages()
                self.assertEqual(ids(found), ["databases.E004"])
                self.assertIn("DATABASES['h0008']['CONN_MAX_AGE'] = %r must be None" % (bad,), found[0].msg)
        for good in (None, 0, 60, 1.5):
            with self.subTest(good=good), ExtraAlias(CONN_MAX_AGE=good):
                self.assertEqual(database_messages(), [])

    def test_the_password_is_never_shown(self):
        with ExtraAlias(ENGINE="", PASSWORD="s3cret-h0008", CONN_MAX_AGE="x"):
            found = database_messages()
        self.assertEqual(ids(found), ["databases.E001", "databases.E004"])
        self.assertNotIn("s3cret-h0008", " ".join(str(message) for message in found))

    def test_only_the_databases_asked_about(self):
        with ExtraAlias(ENGINE=""):
            self.assertEqual(database_messages(databases=["default"]), [])
            self.assertEqual(ids(database_messages(databases=["h0008"])), ["databases.E001"])


class RoutersCheckTests(SimpleTestCase):
    def assertRouterMessages(self, routers, expected):
        """``expected``: [(id, msg)] in DATABASE_ROUTERS order."""
        with override_settings(DATABASE_ROUTERS=routers):
            found = router_messages()
        found.sort(key=lambda message: message.msg)
        self.assertEqual([(message.id, message.msg) for message in found], sorted(expected, key=lambda e: e[1]))
        return found

    def test_good_routers_pass(self):
        here = __name__ + ".Router"
        self.assertRouterMessages([here, Router(), Router], [])

    def test_the_setting_must_be_a_list(self):
        self.assertRouterMessages(
            "myproject.routers.Router",
            [("routers.E001", "DATABASE_ROUTERS must be a list or tuple of routers, not "
                              "'myproject.routers.Router'.")],
        )

    def test_a_path_that_cannot_be_imported(self):
        found = self.assertRouterMessages(
            [Router(), "h0008_nowhere.routers.Router", __name__ + ".Missing", "Router"],
            [
                ("routers.E002", "DATABASE_ROUTERS[1] = 'h0008_nowhere.routers.Router' cannot be "
                                 "imported: No module named 'h0008_nowhere'"),
                ("routers.E002", "DATABASE_ROUTERS[2] = '%s.Missing' cannot be imported: module %r "
                                 "has no attribute 'Missing'" % (__name__, __name__)),
                ("routers.E002", "DATABASE_ROUTERS[3] = 'Router' cannot be imported: it is not a "
                                 "dotted path ('module.Name')"),
            ],
        )
        self.assertIn("dotted path of a router", found[0].hint)

    def test_a_class_that_cannot_be_instantiated(self):
        self.assertRouterMessages(
            [__name__ + ".NeedsArguments"],
            [("routers.E002", "DATABASE_ROUTERS[0] = '%s.NeedsArguments' cannot be loaded: TypeError: "
                              "NeedsArguments.__init__() missing 1 required positional argument: "
                              "'primary'" % __name__)],
        )

    def test_an_entry_that_is_neither_a_path_nor_a_router(self):
        self.assertRouterMessages(
            [Router(), None, ["nested.Router"]],
            [
                ("routers.E003", "DATABASE_ROUTERS[1] = None is neither a dotted path (a string) "
                                 "nor a router object."),
                ("routers.E003", "DATABASE_ROUTERS[2] = ['nested.Router'] is neither a dotted path "
                                 "(a string) nor a router object."),
            ],
        )

    def test_a_router_with_no_router_method_is_a_warning(self):
        found = self.assertRouterMessages(
            [__name__ + ".NotARouter"],
            [("routers.W001", "DATABASE_ROUTERS[0] = '%s.NotARouter' defines none of the router methods "
                              "(db_for_read, db_for_write, allow_relation, allow_migrate): it is never "
                              "asked anything." % __name__)],
        )
        self.assertFalse(found[0].is_serious())

    def test_a_1_2_router_with_allow_syncdb_only_is_a_router(self):
        class SyncdbOnly:
            def allow_syncdb(self, db, model):
                return None

        self.assertRouterMessages([SyncdbOnly()], [])

    def test_other_checks_do_not_crash_on_bad_routers(self):
        # The cross-database check asks the routers: it leaves the report
        # to the routers' check instead of raising ImproperlyConfigured.
        with override_settings(DATABASE_ROUTERS=["h0008_nowhere.Router"]):
            found = checks.run_checks()
        self.assertIn("routers.E002", ids(found))

    def test_call_command_check_reports_them(self):
        with override_settings(DATABASE_ROUTERS=[None]):
            with self.assertRaisesMessage(SystemCheckError, "(routers.E003) DATABASE_ROUTERS[0] = None"):
                call_command("check")
        with override_settings(DATABASE_ROUTERS=[__name__ + ".NotARouter"]):
            call_command("check", stdout=mock.MagicMock(), stderr=mock.MagicMock())  # a warning only


class ManagePyCheckTests(SimpleTestCase):
    def test_manage_py_check_names_each_bad_setting_and_fails(self):
        done = run_with_settings(
            self,
            """
            DATABASES = {
                "default": {"ENGINE": "sqlite3", "NAME": ":memory:"},
                "other": {"NAME": "unused", "PASSWORD": "s3cret-h0008"},
            }
            DATABASE_ROUTERS = ["h0008_nowhere.Router", 7]
            INSTALLED_APPS = []
            SECRET_KEY = "x"
            """,
            """
            import sys
            from django.core.management import execute_from_command_line
            execute_from_command_line(["manage.py", "check"])
            """,
        )
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("(databases.E001) DATABASES['other'] has no ENGINE.", done.stderr)
        self.assertIn("(routers.E002) DATABASE_ROUTERS[0] = 'h0008_nowhere.Router' cannot be imported", done.stderr)
        self.assertIn("(routers.E003) DATABASE_ROUTERS[1] = 7 is neither", done.stderr)
        self.assertNotIn("s3cret-h0008", done.stderr + done.stdout)
        self.assertNotIn("Traceback", done.stderr)
