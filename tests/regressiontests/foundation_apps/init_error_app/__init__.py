import foundation_missing_dependency_of_init  # noqa: F401
