"""The schema editor: turns models into DDL (CREATE TABLE, indexes...).

    with connection.schema_editor() as editor:
        editor.create_model(Book)

Statements run as they are produced, except indexes and constraints that
must follow the table: those are queued in ``deferred_sql`` and run when the
context manager exits. With ``collect_sql=True`` nothing runs and the
statements (with parameters inlined) accumulate in ``collected_sql``.

Vendor subclasses change the ``sql_*`` templates and a few hooks
(``quote_value``, ``_wants_index``, ``table_sql_suffix``).
"""
import datetime
import decimal
import hashlib
import logging
import sys

logger = logging.getLogger("django.db.backends.schema")

# Shared beginnings of the templates below. Vendors override whole
# templates (never these fragments), keeping the same placeholders.
_ALTER_TABLE = "ALTER TABLE %(table)s "
_ADD_CONSTRAINT = _ALTER_TABLE + "ADD CONSTRAINT %(name)s "
_INDEX_ON_TABLE = "INDEX %(name)s ON %(table)s (%(columns)s)%(condition)s"


def _sql_text(value):
    return "'%s'" % str(value).replace("'", "''")


def _bool_as_digit(value):
    return "1" if value else "0"


# How quote_value() spells a value as an SQL literal, as (types, speller)
# pairs tried in order; anything else becomes quoted text. bool comes before
# the numbers because a bool is an int. A vendor puts its own spellings in
# front (see _BOOLS_AS_DIGITS and the backends' schema modules).
_LITERAL_SPELLINGS = (
    (type(None), lambda value: "NULL"),
    (bool, lambda value: "true" if value else "false"),
    ((int, float, decimal.Decimal), str),
    ((datetime.date, datetime.time), lambda value: "'%s'" % value.isoformat()),
    ((bytes, bytearray, memoryview), lambda value: "X'%s'" % bytes(value).hex()),
)
# For databases without a boolean literal (SQLite, MySQL): 1 and 0.
_BOOLS_AS_DIGITS = ((bool, _bool_as_digit),)


def _open_atomic_block(connection):
    """An entered ``Atomic`` on ``connection``, left open until the editor's
    ``__exit__`` (a ``with`` statement cannot span __enter__ and __exit__)."""
    from django.db.transaction import Atomic

    block = Atomic(connection, savepoint=True)
    block.__enter__()
    return block


