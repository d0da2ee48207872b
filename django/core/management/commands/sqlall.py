"""``sqlall APP_LABEL [...]``: print the CREATE TABLE and CREATE INDEX
statements of the given apps' models."""
from django.core.management.base import BaseCommand, add_database_argument, installed_app_config
from django.core.management.sql import should_create, sql_create_models
from django.db import connections


class Command(BaseCommand):
    help = "Prints the CREATE TABLE and CREATE INDEX SQL statements for the given app name(s)."
    output_transaction = True
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("app_label", nargs="+", help="App label(s) of the application(s).")
        add_database_argument(
            parser, "The database alias to print the statements for (only the tables "
                    "the routers' allow_migrate places there).",
        )

    def handle(self, *app_labels, **options):
        connection = connections[options["database"]]
        configs = [installed_app_config(label) for label in options["app_label"]]
        models = [
            model for config in configs
            for model in config.get_models(include_auto_created=True)
            if should_create(model, connection)
        ]
        return "\n".join(sql_create_models(models, connection))
