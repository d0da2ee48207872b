"""
The machinery of several databases: DATABASES checked and completed, the
legacy DATABASE_* settings converted, ConnectionHandler (aliases, one
wrapper per thread, closing), the event-loop guard, transaction using=, and
the runner's test database per alias.
"""
import asyncio
import os
import warnings
from unittest import mock

import django.db
from django.conf import LazySettings, settings
from django.conf.databases import complete_databases, creation_order
from django.core.exceptions import ImproperlyConfigured, SynchronousOnlyOperation
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.utils import ConnectionDoesNotExist, ConnectionHandler
from django.test import SimpleTestCase, TransactionTestCase
from django.test.databases import set_up_test_databases, tear_down_test_databases

from thread_support import run_in_thread

SQLITE = "django.db.backends.sqlite3"


class CompletionTests(SimpleTestCase):
    def test_every_key_filled_once(self):
        done = complete_databases({"default": {"ENGINE": "sqlite3", "NAME": ":memory:"}})
        entry = done["default"]
        self.assertEqual(entry["ENGINE"], SQLITE)
        for key, value in (
            ("USER", ""), ("PASSWORD", ""), ("HOST", ""), ("PORT", ""), ("OPTIONS", {}),
            ("ATOMIC_REQUESTS", False), ("AUTOCOMMIT", True), ("CONN_MAX_AGE", 0),
            ("CONN_HEALTH_CHECKS", False), ("TIME_ZONE", None),
        ):
            self.assertEqual(entry[key], value, key)
        self.assertEqual(
            entry["TEST"],
            {"NAME": None, "MIRROR": None, "DEPENDENCIES": [], "CHARSET": None, "COLLATION": None},
        )
        # Completing again keeps the very same dictionaries (they are shared).
        self.assertIs(complete_databases(done), done)

    def test_user_dicts_untouched_and_given_values_kept(self):
        given = {"default": {"ENGINE": "sqlite3", "NAME": "a", "CONN_MAX_AGE": None}}
        done = complete_databases(given)
        self.assertEqual(given, {"default": {"ENGINE": "sqlite3", "NAME": "a", "CONN_MAX_AGE": None}})
        self.assertIsNone(done["default"]["CONN_MAX_AGE"])

    def test_flat_test_spellings_move_into_test(self):
        done = complete_databases({
            "default": {"ENGINE": "sqlite3", "TEST_NAME": "t.db"},
            "other": {"ENGINE": "sqlite3", "TEST_MIRROR": "default", "TEST_CHARSET": "utf8"},
        })
        self.assertEqual(done["default"]["TEST"]["NAME"], "t.db")
        self.assertNotIn("TEST_NAME", done["default"])
        self.assertEqual(done["other"]["TEST"]["MIRROR"], "default")
        self.assertEqual(done["other"]["TEST"]["CHARSET"], "utf8")
        # Other aliases are created after the default one unless told otherwise.
        self.assertEqual(done["other"]["TEST"]["DEPENDENCIES"], ["default"])

    def test_flat_and_nested_disagreeing(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "both TEST_NAME = 'a' and TEST['NAME'] = 'b'"):
            complete_databases({"default": {"ENGINE": "sqlite3", "TEST_NAME": "a", "TEST": {"NAME": "b"}}})

    def test_empty_dict_means_default_without_engine(self):
        done = complete_databases({})
        self.assertEqual(list(done), ["default"])
        self.assertEqual(done["default"]["ENGINE"], "")
        handler = ConnectionHandler({})
        with self.assertRaisesMessage(ImproperlyConfigured, "DATABASES['default'] has no ENGINE"):
            handler["default"]


