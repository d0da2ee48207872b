"""This project's ORM (installed from the repo into its own venv).

The same file configures every revision ``ours@REV`` measures, so the
settings are chosen by what the imported ``django`` offers: ``DATABASES``
(one alias, ``default``) where ``django.db`` has ``connections``, the flat
single-database settings of the revisions before it (``DATABASE_ENGINE``,
``DATABASE_NAME``, ...) otherwise. The schema comes from ``syncdb``.
Relations are detected at run time: without ``ForeignKey`` the item's group
is a plain indexed integer column and W6 is n/a.
"""
ENGINES = {"sqlite": "sqlite3", "postgresql": "postgresql", "mysql": "mysql"}


def database_settings(db, multi_db):
    """The settings naming the bench database ``db``: ``{"DATABASES": ...}``
    for a django with ``connections`` (``multi_db``), else the flat
    ``DATABASE_*`` ones, which newer revisions would warn about."""
    backend = db["backend"]
    server = backend != "sqlite"
    entry = {
        "ENGINE": ENGINES[backend],
        "NAME": db["name"] if server else db["path"],
        "HOST": db["host"] if server else "",
        "PORT": str(db["port"]) if server else "",
        "USER": db["user"] if server else "",
        "PASSWORD": (db["password"] or "") if server else "",
    }
    if multi_db:
        return {"DATABASES": {"default": entry}}
    return {"DATABASE_" + key: value for key, value in entry.items()}


class Implementation:
    def __init__(self, db, workdir):
        from django.db import models
        has_fk = hasattr(models, "ForeignKey")
        from workloads import django_api
        django_api.write_app(workdir, with_fk=has_fk)

        import django.db
        from django.conf import settings
        multi_db = hasattr(django.db, "connections")
        settings.configure(
            DEBUG=False,
            USE_TZ=False,
            INSTALLED_APPS=["benchapp"],
            **database_settings(db, multi_db),
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
