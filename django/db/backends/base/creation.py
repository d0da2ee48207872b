"""Creating and destroying the test database."""
import os
import sys

from django.db.utils import DatabaseError

# The prefix put in front of NAME to build the test database name.
TEST_DATABASE_PREFIX = "test_"


def test_settings(connection):
    """The ``TEST`` dict of ``connection``'s settings (NAME, MIRROR,
    DEPENDENCIES, CHARSET, COLLATION). DATABASES always has one; a wrapper
    built by hand from a partial dict gets an empty one."""
    return connection.settings_dict.setdefault("TEST", {})


class BaseDatabaseCreation:
    """
    Create and destroy the test database for one connection. Backends
    override the ``_`` methods; the public ones are the test runner's API.
    """

    def __init__(self, connection):
        self.connection = connection

    def log(self, msg):
        # Progress goes to stderr so it never mixes with a command's output.
        print(msg, file=sys.stderr)

    def _nodb_cursor(self):
        # A session on the test database itself cannot create or drop it.
        return self.connection._nodb_cursor()

    def _announce(self, verbosity, action, name):
        if verbosity >= 1:
            where = self._get_database_display_str(verbosity, name)
            self.log("%s test database%s..." % (action, where))

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=False, keepdb=False):
        """
        Create a test database, build its schema (``syncdb``) if the command
        is available, and point the connection at it. Return its name.
        """
        test_database_name = self._get_test_db_name()

        self._announce(verbosity, "Using existing" if keepdb else "Creating", test_database_name)

        # Called with keepdb too: a kept database may not exist yet, and then
        # it has to be created all the same.
        self._create_test_db(verbosity, autoclobber, keepdb)

        self._close_maintenance_connection()
        # The wrapper's settings dict is its alias's DATABASES entry, shared
        # by every thread's wrapper of the alias: they all follow. (A scratch
        # wrapper built from a dict of its own leaks into nothing.)
        self.connection.settings_dict["NAME"] = test_database_name

        self._build_schema(verbosity)

        if serialize:
            # Fixture serialization arrives with the serializers; nothing to
            # capture before then.
            self.connection.serialized_test_contents = None

        # Connect now, so that an unreachable test database fails here
        # rather than inside the first test.
        self.connection.ensure_connection()
        return test_database_name

    def _close_maintenance_connection(self):
        """
        Really close the connection (a backend's close() may ignore the
        request, e.g. SQLite for an in-memory database).
        """
        from django.db.backends.base.base import BaseDatabaseWrapper

        BaseDatabaseWrapper.close(self.connection)

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
        # The tables go to this wrapper's alias, quietly: the runner has
        # already said which test database it is building.
        syncdb_options = {
            "verbosity": max(verbosity - 1, 0),
            "interactive": False,
            "database": self.connection.alias,
        }
        call_command("syncdb", **syncdb_options)

    def set_as_test_mirror(self, primary_settings_dict):
        """Set this database up to be used in testing as a mirror of a primary."""
        self.connection.settings_dict["NAME"] = primary_settings_dict["NAME"]

    def serialize_db_to_string(self):
        """Serialization needs the serializers (a later issue)."""
        raise NotImplementedError("Database serialization is not available yet.")

    def _get_database_display_str(self, verbosity, database_name):
        """The database name as shown in progress messages (at verbosity >= 2)."""
        return " '%s'" % database_name if verbosity >= 2 else ""

    def _get_test_db_name(self):
        """TEST['NAME'] if set, else "test_" + the configured NAME.

        Meaningful only before create_test_db() has replaced NAME.
        """
        configured = self.connection.settings_dict
        return test_settings(self.connection).get("NAME") or TEST_DATABASE_PREFIX + configured["NAME"]

    def _execute_create_test_db(self, cursor, parameters, keepdb=False):
        cursor.execute("CREATE DATABASE %(dbname)s %(suffix)s" % parameters)

    def sql_table_creation_suffix(self):
        """Vendor-specific tail of CREATE DATABASE for the test database."""
        return ""

    def _create_test_db(self, verbosity, autoclobber, keepdb=False):
        """
        Create the test database and return its name. When CREATE DATABASE
        fails, the name is taken, by a database a killed run left behind:
        with keepdb that one is used as it is; otherwise it is dropped and
        created again, with a message (its schema may be stale, so it is
        never silently reused).
        """
        name = self._get_test_db_name()
        with self._nodb_cursor() as cursor:
            self._create_or_replace(cursor, name, verbosity, keepdb)
        return name

    def _create_or_replace(self, cursor, name, verbosity, keepdb):
        creation = {
            "dbname": self.connection.ops.quote_script_name(name),
            "suffix": self.sql_table_creation_suffix(),
        }
        refusal = self._refusal(lambda: self._execute_create_test_db(cursor, creation, keepdb))
        if refusal is not None and not keepdb:
            self._replace_left_over(cursor, name, creation, refusal, verbosity)

    def _replace_left_over(self, cursor, name, creation, refusal, verbosity):
        if verbosity >= 1:
            self.log(
                "Test database%s could not be created (%s); destroying the old one and "
                "creating it again..." % (self._get_database_display_str(verbosity, name), refusal)
            )
        try:
            cursor.execute("DROP DATABASE %(dbname)s" % creation)
            self._execute_create_test_db(cursor, creation)
        except DatabaseError as exc:
            raise type(exc)("Cannot create the test database %r: %s" % (name, exc)) from exc

    @staticmethod
    def _refusal(statements):
        """Run ``statements``; the DatabaseError they raised, or None."""
        try:
            statements()
        except DatabaseError as exc:
            return exc
        return None

    def clone_test_db(self, suffix, verbosity=1, autoclobber=False, keepdb=False):
        raise NotImplementedError(
            "The database backend doesn't support cloning databases. "
            "Disable the option to run tests in parallel processes."
        )

    def get_test_db_clone_settings(self, suffix):
        """Settings of the parallel-test clone number ``suffix``."""
        clone = dict(self.connection.settings_dict)
        clone["NAME"] = "%s_%s" % (clone["NAME"], suffix)
        return clone

    def destroy_test_db(self, old_database_name=None, verbosity=1, keepdb=False, suffix=None):
        """
        Destroy the test database (with keepdb: leave it for the next run)
        and point the connection back at ``old_database_name``.
        """
        self._close_maintenance_connection()
        clone = suffix is not None
        name = (self.get_test_db_clone_settings(suffix) if clone else self.connection.settings_dict)["NAME"]
        self._announce(verbosity, "Preserving" if keepdb else "Destroying", name)
        if not keepdb:
            self._destroy_test_db(name, verbosity)
        if old_database_name is not None:
            self.connection.settings_dict["NAME"] = old_database_name

    def _destroy_test_db(self, test_database_name, verbosity):
        """Drop the test database through a connection to another database."""
        # A database cannot be dropped by a session connected to it.
        with self._nodb_cursor() as cursor:
            cursor.execute("DROP DATABASE %s" % self.connection.ops.quote_script_name(test_database_name))

    def test_db_signature(self):
        """What identifies the test database: two wrappers with the same
        signature would share (and must not both create) it."""
        configured = self.connection.settings_dict
        where = tuple(configured[key] for key in ("HOST", "PORT", "ENGINE"))
        return where + (self._get_test_db_name(),)


