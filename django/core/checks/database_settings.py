"""The ``DATABASES`` and ``DATABASE_ROUTERS`` checks: settings that load but cannot work.

Loading the settings already refuses what is wrong with ``DATABASES`` in
itself (django.conf.databases: the shape of the dict, the aliases, an
engine that names no backend package, TEST MIRROR and DEPENDENCIES). What
is left can only be seen later, and until now showed at first use, often
deep inside a request or a test run:

=================  =====================================================
databases.E001     an alias has no ENGINE (accepted at load, so that
                   settings without a database work until one is used)
databases.E002     the ENGINE names no backend package (settings changed
                   after they were loaded)
databases.E003     the backend exists but cannot be imported (its driver,
                   say psycopg or PyMySQL, is not installed)
databases.E004     CONN_MAX_AGE is neither None nor a number of seconds
routers.E001       DATABASE_ROUTERS is not a list or tuple
routers.E002       an entry is a path that cannot be imported (or the
                   class it names cannot be instantiated)
routers.E003       an entry is neither a dotted path nor a router object
routers.W001       a router answers none of the router questions
=================  =====================================================

DATABASE_ROUTERS is read on first use (django.db.router), never at load:
these checks import each entry the same way (``routers_from()``), one at
a time, so that every bad entry is named, with its index and value, rather
than only the first. Nothing here connects to a database. Messages name
the setting, the alias or index, and the bad value, never a password.
"""
from django.core.checks.messages import Error, Warning
from django.core.checks.registry import Tags, register


def _engines_hint():
    from django.db.utils import builtin_backend_names

    return "Use one of %s or the dotted path of a backend package." % ", ".join(
        map(repr, builtin_backend_names())
    )


@register(Tags.database)
def check_databases_setting(app_configs=None, databases=None, **kwargs):
    """databases.E001-E004 for each alias (only those of ``databases``
    when given, as ``check --database`` does)."""
    from django.db import connections

    configured = connections.databases
    aliases = [alias for alias in configured if databases is None or alias in databases]
    errors = []
    for alias in aliases:
        entry = configured[alias]
        problem = _engine_problem(alias, entry.get("ENGINE"))
        if problem is not None:
            errors.append(problem)
        problem = _max_age_problem(alias, entry.get("CONN_MAX_AGE", 0))
        if problem is not None:
            errors.append(problem)
    return errors


def _engine_problem(alias, engine):
    from django.db.utils import backend_exists, load_backend, resolve_engine

    if not engine:
        return Error(
            "DATABASES[%r] has no ENGINE." % alias,
            hint=_engines_hint(), id="databases.E001",
        )
    if not isinstance(engine, str) or not backend_exists(resolve_engine(engine)):
        return Error(
            "DATABASES[%r]['ENGINE'] = %r isn't an available database backend." % (alias, engine),
            hint=_engines_hint(), id="databases.E002",
        )
    try:
        load_backend(engine)
    except Exception as exc:  # the backend's own import failed: its driver, usually
        return Error(
            "DATABASES[%r]['ENGINE'] = %r cannot be loaded: %s: %s"
            % (alias, engine, type(exc).__name__, exc),
            hint="Install the database driver the backend needs (see docs/ref/databases.txt).",
            id="databases.E003",
        )
    return None


def _max_age_problem(alias, max_age):
    seconds = isinstance(max_age, (int, float)) and not isinstance(max_age, bool)
    if max_age is None or (seconds and max_age >= 0):
        return None
    return Error(
        "DATABASES[%r]['CONN_MAX_AGE'] = %r must be None (connections never expire) "
        "or a number of seconds >= 0." % (alias, max_age),
        id="databases.E004",
    )


_PATH_HINT = ("Give the dotted path of a router class or object, "
              "e.g. 'myproject.routers.PrimaryReplicaRouter'.")


@register(Tags.database)
def check_database_routers_setting(app_configs=None, **kwargs):
    """routers.E001-E003 and routers.W001 for DATABASE_ROUTERS."""
    from django.conf import settings

    entries = getattr(settings, "DATABASE_ROUTERS", [])
    if isinstance(entries, (str, bytes)) or not isinstance(entries, (list, tuple)):
        return [Error(
            "DATABASE_ROUTERS must be a list or tuple of routers, not %r." % (entries,),
            hint="For one router, write DATABASE_ROUTERS = [%r]." % (entries,),
            id="routers.E001",
        )]
    messages = []
    for index, entry in enumerate(entries):
        message = _entry_problem(index, entry)
        if message is not None:
            messages.append(message)
    return messages


def _entry_problem(index, entry):
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import ROUTER_METHODS, routers_from

    where = "DATABASE_ROUTERS[%d] = %r" % (index, entry)
    try:
        (router,) = routers_from([entry])
    except ImproperlyConfigured as exc:
        if not isinstance(entry, str):
            return Error("%s is neither a dotted path (a string) nor a router object." % where,
                         id="routers.E003")
        reason = exc.__cause__ or "it is not a dotted path ('module.Name')"
        return Error("%s cannot be imported: %s" % (where, reason), hint=_PATH_HINT,
                     id="routers.E002")
    except Exception as exc:  # raised by the router's module or its class's __init__
        return Error("%s cannot be loaded: %s: %s" % (where, type(exc).__name__, exc),
                     hint=_PATH_HINT + " A router class is instantiated without arguments.",
                     id="routers.E002")
    answers = ROUTER_METHODS + ("allow_syncdb",)
    if not any(callable(getattr(router, name, None)) for name in answers):
        return Warning(
            "%s defines none of the router methods (%s): it is never asked anything."
            % (where, ", ".join(ROUTER_METHODS)),
            id="routers.W001",
        )
    return None
