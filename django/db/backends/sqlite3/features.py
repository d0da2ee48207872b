import sqlite3 as Database

from django.db import OperationalError
from django.db.backends.base.features import BaseDatabaseFeatures
from django.utils.functional import cached_property


class DatabaseFeatures(BaseDatabaseFeatures):
    minimum_database_version = (3, 21)
    test_db_allows_multiple_connections = False
    supports_unspecified_pk = True
    supports_timezones = False
    max_query_params = 999
    supports_transactions = True
    atomic_transactions = False
    can_rollback_ddl = True
    can_create_inline_fk = False
    requires_literal_defaults = True
    can_clone_databases = True
    supports_temporal_subtraction = True
    ignores_table_name_case = True
    supports_cast_with_precision = False
    time_cast_precision = 3
    can_release_savepoints = True
    # We turn on PRAGMA case_sensitive_like (see base.py).
    has_case_insensitive_like = False
    # Is "ALTER TABLE ... RENAME COLUMN" supported?
    can_alter_table_rename_column = Database.sqlite_version_info >= (3, 25, 0)
    supports_parentheses_in_compound = False
    can_defer_constraint_checks = True
    supports_over_clause = Database.sqlite_version_info >= (3, 25, 0)
    supports_frame_range_fixed_distance = Database.sqlite_version_info >= (3, 28, 0)
    supports_aggregate_filter_clause = Database.sqlite_version_info >= (3, 30, 1)
    supports_order_by_nulls_modifier = Database.sqlite_version_info >= (3, 30, 0)
    # NULLS LAST/FIRST emulation on < 3.30 requires subquery wrapping.
    requires_compound_order_by_subquery = True
    order_by_nulls_first = True
    supports_json_field_contains = False
    supports_update_conflicts = Database.sqlite_version_info >= (3, 24, 0)
    supports_update_conflicts_with_target = supports_update_conflicts
    can_return_columns_from_insert = Database.sqlite_version_info >= (3, 35)
    can_return_rows_from_bulk_insert = can_return_columns_from_insert
    supports_ignore_conflicts = True
    supports_deferrable_unique_constraints = False
    supports_select_for_update_with_limit = True
    supports_explaining_query_execution = True
    supports_sequence_reset = True
    supports_tablespaces = False
    supports_unlimited_charfield = True
    introspected_field_types = {
        **BaseDatabaseFeatures.introspected_field_types,
        "BigAutoField": "AutoField",
        "DurationField": "BigIntegerField",
        "GenericIPAddressField": "CharField",
        "SmallAutoField": "AutoField",
    }

    @cached_property
    def supports_atomic_references_rename(self):
        return Database.sqlite_version_info >= (3, 26, 0)

    @cached_property
    def supports_json_field(self):
        with self.connection.cursor() as cursor:
            try:
                with self.connection.wrap_database_errors:
                    cursor.execute('SELECT JSON(\'{"a": "b"}\')')
            except OperationalError:
                return False
        return True

    can_introspect_json_field = property(lambda self: self.supports_json_field)
    has_json_object_function = property(lambda self: self.supports_json_field)