class BadInputTests(SimpleTestCase):
    def assertRefused(self, databases, *fragments):
        with self.assertRaises(ImproperlyConfigured) as ctx:
            complete_databases(databases)
        for fragment in fragments:
            self.assertIn(fragment, str(ctx.exception))
        self.assertNotIn("s3cret", str(ctx.exception))

    def test_not_a_dict(self):
        self.assertRefused([("default", {})], "DATABASES", "dict", "list")

    def test_bad_alias(self):
        for alias in ("1st", "with space", "", "a;b", 7):
            self.assertRefused(
                {"default": {"ENGINE": "sqlite3"}, alias: {"ENGINE": "sqlite3", "PASSWORD": "s3cret"}},
                "invalid alias %r" % (alias,),
            )

    def test_missing_default(self):
        self.assertRefused({"other": {"ENGINE": "sqlite3", "PASSWORD": "s3cret"}}, "'default'", "'other'")

    def test_alias_entry_not_a_dict(self):
        self.assertRefused({"default": "sqlite3://s3cret@host"}, "DATABASES['default']", "str")

    def test_unknown_engine(self):
        self.assertRefused(
            {"default": {"ENGINE": "nosuchdb", "PASSWORD": "s3cret"}},
            "DATABASES['default']['ENGINE'] = 'nosuchdb'", "'sqlite3'", "'postgresql'", "'mysql'",
        )

    def test_test_not_a_dict(self):
        self.assertRefused({"default": {"ENGINE": "sqlite3", "TEST": "x"}}, "DATABASES['default']['TEST']", "str")

    def test_options_not_a_dict(self):
        self.assertRefused({"default": {"ENGINE": "sqlite3", "OPTIONS": ["x"]}}, "['OPTIONS']", "list")

    def test_dependencies(self):
        self.assertRefused(
            {"default": {"ENGINE": "sqlite3"}, "b": {"ENGINE": "sqlite3", "TEST": {"DEPENDENCIES": ["nope"]}}},
            "DATABASES['b']['TEST']['DEPENDENCIES']", "'nope'",
        )
        self.assertRefused(
            {"default": {"ENGINE": "sqlite3"}, "b": {"ENGINE": "sqlite3", "TEST": {"DEPENDENCIES": "default"}}},
            "must be a list of aliases",
        )
        self.assertRefused(
            {
                "default": {"ENGINE": "sqlite3"},
                "b": {"ENGINE": "sqlite3", "TEST": {"DEPENDENCIES": ["c"]}},
                "c": {"ENGINE": "sqlite3", "TEST": {"DEPENDENCIES": ["b"]}},
            },
            "cycle", "'b'", "'c'",
        )

    def test_mirror_of_unknown_alias(self):
        self.assertRefused(
            {"default": {"ENGINE": "sqlite3", "TEST": {"MIRROR": "gone"}}}, "['MIRROR'] = 'gone'",
        )

    def test_creation_order_follows_dependencies(self):
        done = complete_databases({
            "default": {"ENGINE": "sqlite3", "TEST": {"DEPENDENCIES": ["b"]}},
            "a": {"ENGINE": "sqlite3"},
            "b": {"ENGINE": "sqlite3", "TEST": {"DEPENDENCIES": []}},
        })
        self.assertEqual(creation_order(done), ["b", "default", "a"])


class LegacySettingsTests(SimpleTestCase):
    def test_converted_with_warning(self):
        lazy = LazySettings()
        with self.assertWarnsRegex(DeprecationWarning, "DATABASES") as ctx:
            lazy.configure(DATABASE_ENGINE="sqlite3", DATABASE_NAME="x.db", DATABASE_PASSWORD="s3cret")
        self.assertNotIn("s3cret", str(ctx.warning))
        default = lazy.DATABASES["default"]
        self.assertEqual((default["ENGINE"], default["NAME"]), (SQLITE, "x.db"))
        self.assertEqual(default["PASSWORD"], "s3cret")

    def test_both_refused(self):
        lazy = LazySettings()
        with self.assertRaises(ImproperlyConfigured) as ctx:
            lazy.configure(DATABASES={"default": {"ENGINE": "sqlite3"}}, DATABASE_NAME="x.db")
        self.assertIn("DATABASES", str(ctx.exception))
        self.assertIn("DATABASE_NAME", str(ctx.exception))

    def test_new_settings_do_not_warn(self):
        lazy = LazySettings()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            lazy.configure(DATABASES={"default": {"ENGINE": "sqlite3", "NAME": ":memory:"}})
        self.assertEqual(lazy.DATABASES["default"]["NAME"], ":memory:")

    def test_nothing_configured(self):
        lazy = LazySettings()
        lazy.configure()
        self.assertEqual(lazy.DATABASES["default"]["ENGINE"], "")

    def test_legacy_override_on_top_of_databases_refused(self):
        from django.test.utils import override_settings

        with self.assertRaisesMessage(ImproperlyConfigured, "override DATABASES instead"):
            with override_settings(DATABASE_NAME="elsewhere"):
                pass


