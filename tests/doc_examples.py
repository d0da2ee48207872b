"""Run the ``>>>`` examples of a documentation page as part of a test.

The documentation promises that its examples run; the pages with examples
are checked by tests that call run_doc_examples() with the models the page
uses (query_docs, fixtures_rel, docs_differences).
"""
import doctest
import os

DOCS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs")


def run_doc_examples(testcase, relative_path, globs, more_than=0):
    """Run the page ``docs/<relative_path>`` as one doctest (ellipses and
    whitespace are loose) and fail ``testcase`` with doctest's report on any
    failing example, or if the page has ``more_than`` examples or fewer (a
    page whose examples stopped being found must not pass)."""
    path = os.path.normpath(os.path.join(DOCS_DIR, relative_path))
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    test = doctest.DocTestParser().get_doctest(text, dict(globs), relative_path, path, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = []
    runner.run(test, out=report.append)
    testcase.assertEqual(runner.failures, 0, "".join(report))
    testcase.assertGreater(len(test.examples), more_than)
