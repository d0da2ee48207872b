"""Django 6.1 from PyPI, in its own venv, settings configured in-process.

Its MySQL backend wants mysqlclient; every implementation here uses
PyMySQL instead (the same driver for all), installed as ``MySQLdb`` and
reporting a mysqlclient-compatible version so Django accepts it.
"""
import database

ENGINES = {"sqlite": "sqlite3", "postgresql": "postgresql", "mysql": "mysql"}


class Implementation:
    def __init__(self, db, workdir):
        backend = db["backend"]
        if backend == "mysql":
            import pymysql
            pymysql.install_as_MySQLdb()
            pymysql.version_info = (2, 2, 7, "final", 0)
            pymysql.__version__ = "2.2.7"
        from workloads import django_api
        django_api.write_app(workdir, with_fk=True)

        from django.conf import settings
        aliases = {"default": _entry(db)}
        # W9 (a process of its own): its three databases and the router.
        aliases.update(zip(database.W9_ALIASES, map(_entry, db.get("w9", []))))
        settings.configure(
            DEBUG=False,
            USE_TZ=False,
            INSTALLED_APPS=["benchapp"],
            DATABASES=aliases,
            DATABASE_ROUTERS=[django_api.W9_ROUTER] if "w9" in db else [],
            DEFAULT_AUTO_FIELD="django.db.models.AutoField",  # same key type as ours
        )
        import django
        django.setup()
        from django.db import connections
        from benchapp.models import Group, Item
        for alias in aliases:
            with connections[alias].schema_editor() as editor:
                editor.create_model(Group)
                editor.create_model(Item)
        self.Group, self.Item = Group, Item
        self.notes = ["PyMySQL installed as MySQLdb (for its MySQL backend)"] if backend == "mysql" else []
        self._workloads = django_api.DjangoAPIWorkloads()
        self._workloads.Item, self._workloads.Group = Item, Group

    def __getattr__(self, name):
        return getattr(self._workloads, name)

    def close(self):
        from django.db import connections
        connections.close_all()


def _entry(db):
    """The DATABASES entry of one bench database."""
    if db["backend"] == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": db["path"]}
    return {"ENGINE": "django.db.backends." + ENGINES[db["backend"]], "NAME": db["name"],
            "HOST": db["host"], "PORT": str(db["port"]), "USER": db["user"],
            "PASSWORD": db["password"] or ""}
