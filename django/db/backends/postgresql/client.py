"""``dbshell`` for PostgreSQL: runs psql."""
import signal

from django.db.backends.base.client import BaseDatabaseClient


class DatabaseClient(BaseDatabaseClient):
    executable_name = "psql"

    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        """
        The password goes to psql through PGPASSWORD, never on the command
        line (where any user could read it with ps). SSL options map to
        their libpq environment variables.
        """
        args = [cls.executable_name]
        options = settings_dict.get("OPTIONS") or {}
        host = settings_dict.get("HOST")
        port = settings_dict.get("PORT")
        user = settings_dict.get("USER")
        password = settings_dict.get("PASSWORD")
        dbname = settings_dict.get("NAME") or "postgres"
        if user:
            args += ["-U", user]
        if host:
            args += ["-h", host]
        if port:
            args += ["-p", str(port)]
        args.append(dbname)
        args.extend(parameters)

        env = {}
        if password:
            env["PGPASSWORD"] = str(password)
        for option, variable in (
            ("sslmode", "PGSSLMODE"),
            ("sslrootcert", "PGSSLROOTCERT"),
            ("sslcert", "PGSSLCERT"),
            ("sslkey", "PGSSLKEY"),
            ("passfile", "PGPASSFILE"),
            ("service", "PGSERVICE"),
            ("options", "PGOPTIONS"),
        ):
            if options.get(option):
                env[variable] = str(options[option])
        return args, (env or None)

    def runshell(self, parameters):
        # Let psql handle Ctrl-C (cancel the query) instead of dying with it.
        previous = signal.getsignal(signal.SIGINT)
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            super().runshell(parameters)
        finally:
            signal.signal(signal.SIGINT, previous)
