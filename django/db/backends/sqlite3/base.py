"""
SQLite backend, on the standard library's ``sqlite3`` module.

Choices (see docs/ref/databases.txt, "SQLite notes"):

* the driver runs in autocommit mode (``isolation_level=None``) and this
  wrapper issues BEGIN itself, so the autocommit contract is the same as on
  the other backends;
* no global type converters are registered: values come back as SQLite
  stores them and ``ops.get_db_converters()`` turns them into Python types;
* ``PRAGMA case_sensitive_like = ON``, so ``contains``/``startswith``/
  ``endswith`` are case-sensitive (as on PostgreSQL) and the ``i`` lookups
  compare ``UPPER()`` on both sides;
* ``PRAGMA foreign_keys = ON``.
"""
import datetime
import decimal
import re
from collections.abc import Mapping
from itertools import chain
import sqlite3 as Database

from django.db import IntegrityError
from django.db.backends.base.base import BaseDatabaseWrapper

from ._functions import ensure_case_sensitive_like
from ._functions import register as register_functions
from .client import DatabaseClient
from .creation import DatabaseCreation
from .features import DatabaseFeatures
from .introspection import DatabaseIntrospection
from .operations import DatabaseOperations

from .schema import DatabaseSchemaEditor


def _adapt_date(value):
    return value.isoformat()


def _adapt_datetime(value):
    return value.isoformat(" ")


# Adapters (Python -> SQLite) only: Python 3.12 deprecates the driver's
# implicit ones, and these give the formats our converters parse back.
Database.register_adapter(decimal.Decimal, str)
Database.register_adapter(datetime.date, _adapt_date)
Database.register_adapter(datetime.datetime, _adapt_datetime)
Database.register_adapter(datetime.time, lambda value: value.isoformat())


