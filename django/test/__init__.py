"""Testing tools: test case classes, settings overrides and feature skips."""
from django.test.testcases import (
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    skipIfDBFeature,
    skipUnlessAnyDBFeature,
    skipUnlessDBFeature,
)
from django.test.utils import ignore_warnings, modify_settings, override_settings, tag

__all__ = [
    "SimpleTestCase", "TestCase", "TransactionTestCase", "ignore_warnings",
    "modify_settings", "override_settings", "skipIfDBFeature",
    "skipUnlessAnyDBFeature", "skipUnlessDBFeature", "tag",
]
