"""Small helpers shared by management commands."""
import os
import secrets
import shutil
import string

_SECRET_CHARS = string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)"


def get_random_secret_key():
    """A 50-character random string suitable for SECRET_KEY."""
    return "".join(secrets.choice(_SECRET_CHARS) for _ in range(50))


def find_command(cmd, path=None, pathext=None):
    """The full path of executable ``cmd`` on ``path`` (PATH by default), or None."""
    if path is None:
        path = os.environ.get("PATH", "")
    if isinstance(path, (list, tuple)):
        path = os.pathsep.join(path)
    return shutil.which(cmd, path=path)
