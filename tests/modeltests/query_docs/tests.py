"""Run the ``>>>`` examples of the query documentation on this database."""
import doctest
import os

from django.db import connection
from django.test import TestCase

from .models import Entry

DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "docs")


class DocExamplesTests(TestCase):
    def run_doc(self, relative_path, min_examples=10):
        path = os.path.normpath(os.path.join(DOCS, relative_path))
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        # The examples use ``%s`` placeholders in raw SQL; quote table names
        # the way this backend does.
        globs = {"Entry": Entry, "connection": connection}
        parser = doctest.DocTestParser()
        test = parser.get_doctest(text, globs, relative_path, path, 0)
        runner = doctest.DocTestRunner(
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        )
        failures = []
        runner.run(test, out=failures.append)
        self.assertEqual(runner.failures, 0, "".join(failures))
        self.assertGreater(len(test.examples), min_examples)

    def test_topic_queries(self):
        self.run_doc("topics/db/queries.txt")

    def test_ref_querysets(self):
        self.run_doc("ref/models/querysets.txt")

    def test_topic_performance(self):
        self.run_doc("topics/db/performance.txt", min_examples=13)
