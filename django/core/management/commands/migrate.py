"""``migrate``: the modern name of ``syncdb`` (there are no migration files)."""
from django.core.management.commands.syncdb import Command as SyncdbCommand


class Command(SyncdbCommand):
    help = "Create the tables of installed models (same as syncdb; accepts --run-syncdb)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("app_label", nargs="?", help="Ignored: all installed apps are synced.")
        parser.add_argument("migration_name", nargs="?", help="Ignored: there are no migrations.")
