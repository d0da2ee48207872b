"""Launching the database's own command-line client (``dbshell``).

A vendor says how its settings become the client's command line and
environment (``settings_to_cmd_args_env``); running the program, checking
that it exists and lending it Ctrl-C are the same for everyone and live
here.
"""
import contextlib
import os
import shutil
import signal
import subprocess


@contextlib.contextmanager
def interrupts_go_to_the_client():
    """Ignore SIGINT in this process while the client runs: psql and the
    MariaDB client cancel the running statement on Ctrl-C, and that must
    not end the ``dbshell`` command around them."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class BaseDatabaseClient:
    # Name of the client program looked up on PATH, e.g. "psql".
    executable_name = None
    # True where the client answers Ctrl-C itself (by cancelling a query).
    cancels_on_interrupt = False

    def __init__(self, connection):
        self.connection = connection

    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        """
        The vendor part: ``(command line, extra environment or None)``.
        Passwords travel in the environment so that ``ps`` never shows them.
        """
        raise NotImplementedError(
            "subclasses of BaseDatabaseClient must provide a "
            "settings_to_cmd_args_env() method or override a runshell()."
        )

    def runshell(self, parameters):
        command, extra_env = self.settings_to_cmd_args_env(self.connection.settings_dict, parameters)
        if shutil.which(command[0]) is None:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                "You appear not to have the %r program installed or on your path." % command[0]
            )
        environment = {**os.environ, **extra_env} if extra_env else None
        guard = interrupts_go_to_the_client() if self.cancels_on_interrupt else contextlib.nullcontext()
        with guard:
            subprocess.run(command, env=environment, check=True)
