"""Helpers shared by the multiple_database tests: raw tables, threads, scratch databases."""
import os
import subprocess
import sys
import tempfile
import textwrap
from contextlib import contextmanager

from thread_support import run_in_thread  # noqa: F401 (the test modules import it from here)

import django
from django.db import connections
from django.test.utils import override_settings

# A table the tests create themselves, with raw SQL, on the aliases they
# name: patch 0001 has no QuerySet.using() yet.
ENTRY_TABLE = "multiple_database_entry"
# Never appears in any message or log line (see test_settings).
SECRET = "s3cret-Pa55word"


def qn(alias, name):
    return connections[alias].ops.quote_name(name)


def create_entry_table(test_case, *aliases):
    """Create ENTRY_TABLE on each alias; dropped again when the test ends."""
    for alias in aliases:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "CREATE TABLE %s (%s INTEGER PRIMARY KEY, %s VARCHAR(30))"
                % (qn(alias, ENTRY_TABLE), qn(alias, "id"), qn(alias, "name"))
            )
        test_case.addCleanup(drop_entry_table, alias)


def drop_entry_table(alias):
    wrapper = connections[alias]
    # A failed test may leave a transaction open: end it, or the DROP would
    # wait for it (PostgreSQL) or be part of it.
    if wrapper.in_atomic_block or not wrapper.get_autocommit():
        wrapper.in_atomic_block = False
        wrapper.rollback()
        wrapper.set_autocommit(True)
    with wrapper.cursor() as cursor:
        cursor.execute("DROP TABLE %s" % qn(alias, ENTRY_TABLE))


def insert_entry(alias, pk, name="x"):
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "INSERT INTO %s (%s, %s) VALUES (%%s, %%s)"
            % (qn(alias, ENTRY_TABLE), qn(alias, "id"), qn(alias, "name")),
            [pk, name],
        )


def entry_ids(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT %s FROM %s ORDER BY %s"
            % (qn(alias, "id"), qn(alias, ENTRY_TABLE), qn(alias, "id"))
        )
        return [row[0] for row in cursor.fetchall()]


@contextmanager
def one_connection_for(alias, target):
    """
    Inside the block, this thread's ``connections[alias]`` is the wrapper of
    ``target``: two aliases on one connection, and so on one statement
    cache and its memos (they are the wrapper's). A TEST MIRROR alias has
    a wrapper of its own on the same database; this is the case where even
    the wrapper is shared. The alias's own wrapper is put back afterwards
    (the test case's transaction on it is still open).
    """
    own = connections[alias]
    connections[alias] = connections[target]
    try:
        yield
    finally:
        connections[alias] = own


def sqlite_file_databases(test_case, *aliases):
    """
    override_settings(DATABASES=...) with one SQLite file database per alias,
    in a directory removed after the test. File databases (unlike the
    in-memory test databases) really close when asked to, whatever backend
    the suite runs on.
    """
    directory = tempfile.TemporaryDirectory()
    test_case.addCleanup(directory.cleanup)
    return override_settings(
        DATABASES={
            alias: {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.path.join(directory.name, "%s.sqlite3" % alias),
            }
            for alias in aliases
        }
    )


def run_with_settings(test_case, settings_source, script, args=()):
    """
    Run ``script`` in a fresh interpreter whose settings module has
    ``settings_source`` ({dir} is replaced by a scratch directory); return
    the completed process. Settings are read once, at start-up: this is
    how a project's own settings module meets them.
    """
    directory = tempfile.TemporaryDirectory()
    test_case.addCleanup(directory.cleanup)
    with open(os.path.join(directory.name, "project_settings.py"), "w") as module:
        module.write(textwrap.dedent(settings_source).replace("{dir}", directory.name))
    repo = os.path.dirname(os.path.dirname(os.path.abspath(django.__file__)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PYTHONPATH=os.pathsep.join([directory.name, repo]),
               DJANGO_SETTINGS_MODULE="project_settings")
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True, text=True, env=env, cwd=directory.name, timeout=120,
    )

