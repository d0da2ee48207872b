#!/usr/bin/env python
"""Run the test suite, Django style.

Every package directory under ``tests/regressiontests/`` and
``tests/modeltests/`` is a test application (module path
``regressiontests.<dir>``, label ``<dir>``).  They are all installed, after
the INSTALLED_APPS of the settings module, then the named labels (or all
tests) run against a fresh test database::

    python tests/runtests.py                         # everything, SQLite
    python tests/runtests.py mgmt_commands -v 2      # one application
    python tests/runtests.py app.SomeTests.test_x --settings=test_postgres
    python tests/runtests.py -k rollback --failfast

The last line printed is ``N passed, N failed, N skipped``; the exit
status is 1 if anything failed or errored, else 0.

``tests/conftest.py`` imports :func:`setup` from here so pytest runs the
same applications with the same settings.
"""
import argparse
import os
import sys
import traceback

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(TESTS_DIR)
# Directories whose sub-packages are test applications.
TEST_APP_DIRS = [
    os.path.join(TESTS_DIR, "regressiontests"),
    os.path.join(TESTS_DIR, "modeltests"),
]
# Extra directories of test applications, separated by os.pathsep; the
# runner's own tests use it to run deliberately failing applications.
EXTRA_DIRS_ENV = "RUNTESTS_EXTRA_TEST_DIRS"
# If set (os.pathsep-separated), replaces TEST_APP_DIRS: the runner's own
# tests use it so their subprocesses install only the fixture applications.
TEST_DIRS_ENV = "RUNTESTS_TEST_DIRS"
DEFAULT_SETTINGS = "test_sqlite"


def add_paths():
    """Make ``django`` (this checkout) and the test settings importable."""
    for path in (TESTS_DIR, REPO_DIR):
        if path not in sys.path:
            sys.path.insert(0, path)


def extra_test_dirs():
    value = os.environ.get(EXTRA_DIRS_ENV, "")
    return [os.path.abspath(path) for path in value.split(os.pathsep) if path]


def get_test_apps(dirs=None):
    """Module paths of the test applications, sorted, e.g. 'regressiontests.x'.

    A directory's parent is put on sys.path so that ``<dirname>.<app>``
    imports.
    """
    if dirs is None:
        base = os.environ.get(TEST_DIRS_ENV)
        base = [os.path.abspath(d) for d in base.split(os.pathsep) if d] if base else TEST_APP_DIRS
        dirs = base + extra_test_dirs()
    found = []
    for directory in dirs:
        if not os.path.isdir(directory):
            raise SystemExit("Test application directory %r does not exist." % directory)
        parent, package = os.path.split(directory.rstrip(os.sep))
        if parent not in sys.path:
            sys.path.insert(0, parent)
        for name in sorted(os.listdir(directory)):
            path = os.path.join(directory, name)
            if name.startswith((".", "_")) or not os.path.isfile(os.path.join(path, "__init__.py")):
                continue
            found.append("%s.%s" % (package, name))
    return found


def setup(settings_module=None):
    """Configure settings, install the test apps and run django.setup().

    Returns the list of test application module paths that were added.
    """
    add_paths()
    settings_module = settings_module or os.environ.get(
        "DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module

    import django
    from django.conf import settings

    test_apps = get_test_apps()
    configured = list(settings.INSTALLED_APPS)
    settings.INSTALLED_APPS = configured + [app for app in test_apps if app not in configured]
    django.setup()
    return test_apps


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Run the test suite.")
    parser.add_argument("labels", nargs="*", metavar="label",
                        help="Test labels: app, app.TestClass, app.TestClass.test_method. "
                        "Default: every test application.")
    parser.add_argument("-v", "--verbosity", type=int, default=1, choices=[0, 1, 2, 3],
                        help="Verbosity level; 0=minimal, 1=normal, 2=all test names.")
    parser.add_argument("--settings", help="Settings module (default: %s, or "
                        "$DJANGO_SETTINGS_MODULE)." % DEFAULT_SETTINGS)
    parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                        help="Never prompt (e.g. before deleting a leftover test database).")
    parser.add_argument("--failfast", action="store_true",
                        help="Stop at the first failing test.")
    parser.add_argument("--extra-test-dir", action="append", default=[], metavar="DIR",
                        help="Another directory of test applications (repeatable).")
    # -k, --keepdb, --debug-sql, --tag, --reverse, ... belong to the runner.
    from django.test.runner import DiscoverRunner

    DiscoverRunner.add_arguments(parser)
    return parser.parse_args(argv)


def run(options):
    """Set up and run; return ``(passed, failed, skipped)``."""
    if options.extra_test_dir:
        dirs = [os.path.abspath(d) for d in options.extra_test_dir]
        os.environ[EXTRA_DIRS_ENV] = os.pathsep.join(extra_test_dirs() + dirs)
    setup(options.settings)

    from django.conf import settings
    from django.test.utils import get_runner

    runner_class = get_runner(settings)
    runner = runner_class(
        verbosity=options.verbosity,
        # Nobody can answer a prompt without a terminal (CI): never ask then.
        interactive=options.interactive and sys.stdin.isatty(),
        failfast=options.failfast,
        keepdb=options.keepdb,
        reverse=options.reverse,
        debug_sql=options.debug_sql,
        tags=options.tags,
        exclude_tags=options.exclude_tags,
        test_name_patterns=options.test_name_patterns,
        buffer=options.buffer,
    )
    failures = runner.run_tests(options.labels)
    result = runner.result
    if hasattr(result, "counts"):
        return result.counts()
    # A custom TEST_RUNNER with a plain unittest result.
    skipped = len(result.skipped)
    return result.testsRun - failures - skipped, failures, skipped


def main(argv=None):
    add_paths()
    options = parse_args(argv)
    from django.test.runner import LabelError

    try:
        passed, failed, skipped = run(options)
    except LabelError as exc:
        sys.stderr.write("Error: %s\n" % exc)
        passed, failed, skipped = 0, 1, 0
    except Exception:  # noqa: BLE001 - e.g. broken models, or no test database
        traceback.print_exc()
        passed, failed, skipped = 0, 1, 0
    sys.stderr.flush()
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
