"""Run the examples of docs/topics/db/multi-db.txt on this database and its
``other`` alias: every example of the page runs, by one of two mechanisms.

* ``>>>`` examples run in page order as one doctest
  (``tests/doc_examples.py``), with the models of this application.
* Every other literal block of the page (the indented block after a
  paragraph ending in ``::`` or after a ``code-block`` directive) is
  extracted by ``literal_blocks()``. A block that compiles as Python is a
  code example, and runs here according to what it is:

  - **settings** (nothing but assignments to upper-case names): executed,
    then each setting is validated as the settings loader would:
    ``DATABASES`` completed by ``django.conf.databases.complete_databases()``
    and ordered by ``creation_order()`` (TEST DEPENDENCIES), the old
    ``DATABASE_*`` settings turned into ``DATABASES["default"]`` and compared
    with the ``DATABASES`` block that follows them on the page,
    ``DATABASE_ROUTERS`` built by ``django.db.utils.routers_from()``;
  - **test cases** (a block defining a ``TestCase`` subclass): executed
    when this module is imported; the classes become test cases of this
    module and run with the suite like any other;
  - **models** (a ``models.Model`` subclass): must appear verbatim in this
    application's models.py, whose tables the suite creates; a test checks
    what the page says of them;
  - **other classes** (routers): executed, then checked by the function of
    ``CLASS_CHECKS`` named after the class, which asserts what the page
    says they do.

  ``test_every_python_block_runs`` fails for a block none of these takes
  (a new example comes with its check). Blocks that do not compile are
  not Python: shell sessions, command output, file listings.
* Shell sessions (blocks whose first line starts with ``$``): each
  ``$ python manage.py COMMAND ARGS...`` line must parse with that
  command's own parser; a line followed by ``CommandError: ...`` output is
  run as the command line would run it, and must print that on standard
  error and exit with status 1 (``test_every_command_line_parses``).

Names that a code example takes from the rest of a project (``models``,
``TestCase``, ``override_settings``, ``AuditRouter``, a dotted path under
``myproject``) are supplied by ``page_namespace()`` and ``project_modules()``.

(That the example project, outside the patched paths, reads its settings
without a DeprecationWarning is checked by .ci/run, which runs its demo
with such warnings as errors: a test here would fail in a tree built from
the patch series, where examples/ is the base's.)"""
import ast
import os
import re
import sys
import textwrap
import types
from unittest import mock

from doc_examples import DOCS_DIR, run_doc_examples

from django.conf.databases import LEGACY_SETTINGS, complete_databases, creation_order, legacy_default
from django.db import connections, models as db_models
from django.db.utils import routers_from
from django.test import TestCase
from django.test.utils import override_settings

from . import models

PAGE = "topics/db/multi-db.txt"
PAGE_MODELS = {name: value for name, value in vars(models).items() if isinstance(value, type)}


def literal_blocks(text):
    """``[(line number, code)]`` of the literal blocks of a reST page: the
    indented block after a line ending in ``::`` (a paragraph's, or a
    ``code-block`` directive's) or after a ``code-block`` directive."""
    lines = text.split("\n")
    found = []
    for number, line in enumerate(lines):
        stripped = line.rstrip()
        is_code_directive = re.match(r"\s*\.\. code-block::", stripped)
        if not (stripped.endswith("::") or is_code_directive):
            continue
        if re.match(r"\s*\.\. [\w-]+::", stripped) and not is_code_directive:
            continue  # another directive (.. contents::, .. module::)
        indent = len(line) - len(line.lstrip())
        index = number + 1
        while index < len(lines) and (not lines[index].strip() or lines[index].lstrip().startswith(":")):
            index += 1  # blank lines and the directive's options
        body = []
        while index < len(lines) and (
            not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip()) > indent
        ):
            body.append(lines[index])
            index += 1
        if body:
            found.append((number + 1, textwrap.dedent("\n".join(body)).strip("\n") + "\n"))
    return found


def page_text():
    with open(os.path.join(DOCS_DIR, PAGE), encoding="utf-8") as handle:
        return handle.read()


def python_blocks():
    """``[(line number, code, module AST)]`` of the page's code examples:
    the literal blocks without ``>>>`` that compile as Python."""
    found = []
    for number, code in literal_blocks(page_text()):
        if ">>>" in code:
            continue  # run by the doctest
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue  # not Python: a shell session, output, a file listing
        found.append((number, code, tree))
    return found


