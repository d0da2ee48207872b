"""
Query subclasses for statements other than a plain SELECT.

Each class only names the compiler that renders it and keeps the extra state
that statement needs (the values of an UPDATE, the rows of an INSERT, the
inner query of an aggregate over a subquery).
"""
from django.core.exceptions import FieldError
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, ROW_COUNT
from django.db.models.sql.query import Query

__all__ = ["AggregateQuery", "DeleteQuery", "InsertQuery", "UpdateQuery"]

_NOT_UPDATABLE = (
    "Cannot update model field %r (only non-relations and foreign keys permitted)."
)


def _chunks(items):
    """Split ``items`` so one ``IN (...)`` list never gets too long for the DB."""
    return (
        items[start : start + GET_ITERATOR_CHUNK_SIZE]
        for start in range(0, len(items), GET_ITERATOR_CHUNK_SIZE)
    )


class _PkBatchMixin:
    """Run the statement once per chunk of primary keys, summing row counts."""

    def _run_per_pk_chunk(self, pk_name, pk_list, using):
        affected = 0
        for chunk in _chunks(pk_list):
            self.clear_where()
            self.add_filter(pk_name + "__in", chunk)
            affected += self._execute_chunk(using)
        return affected

    def _execute_chunk(self, using):
        return self.get_compiler(using).execute_sql(ROW_COUNT)


class DeleteQuery(_PkBatchMixin, Query):
    """DELETE FROM one table."""

    compiler = "SQLDeleteCompiler"

    def do_query(self, table, where, using):
        """DELETE the rows of ``table`` matching ``where`` on the database
        ``using`` (an alias); return how many."""
        self._delete_from_only(table)
        self.where = where
        return self._execute_chunk(using)

    def delete_batch(self, pk_list, using):
        """Delete the rows whose primary key is in pk_list on the database
        ``using``; return how many."""
        return self._run_per_pk_chunk(self.get_meta().pk.attname, pk_list, using)

    def _delete_from_only(self, table):
        # A DELETE names one table: another alias (a join a filter left
        # behind) would be rendered as a second FROM entry.
        self.alias_map = {table: self.alias_map[table]}


class UpdateQuery(_PkBatchMixin, Query):
    """UPDATE ... SET; ``values`` holds (field, model, value) triples."""

    compiler = "SQLUpdateCompiler"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._reset_update_state()

    def _reset_update_state(self):
        # Also called by Query.chain() when a SELECT query turns into an
        # UPDATE, which bypasses __init__.
        self.values = []
        self.related_ids = None
        self.related_updates = {}

    def clone(self):
        copied = super().clone()
        # The lists/dicts are extended later; never share them with the copy.
        copied.values = list(getattr(self, "values", ()))
        copied.related_updates = dict(self.related_updates)
        return copied

    def update_batch(self, pk_list, values, using):
        """Set ``values`` on the rows whose primary key is in pk_list, on
        the database ``using``; return how many."""
        self.add_update_values(values)
        return self._run_per_pk_chunk("pk", pk_list, using)

    def _updatable_field(self, name):
        """The field ``name`` of this model, checked to be assignable by UPDATE."""
        if not isinstance(name, str):
            raise FieldError("Field names must be strings, got %r." % (name,))
        meta = self.get_meta()
        try:
            field = meta.get_field(name)
        except Exception:
            field = None
        if field is None:
            raise FieldError(
                "Cannot resolve keyword %r into field. Choices are: %s"
                % (name, ", ".join(self._field_choices()))
            )
        if not getattr(field, "concrete", False):
            raise FieldError(_NOT_UPDATABLE % (name,))
        reverse_or_m2m = getattr(field, "many_to_many", False) or (
            getattr(field, "is_relation", False) and getattr(field, "auto_created", False)
        )
        if reverse_or_m2m:
            raise FieldError(_NOT_UPDATABLE % field)
        owner = field.model._meta.concrete_model
        if owner is not meta.concrete_model:
            raise FieldError(
                "Cannot update %r: it belongs to the parent model %s."
                % (name, owner.__name__)
            )
        return field, owner

    def add_update_values(self, values):
        """Record ``{field name: value}`` as assignments of this UPDATE."""
        triples = []
        for name, value in values.items():
            field, owner = self._updatable_field(name)
            triples.append((field, owner, value))
        return self.add_update_fields(triples)

    def add_update_fields(self, values_seq):
        """Record (field, model, value) assignments of this UPDATE. F() and
        friends are resolved now, against this table only: an UPDATE
        cannot join."""
        for field, model, value in values_seq:
            resolve = getattr(value, "resolve_expression", None)
            resolved = resolve(self, allow_joins=False, for_save=True) if resolve else value
            self.values.append((field, model, resolved))

    def add_related_update(self, model, field, value):
        raise FieldError("Updating related models is not supported yet.")

    def get_related_updates(self):
        return []


class InsertQuery(Query):
    """INSERT of ``objs``, writing the columns of ``fields``."""

    compiler = "SQLInsertCompiler"

    def __init__(
        self, *args, on_conflict=None, update_fields=None, unique_fields=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        # insert_values() gives the columns, the objects and whether raw.
        self.fields, self.objs, self.raw = [], [], False
        # How a conflict with an existing row is handled (bulk_create()).
        self.on_conflict = on_conflict
        self.update_fields, self.unique_fields = [*(update_fields or ())], [*(unique_fields or ())]

    def insert_values(self, fields, objs, raw=False):
        # ``raw`` (loaddata) means the values are stored as given, skipping
        # Field.pre_save().
        self.fields, self.objs, self.raw = fields, objs, raw


class AggregateQuery(Query):
    """``SELECT <aggregates> FROM (<inner query>) subquery``."""

    compiler = "SQLAggregateCompiler"

    def __init__(self, model, inner_query):
        super().__init__(model)
        # The query whose rows are aggregated, compiled as the FROM subquery.
        self.inner_query = inner_query
