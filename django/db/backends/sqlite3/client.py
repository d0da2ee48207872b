"""``dbshell`` for SQLite: the sqlite3 shell on the database file."""
from django.db.backends.base.client import BaseDatabaseClient


class DatabaseClient(BaseDatabaseClient):
    executable_name = "sqlite3"

    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        # A file needs no host or credentials, so no environment either.
        return [cls.executable_name, settings_dict["NAME"], *parameters], None
