class BaseDatabaseValidation:
    """Encapsulate backend-specific validation (system checks)."""

    def __init__(self, connection):
        self.connection = connection

    def check(self, **kwargs):
        return []

    def check_field(self, field, **kwargs):
        # Backends may implement check_field_type(field, field_type); related
        # fields take their type from the target and are skipped.
        if not hasattr(self, "check_field_type") or getattr(field, "remote_field", None):
            return []
        field_type = field.db_type(self.connection)
        if field_type is None:
            # Non-concrete field: nothing in the database to check.
            return []
        return list(self.check_field_type(field, field_type))
