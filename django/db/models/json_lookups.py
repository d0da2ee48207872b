"""
JSONField key transforms and key lookups: ``data__key``, ``data__a__b``,
``data__0``, ``data__has_key``, ``data__has_keys``, ``data__has_any_keys``.

Keys are ALWAYS passed as query parameters, never written into the SQL: on
SQLite and MariaDB as a JSON path (``$."key"[0]``) built with json.dumps(), on
PostgreSQL as the operand of ``->``/``#>``/``?``. Each vendor's SQL lives in
an ``as_<vendor>()`` method.
"""
import json

from django.db.models import lookups
from django.db.models.fields.json import JSONField
from django.db.models.lookups import Transform


def _array_index(key):
    """The integer a key names when it reads as one (``"0"``), else None."""
    try:
        return int(key)
    except ValueError:
        return None


def _path_step(key):
    index = _array_index(key)
    # Object members are quoted with JSON string syntax so that dots,
    # spaces or quotes in a key cannot change the path's meaning.
    return ".%s" % json.dumps(key) if index is None else "[%d]" % index


def compile_json_path(key_transforms, include_root=True):
    """['a', '0', 'b c'] -> '$."a"[0]."b c"' (a parameter, so any key is safe)."""
    root = "$" if include_root else ""
    return root + "".join(map(_path_step, key_transforms))


def _check_key(key):
    if not isinstance(key, str):
        raise TypeError("JSON keys must be strings, got %r." % (key,))
    if "\x00" in key:
        # No database stores NUL in text; refuse it clearly instead of
        # letting the driver fail halfway through a query.
        raise ValueError("JSON keys cannot contain NUL characters: %r." % (key,))
    return key


