"""Queries that are not SELECTs: DELETE, UPDATE, INSERT and aggregate wrappers."""
from django.core.exceptions import FieldError
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, ROW_COUNT
from django.db.models.sql.query import Query

__all__ = ["DeleteQuery", "UpdateQuery", "InsertQuery", "AggregateQuery"]


def _connection(connection):
    # Callers normally pass the queryset's connection (QuerySet.db); without
    # one, use the thread's connection (the single database).
    if connection is not None:
        return connection
    from django.db import get_connection

    return get_connection()


class DeleteQuery(Query):
    """A DELETE statement."""

    compiler = "SQLDeleteCompiler"

    def do_query(self, table, where, connection=None):
        self.alias_map = {table: self.alias_map[table]}
        self.where = where
        return self.get_compiler(connection=_connection(connection)).execute_sql(ROW_COUNT)

    def delete_batch(self, pk_list, connection=None):
        """Delete the rows whose primary key is in pk_list; return how many."""
        num_deleted = 0
        field = self.get_meta().pk
        for offset in range(0, len(pk_list), GET_ITERATOR_CHUNK_SIZE):
            self.clear_where()
            self.add_filter(
                f"{field.attname}__in",
                pk_list[offset : offset + GET_ITERATOR_CHUNK_SIZE],
            )
            num_deleted += self.do_query(
                self.get_meta().db_table, self.where, connection=connection
            )
        return num_deleted


class UpdateQuery(Query):
    """An UPDATE statement."""

    compiler = "SQLUpdateCompiler"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_query()

    def _setup_query(self):
        self.values = []
        self.related_ids = None
        self.related_updates = {}

    def clone(self):
        obj = super().clone()
        obj.related_updates = self.related_updates.copy()
        obj.values = list(getattr(self, "values", []))
        return obj

    def update_batch(self, pk_list, values, connection=None):
        self.add_update_values(values)
        rows = 0
        for offset in range(0, len(pk_list), GET_ITERATOR_CHUNK_SIZE):
            self.clear_where()
            self.add_filter("pk__in", pk_list[offset : offset + GET_ITERATOR_CHUNK_SIZE])
            rows += self.get_compiler(connection=_connection(connection)).execute_sql(
                ROW_COUNT
            )
        return rows

    def add_update_values(self, values):
        """Turn {name: value} into (field, model, value) triples."""
        values_seq = []
        for name, val in values.items():
            if not isinstance(name, str):
                raise FieldError("Field names must be strings, got %r." % (name,))
            try:
                field = self.get_meta().get_field(name)
            except Exception:
                field = None
            if field is None or not getattr(field, "concrete", False):
                raise FieldError(
                    "Cannot update model field %r (only non-relations and "
                    "foreign keys permitted)." % (name,)
                    if field is not None
                    else "Cannot resolve keyword %r into field. Choices are: %s"
                    % (name, ", ".join(self._field_choices()))
                )
            if getattr(field, "many_to_many", False) or (
                getattr(field, "is_relation", False) and getattr(field, "auto_created", False)
            ):
                raise FieldError(
                    "Cannot update model field %r (only non-relations and "
                    "foreign keys permitted)." % field
                )
            model = field.model._meta.concrete_model
            if model is not self.get_meta().concrete_model:
                raise FieldError(
                    "Cannot update %r: it belongs to the parent model %s."
                    % (name, model.__name__)
                )
            values_seq.append((field, model, val))
        return self.add_update_fields(values_seq)

    def add_update_fields(self, values_seq):
        for field, model, val in values_seq:
            if hasattr(val, "resolve_expression"):
                # Resolve expressions here so that annotations are no longer needed
                val = val.resolve_expression(self, allow_joins=False, for_save=True)
            self.values.append((field, model, val))

    def add_related_update(self, model, field, value):
        raise FieldError("Updating related models is not supported yet.")

    def get_related_updates(self):
        return []


class InsertQuery(Query):
    """An INSERT statement for ``objs`` over ``fields``."""

    compiler = "SQLInsertCompiler"

    def __init__(
        self, *args, on_conflict=None, update_fields=None, unique_fields=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields = []
        self.objs = []
        self.on_conflict = on_conflict
        self.update_fields = update_fields or []
        self.unique_fields = unique_fields or []

    def insert_values(self, fields, objs, raw=False):
        self.fields = fields
        self.objs = objs
        self.raw = raw


class AggregateQuery(Query):
    """``SELECT <aggregates> FROM (<inner query>) subquery``."""

    compiler = "SQLAggregateCompiler"

    def __init__(self, model, inner_query):
        self.inner_query = inner_query
        super().__init__(model)
