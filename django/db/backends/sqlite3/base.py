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
import functools
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


_VARCHAR = "varchar(%(max_length)s)"
_NON_NEGATIVE = '"%(column)s" >= 0'
_LIKE = "LIKE %s ESCAPE '\\'"
_LIKE_UPPER = "LIKE UPPER(%s) ESCAPE '\\'"


def _pattern_templates():
    """LIKE templates for lookups whose right-hand side is an expression.

    ``{}`` is the (already escaped) expression; the i-variants upper-case it
    because LIKE is case-sensitive on our connections.
    """
    shapes = {
        "contains": "'%%' || {} || '%%'",
        "startswith": "{} || '%%'",
        "endswith": "'%%' || {}",
    }
    templates = {}
    for lookup, shape in shapes.items():
        templates[lookup] = "LIKE %s ESCAPE '\\'" % shape
        templates["i" + lookup] = "LIKE %s ESCAPE '\\'" % shape.replace("{}", "UPPER({})")
    return templates


class DatabaseWrapper(BaseDatabaseWrapper):
    vendor = "sqlite"
    display_name = "SQLite"
    # SQLite's type affinity accepts any declared type; we still declare
    # descriptive ones so that introspection can map them back to fields.
    data_types = {
        **dict.fromkeys(
            ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "OneToOneField"),
            "integer",
        ),
        **dict.fromkeys(("CharField", "SlugField", "FileField", "FilePathField"), _VARCHAR),
        "BigIntegerField": "bigint",
        "SmallIntegerField": "smallint",
        "PositiveBigIntegerField": "bigint unsigned",
        "PositiveIntegerField": "integer unsigned",
        "PositiveSmallIntegerField": "smallint unsigned",
        "DurationField": "bigint",  # microseconds
        "BooleanField": "bool",
        "FloatField": "real",
        "DecimalField": "decimal",
        "DateField": "date",
        "DateTimeField": "datetime",
        "TimeField": "time",
        "TextField": "text",
        "JSONField": "text",
        "BinaryField": "BLOB",
        "UUIDField": "char(32)",
        "IPAddressField": "char(15)",
        "GenericIPAddressField": "char(39)",
    }
    # AUTOINCREMENT stops SQLite from reusing the ids of deleted rows.
    data_types_suffix = dict.fromkeys(
        ("AutoField", "BigAutoField", "SmallAutoField"), "AUTOINCREMENT"
    )
    data_type_check_constraints = {
        **dict.fromkeys(
            ("PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField"),
            _NON_NEGATIVE,
        ),
        "JSONField": '(JSON_VALID("%(column)s") OR "%(column)s" IS NULL)',
    }
    # The column side of the i-lookups gets UPPER() from ops.lookup_cast().
    operators = {
        "exact": "= %s",
        "gt": "> %s",
        "gte": ">= %s",
        "lt": "< %s",
        "lte": "<= %s",
        **dict.fromkeys(("contains", "startswith", "endswith"), _LIKE),
        **dict.fromkeys(("iexact", "icontains", "istartswith", "iendswith"), _LIKE_UPPER),
        "regex": "REGEXP %s",
        "iregex": "REGEXP '(?i)' || %s",
    }
    # When the pattern comes from an expression its wildcards must be
    # escaped by the database itself.
    pattern_esc = r"REPLACE(REPLACE(REPLACE({}, '\', '\\'), '%%', '\%%'), '_', '\_')"
    pattern_ops = _pattern_templates()

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

    # ------------------------------------------------------------------
    # Connecting
    # ------------------------------------------------------------------
    def get_connection_params(self):
        from django.core.exceptions import ImproperlyConfigured

        name = self.settings_dict.get("NAME")
        if not name:
            raise ImproperlyConfigured(
                "settings.DATABASES[%r] is improperly configured. "
                "Please supply the NAME value (a file path, or ':memory:')." % (self.alias,)
            )
        params = {"database": name, "detect_types": 0}  # converters live in ops
        params.update(self.settings_dict.get("OPTIONS") or {})
        # Forced, whatever OPTIONS says: the shared in-memory test database
        # is used from several threads (our own validate_thread_sharing()
        # guards misuse) and NAME may be a "file:" URI.
        params["check_same_thread"] = False
        params["uri"] = True
        return params

    def get_new_connection(self, conn_params):
        conn = Database.connect(**conn_params)
        conn.isolation_level = None  # driver autocommit; we send BEGIN ourselves
        register_functions(conn)
        for pragma in ("foreign_keys = ON", "legacy_alter_table = OFF"):
            conn.execute("PRAGMA " + pragma)
        ensure_case_sensitive_like(conn)
        return conn

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)

    def is_in_memory_db(self):
        return self.creation.is_in_memory_db(self.settings_dict["NAME"])

    def close(self):
        self.validate_thread_sharing()
        # An in-memory database lives only as long as its connection, so a
        # healthy one is kept open; a broken one is dropped as usual.
        keep = self.connection is not None and self.is_in_memory_db() and self.is_usable()
        if not keep:
            BaseDatabaseWrapper.close(self)

    # ------------------------------------------------------------------
    # Transactions.  The driver stays in autocommit mode and transactions
    # are opened with an explicit BEGIN: the sqlite3 module's own implicit
    # transaction handling commits before SAVEPOINT, breaking nesting.
    # ------------------------------------------------------------------
    def _set_autocommit(self, autocommit):
        # isolation_level is how the sqlite3 module spells autocommit:
        # None = autocommit, "" = implicit deferred BEGIN before DML.
        with self.wrap_database_errors:
            self.connection.isolation_level = None if autocommit else ""

    def begin_transaction(self):
        # The driver stays in autocommit (isolation_level None): an explicit
        # BEGIN opens the transaction, whatever the first statement is.
        with self.cursor() as cursor:
            cursor.execute("BEGIN")

    def _can_use_savepoints(self):
        if self.in_atomic_block:
            return True
        return self.connection is not None and self.connection.in_transaction

    def _savepoint(self, sid):
        # Outside a transaction SAVEPOINT would open one that RELEASE then
        # commits; make sure the enclosing transaction exists first.
        if not self.connection.in_transaction:
            with self.cursor() as cursor:
                cursor.execute("BEGIN")
        super()._savepoint(sid)

    # ------------------------------------------------------------------
    # Foreign key checks
    # ------------------------------------------------------------------
    def disable_constraint_checking(self):
        with self.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            # The pragma is a no-op inside a transaction; report what
            # actually happened so the caller re-enables only if needed.
            still_on = cursor.execute("PRAGMA foreign_keys").fetchone()[0]
        return not still_on

    def enable_constraint_checking(self):
        with self.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = ON")

    def _foreign_key_violations(self, cursor, table_names):
        # Rows of (table, rowid, referenced table, fk index).
        if table_names is None:
            return cursor.execute("PRAGMA foreign_key_check").fetchall()
        found = []
        for table in table_names:
            found += cursor.execute(
                "PRAGMA foreign_key_check(%s)" % self.ops.quote_name(table), ()
            ).fetchall()
        return found

    def _violation_message(self, cursor, table, rowid, target_table, fk_index):
        qn = self.ops.quote_name
        fk_row = cursor.execute("PRAGMA foreign_key_list(%s)" % qn(table), ()).fetchall()[fk_index]
        column, target_column = fk_row[3], fk_row[4]
        pk_column = self.introspection.get_primary_key_column(cursor, table)
        pk_value, bad_value = cursor.execute(
            "SELECT %s, %s FROM %s WHERE rowid = %%s" % (qn(pk_column), qn(column), qn(table)),
            (rowid,),
        ).fetchone()
        return (
            f"The row in table '{table}' with primary key '{pk_value}' has an "
            f"invalid foreign key: {table}.{column} contains a value '{bad_value}' "
            f"that does not have a corresponding value in {target_table}.{target_column}."
        )

    def check_constraints(self, table_names=None):
        """Raise IntegrityError naming the first row with a dangling FK."""
        with self.cursor() as cursor:
            violations = self._foreign_key_violations(cursor, table_names)
            if violations:
                raise IntegrityError(self._violation_message(cursor, *violations[0]))

    # ------------------------------------------------------------------
    # Errors.  sqlite3 reports SQL mistakes as OperationalError; the other
    # drivers (and users) expect ProgrammingError for them.
    # ------------------------------------------------------------------
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

        if error_class is not OperationalError:
            return error_class
        text = str(driver_error)
        markers = self.programming_error_messages
        # "near ..." only counts at the start; the others anywhere.
        if text.startswith(markers) or any(marker in text for marker in markers[1:]):
            return ProgrammingError
        return error_class


