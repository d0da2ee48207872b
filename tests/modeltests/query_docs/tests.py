"""Run the ``>>>`` examples of the query documentation on this database."""
from doc_examples import run_doc_examples

from django.db import connection
from django.test import TestCase

from .models import Entry


class DocExamplesTests(TestCase):
    def run_doc(self, relative_path, min_examples=10):
        # The examples use ``%s`` placeholders in raw SQL; quote table names
        # the way this backend does.
        globs = {"Entry": Entry, "connection": connection}
        run_doc_examples(self, relative_path, globs, more_than=min_examples)

    def test_topic_queries(self):
        self.run_doc("topics/db/queries.txt")

    def test_ref_querysets(self):
        self.run_doc("ref/models/querysets.txt")

    def test_topic_performance(self):
        self.run_doc("topics/db/performance.txt", min_examples=13)
