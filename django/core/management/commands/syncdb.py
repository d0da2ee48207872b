"""``syncdb``: create the tables of installed models that don't exist yet."""
from django.core.management.base import BaseCommand
from django.core.management.sql import (
    emit_post_migrate_signal, emit_pre_migrate_signal, installed_models, should_create,
)
from django.db import get_connection


class Command(BaseCommand):
    help = "Create the database tables of installed models that don't have one yet."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--run-syncdb", action="store_true",
            help="Accepted for compatibility with migrate: syncdb is what always runs.",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        interactive = options.get("interactive", True)
        connection = get_connection()
        emit_pre_migrate_signal(verbosity, interactive)
        created = self.sync(connection, verbosity)
        emit_post_migrate_signal(verbosity, interactive, created_models=created)

    def sync(self, connection, verbosity):
        """The one loop over models: decide per model, create the missing
        tables in one schema editor; return the models created."""
        existing = set(connection.introspection.table_names())
        to_create = []
        for model in installed_models(include_auto_created=True):
            if not should_create(model, connection):
                continue
            table = model._meta.db_table
            if table in existing:
                continue
            existing.add(table)
            to_create.append(model)
        if verbosity >= 1 and to_create:
            self.stdout.write("Creating tables ...")
        with connection.schema_editor() as editor:
            for model in to_create:
                if verbosity >= 1:
                    self.stdout.write("Creating table %s" % model._meta.db_table)
                editor.create_model(model)
            if verbosity >= 1 and editor.deferred_sql:
                self.stdout.write("Installing indexes ...")
        return to_create
