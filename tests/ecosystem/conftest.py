"""pytest-django configuration of the compatibility project.

pytest-django reads DJANGO_SETTINGS_MODULE from pytest.ini and creates the
test databases (its ``django_db_setup`` fixture) through
django.test.utils.setup_databases(); this file only adds project fixtures.
"""
import importlib.util
import sys
import types

import pytest

# pytest-django's autouse fixture imports django.core.mail. Until that
# package is part of the branch under test, a stand-in with an empty
# outbox lets the other libraries be exercised; the run says so.
MAIL_STAND_IN = importlib.util.find_spec("django.core.mail") is None
if MAIL_STAND_IN:
    import django.core

    mail = types.ModuleType("django.core.mail")
    mail.outbox = []
    sys.modules["django.core.mail"] = django.core.mail = mail


def pytest_report_header(config):
    if MAIL_STAND_IN:
        return "ecosystem: django.core.mail is missing; a stand-in outbox is used"
    return None


@pytest.fixture
def author(db):
    from library.models import Author

    return Author.objects.create(name="Ursula K. Le Guin")
