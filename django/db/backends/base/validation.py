class BaseDatabaseValidation:
    """Backend-specific system checks (e.g. MySQL's limits on indexed text)."""

    def __init__(self, connection):
        self.connection = connection

    def check(self, **kwargs):
        return []

    def check_field(self, field, **kwargs):
        """Run the vendor's optional ``check_field_type(field, db_type)``."""
        vendor_check = getattr(self, "check_field_type", None)
        # Related fields borrow their target's type: checked at the target.
        if vendor_check is None or getattr(field, "remote_field", None):
            return []
        db_type = field.db_type(self.connection)
        if db_type is None:
            return []  # not stored in a column of its own
        return list(vendor_check(field, db_type))
