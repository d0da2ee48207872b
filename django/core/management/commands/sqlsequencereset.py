"""``sqlsequencereset APP_LABEL...``: print the SQL that moves each model's
primary key sequence past the largest id in its table."""
from django.core.management.base import AppCommand
from django.db import DEFAULT_DB_ALIAS, connections


class Command(AppCommand):
    help = "Print the SQL that resets the primary key sequences of the applications' models."
    output_transaction = True
    requires_system_checks = []

    def handle_app_config(self, app_config, **options):
        models = list(app_config.get_models(include_auto_created=True))
        if not models:
            return None
        sql = connections[DEFAULT_DB_ALIAS].ops.sequence_reset_sql(self.style, models)
        if not sql and options["verbosity"] >= 1:
            self.stderr.write("No sequences found.")
        return "\n".join(sql)
