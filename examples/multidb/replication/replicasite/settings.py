"""Settings of the primary/replicas example: one primary, two replicas.

``default`` is the primary, the only database written to; ``replica1`` and
``replica2`` are read-only copies of it. SQLite has no replication, so the
replicas are separate files that ``manage.py replicate`` refreshes from the
primary: until it runs, they lag behind, as a real replica does.

SQLite files go to ``REPLICATION_DATA_DIR`` (default: this project's
directory). For PostgreSQL or MariaDB, set the engine and the server; the
three databases are then named ``<REPLICATION_DATABASE_NAME>_<alias>`` and
must exist (``createdb replication_default`` and so on)::

    REPLICATION_DATABASE_ENGINE=postgresql REPLICATION_DATABASE_HOST=127.0.0.1 \
        REPLICATION_DATABASE_USER=postgres python manage.py demo
"""
import os

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.environ.get("REPLICATION_DATA_DIR", HERE)
ENGINE = os.environ.get("REPLICATION_DATABASE_ENGINE", "sqlite3")

DEBUG = False
SECRET_KEY = "example-only-not-secret"
TIME_ZONE = "UTC"
USE_TZ = True

PRIMARY = "default"
REPLICAS = ["replica1", "replica2"]


def database(alias):
    if ENGINE == "sqlite3":
        name = os.path.join(DATA_DIR, f"{alias}.sqlite3")
    else:
        name = "%s_%s" % (os.environ.get("REPLICATION_DATABASE_NAME", "replication"), alias)
    entry = {
        "ENGINE": ENGINE,
        "NAME": name,
        "USER": os.environ.get("REPLICATION_DATABASE_USER", ""),
        "PASSWORD": os.environ.get("REPLICATION_DATABASE_PASSWORD", ""),
        "HOST": os.environ.get("REPLICATION_DATABASE_HOST", ""),
        "PORT": os.environ.get("REPLICATION_DATABASE_PORT", ""),
    }
    if alias != PRIMARY:
        # Under test a replica has no database of its own: it reads the
        # primary's, so tests see their writes as if replication were instant.
        entry["TEST"] = {"MIRROR": PRIMARY}
    return entry


DATABASES = {alias: database(alias) for alias in [PRIMARY] + REPLICAS}

# The plain split: writes to the primary, reads spread over the replicas.
# routers.ReadYourWritesRouter is the recipe for the replication lag.
DATABASE_ROUTERS = ["replicasite.routers.PrimaryReplicaRouter"]

INSTALLED_APPS = ["shop"]
