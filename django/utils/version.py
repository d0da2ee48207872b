"""Render version tuples like ``(1, 2, 0, "alpha", 0)`` as PEP 440 strings."""

_SUFFIXES = {"alpha": "a", "beta": "b", "rc": "rc"}


def get_complete_version(version=None):
    """Return ``version`` or, when None, the package's own VERSION tuple."""
    if version is None:
        from django import VERSION as version
    if len(version) != 5 or version[3] not in ("alpha", "beta", "rc", "final"):
        raise ValueError(
            "A version must be a 5-tuple (major, minor, micro, level, serial) with "
            "level one of 'alpha', 'beta', 'rc', 'final'; got %r." % (version,)
        )
    return version


def get_version(version=None):
    """Return a PEP 440 string: '1.2.0' for final releases, '1.2.0a0' otherwise."""
    major, minor, micro, level, serial = get_complete_version(version)
    main = "%d.%d.%d" % (major, minor, micro)
    if level == "final":
        return main
    return "%s%s%d" % (main, _SUFFIXES[level], serial)


def get_main_version(version=None):
    """Return 'major.minor.micro'."""
    return "%d.%d.%d" % tuple(get_complete_version(version)[:3])
