"""Tests of management commands: discovery, call_command, the command line."""
import io
import os
import subprocess
import sys
import tempfile
import textwrap
from unittest import mock

import django
from django.core.management import (
    BaseCommand,
    CommandError,
    call_command,
    execute_from_command_line,
    get_commands,
    load_command_class,
)
from django.core.management.base import OutputWrapper, SystemCheckError
from django.core.management.color import color_style, no_style
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import captured_stderr, captured_stdout

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
REPO_DIR = os.path.dirname(TESTS_DIR)
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)  # runner_fixtures, under pytest too


def run_django_admin(args, settings="regressiontests.mgmt_commands.subprocess_settings",
                     extra_env=None, cwd=None):
    """Run ``python -m django <args>``; return (stdout, stderr, returncode)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join([REPO_DIR, TESTS_DIR])
    if settings:
        env["DJANGO_SETTINGS_MODULE"] = settings
    env.update(extra_env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "django", *args], capture_output=True, text=True,
        env=env, cwd=cwd or TESTS_DIR, timeout=60,
    )
    return proc.stdout, proc.stderr, proc.returncode


class CallCommandTests(SimpleTestCase):
    def test_options_and_stdout(self):
        out = io.StringIO()
        call_command("h4_dance", style="Jive", stdout=out)
        self.assertIn("I don't feel like dancing Jive.", out.getvalue())

    def test_positional_args_are_parsed(self):
        out = io.StringIO()
        call_command("h4_dance", 7, stdout=out)
        self.assertIn("You passed 7 as a positional argument.", out.getvalue())
        out = io.StringIO()
        call_command("h4_dance", ["1", "2"], stdout=out)
        self.assertIn("You passed 1", out.getvalue())

    def test_option_by_dashed_name_or_dest(self):
        out = io.StringIO()
        call_command("h4_dance", opt_3=True, stdout=out)
        self.assertIn("option3 on", out.getvalue())
        out = io.StringIO()
        call_command("h4_dance", option3=True, stdout=out)
        self.assertIn("option3 on", out.getvalue())

    def test_default_options_are_present(self):
        out = io.StringIO()
        call_command("h4_dance", stdout=out)
        keys = out.getvalue().splitlines()[1].split(",")
        for key in ("verbosity", "settings", "pythonpath", "traceback", "no_color",
                    "force_color", "style", "integers", "skip_checks"):
            self.assertIn(key, keys)

    def test_verbosity_zero(self):
        out = io.StringIO()
        call_command("h4_dance", verbosity=0, stdout=out)
        self.assertEqual(out.getvalue(), "")

    def test_unknown_option_is_type_error(self):
        with self.assertRaises(TypeError) as cm:
            call_command("h4_dance", bogus=1, stdout=io.StringIO())
        message = str(cm.exception)
        self.assertIn("Unknown option(s) for h4_dance command: bogus.", message)
        self.assertIn("Valid options are:", message)
        self.assertIn("style", message)
        self.assertIn("verbosity", message)

    def test_unknown_command(self):
        with self.assertRaisesMessage(CommandError, "Unknown command: 'nope'"):
            call_command("nope")

    def test_command_error_propagates(self):
        with self.assertRaises(CommandError) as cm:
            call_command("h4_dance", example="raise")
        self.assertEqual(cm.exception.returncode, 3)
        self.assertEqual(str(cm.exception), "Deliberate failure")

    def test_command_instance(self):
        command = load_command_class("regressiontests.mgmt_commands", "h4_dance")
        out = io.StringIO()
        call_command(command, style="Swing", stdout=out)
        self.assertIn("Swing", out.getvalue())

    def test_required_options_given_as_keywords(self):
        out = io.StringIO()
        call_command("h4_required", need="x", two=2, stdout=out)
        self.assertEqual(out.getvalue(), "need=x one=False two=2\n")
        out = io.StringIO()
        call_command("h4_required", need="y", one=True, stdout=out)
        self.assertEqual(out.getvalue(), "need=y one=True two=None\n")

    def test_exclusive_options_given_together_are_refused(self):
        with self.assertRaisesMessage(
            CommandError, "Error: argument --two: not allowed with argument --one"
        ):
            call_command("h4_required", need="x", one=True, two=2)

    def test_missing_required_option_is_command_error(self):
        with self.assertRaisesMessage(CommandError, "Error: the following arguments are required"):
            call_command("h4_required", one=True)

    def test_bad_argument_is_command_error(self):
        with self.assertRaisesMessage(CommandError, "Error: argument integers"):
            call_command("h4_dance", "notanint")

    def test_subparser_options(self):
        out = io.StringIO()
        call_command("h4_sub", "greet", name="world", times=2, stdout=out)
        self.assertEqual(out.getvalue(), "hello world\nhello world\n")
        with self.assertRaisesMessage(CommandError, "Error: the following arguments are required"):
            call_command("h4_sub", "greet")
        with self.assertRaisesMessage(CommandError, "invalid choice: 'shout'"):
            call_command("h4_sub", "shout")

    def test_subparser_from_command_line_exits(self):
        with captured_stderr() as err, self.assertRaises(SystemExit) as cm:
            execute_from_command_line(["django-admin", "h4_sub", "greet"])
        self.assertEqual(cm.exception.code, 2)
        self.assertIn("--name", err.getvalue())

    def test_app_command(self):
        out = io.StringIO()
        call_command("h4_apps", "mgmt_commands", "mgmt_other", stdout=out)
        self.assertEqual(out.getvalue(), "app=mgmt_commands\napp=mgmt_other\n")

    def test_app_command_bad_label(self):
        with self.assertRaisesMessage(CommandError, "Are you sure your INSTALLED_APPS"):
            call_command("h4_apps", "no_such_app")

    def test_app_command_needs_a_label(self):
        with self.assertRaisesMessage(CommandError, "Enter at least one application label."):
            call_command("h4_apps")

    def test_label_command(self):
        out = io.StringIO()
        call_command("h4_labels", "a", "b", stdout=out)
        self.assertEqual(out.getvalue(), "label=a\nlabel=b\n")
        with self.assertRaisesMessage(CommandError, "Enter at least one word."):
            call_command("h4_labels")

    def test_no_color_and_force_color_conflict(self):
        with self.assertRaisesMessage(CommandError, "can't be used together"):
            call_command("h4_dance", no_color=True, force_color=True)
        with self.assertRaisesMessage(CommandError, "can't be used together"):
            BaseCommand(no_color=True, force_color=True)

    def test_output_transaction(self):
        out = io.StringIO()
        call_command("h4_sql", stdout=out, no_color=True)
        lines = out.getvalue().strip().splitlines()
        self.assertEqual(lines[1], "SELECT 1;")
        self.assertIn("BEGIN", lines[0].upper())
        self.assertIn("COMMIT", lines[-1].upper())

    def test_module_without_command_class(self):
        with self.assertRaisesMessage(CommandError, "does not define a Command class"):
            call_command("h4_noclass")

    def test_handle_not_implemented(self):
        class Bare(BaseCommand):
            requires_system_checks = []

        with self.assertRaisesMessage(NotImplementedError, "handle()"):
            call_command(Bare())

    def test_requires_system_checks_must_be_list_or_all(self):
        class Bad(BaseCommand):
            requires_system_checks = True

        with self.assertRaisesMessage(TypeError, "requires_system_checks must be a list"):
            Bad()


class DiscoveryTests(SimpleTestCase):
    def test_builtin_and_app_commands(self):
        commands = get_commands()
        for name in ("check", "shell", "dbshell"):
            self.assertEqual(commands[name], "django.core")
        self.assertEqual(commands["h4_dance"], "regressiontests.mgmt_commands")

    def test_first_installed_app_wins(self):
        self.assertEqual(get_commands()["h4_dup"], "regressiontests.mgmt_commands")
        out = io.StringIO()
        self.assertEqual(call_command("h4_dup", stdout=out), "from mgmt_commands")
        self.assertEqual(out.getvalue(), "from mgmt_commands\n")

    def test_app_command_overrides_django_command(self):
        with override_settings(INSTALLED_APPS=["runner_fixtures.mgmtfix_override"]):
            self.assertEqual(get_commands()["check"], "runner_fixtures.mgmtfix_override")
            out = io.StringIO()
            call_command("check", stdout=out)
            self.assertIn("no issues", out.getvalue())
            with captured_stdout() as help_out:
                execute_from_command_line(["django-admin", "help", "check"])
            self.assertIn("as overridden by mgmtfix_override", help_out.getvalue())
        self.assertEqual(get_commands()["check"], "django.core")

    def test_installed_apps_override_refreshes_commands(self):
        with override_settings(INSTALLED_APPS=["regressiontests.mgmt_other"]):
            self.assertNotIn("h4_dance", get_commands())
            self.assertEqual(get_commands()["h4_dup"], "regressiontests.mgmt_other")
        self.assertIn("h4_dance", get_commands())


class SystemCheckTests(SimpleTestCase):
    def test_check_no_issues(self):
        out = io.StringIO()
        call_command("check", stdout=out)
        self.assertEqual(out.getvalue(), "System check identified no issues (0 silenced).\n")

    @override_settings(H4_FAIL_CHECK=True)
    def test_check_error_raises(self):
        with self.assertRaises(SystemCheckError) as cm:
            call_command("check", stdout=io.StringIO())
        message = str(cm.exception)
        self.assertIn("SystemCheckError: System check identified some issues:", message)
        self.assertIn("ERRORS:", message)
        self.assertIn("(mgmt_commands.E001) H4 deliberate failure", message)
        self.assertIn("HINT: Unset H4_FAIL_CHECK.", message)
        self.assertIn("System check identified 1 issue (0 silenced).", message)

    @override_settings(H4_FAIL_CHECK=True, SILENCED_SYSTEM_CHECKS=["mgmt_commands.E001"])
    def test_silenced_error_passes(self):
        out = io.StringIO()
        call_command("check", stdout=out)
        self.assertIn("System check identified no issues", out.getvalue())

    @override_settings(H4_WARN_CHECK=True)
    def test_warning_goes_to_stderr_and_does_not_fail(self):
        out, err = io.StringIO(), io.StringIO()
        call_command("check", stdout=out, stderr=err)
        self.assertIn("WARNINGS:", err.getvalue())
        self.assertIn("(mgmt_commands.W001) H4 deliberate warning", err.getvalue())
        self.assertIn("System check identified 1 issue (0 silenced).", err.getvalue())

    @override_settings(H4_WARN_CHECK=True)
    def test_fail_level_warning(self):
        with self.assertRaises(SystemCheckError):
            call_command("check", fail_level="WARNING", stdout=io.StringIO())

    @override_settings(H4_FAIL_CHECK=True)
    def test_tag_filter(self):
        with self.assertRaises(SystemCheckError):
            call_command("check", tags=["h4_mgmt"])
        with self.assertRaisesMessage(CommandError, 'There is no system check with the "nope" tag.'):
            call_command("check", tags=["nope"])

    def test_list_tags(self):
        out = io.StringIO()
        call_command("check", list_tags=True, stdout=out)
        self.assertIn("h4_mgmt", out.getvalue().split())

    def test_app_labels(self):
        out = io.StringIO()
        call_command("check", "mgmt_commands", stdout=out)
        self.assertIn("no issues", out.getvalue())
        with self.assertRaisesMessage(CommandError, "no_such_app"):
            call_command("check", "no_such_app")

    @override_settings(H4_FAIL_CHECK=True)
    def test_commands_run_checks_unless_skipped(self):
        # call_command skips checks by default, like Django.
        out = io.StringIO()
        call_command("h4_checked", stdout=out)
        self.assertEqual(out.getvalue(), "handled\n")
        with self.assertRaises(SystemCheckError):
            call_command("h4_checked", skip_checks=False, stdout=io.StringIO())

    def test_deploy(self):
        out = io.StringIO()
        call_command("check", deploy=True, stdout=out)
        self.assertIn("System check identified", out.getvalue())


class CommandLineTests(SimpleTestCase):
    """execute_from_command_line in this process (settings already configured)."""

    def run_cli(self, *args):
        with captured_stdout() as out, captured_stderr() as err:
            try:
                execute_from_command_line(["django-admin", *args])
                code = 0
            except SystemExit as exc:
                code = exc.code
        return out.getvalue(), err.getvalue(), code

    def test_command_error_exit_status_and_message(self):
        out, err, code = self.run_cli("h4_dance", "-x", "raise")
        self.assertEqual(code, 3)
        self.assertEqual(err, "CommandError: Deliberate failure\n")

    def test_traceback_reraises(self):
        with self.assertRaisesMessage(CommandError, "Deliberate failure"):
            self.run_cli("h4_dance", "-x", "raise", "--traceback")

    def test_unknown_command_suggests(self):
        out, err, code = self.run_cli("chek")
        self.assertEqual(code, 1)
        self.assertIn("Unknown command: 'chek'. Did you mean check?", err)
        self.assertIn("Type 'django-admin help' for usage.", err)

    def test_unknown_command_without_suggestion(self):
        out, err, code = self.run_cli("zzzzzzzz")
        self.assertEqual(code, 1)
        self.assertEqual(
            err, "Unknown command: 'zzzzzzzz'\nType 'django-admin help' for usage.\n"
        )

    def test_help_lists_commands_by_app(self):
        out, err, code = self.run_cli("help")
        self.assertEqual(code, 0)
        self.assertIn("Type 'django-admin help <subcommand>' for help", out)
        self.assertIn("[django]", out)
        self.assertIn("    check", out)
        self.assertIn("[mgmt_commands]", out)
        self.assertIn("    h4_dance", out)
        self.assertEqual(self.run_cli("--help")[0], out)
        self.assertEqual(self.run_cli("-h")[0], out)

    def test_help_commands_only(self):
        out, err, code = self.run_cli("help", "--commands")
        names = out.split()
        self.assertIn("check", names)
        self.assertEqual(names, sorted(names))

    def test_help_for_a_command(self):
        out, err, code = self.run_cli("help", "h4_dance")
        self.assertIn("usage: django-admin h4_dance", out)
        self.assertIn("--style STYLE", out)
        self.assertIn("Dance around.", out)
        # The command's own options come before the common ones.
        self.assertLess(out.index("--style"), out.index("--verbosity {0,1,2,3}\n"))

    def test_version(self):
        self.assertEqual(self.run_cli("version")[0], django.get_version() + "\n")
        self.assertEqual(self.run_cli("--version")[0], django.get_version() + "\n")

    def test_help_lists_every_command(self):
        listed = set(self.run_cli("help", "--commands")[0].split())
        self.assertEqual(listed, set(get_commands()))
        self.assertIn("version", listed)
        self.assertIn("    version\n", self.run_cli("help")[0])

    def test_version_command_from_code(self):
        out = io.StringIO()
        self.assertEqual(call_command("version", stdout=out), django.get_version())
        self.assertEqual(out.getvalue(), django.get_version() + "\n")

    def test_command_version_option(self):
        out, err, code = self.run_cli("h4_dance", "--version")
        self.assertEqual(code, 0)
        self.assertEqual(out, django.get_version() + "\n")

    def test_argument_error_exits_2(self):
        out, err, code = self.run_cli("h4_dance", "notanint")
        self.assertEqual(code, 2)
        self.assertIn("argument integers", err)

    def test_check_from_command_line(self):
        out, err, code = self.run_cli("check")
        self.assertEqual((out, code), ("System check identified no issues (0 silenced).\n", 0))

    @override_settings(H4_FAIL_CHECK=True)
    def test_check_error_from_command_line(self):
        out, err, code = self.run_cli("check")
        self.assertEqual(code, 1)
        self.assertIn("SystemCheckError: System check identified some issues:", err)
        self.assertIn("H4 deliberate failure", err)

    def test_no_color_option(self):
        out, err, code = self.run_cli("h4_sql", "--no-color")
        self.assertNotIn("\x1b[", out)

    def test_force_color_option(self):
        out, err, code = self.run_cli("h4_sql", "--force-color")
        self.assertIn("\x1b[", out)

    def test_shell_command(self):
        out, err, code = self.run_cli("shell", "-c", "import django; print(django.get_version())")
        self.assertEqual(out, django.get_version() + "\n")

    def test_shell_command_via_call_command(self):
        with captured_stdout() as out:
            call_command("shell", command="print(6 * 7)")
        self.assertEqual(out.getvalue(), "42\n")

    def test_shell_reads_stdin(self):
        read, write = os.pipe()
        os.write(write, b"print('from stdin')\n")
        os.close(write)
        with open(read) as stdin, mock.patch("sys.stdin", stdin), captured_stdout() as out:
            call_command("shell")
        self.assertEqual(out.getvalue(), "from stdin\n")

    def test_shell_interactive_uses_code_interact(self):
        with mock.patch("code.interact") as interact, \
                mock.patch("sys.stdin") as stdin:
            stdin.isatty.return_value = True
            call_command("shell", interface="python", no_startup=True)
        self.assertEqual(interact.call_count, 1)
        self.assertIn("__builtins__", interact.call_args.kwargs["local"])

    def interactive_stdin(self):
        stdin = mock.patch("sys.stdin").start()
        self.addCleanup(mock.patch.stopall)
        stdin.isatty.return_value = True

    def test_shell_ipython(self):
        self.interactive_stdin()
        fake = mock.MagicMock()
        with mock.patch.dict(sys.modules, {"IPython": fake}):
            call_command("shell", interface="ipython")
        fake.start_ipython.assert_called_once()
        self.assertIn("__builtins__", fake.start_ipython.call_args.kwargs["user_ns"])

    def test_shell_bpython(self):
        self.interactive_stdin()
        fake = mock.MagicMock()
        with mock.patch.dict(sys.modules, {"bpython": fake}):
            call_command("shell", interface="bpython")
        fake.embed.assert_called_once()

    def test_shell_falls_back_to_python(self):
        self.interactive_stdin()
        with mock.patch.dict(sys.modules, {"IPython": None, "bpython": None}), \
                mock.patch("code.interact") as interact:
            call_command("shell", no_startup=True)
        interact.assert_called_once()

    def test_shell_pythonstartup(self):
        self.interactive_stdin()
        with tempfile.TemporaryDirectory() as tmp:
            good = os.path.join(tmp, "startup.py")
            with open(good, "w") as handle:
                handle.write("H4_STARTUP = 'ran'\n")
            with mock.patch.dict(os.environ, {"PYTHONSTARTUP": good}), \
                    mock.patch("code.interact") as interact:
                call_command("shell", interface="python")
            self.assertEqual(interact.call_args.kwargs["local"]["H4_STARTUP"], "ran")
            bad = os.path.join(tmp, "broken.py")
            with open(bad, "w") as handle:
                handle.write("1 / 0\n")
            with mock.patch.dict(os.environ, {"PYTHONSTARTUP": bad}), \
                    mock.patch("code.interact") as interact, captured_stderr() as err:
                call_command("shell", interface="python")
            self.assertIn("ZeroDivisionError", err.getvalue())
            interact.assert_called_once()

    def test_shell_unavailable_interface(self):
        with mock.patch("sys.stdin") as stdin:
            stdin.isatty.return_value = True
            with self.assertRaisesMessage(CommandError, "Couldn't import bpython interface."):
                with mock.patch.dict(sys.modules, {"bpython": None}):
                    call_command("shell", interface="bpython")


class DbshellTests(TestCase):
    def test_missing_client_program(self):
        from django.db import connection

        client_class = type(connection.client)
        # Every backend builds its command line in settings_to_cmd_args_env().
        fake_args = classmethod(lambda cls, settings_dict, parameters: (["h4-no-such-client"], None))
        with mock.patch.object(client_class, "executable_name", "h4-no-such-client"), \
                mock.patch.object(client_class, "settings_to_cmd_args_env", fake_args):
            with self.assertRaisesMessage(
                CommandError,
                "You appear not to have the 'h4-no-such-client' program installed or on your path.",
            ):
                call_command("dbshell")

    def test_client_program_vanishes(self):
        from django.db import connection

        with mock.patch.object(type(connection.client), "runshell",
                               side_effect=FileNotFoundError):
            with self.assertRaisesMessage(CommandError, "You appear not to have the"):
                call_command("dbshell")

    def test_parameters_are_passed_through(self):
        from django.db import connection

        with mock.patch.object(type(connection.client), "runshell") as runshell:
            execute_from_command_line(["django-admin", "dbshell", "--", "-bail", "-x"])
        runshell.assert_called_once_with(["-bail", "-x"])

    def test_client_failure_status(self):
        from django.db import connection

        error = subprocess.CalledProcessError(5, ["client", "arg"])
        with mock.patch.object(type(connection.client), "runshell", side_effect=error):
            with self.assertRaises(CommandError) as cm:
                call_command("dbshell")
        self.assertEqual(cm.exception.returncode, 5)
        self.assertEqual(str(cm.exception), '"client arg" returned non-zero exit status 5.')


class FlushTests(TestCase):
    def test_failure_names_the_database_and_the_error(self):
        from django.db import DatabaseError, connection

        error = DatabaseError("h4 no such table")
        with mock.patch.object(type(connection.ops), "execute_sql_flush", side_effect=error):
            with self.assertRaises(CommandError) as cm:
                call_command("flush", interactive=False, verbosity=0)
        message = str(cm.exception)
        self.assertIn(repr(connection.settings_dict["NAME"]), message)
        self.assertIn("h4 no such table", message)
        self.assertIs(cm.exception.__cause__, error)

    def test_confirmation_names_the_database(self):
        from django.db import connection

        with mock.patch("builtins.input", return_value="no") as ask:
            call_command("flush", stdout=io.StringIO())
        self.assertIn(repr(connection.settings_dict["NAME"]), ask.call_args.args[0])
        self.assertIn("Type 'yes'", ask.call_args.args[0])


class OutputWrapperTests(SimpleTestCase):
    def test_ending_added_once(self):
        buffer = io.StringIO()
        wrapper = OutputWrapper(buffer)
        wrapper.write("a")
        wrapper.write("b\n")
        wrapper.write("c", ending="")
        self.assertEqual(buffer.getvalue(), "a\nb\nc")

    def test_style_only_on_tty(self):
        buffer = io.StringIO()
        wrapper = OutputWrapper(buffer)
        wrapper.style_func = color_style(force_color=True).ERROR
        wrapper.write("plain")
        self.assertEqual(buffer.getvalue(), "plain\n")

        class Tty(io.StringIO):
            def isatty(self):
                return True

        tty = Tty()
        wrapper = OutputWrapper(tty)
        wrapper.style_func = color_style(force_color=True).ERROR
        wrapper.write("red")
        self.assertEqual(tty.getvalue(), "\x1b[31;1mred\n\x1b[0m")
        self.assertTrue(wrapper.isatty())

    def test_delegates_to_stream(self):
        buffer = io.StringIO()
        wrapper = OutputWrapper(buffer)
        wrapper.write("x")
        self.assertEqual(wrapper.getvalue(), "x\n")
        wrapper.flush()

    def test_styles(self):
        plain = no_style()
        for role in ("SUCCESS", "ERROR", "WARNING", "NOTICE", "SQL_KEYWORD", "SQL_TABLE",
                     "SQL_FIELD", "MIGRATE_HEADING", "MIGRATE_LABEL"):
            self.assertEqual(getattr(plain, role)("t"), "t")
            self.assertIn("\x1b[", getattr(color_style(force_color=True), role)("t"))

    def test_color_depends_on_tty(self):
        with mock.patch("sys.stdout") as stdout:
            stdout.isatty.return_value = False
            self.assertEqual(color_style().ERROR("x"), "x")
            stdout.isatty.return_value = True
            with mock.patch.dict(os.environ, {"TERM": "xterm"}):
                os.environ.pop("NO_COLOR", None)
                self.assertNotEqual(color_style().ERROR("x"), "x")
            with mock.patch.dict(os.environ, {"NO_COLOR": "1"}):
                self.assertEqual(color_style().ERROR("x"), "x")


class SubprocessTests(SimpleTestCase):
    """``python -m django`` in a fresh process, where settings are read from the environment."""

    def test_custom_command_and_status(self):
        out, err, code = run_django_admin(["h4_dance", "-x", "raise"])
        self.assertEqual(code, 3)
        self.assertEqual(err, "CommandError: Deliberate failure\n")

    def test_prog_name_for_python_m_django(self):
        out, err, code = run_django_admin(["chek"])
        self.assertEqual(code, 1)
        self.assertIn("Did you mean check?", err)
        self.assertIn("Type 'python -m django help' for usage.", err)

    def test_check_failure_exit_status(self):
        out, err, code = run_django_admin(
            ["check"], settings="regressiontests.mgmt_commands.subprocess_failing_settings"
        )
        self.assertEqual(code, 1, err)
        self.assertIn("(mgmt_commands.E001) H4 deliberate failure", err)

    def test_settings_option_beats_environment(self):
        out, err, code = run_django_admin(
            ["check", "--settings=regressiontests.mgmt_commands.subprocess_failing_settings"]
        )
        self.assertEqual(code, 1, err)
        self.assertIn("H4 deliberate failure", err)

    def test_pythonpath_option(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "h4_tmp_settings.py"), "w") as handle:
                handle.write(textwrap.dedent("""\
                    DATABASES = {"default": {"ENGINE": "sqlite3", "NAME": ":memory:"}}
                    INSTALLED_APPS = ["regressiontests.mgmt_commands"]
                    H4_FAIL_CHECK = True
                """))
            out, err, code = run_django_admin(
                ["check", "--settings=h4_tmp_settings", "--pythonpath", tmp], settings=None,
            )
        self.assertEqual(code, 1, err)
        self.assertIn("H4 deliberate failure", err)

    def test_no_arguments_prints_help(self):
        out, err, code = run_django_admin([])
        self.assertEqual(code, 0, err)
        self.assertIn("Type 'python -m django help <subcommand>'", out)
        self.assertIn("[mgmt_commands]", out)

    def test_no_settings(self):
        out, err, code = run_django_admin(["h4_dance"], settings=None)
        self.assertEqual(code, 1)
        self.assertIn("No Django settings specified.", err)
        self.assertIn("Unknown command: 'h4_dance'", err)

    def test_help_without_settings_lists_core_commands(self):
        out, err, code = run_django_admin(["help"], settings=None)
        self.assertEqual(code, 0)
        self.assertIn("check", out)
        self.assertIn("only Django core commands are listed", out)

    def test_bad_settings_module(self):
        out, err, code = run_django_admin(["h4_dance"], settings="no_such_settings_mod")
        self.assertNotEqual(code, 0)
        self.assertIn("no_such_settings_mod", err)

    def test_shell_command(self):
        out, err, code = run_django_admin(
            ["shell", "-c", "from django.conf import settings; print(settings.INSTALLED_APPS)"]
        )
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "['regressiontests.mgmt_commands']\n")


class ManagementUtilsTests(SimpleTestCase):
    def test_random_secret_key(self):
        from django.core.management.utils import get_random_secret_key

        key = get_random_secret_key()
        self.assertEqual(len(key), 50)
        self.assertNotEqual(key, get_random_secret_key())

    def test_find_command(self):
        from django.core.management.utils import find_command

        self.assertEqual(find_command("python3", path=[os.path.dirname(sys.executable)]),
                         os.path.join(os.path.dirname(sys.executable), "python3"))
        self.assertIsNone(find_command("h4-not-a-program"))


class CommandLineHelpersTests(SimpleTestCase):
    def test_early_options_in_both_spellings(self):
        from django.core.management import _split_early_options

        early, others = _split_early_options(
            ["--settings=a.b", "x", "--pythonpath", "/p", "-v", "2", "--settings"]
        )
        self.assertEqual(early, {"settings": None, "pythonpath": "/p"})
        self.assertEqual(others, ["x", "-v", "2"])
        early, others = _split_early_options(["--settings=a.b", "--traceback"])
        self.assertEqual((early, others), ({"settings": "a.b"}, ["--traceback"]))

    def test_help_lists_a_command_instance_under_its_module(self):
        from django.core.management import ManagementUtility

        class Instance(BaseCommand):
            pass

        commands = {"check": "django.core", "h4_instance": Instance()}
        with mock.patch("django.core.management.get_commands", return_value=commands):
            text = ManagementUtility(["manage.py"]).main_help_text()
        self.assertIn("[tests]\n    h4_instance", text)
        self.assertIn("[django]\n    check", text)


class ConstraintChecksTests(SimpleTestCase):
    """loaddata turns the checks back on even when the transaction failed."""

    def connection(self, turned_off):
        connection = mock.Mock()
        connection.disable_constraint_checking.return_value = turned_off
        connection.needs_rollback = True
        seen = []
        connection.enable_constraint_checking.side_effect = lambda: seen.append(
            connection.needs_rollback
        )
        return connection, seen

    def test_checks_back_on_with_the_rollback_still_pending(self):
        from django.core.management.commands.loaddata import constraint_checks_disabled

        connection, seen = self.connection(turned_off=True)
        with self.assertRaises(ValueError):
            with constraint_checks_disabled(connection):
                raise ValueError("a fixture failed")
        # Enabled as if no rollback were pending, then the flag is restored.
        self.assertEqual(seen, [False])
        self.assertIs(connection.needs_rollback, True)

    def test_nothing_to_restore_when_the_backend_defers_checks(self):
        from django.core.management.commands.loaddata import constraint_checks_disabled

        connection, seen = self.connection(turned_off=False)
        with constraint_checks_disabled(connection):
            pass
        connection.enable_constraint_checking.assert_not_called()



# --database on every command (patch 0007) has a module of its own.
from .test_databases import (  # noqa: E402
    AuthCommandsOnAnAliasTests,
    DatabaseOptionTests,
    DbshellOnAnAliasTests,
    FlushOnAnAliasTests,
    InspectdbOnAnAliasTests,
    MigrateOnAnAliasTests,
    SqlCommandsOnAnAliasTests,
)
