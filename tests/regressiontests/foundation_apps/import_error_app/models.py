"""A models module importing a missing module: the ImportError must propagate as is."""
import foundation_no_such_dependency_xyz  # noqa: F401
