"""docs/topics/testing.txt shows this project's conftest.py and pytest.ini:
they must stay the files that this suite runs with."""
import os
import textwrap

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(HERE, os.pardir, os.pardir, "docs", "topics", "testing.txt")


def block_after(marker):
    """The indented block that follows the first line ending with ``marker``."""
    with open(PAGE, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    start = next(i for i, line in enumerate(lines) if line.endswith(marker)) + 1
    block = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).strip() + "\n"


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as handle:
        return handle.read()


def test_documented_conftest_is_the_project_conftest():
    assert block_after("this is ``tests/ecosystem/conftest.py``::") == read("conftest.py")


def test_documented_pytest_ini_is_the_project_pytest_ini():
    documented = block_after(".. code-block:: ini")
    assert documented == read("pytest.ini")
