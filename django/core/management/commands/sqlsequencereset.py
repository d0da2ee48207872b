"""``sqlsequencereset APP_LABEL...``: print the SQL that moves each model's
primary key sequence past the largest id in its table."""
from django.core.management.base import AppCommand, add_database_argument
from django.db import connections, router


class Command(AppCommand):
    help = "Print the SQL that resets the primary key sequences of the applications' models."
    output_transaction = True
    requires_system_checks = []

    def add_arguments(self, parser):
        super().add_arguments(parser)
        add_database_argument(
            parser, "The database alias to print the statements for (only the tables "
                    "the routers' allow_migrate places there).",
        )

    def handle_app_config(self, app_config, **options):
        alias = options["database"]
        # A proxy's sequence is its concrete model's: judged as that one.
        models = [
            model for model in app_config.get_models(include_auto_created=True)
            if router.allow_migrate_model(alias, model._meta.concrete_model)
        ]
        if not models:
            return None
        sql = connections[alias].ops.sequence_reset_sql(self.style, models)
        if not sql and options["verbosity"] >= 1:
            self.stderr.write("No sequences found.")
        return "\n".join(sql)
