"""``remove_stale_contenttypes``: delete content types with no model, on
one database (``--database``, default 'default': each database has its own
rows)."""
from django.contrib.contenttypes.management import stale_contenttypes
from django.core.management.base import BaseCommand, add_database_argument


class Command(BaseCommand):
    help = "Deletes stale content types (those whose model is not installed)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--include-stale-apps", action="store_true", default=False,
            help="Also delete the content types of apps no longer in INSTALLED_APPS.",
        )
        add_database_argument(parser, "The database whose content types are examined.")

    def handle(self, **options):
        using = options["database"]  # checked by BaseCommand.execute()
        stale = stale_contenttypes(include_removed_apps=options["include_stale_apps"], using=using)
        verbosity = options["verbosity"]
        if not stale:
            if verbosity >= 1:
                self.stdout.write("No stale content types on the database '%s'." % using)
            return
        names = ", ".join("%s.%s" % (ct.app_label, ct.model) for ct in stale)
        if options["interactive"]:
            answer = input(
                "The following content types on the database '%s' are stale and will be "
                "deleted, with every object related to them (e.g. permissions):\n    %s\n"
                "Type 'yes' to continue, or 'no' to cancel: " % (using, names)
            )
            if answer != "yes":
                self.stdout.write("Stale content types were not deleted.")
                return
        for ct in stale:
            # On the database examined, whatever the routers say about writes.
            ct.delete(using=using)
        if verbosity >= 1:
            self.stdout.write("Deleted stale content types: %s (database '%s')" % (names, using))
