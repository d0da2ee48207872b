"""``flush``: empty every table of the installed, managed models."""
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal, sql_flush
from django.db import get_connection


class Command(BaseCommand):
    help = (
        "Removes ALL DATA from the database: every table of the installed "
        "models is emptied (the tables stay)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do NOT prompt the user for input of any kind.",
        )

    def handle(self, **options):
        verbosity = options["verbosity"]
        interactive = options.get("interactive", True)
        reset_sequences = options.get("reset_sequences", True)
        allow_cascade = options.get("allow_cascade", False)
        inhibit_post_migrate = options.get("inhibit_post_migrate", False)
        connection = get_connection()

        sql_list = sql_flush(
            no_style(), connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if interactive:
            confirm = input(
                "You have requested a flush of the database.\n"
                "This will IRREVERSIBLY DESTROY all data currently in the %r database,\n"
                "and return each table to an empty state.\n"
                "Are you sure you want to do this?\n\n"
                "    Type 'yes' to continue, or 'no' to cancel: " % connection.settings_dict["NAME"]
            )
        else:
            confirm = "yes"
        if confirm != "yes":
            self.stdout.write("Flush cancelled.")
            return
        try:
            connection.ops.execute_sql_flush(sql_list)
        except Exception as exc:
            raise CommandError(
                "Database %s couldn't be flushed. Possible reasons:\n"
                "  * The database isn't running or isn't configured correctly.\n"
                "  * At least one of the expected database tables doesn't exist.\n"
                "  * The SQL was invalid.\n"
                "The full error: %s" % (connection.settings_dict["NAME"], exc)
            ) from exc
        # Default rows (content types, permissions...) are recreated here.
        if not inhibit_post_migrate:
            emit_post_migrate_signal(verbosity, interactive)

    stealth_options = ("reset_sequences", "allow_cascade", "inhibit_post_migrate")
