"""startproject and startapp: a project from nothing to a query, and bad names."""
import doctest
import io
import os
import re
import shlex
import subprocess
import sys
import tempfile
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

REPO_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__)))))


def run_python(args, cwd, merge_stderr=False):
    """Run ``python ARGS`` in ``cwd`` as a user would, with this repository's
    django importable; return (stdout, stderr, returncode). With
    ``merge_stderr`` both streams are read as a terminal shows them."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = REPO_DIR
    env["PYTHONUNBUFFERED"] = "1"
    proc = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, text=True, timeout=120,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
    )
    return proc.stdout, proc.stderr, proc.returncode


def install_app(settings_path, app_name):
    """Add ``app_name`` at the end of INSTALLED_APPS, as a user would."""
    with open(settings_path) as handle:
        text = handle.read()
    text = text.replace('"django.contrib.auth",\n', '"django.contrib.auth",\n    "%s",\n' % app_name)
    with open(settings_path, "w") as handle:
        handle.write(text)


class ProjectFromNothingTests(SimpleTestCase):
    """The whole path, in subprocesses on SQLite: startproject, syncdb,
    startapp, a model, syncdb again, a query through ``manage.py shell -c``."""

    def setUp(self):
        self.workdir = tempfile.mkdtemp()
        self.addCleanup(subprocess.run, ["rm", "-rf", self.workdir])

    def run_ok(self, args, cwd):
        out, err, code = run_python(args, cwd)
        self.assertEqual(code, 0, "python %s failed:\n%s%s" % (" ".join(args), out, err))
        return out

    def test_project_app_model_and_query(self):
        out = self.run_ok(["-m", "django", "startproject", "mysite"], self.workdir)
        project = os.path.join(self.workdir, "mysite")
        self.assertEqual(out, "Created the project mysite in %s\n" % project)
        manage = os.path.join(project, "manage.py")
        self.assertTrue(os.access(manage, os.X_OK))

        # The generated settings are current ones: nothing warns.
        out = self.run_ok(["-W", "error::DeprecationWarning", "manage.py", "syncdb"], project)
        self.assertEqual(out, (
            "Creating tables ...\n"
            "Creating table django_content_type\n"
            "Creating table auth_permission\n"
            "Creating table auth_group\n"
            "Creating table auth_group_permissions\n"
            "Creating table auth_user\n"
            "Creating table auth_user_groups\n"
            "Creating table auth_user_user_permissions\n"
            "Installing indexes ...\n"
        ))
        self.assertTrue(os.path.isfile(os.path.join(project, "db.sqlite3")))

        out = self.run_ok(["manage.py", "startapp", "polls"], project)
        self.assertEqual(out, "Created the app polls in %s\n" % os.path.join(project, "polls"))
        for name in ("__init__.py", "models.py", "tests.py"):
            self.assertTrue(os.path.isfile(os.path.join(project, "polls", name)), name)

        with open(os.path.join(project, "polls", "models.py"), "a") as handle:
            handle.write(
                "\n\nclass Question(models.Model):\n"
                "    text = models.CharField(max_length=200)\n"
            )
        install_app(os.path.join(project, "mysite", "settings.py"), "polls")

        out = self.run_ok(["manage.py", "syncdb"], project)
        self.assertEqual(out, "Creating tables ...\nCreating table polls_question\n")
        out = self.run_ok(["manage.py", "shell", "-c", (
            "from polls.models import Question\n"
            "Question.objects.create(text='Why?')\n"
            "print(Question.objects.filter(text__startswith='Wh').count())"
        )], project)
        self.assertEqual(out, "1\n")
        # The row is in the project's database file, not a throwaway one.
        out = self.run_ok(["manage.py", "shell", "-c", (
            "from polls.models import Question; print(Question.objects.get().text)"
        )], project)
        self.assertEqual(out, "Why?\n")

    def test_app_tests_run_with_manage_py_test(self):
        self.run_ok(["-m", "django", "startproject", "site2"], self.workdir)
        project = os.path.join(self.workdir, "site2")
        self.run_ok(["manage.py", "startapp", "notes"], project)
        with open(os.path.join(project, "notes", "tests.py"), "a") as handle:
            handle.write(
                "from .models import models\n\n\n"
                "class NotesTests(TestCase):\n"
                "    def test_runs(self):\n"
                "        self.assertTrue(models)\n"
            )
        install_app(os.path.join(project, "site2", "settings.py"), "notes")
        # The app is both an installed app and a directory of the project:
        # its tests module is imported as notes.tests (relative imports work).
        out, err, code = run_python(["manage.py", "test", "notes"], project)
        self.assertEqual(code, 0, out + err)
        self.assertIn("Ran 1 test", err)


class GeneratedSettingsTests(SimpleTestCase):
    def setUp(self):
        self.workdir = tempfile.mkdtemp()
        self.addCleanup(subprocess.run, ["rm", "-rf", self.workdir])

    def settings_path(self, name):
        """Write project ``name`` into a directory of its own; its settings file."""
        directory = os.path.join(self.workdir, name)
        os.mkdir(directory)
        call_command("startproject", name, directory, verbosity=0)
        return os.path.join(directory, name, "settings.py")

    def settings_text(self, name):
        with open(self.settings_path(name)) as handle:
            return handle.read()

    def test_era_settings(self):
        path = self.settings_path("eraproject")
        with open(path) as handle:
            text = handle.read()
        namespace = {"__file__": path}
        exec(compile(text, path, "exec"), namespace)
        self.assertEqual(namespace["DATABASES"], {"default": {
            "ENGINE": "sqlite3",
            "NAME": os.path.join(self.workdir, "eraproject", "db.sqlite3"),
            "USER": "", "PASSWORD": "", "HOST": "", "PORT": "",
        }})
        # The legacy flat settings would make every command warn.
        self.assertFalse([name for name in namespace if name.startswith("DATABASE_")])
        self.assertEqual(
            namespace["INSTALLED_APPS"], ["django.contrib.contenttypes", "django.contrib.auth"]
        )
        self.assertIs(namespace["USE_TZ"], True)
        self.assertEqual(namespace["TIME_ZONE"], "UTC")
        self.assertNotIn("{{", text)

    def test_secret_key_is_random_per_project(self):
        keys = set()
        for name in ("keyone", "keytwo"):
            found = re.search(r'^SECRET_KEY = "([^"]+)"$', self.settings_text(name), re.M)
            self.assertEqual(len(found[1]), 50)
            keys.add(found[1])
        self.assertEqual(len(keys), 2)

    def test_verbose_output_lists_the_files(self):
        out = io.StringIO()
        call_command("startproject", "loudproject", self.workdir, verbosity=2, stdout=out)
        self.assertEqual(out.getvalue().splitlines(), [
            "Created the project loudproject in %s" % self.workdir,
            "  " + os.path.join(self.workdir, "manage.py"),
            "  " + os.path.join(self.workdir, "loudproject", "__init__.py"),
            "  " + os.path.join(self.workdir, "loudproject", "settings.py"),
        ])

    def test_directory_argument_writes_into_it(self):
        call_command("startproject", "intoproject", self.workdir, verbosity=0)
        self.assertEqual(
            sorted(os.listdir(self.workdir)), ["intoproject", "manage.py"]
        )
        with open(os.path.join(self.workdir, "manage.py")) as handle:
            self.assertIn('"intoproject.settings"', handle.read())


class NameValidationTests(SimpleTestCase):
    """Bad names are refused with a CommandError that says why, and nothing is written."""

    def setUp(self):
        self.workdir = tempfile.mkdtemp()
        self.addCleanup(subprocess.run, ["rm", "-rf", self.workdir])
        self.addCleanup(os.chdir, os.getcwd())
        os.chdir(self.workdir)

    def assertRefused(self, command, name, message, *args):
        before = sorted(os.listdir(self.workdir))
        with self.assertRaisesMessage(CommandError, message):
            call_command(command, name, *args, verbosity=0)
        self.assertEqual(sorted(os.listdir(self.workdir)), before)

    def test_not_an_identifier(self):
        for name in ("my-site", "2fast", "my site", ""):
            with self.subTest(name=name):
                self.assertRefused(
                    "startproject", name, "cannot be the project's name: use a Python identifier"
                )
        self.assertRefused("startapp", "polls.v2", "cannot be the app's name")

    def test_keyword(self):
        self.assertRefused("startapp", "class", "'class' cannot be the app's name")

    def test_existing_module(self):
        for name in ("django", "os", "test"):
            with self.subTest(name=name):
                self.assertRefused(
                    "startproject", name,
                    "'%s' conflicts with the name of an existing Python module" % name,
                )

    def test_existing_directory(self):
        os.mkdir("taken")
        self.assertRefused(
            "startapp", "taken", "'%s' already exists." % os.path.join(self.workdir, "taken")
        )

    def test_missing_destination_directory(self):
        self.assertRefused("startapp", "fresh", "does not exist; create it first", "nowhere")

    def test_files_in_the_destination_are_not_overwritten(self):
        os.mkdir("target")
        with open(os.path.join("target", "models.py"), "w") as handle:
            handle.write("# mine\n")
        with self.assertRaisesMessage(CommandError, "models.py' already exists; nothing was written."):
            call_command("startapp", "fresh", "target", verbosity=0)
        self.assertEqual(os.listdir("target"), ["models.py"])
        with open(os.path.join("target", "models.py")) as handle:
            self.assertEqual(handle.read(), "# mine\n")


class SyncdbListsTablesTests(SimpleTestCase):
    def test_many_to_many_tables_are_listed_with_their_model(self):
        from django.apps import apps
        from django.core.management.commands.syncdb import Command

        user = apps.get_model("auth", "User")
        command = Command(stdout=io.StringIO())
        connection = mock.MagicMock()
        connection.introspection.table_names.return_value = []
        editor = connection.schema_editor.return_value.__enter__.return_value
        editor.deferred_sql = []
        connection.alias = "default"
        with mock.patch("django.core.management.sql.installed_models", return_value=[user]):
            created = command.sync(connection, verbosity=1)
        self.assertEqual(created, [user])
        self.assertEqual(command.stdout.getvalue(), (
            "Creating tables ...\n"
            "Creating table auth_user\n"
            "Creating table auth_user_groups\n"
            "Creating table auth_user_user_permissions\n"
        ))
        # Each table on its own: the routers judge an intermediary table by
        # its through model.
        throughs = [field.remote_field.through for field in user._meta.local_many_to_many]
        self.assertEqual(
            [c.args for c in editor.create_table_alone.call_args_list],
            [(user,)] + [(through,) for through in throughs],
        )


# -- docs/intro/first-project.txt, run as a user would ----------------------------------

FIRST_PROJECT_PAGE = os.path.join(REPO_DIR, "docs", "intro", "first-project.txt")
BLOCK_START = re.compile(r"^\.\. code-block:: (\w+)\s*$")
FILE_MARKER = re.compile(r"^\.\. (write|replace (\w+) in): (\S+)\s*$")

# A session's examples run through ``manage.py shell -c`` as a doctest.
SESSION_PROGRAM = """\
import doctest, sys
with open(%r, encoding="utf-8") as handle:
    text = handle.read()
