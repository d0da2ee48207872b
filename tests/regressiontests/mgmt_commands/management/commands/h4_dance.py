"""A command with options, used by the management tests."""
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Dance around. It goes with the h4 tests."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("integers", nargs="*", type=int)
        parser.add_argument("-s", "--style", default="Rock'n'Roll")
        parser.add_argument("-x", "--example")
        parser.add_argument("--opt-3", action="store_true", dest="option3")

    def handle(self, *args, **options):
        if options["example"] == "raise":
            raise CommandError("Deliberate failure", returncode=3)
        if options["verbosity"] > 0:
            self.stdout.write("I don't feel like dancing %s." % options["style"])
            self.stdout.write(",".join(options.keys()))
        if options["integers"]:
            self.stdout.write("You passed %d as a positional argument." % options["integers"][0])
        if options["option3"]:
            self.stdout.write("option3 on")
