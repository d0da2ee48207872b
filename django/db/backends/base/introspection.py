"""
Reading back the structure of an existing database.

Used by flush/syncdb (which tables exist, which belong to our models),
sequence resets, inspectdb and the test suite.  Vendors implement the
catalogue queries; this base class builds the model-aware helpers on top.
"""
from collections import namedtuple

# One table or view; ``type`` is "t" (table) or "v" (view).
TableInfo = namedtuple("TableInfo", ["name", "type"])

# One column: PEP 249's cursor.description entry plus what the catalogues add.
FieldInfo = namedtuple(
    "FieldInfo",
    "name type_code display_size internal_size precision scale null_ok default collation",
)


# Integer field -> the auto field stored in the same column type; vendors
# use it when the catalogue says a column is auto-incrementing.
AUTO_FIELD_FOR_INTEGER = {
    "IntegerField": "AutoField",
    "BigIntegerField": "BigAutoField",
    "SmallIntegerField": "SmallAutoField",
}


def constraint_info(columns=(), **flags):
    """One get_constraints() entry: ``columns`` and the six flags every
    backend reports (all off unless given), plus any vendor extras."""
    return {
        "columns": list(columns), "primary_key": False, "unique": False,
        "foreign_key": None, "check": False, "index": False, **flags,
    }


def _missing(name):
    def hook(self, *args, **kwargs):
        raise NotImplementedError(
            "subclasses of BaseDatabaseIntrospection may require a %s() method" % name
        )

    hook.__name__ = name
    hook.__doc__ = "Catalogue query; concrete backends implement %s()." % name
    return hook


def _is_schema_model(model):
    opts = model._meta
    return getattr(opts, "managed", True) and not getattr(opts, "proxy", False)


class BaseDatabaseIntrospection:
    # Column type code (as the backend reports it) -> model field class name.
    data_types_reverse = {}

    def __init__(self, connection):
        self.connection = connection

    # The catalogue queries each vendor writes.
    get_table_list = _missing("get_table_list")  # -> [TableInfo], unsorted
    get_table_description = _missing("get_table_description")  # -> [FieldInfo]
    get_sequences = _missing("get_sequences")  # -> [{"table", "column"[, "name"]}]
    get_relations = _missing("get_relations")  # -> {column: (target column, target table)}
    # -> {name: {"columns", "primary_key", "unique", "foreign_key", "check",
    #            "index", "orders", "type"}}; unnamed constraints may get
    #            invented names (SQLite does).
    get_constraints = _missing("get_constraints")

    def get_field_type(self, data_type, description):
        """Field class name for a column; vendors may look at ``description``
        when the type code alone is ambiguous."""
        return self.data_types_reverse[data_type]

    def identifier_converter(self, name):
        return name  # case-sensitive names: compare as they are

    # ------------------------------------------------------------------
    # Tables
    # ------------------------------------------------------------------
    def table_names(self, cursor=None, include_views=False):
        """Sorted names of the tables (and optionally views).

        Sorting happens in Python so every backend returns the same order.
        """
        if cursor is None:
            with self.connection.cursor() as own_cursor:
                return self.table_names(own_cursor, include_views)
        # With include_views every relation kind counts (views, and on some
        # backends materialized views or partitioned tables too).
        listed = self.get_table_list(cursor)
        return sorted(info.name for info in listed if include_views or info.type == "t")

    def get_migratable_models(self):
        """The concrete, managed models of the installed apps."""
        try:
            from django.apps import apps

            configs = list(apps.get_app_configs())
        except Exception:
            return []  # registry missing or not ready: no models to speak of
        found = []
        for config in configs:
            list_models = getattr(config, "get_models", None)
            if list_models is not None:
                found.extend(filter(_is_schema_model, list_models()))
        return found

    @staticmethod
    def _tables_of(model):
        yield model._meta.db_table
        # Auto-created many-to-many tables belong to the model too.
        for m2m in getattr(model._meta, "local_many_to_many", ()):
            through = getattr(getattr(m2m, "remote_field", None), "through", None)
            if through is not None and through._meta.managed:
                yield through._meta.db_table

    def django_table_names(self, only_existing=False, include_views=True):
        """Tables that belong to installed models; with ``only_existing``,
        just those present in the database."""
        names = {table for model in self.get_migratable_models() for table in self._tables_of(model)}
        if not only_existing:
            return list(names)
        present = set(self.table_names(include_views=include_views))
        return [name for name in names if self.identifier_converter(name) in present]

    def installed_models(self, tables):
        """The installed models whose tables are among ``tables``."""
        wanted = {self.identifier_converter(name) for name in tables}
        return {
            model
            for model in self.get_migratable_models()
            if self.identifier_converter(model._meta.db_table) in wanted
        }

    def sequence_list(self):
        """Sequence descriptions for every installed model's table."""
        with self.connection.cursor() as cursor:
            return [
                sequence
                for meta in (model._meta for model in self.get_migratable_models())
                for sequence in self.get_sequences(cursor, meta.db_table, meta.local_fields)
            ]

    # ------------------------------------------------------------------
    # Keys
    # ------------------------------------------------------------------
    def get_primary_key_columns(self, cursor, table_name):
        """Columns of the table's primary key, or None if it has none."""
        constraints = self.get_constraints(cursor, table_name)
        primary = next((c for c in constraints.values() if c["primary_key"]), None)
        return None if primary is None else primary["columns"]

    def get_primary_key_column(self, cursor, table_name):
        columns = self.get_primary_key_columns(cursor, table_name)
        return columns[0] if columns else None