def kind_of(tree):
    """'settings', 'testcase', 'model' or 'classes' (None: not handled)."""
    body = tree.body
    if body and all(
        isinstance(node, ast.Assign)
        and all(isinstance(target, ast.Name) and target.id.isupper() for target in node.targets)
        for node in body
    ):
        return "settings"
    classes = [node for node in body if isinstance(node, ast.ClassDef)]
    if not classes:
        return None
    bases = {ast.unparse(base) for node in classes for base in node.bases}
    if "TestCase" in bases:
        return "testcase"
    if "models.Model" in bases:
        return "model"
    return "classes"


class AuditRouter:
    """The page's settings name a router of the project's own."""

    def db_for_write(self, model, **hints):
        return None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "other"


def page_namespace():
    """The names a code example takes from the rest of its project."""
    namespace = dict(PAGE_MODELS)
    namespace.update(
        __name__=__name__, models=db_models, TestCase=TestCase,
        override_settings=override_settings, AuditRouter=AuditRouter,
    )
    return namespace


def project_modules():
    """``sys.modules`` entries for the dotted paths the page's settings name."""
    package = types.ModuleType("myproject")
    routers = types.ModuleType("myproject.routers")
    routers.ReplicaRouter = ReplicaRouter
    package.routers = routers
    return {"myproject": package, "myproject.routers": routers}


def run_block(code):
    namespace = page_namespace()
    exec(compile(code, PAGE, "exec"), namespace)
    return namespace


# -- the page's test cases are test cases of this module -------------------------
def page_test_cases():
    """{name: class} of the TestCase subclasses the page's code examples define."""
    found = {}
    for _number, code, tree in python_blocks():
        if kind_of(tree) == "testcase":
            for name, value in run_block(code).items():
                if isinstance(value, type) and issubclass(value, TestCase) and value is not TestCase:
                    found[name] = value
    return found


PAGE_TEST_CASES = page_test_cases()
globals().update(PAGE_TEST_CASES)


