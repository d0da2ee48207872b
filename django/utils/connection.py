"""What every per-alias resource handler shares (only databases, for now)."""


class ConnectionDoesNotExist(Exception):
    """An alias was asked for that the settings do not configure.

    Re-exported by ``django.db.utils``; the message names the alias and the
    configured ones.
    """
