"""Creating and destroying the test database."""
import sys

# The prefix put in front of NAME to build the test database name.
TEST_DATABASE_PREFIX = "test_"


class BaseDatabaseCreation:
    """
    Create and destroy the test database for one connection. Backends
    override the ``_`` methods; the public ones are the test runner's API.
    """

    def __init__(self, connection):
        self.connection = connection

    def _nodb_cursor(self):
        return self.connection._nodb_cursor()

    def log(self, msg):
        sys.stderr.write(msg + "\n")

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=False, keepdb=False):
        """
        Create a test database, build its schema (``syncdb``) if the command
        is available, and point the connection at it. Return its name.
        """
        test_database_name = self._get_test_db_name()

        if verbosity >= 1:
            action = "Creating"
            if keepdb:
                action = "Using existing"
            self.log(
                "%s test database%s..."
                % (action, self._get_database_display_str(verbosity, test_database_name))
            )

        # We could skip this call if keepdb is True, but we instead
        # give it the keepdb param. This is to handle the case
        # where the test DB doesn't exist, in which case we need to
        # create it, then just not destroy it.
        self._create_test_db(verbosity, autoclobber, keepdb)

        self._close_connection()
        self.connection.settings_dict["NAME"] = test_database_name
        # Wrappers created later (other threads, reset_connections()) build
        # their settings from DATABASE_NAME: point it at the test database.
        self._set_database_name_setting(test_database_name)

        self._build_schema(verbosity)

        if serialize:
            # Fixture serialization arrives with the serializers; nothing to
            # capture before then.
            self.connection._test_serialized_contents = None

        # Ensure a connection for the side effect of initializing the test
        # database (and that it really is reachable).
        self.connection.ensure_connection()
        return test_database_name

    def _close_connection(self):
        """
        Really close the connection (a backend's close() may ignore the
        request, e.g. SQLite for an in-memory database).
        """
        from django.db.backends.base.base import BaseDatabaseWrapper

        BaseDatabaseWrapper.close(self.connection)

    @staticmethod
    def _set_database_name_setting(name):
        from django.conf import settings

        settings.DATABASE_NAME = name

    def _build_schema(self, verbosity):
        """
        Create the tables of the installed models with ``syncdb`` -- only if
        the management layer and that command exist (before models do, the
        test database is simply empty).
        """
        try:
            from django.core.management import call_command, get_commands
        except ImportError:
            return
        try:
            available = "syncdb" in get_commands()
        except Exception:
            available = False
        if not available:
            return
        call_command(
            "syncdb",
            verbosity=max(verbosity - 1, 0),
            interactive=False,
        )

    def set_as_test_mirror(self, primary_settings_dict):
        """Set this database up to be used in testing as a mirror of a primary."""
        self.connection.settings_dict["NAME"] = primary_settings_dict["NAME"]

    def serialize_db_to_string(self):
        """Serialization needs the serializers (a later issue)."""
        raise NotImplementedError("Database serialization is not available yet.")

    def _get_database_display_str(self, verbosity, database_name):
        """Return display string for a database for use in various actions."""
        return " '%s'" % database_name if verbosity >= 2 else ""

    def _get_test_db_name(self):
        """
        Internal implementation - return the name of the test DB that will be
        created. Only useful when called from create_test_db() and
        _create_test_db() and when no external munging is done with the 'NAME'
        settings.
        """
        if self.connection.settings_dict.get("TEST_NAME"):
            return self.connection.settings_dict["TEST_NAME"]
        return TEST_DATABASE_PREFIX + self.connection.settings_dict["NAME"]

    def _execute_create_test_db(self, cursor, parameters, keepdb=False):
        cursor.execute("CREATE DATABASE %(dbname)s %(suffix)s" % parameters)

    def sql_table_creation_suffix(self):
        """SQL to append to the end of the test table creation statements."""
        return ""

    def _create_test_db(self, verbosity, autoclobber, keepdb=False):
        """
        Internal implementation - create the test db tables. An existing
        database (e.g. left over by a killed run) is dropped and recreated
        unless keepdb is set.
        """
        test_database_name = self._get_test_db_name()
        test_db_params = {
            "dbname": self.connection.ops.quote_name(test_database_name),
            "suffix": self.sql_table_creation_suffix(),
        }
        # Create the test database and connect to it.
        with self._nodb_cursor() as cursor:
            try:
                self._execute_create_test_db(cursor, test_db_params, keepdb)
            except Exception as e:
                # if we want to keep the db, then no need to do any of the below,
                # just return and skip it all.
                if keepdb:
                    return test_database_name

                self.log("Got an error creating the test database: %s" % e)
                # The database already exists (an interrupted run): drop it
                # and start over, as a stale schema would break the tests.
                try:
                    if verbosity >= 1:
                        self.log(
                            "Destroying old test database%s..."
                            % self._get_database_display_str(verbosity, test_database_name)
                        )
                    cursor.execute("DROP DATABASE %(dbname)s" % test_db_params)
                    self._execute_create_test_db(cursor, test_db_params, keepdb)
                except Exception as e:
                    self.log("Got an error recreating the test database: %s" % e)
                    sys.exit(2)

        return test_database_name

    def clone_test_db(self, suffix, verbosity=1, autoclobber=False, keepdb=False):
        raise NotImplementedError(
            "The database backend doesn't support cloning databases. "
            "Disable the option to run tests in parallel processes."
        )

    def get_test_db_clone_settings(self, suffix):
        orig_settings_dict = self.connection.settings_dict
        return {
            **orig_settings_dict,
            "NAME": "{}_{}".format(orig_settings_dict["NAME"], suffix),
        }

    def destroy_test_db(self, old_database_name=None, verbosity=1, keepdb=False, suffix=None):
        """
        Destroy the test database (unless keepdb) and restore the connection's
        NAME to ``old_database_name``.
        """
        self._close_connection()
        if suffix is None:
            test_database_name = self.connection.settings_dict["NAME"]
        else:
            test_database_name = self.get_test_db_clone_settings(suffix)["NAME"]

        if verbosity >= 1:
            action = "Destroying"
            if keepdb:
                action = "Preserving"
            self.log(
                "%s test database%s..."
                % (action, self._get_database_display_str(verbosity, test_database_name))
            )

        # if we want to preserve the database
        # skip the actual destroying piece.
        if not keepdb:
            self._destroy_test_db(test_database_name, verbosity)

        # Restore the original database name
        if old_database_name is not None:
            self.connection.settings_dict["NAME"] = old_database_name
            self._set_database_name_setting(old_database_name)

    def _destroy_test_db(self, test_database_name, verbosity):
        """Internal implementation - remove the test db tables."""
        # Remove the test database to clean up after
        # ourselves. Connect to the previous database (not the test database)
        # to do so, because it's not allowed to delete a database while being
        # connected to it.
        with self._nodb_cursor() as cursor:
            cursor.execute("DROP DATABASE %s" % self.connection.ops.quote_name(test_database_name))

    def test_db_signature(self):
        """
        Return a tuple with elements of self.connection.settings_dict (a
        DATABASES setting value) that uniquely identify a database
        accordingly to the RDBMS particularities.
        """
        settings_dict = self.connection.settings_dict
        return (
            settings_dict["HOST"],
            settings_dict["PORT"],
            settings_dict["ENGINE"],
            self._get_test_db_name(),
        )
