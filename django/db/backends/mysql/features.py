"""What the MariaDB/MySQL backend can do; some answers depend on the server version."""
from django.db.backends.base.features import BaseDatabaseFeatures
from django.utils.functional import cached_property


class DatabaseFeatures(BaseDatabaseFeatures):
    """Flags that differ from the base defaults; version-dependent ones are
    properties further down."""

    empty_fetchmany_value = ()  # PyMySQL returns a tuple

    # Transactions.  InnoDB (see default_storage_engine) is transactional,
    # but any DDL commits implicitly and foreign keys are checked row by
    # row rather than at commit.
    supports_transactions = True
    can_release_savepoints = True
    atomic_transactions = False
    supports_forward_references = False

    # Writing.
    update_can_self_select = False  # UPDATE t ... (SELECT ... FROM t) is refused
    supports_update_conflicts = True  # ON DUPLICATE KEY UPDATE
    allows_auto_pk_0 = False  # 0 means "next value" unless NO_AUTO_VALUE_ON_ZERO

    # Reading.  chunked_cursor() streams (an unbuffered SSCursor, see base).
    can_use_chunked_reads = True
    has_select_for_update = True
    allows_group_by_selected_pks = True
    allow_sliced_subqueries_with_in = False  # no LIMIT inside IN (subquery)
    requires_explicit_null_ordering_when_grouping = True
    supports_order_by_nulls_modifier = False
    order_by_nulls_first = True
    supports_slicing_ordering_in_compound = True
    supports_over_clause = True
    supports_frame_range_fixed_distance = True
    supports_default_in_lead_lag = False
    supports_logical_xor = True
    explain_formats_mariadb = {"JSON", "TEXT", "TRADITIONAL"}

    # Values.  DATETIME has no zone (aware values are stored as UTC), and
    # foreign keys must match the referenced column's exact integer type.
    supports_timezones = False
    supports_date_lookup_using_string = False
    supports_temporal_subtraction = True
    related_fields_match_type = True
    # A bare LIKE follows the column collation (case-insensitive by default);
    # the ORM's pattern lookups name their collation (see base.operators).
    has_case_insensitive_like = True

    # Schema.
    supports_index_on_text_field = False  # TEXT needs a prefix length
    supports_partial_indexes = False
    supports_comments = True
    supports_comments_inline = True
    can_clone_databases = True
    # The session's default_storage_engine is set at connect, so CREATE
    # TABLE needs no ENGINE clause.
    default_storage_engine = "InnoDB"
    # How columns read back: no BOOLEAN, BLOB/TEXT share codes, durations
    # and addresses are plain integers/strings.
    introspected_field_types = dict(
        BaseDatabaseFeatures.introspected_field_types,
        BinaryField="TextField",
        BooleanField="IntegerField",
        DurationField="BigIntegerField",
        GenericIPAddressField="CharField",
    )

    @cached_property
    def table_storage_engine(self):
        """The engine new tables get (DATABASES OPTIONS['storage_engine'])."""
        options = self.connection.settings_dict.get("OPTIONS") or {}
        return options.get("storage_engine") or self.default_storage_engine

    @property
    def _is_mariadb(self):
        return self.connection.mysql_is_mariadb

    @property
    def _server_version(self):
        return self.connection.mysql_version

    @cached_property
    def minimum_database_version(self):
        return (10, 5) if self._is_mariadb else (8, 0, 11)

    @cached_property
    def can_return_columns_from_insert(self):
        """INSERT ... RETURNING exists on MariaDB 10.5+ (not on MySQL)."""
        return self._is_mariadb and self._server_version >= (10, 5)

    can_return_rows_from_bulk_insert = property(
        lambda self: self.can_return_columns_from_insert
    )

    @cached_property
    def has_select_for_update_nowait(self):
        return self._server_version >= ((10, 3) if self._is_mariadb else (8, 0, 1))

    @cached_property
    def has_select_for_update_skip_locked(self):
        return self._server_version >= ((10, 6) if self._is_mariadb else (8, 0, 1))

    @cached_property
    def has_native_json_field(self):
        """MariaDB's JSON is LONGTEXT with a JSON_VALID() check."""
        return not self._is_mariadb

    @cached_property
    def supports_expression_indexes(self):
        return not self._is_mariadb and self._server_version >= (8, 0, 13)

    @cached_property
    def supported_explain_formats(self):
        if self._is_mariadb:
            return set(self.explain_formats_mariadb)
        return {"JSON", "TEXT", "TRADITIONAL", "TREE"}

    @cached_property
    def case_sensitive_collation(self):
        """
        Binary, codepoint order; NO PAD where available so that 'a' and
        'a ' differ, as on PostgreSQL.
        """
        if self._is_mariadb:
            return "utf8mb4_nopad_bin"
        return "utf8mb4_0900_bin" if self._server_version >= (8, 0, 17) else "utf8mb4_bin"

    @cached_property
    def case_insensitive_collation(self):
        """Case-insensitive but accent-sensitive where the server has one."""
        if self._is_mariadb:
            return "utf8mb4_uca1400_as_ci" if self._server_version >= (10, 10) else "utf8mb4_unicode_ci"
        return "utf8mb4_0900_as_ci"

    @cached_property
    def test_collations(self):
        return {"ci": self.case_insensitive_collation, "cs": self.case_sensitive_collation}

    def _ask_server(self, expression):
        """The value of ``SELECT <expression>`` on this connection."""
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT " + expression)
            return cursor.fetchone()[0]

    @cached_property
    def has_zoneinfo_database(self):
        """Named time zones work only once mysql_tzinfo_to_sql has been
        loaded; without privileges on the mysql schema, assume they are not."""
        from django.db.utils import DatabaseError

        try:
            return bool(self._ask_server("EXISTS (SELECT 1 FROM mysql.time_zone)"))
        except DatabaseError:
            return False

    @cached_property
    def is_sql_auto_is_null_enabled(self):
        return bool(self._ask_server("@@SQL_AUTO_IS_NULL"))
