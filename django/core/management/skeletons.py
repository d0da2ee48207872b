"""Project and application skeletons: what ``startproject`` and ``startapp`` write.

A skeleton is a directory of template files under ``django/conf/``:
``project_template`` (``manage.py`` and the settings package) and
``app_template`` (an application with ``models.py`` and ``tests.py``).
Writing one copies its tree into the destination with three changes:

* a path part called ``project_name`` or ``app_name`` takes the NAME given;
* the ``-tpl`` suffix is dropped: the templates are data, so nothing imports,
  byte-compiles, tests or audits them as modules of this package;
* ``{{ word }}`` in a file's text becomes the context's value for ``word``
  (``project_name``, ``app_name``, ``secret_key``, ``version``); any other
  text is copied as it is.

A file whose first line is ``#!`` is made executable (``manage.py``).

NAME becomes a top-level Python package, so it must be an identifier that
is not a keyword and does not hide (or hide behind) a module Python can
already import (``django``, ``test``, an installed package, a directory on
``sys.path``). Nothing is written unless every check passes.
"""
import importlib.util
import keyword
import os
import re

TEMPLATES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "conf")
TEMPLATE_SUFFIX = "-tpl"
NAME_PLACEHOLDERS = ("project_name", "app_name")
PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")


def check_identifier(name, kind):
    """Raise CommandError unless ``name`` is an identifier and no keyword
    (``kind`` is 'project' or 'app', for the message)."""
    from django.core.management.base import CommandError

    if not name.isidentifier() or keyword.iskeyword(name):
        raise CommandError(
            "'%s' cannot be the %s's name: use a Python identifier (letters, digits "
            "and underscores, not starting with a digit, not a keyword)." % (name, kind)
        )


def check_not_importable(name, kind):
    """Raise CommandError if Python can already import a module ``name``:
    the new package would hide it, or be hidden by it."""
    from django.core.management.base import CommandError

    if importlib.util.find_spec(name) is not None:
        raise CommandError(
            "'%s' conflicts with the name of an existing Python module and cannot be "
            "the %s's name. Please try another name." % (name, kind)
        )


def destination_for(name, directory):
    """The directory to write into: ``directory`` (which must exist), or a
    new directory ``name`` in the current one (which must not)."""
    from django.core.management.base import CommandError

    if directory is None:
        target = os.path.join(os.getcwd(), name)
        if os.path.exists(target):
            raise CommandError("'%s' already exists." % target)
        return target
    target = os.path.abspath(os.path.expanduser(directory))
    if not os.path.isdir(target):
        raise CommandError("The directory '%s' does not exist; create it first." % target)
    return target


def planned_files(template, destination, context):
    """``[(template file, file to write)]`` for the skeleton ``template``."""
    root = os.path.join(TEMPLATES_DIR, template)
    plan = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        relative = os.path.relpath(folder, root)
        parts = [] if relative == os.curdir else relative.split(os.sep)
        for file_name in sorted(files):
            if not file_name.endswith(TEMPLATE_SUFFIX):
                continue
            written = parts + [file_name[: -len(TEMPLATE_SUFFIX)]]
            written = [context.get(part, part) if part in NAME_PLACEHOLDERS else part
                       for part in written]
            plan.append((os.path.join(folder, file_name), os.path.join(destination, *written)))
    return plan


def render(text, context):
    """``text`` with each ``{{ word }}`` of the context replaced by its value."""
    return PLACEHOLDER.sub(lambda found: str(context.get(found[1], found[0])), text)


def write_skeleton(template, destination, context):
    """Write the skeleton ``template`` into ``destination``; refuse (before
    writing anything) to overwrite an existing file. Return the files written."""
    from django.core.management.base import CommandError

    plan = planned_files(template, destination, context)
    existing = [target for source, target in plan if os.path.exists(target)]
    if existing:
        raise CommandError("'%s' already exists; nothing was written." % existing[0])
    for source, target in plan:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(source, encoding="utf-8") as handle:
            text = render(handle.read(), context)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
        if text.startswith("#!"):
            os.chmod(target, os.stat(target).st_mode | 0o111)
    return [target for source, target in plan]