test = doctest.DocTestParser().get_doctest(text, {}, "session", %r, 0)
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
runner.run(test)
sys.exit(1 if runner.failures else 0)
"""


def code_blocks(text):
    """``[(language, marker match or None, block text)]`` of a page's
    ``.. code-block::`` directives, in order; a ``.. write: PATH`` or
    ``.. replace NAME in: PATH`` comment just before a block is its marker."""
    lines = text.splitlines()
    blocks, marker = [], None
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if FILE_MARKER.match(line):
            marker = FILE_MARKER.match(line)
            continue
        start = BLOCK_START.match(line)
        if not start:
            if line.strip():
                marker = None
            continue
        body = []
        while index < len(lines) and (not lines[index].strip() or lines[index].startswith(" ")):
            body.append(lines[index][4:])
            index += 1
        blocks.append((start[1], marker, "\n".join(body).strip("\n") + "\n"))
        marker = None
    return blocks


def console_commands(block):
    """``[(command, expected output)]`` of a console block."""
    commands = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append([line[2:], []])
        else:
            commands[-1][1].append(line)
    return [(command, "\n".join(output).strip("\n") + "\n") for command, output in commands]


def replace_assignment(path, name, new_text):
    """Replace the top-level ``NAME = ...`` statement of the file at ``path``."""
    import ast

    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines(keepends=True)
    for node in ast.parse("".join(lines)).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [name]:
            lines[node.lineno - 1:node.end_lineno] = [new_text]
            break
    else:
        raise AssertionError("%s assigns no %s" % (path, name))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("".join(lines))


class FirstProjectPageTests(SimpleTestCase):
    """Every console command, file and shell session of the "Your first
    project" page, in order, in a temporary directory."""

    def setUp(self):
        self.workdir = tempfile.mkdtemp()
        self.addCleanup(subprocess.run, ["rm", "-rf", self.workdir])
        self.cwd = self.workdir
        self.commands_run = []

    def run_command(self, command, expected):
        words = shlex.split(command)
        if words[0] == "cd":
            self.cwd = os.path.join(self.cwd, words[1])
            return
        if words == ["python", "manage.py", "shell"]:
            return  # the session of the next block runs in it
        self.commands_run.append(command)
        program = ["-m", "django"] if words[0] == "django-admin" else []
        out, err, code = run_python(program + words[1:], self.cwd, merge_stderr=True)
        self.assertEqual(code, 0, "%s failed:\n%s" % (command, out))
        checker = doctest.OutputChecker()
        flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        self.assertTrue(
            checker.check_output(expected, out, flags),
            "%s printed:\n%s\nThe page says:\n%s" % (command, out, expected),
        )

    def run_session(self, source):
        path = os.path.join(self.workdir, "session.txt")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(source)
        self.commands_run.append("shell session")
        out, err, code = run_python(
            ["manage.py", "shell", "-c", SESSION_PROGRAM % (path, FIRST_PROJECT_PAGE)],
            self.cwd, merge_stderr=True,
        )
        self.assertEqual(code, 0, "The page's shell session failed:\n%s" % out)

    def apply_file_block(self, marker, block):
        path = os.path.join(self.cwd, marker[3])
        if marker[2]:
            replace_assignment(path, marker[2], block)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(block)

    def test_every_step_of_the_page(self):
        with open(FIRST_PROJECT_PAGE, encoding="utf-8") as handle:
            blocks = code_blocks(handle.read())
        for language, marker, block in blocks:
            if marker is not None:
                self.apply_file_block(marker, block)
            elif language == "console":
                for command, expected in console_commands(block):
                    self.run_command(command, expected)
            elif language == "pycon":
                self.run_session(block)
        # A block the parser missed must not pass unnoticed.
        self.assertEqual(self.commands_run, [
            "django-admin startproject mysite",
            "python manage.py syncdb",
            "python manage.py startapp polls",
            "python manage.py syncdb",
            "shell session",
            'python manage.py shell -c "from polls.models import Choice; '
            'print(Choice.objects.count())"',
            "python manage.py test polls",
        ])
        self.assertEqual(sum(1 for _, marker, _ in blocks if marker), 3)
