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


class BaseConstraint:
    default_violation_error_message = "Constraint “%(name)s” is violated."
    violation_error_message = None

    def __init__(self, *, name, violation_error_message=None):
        _validate_name(name, self.__class__.__name__)
        self.name = name
        if violation_error_message is not None:
            self.violation_error_message = violation_error_message
        else:
            self.violation_error_message = self.default_violation_error_message

    @property
    def contains_expressions(self):
        return False

    def constraint_sql(self, model, schema_editor):
        raise NotImplementedError("This method must be implemented by a subclass.")

    def create_sql(self, model, schema_editor):
        raise NotImplementedError("This method must be implemented by a subclass.")

    def remove_sql(self, model, schema_editor):
        raise NotImplementedError("This method must be implemented by a subclass.")

    def validate(self, model, instance, exclude=None, using=None):
        raise NotImplementedError("This method must be implemented by a subclass.")

    def get_violation_error_message(self):
        return self.violation_error_message % {"name": self.name}

    def deconstruct(self):
        path = "%s.%s" % (self.__class__.__module__, self.__class__.__name__)
        path = path.replace("django.db.models.constraints", "django.db.models")
        kwargs = {"name": self.name}
        if self.violation_error_message != self.default_violation_error_message:
            kwargs["violation_error_message"] = self.violation_error_message
        return path, (), kwargs

    def clone(self):
        _, args, kwargs = self.deconstruct()
        return self.__class__(*args, **kwargs)

    def __eq__(self, other):
        if isinstance(other, self.__class__):
            return self.deconstruct() == other.deconstruct()
        return NotImplemented

    def __repr__(self):
        return "<%s: name=%r>" % (self.__class__.__qualname__, self.name)


class CheckConstraint(BaseConstraint):
    def __init__(self, *, check, name, violation_error_message=None):
        self.check = check
        if not getattr(check, "conditional", False) and not hasattr(check, "children"):
            raise TypeError(
                "CheckConstraint.check must be a Q instance or boolean expression, got %r." % (check,)
            )
        super().__init__(name=name, violation_error_message=violation_error_message)

    def _get_check_sql(self, model, schema_editor):
        # Compile the Q through the query layer, then inline the params:
        # DDL cannot be parameterised.
        from django.db.models.sql.query import Query

        query = Query(model=model, alias_cols=False)
        where = query.build_where(self.check)
        compiler = query.get_compiler(connection=schema_editor.connection)
        sql, params = where.as_sql(compiler, schema_editor.connection)
        return sql % tuple(schema_editor.quote_value(p) for p in params)

    def constraint_sql(self, model, schema_editor):
        check = self._get_check_sql(model, schema_editor)
        return schema_editor._check_sql(self.name, check)

    def create_sql(self, model, schema_editor):
        check = self._get_check_sql(model, schema_editor)
        return schema_editor._create_check_sql(model, self.name, check)

    def remove_sql(self, model, schema_editor):
        return schema_editor._delete_check_sql(model, self.name)

    def validate(self, model, instance, exclude=None, using=None):
        against = instance._get_field_value_map(meta=model._meta, exclude=exclude)
        if exclude and _referenced_fields(self.check) & set(exclude):
            return  # a field it depends on is excluded
        try:
            ok = evaluate_q(self.check, against)
        except FieldError:
            return
        if ok is False:
            raise ValidationError(self.get_violation_error_message(), code="check_constraint")

    def __repr__(self):
        return "<%s: check=%s name=%r>" % (self.__class__.__qualname__, self.check, self.name)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["check"] = self.check
        return path, args, kwargs


class UniqueConstraint(BaseConstraint):
    def __init__(self, *expressions, fields=(), name=None, condition=None,
                 deferrable=None, include=None, opclasses=(), violation_error_message=None):
        if expressions:
            raise NotImplementedError("UniqueConstraint on expressions is not supported yet.")
        if not fields:
            raise ValueError("UniqueConstraint requires at least one field in 'fields'.")
        if condition is not None and not hasattr(condition, "children"):
            raise ValueError("UniqueConstraint.condition must be a Q instance.")
        if deferrable is not None and deferrable not in (Deferrable.DEFERRED, Deferrable.IMMEDIATE):
            raise ValueError("UniqueConstraint.deferrable must be a Deferrable instance.")
        self.fields = tuple(fields)
        self.condition = condition
        self.deferrable = deferrable
        self.include = tuple(include) if include else ()
        self.opclasses = opclasses
        self.expressions = ()
        super().__init__(name=name, violation_error_message=violation_error_message)

    def constraint_sql(self, model, schema_editor):
        """Inline ``CONSTRAINT ... UNIQUE (...)``; None when the constraint
        must be a separate (partial) unique index."""
        if self.condition is not None:
            return None
        columns = [model._meta.get_field(f).column for f in self.fields]
        return schema_editor._unique_sql(model, columns, self.name)

    def create_sql(self, model, schema_editor):
        columns = [model._meta.get_field(f).column for f in self.fields]
        condition = self._get_condition_sql(model, schema_editor)
        return schema_editor._create_unique_sql(model, columns, self.name, condition=condition)

    def remove_sql(self, model, schema_editor):
        return schema_editor._delete_unique_sql(model, self.name, condition=self.condition)

    def _get_condition_sql(self, model, schema_editor):
        if self.condition is None:
            return None
        from django.db.models.sql.query import Query

        query = Query(model=model, alias_cols=False)
        where = query.build_where(self.condition)
        compiler = query.get_compiler(connection=schema_editor.connection)
        sql, params = where.as_sql(compiler, schema_editor.connection)
        return sql % tuple(schema_editor.quote_value(p) for p in params)

    def validate(self, model, instance, exclude=None, using=None):
        exclude = set(exclude or ())
        if exclude & set(self.fields):
            return
        lookup = {}
        for field_name in self.fields:
            field = model._meta.get_field(field_name)
            value = getattr(instance, field.attname)
            if value is None:
                return  # NULLs never clash
            lookup[field.name] = value
        if self.condition is not None:
            against = instance._get_field_value_map(meta=model._meta, exclude=exclude)
            try:
                if not evaluate_q(self.condition, against):
                    return
            except FieldError:
                return
        qs = model._default_manager.filter(**lookup)
        if self.condition is not None:
            qs = qs.filter(self.condition)
        if not instance._state.adding and instance.pk is not None:
            qs = qs.exclude(pk=instance.pk)
        if qs.exists():
            if self.condition is None and self.violation_error_message == self.default_violation_error_message:
                raise instance.unique_error_message(model, self.fields)
            raise ValidationError(self.get_violation_error_message(), code="unique")

    def __repr__(self):
        return "<%s: fields=%r name=%r%s>" % (
            self.__class__.__qualname__, self.fields, self.name,
            "" if self.condition is None else " condition=%s" % (self.condition,),
        )

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["fields"] = self.fields
        if self.condition is not None:
            kwargs["condition"] = self.condition
        if self.deferrable:
            kwargs["deferrable"] = self.deferrable
        if self.include:
            kwargs["include"] = self.include
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
