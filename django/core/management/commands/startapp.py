"""``startapp NAME [DIRECTORY]``: write a new application.

Run in a project's directory (``python manage.py startapp polls``), it
writes the package ``polls`` beside ``manage.py``: ``__init__.py``,
``models.py`` and ``tests.py``. Add its name to INSTALLED_APPS to use it.
"""
from django.core.management.commands.startproject import Command as StartprojectCommand


class Command(StartprojectCommand):
    help = (
        "Creates an application: a package NAME (in DIRECTORY, or a new directory NAME "
        "in the current one) with models.py and tests.py."
    )
    skeleton = "app_template"
    kind = "app"

    def context(self, name):
        return {"app_name": name}
