"""Models (none: these tests use raw SQL)."""
