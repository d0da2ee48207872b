"""``sqlflush``: print the statements ``flush`` would run."""
from django.core.management.base import BaseCommand
from django.core.management.sql import sql_flush
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = "Prints the SQL statements that would be executed for the flush command."
    output_transaction = True
    requires_system_checks = []

    def handle(self, **options):
        sql_statements = sql_flush(self.style, connections[DEFAULT_DB_ALIAS], only_existing=False)
        if not sql_statements and options["verbosity"] >= 1:
            self.stderr.write("No tables found.")
        return "\n".join(sql_statements)
