"""``Meta.constraints``: UniqueConstraint and CheckConstraint.

Each constraint renders its DDL through the schema editor
(``constraint_sql`` inside CREATE TABLE, ``create_sql``/``remove_sql`` for
ALTER), and validates an instance in Python for ``full_clean()``.
"""
import operator

from django.core.exceptions import FieldError, ValidationError

__all__ = ["BaseConstraint", "CheckConstraint", "Deferrable", "UniqueConstraint"]


class Deferrable:
    DEFERRED = "deferred"
    IMMEDIATE = "immediate"


def _validate_name(name, kind):
    if not isinstance(name, str) or not name:
        raise ValueError("%s requires a non-empty string 'name', got %r." % (kind, name))


def _condition_to_ddl(q, model, schema_editor):
    """Render a Q on ``model`` as SQL text with the values written in.

    The query layer compiles it; DDL statements cannot carry parameters,
    so the schema editor quotes each value into place."""
    from django.db.models.sql.query import Query

    connection = schema_editor.connection
    query = Query(model=model, alias_cols=False)
    compiler = query.get_compiler(connection=connection)
    sql, params = query.build_where(q).as_sql(compiler, connection)
    return schema_editor.sql_with_values(sql, params)


class BaseConstraint:
    """Common state of constraints: a name and the message shown when
    validation finds the constraint violated."""

    default_violation_error_message = "Constraint “%(name)s” is violated."
    violation_error_message = None

    def __init__(self, *, name, violation_error_message=None):
        _validate_name(name, type(self).__name__)
        self.name = name
        self.violation_error_message = (
            self.default_violation_error_message
            if violation_error_message is None
            else violation_error_message
        )

    @property
    def contains_expressions(self):
        return False

    def _subclass_must_implement(self):
        raise NotImplementedError("This method must be implemented by a subclass.")

    def constraint_sql(self, model, schema_editor):
        self._subclass_must_implement()

    def create_sql(self, model, schema_editor):
        self._subclass_must_implement()

    def remove_sql(self, model, schema_editor):
        self._subclass_must_implement()

    def validate(self, model, instance, exclude=None, using=None):
        self._subclass_must_implement()

    def get_violation_error_message(self):
        return self.violation_error_message % {"name": self.name}

    def _public_path(self):
        module = type(self).__module__
        if module == __name__:
            module = "django.db.models"  # re-exported there
        return "%s.%s" % (module, type(self).__name__)

    def deconstruct(self):
        kwargs = {"name": self.name}
        custom_message = self.violation_error_message != self.default_violation_error_message
        if custom_message:
            kwargs["violation_error_message"] = self.violation_error_message
        return self._public_path(), (), kwargs

    def clone(self):
        _dotted_path, args, kwargs = self.deconstruct()
        return type(self)(*args, **kwargs)

    def __eq__(self, other):
        # Equal when they would be rebuilt identically.
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.deconstruct() == other.deconstruct()

    def __repr__(self):
        return "<%s: name=%r>" % (type(self).__qualname__, self.name)


class CheckConstraint(BaseConstraint):
    def __init__(self, *, check, name, violation_error_message=None):
        is_condition = getattr(check, "conditional", False) or hasattr(check, "children")
        if not is_condition:
            raise TypeError(
                "CheckConstraint.check must be a Q instance or boolean expression, got %r." % (check,)
            )
        self.check = check
        super().__init__(name=name, violation_error_message=violation_error_message)

    def _check_ddl(self, model, schema_editor):
        return _condition_to_ddl(self.check, model, schema_editor)

    def constraint_sql(self, model, schema_editor):
        return schema_editor._check_sql(self.name, self._check_ddl(model, schema_editor))

    def create_sql(self, model, schema_editor):
        condition = self._check_ddl(model, schema_editor)
        return schema_editor._create_check_sql(model, self.name, condition)

    def remove_sql(self, model, schema_editor):
        return schema_editor._delete_check_sql(model, self.name)

    def validate(self, model, instance, exclude=None, using=None):
        if exclude and _referenced_fields(self.check) & set(exclude):
            return  # a field it depends on is excluded
        against = instance._get_field_value_map(meta=model._meta, exclude=exclude)
        try:
            outcome = evaluate_q(self.check, against)
        except FieldError:
            return  # not evaluable in Python; the database still enforces it
        # Unknown (NULL involved) passes, as it does for a SQL CHECK.
        if outcome is False:
            raise ValidationError(self.get_violation_error_message(), code="check_constraint")

    def __repr__(self):
        return "<%s: check=%s name=%r>" % (type(self).__qualname__, self.check, self.name)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "check": self.check}


