"""``syncdb``: create the tables of installed models that don't exist yet,
on one database (``--database``, default 'default'): those the routers'
``allow_migrate`` permits there."""
from django.core.management.base import BaseCommand, add_database_argument
from django.core.management.sql import (
    emit_post_migrate_signal, emit_pre_migrate_signal, tables_to_create,
)
from django.db import connections


class Command(BaseCommand):
    help = "Create the database tables of installed models that don't have one yet."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do NOT prompt the user for input of any kind.",
        )
        add_database_argument(
            parser, "The database alias to create the tables on (the routers' "
                    "allow_migrate decides which tables belong there).",
        )
        parser.add_argument(
            "--run-syncdb", action="store_true",
            help="Accepted for compatibility with migrate: syncdb is what always runs.",
        )
        parser.add_argument(
            "--plan", action="store_true",
            help="List the tables syncdb would create, without creating anything.",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        interactive = options.get("interactive", True)
        connection = connections[options["database"]]
        if options.get("plan"):
            return self.show_plan(connection)
        alias = connection.alias
        emit_pre_migrate_signal(verbosity, interactive, using=alias)
        created = self.sync(connection, verbosity)
        emit_post_migrate_signal(verbosity, interactive, created_models=created, using=alias)

    def sync(self, connection, verbosity):
        """Create the missing tables the routers allow on ``connection`` in
        one schema editor; return the models whose tables were created.
        Foreign key constraints are added once every table exists (or are
        inline and deferred on SQLite), so the order does not matter and
        cycles are fine."""
        planned = tables_to_create(connection)
        if verbosity >= 1 and planned:
            self.stdout.write("Creating tables ...")
        with connection.schema_editor() as editor:
            for model, _field in planned:
                if verbosity >= 1:
                    self.stdout.write("Creating table %s" % model._meta.db_table)
                editor.create_table_alone(model)
            if verbosity >= 1 and editor.deferred_sql:
                self.stdout.write("Installing indexes ...")
        return [model for model, field in planned if field is None]

    def show_plan(self, connection):
        """``--plan``: the tables sync() would create, nothing executed."""
        lines = ["Planned operations:"]
        owners = set()
        for model, field in tables_to_create(connection):
            if field is None:
                owners.add(model)
                lines.append("  Create table %s (model %s)" % (model._meta.db_table, model._meta.label))
                continue
            # Nested under its model's line when that table is planned too.
            lead = "    with table" if field.model in owners else "  Create table"
            lines.append(
                "%s %s (many-to-many field %s.%s)"
                % (lead, model._meta.db_table, field.model._meta.label, field.name)
            )
        if len(lines) == 1:
            lines.append("  No planned operations.")
        self.stdout.write("\n".join(lines))
