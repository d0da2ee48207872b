"""The suite's own stand-in (not part of the documented project).

pytest-django's autouse fixture imports django.core.mail. Until that package
is part of the branch under test, a stand-in with an empty outbox lets the
other libraries be exercised; the run's header says so (ECOSYSTEM_STRICT=1
refuses the stand-in).
"""
import importlib.util
import os
import sys
import types

MAIL_STAND_IN = importlib.util.find_spec("django.core.mail") is None
if MAIL_STAND_IN and os.environ.get("ECOSYSTEM_STRICT", "") not in ("", "0"):
    raise ImportError("ECOSYSTEM_STRICT: django.core.mail is missing")
if MAIL_STAND_IN:
    import django.core

    mail = types.ModuleType("django.core.mail")
    mail.outbox = []
    sys.modules["django.core.mail"] = django.core.mail = mail


def pytest_report_header(config):
    if MAIL_STAND_IN:
        return "ecosystem: django.core.mail is missing; a stand-in outbox is used"
    return None
