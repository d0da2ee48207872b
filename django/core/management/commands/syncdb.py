"""``syncdb``: create the tables of installed models that don't exist yet."""
from django.core.management.base import BaseCommand
from django.core.management.sql import (
    auto_created_m2m_tables, creation_models, emit_post_migrate_signal, emit_pre_migrate_signal,
    installed_models, should_create,
)
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = "Create the database tables of installed models that don't have one yet."
    requires_system_checks = []
    # Accepted from call_command() only: the alias whose tables to create
    # (the test runner's, per test database). --database on the command
    # line comes with routers, which decide what belongs where.
    stealth_options = ("database",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do NOT prompt the user for input of any kind.",
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
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if options.get("plan"):
            return self.show_plan(connection)
        if connection.alias != DEFAULT_DB_ALIAS:
            # The pre/post signals' receivers (content types, permissions)
            # write through the ORM, which only reaches 'default' until
            # QuerySet.using() exists: the other aliases get tables only.
            self.sync(connection, verbosity)
            return
        emit_pre_migrate_signal(verbosity, interactive)
        created = self.sync(connection, verbosity)
        emit_post_migrate_signal(verbosity, interactive, created_models=created)

    def sync(self, connection, verbosity):
        """The one loop over models: decide per model, create the missing
        tables in one schema editor; return the models created."""
        existing = set(connection.introspection.table_names())
        to_create = []
        # Auto-created many-to-many tables come with their model; foreign
        # key constraints are added once every table exists (or are inline
        # and deferred on SQLite), so the order of models does not matter
        # and cycles are fine.
        for model in creation_models(installed_models(include_auto_created=True)):
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
                    # Created with the model, but tables all the same.
                    for field, table in auto_created_m2m_tables(model):
                        self.stdout.write("Creating table %s" % table)
                editor.create_model(model)
            if verbosity >= 1 and editor.deferred_sql:
                self.stdout.write("Installing indexes ...")
        return to_create

    def show_plan(self, connection):
        """``--plan``: the tables the sync loop would create (same decision:
        installed, should_create(), not existing yet), nothing executed."""
        existing = set(connection.introspection.table_names())
        lines = ["Planned operations:"]
        for model in creation_models(installed_models(include_auto_created=True)):
            table = model._meta.db_table
            if not should_create(model, connection) or table in existing:
                continue
            existing.add(table)
            lines.append("  Create table %s (model %s)" % (table, model._meta.label))
            for field, m2m_table in auto_created_m2m_tables(model):
                if m2m_table not in existing:
                    existing.add(m2m_table)
                    lines.append(
                        "    with table %s (many-to-many field %s.%s)"
                        % (m2m_table, model._meta.label, field.name)
                    )
        if len(lines) == 1:
            lines.append("  No planned operations.")
        self.stdout.write("\n".join(lines))
