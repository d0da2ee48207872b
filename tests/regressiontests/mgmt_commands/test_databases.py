"""``--database`` on every command that works on one database (patch 0007).

Each command takes ``--database ALIAS`` (``call_command(..., database=...)``),
'default' by default, and works on that database only; an unknown alias is
one CommandError, from one check, naming it and the configured aliases.
The models are fixtures_data's (Tag, Row); the routers keep them off 'other'.
"""
import io
import warnings
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connections
from django.db.models import signals
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings

from regressiontests.fixtures_data.models import Row, Tag
from router_support import KeepOff

FAST_HASHERS = ["regressiontests.contrib_auth.hashers.FastPBKDF2PasswordHasher"]

# The commands that work on one database, with the arguments they need.
DATABASE_COMMANDS = {
    "syncdb": ["--noinput"],
    "migrate": ["--noinput"],
    "flush": ["--noinput"],
    "sqlflush": [],
    "sqlall": ["fixtures_data"],
    "sqlsequencereset": ["fixtures_data"],
    "dumpdata": ["fixtures_data"],
    "loaddata": ["tags"],
    "inspectdb": [],
    "dbshell": [],
    "createsuperuser": ["--noinput", "--username=h7"],
    "changepassword": ["h7"],
}


def run(name, *args, **options):
    """Run a command; return what it printed on stdout."""
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def quoted(alias, table):
    return connections[alias].ops.quote_name(table)


class DatabaseOptionTests(SimpleTestCase):
    def test_every_command_has_it_with_default_default(self):
        from django.core.management import _load

        for name in DATABASE_COMMANDS:
            with self.subTest(command=name):
                parser = _load(name).create_parser("manage.py", name)
                options = vars(parser.parse_args(DATABASE_COMMANDS[name]))
                self.assertEqual(options["database"], "default")
                self.assertEqual(
                    vars(parser.parse_args(DATABASE_COMMANDS[name] + ["--database=other"]))["database"],
                    "other",
                )

    def test_an_unknown_alias_is_a_command_error_naming_the_configured_ones(self):
        configured = ", ".join(repr(alias) for alias in connections)
        expected = "There is no database 'nowhere' to use; DATABASES configures %s." % configured
        for name, args in DATABASE_COMMANDS.items():
            with self.subTest(command=name):
                # Refused before the command does anything (SimpleTestCase
                # would fail on any query).
                with mock.patch("builtins.input", side_effect=AssertionError("asked")):
                    with self.assertRaisesMessage(CommandError, expected):
                        call_command(name, *args, database="nowhere", stdout=io.StringIO())
                    with self.assertRaisesMessage(CommandError, expected):
                        call_command(name, *args, "--database=nowhere", stdout=io.StringIO())

    def test_a_value_that_is_no_alias_name(self):
        with self.assertRaisesMessage(CommandError, "There is no database 5 to use"):
            call_command("sqlflush", database=5)

    def test_from_the_command_line_exit_status_1_and_no_traceback(self):
        from .tests import run_django_admin  # (tests.py imports this module)

        for args in (["dumpdata", "--database=nowhere"], ["flush", "--noinput", "--database", "nowhere"]):
            with self.subTest(args=args):
                stdout, stderr, status = run_django_admin(args)
                self.assertEqual(status, 1, stderr)
                self.assertEqual(
                    stderr,
                    "CommandError: There is no database 'nowhere' to use; "
                    "DATABASES configures 'default'.\n",
                )
                self.assertEqual(stdout, "")


class MigrateOnAnAliasTests(TransactionTestCase):
    """migrate --database (syncdb's other name) creates on that alias only
    what the routers allow there, a 1.2 router's allow_syncdb included."""

    databases = {"default", "other"}

    def row_table_exists(self, alias):
        return Row._meta.db_table in connections[alias].introspection.table_names()

    def drop_row_table(self, alias):
        wrapper = connections[alias]
        with wrapper.cursor() as cursor:
            cursor.execute("DROP TABLE %s" % wrapper.ops.quote_name(Row._meta.db_table))
        self.addCleanup(call_command, "migrate", database=alias, verbosity=0, interactive=False)

    def test_a_1_2_router_keeps_the_table_off(self):
        class OldStyle:
            def allow_syncdb(self, db, model):
                return False if (db, model) == ("other", Row) else None

        self.drop_row_table("other")
        with override_settings(DATABASE_ROUTERS=[OldStyle()]), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            call_command("migrate", database="other", verbosity=0, interactive=False)
        self.assertFalse(self.row_table_exists("other"))
        call_command("migrate", "--database=other", verbosity=0, interactive=False)
        self.assertTrue(self.row_table_exists("other"))
        self.assertTrue(self.row_table_exists("default"))


