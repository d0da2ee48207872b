"""
The ``DATABASES`` setting: checked and completed once, when settings are read.

Every alias's dictionary gets every key the backends and the test runner
read (so nobody downstream needs ``.get(key, default)``), with ``TEST`` as
a dictionary of its own. The 1.2 flat spellings inside an alias
(``TEST_NAME``, ``TEST_MIRROR``...) move into ``TEST``.

Projects written for one database set ``DATABASE_ENGINE``, ``DATABASE_NAME``
and friends instead; with no ``DATABASES`` those become
``DATABASES['default']`` (with a DeprecationWarning). Setting both is an
error: which one is meant cannot be guessed.

Error messages name the setting, the alias and the offending value, never
a whole alias dictionary: it holds the password.
"""
import re
import warnings

from django.core.exceptions import ImproperlyConfigured

DEFAULT_DB_ALIAS = "default"

# Aliases name wrappers, in-memory SQLite databases and log lines: keep
# them to identifier-like words.
_ALIAS_SHAPE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

# Keys every completed alias has, with their value when not given.
_PLAIN_DEFAULTS = (
    ("ENGINE", ""),
    ("NAME", ""),
    ("USER", ""),
    ("PASSWORD", ""),
    ("HOST", ""),
    ("PORT", ""),
    ("ATOMIC_REQUESTS", False),
    ("AUTOCOMMIT", True),
    ("CONN_MAX_AGE", 0),
    ("CONN_HEALTH_CHECKS", False),
    ("TIME_ZONE", None),
)
_TEST_KEYS = ("NAME", "MIRROR", "DEPENDENCIES", "CHARSET", "COLLATION")

# The single-database settings and where each lands in DATABASES['default'].
LEGACY_SETTINGS = {
    "DATABASE_ENGINE": ("ENGINE",),
    "DATABASE_NAME": ("NAME",),
    "DATABASE_USER": ("USER",),
    "DATABASE_PASSWORD": ("PASSWORD",),
    "DATABASE_HOST": ("HOST",),
    "DATABASE_PORT": ("PORT",),
    "DATABASE_OPTIONS": ("OPTIONS",),
    "TEST_DATABASE_NAME": ("TEST", "NAME"),
    "TEST_DATABASE_CHARSET": ("TEST", "CHARSET"),
    "TEST_DATABASE_COLLATION": ("TEST", "COLLATION"),
}


class SettledDatabases(dict):
    """A completed DATABASES value: completing it again returns it as is, so
    everyone holding it (settings, the connection handler, every wrapper's
    ``settings_dict``) keeps sharing the same dictionaries."""

    __slots__ = ()


def _fail(message, *args):
    raise ImproperlyConfigured(message % args)


def complete_databases(databases):
    """
    A completed copy of a ``DATABASES`` value (the user's dictionaries are
    left alone). An empty dict configures a ``default`` without an engine,
    so settings load and only using the database fails.
    """
    if isinstance(databases, SettledDatabases):
        return databases
    if not isinstance(databases, dict):
        _fail("The DATABASES setting must be a dict of aliases, not %s.", type(databases).__name__)
    if not databases:
        databases = {DEFAULT_DB_ALIAS: {}}
    for alias in databases:
        if not isinstance(alias, str) or not _ALIAS_SHAPE.fullmatch(alias):
            _fail(
                "DATABASES has an invalid alias %r: an alias is a string of letters, "
                "digits, '_' and '-', not starting with a digit or '-'.",
                alias,
            )
    if DEFAULT_DB_ALIAS not in databases:
        _fail(
            "DATABASES must define a %r alias (configured: %s).",
            DEFAULT_DB_ALIAS, ", ".join(map(repr, databases)),
        )
    completed = SettledDatabases(
        (alias, _complete_alias(alias, entry)) for alias, entry in databases.items()
    )
    for alias, entry in completed.items():
        _check_test_links(alias, entry["TEST"], completed)
    creation_order(completed)  # raises on a DEPENDENCIES cycle
    return completed


def _complete_alias(alias, entry):
    if not isinstance(entry, dict):
        _fail("DATABASES[%r] must be a dict, not %s.", alias, type(entry).__name__)
    completed = dict(entry)
    for key, default in _PLAIN_DEFAULTS:
        completed.setdefault(key, default)
    completed["ENGINE"] = _checked_engine(alias, completed["ENGINE"])
    options = completed.get("OPTIONS")
    if options is None:
        options = {}
    if not isinstance(options, dict):
        _fail("DATABASES[%r]['OPTIONS'] must be a dict, not %s.", alias, type(options).__name__)
    completed["OPTIONS"] = dict(options)
    completed["TEST"] = _complete_test(alias, completed)
    return completed


def _checked_engine(alias, engine):
    """The dotted path of ``engine``; unknown engines fail here, at settings
    time, rather than at the first query."""
    from django.db.utils import backend_exists, builtin_backend_names, resolve_engine

    if engine in ("", None):
        return ""  # allowed until the database is used (see ConnectionHandler)
    if not isinstance(engine, str) or not backend_exists(resolve_engine(engine)):
        _fail(
            "DATABASES[%r]['ENGINE'] = %r isn't an available database backend. "
            "Use one of %s or the dotted path of a backend package.",
            alias, engine, ", ".join(map(repr, builtin_backend_names())),
        )
    return resolve_engine(engine)


