"""``check``: run the system checks and report what they find."""
from django.core import checks
from django.core.management.base import BaseCommand, CommandError, installed_app_config

# checks.registry is the default CheckRegistry instance.
registry = checks.registry

LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class Command(BaseCommand):
    help = "Checks the entire Django project for potential problems."

    # This command runs the checks itself, with its own options.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("args", metavar="app_label", nargs="*",
                            help="Only check these applications.")
        parser.add_argument("--tag", "-t", action="append", dest="tags",
                            help="Run only checks labeled with given tag.")
        parser.add_argument("--list-tags", action="store_true",
                            help="List available tags.")
        parser.add_argument("--deploy", action="store_true",
                            help="Check deployment settings.")
        parser.add_argument(
            "--fail-level", default="ERROR", choices=LEVELS,
            help="Message level that will cause the command to exit with a "
            "non-zero status. Default is ERROR.",
        )

    def handle(self, *app_labels, **options):
        run = self.list_tags if options["list_tags"] else self.run_checks
        run(app_labels, options)

    def list_tags(self, app_labels, options):
        """``--list-tags``: the tags of the registered checks, one a line."""
        self.stdout.write("\n".join(sorted(registry.tags_available(options["deploy"]))))

    def run_checks(self, app_labels, options):
        """Run the checks the options select and report what they find."""
        configs = [installed_app_config(label) for label in app_labels] or None
        for tag in options["tags"] or ():
            if not registry.tag_exists(tag, options["deploy"]):
                raise CommandError('There is no system check with the "%s" tag.' % tag)
        self.check(
            app_configs=configs, tags=options["tags"], display_num_errors=True,
            include_deployment_checks=options["deploy"],
            # The level names double as the constants of django.core.checks.
            fail_level=getattr(checks, options["fail_level"]),
        )
