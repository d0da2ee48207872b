"""Test databases on SQLite: in memory, or a file."""
import os
import shutil
import sys
from pathlib import Path

from django.db.backends.base.creation import BaseDatabaseCreation, test_settings

# A shared-cache memory database lives as long as one connection to it is
# open. Wrappers come and go (settings changes, thread exit), so hold one
# driver connection per test database from creation until destruction.
_keepalive = {}


class DatabaseCreation(BaseDatabaseCreation):
    """
    Test databases on SQLite: in memory by default (shared between the
    threads of the process through a shared-cache URI), or a file when
    TEST['NAME'] names one.
    """

    @staticmethod
    def is_in_memory_db(database_name):
        if isinstance(database_name, Path):
            return False  # a Path is always a file on disk
        return database_name == ":memory:" or "mode=memory" in str(database_name)

    def _get_test_db_name(self):
        wanted = test_settings(self.connection).get("NAME") or ":memory:"
        if wanted != ":memory:":
            return wanted
        # ":memory:" would give each connection its own empty database; a
        # named shared-cache URI gives every thread of this process the
        # same one.
        return "file:memorydb_%s?mode=memory&cache=shared" % self.connection.alias

    def _remove_file(self, path):
        if os.access(path, os.F_OK):
            os.remove(path)

    def _create_test_db(self, verbosity, autoclobber, keepdb=False):
        """An in-memory database only needs its keep-alive connection; a
        file left behind by an interrupted run is removed (unless keepdb),
        so the run starts afresh."""
        name = self._get_test_db_name()
        if self.is_in_memory_db(name):
            self._keep_alive(name)
        elif not keepdb and os.access(name, os.F_OK):
            self._remove_left_over(name, verbosity)
        return name

    def _remove_left_over(self, path, verbosity):
        if verbosity >= 1:
            self.log("Destroying old test database%s..." % self._get_database_display_str(verbosity, path))
        try:
            os.remove(path)
        except OSError as exc:
            self.log("Got an error deleting the old test database: %s" % exc)
            sys.exit(2)

    def _keep_alive(self, name):
        if name not in _keepalive:
            _keepalive[name] = self.connection.Database.connect(name, uri=True, check_same_thread=False)

    def get_test_db_clone_settings(self, suffix):
        current = self.connection.settings_dict
        if self.is_in_memory_db(current["NAME"]):
            return current
        stem, extension = os.path.splitext(str(current["NAME"]))
        return dict(current, NAME="%s_%s%s" % (stem, suffix, extension))

    def _clone_test_db(self, suffix, verbosity, keepdb=False):
        source = self.connection.settings_dict["NAME"]
        if self.is_in_memory_db(source):
            return
        target = self.get_test_db_clone_settings(suffix)["NAME"]
        if keepdb and os.access(target, os.F_OK):
            return
        self._remove_file(target)
        shutil.copy(source, target)

    def _destroy_test_db(self, test_database_name, verbosity):
        holder = _keepalive.pop(test_database_name, None)
        if holder is not None:
            holder.close()  # last connection gone: the memory database is freed
        if test_database_name and not self.is_in_memory_db(test_database_name):
            self._remove_file(test_database_name)

    def test_db_signature(self):
        # Two in-memory test databases with the same name are still
        # distinct per wrapper alias; file databases are identified by path.
        name = self._get_test_db_name()
        distinct_by = self.connection.alias if self.is_in_memory_db(name) else name
        return (self.connection.settings_dict["NAME"], distinct_by)
