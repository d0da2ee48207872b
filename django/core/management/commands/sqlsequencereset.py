"""``sqlsequencereset APP_LABEL...``: print the SQL that moves each model's
primary key sequence past the largest id in its table (on one database,
``--database``: only the tables the routers place there)."""
from django.core.management.base import AppCommand, add_database_argument
from django.db import connections, router


class Command(AppCommand):
    help = "Print the SQL that resets the primary key sequences of the applications' models."
    output_transaction = True
    requires_system_checks = []

    def handle_app_config(self, app_config, **options):
        alias = options["database"]
        models = placed_on(alias, app_config)
        if not models:
            return None  # nothing of this app lives on that database
        reset = connections[alias].ops.sequence_reset_sql(self.style, models)
        if not reset and options["verbosity"] > 0:
            self.stderr.write("No sequences found.")
        return "\n".join(reset)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        add_database_argument(
            parser, "The database alias to print the statements for (only the tables "
                    "the routers' allow_migrate places there).",
        )


def placed_on(alias, app_config):
    """The app's models (auto-created ones included) whose table the routers
    place on ``alias``; a proxy is judged as its concrete model, whose
    table (and sequence) it uses."""
    return [
        model for model in app_config.get_models(include_auto_created=True)
        if router.allow_migrate_model(alias, model._meta.concrete_model)
    ]
