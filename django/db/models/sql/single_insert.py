"""
save()'s INSERT of one new instance, prepared once per model and connection.

Saving new instances of a model INSERTs one row with the same columns again
and again. The general path builds an InsertQuery and a compiler for every
row (see SQLInsertCompiler); here the statement, the plan reading and
preparing each value, and the converters of the returned columns are kept
per connection from the first such INSERT, all worked out by that same
compiler. Later INSERTs only compute their values and run the statement.

Only the columns save() writes qualify (every local column, or all but the
auto primary key), and only while nothing but a plain parameter is stored:
a field with its own ``pre_save()`` (``auto_now``) or placeholder, or a
value that is an expression, takes the general path.

The usual row has every value of its field's pass-through type: it is read
with one attrgetter, recognised by one comparison of its types, and its
values only pass the fields' storage checks (the guards of
``fields/storage_checks.py``); any other row is read and prepared value by
value.
"""
from operator import attrgetter

from django.db.models.sql import statement_cache
from django.db.models.sql.subqueries import InsertQuery


class PreparedInsert:
    """What one INSERT shape needs besides the instance (see module doc)."""

    __slots__ = (
        "fields", "returning", "generation", "sql", "extra_params", "plan",
        "compiler", "converters", "read_row", "row_types", "checks",
    )

    def values(self, obj):
        """The statement's params for ``obj``, or None when one of its values
        is not a plain parameter (an expression)."""
        if self.read_row is not None:
            row = self.read_row(obj)
            if list(map(type, row)) == self.row_types:
                # The usual row: all values of their fields' pass-through
                # types, read in one C call; they only need checking.
                for position, check in self.checks:
                    check(row[position])
                return [*row, *self.extra_params]
        return self._values_one_by_one(obj)

    def _values_one_by_one(self, obj):
        params = []
        append = params.append
        for read, prepare, passthrough, check in self.plan:
            value = read(obj)
            if type(value) is passthrough:
                if check is not None:
                    check(value)  # the field's storage checks
            else:
                if hasattr(value, "resolve_expression") or hasattr(value, "as_sql"):
                    return None
                value = prepare(value)
                if hasattr(value, "as_sql"):
                    return None
            append(value)
        params.extend(self.extra_params)
        return params

    def returned_rows(self, cursor):
        """The returned columns as the compiler's execute_sql() gives them."""
        compiler = self.compiler
        rows, fields = compiler._returned_rows(cursor, False)
        if self.converters is None:
            self.converters = compiler._returned_converters(fields)
        if self.converters:
            rows = compiler.apply_converters(rows, self.converters)
        return [tuple(row) for row in rows]


def insert_one(connection, model, obj, fields, returning_fields):
    """
    INSERT ``obj`` as save() does and return what
    ``SQLInsertCompiler.execute_sql(returning_fields)`` would, or None when
    this INSERT must take the general path (nothing was sent then).
    """
    meta = model._meta
    inserts = connection.compiled_inserts
    key = (PreparedInsert, model, id(fields), id(returning_fields))
    prepared = inserts.get(key)
    if (
        prepared is None
        or prepared.fields is not fields
        or prepared.returning is not returning_fields
        or prepared.generation != statement_cache.generation()
    ):
        if not _saves_columns(meta, fields):
            return None
        prepared = _prepared_insert(connection, model, obj, fields, returning_fields)
        if prepared is None:
            return None
        if len(inserts) >= _MAX_PREPARED:
            inserts.clear()
        inserts[key] = prepared
    params = prepared.values(obj)
    if params is None:
        return None
    with connection.statement_cursor() as cursor:
        cursor.execute(prepared.sql, params)
        if not returning_fields:
            return []
        return prepared.returned_rows(cursor)


_MAX_PREPARED = 256


def _saves_columns(meta, fields):
    """Are ``fields`` one of the column lists save() writes? (The key holds
    their id: lists made per call, as bulk_create()'s, would only fill the
    cache.)"""
    return bool(fields) and (
        fields is meta.local_concrete_fields or fields is meta.local_concrete_fields_but_auto
    )


def _prepared_insert(connection, model, obj, fields, returning_fields):
    """A PreparedInsert made by the general compiler, or None if this shape
    does not qualify."""
    query = InsertQuery(model)
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = returning_fields
    layout = compiler._layout()
    shape = compiler.shape = compiler._insert_shape(fields, layout)
    if shape.own_placeholders or any(not _plain_read(step) for step in shape.plan):
        return None
    sql, extra_params = compiler._plain_statement_sql(shape, fields, 1, layout)
    query.objs = []  # the compiler is kept: it must not keep the instance
    prepared = PreparedInsert()
    prepared.fields, prepared.returning = fields, returning_fields
    prepared.generation = statement_cache.generation()
    prepared.sql, prepared.extra_params = sql, tuple(extra_params)
    # Per field: how to read, prepare and check its value (the compiler's
    # plan, cut to what values() uses).
    prepared.plan = tuple(
        (read, prepare, passthrough, None if guard is None else guard.value)
        for read, prepare, _shortcut, _field, passthrough, guard in shape.plan
    )
    prepared.compiler, prepared.converters = compiler, None
    _plan_row_reading(prepared, fields)
    return prepared


def _plan_row_reading(prepared, fields):
    """values()'s shortcut: every attribute of a row read by one attrgetter
    (two fields at least, so it returns a tuple), the types that need no
    preparing, and the checks by position."""
    prepared.read_row = prepared.row_types = None
    prepared.checks = ()
    types = [passthrough for _read, _prepare, passthrough, _check in prepared.plan]
    if len(fields) < 2 or None in types:
        return
    prepared.read_row = attrgetter(*(field.attname for field in fields))
    prepared.row_types = types
    prepared.checks = tuple(
        (position, check)
        for position, (_read, _prepare, _passthrough, check) in enumerate(prepared.plan)
        if check is not None
    )


def _plain_read(step):
    """Is the plan step's read a plain attribute read (no pre_save())?"""
    return type(step[0]) is attrgetter
