"""One router places each application on its database.

The whole decision is this table: an application label -> an alias. The
applications themselves (``django.contrib.auth`` included) know nothing
about it; moving one is a change of this table and a ``syncdb``.
"""

APP_DATABASES = {
    # contenttypes goes with auth: Permission has a foreign key to ContentType,
    # and users' permissions are read with their content types.
    "auth": "users",
    "contenttypes": "users",
    "inventory": "legacy",
}


def database_of(app_label):
    return APP_DATABASES.get(app_label, "default")


class AppRouter:
    def db_for_read(self, model, **hints):
        return database_of(model._meta.app_label)

    def db_for_write(self, model, **hints):
        return database_of(model._meta.app_label)

    def allow_relation(self, obj1, obj2, **hints):
        # An order points at a user (users) and an item (legacy). Each of
        # these keys is declared db_constraint=False: no database can check
        # a key whose row lives in another one.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Each table on its application's database only. For 'legacy' this
        # is moot (inspectdb models are managed = False: syncdb never
        # creates them) but it keeps every other table off that database.
        return db == database_of(app_label)
