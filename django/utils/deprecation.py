"""Deprecation warning classes."""


class RemovedInNextVersionWarning(DeprecationWarning):
    """A feature that will be removed in the next version."""


class RemovedAfterNextVersionWarning(PendingDeprecationWarning):
    """A feature that will be removed in the version after next."""
