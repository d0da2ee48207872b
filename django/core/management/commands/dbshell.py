"""``dbshell``: the database's own command-line client, connected."""
import subprocess

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Runs the command-line client for the database named in DATABASE_ENGINE "
        "and DATABASE_NAME, with the connection settings."
    )

    requires_system_checks = []

    def add_arguments(self, parser):
        parameters = parser.add_argument_group("parameters", prefix_chars="--")
        parameters.add_argument(
            "parameters", nargs="*",
            help="Extra arguments for the client, after a '--'.",
        )

    def handle(self, **options):
        from django.db import get_connection

        connection = get_connection()
        try:
            connection.client.runshell(options["parameters"])
        except FileNotFoundError:
            # The client program (sqlite3, psql, mysql) is not installed.
            raise CommandError(
                "You appear not to have the %r program installed or on your path."
                % connection.client.executable_name
            ) from None
        except ImproperlyConfigured as exc:
            # The backend checks for the program itself and says which.
            raise CommandError(str(exc)) from None
        except subprocess.CalledProcessError as exc:
            raise CommandError(
                '"%s" returned non-zero exit status %s.'
                % (" ".join(map(str, exc.cmd)), exc.returncode),
                returncode=exc.returncode,
            ) from exc
