import os
import shutil
import sys
from pathlib import Path

from django.db.backends.base.creation import BaseDatabaseCreation

# A shared-cache memory database lives as long as one connection to it is
# open. Wrappers come and go (reset_connections(), thread exit), so hold one
# driver connection per test database from creation until destruction.
_keepalive = {}


class DatabaseCreation(BaseDatabaseCreation):
    """
    Test databases on SQLite: in memory by default (shared between the
    threads of the process through a shared-cache URI), or a file when
    TEST_DATABASE_NAME names one.
    """

    @staticmethod
    def is_in_memory_db(database_name):
        return not isinstance(database_name, Path) and (
            database_name == ":memory:" or "mode=memory" in str(database_name)
        )

    def _get_test_db_name(self):
        test_database_name = self.connection.settings_dict.get("TEST_NAME") or ":memory:"
        if test_database_name == ":memory:":
            # A named shared-cache memory database: every connection of this
            # process opening the same URI sees the same database.
            return "file:memorydb_%s?mode=memory&cache=shared" % self.connection.alias
        return test_database_name

    def _create_test_db(self, verbosity, autoclobber, keepdb=False):
        test_database_name = self._get_test_db_name()

        if self.is_in_memory_db(test_database_name):
            if test_database_name not in _keepalive:
                _keepalive[test_database_name] = self.connection.Database.connect(
                    test_database_name, uri=True, check_same_thread=False
                )
            return test_database_name
        if keepdb:
            return test_database_name
        if not self.is_in_memory_db(test_database_name):
            # Erase the old test database (left by an interrupted run).
            if os.access(test_database_name, os.F_OK):
                if verbosity >= 1:
                    self.log(
                        "Destroying old test database%s..."
                        % self._get_database_display_str(verbosity, test_database_name)
                    )
                try:
                    os.remove(test_database_name)
                except Exception as e:
                    self.log("Got an error deleting the old test database: %s" % e)
                    sys.exit(2)
        return test_database_name

    def get_test_db_clone_settings(self, suffix):
        orig_settings_dict = self.connection.settings_dict
        source_database_name = orig_settings_dict["NAME"]
        if self.is_in_memory_db(source_database_name):
            return orig_settings_dict
        root, ext = os.path.splitext(str(source_database_name))
        return {**orig_settings_dict, "NAME": f"{root}_{suffix}{ext}"}

    def _clone_test_db(self, suffix, verbosity, keepdb=False):
        source_database_name = self.connection.settings_dict["NAME"]
        target_database_name = self.get_test_db_clone_settings(suffix)["NAME"]
        if not self.is_in_memory_db(source_database_name):
            if keepdb and os.access(target_database_name, os.F_OK):
                return
            if os.access(target_database_name, os.F_OK):
                os.remove(target_database_name)
            shutil.copy(source_database_name, target_database_name)

    def _destroy_test_db(self, test_database_name, verbosity):
        keepalive = _keepalive.pop(test_database_name, None)
        if keepalive is not None:
            keepalive.close()
        if test_database_name and not self.is_in_memory_db(test_database_name):
            # Remove the SQLite database file
            if os.access(test_database_name, os.F_OK):
                os.remove(test_database_name)

    def test_db_signature(self):
        """
        Return a tuple that uniquely identifies a test database.

        This takes into account the special cases of ":memory:" and "" for
        SQLite since the databases will be distinct despite having the same
        TEST NAME. See https://www.sqlite.org/inmemorydb.html
        """
        test_database_name = self._get_test_db_name()
        sig = [self.connection.settings_dict["NAME"]]
        if self.is_in_memory_db(test_database_name):
            sig.append(self.connection.alias)
        else:
            sig.append(test_database_name)
        return tuple(sig)
