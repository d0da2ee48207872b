"""The schema editor: turns models into DDL (CREATE TABLE, indexes...).

    with connection.schema_editor() as editor:
        editor.create_model(Book)

Statements run as they are produced, except indexes and constraints that
must follow the table: those are queued in ``deferred_sql`` and run when the
context manager exits. With ``collect_sql=True`` nothing runs and the
statements (with parameters inlined) accumulate in ``collected_sql``.

Vendor subclasses change the ``sql_*`` templates and a few hooks
(``quote_value``, ``_field_should_be_indexed``, ``table_sql_suffix``).
"""
import hashlib
import logging

logger = logging.getLogger("django.db.backends.schema")


class BaseDatabaseSchemaEditor:
    sql_create_table = "CREATE TABLE %(table)s (%(definition)s)%(suffix)s"
    sql_delete_table = "DROP TABLE %(table)s CASCADE"

    sql_create_column_inline_pk = "PRIMARY KEY"
    sql_check_constraint = "CHECK (%(check)s)"
    sql_constraint = "CONSTRAINT %(name)s %(constraint)s"
    sql_unique_constraint = "UNIQUE (%(columns)s)"

    sql_create_check = "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s CHECK (%(check)s)"
    sql_delete_check = "ALTER TABLE %(table)s DROP CONSTRAINT %(name)s"
    sql_create_unique = "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s UNIQUE (%(columns)s)"
    sql_delete_unique = "ALTER TABLE %(table)s DROP CONSTRAINT %(name)s"

    sql_create_index = "CREATE INDEX %(name)s ON %(table)s (%(columns)s)%(condition)s"
    sql_create_unique_index = "CREATE UNIQUE INDEX %(name)s ON %(table)s (%(columns)s)%(condition)s"
    sql_delete_index = "DROP INDEX %(name)s"

    # Foreign keys: added after every table exists (cycles are fine), or
    # inline in CREATE TABLE where the backend sets sql_create_inline_fk.
    sql_create_fk = (
        "ALTER TABLE %(table)s ADD CONSTRAINT %(name)s FOREIGN KEY (%(column)s) "
        "REFERENCES %(to_table)s (%(to_column)s)%(deferrable)s"
    )
    sql_create_inline_fk = None
    sql_delete_fk = "ALTER TABLE %(table)s DROP CONSTRAINT %(name)s"

    sql_create_column = "ALTER TABLE %(table)s ADD COLUMN %(column)s %(definition)s"
    sql_delete_column = "ALTER TABLE %(table)s DROP COLUMN %(column)s CASCADE"

    def __init__(self, connection, collect_sql=False, atomic=True):
        self.connection = connection
        self.collect_sql = collect_sql
        if self.collect_sql:
            self.collected_sql = []
        self.atomic_migration = getattr(connection.features, "can_rollback_ddl", False) and atomic
        self.deferred_sql = []

    # -- context manager -----------------------------------------------------
    def __enter__(self):
        self.deferred_sql = []
        if self.atomic_migration:
            from django.db.transaction import Atomic

            self.atomic = Atomic(savepoint=True)
            self.atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is None:
            for sql in self.deferred_sql:
                self.execute(sql)
        if self.atomic_migration:
            self.atomic.__exit__(exc_type, exc_value, traceback)

    # -- execution -------------------------------------------------------------
    def execute(self, sql, params=()):
        """Run (or collect) one DDL statement; ``params`` are inlined with
        ``quote_value`` because DDL cannot be parameterised everywhere."""
        sql = str(sql)
        if params:
            sql = sql % tuple(self.quote_value(p) for p in params)
        logger.debug("%s", sql)
        if self.collect_sql:
            ending = "" if sql.rstrip().endswith(";") else ";"
            self.collected_sql.append(sql + ending)
            return
        with self.connection.cursor() as cursor:
            cursor.execute(sql, None)

    def quote_name(self, name):
        return self.connection.ops.quote_name(name)

    def quote_value(self, value):
        """A literal for ``value`` (used only for DDL: never user data in DML)."""
        import datetime
        import decimal

        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float, decimal.Decimal)):
            return str(value)
        if isinstance(value, (datetime.date, datetime.time, datetime.datetime)):
            return "'%s'" % value.isoformat()
        if isinstance(value, (bytes, bytearray, memoryview)):
            return "X'%s'" % bytes(value).hex()
        return "'%s'" % str(value).replace("'", "''")

    # -- names -----------------------------------------------------------------
    def _digest(self, *args):
        h = hashlib.md5(usedforsecurity=False)
        for arg in args:
            h.update(arg.encode())
        return h.hexdigest()[:8]

    def _create_index_name(self, table_name, column_names, suffix=""):
        """``<table>_<columns>_<hash><suffix>``, deterministic and cut to the
        backend's ``max_name_length()`` (the hash keeps it unique)."""
        max_length = self.connection.ops.max_name_length() or 200
        hash_suffix = "_%s%s" % (self._digest(table_name, *column_names), suffix)
        index_name = "%s_%s%s" % (table_name, "_".join(column_names), hash_suffix)
        if len(index_name) <= max_length:
            return index_name
        if len(hash_suffix) > max_length / 3:
            hash_suffix = hash_suffix[: max_length // 3]
        other_length = (max_length - len(hash_suffix)) // 2 - 1
        index_name = "%s_%s%s" % (
            table_name[:other_length], "_".join(column_names)[:other_length], hash_suffix,
        )
        if index_name[0] == "_" or index_name[0].isdigit():
            index_name = "D%s" % index_name[:-1]
        return index_name

    # -- columns and tables ----------------------------------------------------
    def column_sql(self, model, field, include_default=False):
        """``(definition, params)`` for a column, or ``(None, None)`` when the
        field has no column."""
        db_params = field.db_parameters(connection=self.connection)
        column_db_type = db_params["type"]
        if column_db_type is None:
            return None, None
        params = []
        parts = [column_db_type]
        null = field.null
        if (
            field.empty_strings_allowed and not field.primary_key
            and getattr(self.connection.features, "interprets_empty_strings_as_nulls", False)
        ):
            null = True
        if not null:
            parts.append("NOT NULL")
        elif not getattr(self.connection.features, "implied_column_null", False):
            parts.append("NULL")
        if field.primary_key:
            parts.append(self.sql_create_column_inline_pk)
        elif field.unique:
            parts.append("UNIQUE")
        suffix = field.db_type_suffix(connection=self.connection)
        if suffix:
            parts.append(suffix)
        check = db_params.get("check")
        if check and getattr(self.connection.features, "supports_column_check_constraints", True):
            parts.append(self.sql_check_constraint % {"check": check})
        return " ".join(parts), params

    def table_sql_suffix(self, model):
        return ""

    def table_sql(self, model):
        """``(CREATE TABLE sql, params)``; queues the model's indexes."""
        meta = model._meta
        column_sqls = []
        params = []
        for field in meta.local_fields:
            definition, extra_params = self.column_sql(model, field)
            if definition is None:
                continue
            params.extend(extra_params)
            if self._field_has_fk_constraint(field):
                if self.sql_create_inline_fk:
                    definition += " " + self.sql_create_inline_fk % self._fk_params(field)
                else:
                    self.deferred_sql.append(self._create_fk_sql(model, field))
            column_sqls.append("%s %s" % (self.quote_name(field.column), definition))
        constraints = []
        for fields in meta.unique_together:
            columns = [meta.get_field(f).column for f in fields]
            constraints.append(self._unique_sql(model, columns))
        for constraint in meta.constraints:
            sql = constraint.constraint_sql(model, self)
            if sql:
                constraints.append(sql)
            else:
                deferred = constraint.create_sql(model, self)
                if deferred:
                    self.deferred_sql.append(deferred)
        sql = self.sql_create_table % {
            "table": self.quote_name(meta.db_table),
            "definition": ", ".join(str(c) for c in (*column_sqls, *constraints) if c),
            "suffix": self.table_sql_suffix(model),
        }
        return sql, params

    # -- foreign keys ------------------------------------------------------------
    def _field_has_fk_constraint(self, field):
        """A REFERENCES constraint for ``field``: a resolved foreign key with
        db_constraint, to a managed table, on a backend with foreign keys."""
        rel = getattr(field, "remote_field", None)
        if rel is None or not field.concrete or getattr(field, "many_to_many", False):
            return False
        if not getattr(field, "db_constraint", False) or isinstance(rel.model, str):
            return False
        to_meta = rel.model._meta
        if not to_meta.managed or to_meta.proxy and not to_meta.concrete_model._meta.managed:
            return False
        return getattr(self.connection.features, "supports_foreign_keys", True)

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

    def _fk_constraint_name(self, model, field):
        target = field.target_field
        return self._create_index_name(
            model._meta.db_table, [field.column],
            suffix="_fk_%s" % self._digest(target.model._meta.db_table, target.column)[:6],
        )

    def _create_fk_sql(self, model, field):
        return self.sql_create_fk % {
            "table": self.quote_name(model._meta.db_table),
            "name": self.quote_name(self._fk_constraint_name(model, field)),
            "column": self.quote_name(field.column),
            **self._fk_params(field),
        }

    def create_model(self, model):
        """Create the table, then (deferred) its indexes."""
        sql, params = self.table_sql(model)
        self.execute(sql, params or None)
        self.deferred_sql.extend(self._model_indexes_sql(model))
        # The auto-created intermediary tables of many-to-many fields.
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not isinstance(through, str) and through._meta.auto_created:
                self.create_model(through)

    def delete_model(self, model):
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not isinstance(through, str) and through._meta.auto_created:
                self.delete_model(through)
        self.execute(self.sql_delete_table % {"table": self.quote_name(model._meta.db_table)})
        table = model._meta.db_table
        self.deferred_sql = [sql for sql in self.deferred_sql if table not in str(sql)]

    def add_field(self, model, field):
        """Add a nullable (or defaulted) column to an existing table."""
        definition, params = self.column_sql(model, field)
        if definition is None:
            return
        self.execute(self.sql_create_column % {
            "table": self.quote_name(model._meta.db_table),
            "column": self.quote_name(field.column),
            "definition": definition,
        }, params or None)
        if self._field_should_be_indexed(model, field):
            self.deferred_sql.append(self._create_index_sql(model, fields=[field]))
        if self._field_has_fk_constraint(field) and not self.sql_create_inline_fk:
            self.deferred_sql.append(self._create_fk_sql(model, field))

    def remove_field(self, model, field):
        if field.db_parameters(connection=self.connection)["type"] is None:
            return
        # Drop the column's own indexes first (SQLite refuses to drop an
        # indexed column).
        if not self.collect_sql:
            for name in self._constraint_names(model, [field.column], index=True):
                self.execute(self._delete_index_sql(model, name))
        self.execute(self.sql_delete_column % {
            "table": self.quote_name(model._meta.db_table),
            "column": self.quote_name(field.column),
        })

    def _constraint_names(self, model, column_names, index=None, unique=None):
        """Names of the introspected constraints on exactly ``column_names``."""
        with self.connection.cursor() as cursor:
            constraints = self.connection.introspection.get_constraints(cursor, model._meta.db_table)
        result = []
        for name, info in constraints.items():
            if info["columns"] != list(column_names) or info.get("primary_key"):
                continue
            if index is not None and bool(info.get("index")) != index:
                continue
            if unique is not None and bool(info.get("unique")) != unique:
                continue
            result.append(name)
        return result

    # -- indexes -----------------------------------------------------------------
    def _field_should_be_indexed(self, model, field):
        if not field.db_index or field.unique:
            return False
        if field.get_internal_type() == "TextField" and not getattr(
            self.connection.features, "supports_index_on_text_field", True
        ):
            return False  # e.g. MySQL cannot index TEXT without a prefix length
        return field.db_parameters(connection=self.connection)["type"] is not None

    def _model_indexes_sql(self, model):
        """CREATE INDEX statements for db_index fields and Meta.indexes."""
        if not model._meta.managed or model._meta.proxy:
            return []
        output = []
        for field in model._meta.local_fields:
            if self._field_should_be_indexed(model, field):
                output.append(self._create_index_sql(model, fields=[field]))
        for index in model._meta.indexes:
            output.append(index.create_sql(model, self))
        return output

    def _index_columns(self, columns):
        parts = []
        for col in columns:
            if isinstance(col, tuple):
                column, order = col
                parts.append(self.quote_name(column) + (" %s" % order if order else ""))
            else:
                parts.append(self.quote_name(col))
        return ", ".join(parts)

    def _index_condition_sql(self, condition):
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
            name = self._create_index_name(
                table, [c[0] if isinstance(c, tuple) else c for c in columns], suffix=suffix or ""
            )
        return (sql or self.sql_create_index) % {
            "name": self.quote_name(name),
            "table": self.quote_name(table),
            "columns": self._index_columns(columns),
            "condition": self._index_condition_sql(condition),
        }

    def _delete_index_sql(self, model, name, sql=None):
        return (sql or self.sql_delete_index) % {
            "name": self.quote_name(name),
            "table": self.quote_name(model._meta.db_table),
        }

    def add_index(self, model, index):
        self.execute(index.create_sql(model, self))

    def remove_index(self, model, index):
        self.execute(index.remove_sql(model, self))

    # -- constraints -------------------------------------------------------------
    def _check_sql(self, name, check):
        return self.sql_constraint % {
            "name": self.quote_name(name),
            "constraint": self.sql_check_constraint % {"check": check},
        }

    def _unique_sql(self, model, columns, name=None):
        if name is None:
            name = self._create_index_name(model._meta.db_table, columns, suffix="_uniq")
        return self.sql_constraint % {
            "name": self.quote_name(name),
            "constraint": self.sql_unique_constraint % {
                "columns": ", ".join(self.quote_name(c) for c in columns)
            },
        }

    def _create_check_sql(self, model, name, check):
        return self.sql_create_check % {
            "table": self.quote_name(model._meta.db_table),
            "name": self.quote_name(name),
            "check": check,
        }

    def _delete_check_sql(self, model, name):
        return self.sql_delete_check % {
            "table": self.quote_name(model._meta.db_table),
            "name": self.quote_name(name),
        }

    def _create_unique_sql(self, model, columns, name=None, condition=None):
        if name is None:
            name = self._create_index_name(model._meta.db_table, columns, suffix="_uniq")
        if condition:
            if not getattr(self.connection.features, "supports_partial_indexes", True):
                return None
            return self._create_index_sql(
                model, columns=columns, name=name, condition=condition,
                sql=self.sql_create_unique_index,
            )
        return self.sql_create_unique % {
            "table": self.quote_name(model._meta.db_table),
            "name": self.quote_name(name),
            "columns": ", ".join(self.quote_name(c) for c in columns),
        }

    def _delete_unique_sql(self, model, name, condition=None):
        if condition is not None:
            return self._delete_index_sql(model, name)
        return self.sql_delete_unique % {
            "table": self.quote_name(model._meta.db_table),
            "name": self.quote_name(name),
        }

    def add_constraint(self, model, constraint):
        sql = constraint.create_sql(model, self)
        if sql:
            self.execute(sql)

    def remove_constraint(self, model, constraint):
        sql = constraint.remove_sql(model, self)
        if sql:
            self.execute(sql)
