"""Settings of the sharding example: users spread over two shards.

``shard0`` and ``shard1`` hold the accounts and their orders, each account
on the shard its username picks (``routers.shard_for``). ``default`` (every
project has one) holds the tables that are not sharded: none of this
project's, so it stays empty; ``django.contrib`` applications would go there.

SQLite files go to ``SHARDING_DATA_DIR`` (default: this project's
directory). For PostgreSQL or MariaDB, set the engine and the server; the
databases are then named ``<SHARDING_DATABASE_NAME>_<alias>`` and must exist
(``createdb sharding_default`` and so on)::

    SHARDING_DATABASE_ENGINE=postgresql SHARDING_DATABASE_HOST=127.0.0.1 \
        SHARDING_DATABASE_USER=postgres python manage.py demo
"""
import os

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.environ.get("SHARDING_DATA_DIR", HERE)
ENGINE = os.environ.get("SHARDING_DATABASE_ENGINE", "sqlite3")

DEBUG = False
SECRET_KEY = "example-only-not-secret"
TIME_ZONE = "UTC"
USE_TZ = True

# The order matters: a key's shard is its hash modulo len(SHARDS), so adding
# a shard moves most keys (README: limits).
SHARDS = ["shard0", "shard1"]
SHARDED_APPS = {"accounts"}


def database(alias):
    if ENGINE == "sqlite3":
        name = os.path.join(DATA_DIR, f"{alias}.sqlite3")
    else:
        name = "%s_%s" % (os.environ.get("SHARDING_DATABASE_NAME", "sharding"), alias)
    return {
        "ENGINE": ENGINE,
        "NAME": name,
        "USER": os.environ.get("SHARDING_DATABASE_USER", ""),
        "PASSWORD": os.environ.get("SHARDING_DATABASE_PASSWORD", ""),
        "HOST": os.environ.get("SHARDING_DATABASE_HOST", ""),
        "PORT": os.environ.get("SHARDING_DATABASE_PORT", ""),
    }


DATABASES = {alias: database(alias) for alias in ["default"] + SHARDS}

DATABASE_ROUTERS = ["shardsite.routers.ShardRouter"]

# fields.W380 asks db_for_write(Order) without an instance, gets no answer
# (no instance, no key: 'default') and warns that orders written on default
# would point at accounts kept off default. Orders are never written without
# their key here (ShardRouter): the warning does not apply to a sharded model.
SILENCED_SYSTEM_CHECKS = ["fields.W380"]

INSTALLED_APPS = ["accounts"]
