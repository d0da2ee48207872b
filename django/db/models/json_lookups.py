"""
JSONField key transforms and key lookups: ``data__key``, ``data__a__b``,
``data__0``, ``data__has_key``, ``data__has_keys``, ``data__has_any_keys``.

A key is any string. It always travels as a query parameter, never inside
the SQL text; what differs per database is how a chain of keys is found:

* PostgreSQL takes the chain as a text array (``#>`` / ``#>>``), and reads
  each element as a member name or, on an array, as a position.
* MariaDB/MySQL take a JSON path parameter (``$."a"."b c"``); members are
  written with JSON string syntax, so quotes and dots in a key are safe.
* SQLite takes a JSON path too, but how it reads an escaped quote in a path
  changed between versions, so a key holding ``"`` is looked up by name
  with ``JSON_EACH()`` instead, which compares decoded names everywhere.

A key made of digits (``"0"``, ``"12"``; not ``"07"``) stands for an array
position and also for an object member of that name, whichever the value
it is applied to holds, on every database. ``_position_step()`` and the
per-database builders below implement that.
"""
import functools
import json

from django.db.models import lookups
from django.db.models.fields.json import JSONField
from django.db.models.lookups import Transform


def array_position(key):
    """The array position ``key`` names ("0", "12"), or None ("07", "x")."""
    canonical = key.isascii() and key.isdigit() and (key == "0" or not key.startswith("0"))
    return int(key) if canonical else None


def _check_key(key):
    if not isinstance(key, str):
        raise TypeError("JSON keys must be strings, got %r." % (key,))
    if "\x00" in key:
        # No database stores NUL in text; refuse it clearly instead of
        # letting the driver fail halfway through a query.
        raise ValueError("JSON keys cannot contain NUL characters: %r." % (key,))
    return key


def compile_json_path(key_transforms, include_root=True):
    """['a', 'b c'] -> '$."a"."b c"': members in JSON string syntax.

    Positions are written as members here; the builders below decide where
    a position needs more than a path."""
    return ("$" if include_root else "") + "".join("." + json.dumps(key) for key in key_transforms)


# --- SQLite --------------------------------------------------------------------
# JSON_EACH() rows of the value at a path: the members of an object (key =
# the decoded name) or the elements of an array (key = the position).
_SQLITE_EACH = (
    "(SELECT json_step.%s FROM JSON_EACH(%s, %%s) AS json_step "
    "WHERE CAST(json_step.key AS TEXT) = %%s%s)"
)


def _sqlite_needs_each(key):
    return '"' in key or array_position(key) is not None


def sqlite_key_sql(document, params, keys, function="JSON_EXTRACT"):
    """SQL for ``function`` (JSON_EXTRACT or JSON_TYPE) of the value under
    ``keys`` in the JSON ``document``; returns ``(sql, params)``."""
    path = "$"
    params = list(params)
    for depth, key in enumerate(keys, 1):
        if not _sqlite_needs_each(key):
            path += compile_json_path([key], include_root=False)
            continue
        innermost = depth == len(keys)
        column = "type" if innermost and function == "JSON_TYPE" else "value"
        # Only an object or array can be looked into further.
        only_containers = "" if innermost else " AND json_step.type IN ('object', 'array')"
        document = _SQLITE_EACH % (column, document, only_containers)
        params += [path, key]
        if innermost:
            return document, params
        path = "$"
    return "%s(%s, %%s)" % (function, document), params + [path]


# --- MariaDB / MySQL -------------------------------------------------------------
def mysql_key_sql(document, params, keys):
    """``(sql, params, path)``: the JSON value ``sql`` to apply ``path`` to.

    A position key is looked up twice, as a member and as an element (a
    ``[n]`` step alone would also take a non-array for a one-element array
    holding it), and the path starts again from the value found."""
    path = "$"
    params = list(params)
    for key in keys:
        position = array_position(key)
        if position is None:
            path += compile_json_path([key], include_root=False)
            continue
        document = "COALESCE(JSON_EXTRACT(%s, %%s), JSON_EXTRACT(JSON_EXTRACT(%s, %%s), %%s))" % (
            document, document,
        )
        member = path + compile_json_path([key], include_root=False)
        params = [*params, member, *params, path + "[*]", "$[%d]" % position]
        path = "$"
    return document, params, path


