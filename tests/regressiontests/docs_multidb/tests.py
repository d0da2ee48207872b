"""Run the ``>>>`` examples of docs/topics/db/multi-db.txt on this database
and its ``other`` alias.

(That the example project, outside the patched paths, reads its settings
without a DeprecationWarning is checked by .ci/run, which runs its demo
with such warnings as errors: a test here would fail in a tree built from
the patch series, where examples/ is the base's.)"""
from doc_examples import run_doc_examples

from django.test import TestCase

from . import models


class MultiDbPageTests(TestCase):
    # The page's examples use both aliases.
    databases = {"default", "other"}

    def test_examples(self):
        # Every model of the page's app, by its class name.
        page_models = {name: value for name, value in vars(models).items() if isinstance(value, type)}
        run_doc_examples(self, "topics/db/multi-db.txt", page_models, more_than=20)

    def test_connections_reference_examples(self):
        run_doc_examples(self, "ref/databases.txt", {}, more_than=2)
