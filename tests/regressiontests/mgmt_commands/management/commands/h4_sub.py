"""A command with subcommands (argparse subparsers)."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks = []

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="action", required=True)
        greet = subparsers.add_parser("greet")
        greet.add_argument("--name", required=True)
        greet.add_argument("--times", type=int, default=1)
        subparsers.add_parser("quiet")

    def handle(self, *args, **options):
        if options["action"] == "greet":
            for _ in range(options["times"]):
                self.stdout.write("hello %s" % options["name"])
