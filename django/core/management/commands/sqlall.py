"""``sqlall APP_LABEL [...]``: print the CREATE TABLE and CREATE INDEX
statements of the given apps' models."""
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.core.management.sql import should_create, sql_create_models
from django.db import get_connection


class Command(BaseCommand):
    help = "Prints the CREATE TABLE and CREATE INDEX SQL statements for the given app name(s)."
    output_transaction = True
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("app_label", nargs="+", help="App label(s) of the application(s).")

    def handle(self, *app_labels, **options):
        app_labels = app_labels or options.get("app_label") or ()
        connection = get_connection()
        models = []
        for label in app_labels:
            try:
                app_config = apps.get_app_config(label)
            except LookupError as e:
                raise CommandError(str(e))
            models.extend(
                m for m in app_config.get_models(include_auto_created=True)
                if should_create(m, connection)
            )
        statements = sql_create_models(models, connection)
        return "\n".join(statements)
