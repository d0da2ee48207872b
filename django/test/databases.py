"""
The test runner's databases: one test database per alias of DATABASES.

Aliases are set up in TEST DEPENDENCIES order (settings order otherwise).
An alias with TEST MIRROR gets no database of its own: it is pointed at its
target's test database. Two aliases whose test databases would be the same
one (same server and test name, see ``test_db_signature()``) share it: the
second is pointed at the first's. Every wrapper of an alias shares its
settings dict, so pointing the dict at the test database reaches every
thread's wrapper, present and future.
"""
from django.core.exceptions import ImproperlyConfigured


def mirror_target(databases, alias):
    """The alias whose test database ``alias`` uses (following MIRROR chains)."""
    seen = [alias]
    target = databases[alias]["TEST"]["MIRROR"]
    while databases[target]["TEST"]["MIRROR"] is not None:
        if target in seen:
            raise ImproperlyConfigured(
                "DATABASES TEST MIRROR settings form a cycle between the aliases %s."
                % ", ".join(map(repr, seen))
            )
        seen.append(target)
        target = databases[target]["TEST"]["MIRROR"]
    return target


def needed_aliases(databases, aliases):
    """``aliases`` (unknown ones refused) plus the aliases whose test
    databases they need: the targets of their TEST MIRROR."""
    unknown = sorted(set(aliases) - set(databases))
    if unknown:
        raise ImproperlyConfigured(
            "Cannot set up test databases for %s: not in DATABASES (configured: %s)."
            % (", ".join(map(repr, unknown)), ", ".join(map(repr, databases)))
        )
    needed = set(aliases)
    for alias in aliases:
        if databases[alias]["TEST"]["MIRROR"] is not None:
            needed.add(mirror_target(databases, alias))
    return needed


def set_up_test_databases(verbosity=1, interactive=False, keepdb=False, aliases=None):
    """
    Create (with ``keepdb``: reuse) the test database of every alias, or
    only of ``aliases`` (and the mirror targets they need) when given.
    Returns the state tear_down_test_databases() takes: ``created`` lists
    (wrapper, configured NAME) in creation order, ``pointed`` the aliases
    sent to another alias's test database with their configured NAME. If a
    creation fails, the databases already made are destroyed first.
    """
    from django.conf.databases import creation_order
    from django.db import connections

    databases = connections.databases
    wanted = set(databases) if aliases is None else needed_aliases(databases, aliases)
    state = {"created": [], "pointed": []}
    owner_of = {}  # test_db_signature() -> alias that created it
    try:
        for alias in creation_order(databases):
            if alias not in wanted or databases[alias]["TEST"]["MIRROR"] is not None:
                continue
            wrapper = connections[alias]
            configured_name = wrapper.settings_dict["NAME"]
            signature = wrapper.creation.test_db_signature()
            if signature in owner_of:
                wrapper.creation.set_as_test_mirror(connections[owner_of[signature]].settings_dict)
                state["pointed"].append((alias, configured_name))
                continue
            wrapper.creation.create_test_db(
                verbosity=verbosity, autoclobber=not interactive, keepdb=keepdb,
            )
            state["created"].append((wrapper, configured_name))
            owner_of[signature] = alias
        for alias in databases:
            if alias not in wanted or databases[alias]["TEST"]["MIRROR"] is None:
                continue
            target = mirror_target(databases, alias)
            state["pointed"].append((alias, databases[alias]["NAME"]))
            mirror = connections[alias]
            mirror.close()  # a connection opened before points at the real database
            mirror.creation.set_as_test_mirror(connections[target].settings_dict)
    except BaseException:
        tear_down_test_databases(state, verbosity=verbosity, keepdb=keepdb)
        raise
    return state


def tear_down_test_databases(state, verbosity=1, keepdb=False):
    """Undo set_up_test_databases(): destroy what it created (in reverse
    order; ``keepdb`` keeps them) and restore every configured NAME. One
    failure does not stop the others; the first is raised at the end."""
    from django.db import connections

    failure = None
    for alias, configured_name in reversed(state["pointed"]):
        connections.databases[alias]["NAME"] = configured_name
    for wrapper, configured_name in reversed(state["created"]):
        try:
            wrapper.creation.destroy_test_db(configured_name, verbosity=verbosity, keepdb=keepdb)
        except Exception as exc:  # noqa: PERF203 (each database gets its chance)
            failure = failure or exc
    state["created"], state["pointed"] = [], []
    if failure is not None:
        raise failure