class KeyTransform(Transform):
    """``data__key``: the value stored under ``key`` (still JSON)."""

    # PostgreSQL: the value at a text-array path, as JSON or as text.
    postgres_path_operator = "#>"

    def __init__(self, key_name, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_name = _check_key(key_name)

    def preprocess_lhs(self, compiler, connection):
        """``(sql, params, keys)``: the JSON column compiled, and the keys of
        the chain of transforms down to this one, outermost first."""
        if isinstance(self.lhs, KeyTransform):
            document, params, outer_keys = self.lhs.preprocess_lhs(compiler, connection)
            return document, params, [*outer_keys, self.key_name]
        document, params = compiler.compile(self.lhs)
        return document, list(params), [self.key_name]

    def as_sql(self, compiler, connection):
        document, params, keys = self.preprocess_lhs(compiler, connection)
        return sqlite_key_sql(document, params, keys)

    def as_mysql(self, compiler, connection):
        document, params, path = mysql_key_sql(*self.preprocess_lhs(compiler, connection))
        return "JSON_EXTRACT(%s, %%s)" % document, (*params, path)

    def as_postgresql(self, compiler, connection):
        document, params, keys = self.preprocess_lhs(compiler, connection)
        return "(%s %s %%s)" % (document, self.postgres_path_operator), (*params, keys)

    def _resolve_output_field(self):
        return self.lhs.output_field


class KeyTextTransform(KeyTransform):
    """The value under a key as text (unquoted), for text lookups."""

    postgres_path_operator = "#>>"

    def as_mysql(self, compiler, connection):
        # JSON_EXTRACT keeps strings quoted; text lookups want the bare text.
        extracted, params = super().as_mysql(compiler, connection)
        return "JSON_UNQUOTE(%s)" % extracted, params


def KeyTransformFactory(key_name):
    """What get_transform() answers for a key: it stands in for a transform
    class, and called with the lhs builds the KeyTransform of that key."""
    return functools.partial(KeyTransform, key_name)


def _json_get_transform(self, name):
    # Registered transforms win; any other name is a key.
    return super(JSONField, self).get_transform(name) or KeyTransformFactory(name)


# JSONField (owned by the model layer) gets key transforms for any name that
# is not a registered transform, unless it already defines get_transform.
if "get_transform" not in JSONField.__dict__:
    JSONField.get_transform = _json_get_transform


class HasKeyLookup(lookups.PostgresOperatorLookup):
    """has_key / has_keys / has_any_keys: one test per key, joined by
    ``logical_operator`` when there are several."""

    logical_operator = None
    prepare_rhs = False

    def _paths(self, compiler, connection):
        """``(document sql, params, [keys of each tested path])``."""
        if isinstance(self.lhs, KeyTransform):
            document, params, outer = self.lhs.preprocess_lhs(compiler, connection)
        else:
            document, params = compiler.compile(self.lhs)
            outer = []
        wanted = self.rhs if isinstance(self.rhs, (list, tuple)) else [self.rhs]
        paths = []
        for key in wanted:
            if isinstance(key, KeyTransform):
                inner = key.preprocess_lhs(compiler, connection)[2]
            else:
                inner = [_check_key(str(key) if isinstance(key, int) else key)]
            paths.append(outer + inner)
        return document, list(params), paths

    def _joined(self, compiler, connection, test):
        document, params, paths = self._paths(compiler, connection)
        pieces, all_params = [], []
        for keys in paths:
            sql, sql_params = test(document, params, keys)
            pieces.append(sql)
            all_params += sql_params
        if len(pieces) == 1:
            return pieces[0], tuple(all_params)
        return "(%s)" % (" %s " % self.logical_operator).join(pieces), tuple(all_params)

    def as_sql(self, compiler, connection):
        # JSON_TYPE() is NULL for a missing key and 'null' for JSON null.
        def test(document, params, keys):
            sql, params = sqlite_key_sql(document, params, keys, "JSON_TYPE")
            return sql + " IS NOT NULL", params

        return self._joined(compiler, connection, test)

    def as_mysql(self, compiler, connection):
        def test(document, params, keys):
            document, params, path = mysql_key_sql(document, params, keys)
            return "JSON_CONTAINS_PATH(%s, 'one', %%s)" % document, [*params, path]

        return self._joined(compiler, connection, test)

    def as_postgresql(self, compiler, connection):
        # "?" (which an index on the column serves) for member names; a
        # path test where the key may be an array position.
        def test(document, params, keys):
            *outer, key = keys
            if array_position(key) is not None:
                return "(%s #> %%s) IS NOT NULL" % document, [*params, keys]
            if not outer:
                return "(%s ? %%s)" % document, [*params, key]
            return "((%s #> %%s) ? %%s)" % document, [*params, outer, key]

        return self._joined(compiler, connection, test)


class HasKey(HasKeyLookup):
    lookup_name = "has_key"
    postgres_operator = "?"


class HasKeys(HasKeyLookup):
    lookup_name = "has_keys"
    postgres_operator = "?&"
    logical_operator = "AND"

    def get_prep_lookup(self):
        keys = self.rhs
        if isinstance(keys, (str, bytes)) or not hasattr(keys, "__iter__"):
            raise TypeError("%s needs a list of keys, got %r." % (self.lookup_name, keys))
        return list(map(str, keys))


class HasAnyKeys(HasKeys):
    lookup_name = "has_any_keys"
    postgres_operator = "?|"
    logical_operator = "OR"


JSONField.register_lookup(HasKey)
JSONField.register_lookup(HasKeys)
JSONField.register_lookup(HasAnyKeys)


class _JSONRhsMixin:
    """Compare with a JSON-encoded parameter, normalised by the database."""

    rhs_template = "JSON_EXTRACT(%s, '$')"

    def as_sqlite(self, compiler, connection):
        return self.compare_as_json(compiler, connection)

    def as_mysql(self, compiler, connection):
        return self.compare_as_json(compiler, connection)

    def compare_as_json(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        if self.rhs_is_direct_value():
            rhs_sql = self.rhs_template % rhs_sql
        operation = self.get_rhs_op(connection, rhs_sql)
        return "%s %s" % (lhs_sql, operation), [*lhs_params, *rhs_params]


class KeyTransformExact(_JSONRhsMixin, lookups.Exact):
    """``data__key=value``: compares JSON values; ``None`` means JSON null."""

    can_use_none_as_rhs = True

    def get_db_prep_lookup(self, value, connection):
        return "%s", [self.lhs.output_field.get_db_prep_value(value, connection)]

    def as_mysql(self, compiler, connection):
        # MariaDB compares a JSON scalar with a string after unquoting it;
        # JSON_EQUALS() compares the two JSON documents instead ("= 1":
        # a NULL JSON_EQUALS() would count as true in WHERE).
        if not self.rhs_is_direct_value():
            return super().as_mysql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_params = self.process_rhs(compiler, connection)[1]
        return "JSON_EQUALS(%s, %%s) = 1" % lhs_sql, [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler, connection):
        if self.rhs is not None:
            return super().as_sqlite(compiler, connection)
        # JSON_EXTRACT() gives SQL NULL for JSON null: ask for the type.
        document, params, keys = self.lhs.preprocess_lhs(compiler, connection)
        sql, params = sqlite_key_sql(document, params, keys, "JSON_TYPE")
        return sql + " = 'null'", tuple(params)


class KeyTransformIn(_JSONRhsMixin, lookups.In):
    def batch_process_rhs(self, compiler, connection, rhs=None):
        field = self.lhs.output_field
        values = self.rhs if rhs is None else rhs
        params = [field.get_db_prep_value(value, connection) for value in values]
        return ["%s"] * len(params), params

    def _present_values(self, compiler, connection):
        """Placeholders and parameters of the non-None values; NULL matches
        nothing, so a list of only Nones selects no row at all."""
        placeholders, params = self.batch_process_rhs(
            compiler, connection, [value for value in self.rhs if value is not None]
        )
        if not params:
            from django.core.exceptions import EmptyResultSet

            raise EmptyResultSet
        return placeholders, params

    def as_mysql(self, compiler, connection):
        # One JSON_EQUALS() per value (see KeyTransformExact.as_mysql).
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        values = self._present_values(compiler, connection)[1]
        test = "JSON_EQUALS(%s, %%s) = 1" % lhs_sql
        params = [param for value in values for param in (*lhs_params, value)]
        return "(%s)" % " OR ".join([test] * len(values)), params

    def compare_as_json(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        placeholders, params = self._present_values(compiler, connection)
        listed = ", ".join(self.rhs_template % placeholder for placeholder in placeholders)
        return "%s IN (%s)" % (lhs_sql, listed), [*lhs_params, *params]


class KeyTransformIsNull(lookups.IsNull):
    """``data__key__isnull=True``: the key is missing."""

    def as_sql(self, compiler, connection):
        if not isinstance(self.rhs, bool):
            raise ValueError("The QuerySet value for an isnull lookup must be True or False.")
        has_key, params = compiler.compile(HasKey(self.lhs.lhs, self.lhs.key_name))
        return ("NOT %s" % has_key if self.rhs else has_key), params

    as_mysql = as_postgresql = as_sqlite = as_sql


class KeyTransformNumericLookupMixin:
    """Numbers compare as numbers (not as JSON text) where JSON is text."""

    def get_db_prep_lookup(self, value, connection):
        encoded = self.lhs.output_field.get_db_prep_value(value, connection)
        if getattr(connection.features, "has_native_json_field", False):
            return "%s", [encoded]
        # JSON_EXTRACT() yields SQL numbers there: send the decoded value.
        return "%s", [json.loads(encoded)]


class KeyTransformTextLookupMixin:
    """Text lookups (icontains, startswith...) on the key's unquoted text:
    the lookup is built on a KeyTextTransform of the same key and column."""

    def __init__(self, key_transform, *args, **kwargs):
        if not isinstance(key_transform, KeyTransform):
            raise TypeError(
                "Transform should be an instance of KeyTransform in order to use this lookup."
            )
        as_text = KeyTextTransform(key_transform.key_name, key_transform.lhs)
        super().__init__(as_text, *args, **kwargs)


def _key_lookup(mixin, base):
    return type("KeyTransform%s" % base.__name__, (mixin, base), {"__module__": __name__})


KeyTransformLt, KeyTransformLte, KeyTransformGt, KeyTransformGte = (
    _key_lookup(KeyTransformNumericLookupMixin, base)
    for base in (lookups.LessThan, lookups.LessThanOrEqual, lookups.GreaterThan,
                 lookups.GreaterThanOrEqual)
)
(KeyTransformIExact, KeyTransformIContains, KeyTransformStartsWith, KeyTransformIStartsWith,
 KeyTransformEndsWith, KeyTransformIEndsWith, KeyTransformRegex, KeyTransformIRegex) = (
    _key_lookup(KeyTransformTextLookupMixin, base)
    for base in (lookups.IExact, lookups.IContains, lookups.StartsWith, lookups.IStartsWith,
                 lookups.EndsWith, lookups.IEndsWith, lookups.Regex, lookups.IRegex)
)

for _lookup in (
    KeyTransformExact, KeyTransformIn, KeyTransformIsNull,
    KeyTransformLt, KeyTransformLte, KeyTransformGt, KeyTransformGte,
    KeyTransformIExact, KeyTransformIContains, KeyTransformStartsWith, KeyTransformIStartsWith,
    KeyTransformEndsWith, KeyTransformIEndsWith, KeyTransformRegex, KeyTransformIRegex,
    HasKey, HasKeys, HasAnyKeys,
):
    KeyTransform.register_lookup(_lookup)
