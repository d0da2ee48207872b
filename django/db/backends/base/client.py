"""Launching the database's own command-line client (``dbshell``)."""
import os
import shutil
import subprocess


class BaseDatabaseClient:
    # Name of the client program looked up on PATH, e.g. "psql".
    executable_name = None

    def __init__(self, connection):
        self.connection = connection

    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        """
        The vendor part: the argument list for the client and extra
        environment variables (None to inherit ours unchanged) -- passwords
        travel in the environment so they never show in ``ps``.
        """
        raise NotImplementedError(
            "subclasses of BaseDatabaseClient must provide a "
            "settings_to_cmd_args_env() method or override a runshell()."
        )

    def runshell(self, parameters):
        args, extra_env = self.settings_to_cmd_args_env(self.connection.settings_dict, parameters)
        program = args[0]
        if shutil.which(program) is None:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                "You appear not to have the %r program installed or on your path." % program
            )
        subprocess.run(args, env=dict(os.environ, **extra_env) if extra_env else None, check=True)