_QMARK = re.compile(r"(?<!%)%s")
_NAMED = re.compile(r"(?<!%)%\((\w+)\)s")


# The ORM sends the same statement texts again and again: convert each once
# (the result depends on nothing but the text and the placeholder style).
@functools.lru_cache(maxsize=256)
def _converted_query(query, named):
    converted = _NAMED.sub(r":\1", query) if named else _QMARK.sub("?", query)
    return converted.replace("%%", "%")


class SQLiteCursorWrapper(Database.Cursor):
    """
    A sqlite3 cursor that understands the format-style placeholders used by
    every backend: ``%s`` becomes ``?``, ``%(name)s`` becomes ``:name`` and
    ``%%`` a literal ``%``.  SQL run without params is left untouched, which
    is how the other drivers behave too.
    """

    @staticmethod
    def convert_query(query, params=None):
        named = type(params) not in (list, tuple) and isinstance(params, Mapping)
        return _converted_query(query, named)

    def execute(self, query, params=None):
        if params is None:
            return super().execute(query)
        return super().execute(self.convert_query(query, params), params)

    def executemany(self, query, param_list):
        # The placeholder style is decided by the first parameter set.
        rows = iter(param_list)
        first = next(rows, _NOTHING)
        if first is _NOTHING:
            return self
        return super().executemany(self.convert_query(query, first), chain([first], rows))


_NOTHING = object()
