"""``sqlflush``: print the statements ``flush`` would run."""
from django.core.management.base import BaseCommand, add_database_argument
from django.core.management.sql import sql_flush
from django.db import connections


class Command(BaseCommand):
    help = "Prints the SQL statements that would be executed for the flush command."
    output_transaction = True
    requires_system_checks = []

    def add_arguments(self, parser):
        add_database_argument(parser, "The database alias whose flush to print.")

    def handle(self, **options):
        connection = connections[options["database"]]
        statements = sql_flush(self.style, connection, only_existing=False)
        if not statements and options["verbosity"] > 0:
            self.stderr.write("No tables found.")
        return "\n".join(statements)