class HandlerTests(SimpleTestCase):
    def make(self):
        handler = ConnectionHandler({
            "default": {"ENGINE": "sqlite3", "NAME": ":memory:"},
            "other": {"ENGINE": "sqlite3", "NAME": ":memory:"},
        })
        self.addCleanup(handler.close_in_every_thread)
        return handler

    def test_aliases_in_settings_order(self):
        handler = self.make()
        self.assertEqual(list(handler), ["default", "other"])
        self.assertIn("other", handler)
        self.assertNotIn("nope", handler)
        self.assertEqual(len(handler), 2)
        self.assertEqual(handler.databases["other"]["ENGINE"], SQLITE)

    def test_wrappers_lazy_per_alias_and_shared_settings(self):
        handler = self.make()
        self.assertEqual(handler.all(initialized_only=True), [])
        other = handler["other"]
        self.assertIs(handler["other"], other)
        self.assertEqual(other.alias, "other")
        self.assertIs(other.settings_dict, handler.databases["other"])
        self.assertEqual(handler.all(initialized_only=True), [other])
        both = handler.all()
        self.assertEqual([w.alias for w in both], ["default", "other"])
        self.assertIsNot(both[0], both[1])

    def test_unknown_alias(self):
        handler = self.make()
        with self.assertRaises(ConnectionDoesNotExist) as ctx:
            handler["nope"]
        self.assertIn("'nope'", str(ctx.exception))
        self.assertIn("'default', 'other'", str(ctx.exception))
        with self.assertRaises(ConnectionDoesNotExist):
            connections["nope"]

    def test_one_wrapper_per_thread(self):
        handler = self.make()
        mine = handler["default"]
        theirs = run_in_thread(lambda: handler["default"])
        self.assertIsNot(mine, theirs)
        self.assertEqual(theirs.alias, "default")

    def test_thread_end_closes_its_connections(self):
        handler = self.make()

        def work():
            wrapper = handler["other"]
            wrapper.ensure_connection()
            return wrapper

        wrapper = run_in_thread(work)
        self.assertIsNone(wrapper.connection)

    def test_close_all_closes_this_threads_wrappers(self):
        # File databases: SQLite keeps an in-memory one open through close().
        import tempfile

        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        handler = ConnectionHandler({
            "default": {"ENGINE": "sqlite3", "NAME": os.path.join(tmp.name, "a.db")},
            "other": {"ENGINE": "sqlite3", "NAME": os.path.join(tmp.name, "b.db")},
        })
        self.addCleanup(handler.close_in_every_thread)
        for wrapper in handler.all():
            wrapper.ensure_connection()
        handler.close_all()
        self.assertEqual([w.connection for w in handler.all(initialized_only=True)], [None, None])

    def test_lent_wrapper_kept(self):
        handler = self.make()
        lent = handler["other"]

        def use():
            handler["other"] = lent
            return handler["other"]

        self.assertIs(run_in_thread(use), lent)
        del handler["other"]
        self.assertIsNot(handler["other"], lent)

    def test_reread_settings(self):
        handler = self.make()
        old = handler["default"]
        old.ensure_connection()
        handler.reread_settings()
        self.assertIsNone(old.connection)
        self.assertIsNot(handler["default"], old)

    def test_project_handler(self):
        self.assertIs(django.db.connections["default"], connections[DEFAULT_DB_ALIAS])
        self.assertEqual(connection.alias, "default")
        self.assertIs(django.db.get_connection(), connections["default"])
        self.assertIs(connections.databases, settings.DATABASES)


