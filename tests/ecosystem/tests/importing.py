"""Import a library under test, or skip its tests naming the first error.

factory_boy and model_bakery import parts of Django at import time
(django.core.files, FileField, ...). Where the branch under test lacks one,
their tests are skipped with the ImportError as the reason, which the run
prints (pytest -rs), so the gap is named rather than hidden. With ECOSYSTEM_STRICT=1 (once the
branch has them all) a missing piece is an error instead of a skip.
"""
import importlib
import os

import pytest

STRICT = os.environ.get("ECOSYSTEM_STRICT", "") not in ("", "0")


def import_or_skip(name):
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if STRICT:
            raise
        pytest.skip("%s cannot be imported: %s" % (name, exc), allow_module_level=True)
