"""Settings of the shadowing example.

Two databases:

* ``snapshot``: a copy of production (last night's dump, say), opened
  read-only: the connection itself refuses writes;
* ``default``: the local database. It holds the tables named in
  ``SHADOWED_MODELS`` and nothing else; those tables *shadow* the
  snapshot's: reads and writes of those models go there.

``snapshot_build`` is the same database as ``snapshot``, writable. Only the
demo uses it, to play last night's restore; in real life the snapshot comes
from elsewhere and this alias does not exist.

SQLite files by default, in ``MULTIDB_DATA_DIR`` (the project directory if
unset). For PostgreSQL or MariaDB set ``MULTIDB_ENGINE`` (``postgresql`` or
``mysql``) and the connection variables below; the databases are then
``<MULTIDB_NAME_PREFIX>local`` and ``<MULTIDB_NAME_PREFIX>snapshot``
(``shadowing_local``, ``shadowing_snapshot``), which must exist.
"""
import os
import pathlib

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.environ.get("MULTIDB_DATA_DIR", HERE)
ENGINE = os.environ.get("MULTIDB_ENGINE", "sqlite3")

# The models whose local table overrides the snapshot's ("app_label.model").
SHADOWED_MODELS = {"catalog.category", "catalog.price"}

# How each engine opens a connection that cannot write.
READ_ONLY = {
    # SQLite: a "file:" URI with mode=ro (the backend opens NAME as a URI).
    "sqlite3": lambda entry: dict(entry, NAME=pathlib.Path(entry["NAME"]).as_uri() + "?mode=ro"),
    # PostgreSQL: every transaction of the session is READ ONLY.
    "postgresql": lambda entry: dict(entry, OPTIONS={"options": "-c default_transaction_read_only=on"}),
    # MariaDB/MySQL: the same, run by the driver when it connects.
    "mysql": lambda entry: dict(entry, OPTIONS={"init_command": "SET SESSION TRANSACTION READ ONLY"}),
}


def database(name):
    if ENGINE == "sqlite3":
        return {"ENGINE": ENGINE, "NAME": os.path.join(DATA_DIR, name + ".sqlite3")}
    return {
        "ENGINE": ENGINE,
        "NAME": os.environ.get("MULTIDB_NAME_PREFIX", "shadowing_") + name,
        "HOST": os.environ.get("MULTIDB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("MULTIDB_PORT", ""),
        "USER": os.environ.get("MULTIDB_USER", ""),
        "PASSWORD": os.environ.get("MULTIDB_PASSWORD", ""),
    }


DATABASES = {
    "default": database("local"),
    "snapshot": READ_ONLY[ENGINE](database("snapshot")),
    "snapshot_build": database("snapshot"),
}
DATABASE_ROUTERS = ["shadowsite.routers.ShadowRouter"]

# fields.W380: Product.category keeps its constraint although the routers put
# Category (shadowed) on 'default'. Right here: on the snapshot both tables
# are the snapshot's own and consistent, and nothing here writes products.
SILENCED_SYSTEM_CHECKS = ["fields.W380"]

INSTALLED_APPS = ["catalog"]

SECRET_KEY = "example-only-not-secret"
TIME_ZONE = "UTC"
USE_TZ = True
