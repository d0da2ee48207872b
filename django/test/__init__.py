"""Testing tools: test case classes, settings overrides and feature skips."""
# The three kinds of test case, from no database access to full isolation.
from django.test.testcases import SimpleTestCase, TestCase, TransactionTestCase
# Skips decided by the database's feature flags when the test runs.
from django.test.testcases import skipIfDBFeature, skipUnlessAnyDBFeature, skipUnlessDBFeature
# Decorators that are also context managers.
from django.test.utils import ignore_warnings, modify_settings, override_settings, tag

__all__ = [
    "SimpleTestCase", "TestCase", "TransactionTestCase", "ignore_warnings",
    "modify_settings", "override_settings", "skipIfDBFeature",
    "skipUnlessAnyDBFeature", "skipUnlessDBFeature", "tag",
]