class FlushOnAnAliasTests(TransactionTestCase):
    databases = {"default", "other"}

    def setUp(self):
        for alias in ("default", "other"):
            Tag.objects.using(alias).create(name="t-" + alias)
            Row.objects.using(alias).create(n=1, label="r-" + alias)

    def test_only_that_database_is_emptied(self):
        call_command("flush", "--database=other", interactive=False, verbosity=0)
        self.assertFalse(Tag.objects.using("other").exists())
        self.assertFalse(Row.objects.using("other").exists())
        self.assertEqual(Tag.objects.using("default").get().name, "t-default")

    def test_tables_the_routers_keep_off_are_left_alone(self):
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "fixtures_data.tag")]):
            call_command("flush", "--database=other", interactive=False, verbosity=0)
        self.assertEqual(Tag.objects.using("other").get().name, "t-other")
        self.assertFalse(Row.objects.using("other").exists())

    def test_post_migrate_is_sent_for_that_database(self):
        aliases = []

        def receiver(sender, using=None, **kwargs):
            aliases.append(using)

        signals.post_migrate.connect(receiver)
        self.addCleanup(signals.post_migrate.disconnect, receiver)
        call_command("flush", database="other", interactive=False, verbosity=0)
        self.assertTrue(aliases)
        self.assertEqual(set(aliases), {"other"})

    def test_the_confirmation_names_that_database(self):
        with mock.patch("builtins.input", return_value="no") as ask:
            call_command("flush", "--database", "other", stdout=io.StringIO())
        self.assertIn(repr(connections["other"].settings_dict["NAME"]), ask.call_args.args[0])
        self.assertTrue(Tag.objects.using("other").exists())


class SqlCommandsOnAnAliasTests(TestCase):
    databases = {"default", "other"}

    def test_none_means_default(self):
        self.assertEqual(run("sqlflush", database=None), run("sqlflush"))

    def test_sqlflush_lists_the_tables_placed_there(self):
        tag, row = Tag._meta.db_table, Row._meta.db_table
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "fixtures_data.tag")]):
            on_other = run("sqlflush", database="other", no_color=True)
            on_default = run("sqlflush", no_color=True)
        self.assertNotIn(quoted("other", tag), on_other)
        self.assertIn(quoted("other", row), on_other)
        self.assertIn(quoted("default", tag), on_default)

    def test_sqlflush_is_written_for_that_database(self):
        other_ops = connections["other"].ops
        with mock.patch.object(other_ops, "start_transaction_sql", return_value="BEGIN OTHER;"), \
                mock.patch.object(other_ops, "end_transaction_sql", return_value="COMMIT OTHER;"):
            on_other = run("sqlflush", database="other", no_color=True)
            on_default = run("sqlflush", no_color=True)
        self.assertTrue(on_other.startswith("BEGIN OTHER;\n"), on_other[:40])
        self.assertTrue(on_other.endswith("COMMIT OTHER;\n"), on_other[-40:])
        self.assertNotIn("OTHER", on_default)

    def test_sqlall_creates_only_the_tables_placed_there(self):
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "fixtures_data.tag")]):
            on_other = run("sqlall", "fixtures_data", database="other", no_color=True)
            on_default = run("sqlall", "fixtures_data", no_color=True)
        self.assertNotIn(quoted("other", Tag._meta.db_table), on_other)
        self.assertIn(quoted("other", Row._meta.db_table), on_other)
        self.assertIn(quoted("default", Tag._meta.db_table), on_default)

    def test_sqlsequencereset_only_for_the_tables_placed_there(self):
        expected = connections["other"].ops.sequence_reset_sql(no_style(), [Tag])
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "fixtures_data.tag")]):
            on_other = run("sqlsequencereset", "fixtures_data", database="other", no_color=True)
            on_default = run("sqlsequencereset", "fixtures_data", no_color=True)
        self.assertNotIn(quoted("other", Tag._meta.db_table), on_other)
        if expected:  # the backend has sequences to reset
            self.assertIn(quoted("default", Tag._meta.db_table), on_default)

    def test_sqlsequencereset_of_an_app_kept_off(self):
        err = io.StringIO()
        with override_settings(DATABASE_ROUTERS=[KeepOff("other", "fixtures_data")]):
            out = io.StringIO()
            call_command("sqlsequencereset", "fixtures_data", database="other", stdout=out, stderr=err)
        self.assertEqual(out.getvalue(), "")