class UniqueConstraint(BaseConstraint):
    def __init__(self, *expressions, fields=(), name=None, condition=None,
                 deferrable=None, include=None, opclasses=(), violation_error_message=None):
        if expressions:
            raise NotImplementedError("UniqueConstraint on expressions is not supported yet.")
        if not fields:
            raise ValueError("UniqueConstraint requires at least one field in 'fields'.")
        if condition is not None and not hasattr(condition, "children"):
            raise ValueError("UniqueConstraint.condition must be a Q instance.")
        if deferrable not in (None, Deferrable.DEFERRED, Deferrable.IMMEDIATE):
            raise ValueError("UniqueConstraint.deferrable must be a Deferrable instance.")
        self.fields = tuple(fields)
        self.include = tuple(include or ())
        self.condition, self.deferrable, self.opclasses = condition, deferrable, opclasses
        self.expressions = ()
        super().__init__(name=name, violation_error_message=violation_error_message)

    def _columns(self, model):
        return [model._meta.get_field(name).column for name in self.fields]

    def constraint_sql(self, model, schema_editor):
        """Inline ``CONSTRAINT ... UNIQUE (...)``; None when the constraint
        must be a separate (partial) unique index."""
        if self.condition is not None:
            return None
        return schema_editor._unique_sql(model, self._columns(model), self.name)

    def create_sql(self, model, schema_editor):
        return schema_editor._create_unique_sql(
            model, self._columns(model), self.name,
            condition=self._condition_ddl(model, schema_editor),
        )

    def remove_sql(self, model, schema_editor):
        return schema_editor._delete_unique_sql(model, self.name, condition=self.condition)

    def _condition_ddl(self, model, schema_editor):
        if self.condition is None:
            return None
        return _condition_to_ddl(self.condition, model, schema_editor)

    def _condition_holds(self, model, instance, exclude):
        if self.condition is None:
            return True
        against = instance._get_field_value_map(meta=model._meta, exclude=exclude)
        try:
            return bool(evaluate_q(self.condition, against))
        except FieldError:
            return False  # cannot tell in Python: leave it to the database

    def validate(self, model, instance, exclude=None, using=None):
        exclude = set(exclude or ())
        if exclude.intersection(self.fields):
            return
        values = {}
        for field_name in self.fields:
            field = model._meta.get_field(field_name)
            values[field.name] = getattr(instance, field.attname)
        if None in values.values():
            return  # NULLs never clash
        if not self._condition_holds(model, instance, exclude):
            return
        # ``using``: the database the instance is checked against (None: routed).
        clashes = model._default_manager.db_manager(using).filter(**values)
        if self.condition is not None:
            clashes = clashes.filter(self.condition)
        if not instance._state.adding and instance.pk is not None:
            clashes = clashes.exclude(pk=instance.pk)  # not a clash with itself
        if not clashes.exists():
            return
        plain = self.condition is None and self.violation_error_message == self.default_violation_error_message
        if plain:
            # Same wording as unique=True / unique_together.
            raise instance.unique_error_message(model, self.fields)
        raise ValidationError(self.get_violation_error_message(), code="unique")

    def __repr__(self):
        condition = "" if self.condition is None else " condition=%s" % (self.condition,)
        return "<%s: fields=%r name=%r%s>" % (type(self).__qualname__, self.fields, self.name, condition)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["fields"] = self.fields
        optional = (
            ("condition", self.condition, self.condition is not None),
            ("deferrable", self.deferrable, bool(self.deferrable)),
            ("include", self.include, bool(self.include)),
        )
        kwargs.update((key, value) for key, value, present in optional if present)
        return path, args, kwargs


# ---------------------------------------------------------------------------
# Evaluating a Q tree against field values, for validation in Python.
# ---------------------------------------------------------------------------
def _like(fn, ci):
    def op(a, b):
        if a is None or b is None:
            return False
        a, b = str(a), str(b)
        if ci:
            a, b = a.lower(), b.lower()
        return fn(a, b)

    return op


def _cmp(fn):
    def op(a, b):
        if a is None or b is None:
            return None  # SQL: comparing with NULL is unknown
        return fn(a, b)

    return op


_LOOKUPS = {
    "exact": lambda a, b: (a is None) if b is None else (None if a is None else a == b),
    "iexact": lambda a, b: None if a is None else str(a).lower() == str(b).lower(),
    "gt": _cmp(operator.gt), "gte": _cmp(operator.ge),
    "lt": _cmp(operator.lt), "lte": _cmp(operator.le),
    "in": lambda a, b: None if a is None else a in b,
    "isnull": lambda a, b: (a is None) == bool(b),
    "contains": _like(lambda a, b: b in a, False),
    "icontains": _like(lambda a, b: b in a, True),
    "startswith": _like(str.startswith, False),
    "istartswith": _like(str.startswith, True),
    "endswith": _like(str.endswith, False),
    "iendswith": _like(str.endswith, True),
    "range": lambda a, b: None if a is None else b[0] <= a <= b[1],
}


def _referenced_fields(q):
    names = set()
    for child in getattr(q, "children", ()):
        if isinstance(child, tuple):
            names.add(child[0].split("__")[0])
            rhs = child[1]
            if hasattr(rhs, "name") and type(rhs).__name__ == "F":
                names.add(rhs.name.split("__")[0])
        else:
            names |= _referenced_fields(child)
    return names


def evaluate_q(q, against):
    """Evaluate ``q`` (a Q tree of simple lookups, F() on the right-hand
    side allowed) against a ``{field_name: value}`` mapping, with SQL's
    three-valued logic: returns True, False or None (unknown)."""
    results = []
    for child in q.children:
        if isinstance(child, tuple):
            key, rhs = child
            parts = key.split("__")
            name, lookup = parts[0], (parts[1] if len(parts) > 1 else "exact")
            if name == "pk":
                raise FieldError("pk lookups are not evaluated in Python.")
            if len(parts) > 2 or lookup not in _LOOKUPS or name not in against:
                raise FieldError("Cannot evaluate %r in Python." % key)
            if type(rhs).__name__ == "F":
                if rhs.name not in against:
                    raise FieldError("Cannot evaluate F(%r) in Python." % rhs.name)
                rhs = against[rhs.name]
            elif hasattr(rhs, "resolve_expression"):
                raise FieldError("Cannot evaluate expression %r in Python." % (rhs,))
            results.append(_LOOKUPS[lookup](against[name], rhs))
        else:
            results.append(evaluate_q(child, against))
    if getattr(q, "connector", "AND") == "OR":
        value = True if any(r is True for r in results) else (None if None in results else False)
    else:
        value = False if any(r is False for r in results) else (None if None in results else True)
    if getattr(q, "negated", False) and value is not None:
        value = not value
    # A CHECK passes when unknown; the caller decides what None means.
    return value