def _complete_test(alias, completed):
    test = completed.get("TEST")
    if test is None:
        test = {}
    if not isinstance(test, dict):
        _fail("DATABASES[%r]['TEST'] must be a dict, not %s (%r).", alias, type(test).__name__, test)
    test = dict(test)
    for key in _TEST_KEYS:
        flat = "TEST_" + key
        if flat not in completed:
            continue
        value = completed.pop(flat)
        if key in test and test[key] != value:
            _fail(
                "DATABASES[%r] sets both %s = %r and TEST[%r] = %r; keep only TEST.",
                alias, flat, value, key, test[key],
            )
        test[key] = value
    for key in ("NAME", "MIRROR", "CHARSET", "COLLATION"):
        test.setdefault(key, None)
    dependencies = test.get("DEPENDENCIES")
    if dependencies is None:
        # Unless told otherwise, every other database is created after the
        # default one (it may, say, hold a copy of its tables).
        dependencies = [] if alias == DEFAULT_DB_ALIAS else [DEFAULT_DB_ALIAS]
    elif isinstance(dependencies, str) or not isinstance(dependencies, (list, tuple)):
        _fail(
            "DATABASES[%r]['TEST']['DEPENDENCIES'] must be a list of aliases, not %r.",
            alias, dependencies,
        )
    test["DEPENDENCIES"] = list(dependencies)
    return test


def _check_test_links(alias, test, completed):
    mirror = test["MIRROR"]
    if mirror is not None and (mirror == alias or mirror not in completed):
        _fail(
            "DATABASES[%r]['TEST']['MIRROR'] = %r must name another configured alias "
            "(configured: %s).",
            alias, mirror, ", ".join(map(repr, completed)),
        )
    for needed in test["DEPENDENCIES"]:
        if needed not in completed:
            _fail(
                "DATABASES[%r]['TEST']['DEPENDENCIES'] names %r, which is not a configured "
                "alias (configured: %s).",
                alias, needed, ", ".join(map(repr, completed)),
            )


def creation_order(databases):
    """
    The aliases of completed ``databases`` in an order where each comes
    after those it depends on (TEST DEPENDENCIES), otherwise in settings
    order. A cycle is an ImproperlyConfigured naming the aliases in it.
    """
    placed, order = set(), []
    pending = list(databases)
    while pending:
        ready = [
            alias for alias in pending
            if all(needed in placed for needed in databases[alias]["TEST"]["DEPENDENCIES"])
        ]
        if not ready:
            _fail(
                "DATABASES TEST DEPENDENCIES form a cycle between the aliases %s.",
                ", ".join(map(repr, pending)),
            )
        for alias in ready:
            placed.add(alias)
            order.append(alias)
        pending = [alias for alias in pending if alias not in placed]
    return order


def settle_databases(holder, given):
    """
    Give the settings object ``holder`` its completed ``DATABASES``.

    ``given`` are the setting names its source set explicitly (a settings
    module, configure() or an override layer). The legacy DATABASE_*
    settings are honoured only without DATABASES; the holder remembers
    which it was, so an override of a legacy name keeps working on top of
    a legacy configuration and is refused on top of DATABASES.
    """
    from django.conf import global_settings

    # A legacy name counts when it says something: a settings module that
    # repeats the defaults (global_settings itself, say) configures nothing.
    legacy = [
        name for name in LEGACY_SETTINGS
        if name in given and getattr(holder, name) != getattr(global_settings, name, None)
    ]
    if "DATABASES" in given and (holder.DATABASES != {} or not legacy):
        if legacy:
            _fail(
                "Both DATABASES and %s are set: the DATABASE_* settings are the old "
                "spelling of DATABASES['default']; keep only DATABASES.",
                ", ".join(legacy),
            )
        holder.DATABASES = complete_databases(holder.DATABASES)
        object.__setattr__(holder, "databases_from_legacy", False)
    elif legacy:
        if not _configured_from_legacy(holder):
            _fail(
                "%s is overridden, but the settings configure DATABASES: override "
                "DATABASES instead.",
                ", ".join(legacy),
            )
        warnings.warn(
            "The DATABASE_* settings (%s) are deprecated; define DATABASES = "
            "{'default': {'ENGINE': ..., 'NAME': ...}} instead." % ", ".join(legacy),
            DeprecationWarning,
            stacklevel=4,
        )
        holder.DATABASES = complete_databases({DEFAULT_DB_ALIAS: legacy_default(holder)})
        object.__setattr__(holder, "databases_from_legacy", True)
    else:
        holder.DATABASES = complete_databases(getattr(holder, "DATABASES", None) or {})
        object.__setattr__(holder, "databases_from_legacy", False)


def _configured_from_legacy(holder):
    """Whether the settings under an override layer came from DATABASE_*
    (a layer without a settled DATABASES of its own asks the one below)."""
    while holder is not None:
        own = getattr(holder, "__dict__", {}).get("databases_from_legacy")
        if own is not None:
            return own
        holder = getattr(holder, "__dict__", {}).get("default_settings")
    return True  # nothing settled below: the legacy names are all there is


def legacy_default(holder):
    """DATABASES['default'] as the DATABASE_* settings of ``holder`` describe it."""
    entry = {"TEST": {}}
    for name, (key, *sub) in LEGACY_SETTINGS.items():
        value = getattr(holder, name, None)
        if value is None:
            continue
        if sub:
            entry["TEST"][sub[0]] = value
        else:
            entry[key] = value
    return entry
