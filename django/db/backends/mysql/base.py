"""
MariaDB / MySQL database backend on PyMySQL.

PyMySQL is pure Python: it needs no client headers or compiler and installs
everywhere. mysqlclient (C) is faster and may become an alternative driver.
"""
import weakref
from collections import deque

from django.core.exceptions import ImproperlyConfigured
from django.db import utils as db_utils
from django.db.backends import utils as backend_utils
from django.db.backends.base.base import NO_DB_ALIAS, BaseDatabaseWrapper
from django.utils.functional import cached_property

try:
    import pymysql as Database
    from pymysql.constants import CLIENT, FIELD_TYPE
    from pymysql.converters import conversions as driver_conversions
    from pymysql.cursors import SSCursor
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImproperlyConfigured("Error loading the PyMySQL module: %s" % exc) from exc

from .client import DatabaseClient
from .creation import DatabaseCreation
from .features import DatabaseFeatures
from .introspection import DatabaseIntrospection
from .operations import DatabaseOperations
from .validation import DatabaseValidation

from .schema import DatabaseSchemaEditor

# TIME columns come back as datetime.time (PyMySQL's default is timedelta).
CONVERSIONS = {
    **driver_conversions,
    FIELD_TYPE.TIME: backend_utils.typecast_time,
}

# Strict mode: a too-long string or an out-of-range number is an error, not
# a silent truncation with a warning.
DEFAULT_SQL_MODE = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"

ISOLATION_LEVELS = ("read uncommitted", "read committed", "repeatable read", "serializable")

# Server errors that are integrity problems but that the driver reports as
# OperationalError/DataError: 1048 column cannot be null, 1690 value out of
# range (e.g. an UNSIGNED column going negative), 3819 check constraint
# violated (MySQL), 4025 constraint failed (MariaDB).
INTEGRITY_ERROR_CODES = (1048, 1690, 3819, 4025)


# Server errors that end the session: 1927 connection killed, 2006 server
# has gone away, 2013 connection lost during a query, 4031 disconnected
# for inactivity. PyMySQL forgets its socket after most of them; an error
# packet sent before the server hangs up can leave it looking open.
LOST_CONNECTION_CODES = frozenset({1927, 2006, 2013, 4031})


class CursorWrapper:
    """
    The PyMySQL cursor, except that server errors which are really integrity
    violations (see INTEGRITY_ERROR_CODES) surface as IntegrityError, and
    that a streaming cursor still reading its result is spilled first (see
    StreamingCursorWrapper). Everything else is delegated untouched.
    """

    _RECLASSIFIED = (Database.OperationalError, Database.DataError)

    def __init__(self, cursor, db=None):
        self.cursor = cursor
        self.db = db

    def _run(self, method, query, args):
        if self.db is not None:
            self.db._spill_stream(caller=self)
        try:
            return method(query, args)
        except self._RECLASSIFIED as exc:
            code = exc.args[0] if exc.args else None
            if code in INTEGRITY_ERROR_CODES:
                raise Database.IntegrityError(*exc.args) from exc
            raise

    def execute(self, query, args=None):
        return self._run(self.cursor.execute, query, args)

    def executemany(self, query, args):
        return self._run(self.cursor.executemany, query, args)

    def __iter__(self):
        return iter(self.cursor)

    def __getattr__(self, name):
        return getattr(self.cursor, name)


