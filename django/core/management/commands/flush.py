"""``flush``: empty every table of the installed, managed models.

The tables stay; their rows go, and (unless asked otherwise) the primary
key sequences start again. ``post_migrate`` is sent afterwards, so the rows
other applications keep in their tables (content types, permissions) come
back. The test framework calls it between TransactionTestCase tests with
the stealth options below.
"""
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError, add_database_argument
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal, sql_flush
from django.db import connections

CONFIRMATION = (
    "Every row of every table of the installed models in the database %r\n"
    "will be deleted, for good (the tables stay, empty).\n"
    "Type 'yes' to empty the database, or 'no' to cancel: "
)


# The stealth options that are sql_flush()'s own (same names, same defaults).
SQL_FLUSH_OPTIONS = ("reset_sequences", "allow_cascade")


class Command(BaseCommand):
    help = (
        "Removes ALL DATA from the database: every table of the installed "
        "models is emptied (the tables stay)."
    )
    requires_system_checks = []
    # Accepted from call_command() only (the test framework's): keep the
    # sequences where they are, let PostgreSQL's TRUNCATE cascade, skip
    # post_migrate.
    stealth_options = SQL_FLUSH_OPTIONS + ("inhibit_post_migrate",)

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Empty the database without asking first.")
        add_database_argument(
            parser, "The database alias to empty (only the tables the routers' "
                    "allow_migrate places there).",
        )

    def handle(self, **options):
        connection = connections[options["database"]]
        interactive = options.get("interactive", True)
        if interactive and not self.confirmed(connection):
            self.stdout.write("Flush cancelled.")
            return
        chosen = {name: options[name] for name in SQL_FLUSH_OPTIONS if name in options}
        statements = sql_flush(no_style(), connection, **chosen)
        with failure_explained(connection):
            connection.ops.execute_sql_flush(statements)
        # post_migrate puts back the rows other applications keep in their
        # tables (content types, permissions); as after syncdb, its
        # receivers decide from ``using`` whether rows belong on this alias.
        if not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(options["verbosity"], interactive, using=connection.alias)

    @staticmethod
    def confirmed(connection):
        """Whether the user typed 'yes' to emptying this database."""
        return input(CONFIRMATION % connection.settings_dict["NAME"]) == "yes"


@contextmanager
def failure_explained(connection):
    """Turn a failure of the statements into a CommandError that names the
    database and suggests the usual causes."""
    try:
        yield
    except Exception as exc:
        raise CommandError(
            "The database %r could not be emptied: %s\n"
            "Is the database server running, and do the settings name it? "
            "Do the tables of every installed model exist (syncdb creates "
            "them)?" % (connection.settings_dict["NAME"], exc)
        ) from exc
