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


def compile_json_path(key_transforms, include_root=True):
    """['a', '0', 'b c'] -> '$."a"[0]."b c"' (a parameter, so any key is safe)."""
    path = ["$"] if include_root else []
    for key_transform in key_transforms:
        try:
            num = int(key_transform)
        except ValueError:  # non-integer
            path.append(".")
            path.append(json.dumps(key_transform))
        else:
            path.append("[%s]" % num)
    return "".join(path)


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

    postgres_operator = "->"
    postgres_nested_operator = "#>"

    def __init__(self, key_name, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_name = _check_key(key_name)

    def preprocess_lhs(self, compiler, connection):
        key_transforms = [self.key_name]
        previous = self.lhs
        while isinstance(previous, KeyTransform):
            key_transforms.insert(0, previous.key_name)
            previous = previous.lhs
        lhs, params = compiler.compile(previous)
        return lhs, list(params), key_transforms

    def as_sql(self, compiler, connection):
        # SQLite and MariaDB/MySQL: JSON_EXTRACT(column, <path parameter>).
        lhs, params, key_transforms = self.preprocess_lhs(compiler, connection)
        json_path = compile_json_path(key_transforms)
        return "JSON_EXTRACT(%s, %%s)" % lhs, tuple(params) + (json_path,)

    def as_postgresql(self, compiler, connection):
        lhs, params, key_transforms = self.preprocess_lhs(compiler, connection)
        if len(key_transforms) > 1:
            sql = "(%s %s %%s)" % (lhs, self.postgres_nested_operator)
            return sql, tuple(params) + (key_transforms,)
        try:
            lookup = int(self.key_name)
        except ValueError:
            lookup = self.key_name
        return "(%s %s %%s)" % (lhs, self.postgres_operator), tuple(params) + (lookup,)

    def _resolve_output_field(self):
        return self.lhs.output_field


class KeyTextTransform(KeyTransform):
    """The value under a key as text (unquoted), for text lookups."""

    postgres_operator = "->>"
    postgres_nested_operator = "#>>"

    def as_mysql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        return "JSON_UNQUOTE(%s)" % sql, params


class KeyTransformFactory:
    def __init__(self, key_name):
        self.key_name = key_name

    def __call__(self, *args, **kwargs):
        return KeyTransform(self.key_name, *args, **kwargs)


def _json_get_transform(self, name):
    transform = super(JSONField, self).get_transform(name)
    if transform:
        return transform
    return KeyTransformFactory(name)


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
        if isinstance(self.rhs, KeyTransform):
            *_, rhs_key_transforms = self.rhs.preprocess_lhs(compiler, connection)
            for key in rhs_key_transforms[:-1]:
                self.lhs = KeyTransform(key, self.lhs)
            self.rhs = rhs_key_transforms[-1]
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs = self.rhs
        if isinstance(rhs, (list, tuple)):
            rhs = [_check_key(str(k) if isinstance(k, int) else k) for k in rhs]
        else:
            rhs = _check_key(rhs)
        return "(%s %s %%s)" % (lhs, self.postgres_operator), tuple(lhs_params) + (rhs,)


class HasKey(HasKeyLookup):
    lookup_name = "has_key"
    postgres_operator = "?"
    prepare_rhs = False


class HasKeys(HasKeyLookup):
    lookup_name = "has_keys"
    postgres_operator = "?&"
    logical_operator = "AND"

    def get_prep_lookup(self):
        if isinstance(self.rhs, (str, bytes)) or not hasattr(self.rhs, "__iter__"):
            raise TypeError("has_keys needs a list of keys, got %r." % (self.rhs,))
        return [str(item) for item in self.rhs]


class HasAnyKeys(HasKeys):
    lookup_name = "has_any_keys"
    postgres_operator = "?|"
    logical_operator = "OR"


JSONField.register_lookup(HasKey)
JSONField.register_lookup(HasKeys)
JSONField.register_lookup(HasAnyKeys)


class _JSONRhsMixin:
    """Compare with a JSON-encoded parameter, normalised by the database."""

    def process_rhs(self, compiler, connection):
        rhs, rhs_params = super().process_rhs(compiler, connection)
        return rhs, rhs_params

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

    def process_rhs(self, compiler, connection):
        sql, rhs_params = super().process_rhs(compiler, connection)
        if not getattr(connection.features, "has_native_json_field", False):
            rhs_params = [json.loads(value) for value in rhs_params]
        return sql, rhs_params

    def get_db_prep_lookup(self, value, connection):
        return "%s", [self.lhs.output_field.get_db_prep_value(value, connection)]


class KeyTransformLt(KeyTransformNumericLookupMixin, lookups.LessThan):
    pass


class KeyTransformLte(KeyTransformNumericLookupMixin, lookups.LessThanOrEqual):
    pass


class KeyTransformGt(KeyTransformNumericLookupMixin, lookups.GreaterThan):
    pass


class KeyTransformGte(KeyTransformNumericLookupMixin, lookups.GreaterThanOrEqual):
    pass


class KeyTransformTextLookupMixin:
    """Text lookups (icontains, startswith...) on the key's unquoted text."""

    def __init__(self, key_transform, *args, **kwargs):
        if not isinstance(key_transform, KeyTransform):
            raise TypeError(
                "Transform should be an instance of KeyTransform in order to "
                "use this lookup."
            )
        key_text_transform = KeyTextTransform(
            key_transform.key_name, *key_transform.source_expressions
        )
        super().__init__(key_text_transform, *args, **kwargs)

    def process_lhs(self, compiler, connection, lhs=None):
        sql, params = super().process_lhs(compiler, connection, lhs)
        return sql, params


def _text_lookup(base):
    return type(
        "KeyTransform%s" % base.__name__,
        (KeyTransformTextLookupMixin, base),
        {"__module__": __name__},
    )


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
