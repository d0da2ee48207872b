"""Defined in two apps: the first installed app (this one) wins."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks = []

    def handle(self, *args, **options):
        return "from mgmt_commands"
