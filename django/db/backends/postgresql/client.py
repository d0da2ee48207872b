"""``dbshell`` for PostgreSQL: runs psql."""
from django.db.backends.base.client import BaseDatabaseClient

# Connection settings given to psql as flags, in this order.
PSQL_FLAGS = (("USER", "-U"), ("HOST", "-h"), ("PORT", "-p"))
# OPTIONS that libpq reads from its environment variables.
LIBPQ_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
}


class DatabaseClient(BaseDatabaseClient):
    executable_name = "psql"
    cancels_on_interrupt = True

    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        """psql's flags and database, then ``parameters``; the password as
        PGPASSWORD and the SSL/service OPTIONS as libpq variables."""
        command = [cls.executable_name]
        for setting, flag in PSQL_FLAGS:
            if settings_dict.get(setting):
                command += [flag, str(settings_dict[setting])]
        command += [settings_dict.get("NAME") or "postgres", *parameters]
        options = settings_dict.get("OPTIONS") or {}
        environment = {
            variable: str(options[option])
            for option, variable in LIBPQ_VARIABLES.items() if options.get(option)
        }
        if settings_dict.get("PASSWORD"):
            environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
        return command, environment or None