# -- checks of the page's other classes -----------------------------------------
def check_contrib_on_default(testcase, router_class):
    """'A router that keeps both applications on default': where it refuses
    contenttypes.ContentType, syncdb creates no content type there."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    router = router_class()
    testcase.assertIs(router.allow_migrate("other", "auth", model_name="permission"), False)
    testcase.assertIs(router.allow_migrate("default", "contenttypes", model_name="contenttype"), True)
    testcase.assertIsNone(router.allow_migrate("other", "docs_multidb", model_name="entry"))

    def types_on_other():
        return ContentType.objects.using("other").filter(app_label="docs_multidb").count()

    ContentType.objects.using("other").filter(app_label="docs_multidb").delete()
    ContentType.objects.clear_cache()
    with override_settings(DATABASE_ROUTERS=[router]):
        call_command("syncdb", database="other", verbosity=0, interactive=False)
    testcase.assertEqual(types_on_other(), 0)
    call_command("syncdb", database="other", verbosity=0, interactive=False)
    testcase.assertGreater(types_on_other(), 0)  # without it, they are made
    ContentType.objects.clear_cache()


CLASS_CHECKS = {
    "ContribOnDefault": check_contrib_on_default,
}


# -- checks of the page's settings --------------------------------------------------
def check_settings_block(testcase, settings, after_legacy):
    """Validate one settings example as the settings loader would; returns
    the completed DATABASES of a DATABASE_* block (compared with the next
    DATABASES block), else None."""
    names = set(settings)
    legacy = names & set(LEGACY_SETTINGS)
    unknown = names - legacy - {"DATABASES", "DATABASE_ROUTERS"}
    testcase.assertFalse(unknown, "no check for the settings %s" % sorted(unknown))
    if legacy:
        holder = types.SimpleNamespace(**settings)
        return complete_databases({"default": legacy_default(holder)})
    if "DATABASES" in settings:
        completed = complete_databases(settings["DATABASES"])
        order = creation_order(completed)
        for alias in order:
            for needed in completed[alias]["TEST"]["DEPENDENCIES"]:
                testcase.assertLess(order.index(needed), order.index(alias))
        if after_legacy is not None:
            testcase.assertEqual(completed, after_legacy)
    if "DATABASE_ROUTERS" in settings:
        with mock.patch.dict(sys.modules, project_modules()):
            routers = routers_from(settings["DATABASE_ROUTERS"])
        testcase.assertEqual(len(routers), len(settings["DATABASE_ROUTERS"]))
        testcase.assertFalse([router for router in routers if isinstance(router, (str, type))])
    return None


class MultiDbPageTests(TestCase):
    # The page's examples use both aliases.
    databases = {"default", "other"}

    def test_examples(self):
        run_doc_examples(self, PAGE, PAGE_MODELS, more_than=20)

    def test_connections_reference_examples(self):
        run_doc_examples(self, "ref/databases.txt", {}, more_than=2)

    def test_every_python_block_runs(self):
        counts = {}
        legacy = None
        for number, code, tree in python_blocks():
            kind = kind_of(tree)
            with self.subTest(line=number, kind=kind):
                self.assertIsNotNone(kind, "no mechanism runs the block at line %d" % number)
                counts[kind] = counts.get(kind, 0) + 1
                if kind == "settings":
                    settings = {
                        name: value for name, value in run_block(code).items() if name.isupper()
                    }
                    completed = check_settings_block(self, settings, legacy)
                    if legacy is not None:
                        legacy = None  # compared with this block
                    else:
                        legacy = completed
                elif kind == "testcase":
                    names = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
                    self.assertTrue(set(names) & set(PAGE_TEST_CASES), names)
                elif kind == "model":
                    with open(models.__file__, encoding="utf-8") as handle:
                        self.assertIn(code, handle.read(), "the page's model is not in models.py")
                else:
                    namespace = run_block(code)
                    for node in tree.body:
                        if isinstance(node, ast.ClassDef):
                            self.assertIn(node.name, CLASS_CHECKS, "no check for %s" % node.name)
                            CLASS_CHECKS[node.name](self, namespace[node.name])
        self.assertIsNone(legacy, "a DATABASE_* block is not followed by its DATABASES block")
        # The page's code examples, by kind (a block that stopped being found
        # must not pass unnoticed).
        self.assertEqual(counts, {"settings": 5, "testcase": 3, "model": 1, "classes": 1})


def shell_sessions():
    """``[(line number, [(command line, [output lines])])]`` of the page's
    shell sessions."""
    found = []
    for number, code in literal_blocks(page_text()):
        if not code.startswith("$ "):
            continue
        session = []
        for line in code.splitlines():
            if line.startswith("$ "):
                session.append((line[2:], []))
            elif line.strip():
                session[-1][1].append(line)
        found.append((number, session))
    return found


class CommandLineTests(TestCase):
    databases = {"default", "other"}

    def test_every_command_line_parses(self):
        import io
        import shlex
        from contextlib import redirect_stderr

        from django.core.management import ManagementUtility, get_commands, load_command_class

        commands = 0
        for number, session in shell_sessions():
            for command_line, output in session:
                with self.subTest(line=number, command=command_line):
                    words = shlex.split(command_line)
                    self.assertEqual(words[:2], ["python", "manage.py"])
                    name, args = words[2], words[3:]
                    commands += 1
                    if not output:
                        command = load_command_class(get_commands()[name], name)
                        command.create_parser("manage.py", name).parse_args(args)
                        continue
                    self.assertTrue(output[0].startswith("CommandError: "), output)
                    stderr = io.StringIO()
                    with redirect_stderr(stderr), self.assertRaises(SystemExit) as exited:
                        ManagementUtility(["manage.py", name] + args).execute()
                    self.assertEqual(exited.exception.code, 1)
                    printed = stderr.getvalue().splitlines()
                    self.assertEqual(len(printed), len(output))
                    for shown, line in zip(output, printed):
                        # A settings file with more aliases lists them after
                        # the page's two, before the final period.
                        self.assertTrue(line.startswith(shown.rstrip(".")), (shown, line))
        self.assertEqual(commands, 4)


class PageModelTests(TestCase):
    databases = {"default", "other"}

    def test_note_has_no_constraint(self):
        # "db_constraint=False ... the column and its index are created, no
        # constraint, on every database".
        field = models.Note._meta.get_field("author")
        self.assertFalse(field.db_constraint)
        with connections["other"].schema_editor(collect_sql=True, atomic=False) as editor:
            editor.create_model(models.Note)
        self.assertNotIn("REFERENCES", " ".join(editor.collected_sql))

    def test_note_may_name_a_user_of_another_database(self):
        from django.contrib.auth.models import User

        user = User.objects.create(username="only-on-default")
        note = models.Note.objects.using("other").create(author_id=user.pk)
        connections["other"].check_constraints(table_names=["docs_multidb_note"])
        self.assertEqual(models.Note.objects.using("other").get(pk=note.pk).author_id, user.pk)
