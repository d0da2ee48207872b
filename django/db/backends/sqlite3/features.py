"""
SQLite's capabilities.  Several depend on the version of the SQLite
library Python was built with, so they are computed from it at import.
"""
import sqlite3 as Database

from django.db import OperationalError
from django.db.backends.base.features import BaseDatabaseFeatures
from django.utils.functional import cached_property


def _library_at_least(*version):
    return Database.sqlite_version_info >= version


class DatabaseFeatures(BaseDatabaseFeatures):
    """Flags that differ from the base defaults."""

    minimum_database_version = (3, 21)

    # Transactions: DDL is transactional and foreign keys can be checked
    # at commit, but nothing else may run once a statement has failed.
    supports_transactions = True
    atomic_transactions = False
    can_rollback_ddl = True
    can_release_savepoints = True
    can_defer_constraint_checks = True
    # The in-memory test database is only reachable from this process.
    test_db_allows_multiple_connections = False
    can_clone_databases = True

    # Writing.
    supports_unspecified_pk = True  # a rowid exists even without a pk
    max_query_params = 999  # SQLITE_MAX_VARIABLE_NUMBER of older builds
    can_return_columns_from_insert = _library_at_least(3, 35)  # RETURNING
    can_return_rows_from_bulk_insert = can_return_columns_from_insert
    supports_update_conflicts = _library_at_least(3, 24, 0)  # UPSERT
    supports_update_conflicts_with_target = supports_update_conflicts

    # Reading.
    supports_over_clause = _library_at_least(3, 25, 0)
    supports_frame_range_fixed_distance = _library_at_least(3, 28, 0)
    supports_aggregate_filter_clause = _library_at_least(3, 30, 1)
    supports_order_by_nulls_modifier = _library_at_least(3, 30, 0)
    order_by_nulls_first = True
    # Compound members cannot be parenthesised, so ordering/slicing them
    # needs a wrapping subquery.
    supports_parentheses_in_compound = False
    requires_compound_order_by_subquery = True
    supports_explaining_query_execution = True

    # Values: dates are text, so no zones; CAST() ignores precision and
    # keeps milliseconds only.
    supports_timezones = False
    supports_temporal_subtraction = True
    supports_cast_with_precision = False
    time_cast_precision = 3
    supports_json_field_contains = False
    supports_unlimited_charfield = True
    # LIKE is made case-sensitive on every connection (see base.py).
    has_case_insensitive_like = False

    # Schema.
    can_create_inline_fk = False  # ADD COLUMN cannot add a REFERENCES clause
    requires_literal_defaults = True  # DEFAULT cannot be a parameter
    ignores_table_name_case = True
    can_alter_table_rename_column = _library_at_least(3, 25, 0)
    # Every integer primary key is the same rowid; addresses and durations
    # are stored as plain text/integers.
    introspected_field_types = dict(
        BaseDatabaseFeatures.introspected_field_types,
        BigAutoField="AutoField",
        SmallAutoField="AutoField",
        DurationField="BigIntegerField",
        GenericIPAddressField="CharField",
    )

    @cached_property
    def supports_atomic_references_rename(self):
        return _library_at_least(3, 26, 0)

    @cached_property
    def supports_json_field(self):
        """SQLite's JSON functions are optional in builds before 3.38."""
        probe = self.connection.cursor()
        try:
            with self.connection.wrap_database_errors:
                probe.execute("SELECT JSON('[]')")
        except OperationalError:
            return False
        finally:
            probe.close()
        return True

    can_introspect_json_field = property(lambda self: self.supports_json_field)
    has_json_object_function = property(lambda self: self.supports_json_field)
