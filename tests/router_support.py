"""Routers the tests of several apps share (mgmt_commands, fixtures_data)."""


class KeepOff:
    """A router keeping the named apps or models ('app' or 'app.model')
    off one database; no opinion about anything else."""

    def __init__(self, alias, *labels):
        self.alias, self.labels = alias, set(labels)

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == self.alias and (app_label in self.labels or "%s.%s" % (app_label, model_name) in self.labels):
            return False
        return None
