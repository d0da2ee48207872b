"""``Meta.indexes``: ``Index(fields=[...], name=...)``."""
import hashlib
import re

__all__ = ["Index"]

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _checked_fields(fields):
    """``fields`` as a list, if it names at least one field and none twice."""
    if not isinstance(fields, (list, tuple)):
        problem = "Index.fields must be a list or tuple."
    elif not fields:
        problem = "At least one field is required to define an index."
    elif len(set(fields)) < len(fields):
        problem = "Index.fields must not contain duplicates."
    else:
        return list(fields)
    raise ValueError(problem)


class Index:
    suffix = "idx"
    # Keep names portable across databases (Oracle's old limit).
    max_name_length = 30

    def __init__(self, *expressions, fields=(), name=None, db_tablespace=None,
                 opclasses=(), condition=None, include=None):
        if expressions:
            raise NotImplementedError("Index on expressions is not supported yet.")
        self.fields = _checked_fields(fields)
        if condition is not None and not name:
            raise ValueError("An index must be named to use condition.")
        self.name, self.condition = name or "", condition
        self.db_tablespace, self.opclasses = db_tablespace, opclasses
        self.include, self.expressions = tuple(include or ()), ()
        # (field name, "DESC" or ""): "-field" means descending.
        self.fields_orders = [
            (field[1:], "DESC") if field.startswith("-") else (field, "") for field in self.fields
        ]
        # A name with %(app_label)s-style placeholders is checked once filled in.
        if self.name and "%(" not in self.name:
            self.validate_name()

    def validate_name(self):
        """Refuse names that are too long or not plain identifiers."""
        if len(self.name) > self.max_name_length:
            raise ValueError(
                "Index name '%s' is too long: index names cannot be longer than %d characters."
                % (self.name, self.max_name_length)
            )
        if not _NAME_RE.match(self.name):
            raise ValueError(
                "Index name '%s' is invalid: it must start with a letter and contain "
                "only letters, digits and underscores." % self.name
            )

    @property
    def contains_expressions(self):
        return False

    def _columns(self, model):
        return [
            (model._meta.get_field(name).column, order) for name, order in self.fields_orders
        ]

    def create_sql(self, model, schema_editor, using="", **kwargs):
        condition = None
        if self.condition is not None:
            from django.db.models.constraints import _condition_to_ddl

            condition = _condition_to_ddl(self.condition, model, schema_editor)
        return schema_editor._create_index_sql(
            model, columns=self._columns(model), name=self.name, condition=condition
        )

    def remove_sql(self, model, schema_editor, **kwargs):
        return schema_editor._delete_index_sql(model, self.name)

    def deconstruct(self):
        kwargs = {"fields": self.fields, "name": self.name}
        # Options are only reported when they differ from the defaults.
        for option, value, is_set in (
            ("db_tablespace", self.db_tablespace, self.db_tablespace is not None),
            ("condition", self.condition, self.condition is not None),
            ("include", self.include, bool(self.include)),
        ):
            if is_set:
                kwargs[option] = value
        return "django.db.models.Index", (), kwargs

    def clone(self):
        _dotted_path, args, kwargs = self.deconstruct()
        return type(self)(*args, **kwargs)

    def set_name_with_model(self, model):
        """Generate ``<table>_<column>_<hash>_idx``: deterministic and
        within ``max_name_length``."""
        table = model._meta.db_table
        columns = [model._meta.get_field(name).column for name, _ in self.fields_orders]
        with_order = [c + ("_desc" if o else "") for c, (_, o) in zip(columns, self.fields_orders)]
        digest = hashlib.md5(
            ("%s.%s" % (table, ".".join(with_order))).encode(), usedforsecurity=False
        ).hexdigest()[:6]
        # 11 + 1 + 7 + 1 + 6 + 4 = 30 characters at most.
        self.name = "%s_%s_%s_%s" % (table[:11], columns[0][:7], digest, self.suffix)
        if self.name[0] == "_" or self.name[0].isdigit():
            self.name = "D%s" % self.name[1:]
        self.name = self.name[: self.max_name_length]

    def __repr__(self):
        return "<%s: fields=%s name=%r>" % (
            self.__class__.__qualname__, ", ".join(repr(f) for f in self.fields), self.name
        )

    def __eq__(self, other):
        # Indexes are equal when they would be rebuilt identically.
        if type(other) is not type(self):
            return NotImplemented
        return self.deconstruct() == other.deconstruct()
