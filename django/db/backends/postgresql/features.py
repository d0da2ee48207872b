"""What the PostgreSQL backend can do (checked by the ORM instead of vendor ifs)."""
from django.db.utils import InterfaceError
from django.db.backends.base.features import BaseDatabaseFeatures
from django.utils.functional import cached_property


class DatabaseFeatures(BaseDatabaseFeatures):
    minimum_database_version = (12,)

    # Inserts and transactions.
    has_bulk_insert = True
    can_return_columns_from_insert = True
    can_return_rows_from_bulk_insert = True
    supports_ignore_conflicts = True
    supports_update_conflicts = True
    supports_update_conflicts_with_target = True
    supports_transactions = True
    uses_savepoints = True
    can_release_savepoints = True
    can_rollback_ddl = True
    can_defer_constraint_checks = True
    supports_deferrable_unique_constraints = True
    atomic_transactions = True
    autocommits_when_autocommit_is_off = False

    # Types.
    has_real_datatype = True
    has_native_uuid_field = True
    has_native_duration_field = True
    has_native_json_field = True
    supports_json_field = True
    has_json_operators = True
    supports_timezones = True
    supports_microsecond_precision = True
    supports_temporal_subtraction = True
    has_zoneinfo_database = True
    requires_casted_case_in_updates = True
    supports_unlimited_charfield = True
    allows_auto_pk_0 = True
    # Empty strings are stored as such (unlike Oracle's NULL).
    interprets_empty_strings_as_nulls = False
    # Text comparisons are case-sensitive; ILIKE/UPPER() for the i* lookups.
    has_case_insensitive_like = False

    # Queries.
    has_select_for_update = True
    has_select_for_update_nowait = True
    has_select_for_update_of = True
    has_select_for_update_skip_locked = True
    has_select_for_no_key_update = True
    can_distinct_on_fields = True
    allows_group_by_selected_pks = True
    nulls_order_largest = True
    greatest_least_ignores_nulls = True
    supports_over_clause = True
    supports_frame_range_fixed_distance = True
    only_supports_unbounded_with_preceding_and_following = True
    supports_aggregate_filter_clause = True
    supports_slicing_ordering_in_compound = True
    supports_subqueries_in_group_by = True
    supports_boolean_expr_in_select_clause = True
    supports_paramstyle_pyformat = True
    supports_explaining_query_execution = True
    supported_explain_formats = {"JSON", "TEXT", "XML", "YAML"}
    supports_regex_backreferencing = True

    # Schema.
    supports_tablespaces = True
    supports_combined_alters = True
    supports_covering_indexes = True
    supports_expression_indexes = True
    supports_partial_indexes = True
    supports_index_column_ordering = True
    supports_table_check_constraints = True
    supports_column_check_constraints = True
    supports_comments = True
    can_rename_index = True
    can_introspect_materialized_views = True
    can_clone_databases = True
    supports_foreign_keys = True
    indexes_foreign_keys = False
    # DDL cannot take bound parameters: the schema editor renders literals
    # itself (ops.quote_value()).
    schema_editor_uses_clientside_param_binding = True
    # CREATE TABLE needs no storage engine clause on PostgreSQL.
    default_storage_engine = None

    closed_cursor_error_class = InterfaceError
    has_case_sensitive_pattern_lookups = True
    # Identifiers fold to lower case when unquoted; we always quote.
    ignores_table_name_case = False
    max_query_params = None

    test_db_allows_multiple_connections = True
    can_create_test_database_with_template = True

    @cached_property
    def uses_server_side_binding(self):
        options = self.connection.settings_dict.get("OPTIONS") or {}
        return bool(options.get("server_side_binding", True))

    @cached_property
    def is_postgresql_13(self):
        return self.connection.get_database_version() >= (13,)

    @cached_property
    def is_postgresql_14(self):
        return self.connection.get_database_version() >= (14,)

    @cached_property
    def is_postgresql_15(self):
        return self.connection.get_database_version() >= (15,)

    @cached_property
    def supports_drop_database_force(self):
        """DROP DATABASE ... WITH (FORCE) exists since PostgreSQL 13."""
        return self.is_postgresql_13

    introspected_field_types = {
        **BaseDatabaseFeatures.introspected_field_types,
        "PositiveBigIntegerField": "BigIntegerField",
        "PositiveIntegerField": "IntegerField",
        "PositiveSmallIntegerField": "SmallIntegerField",
    }
