"""``check``: run the system checks and report what they find."""
from django.apps import apps
from django.core import checks
from django.core.checks.registry import registry
from django.core.management.base import BaseCommand, CommandError

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
        include_deployment_checks = options["deploy"]
        if options["list_tags"]:
            tags = registry.tags_available(include_deployment_checks)
            self.stdout.write("\n".join(sorted(tags)))
            return
        app_configs = None
        if app_labels:
            try:
                app_configs = [apps.get_app_config(label) for label in app_labels]
            except LookupError as exc:
                raise CommandError(str(exc)) from None
        tags = options["tags"]
        for tag in tags or ():
            if not registry.tag_exists(tag, include_deployment_checks):
                raise CommandError('There is no system check with the "%s" tag.' % tag)
        self.check(
            app_configs=app_configs,
            tags=tags,
            display_num_errors=True,
            include_deployment_checks=include_deployment_checks,
            fail_level=getattr(checks, options["fail_level"]),
        )
