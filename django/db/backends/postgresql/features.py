"""
PostgreSQL's capabilities.

Only the flags where PostgreSQL differs from the conservative defaults in
``BaseDatabaseFeatures`` are listed; everything else is inherited.
"""
from django.db.backends.base.features import BaseDatabaseFeatures
from django.db.utils import InterfaceError
from django.utils.functional import cached_property


class DatabaseFeatures(BaseDatabaseFeatures):
    minimum_database_version = (12,)

    # Transactions are fully transactional, DDL included, and constraint
    # checks can be deferred to commit.  Known without probing.
    supports_transactions = True
    can_release_savepoints = True
    can_rollback_ddl = True
    can_defer_constraint_checks = True
    supports_deferrable_unique_constraints = True
    autocommits_when_autocommit_is_off = False
    closed_cursor_error_class = InterfaceError

    # INSERT ... RETURNING and ON CONFLICT.
    can_return_columns_from_insert = True
    can_return_rows_from_bulk_insert = True
    supports_update_conflicts = True
    supports_update_conflicts_with_target = True
    requires_casted_case_in_updates = True  # CASE results need an explicit type

    # Native types for what other backends emulate.
    has_real_datatype = True
    has_native_uuid_field = True
    has_native_duration_field = True
    has_native_json_field = True
    has_json_operators = True
    supports_temporal_subtraction = True
    supports_microsecond_precision = True
    supports_unlimited_charfield = True  # varchar without a length

    # Query syntax.
    has_select_for_update = True
    has_select_for_update_nowait = True
    has_select_for_update_of = True
    has_select_for_update_skip_locked = True
    has_select_for_no_key_update = True
    can_distinct_on_fields = True
    allows_group_by_selected_pks = True  # functional dependency on the pk
    nulls_order_largest = True
    greatest_least_ignores_nulls = True
    supports_aggregate_filter_clause = True
    supports_over_clause = True
    supports_frame_range_fixed_distance = True
    only_supports_unbounded_with_preceding_and_following = True
    supports_slicing_ordering_in_compound = True
    supports_explaining_query_execution = True
    supported_explain_formats = {"JSON", "TEXT", "XML", "YAML"}

    # DDL.
    supports_tablespaces = True
    supports_combined_alters = True
    supports_covering_indexes = True
    supports_comments = True
    can_rename_index = True
    can_introspect_materialized_views = True
    indexes_foreign_keys = False  # FK columns get no automatic index
    # DDL cannot take bound parameters, so the schema editor inlines
    # literals itself (ops.quote_value()).
    schema_editor_uses_clientside_param_binding = True
    default_storage_engine = None  # no ENGINE= clause

    # Test databases can be copied with CREATE DATABASE ... TEMPLATE.
    can_clone_databases = True
    can_create_test_database_with_template = True

    # There are no unsigned integers: positive fields read back as signed.
    introspected_field_types = {
        **BaseDatabaseFeatures.introspected_field_types,
        "PositiveBigIntegerField": "BigIntegerField",
        "PositiveIntegerField": "IntegerField",
        "PositiveSmallIntegerField": "SmallIntegerField",
    }

    @cached_property
    def uses_server_side_binding(self):
        options = self.connection.settings_dict.get("OPTIONS") or {}
        return bool(options.get("server_side_binding", True))

    def _server_at_least(self, major):
        return self.connection.get_database_version() >= (major,)

    is_postgresql_13 = cached_property(lambda self: self._server_at_least(13))
    is_postgresql_14 = cached_property(lambda self: self._server_at_least(14))
    is_postgresql_15 = cached_property(lambda self: self._server_at_least(15))

    @cached_property
    def supports_drop_database_force(self):
        """DROP DATABASE ... WITH (FORCE) appeared in PostgreSQL 13."""
        return self.is_postgresql_13