class EventLoopGuardTests(TransactionTestCase):
    def test_refused_inside_a_running_loop(self):
        async def query():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")

        with mock.patch.dict(os.environ, {}, clear=False):
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            with self.assertRaisesMessage(SynchronousOnlyOperation, "alias 'default'"):
                asyncio.run(query())

    def test_orm_statement_refused_inside_a_running_loop(self):
        from django.contrib.contenttypes.models import ContentType

        async def query():
            return ContentType.objects.count()

        ContentType.objects.count()  # a kept cursor may be reused: still refused
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        with self.assertRaises(SynchronousOnlyOperation):
            asyncio.run(query())

    def test_allowed_with_the_environment_variable(self):
        async def query():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                return cursor.fetchone()[0]

        with mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}):
            self.assertEqual(asyncio.run(query()), 1)

    def test_to_thread_gets_its_own_wrapper(self):
        handler = ConnectionHandler({"default": {"ENGINE": "sqlite3", "NAME": ":memory:"}})
        self.addCleanup(handler.close_in_every_thread)

        def query():
            wrapper = handler["default"]
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT 2")
                return wrapper, cursor.fetchone()[0]

        async def main():
            return await asyncio.to_thread(query)

        wrapper, value = asyncio.run(main())
        self.assertEqual(value, 2)
        self.assertIsNot(wrapper, handler["default"])


class TransactionUsingTests(SimpleTestCase):
    def setUp(self):
        handler = ConnectionHandler({
            "default": {"ENGINE": "sqlite3", "NAME": ":memory:"},
            "other": {"ENGINE": "sqlite3", "NAME": ":memory:"},
        })
        patcher = mock.patch.object(django.db, "connections", handler)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.addCleanup(handler.close_in_every_thread)
        self.handler = handler

    def test_atomic_per_alias(self):
        other, default = self.handler["other"], self.handler["default"]
        with transaction.atomic(using="other"):
            self.assertTrue(other.in_atomic_block)
            self.assertFalse(default.in_atomic_block)
            self.assertFalse(transaction.get_autocommit(using="other"))
            self.assertTrue(transaction.get_autocommit())
        with transaction.atomic("other"):
            self.assertTrue(other.in_atomic_block)
        self.assertFalse(other.in_atomic_block)

        @transaction.atomic(using="other")
        def decorated():
            return other.in_atomic_block, default.in_atomic_block

        self.assertEqual(decorated(), (True, False))

    def test_rollback_flags_and_savepoints_per_alias(self):
        other = self.handler["other"]
        with transaction.atomic(using="other"):
            sid = transaction.savepoint(using="other")
            self.assertIsNotNone(sid)
            transaction.savepoint_rollback(sid, using="other")
            transaction.set_rollback(True, using="other")
            self.assertTrue(transaction.get_rollback(using="other"))
            self.assertTrue(other.needs_rollback)
        with self.assertRaises(transaction.TransactionManagementError):
            transaction.get_rollback(using="default")

    def test_on_commit_per_alias(self):
        ran = []
        with transaction.atomic(using="other"):
            transaction.on_commit(lambda: ran.append("other"), using="other")
            transaction.on_commit(lambda: ran.append("default"))  # no transaction there: now
            self.assertEqual(ran, ["default"])
        self.assertEqual(ran, ["default", "other"])

    def test_mark_for_rollback_on_error_per_alias(self):
        other = self.handler["other"]
        with transaction.atomic(using="other"):
            with self.assertRaises(ValueError):
                with transaction.mark_for_rollback_on_error(using="other"):
                    raise ValueError
            self.assertTrue(other.needs_rollback)
            transaction.set_rollback(False, using="other")

    def test_older_spellings_take_using(self):
        other = self.handler["other"]
        with transaction.commit_on_success(using="other"):
            self.assertTrue(other.in_atomic_block)
        with transaction.commit_manually(using="other"):
            self.assertFalse(other.get_autocommit())
            transaction.rollback(using="other")
        self.assertTrue(other.get_autocommit())

    def test_unknown_alias(self):
        with self.assertRaises(ConnectionDoesNotExist):
            with transaction.atomic(using="nope"):
                pass

    def test_connection_created_carries_the_alias(self):
        from django.db.backends.signals import connection_created

        seen = []

        def receiver(sender, connection, **kwargs):
            seen.append(connection.alias)

        connection_created.connect(receiver)
        self.addCleanup(connection_created.disconnect, receiver)
        self.handler["other"].ensure_connection()
        self.assertEqual(seen, ["other"])

    def test_reset_queries_and_close_old_connections_every_alias(self):
        for wrapper in self.handler.all():
            wrapper.queries_log.append({"sql": "x", "time": "0"})
        django.db.reset_queries()
        self.assertEqual([len(w.queries_log) for w in self.handler.all()], [0, 0])
        with mock.patch.object(type(self.handler["other"]), "close_if_unusable_or_obsolete") as check:
            django.db.close_old_connections()
        self.assertEqual(check.call_count, 2)


