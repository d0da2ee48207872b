"""Only passing tests."""
from django.test import SimpleTestCase


class CleanTests(SimpleTestCase):
    def test_one(self):
        pass

    def test_two(self):
        self.assertTrue(True)