class StreamingCursorWrapper(CursorWrapper):
    """
    What chunked_cursor() uses: an unbuffered PyMySQL SSCursor, which reads
    rows from the socket only as they are fetched, so iterating a large
    result needs memory for one chunk, not for the whole result.

    While such a result is unread the connection can do nothing else
    (PyMySQL would silently throw the rest away before the next command).
    So the wrapper remembers the one live stream and, before any other use
    of the connection, calls spill(): the remaining rows are read into a
    client-side deque, from which this cursor keeps serving fetches. Memory
    is bounded in the common case and the results stay correct when the
    caller interleaves queries (prefetch_related, lazy loads in the loop).
    """

    def __init__(self, cursor, db):
        super().__init__(cursor, db)
        self._spilled = None  # a deque once spilled
        self._lost = None  # the error that interrupted spill()

    def _run(self, method, query, args):
        # A new statement on this very cursor replaces its old result: read
        # and drop what is left of it (PyMySQL would do so with a warning).
        if self.db._live_stream is not None and self.db._live_stream() is self:
            self.db._live_stream = None
            deque(self.cursor.fetchall_unbuffered(), maxlen=0)
        self._spilled = self._lost = None
        result = super()._run(method, query, args)
        if self.description is not None:  # a result set is now pending
            self.db._live_stream = weakref.ref(self)
        return result

    def spill(self):
        """Read the rest of the result into memory, freeing the connection."""
        try:
            rows = deque(self.cursor.fetchall_unbuffered())
        except Database.Error as exc:
            # The rest of the result went with the connection: later fetches
            # must say so, not end early or fail inside the driver.
            self._lost = exc
            raise
        if self._spilled is None:
            self._spilled = rows
        else:
            self._spilled.extend(rows)

    def _buffer(self):
        """The spilled rows, or None while still streaming."""
        if self._lost is not None:
            raise Database.InterfaceError(
                "The rest of this result was lost with the connection: %s" % (self._lost,)
            )
        return self._spilled

    def fetchone(self):
        buffer = self._buffer()
        if buffer is None:
            return self.cursor.fetchone()
        return buffer.popleft() if buffer else None

    def fetchmany(self, size=None):
        buffer = self._buffer()
        if buffer is None:
            return self.cursor.fetchmany(size)
        count = min(size or self.cursor.arraysize, len(buffer))
        # An empty tuple at the end, like PyMySQL (features.empty_fetchmany_value).
        return [buffer.popleft() for _ in range(count)] or ()

    def fetchall(self):
        buffer = self._buffer()
        if buffer is None:
            return self.cursor.fetchall()
        rows, self._spilled = list(buffer), deque()
        return rows

    def __iter__(self):
        return iter(self.fetchone, None)

    def close(self):
        # SSCursor.close() reads and drops what is left unread (the protocol
        # cannot stop the server sending it), so the connection is usable.
        self._spilled = None
        if self.db._live_stream is not None and self.db._live_stream() is self:
            self.db._live_stream = None
        if self._lost is None:  # else there is no socket left to read from
            self.cursor.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class DatabaseWrapper(BaseDatabaseWrapper):
    vendor = "mysql"
    display_name = "MySQL"
    Database = Database

    data_types = {
        # AUTO_INCREMENT is part of the type here, not a suffix.
        "AutoField": "integer AUTO_INCREMENT",
        "BigAutoField": "bigint AUTO_INCREMENT",
        "SmallAutoField": "smallint AUTO_INCREMENT",
        **dict.fromkeys(("IntegerField", "OneToOneField"), "integer"),
        "BigIntegerField": "bigint",
        "SmallIntegerField": "smallint",
        "PositiveIntegerField": "integer UNSIGNED",
        "PositiveBigIntegerField": "bigint UNSIGNED",
        "PositiveSmallIntegerField": "smallint UNSIGNED",
        "DurationField": "bigint",  # microseconds: MySQL has no interval type
        **dict.fromkeys(("BooleanField", "NullBooleanField"), "bool"),
        **dict.fromkeys(
            ("CharField", "SlugField", "FileField", "FilePathField"), "varchar(%(max_length)s)"
        ),
        "TextField": "longtext",
        "DecimalField": "numeric(%(max_digits)s, %(decimal_places)s)",
        "FloatField": "double precision",
        # Fractional seconds must be asked for explicitly.
        "DateTimeField": "datetime(6)",
        "TimeField": "time(6)",
        "DateField": "date",
        "BinaryField": "longblob",
        "JSONField": "json",
        "UUIDField": "char(32)",
        "IPAddressField": "char(15)",
        "GenericIPAddressField": "char(39)",
    }
    # UNSIGNED already forbids negative values; the checks make the error an
    # IntegrityError on servers that enforce CHECK (MariaDB 10.2+, MySQL 8.0.16+).
    data_type_check_constraints = dict.fromkeys(
        ("PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField"),
        "`%(column)s` >= 0",
    )

    # Pattern lookups escape wildcards in an expression right-hand side. In a
    # MySQL string literal '\\' is one backslash.
    pattern_esc = r"REPLACE(REPLACE(REPLACE({}, '\\', '\\\\'), '%%', '\%%'), '_', '\_')"

    SchemaEditorClass = DatabaseSchemaEditor
    client_class = DatabaseClient
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation

    # Options this backend consumes itself; the rest goes to pymysql.connect()
    # (ssl, read_default_file, init_command, connect_timeout, ...).
    _own_options = ("isolation_level", "storage_engine")

    # ----- comparison rules ------------------------------------------------

    @cached_property
    def operators(self):
        """
        Every text comparison names its collation, so the result never
        depends on the column's (usually case-insensitive) collation:
        exact/contains/startswith/endswith/regex are case-SENSITIVE and the
        i* lookups case-insensitive, as on PostgreSQL and SQLite. The
        right-hand side is converted to utf8mb4 first so that COLLATE is
        valid whatever its type (a number, a date); the column keeps its
        index for exact lookups (MariaDB compares with the index's collation
        and filters the few candidates).
        """
        cs = "CONVERT(%%s USING utf8mb4) COLLATE %s" % self.features.case_sensitive_collation
        ci = "CONVERT(%%s USING utf8mb4) COLLATE %s" % self.features.case_insensitive_collation
        return {
            "exact": "= " + cs,
            "iexact": "LIKE " + ci,
            "contains": "LIKE " + cs,
            "icontains": "LIKE " + ci,
            "regex": "REGEXP CONCAT('(?-i)', %s)",
            "iregex": "REGEXP CONCAT('(?i)', %s)",
            "gt": "> %s",
            "gte": ">= %s",
            "lt": "< %s",
            "lte": "<= %s",
            "startswith": "LIKE " + cs,
            "endswith": "LIKE " + cs,
            "istartswith": "LIKE " + ci,
            "iendswith": "LIKE " + ci,
        }

    @cached_property
    def pattern_ops(self):
        cs = " COLLATE %s" % self.features.case_sensitive_collation
        ci = " COLLATE %s" % self.features.case_insensitive_collation
        wrap = "LIKE CONVERT(%s USING utf8mb4)"
        return {
            "contains": wrap % "CONCAT('%%', {}, '%%')" + cs,
            "icontains": wrap % "CONCAT('%%', {}, '%%')" + ci,
            "startswith": wrap % "CONCAT({}, '%%')" + cs,
            "istartswith": wrap % "CONCAT({}, '%%')" + ci,
            "endswith": wrap % "CONCAT('%%', {})" + cs,
            "iendswith": wrap % "CONCAT('%%', {})" + ci,
        }

    # ----- server -------------------------------------------------------------

    @cached_property
    def mysql_server_info(self):
        """The version string, e.g. '10.11.6-MariaDB-0+deb12u1'."""
        try:
            self.ensure_connection()
        except db_utils.OperationalError:
            # E.g. the database does not exist yet (creating the test
            # database needs the server version): ask without one.
            with self._nodb_cursor() as cursor:
                cursor.execute("SELECT VERSION()")
                return cursor.fetchone()[0]
        return self.connection.get_server_info()

    @cached_property
    def mysql_is_mariadb(self):
        return "mariadb" in self.mysql_server_info.lower()

    @cached_property
    def mysql_version(self):
        """(major, minor, patch). MariaDB's handshake says '5.5.5-10.11.6-MariaDB'."""
        info = self.mysql_server_info
        if info.startswith("5.5.5-"):
            info = info[len("5.5.5-"):]
        digits = info.split("-", 1)[0].split(".")
        return tuple(int(d) for d in digits[:3] if d.isdigit())

    def get_database_version(self):
        return self.mysql_version

    # ----- connection -----------------------------------------------------------

    def _isolation_level(self):
        options = self.settings_dict.get("OPTIONS") or {}
        level = options.get("isolation_level", "read committed")
        if level is None:
            return None
        normalized = str(level).lower()
        if normalized not in ISOLATION_LEVELS:
            raise ImproperlyConfigured(
                "Invalid transaction isolation level %r specified in "
                "DATABASES[%r]['OPTIONS']['isolation_level']. Use one of %s, or None."
                % (level, self.alias, ", ".join(repr(name) for name in ISOLATION_LEVELS))
            )
        return normalized

    def get_connection_params(self):
        settings_dict = self.settings_dict
        name = settings_dict.get("NAME")
        if not name and self.alias != NO_DB_ALIAS:
            raise ImproperlyConfigured(
                "settings.DATABASES[%r]['NAME'] is empty. Give the name of the "
                "MariaDB/MySQL database to use." % (self.alias,)
            )
        self._isolation_level()  # fail early on a bad value
        params = {
            "conv": CONVERSIONS,
            "charset": "utf8mb4",
            # UPDATE reports the rows matched, not only those changed: the
            # ORM uses the count to tell "updated" from "not found".
            "client_flag": CLIENT.FOUND_ROWS,
            # Bytes go over the wire as _binary'...': never read as utf8mb4.
            "binary_prefix": True,
            "sql_mode": DEFAULT_SQL_MODE,
            "autocommit": bool(settings_dict.get("AUTOCOMMIT", True)),
        }
        # A HOST starting with "/" is the server's Unix socket.
        host_keyword = "unix_socket" if str(settings_dict.get("HOST")).startswith("/") else "host"
        params.update(self.settings_as_params(
            {"NAME": "database", "USER": "user", "PASSWORD": "password", "HOST": host_keyword}
        ))
        if settings_dict.get("PORT"):
            params["port"] = self._port_number(settings_dict["PORT"])
        params.update(
            (key, value)
            for key, value in (settings_dict.get("OPTIONS") or {}).items()
            if key not in self._own_options
        )
        params.setdefault("connect_timeout", self.default_connect_timeout)
        return params

    def _port_number(self, port):
        try:
            return int(port)
        except (TypeError, ValueError):
            raise ImproperlyConfigured(
                "settings.DATABASES[%r]['PORT'] must be a number, not %r." % (self.alias, port)
            ) from None

    def _describe_target(self, params):
        """The connection settings (never the password) for error messages."""
        return "HOST=%r, PORT=%r, USER=%r, NAME=%r" % (
            params.get("unix_socket") or params.get("host") or "localhost",
            params.get("port") or 3306,
            params.get("user") or "(default)",
            params.get("database") or "(none)",
        )

    def get_new_connection(self, conn_params):
        # PyMySQL's connect_timeout only bounds the TCP connect; the server's
        # greeting and the rest of the handshake are read with read_timeout,
        # which is None (wait forever) unless OPTIONS sets it. So a server
        # that accepts the connection and never speaks would hang us: the
        # handshake reads get the connect timeout, later reads what OPTIONS
        # asked for (PyMySQL reads _read_timeout before every read).
        later_reads = conn_params.get("read_timeout")
        handshake_reads = conn_params["connect_timeout"] or later_reads
        try:
            connection = Database.connect(**dict(conn_params, read_timeout=handshake_reads))
        except Database.Error as exc:
            message = str(exc)
            password = conn_params.get("password")
            if password:
                message = message.replace(str(password), "********")
            raise db_utils.OperationalError(
                "Could not connect to MariaDB/MySQL with %s: %s"
                % (self._describe_target(conn_params), message)
            ) from None
        connection._read_timeout = later_reads
        return connection

    def init_connection_state(self):
        super().init_connection_state()
        options = self.settings_dict.get("OPTIONS") or {}
        level = self._isolation_level()
        with self.connection.cursor() as cursor:
            if level:
                cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL %s" % level.upper())
            engine = options.get("storage_engine", "InnoDB")
            if engine:
                # Tables without ENGINE= get a transactional engine.
                cursor.execute("SET SESSION default_storage_engine = %s", [engine])
            from django.conf import settings

            if getattr(settings, "USE_TZ", False):
                # NOW() and friends in UTC, like the stored values.
                cursor.execute("SET SESSION time_zone = '+00:00'")
        if not self.get_autocommit():
            self.connection.commit()

    # ----- cursors and streaming -------------------------------------------

    # A weak reference to the StreamingCursorWrapper whose result may still
    # be unread (weak: a cursor dropped by its caller closes itself).
    _live_stream = None

    def create_cursor(self, name=None):
        # Like PostgreSQL's named cursors, a name asks for a streaming one.
        if name:
            return StreamingCursorWrapper(self.connection.cursor(SSCursor), self)
        return CursorWrapper(self.connection.cursor(), self)

    def chunked_cursor(self):
        return self._cursor(name="stream")

    def _spill_stream(self, caller=None):
        """Buffer the live stream's unread rows so the connection is free."""
        stream = self._live_stream() if self._live_stream is not None else None
        self._live_stream = None
        if stream is not None and stream is not caller:
            with self.wrap_database_errors:
                stream.spill()

    def _commit(self):
        self._spill_stream()
        return super()._commit()

    def _rollback(self):
        self._spill_stream()
        return super()._rollback()

    def _close(self):
        # Spilled rather than dropped: an iterator still being consumed
        # keeps its rows even if the connection is closed under it. A broken
        # connection must still be closed if spilling fails.
        try:
            self._spill_stream()
        finally:
            super()._close()

    def _set_autocommit(self, autocommit):
        self._spill_stream()
        with self.wrap_database_errors:
            self.connection.autocommit(autocommit)

    def probe_connection(self):
        self._spill_stream()
        # Never reconnect silently: session state would be lost.
        self.connection.ping(reconnect=False)

    def connection_was_lost(self, driver_error):
        if self.connection is None:
            return False
        code = driver_error.args[0] if driver_error.args else None
        return not self.connection.open or code in LOST_CONNECTION_CODES

    def _set_foreign_key_checks(self, enabled):
        # Session state, not transactional work: it must be restorable even
        # when an error has doomed the atomic block (needs_rollback), so this
        # runs on a driver cursor, past the "no queries after an error"
        # guard of the regular cursor, still with our error translation.
        self.ensure_connection()
        with self.wrap_database_errors:
            self._spill_stream()
            with self.connection.cursor() as cursor:
                cursor.execute("SET foreign_key_checks = %d" % (1 if enabled else 0))

    def disable_constraint_checking(self):
        self._set_foreign_key_checks(False)
        return True

    def enable_constraint_checking(self):
        # Re-enabling does not check the rows changed in between; callers use
        # check_constraints() for that.
        self._set_foreign_key_checks(True)

    def check_constraints(self, table_names=None):
        """Raise IntegrityError naming the first row whose foreign key has no
        target row (all tables, or those named)."""
        with self.cursor() as cursor:
            for reference in self._foreign_keys(cursor, table_names):
                # Parameters, even none: the driver then reads the '%%' that
                # quote_name() doubles in names.
                cursor.execute(self._orphan_sql(cursor, *reference), ())
                orphan = cursor.fetchone()
                if orphan is not None:
                    raise db_utils.IntegrityError(_orphan_message(reference, *orphan))

    def _foreign_keys(self, cursor, table_names):
        """(table, column, target table, target column) for every foreign key."""
        introspection = self.introspection
        if table_names is None:
            table_names = introspection.table_names(cursor)
        for table in table_names:
            for column, (target_column, target_table) in introspection.get_relations(cursor, table).items():
                yield table, column, target_table, target_column

    def _orphan_sql(self, cursor, table, column, target_table, target_column):
        # The row's key (the column itself if the table has none) and the
        # value pointing nowhere. Aliased: a table may refer to itself.
        qn = self.ops.quote_name
        key = self.introspection.get_primary_key_column(cursor, table) or column
        return (
            "SELECT referrer.{key}, referrer.{column} FROM {table} AS referrer "
            "WHERE referrer.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
            "{target_table} AS target WHERE target.{target_column} = referrer.{column}) "
            "LIMIT 1"
        ).format(
            key=qn(key), column=qn(column), table=qn(table),
            target_table=qn(target_table), target_column=qn(target_column),
        )


def _orphan_message(reference, key, value):
    table, column, target_table, target_column = reference
    return (
        "The row in table '%s' with primary key '%s' has an invalid foreign key: "
        "%s.%s contains a value '%s' that does not have a corresponding value in %s.%s."
        % (table, key, table, column, value, target_table, target_column)
    )
