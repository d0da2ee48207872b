"""``manage.py replicate``: copy the primary's rows to the replicas.

SQLite has no replication, so this command plays the part of the server's
replication stream: it empties each replica and loads a dump of the primary
into it, through the ordinary ``dumpdata``/``flush``/``loaddata`` commands
and their ``--database`` option, which work on every engine. Until it runs,
the replicas show the data as it was at the last copy: the lag is real.
On a real primary/replica set-up (PostgreSQL streaming replication, MariaDB
replication) the server does this continuously and this command is not used.
"""
import os
import tempfile

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = "Copy the primary's rows to the replicas (all of them, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("replicas", nargs="*", metavar="replica",
                            help="Replica aliases to refresh (default: all of settings.REPLICAS).")

    def handle(self, *args, **options):
        replicas = options["replicas"]
        unknown = [alias for alias in replicas if alias not in settings.REPLICAS]
        if unknown:
            raise CommandError("Not a replica: %s; settings.REPLICAS is %s."
                               % (", ".join(map(repr, unknown)), ", ".join(map(repr, settings.REPLICAS))))
        fd, dump = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        try:
            call_command("dumpdata", "shop", database=settings.PRIMARY, output=dump, verbosity=0)
            for alias in replicas or settings.REPLICAS:
                # A replica is a copy: nothing of its own survives a refresh.
                call_command("flush", database=alias, interactive=False, verbosity=0)
                call_command("loaddata", dump, database=alias, verbosity=0)
                # Start the next read on a fresh connection to the new copy.
                connections[alias].close()
                self.stdout.write(f"replicated {settings.PRIMARY} -> {alias}")
        finally:
            os.remove(dump)
