"""``check``: run the system checks and report what they find."""
from django.apps import apps
from django.core import checks
from django.core.management.base import BaseCommand, CommandError

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
        deploy = options["deploy"]
        if options["list_tags"]:
            self.stdout.write("\n".join(sorted(registry.tags_available(deploy))))
            return
        selected_apps = self._app_configs(app_labels)
        tags = options["tags"]
        unknown = [tag for tag in tags or () if not registry.tag_exists(tag, deploy)]
        if unknown:
            raise CommandError('There is no system check with the "%s" tag.' % unknown[0])
        # The level names double as the constants of django.core.checks.
        threshold = getattr(checks, options["fail_level"])
        self.check(
            app_configs=selected_apps, tags=tags, display_num_errors=True,
            include_deployment_checks=deploy, fail_level=threshold,
        )

    @staticmethod
    def _app_configs(app_labels):
        """The AppConfigs to check, or None for every installed app."""
        if not app_labels:
            return None
        try:
            return [apps.get_app_config(label) for label in app_labels]
        except LookupError as exc:
            raise CommandError(str(exc)) from None
