"""A command with a required option and a required mutually exclusive group."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--need", required=True)
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--one", action="store_true")
        group.add_argument("--two", type=int)

    def handle(self, *args, **options):
        self.stdout.write("need=%s one=%s two=%s" % (options["need"], options["one"], options["two"]))
