"""An AppCommand that prints the labels it was given."""
from django.core.management.base import AppCommand


class Command(AppCommand):
    requires_system_checks = []

    def handle_app_config(self, app_config, **options):
        return "app=%s" % app_config.label