class RunnerDatabasesTests(SimpleTestCase):
    def test_every_alias_mirror_and_dependencies(self):
        handler = ConnectionHandler({
            "default": {"ENGINE": "sqlite3", "NAME": "a.db", "TEST": {"DEPENDENCIES": ["second"]}},
            "second": {"ENGINE": "sqlite3", "NAME": "b.db", "TEST": {"DEPENDENCIES": []}},
            "replica": {"ENGINE": "sqlite3", "NAME": "c.db", "TEST": {"MIRROR": "default"}},
        })
        self.addCleanup(handler.close_in_every_thread)
        created = []
        base = type(handler["default"].creation)

        def create(creation, **kwargs):
            created.append((creation.connection.alias, kwargs["keepdb"]))
            creation.connection.settings_dict["NAME"] = "test_" + creation.connection.alias
            return creation.connection.settings_dict["NAME"]

        destroyed = []

        def destroy(creation, old_name, **kwargs):
            destroyed.append((creation.connection.alias, kwargs["keepdb"]))
            creation.connection.settings_dict["NAME"] = old_name

        with mock.patch.object(django.db, "connections", handler), \
                mock.patch.object(base, "create_test_db", create), \
                mock.patch.object(base, "destroy_test_db", destroy):
            state = set_up_test_databases(verbosity=0, keepdb=True)
            self.assertEqual(created, [("second", True), ("default", True)])
            self.assertEqual(handler.databases["replica"]["NAME"], "test_default")
            tear_down_test_databases(state, verbosity=0, keepdb=True)
        self.assertEqual(destroyed, [("default", True), ("second", True)])
        self.assertEqual(
            [handler.databases[a]["NAME"] for a in handler], ["a.db", "b.db", "c.db"]
        )

    def test_failed_creation_destroys_what_was_made(self):
        handler = ConnectionHandler({
            "default": {"ENGINE": "sqlite3", "NAME": "a.db"},
            "other": {"ENGINE": "sqlite3", "NAME": "b.db"},
        })
        self.addCleanup(handler.close_in_every_thread)
        base = type(handler["default"].creation)
        destroyed = []

        def create(creation, **kwargs):
            if creation.connection.alias == "other":
                raise RuntimeError("disk full")
            return "made"

        with mock.patch.object(django.db, "connections", handler), \
                mock.patch.object(base, "create_test_db", create), \
                mock.patch.object(base, "destroy_test_db",
                                  lambda creation, old, **kw: destroyed.append(creation.connection.alias)):
            with self.assertRaisesMessage(RuntimeError, "disk full"):
                set_up_test_databases(verbosity=0)
        self.assertEqual(destroyed, ["default"])

    def test_suite_databases_are_test_databases(self):
        # The run this test is part of: every alias points at its test database.
        from django.db.backends.base.creation import TEST_DATABASE_PREFIX

        for alias in connections:
            settings_dict = connections[alias].settings_dict
            if connections[alias].vendor == "sqlite":
                expected = connections[alias].creation._get_test_db_name()
                self.assertEqual(settings_dict["NAME"], expected)
            elif settings_dict["TEST"]["NAME"]:
                self.assertEqual(settings_dict["NAME"], settings_dict["TEST"]["NAME"])
            else:
                self.assertTrue(settings_dict["NAME"].startswith(TEST_DATABASE_PREFIX), settings_dict["NAME"])
