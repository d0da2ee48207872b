"""Run the Django-style test suite under pytest.

``cd <repo> && python -m pytest tests`` collects the ``tests.py`` module of
every test application (see pytest.ini) and runs the same tests as
``tests/runtests.py``: the settings module is $DJANGO_SETTINGS_MODULE
(default ``test_sqlite``), the applications are the same (``runtests.setup``),
and one test database is created for the session and destroyed at its end.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import runtests  # noqa: E402  (needs the path above)


def pytest_configure(config):
    # Before collection: test modules import models, which needs the registry.
    runtests.setup()


_session_state = {}


def pytest_collection_modifyitems(session, config, items):
    # The same order as runtests.py: TestCase classes, then
    # TransactionTestCase classes, then the rest (stable within each group).
    from django.test.runner import test_kind_rank

    items.sort(key=lambda item: test_kind_rank(getattr(item, "cls", None)))


def pytest_sessionstart(session):
    from django.test.runner import DiscoverRunner

    runner = DiscoverRunner(verbosity=0, interactive=False)
    runner.setup_test_environment()
    _session_state["runner"] = runner
    _session_state["databases"] = runner.setup_databases()


def pytest_sessionfinish(session, exitstatus):
    runner = _session_state.pop("runner", None)
    if runner is None:
        return
    try:
        runner.teardown_databases(_session_state.pop("databases"))
    finally:
        runner.teardown_test_environment()