class InspectdbOnAnAliasTests(TransactionTestCase):
    databases = {"default", "other"}
    table = "h7_only_on_other"

    def setUp(self):
        wrapper = connections["other"]
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE %s (id INTEGER PRIMARY KEY, title VARCHAR(20))"
                           % wrapper.ops.quote_name(self.table))
        self.addCleanup(self.drop)

    def drop(self):
        wrapper = connections["other"]
        with wrapper.cursor() as cursor:
            cursor.execute("DROP TABLE %s" % wrapper.ops.quote_name(self.table))

    def test_the_tables_of_that_database_are_described(self):
        on_other = run("inspectdb", self.table, database="other")
        self.assertIn("class H7OnlyOnOther(models.Model):", on_other)
        self.assertIn("    title = models.", on_other)
        on_default = run("inspectdb", self.table)
        self.assertNotIn("class H7OnlyOnOther", on_default)
        self.assertIn("# Unable to inspect table 'h7_only_on_other'", on_default)
        self.assertIn(self.table, run("inspectdb", "--database=other"))


class DbshellOnAnAliasTests(SimpleTestCase):
    def test_the_client_of_that_database_runs(self):
        client_class = type(connections["other"].client)
        with mock.patch.object(client_class, "runshell", autospec=True) as runshell:
            call_command("dbshell", "--database=other", "--", "-x")
        client, parameters = runshell.call_args.args
        self.assertIs(client.connection, connections["other"])
        self.assertEqual(parameters, ["-x"])


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class AuthCommandsOnAnAliasTests(TestCase):
    databases = {"default", "other"}

    def setUp(self):
        self.User = get_user_model()

    def test_createsuperuser_creates_there_only(self):
        with mock.patch.dict("os.environ", {"DJANGO_SUPERUSER_PASSWORD": "pw"}):
            run("createsuperuser", interactive=False, username="boss", email="b@example.com",
                database="other")
        boss = self.User.objects.using("other").get(username="boss")
        self.assertTrue(boss.is_superuser and boss.check_password("pw"))
        self.assertFalse(self.User.objects.using("default").exists())

    def test_createsuperuser_username_taken_on_that_database_only(self):
        self.User.objects.db_manager("default").create_user("boss")
        run("createsuperuser", "--noinput", "--username=boss", "--database=other")
        self.assertTrue(self.User.objects.using("other").filter(username="boss").exists())
        with self.assertRaisesMessage(CommandError, "That username is already taken."):
            run("createsuperuser", interactive=False, username="boss", database="other")

    def test_createsuperuser_offers_a_name_free_on_that_database(self):
        self.User.objects.db_manager("default").create_user("sysuser")

        def prompts(*answers):
            """What createsuperuser --database other asks, answered with ``answers``."""
            stdin = mock.MagicMock()
            stdin.isatty.return_value = True
            stdin.readline.side_effect = answers
            out = io.StringIO()
            with mock.patch("getpass.getpass", return_value="pw"), \
                    mock.patch("django.contrib.auth.management.get_system_username", return_value="sysuser"):
                call_command("createsuperuser", stdin=stdin, stdout=out, stderr=io.StringIO(),
                             database="other")
            return out.getvalue()

        self.assertIn("(leave blank to use 'sysuser')", prompts("\n", "s@example.com\n"))
        self.assertTrue(self.User.objects.using("other").get(username="sysuser").is_superuser)
        # Once taken there, it is no longer offered there.
        self.assertNotIn("leave blank", prompts("other\n", "o@example.com\n"))

    def test_changepassword_changes_it_there_only(self):
        self.User.objects.db_manager("default").create_user("joe", password="old-default")
        self.User.objects.db_manager("other").create_user("joe", password="old-other")
        with mock.patch("getpass.getpass", return_value="new"):
            run("changepassword", "joe", database="other")
        self.assertTrue(self.User.objects.using("other").get(username="joe").check_password("new"))
        self.assertTrue(
            self.User.objects.using("default").get(username="joe").check_password("old-default")
        )

    def test_changepassword_saves_where_it_read_whatever_the_routers_say(self):
        class WritesToDefault:
            def db_for_write(self, model, **hints):
                return "default"

        self.User.objects.db_manager("other").create_user("joe", password="old")
        with override_settings(DATABASE_ROUTERS=[WritesToDefault()]):
            with mock.patch("getpass.getpass", return_value="new"):
                run("changepassword", "joe", database="other")
        self.assertTrue(self.User.objects.using("other").get(username="joe").check_password("new"))
        self.assertFalse(self.User.objects.using("default").exists())

    def test_changepassword_user_of_another_database_does_not_exist(self):
        self.User.objects.db_manager("default").create_user("joe", password="old")
        with self.assertRaisesMessage(CommandError, "user 'joe' does not exist"):
            run("changepassword", "joe", database="other")
