"""One test of each outcome; the runner tests count them."""
import unittest

from django.db import connection
from django.test import SimpleTestCase, TestCase


class MixedTests(SimpleTestCase):
    def test_pass(self):
        pass

    def test_fail(self):
        self.assertEqual(1, 2)

    def test_error(self):
        raise RuntimeError("deliberate error")

    @unittest.skip("deliberately skipped")
    def test_skip(self):
        pass

    @unittest.expectedFailure
    def test_expected_failure(self):
        self.assertTrue(False)


class SqlTests(TestCase):
    def test_sql_then_fail(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 4242")
        self.fail("deliberate failure after a query")


class BrokenSetUpClass(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        raise RuntimeError("broken setUpClass")

    def test_never_runs(self):
        pass