class KeyTransform(Transform):
    """``data__key``: the value stored under ``key`` (still JSON)."""

    # PostgreSQL operators: one key, and a path of keys (as a text array).
    postgres_operator = "->"
    postgres_nested_operator = "#>"

    def __init__(self, key_name, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_name = _check_key(key_name)

    def preprocess_lhs(self, compiler, connection):
        """Compile the JSON column under a chain of key transforms and return
        ``(sql, params, keys)``, keys ordered from the outermost object in."""
        keys = []
        node = self
        while isinstance(node, KeyTransform):
            keys.append(node.key_name)
            node = node.lhs
        keys.reverse()
        sql, params = compiler.compile(node)
        return sql, list(params), keys

    def as_sql(self, compiler, connection):
        # SQLite and MariaDB/MySQL: JSON_EXTRACT(column, <path parameter>).
        column_sql, params, keys = self.preprocess_lhs(compiler, connection)
        return "JSON_EXTRACT(%s, %%s)" % column_sql, (*params, compile_json_path(keys))

    def as_postgresql(self, compiler, connection):
        column_sql, params, keys = self.preprocess_lhs(compiler, connection)
        if len(keys) == 1:
            # "->" takes an integer for array positions, text for members.
            index = _array_index(self.key_name)
            operator, operand = self.postgres_operator, self.key_name if index is None else index
        else:
            operator, operand = self.postgres_nested_operator, keys
        return "(%s %s %%s)" % (column_sql, operator), (*params, operand)

    def _resolve_output_field(self):
        return self.lhs.output_field


class KeyTextTransform(KeyTransform):
    """The value under a key as text (unquoted), for text lookups."""

    postgres_operator = "->>"
    postgres_nested_operator = "#>>"

    def as_mysql(self, compiler, connection):
        # JSON_EXTRACT keeps strings quoted; text lookups want the bare text.
        extracted, params = KeyTransform.as_sql(self, compiler, connection)
        return "JSON_UNQUOTE(%s)" % extracted, params


class KeyTransformFactory:
    """Stands in for a transform class: called with the lhs, it builds the
    KeyTransform for the key it was created for."""

    def __init__(self, key_name):
        self.key_name = key_name

    def __call__(self, *args, **kwargs):
        return KeyTransform(self.key_name, *args, **kwargs)


def _json_get_transform(self, name):
    # Registered transforms win; any other name is a key.
    return super(JSONField, self).get_transform(name) or KeyTransformFactory(name)


# JSONField (owned by the model layer) gets key transforms for any name that
# is not a registered transform, unless it already defines get_transform.
if "get_transform" not in JSONField.__dict__:
    JSONField.get_transform = _json_get_transform


class HasKeyLookup(lookups.PostgresOperatorLookup):
    """Common SQL for has_key/has_keys/has_any_keys."""

    logical_operator = None
    prepare_rhs = False

    def _key_paths(self, compiler, connection):
        if isinstance(self.lhs, KeyTransform):
            lhs, lhs_params, lhs_key_transforms = self.lhs.preprocess_lhs(
                compiler, connection
            )
        else:
            lhs, lhs_params = compiler.compile(self.lhs)
            lhs_key_transforms = []
        rhs = self.rhs if isinstance(self.rhs, (list, tuple)) else [self.rhs]
        paths = []
        for key in rhs:
            if isinstance(key, KeyTransform):
                *_, rhs_key_transforms = key.preprocess_lhs(compiler, connection)
            else:
                rhs_key_transforms = [_check_key(key)]
            paths.append(compile_json_path([*lhs_key_transforms, *rhs_key_transforms]))
        return lhs, list(lhs_params), paths

    def _as_sql(self, compiler, connection, template):
        lhs, params, paths = self._key_paths(compiler, connection)
        sql = template % lhs
        parts = [sql] * len(paths)
        for path in paths:
            params.append(path)
        joined = (" %s " % self.logical_operator).join(parts) if self.logical_operator else parts[0]
        if len(parts) > 1:
            joined = "(%s)" % joined
        return joined, tuple(params)

    def as_sql(self, compiler, connection):
        # SQLite: JSON_TYPE() is NULL for a missing key (and 'null' for JSON null).
        return self._as_sql(compiler, connection, template="JSON_TYPE(%s, %%s) IS NOT NULL")

    def as_mysql(self, compiler, connection):
        return self._as_sql(
            compiler, connection, template="JSON_CONTAINS_PATH(%s, 'one', %%s)"
        )

    def as_postgresql(self, compiler, connection):
        container, key = self.lhs, self.rhs
        if isinstance(key, KeyTransform):
            # has_key=KeyTransform("c", KeyTransform("b", ...)): test the
            # last key inside the object the others lead to.
            *_, path = key.preprocess_lhs(compiler, connection)
            for step in path[:-1]:
                container = KeyTransform(step, container)
            key = path[-1]
            self.lhs, self.rhs = container, key
        container_sql, params = compiler.compile(container)
        if isinstance(key, (list, tuple)):
            operand = [_check_key(str(k) if isinstance(k, int) else k) for k in key]
        else:
            operand = _check_key(key)
        return "(%s %s %%s)" % (container_sql, self.postgres_operator), (*params, operand)


class HasKey(HasKeyLookup):
    lookup_name = "has_key"
    postgres_operator = "?"


class HasKeys(HasKeyLookup):
    lookup_name = "has_keys"
    # ?& : all of the keys; AND joins one test per key elsewhere.
    postgres_operator = "?&"
    logical_operator = "AND"

    def get_prep_lookup(self):
        keys = self.rhs
        if isinstance(keys, (str, bytes)) or not hasattr(keys, "__iter__"):
            raise TypeError("has_keys needs a list of keys, got %r." % (keys,))
        return list(map(str, keys))


class HasAnyKeys(HasKeys):
    lookup_name = "has_any_keys"
    # ?| : any of the keys.
    postgres_operator = "?|"
    logical_operator = "OR"


JSONField.register_lookup(HasKey)
JSONField.register_lookup(HasKeys)
JSONField.register_lookup(HasAnyKeys)


class _JSONRhsMixin:
    """Compare with a JSON-encoded parameter, normalised by the database."""

    def as_sqlite(self, compiler, connection):
        return self._wrapped(compiler, connection, "JSON_EXTRACT(%s, '$')")

    def as_mysql(self, compiler, connection):
        return self._wrapped(compiler, connection, "JSON_EXTRACT(%s, '$')")

    def _wrapped(self, compiler, connection, template):
        lhs_sql, params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        if self.rhs_is_direct_value():
            rhs_sql = template % rhs_sql
        params = list(params) + list(rhs_params)
        return "%s %s" % (lhs_sql, self.get_rhs_op(connection, rhs_sql)), params


class KeyTransformExact(_JSONRhsMixin, lookups.Exact):
    """``data__key=value``: compares JSON values; ``None`` means JSON null."""

    can_use_none_as_rhs = True

    def get_db_prep_lookup(self, value, connection):
        return "%s", [self.lhs.output_field.get_db_prep_value(value, connection)]

    def as_mysql(self, compiler, connection):
        # MariaDB compares a JSON scalar with a string after unquoting it;
        # JSON_EQUALS() compares the two JSON documents instead.
        lhs_sql, params = self.process_lhs(compiler, connection)
        if not self.rhs_is_direct_value():
            return super().as_mysql(compiler, connection)
        _, rhs_params = self.process_rhs(compiler, connection)
        # "= 1": MariaDB treats a NULL JSON_EQUALS() as true in WHERE.
        return "JSON_EQUALS(%s, %%s) = 1" % lhs_sql, list(params) + list(rhs_params)

    def as_sqlite(self, compiler, connection):
        if self.rhs is None:
            lhs, params, key_transforms = self.lhs.preprocess_lhs(compiler, connection)
            return "JSON_TYPE(%s, %%s) = 'null'" % lhs, tuple(params) + (
                compile_json_path(key_transforms),
            )
        return super().as_sqlite(compiler, connection)


class KeyTransformIn(_JSONRhsMixin, lookups.In):
    def batch_process_rhs(self, compiler, connection, rhs=None):
        values = self.rhs if rhs is None else rhs
        field = self.lhs.output_field
        params = [field.get_db_prep_value(v, connection) for v in values]
        return ["%s"] * len(params), params

    def as_mysql(self, compiler, connection):
        lhs_sql, params = self.process_lhs(compiler, connection)
        sqls, rhs_params = self.batch_process_rhs(
            compiler, connection, [v for v in self.rhs if v is not None]
        )
        if not rhs_params:
            from django.core.exceptions import EmptyResultSet

            raise EmptyResultSet
        parts = ["JSON_EQUALS(%s, %%s) = 1" % lhs_sql] * len(rhs_params)
        all_params = []
        for p in rhs_params:
            all_params.extend(params)
            all_params.append(p)
        return "(%s)" % " OR ".join(parts), all_params

    def _wrapped(self, compiler, connection, template):
        lhs_sql, params = self.process_lhs(compiler, connection)
        sqls, rhs_params = self.batch_process_rhs(compiler, connection, [
            v for v in self.rhs if v is not None
        ])
        if not rhs_params:
            from django.core.exceptions import EmptyResultSet

            raise EmptyResultSet
        rhs_sql = "(%s)" % ", ".join(template % s for s in sqls)
        return "%s IN %s" % (lhs_sql, rhs_sql), list(params) + list(rhs_params)


class KeyTransformIsNull(lookups.IsNull):
    """``data__key__isnull=True``: the key is missing."""

    def as_sql(self, compiler, connection):
        return self._key_sql(compiler, connection, HasKey)

    def as_mysql(self, compiler, connection):
        return self._key_sql(compiler, connection, HasKey)

    def as_postgresql(self, compiler, connection):
        return self._key_sql(compiler, connection, HasKey)

    def _key_sql(self, compiler, connection, lookup_class):
        if not isinstance(self.rhs, bool):
            raise ValueError(
                "The QuerySet value for an isnull lookup must be True or False."
            )
        has_key = lookup_class(self.lhs.lhs, self.lhs.key_name)
        sql, params = compiler.compile(has_key)
        if self.rhs:
            return "NOT %s" % sql, params
        return sql, params


class KeyTransformNumericLookupMixin:
    """Numbers compare as numbers (not as JSON text) where JSON is text."""

    def get_db_prep_lookup(self, value, connection):
        encoded = self.lhs.output_field.get_db_prep_value(value, connection)
        if getattr(connection.features, "has_native_json_field", False):
            return "%s", [encoded]
        # JSON_EXTRACT() yields SQL numbers there: send the decoded value.
        return "%s", [json.loads(encoded)]


class KeyTransformTextLookupMixin:
    """Text lookups (icontains, startswith...) on the key's unquoted text."""

    def __init__(self, key_transform, *args, **kwargs):
        if not isinstance(key_transform, KeyTransform):
            raise TypeError(
                "Transform should be an instance of KeyTransform in order to "
                "use this lookup."
            )
        # Same key and column, but read as text.
        as_text = KeyTextTransform(key_transform.key_name, *key_transform.source_expressions)
        super().__init__(as_text, *args, **kwargs)


def _key_lookup(mixin, base):
    return type("KeyTransform%s" % base.__name__, (mixin, base), {"__module__": __name__})


def _text_lookup(base):
    return _key_lookup(KeyTransformTextLookupMixin, base)


KeyTransformLt = _key_lookup(KeyTransformNumericLookupMixin, lookups.LessThan)
KeyTransformLte = _key_lookup(KeyTransformNumericLookupMixin, lookups.LessThanOrEqual)
KeyTransformGt = _key_lookup(KeyTransformNumericLookupMixin, lookups.GreaterThan)
KeyTransformGte = _key_lookup(KeyTransformNumericLookupMixin, lookups.GreaterThanOrEqual)


KeyTransformIExact = _text_lookup(lookups.IExact)
KeyTransformIContains = _text_lookup(lookups.IContains)
KeyTransformStartsWith = _text_lookup(lookups.StartsWith)
KeyTransformIStartsWith = _text_lookup(lookups.IStartsWith)
KeyTransformEndsWith = _text_lookup(lookups.EndsWith)
KeyTransformIEndsWith = _text_lookup(lookups.IEndsWith)
KeyTransformRegex = _text_lookup(lookups.Regex)
KeyTransformIRegex = _text_lookup(lookups.IRegex)

for _lookup in (
    KeyTransformExact,
    KeyTransformIn,
    KeyTransformIsNull,
    KeyTransformLt,
    KeyTransformLte,
    KeyTransformGt,
    KeyTransformGte,
    KeyTransformIExact,
    KeyTransformIContains,
    KeyTransformStartsWith,
    KeyTransformIStartsWith,
    KeyTransformEndsWith,
    KeyTransformIEndsWith,
    KeyTransformRegex,
    KeyTransformIRegex,
    HasKey,
    HasKeys,
    HasAnyKeys,
):
    KeyTransform.register_lookup(_lookup)
