"""
Capability flags of a database backend.

The ORM and the schema editor never test ``connection.vendor``; they ask
``connection.features`` instead, so supporting a new database means setting
the right flags rather than editing callers.  The defaults below describe a
conservative SQL-standard database; each vendor overrides what differs.
"""
from django.db import ProgrammingError
from django.utils.functional import cached_property

# Introspection maps every field type to itself unless a vendor says that
# its column type reads back as something else (e.g. MySQL booleans).
_SELF_INTROSPECTED = (
    "AutoField BigAutoField BigIntegerField BinaryField BooleanField CharField "
    "DurationField GenericIPAddressField IntegerField PositiveBigIntegerField "
    "PositiveIntegerField PositiveSmallIntegerField SmallAutoField "
    "SmallIntegerField TimeField"
).split()


class BaseDatabaseFeatures:
    minimum_database_version = None  # tuple, checked on connect where set
    gis_enabled = False

    # --- transactions and connection behaviour -------------------------
    uses_savepoints = True
    can_release_savepoints = False
    atomic_transactions = True
    can_rollback_ddl = False
    can_defer_constraint_checks = False
    supports_forward_references = True  # FKs checked at commit, so fixtures may point ahead
    can_use_chunked_reads = True
    empty_fetchmany_value = []
    closed_cursor_error_class = ProgrammingError
    connection_persists_old_columns = False
    test_db_allows_multiple_connections = True  # False for in-memory test databases
    can_clone_databases = False

    # --- INSERT / UPDATE ------------------------------------------------
    has_bulk_insert = True
    can_return_columns_from_insert = False
    can_return_rows_from_bulk_insert = False
    supports_unspecified_pk = False
    allows_auto_pk_0 = True
    supports_default_keyword_in_insert = True
    supports_default_keyword_in_bulk_insert = True
    supports_ignore_conflicts = True
    supports_update_conflicts = False
    supports_update_conflicts_with_target = False
    requires_casted_case_in_updates = False
    update_can_self_select = True
    max_query_params = None  # None: no limit on bound parameters per statement

    # --- SELECT ... FOR UPDATE ------------------------------------------
    has_select_for_update = False
    has_select_for_update_nowait = False
    has_select_for_update_skip_locked = False
    has_select_for_update_of = False
    has_select_for_no_key_update = False
    select_for_update_of_column = False
    supports_select_for_update_with_limit = True
    for_update_after_from = False

    # --- grouping, ordering and subqueries ------------------------------
    allows_group_by_lob = True
    allows_group_by_selected_pks = False
    allows_group_by_select_index = True
    supports_subqueries_in_group_by = True
    requires_explicit_null_ordering_when_grouping = False
    ignores_unnecessary_order_by_in_subqueries = True
    allow_sliced_subqueries_with_in = True
    nulls_order_largest = False
    order_by_nulls_first = False
    supports_order_by_nulls_modifier = True
    can_distinct_on_fields = False

    # --- compound queries (union / intersection / difference) -----------
    supports_select_union = True
    supports_select_intersection = True
    supports_select_difference = True
    supports_slicing_ordering_in_compound = False
    supports_parentheses_in_compound = True
    requires_compound_order_by_subquery = False

    # --- expressions and functions --------------------------------------
    supports_aggregate_filter_clause = False
    supports_over_clause = False
    supports_frame_range_fixed_distance = False
    only_supports_unbounded_with_preceding_and_following = False
    supports_default_in_lead_lag = True
    supports_boolean_expr_in_select_clause = True
    supports_comparing_boolean_expr = True
    supports_logical_xor = False
    greatest_least_ignores_nulls = False
    supports_cast_with_precision = True
    time_cast_precision = 6  # fractional-second digits kept by CAST to a time type
    bare_select_suffix = ""  # e.g. " FROM DUAL" where "SELECT 1" alone is invalid
    supported_explain_formats = set()
    supports_paramstyle_pyformat = True
    supports_callproc_kwargs = False

    # --- value semantics --------------------------------------------------
    interprets_empty_strings_as_nulls = False
    has_case_insensitive_like = False
    has_case_sensitive_pattern_lookups = True
    supports_regex_backreferencing = True
    supports_date_lookup_using_string = True
    supports_timezones = True
    has_zoneinfo_database = True
    supports_temporal_subtraction = False
    related_fields_match_type = False
    prohibits_null_characters_in_text_exception = None  # or (exception class, message)
    has_real_datatype = False
    has_native_uuid_field = False
    has_native_duration_field = False
    supports_unlimited_charfield = False
    supports_collation_on_charfield = True
    supports_collation_on_textfield = True
    supports_non_deterministic_collations = True

    # --- JSON -------------------------------------------------------------
    supports_json_field = True
    has_native_json_field = False
    has_json_operators = False
    has_json_object_function = True
    can_introspect_json_field = True
    supports_primitives_in_json_field = True
    supports_json_field_contains = True
    json_key_contains_list_matching_requires_list = False

    # --- DDL: constraints, indexes, defaults ----------------------------
    supports_foreign_keys = True
    can_create_inline_fk = True
    indexes_foreign_keys = True
    supports_column_check_constraints = True
    supports_table_check_constraints = True
    supports_nullable_unique_constraints = True
    supports_partially_nullable_unique_constraints = True
    supports_deferrable_unique_constraints = False
    allows_multiple_constraints_on_same_fields = True
    supports_index_on_text_field = True
    supports_partial_indexes = True
    supports_functions_in_partial_indexes = True
    supports_covering_indexes = False
    supports_expression_indexes = True
    collate_as_index_expression = False
    can_rename_index = False
    supports_db_default = True
    requires_literal_defaults = False
    supports_expression_defaults = True
    implied_column_null = False
    supports_combined_alters = False
    supports_atomic_references_rename = True
    schema_editor_uses_clientside_param_binding = False
    supports_tablespaces = False
    supports_sequence_reset = True
    supports_comments = False
    supports_comments_inline = False
    truncates_names = False
    ignores_table_name_case = False
    uses_case_insensitive_names = False

    # --- introspection ----------------------------------------------------
    can_introspect_default = True
    can_introspect_foreign_keys = True
    can_introspect_check_constraints = True
    can_introspect_materialized_views = False
    supports_index_column_ordering = True
    introspected_field_types = {name: name for name in _SELF_INTROSPECTED}

    # --- hooks used only by test suites ---------------------------------
    create_test_procedure_without_params_sql = None
    create_test_procedure_with_int_param_sql = None
    create_test_table_with_composite_primary_key = None
    test_collations = {}
    test_now_utc_template = None
    django_test_skips = {}
    django_test_expected_failures = set()

    def __init__(self, connection):
        self.connection = connection

    @cached_property
    def supports_explaining_query_execution(self):
        return self.connection.ops.explain_prefix is not None

    @cached_property
    def supports_transactions(self):
        """Probe once: insert a row in a transaction, roll back, count."""
        conn = self.connection
        probe = conn.ops.quote_name("_django_tx_probe")
        with conn.cursor() as cursor:
            cursor.execute("CREATE TABLE %s (x INT)" % probe)
            try:
                conn.set_autocommit(False)
                cursor.execute("INSERT INTO %s (x) VALUES (%%s)" % probe, [1])
                conn.rollback()
            finally:
                conn.set_autocommit(True)
            cursor.execute("SELECT COUNT(*) FROM %s" % probe)
            surviving = cursor.fetchone()[0]
            cursor.execute("DROP TABLE %s" % probe)
        return surviving == 0

    def allows_group_by_selected_pks_on_model(self, model):
        # Unmanaged models may be views whose "pk" does not determine the row.
        return self.allows_group_by_selected_pks and model._meta.managed
