"""``version``: print the version of this package (``django.get_version()``)."""
import django
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prints the version of Django (this package's), as django.get_version() gives it."
    requires_system_checks = []

    def handle(self, **options):
        # execute() prints what handle() returns; call_command() returns it.
        return django.get_version()