class ServerDatabaseCreation(BaseDatabaseCreation):
    """
    Test databases on a server shared by many runs (PostgreSQL, MySQL).

    Each run first claims its test database with a server-side lock held by
    a guard connection until destroy_test_db(); the server drops the lock
    when the process dies. A database of that name with no claimant was
    left by a killed run: it is dropped and created again, with a message,
    never silently reused (its schema may be stale). One whose lock another
    process holds belongs to a live run (a second suite on the same server,
    or a test that starts the runner in a subprocess): it is left alone and
    this run takes a name of its own.

    Vendors provide ``lock_sql`` (one ``%s``: the lock name; returns true
    when the lock was taken), ``_open_guard()``, ``_has_database()`` and
    ``_drop_database()``.
    """

    lock_sql = None

    def _quoted_db_name(self, name):
        # Statements about databases run without parameters: '%' stays single.
        return self.connection.ops.quote_script_name(name)

    def _open_guard(self):
        """A connection to the server outside the test database."""
        raise NotImplementedError

    @staticmethod
    def _has_database(cursor, name):
        raise NotImplementedError

    def _drop_database(self, cursor, name):
        cursor.execute("DROP DATABASE IF EXISTS %s" % self._quoted_db_name(name))

    def _try_lock(self, name):
        with self._guard.cursor() as cursor:
            cursor.execute(self.lock_sql, ["django-test-db:%s" % name])
            return bool(cursor.fetchone()[0])

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=False, keepdb=False):
        self._original_test_name = test_settings(self.connection).get("NAME")
        name = self._get_test_db_name()
        self._guard = self._open_guard()
        if not self._try_lock(name):
            room = self.connection.ops.max_name_length() - 8
            alternative = "%s_%d" % (name[:room], os.getpid())
            self.log(
                "Test database '%s' is in use by another test run; using '%s' instead."
                % (name, alternative)
            )
            test_settings(self.connection)["NAME"] = alternative
            self._try_lock(alternative)
        return super().create_test_db(verbosity, autoclobber, serialize, keepdb)

    def destroy_test_db(self, old_database_name=None, verbosity=1, keepdb=False, suffix=None):
        try:
            super().destroy_test_db(old_database_name, verbosity, keepdb, suffix)
        finally:
            guard = getattr(self, "_guard", None)
            if guard is not None:
                guard.close()  # releases the lock
                self._guard = None
            if hasattr(self, "_original_test_name"):
                test_settings(self.connection)["NAME"] = self._original_test_name

    def _create_test_db(self, verbosity, autoclobber, keepdb=False):
        name = self._get_test_db_name()
        with self._nodb_cursor() as cursor:
            left_over = self._has_database(cursor, name)
            if left_over and keepdb:
                return name
            if left_over:
                # Nobody holds its lock (see the class docstring): a killed
                # run's database, whose schema may be stale.
                if verbosity >= 1:
                    self.log(
                        "Destroying old test database '%s' for alias '%s' (left over from an "
                        "earlier run)..." % (name, self.connection.alias)
                    )
                self._drop_database(cursor, name)
            create = "CREATE DATABASE %s %s" % (self._quoted_db_name(name), self.sql_table_creation_suffix())
            cursor.execute(create)
        return name

    def _destroy_test_db(self, test_database_name, verbosity):
        with self._nodb_cursor() as cursor:
            self._drop_database(cursor, test_database_name)
