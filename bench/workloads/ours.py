"""This project's ORM (installed from the repo into its own venv).

The same file configures every revision ``ours@REV`` measures, so the
settings are chosen by what the imported ``django`` offers: ``DATABASES``
(one alias, ``default``) where ``django.db`` has ``connections``, the flat
single-database settings of the revisions before it (``DATABASE_ENGINE``,
``DATABASE_NAME``, ...) otherwise. The schema comes from ``syncdb``.
Relations are detected at run time: without ``ForeignKey`` the item's group
is a plain indexed integer column and W6 is n/a.

W9 (a process of its own) adds the aliases ``w9a``, ``w9b``, ``w9c`` for its
three databases and the router of ``django_api``; syncdb runs on each. A
revision without ``DATABASES`` or without routers reads n/a there.
"""
import database

ENGINES = {"sqlite": "sqlite3", "postgresql": "postgresql", "mysql": "mysql"}


def database_settings(db, multi_db):
    """The settings naming the bench database ``db``: ``{"DATABASES": ...}``
    for a django with ``connections`` (``multi_db``), else the flat
    ``DATABASE_*`` ones, which newer revisions would warn about. With W9's
    databases (``db["w9"]``), ``DATABASES`` names them too."""
    if multi_db:
        aliases = {"default": _entry(db)}
        aliases.update(zip(database.W9_ALIASES, map(_entry, db.get("w9", []))))
        return {"DATABASES": aliases}
    return {"DATABASE_" + key: value for key, value in _entry(db).items()}


def _entry(db):
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
    return entry


class Implementation:
    def __init__(self, db, workdir):
        from django.db import models
        has_fk = hasattr(models, "ForeignKey")
        from workloads import django_api
        django_api.write_app(workdir, with_fk=has_fk)

        import django.db
        from django.conf import settings
        multi_db = hasattr(django.db, "connections")
        self.unsupported = {} if has_fk else {"W6": "n/a (relations not landed)"}
        if "w9" in db and not multi_db:
            self.unsupported["W9"] = "n/a (no DATABASES)"
        elif "w9" in db and not hasattr(django.db, "router"):
            self.unsupported["W9"] = "n/a (no routers)"
        w9 = "w9" in db and "W9" not in self.unsupported
        settings.configure(
            DEBUG=False,
            USE_TZ=False,
            INSTALLED_APPS=["benchapp"],
            **database_settings(db if w9 else {k: v for k, v in db.items() if k != "w9"}, multi_db),
            **({"DATABASE_ROUTERS": [django_api.W9_ROUTER]} if w9 else {}),
        )
        import django
        django.setup()
        from django.core.management import call_command
        call_command("syncdb", verbosity=0)
        for alias in database.W9_ALIASES if w9 else ():
            try:
                call_command("syncdb", verbosity=0, database=alias)
            except Exception as exc:  # a revision before syncdb --database
                self.unsupported["W9"] = "n/a (syncdb --database: %s)" % exc
                break

        from benchapp.models import Group, Item
        self.Group, self.Item = Group, Item
        self.notes = [] if has_fk else ["ForeignKey not importable; group_id is a plain IntegerField"]
        self._workloads = django_api.DjangoAPIWorkloads()
        self._workloads.Item, self._workloads.Group = Item, Group

    def __getattr__(self, name):
        return getattr(self._workloads, name)

    def close(self):
        import django.db
        if hasattr(django.db, "connections"):
            django.db.connections.close_all()
        else:
            django.db.connection.close()