class BaseDatabaseSchemaEditor:
    # Tables and columns.
    sql_create_table = "CREATE TABLE %(table)s (%(definition)s)%(suffix)s"
    sql_delete_table = "DROP TABLE %(table)s CASCADE"
    sql_create_column = _ALTER_TABLE + "ADD COLUMN %(column)s %(definition)s"
    sql_delete_column = _ALTER_TABLE + "DROP COLUMN %(column)s CASCADE"
    sql_create_column_inline_pk = "PRIMARY KEY"

    # Pieces of a CREATE TABLE statement.
    sql_check_constraint = "CHECK (%(check)s)"
    sql_unique_constraint = "UNIQUE (%(columns)s)"
    sql_constraint = "CONSTRAINT %(name)s %(constraint)s"

    # Constraints added to / dropped from an existing table. Foreign keys
    # come after every table exists (so cycles are fine), unless the
    # backend declares them inline with sql_create_inline_fk.
    sql_create_check = _ADD_CONSTRAINT + "CHECK (%(check)s)"
    sql_create_unique = _ADD_CONSTRAINT + "UNIQUE (%(columns)s)"
    sql_create_fk = (
        _ADD_CONSTRAINT
        + "FOREIGN KEY (%(column)s) REFERENCES %(to_table)s (%(to_column)s)%(deferrable)s"
    )
    sql_create_inline_fk = None
    sql_delete_check = sql_delete_unique = sql_delete_fk = _ALTER_TABLE + "DROP CONSTRAINT %(name)s"

    sql_create_index = "CREATE " + _INDEX_ON_TABLE
    sql_create_unique_index = "CREATE UNIQUE " + _INDEX_ON_TABLE
    sql_delete_index = "DROP INDEX %(name)s"

    def __init__(self, connection, collect_sql=False, atomic=True):
        self.connection, self.collect_sql = connection, collect_sql
        if collect_sql:
            self.collected_sql = []
        # Only wrap the DDL in a transaction where the backend can roll DDL
        # back; elsewhere (MySQL) each statement commits on its own anyway.
        self.atomic_migration = bool(atomic and getattr(connection.features, "can_rollback_ddl", False))
        self.deferred_sql = []

    # -- context manager -----------------------------------------------------
    def __enter__(self):
        self.deferred_sql = []
        if self.atomic_migration:
            self.atomic = _open_atomic_block(self.connection)
        return self

    def __exit__(self, *failure):
        try:
            if failure[0] is None:
                # Indexes and constraints queued while tables were created.
                for statement in self.deferred_sql:
                    self.execute(statement)
        except BaseException:
            # A failing deferred statement must roll the whole block back.
            failure = sys.exc_info()
            raise
        finally:
            if self.atomic_migration:
                self.atomic.__exit__(*failure)

    # -- execution -------------------------------------------------------------
    def execute(self, sql, params=()):
        """Run (or collect) one DDL statement.

        ``sql`` is a format string like every statement the ORM builds
        (quoted names carry ``%%``). DDL cannot take parameters everywhere,
        so ``params`` are written in as literals (``quote_value``); the
        result is plain SQL, run without parameters or collected for
        ``sqlall``."""
        statement = str(sql) % tuple(map(self.quote_value, params or ()))
        logger.debug("%s", statement)
        if not self.collect_sql:
            with self.connection.cursor() as cursor:
                cursor.execute(statement, None)
            return
        terminated = statement.rstrip().endswith(";")
        self.collected_sql.append(statement if terminated else statement + ";")

    def sql_with_values(self, sql, params):
        """``sql`` with ``params`` written in as literals, still a format
        string (every '%' doubled again), for DDL that embeds it."""
        return (sql % tuple(map(self.quote_value, params))).replace("%", "%%")

    def quote_name(self, name):
        return self.connection.ops.quote_name(name)

    _literal_spellings = _LITERAL_SPELLINGS

    def quote_value(self, value):
        """A literal for ``value`` (used only for DDL: never user data in DML)."""
        for kinds, spell in self._literal_spellings:
            if isinstance(value, kinds):
                return spell(value)
        return _sql_text(value)

    # -- names -----------------------------------------------------------------
    def _short_hash(self, *parts):
        """Eight hex digits that tell apart names sharing a long prefix."""
        digest = hashlib.md5(usedforsecurity=False)
        digest.update("\x1f".join(parts).encode())
        return digest.hexdigest()[:8]

    def _generated_name(self, table_name, column_names, suffix=""):
        """
        The name of an index or constraint the editor creates: the table and
        columns it is about, a hash of them and ``suffix``. It fits in the
        backend's ``max_name_length()`` (the readable part is cut, the hash
        keeps the name unique), is the same on every run, and starts with a
        letter, as unquoted names must on some databases.
        """
        limit = self.connection.ops.max_name_length() or 200
        ending = "_%s%s" % (self._short_hash(table_name, *column_names), suffix)
        ending = ending[: limit // 2]
        readable = "_".join([table_name, *column_names])[: limit - len(ending)]
        name = readable + ending
        if not name[0].isalpha():
            name = "D" + name[: limit - 1]
        return name

    # -- columns and tables ----------------------------------------------------
    def column_sql(self, model, field, include_default=False):
        """``(definition, params)`` for a column, or ``(None, None)`` when the
        field has no column."""
        db_params = field.db_parameters(connection=self.connection)
        if db_params["type"] is None:
            return None, None
        if field.primary_key:
            key = self.sql_create_column_inline_pk
        else:
            key = "UNIQUE" if field.unique else ""
        check = db_params.get("check")
        if check and getattr(self.connection.features, "supports_column_check_constraints", True):
            check = self.sql_check_constraint % {"check": check}
        else:
            check = ""
        words = (
            db_params["type"], self._nullability(field), key,
            field.db_type_suffix(connection=self.connection), check,
        )
        return " ".join(word for word in words if word), []

    def _nullability(self, field):
        """'NOT NULL', 'NULL', or nothing where the database implies NULL."""
        features = self.connection.features
        # Where '' is stored as NULL, a text column must accept NULL.
        empty_is_null = getattr(features, "interprets_empty_strings_as_nulls", False)
        if not (field.null or empty_is_null and field.empty_strings_allowed and not field.primary_key):
            return "NOT NULL"
        return "" if getattr(features, "implied_column_null", False) else "NULL"

    def table_sql_suffix(self, model):
        return ""

    def table_sql(self, model):
        """``(CREATE TABLE sql, params)``; queues the model's indexes."""
        meta = model._meta
        params = []
        items = []  # column definitions, then table-level constraints
        for field in meta.local_fields:
            definition, column_params = self.column_sql(model, field)
            if definition is not None:
                params += column_params
                items.append(f"{self.quote_name(field.column)} {self._with_fk(model, field, definition)}")
        for names in meta.unique_together:
            items.append(self._unique_sql(model, [meta.get_field(name).column for name in names]))
        for constraint in meta.constraints:
            # Inline when the constraint can be written in CREATE TABLE
            # (a plain UNIQUE or CHECK); otherwise a statement for later
            # (a partial unique index, for instance).
            inline = constraint.constraint_sql(model, self)
            if inline:
                items.append(inline)
                continue
            later = constraint.create_sql(model, self)
            if later:
                self.deferred_sql.append(later)
        statement = self.sql_create_table % {
            "table": self.quote_name(meta.db_table),
            "definition": ", ".join(filter(None, map(str, items))),
            "suffix": self.table_sql_suffix(model),
        }
        return statement, params

    def _with_fk(self, model, field, definition):
        """The column definition, with its REFERENCES clause when the backend
        writes foreign keys inline; otherwise the ALTER TABLE is queued."""
        if not self._field_has_fk_constraint(field):
            return definition
        if not self.sql_create_inline_fk:
            self.deferred_sql.append(self._add_foreign_key_sql(model, field))
            return definition
        return f"{definition} {self.sql_create_inline_fk % self._fk_params(field)}"

    # -- foreign keys ------------------------------------------------------------
    def _field_has_fk_constraint(self, field):
        """A REFERENCES constraint for ``field``: a resolved foreign key with
        db_constraint, to a managed table, on a backend with foreign keys,
        whose target the routers do not keep off this database."""
        rel = getattr(field, "remote_field", None)
        if rel is None or not field.concrete or getattr(field, "many_to_many", False):
            return False
        if not getattr(field, "db_constraint", False) or isinstance(rel.model, str):
            return False
        to_meta = rel.model._meta
        if not to_meta.managed or to_meta.proxy and not to_meta.concrete_model._meta.managed:
            return False
        if not getattr(self.connection.features, "supports_foreign_keys", True):
            return False
        return not self._target_kept_off(to_meta.concrete_model)

    def _target_kept_off(self, target):
        """Whether a router explicitly refuses ``target``'s table on this
        editor's database (``allow_migrate`` False, not merely no opinion).
        Its rows then live elsewhere, so a foreign key here may name a row
        this database never holds (as 1.2 allowed): a REFERENCES constraint
        would refuse every such row, or fail to create for want of the
        table. The column and its index are kept."""
        from django.db import router

        return router.allow_migrate_model(self.connection.alias, target) is False

    def _deferrable_sql(self):
        if getattr(self.connection.features, "can_defer_constraint_checks", False):
            return " DEFERRABLE INITIALLY DEFERRED"
        return ""

    def _fk_params(self, field):
        target = field.target_field
        return {
            "to_table": self.quote_name(target.model._meta.db_table),
            "to_column": self.quote_name(target.column),
            "deferrable": self._deferrable_sql(),
        }

    def _foreign_key_name(self, model, field):
        target = field.target_field
        target_hash = self._short_hash(target.model._meta.db_table, target.column)[:6]
        return self._generated_name(model._meta.db_table, [field.column], suffix="_fk_" + target_hash)

    def _add_foreign_key_sql(self, model, field):
        return self.sql_create_fk % {
            "table": self.quote_name(model._meta.db_table),
            "name": self.quote_name(self._foreign_key_name(model, field)),
            "column": self.quote_name(field.column),
            **self._fk_params(field),
        }

    def create_model(self, model):
        """Create the table, then (deferred) its indexes, and the tables of
        the model's auto-created many-to-many intermediary models."""
        self.create_table_alone(model)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not isinstance(through, str) and through._meta.auto_created:
                self.create_model(through)

    def create_table_alone(self, model):
        """Create ``model``'s own table and (deferred) its indexes, without
        its intermediary tables: syncdb decides on those separately, as
        the routers may place them elsewhere."""
        sql, params = self.table_sql(model)
        self.execute(sql, params or None)
        self.deferred_sql.extend(self._index_statements(model))

    def delete_model(self, model):
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not isinstance(through, str) and through._meta.auto_created:
                self.delete_model(through)
        self.execute(self.sql_delete_table % {"table": self.quote_name(model._meta.db_table)})
        # Statements queued for the table would fail now that it is gone.
        table = self.quote_name(model._meta.db_table)
        self.deferred_sql = [sql for sql in self.deferred_sql if table not in str(sql)]

    def add_field(self, model, field):
        """Add a nullable (or defaulted) column to an existing table; its
        index and foreign key follow with the deferred statements."""
        definition, params = self.column_sql(model, field)
        if definition is None:
            return
        names = {"table": self.quote_name(model._meta.db_table), "column": self.quote_name(field.column)}
        self.execute(self.sql_create_column % {**names, "definition": definition}, params)
        follow_ups = []
        if self._wants_index(model, field):
            follow_ups.append(self._create_index_sql(model, fields=[field]))
        if self._field_has_fk_constraint(field) and not self.sql_create_inline_fk:
            follow_ups.append(self._add_foreign_key_sql(model, field))
        self.deferred_sql.extend(follow_ups)

    def remove_field(self, model, field):
        if field.db_parameters(connection=self.connection)["type"] is None:
            return
        # Drop the column's own indexes first (SQLite refuses to drop an
        # indexed column).
        if not self.collect_sql:
            for name in self._introspected_names(model, [field.column], index=True):
                self.execute(self._delete_index_sql(model, name))
        self.execute(self.sql_delete_column % {
            "table": self.quote_name(model._meta.db_table),
            "column": self.quote_name(field.column),
        })

    def _introspected_names(self, model, column_names, index=None, unique=None):
        """Names of the table's constraints on exactly ``column_names``
        (never the primary key), filtered on ``index``/``unique`` when
        those are given."""
        with self.connection.cursor() as cursor:
            constraints = self.connection.introspection.get_constraints(cursor, model._meta.db_table)
        wanted = [(flag, value) for flag, value in (("index", index), ("unique", unique))
                  if value is not None]

        def matches(info):
            if info.get("primary_key") or info["columns"] != list(column_names):
                return False
            return all(bool(info.get(flag)) == value for flag, value in wanted)

        return [name for name, info in constraints.items() if matches(info)]

    # -- indexes -----------------------------------------------------------------
    def _wants_index(self, model, field):
        if not field.db_index or field.unique:
            return False
        if field.get_internal_type() == "TextField" and not getattr(
            self.connection.features, "supports_index_on_text_field", True
        ):
            return False  # e.g. MySQL cannot index TEXT without a prefix length
        return field.db_parameters(connection=self.connection)["type"] is not None

    def _index_statements(self, model):
        """CREATE INDEX statements for db_index fields and Meta.indexes."""
        opts = model._meta
        if opts.proxy or not opts.managed:
            return []  # the table is not ours to index
        per_field = [
            self._create_index_sql(model, fields=[field])
            for field in opts.local_fields if self._wants_index(model, field)
        ]
        return per_field + [index.create_sql(model, self) for index in opts.indexes]

    def _index_column_list(self, columns):
        parts = []
        for col in columns:
            if isinstance(col, tuple):
                column, order = col
                parts.append(self.quote_name(column) + (" %s" % order if order else ""))
            else:
                parts.append(self.quote_name(col))
        return ", ".join(parts)

    def _where_clause(self, condition):
        if condition and getattr(self.connection.features, "supports_partial_indexes", True):
            return " WHERE " + condition
        return ""

    def _create_index_sql(self, model, *, fields=None, columns=None, name=None, suffix="",
                          condition=None, sql=None, **kwargs):
        """CREATE INDEX for ``fields`` (field objects) or ``columns``
        (names or ``(name, "DESC")`` pairs)."""
        table = model._meta.db_table
        if columns is None:
            columns = [f.column for f in fields]
        if name is None:
            name = self._generated_name(
                table, [c[0] if isinstance(c, tuple) else c for c in columns], suffix=suffix or ""
            )
        return (sql or self.sql_create_index) % {
            "name": self.quote_name(name),
            "table": self.quote_name(table),
            "columns": self._index_column_list(columns),
            "condition": self._where_clause(condition),
        }

    def _named_on_table(self, model, name):
        """The two placeholders every DROP template uses."""
        return {"table": self.quote_name(model._meta.db_table), "name": self.quote_name(name)}

    def _delete_index_sql(self, model, name, sql=None):
        template = sql or self.sql_delete_index
        return template % self._named_on_table(model, name)

    # Index and constraint objects render their own SQL through the
    # editor's helpers; these public methods just run it.
    def add_index(self, model, index):
        self.execute(index.create_sql(model, self))

    def remove_index(self, model, index):
        self.execute(index.remove_sql(model, self))

    # -- constraints -------------------------------------------------------------
    def _quoted_columns(self, columns):
        return ", ".join(map(self.quote_name, columns))

    def _named_constraint(self, name, body):
        """``CONSTRAINT <name> <body>``: a table-level clause of CREATE TABLE."""
        return self.sql_constraint % {"name": self.quote_name(name), "constraint": body}

    def _check_sql(self, name, check):
        return self._named_constraint(name, self.sql_check_constraint % {"check": check})

    def _unique_sql(self, model, columns, name=None):
        if name is None:
            name = self._generated_name(model._meta.db_table, columns, suffix="_uniq")
        body = self.sql_unique_constraint % {"columns": self._quoted_columns(columns)}
        return self._named_constraint(name, body)

    def _create_check_sql(self, model, name, check):
        return self.sql_create_check % {**self._named_on_table(model, name), "check": check}

    def _delete_check_sql(self, model, name):
        return self.sql_delete_check % self._named_on_table(model, name)

    def _create_unique_sql(self, model, columns, name=None, condition=None):
        if name is None:
            name = self._generated_name(model._meta.db_table, columns, suffix="_uniq")
        if not condition:
            return self.sql_create_unique % {
                **self._named_on_table(model, name), "columns": self._quoted_columns(columns),
            }
        # A conditional unique constraint can only be a partial unique index,
        # which some backends (MySQL) cannot build: then there is nothing.
        if not getattr(self.connection.features, "supports_partial_indexes", True):
            return None
        return self._create_index_sql(
            model, columns=columns, name=name, condition=condition, sql=self.sql_create_unique_index,
        )

    def _delete_unique_sql(self, model, name, condition=None):
        # A partial unique constraint was created as an index.
        if condition is None:
            return self.sql_delete_unique % self._named_on_table(model, name)
        return self._delete_index_sql(model, name)

    def _run_if_any(self, sql):
        # A constraint the backend cannot express renders as None.
        if sql:
            self.execute(sql)

    def add_constraint(self, model, constraint):
        self._run_if_any(constraint.create_sql(model, self))

    def remove_constraint(self, model, constraint):
        self._run_if_any(constraint.remove_sql(model, self))
