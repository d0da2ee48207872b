"""Run the ``>>>`` examples of docs/topics/db/multi-db.txt on this database
and its ``other`` alias, and check that what the project ships is
configured the way the page teaches."""
import os
import subprocess
import sys

from doc_examples import run_doc_examples

from django.test import SimpleTestCase, TestCase

from .models import Entry

REPO_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir))


class MultiDbPageTests(TestCase):
    # The page's examples use both aliases.
    databases = {"default", "other"}

    def test_examples(self):
        run_doc_examples(self, "topics/db/multi-db.txt", {"Entry": Entry}, more_than=20)


class ShippedSettingsTests(SimpleTestCase):
    """The example project uses DATABASES, so running it warns about nothing."""

    def test_example_blog_settings_use_databases(self):
        path = os.path.join(REPO_DIR, "examples", "blog", "blogsite", "settings.py")
        with open(path, encoding="utf-8") as handle:
            namespace = {"__file__": path}
            exec(compile(handle.read(), path, "exec"), namespace)
        self.assertEqual(namespace["DATABASES"]["default"]["ENGINE"], "sqlite3")
        self.assertEqual(
            namespace["DATABASES"]["default"]["NAME"],
            os.path.join(REPO_DIR, "examples", "blog", "blog.sqlite3"),
        )
        self.assertFalse([name for name in namespace if name.startswith("DATABASE_")])

    def test_example_blog_settings_read_without_a_deprecation_warning(self):
        # The settings are read (and the database ones checked) in a fresh
        # process, where any DeprecationWarning becomes an error.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BLOG_"))}
        env.update(PYTHONPATH=REPO_DIR, DJANGO_SETTINGS_MODULE="blogsite.settings")
        program = (
            "import django; django.setup()\n"
            "from django.db import connections\n"
            "print(connections.databases['default']['ENGINE'])\n"
        )
        proc = subprocess.run(
            [sys.executable, "-W", "error::DeprecationWarning", "-c", program],
            cwd=os.path.join(REPO_DIR, "examples", "blog"), env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120,
        )
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertIn("sqlite3", proc.stdout)
