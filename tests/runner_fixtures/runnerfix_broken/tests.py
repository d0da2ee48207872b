"""A tests module that cannot be imported."""
import h4_no_such_module_anywhere  # noqa: F401