class DatabaseWrapper(BaseDatabaseWrapper):
    vendor = "sqlite"
    display_name = "SQLite"
    # SQLite doesn't actually support most of these types, but it "does the
    # right thing" given more verbose field definitions, so leave them as is
    # so that the schema inspects and reads back cleanly.
    data_types = {
        "AutoField": "integer",
        "BigAutoField": "integer",
        "BinaryField": "BLOB",
        "BooleanField": "bool",
        "CharField": "varchar(%(max_length)s)",
        "DateField": "date",
        "DateTimeField": "datetime",
        "DecimalField": "decimal",
        "DurationField": "bigint",
        "FileField": "varchar(%(max_length)s)",
        "FilePathField": "varchar(%(max_length)s)",
        "FloatField": "real",
        "IntegerField": "integer",
        "BigIntegerField": "bigint",
        "IPAddressField": "char(15)",
        "GenericIPAddressField": "char(39)",
        "JSONField": "text",
        "OneToOneField": "integer",
        "PositiveBigIntegerField": "bigint unsigned",
        "PositiveIntegerField": "integer unsigned",
        "PositiveSmallIntegerField": "smallint unsigned",
        "SlugField": "varchar(%(max_length)s)",
        "SmallAutoField": "integer",
        "SmallIntegerField": "smallint",
        "TextField": "text",
        "TimeField": "time",
        "UUIDField": "char(32)",
    }
    data_type_check_constraints = {
        "PositiveBigIntegerField": '"%(column)s" >= 0',
        "JSONField": '(JSON_VALID("%(column)s") OR "%(column)s" IS NULL)',
        "PositiveIntegerField": '"%(column)s" >= 0',
        "PositiveSmallIntegerField": '"%(column)s" >= 0',
    }
    data_types_suffix = {
        "AutoField": "AUTOINCREMENT",
        "BigAutoField": "AUTOINCREMENT",
        "SmallAutoField": "AUTOINCREMENT",
    }
    # LIKE is case-sensitive on our connections (PRAGMA case_sensitive_like),
    # so the case-insensitive lookups compare UPPER() of both sides; the
    # column side gets UPPER() from ops.lookup_cast().
    operators = {
        "exact": "= %s",
        "iexact": "LIKE UPPER(%s) ESCAPE '\\'",
        "contains": "LIKE %s ESCAPE '\\'",
        "icontains": "LIKE UPPER(%s) ESCAPE '\\'",
        "regex": "REGEXP %s",
        "iregex": "REGEXP '(?i)' || %s",
        "gt": "> %s",
        "gte": ">= %s",
        "lt": "< %s",
        "lte": "<= %s",
        "startswith": "LIKE %s ESCAPE '\\'",
        "endswith": "LIKE %s ESCAPE '\\'",
        "istartswith": "LIKE UPPER(%s) ESCAPE '\\'",
        "iendswith": "LIKE UPPER(%s) ESCAPE '\\'",
    }

    # The patterns below are used to generate SQL pattern lookup clauses when
    # the right-hand side of the lookup isn't a raw string (it might be an
    # expression or the result of a bilateral transformation). In those cases,
    # special characters for LIKE operators (e.g. \, %, _) should be escaped
    # on the database side.
    pattern_esc = r"REPLACE(REPLACE(REPLACE({}, '\', '\\'), '%%', '\%%'), '_', '\_')"
    pattern_ops = {
        "contains": r"LIKE '%%' || {} || '%%' ESCAPE '\'",
        "icontains": r"LIKE '%%' || UPPER({}) || '%%' ESCAPE '\'",
        "startswith": r"LIKE {} || '%%' ESCAPE '\'",
        "istartswith": r"LIKE UPPER({}) || '%%' ESCAPE '\'",
        "endswith": r"LIKE '%%' || {} ESCAPE '\'",
        "iendswith": r"LIKE '%%' || UPPER({}) ESCAPE '\'",
    }

    Database = Database
    SchemaEditorClass = DatabaseSchemaEditor
    # Classes instantiated in __init__().
    client_class = DatabaseClient
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations

    def get_database_version(self):
        return Database.sqlite_version_info

    def get_connection_params(self):
        from django.core.exceptions import ImproperlyConfigured

        settings_dict = self.settings_dict
        if not settings_dict.get("NAME"):
            raise ImproperlyConfigured(
                "settings.DATABASE_NAME is improperly configured. "
                "Please supply the NAME value (a file path, or ':memory:')."
            )
        kwargs = {
            "database": settings_dict["NAME"],
            # No implicit type conversion: ops.get_db_converters() does it.
            "detect_types": 0,
            **(settings_dict.get("OPTIONS") or {}),
        }
        # Always allow the driver connection to be used from several threads
        # (the shared in-memory test database needs it); this wrapper does
        # its own check in validate_thread_sharing().
        kwargs.update({"check_same_thread": False, "uri": True})
        return kwargs

    def get_new_connection(self, conn_params):
        conn = Database.connect(**conn_params)
        # Autocommit at the driver level; BEGIN is issued by this wrapper.
        conn.isolation_level = None
        register_functions(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        # The legacy behavior of ALTER TABLE RENAME breaks references.
        conn.execute("PRAGMA legacy_alter_table = OFF")
        ensure_case_sensitive_like(conn)
        return conn

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)

    def close(self):
        self.validate_thread_sharing()
        # Closing an in-memory database destroys it: ignore the request while
        # the connection works (a broken one is dropped all the same).
        if self.is_in_memory_db() and self.connection is not None and self.is_usable():
            return
        BaseDatabaseWrapper.close(self)

    def _savepoint_allowed(self):
        # When 'isolation_level' is not None, sqlite3 commits before each
        # savepoint; it's a bug. When it is None, savepoints don't make sense
        # because autocommit is enabled. The only exception is inside 'atomic'
        # blocks. To work around that bug, on SQLite, 'atomic' starts a
        # transaction explicitly rather than simply disable autocommit.
        return self.in_atomic_block or (
            self.connection is not None and self.connection.in_transaction
        )

    def _savepoint(self, sid):
        # A SAVEPOINT outside a transaction starts one that RELEASE would
        # commit. With autocommit off but no statement run yet, the driver
        # hasn't issued its implicit BEGIN: do it so the savepoint nests.
        if not self.connection.in_transaction:
            with self.cursor() as cursor:
                cursor.execute("BEGIN")
        super()._savepoint(sid)

    def _set_autocommit(self, autocommit):
        if autocommit:
            level = None
        else:
            # The driver issues BEGIN (DEFERRED) implicitly before DML.
            level = ""
        # 'isolation_level' is a misleading API: it sets the driver's
        # autocommit mode, which is what we want here.
        with self.wrap_database_errors:
            self.connection.isolation_level = level

    def _start_transaction_under_autocommit(self):
        """
        Start a transaction explicitly in autocommit mode.

        Staying in autocommit mode works around a bug of sqlite3 that breaks
        savepoints when autocommit is disabled.
        """
        self.cursor().execute("BEGIN")

    def disable_constraint_checking(self):
        with self.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            # Foreign key constraints cannot be turned off while in a
            # multi-statement transaction. Fetch the current state of the
            # pragma to determine if constraints are effectively disabled.
            enabled = cursor.execute("PRAGMA foreign_keys").fetchone()[0]
        return not bool(enabled)

    def enable_constraint_checking(self):
        with self.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = ON")

    def check_constraints(self, table_names=None):
        """
        Check each table name in `table_names` for rows with invalid foreign
        key references (PRAGMA foreign_key_check) and raise IntegrityError
        describing the first bad row found.
        """
        with self.cursor() as cursor:
            if table_names is None:
                violations = cursor.execute("PRAGMA foreign_key_check").fetchall()
            else:
                violations = chain.from_iterable(
                    cursor.execute(
                        "PRAGMA foreign_key_check(%s)" % self.ops.quote_name(table_name)
                    ).fetchall()
                    for table_name in table_names
                )
            # See https://www.sqlite.org/pragma.html#pragma_foreign_key_check
            for table_name, rowid, referenced_table_name, foreign_key_index in violations:
                foreign_key = cursor.execute(
                    "PRAGMA foreign_key_list(%s)" % self.ops.quote_name(table_name)
                ).fetchall()[foreign_key_index]
                column_name, referenced_column_name = foreign_key[3:5]
                primary_key_column_name = self.introspection.get_primary_key_column(
                    cursor, table_name
                )
                primary_key_value, bad_value = cursor.execute(
                    "SELECT %s, %s FROM %s WHERE rowid = %%s"
                    % (
                        self.ops.quote_name(primary_key_column_name),
                        self.ops.quote_name(column_name),
                        self.ops.quote_name(table_name),
                    ),
                    (rowid,),
                ).fetchone()
                raise IntegrityError(
                    "The row in table '%s' with primary key '%s' has an "
                    "invalid foreign key: %s.%s contains a value '%s' that "
                    "does not have a corresponding value in %s.%s."
                    % (
                        table_name,
                        primary_key_value,
                        table_name,
                        column_name,
                        bad_value,
                        referenced_table_name,
                        referenced_column_name,
                    )
                )

    # Messages of the OperationalErrors sqlite3 raises for bad SQL, which the
    # other drivers report as ProgrammingError.
    programming_error_messages = (
        "near ",
        "no such table",
        "no such column",
        "no such function",
        "syntax error",
        "incomplete input",
        "unrecognized token",
        "already exists",
        "ambiguous column name",
        "wrong number of arguments",
    )

    def refine_error_class(self, error_class, driver_error):
        from django.db.utils import OperationalError, ProgrammingError

        if error_class is OperationalError:
            message = str(driver_error)
            if message.startswith(self.programming_error_messages) or any(
                fragment in message for fragment in self.programming_error_messages[1:]
            ):
                return ProgrammingError
        return error_class

    def is_usable(self):
        if self.connection is None:
            return False
        try:
            self.connection.execute("SELECT 1")
        except Database.Error:
            return False
        return True

    def is_in_memory_db(self):
        return self.creation.is_in_memory_db(self.settings_dict["NAME"])


FORMAT_QMARK_REGEX = re.compile(r"(?<!%)%s")
PYFORMAT_REGEX = re.compile(r"(?<!%)%\((\w+)\)s")


class SQLiteCursorWrapper(Database.Cursor):
    """
    Driver cursor that accepts the ``%s`` (and ``%(name)s``) placeholders
    every backend uses, translating them to SQLite's ``?`` (``:name``) and
    ``%%`` to ``%``. Without params the SQL is passed through untouched, as
    the other drivers do.
    """

    def execute(self, query, params=None):
        if params is None:
            return super().execute(query)
        query = self.convert_query(query, params)
        return super().execute(query, params)

    def executemany(self, query, param_list):
        # Peek at the first parameter set to pick the placeholder style.
        param_list = iter(param_list)
        try:
            first = next(param_list)
        except StopIteration:
            return self
        query = self.convert_query(query, first)
        return super().executemany(query, chain([first], param_list))

    @staticmethod
    def convert_query(query, params=None):
        if isinstance(params, Mapping):
            query = PYFORMAT_REGEX.sub(r":\1", query)
        else:
            query = FORMAT_QMARK_REGEX.sub("?", query)
        return query.replace("%%", "%")
