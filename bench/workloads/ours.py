"""This project's ORM (installed from the repo into its own venv).

Settings are the pre-multi-database single-database ones
(``DATABASE_ENGINE``, ``DATABASE_NAME``, ...); the schema comes from
``syncdb``. Relations are detected at run time: without ``ForeignKey``
the item's group is a plain indexed integer column and W6 is n/a.
"""
ENGINES = {"sqlite": "sqlite3", "postgresql": "postgresql", "mysql": "mysql"}


class Implementation:
    def __init__(self, db, workdir):
        from django.db import models
        has_fk = hasattr(models, "ForeignKey")
        from workloads import django_api
        django_api.write_app(workdir, with_fk=has_fk)

        from django.conf import settings
        backend = db["backend"]
        settings.configure(
            DEBUG=False,
            USE_TZ=False,
            INSTALLED_APPS=["benchapp"],
            DATABASE_ENGINE=ENGINES[backend],
            DATABASE_NAME=db["path"] if backend == "sqlite" else db["name"],
            DATABASE_HOST="" if backend == "sqlite" else db["host"],
            DATABASE_PORT="" if backend == "sqlite" else str(db["port"]),
            DATABASE_USER="" if backend == "sqlite" else db["user"],
            DATABASE_PASSWORD="" if backend == "sqlite" else (db["password"] or ""),
        )
        import django
        django.setup()
        from django.core.management import call_command
        call_command("syncdb", verbosity=0)

        from benchapp.models import Group, Item
        self.Group, self.Item = Group, Item
        self.unsupported = {} if has_fk else {"W6": "n/a (relations not landed)"}
        self.notes = [] if has_fk else ["ForeignKey not importable; group_id is a plain IntegerField"]
        self._workloads = django_api.DjangoAPIWorkloads()
        self._workloads.Item, self._workloads.Group = Item, Group

    def __getattr__(self, name):
        return getattr(self._workloads, name)

    def close(self):
        from django.db import connection
        connection.close()
