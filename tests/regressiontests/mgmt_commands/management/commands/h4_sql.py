"""Returns SQL wrapped in a transaction (output_transaction)."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks = []
    output_transaction = True

    def handle(self, *args, **options):
        return "SELECT 1;"
