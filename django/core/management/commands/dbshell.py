"""``dbshell``: the database's own command-line client, connected."""
from subprocess import CalledProcessError

from django.core import exceptions
from django.core.management import BaseCommand, CommandError
from django.core.management.base import add_database_argument


class Command(BaseCommand):
    help = (
        "Runs the command-line client for a database (its ENGINE and NAME in "
        "DATABASES, 'default' unless --database names another), with the "
        "connection settings."
    )

    requires_system_checks = []

    def add_arguments(self, parser):
        add_database_argument(parser, "The database alias to open a shell on.")
        parameters = parser.add_argument_group("parameters", prefix_chars="--")
        parameters.add_argument(
            "parameters", nargs="*",
            help="Extra arguments for the client, after a '--'.",
        )

    def handle(self, **options):
        from django.db import connections

        client = connections[options["database"]].client
        try:
            client.runshell(options["parameters"])
        except (FileNotFoundError, exceptions.ImproperlyConfigured, CalledProcessError) as exc:
            raise _explain(exc, client) from exc


def _explain(exc, client):
    """The CommandError to show for a failure of the database client."""
    if isinstance(exc, FileNotFoundError):
        # The client program (sqlite3, psql, mysql) is not installed.
        return CommandError(
            "You appear not to have the %r program installed or on your path."
            % client.executable_name
        )
    if isinstance(exc, CalledProcessError):
        # Exit with the client's own status.
        command_line = " ".join(str(part) for part in exc.cmd)
        return CommandError(
            '"%s" returned non-zero exit status %s.' % (command_line, exc.returncode),
            returncode=exc.returncode,
        )
    # ImproperlyConfigured: the backend found the problem and says which.
    return CommandError(str(exc))
