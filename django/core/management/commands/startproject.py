"""``startproject NAME [DIRECTORY]``: write a new project.

The project is a directory (NAME, or DIRECTORY) holding ``manage.py`` and
the settings package NAME, whose ``settings.py`` has the single-database
settings (SQLite in the project's directory), a random SECRET_KEY,
INSTALLED_APPS, USE_TZ and TIME_ZONE. See django/core/management/skeletons.py.
"""
import django
from django.core.management import skeletons
from django.core.management.base import BaseCommand
from django.core.management.utils import get_random_secret_key


class Command(BaseCommand):
    help = (
        "Creates a project: a directory NAME (or DIRECTORY) with manage.py and the "
        "settings package NAME."
    )
    # Runs before any project (and its settings) exists.
    requires_system_checks = []
    # What this command writes, and what the messages call it.
    skeleton = "project_template"
    kind = "project"

    def add_arguments(self, parser):
        parser.add_argument("name", help="Name of the %s: a Python identifier." % self.kind)
        parser.add_argument(
            "directory", nargs="?",
            help="An existing directory to write into (by default a new directory NAME "
            "in the current one).",
        )

    def context(self, name):
        """The values of the skeleton's ``{{ placeholders }}``."""
        return {
            "project_name": name,
            "secret_key": get_random_secret_key(),
            "version": django.get_version(),
        }

    def handle(self, **options):
        name = options["name"]
        # In this order, so that an existing directory is reported as such
        # rather than as a module it would make importable.
        skeletons.check_identifier(name, self.kind)
        destination = skeletons.destination_for(name, options["directory"])
        skeletons.check_not_importable(name, self.kind)
        written = skeletons.write_skeleton(self.skeleton, destination, self.context(name))
        if options["verbosity"] >= 1:
            self.stdout.write("Created the %s %s in %s" % (self.kind, name, destination))
        if options["verbosity"] >= 2:
            self.stdout.write("\n".join("  " + path for path in written))
