"""Shadowed by mgmt_commands' command of the same name."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks = []

    def handle(self, *args, **options):
        return "from mgmt_other"
