"""Settings of the functional multi-database example.

Three databases, one job each:

* ``default``: the shop, the new application (its orders);
* ``users``: ``django.contrib.auth`` and ``django.contrib.contenttypes``,
  moved there by the router alone (their code is unchanged);
* ``legacy``: an inventory database that another program owns; we read and
  update it through models written by ``inspectdb`` (``managed = False``).

SQLite files by default, in ``MULTIDB_DATA_DIR`` (the project directory if
unset). For PostgreSQL or MariaDB set ``MULTIDB_ENGINE`` (``postgresql`` or
``mysql``) and the connection variables below; each alias then uses the
database ``<MULTIDB_NAME_PREFIX><alias>`` (``functional_default``,
``functional_users``, ``functional_legacy``), which must exist.
"""
import os

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.environ.get("MULTIDB_DATA_DIR", HERE)
ENGINE = os.environ.get("MULTIDB_ENGINE", "sqlite3")


def database(alias):
    if ENGINE == "sqlite3":
        return {"ENGINE": ENGINE, "NAME": os.path.join(DATA_DIR, alias + ".sqlite3")}
    return {
        "ENGINE": ENGINE,
        "NAME": os.environ.get("MULTIDB_NAME_PREFIX", "functional_") + alias,
        "HOST": os.environ.get("MULTIDB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("MULTIDB_PORT", ""),
        "USER": os.environ.get("MULTIDB_USER", ""),
        "PASSWORD": os.environ.get("MULTIDB_PASSWORD", ""),
    }


DATABASES = {alias: database(alias) for alias in ("default", "users", "legacy")}
DATABASE_ROUTERS = ["functionalsite.routers.AppRouter"]

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "shop", "inventory"]

SECRET_KEY = "example-only-not-secret"
TIME_ZONE = "UTC"
USE_TZ = True
