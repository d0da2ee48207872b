"""
Joins that cross databases, refused before any SQL is sent (patch 0003).

A query compiled for the alias A reads every table of its FROM clause on
A. When the routers send a joined model's reads to another database *and*
a router explicitly keeps that model's table off A (``allow_migrate(A,
...)`` answers False), the join can only fail on A (no such table) or,
worse, read a stale copy that happens to be there. Such a query is refused
with :class:`CrossDatabaseJoinError`, naming both models and both
databases.

Deliberately narrow, so that working set-ups are never refused:

- only an explicit False from a router counts: no opinion means the table
  may well be on A (a read replica the routers read from but never
  migrate to has every table);
- a table is judged by the model migrations would create it for (managed,
  not a proxy; an auto-created many-to-many table by its through model):
  ``managed = False`` models and proxies are never asked about;
- the base model of the query is the caller's choice of database and is
  not judged, but inside a subquery every table counts.

The routers are asked through their public questions only:
``router.db_for_read(model)`` and ``router.allow_migrate_model(A, model)``
(False exactly when a router explicitly answers False: with no opinion it
is True).

The routers' hints: the questions are asked without any. A verdict is
about a model's table and a database, the same for every query, so it is
worked out once per (alias, table) and kept; ``allow_migrate``, the
question that can refuse, never sees an instance anyway. Handing
db_for_read the hints of the queryset (``{'instance': ...}`` from a related
manager) would make each verdict depend on the query, so nothing could be
kept, and the hints would have to travel from every QuerySet down to the
compiler on every query, routers or not. A router that reads a model on A
only for some instances is not a replica of it on A: its join is judged as
the model's is.

Cost: a :class:`JoinCheck` (the compiler keeps one, for ``django.db.router``)
keeps the verdicts of the routers of one ``router.generation``, and works
them out again when it changes. When no router defines ``allow_migrate``
(no routers at all, the usual case) nothing can be refused: the check
records the generation as idle and a query pays one comparison of it.
"""

# Where the compiler keeps the FROM tables of a compiled statement in its
# memo: the memo is shared with the statement cache, so a statement served
# from the cache (whose joins were never set up on this query) still knows
# them.
FROM_TABLES = "cross-database check: FROM tables"


class CrossDatabaseJoinError(ValueError):
    """A query joins a table that the routers keep on another database."""


class JoinVerdicts:
    """(alias, table) -> None when a query on alias may join table, else
    (model judged, alias its reads go to). One per generation of routers."""

    __slots__ = ("router", "decided", "owners")

    def __init__(self, router):
        self.router = router
        self.decided = {}
        self.owners = None

    def owner(self, table):
        """The model whose table ``table`` is for migrations, or None."""
        owners = self.owners
        if owners is None or table not in owners:
            # (Re)built on a table not seen yet: models may have been
            # registered since (tests define some on the fly).
            owners = self.owners = _table_owners()
        return owners.get(table)

    def verdict(self, alias, table):
        key = (alias, table)
        try:
            return self.decided[key]
        except KeyError:
            pass
        model = self.owner(table)
        found = None
        if model is not None:
            router = self.router
            # allow_migrate first: it alone can refuse, and a router that
            # places reads by an instance (sharding) may be unable to answer
            # db_for_read without one; it is asked only about a refused table.
            if not router.allow_migrate_model(alias, model):
                reads = router.db_for_read(model)
                if reads != alias:
                    found = (model, reads)
        self.decided[key] = found
        return found


def _table_owners():
    from django.apps import apps

    owners = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.managed and not opts.proxy and not opts.swapped:
            owners.setdefault(opts.db_table, model)
    return owners


def from_tables(compiler):
    """The tables a compiled statement reads, base table first (as the
    FROM clause lists them: joins no longer used are left out)."""
    query = compiler.query
    uses = query.alias_refcount
    tables = [
        item.table_name for alias, item in query.alias_map.items()
        if uses.get(alias) or item.join_type is None
    ]
    tables.extend(query.extra_tables)
    return tuple(dict.fromkeys(tables))


class JoinCheck:
    """
    The check of queries against the routers of one ConnectionRouter.

    ``verdicts`` is the JoinVerdicts of the routers of ``router.generation``
    = ``generation`` (False when nothing can be refused), worked out again
    on the first query after the routers change. ``idle_generation`` is the
    generation whose routers can refuse nothing: while it is current the
    compiler skips the check, at the cost of comparing two numbers.
    """

    __slots__ = ("router", "verdicts", "generation", "idle_generation")

    def __init__(self, router):
        self.router = router
        self.verdicts = self.generation = self.idle_generation = None

    def current_verdicts(self):
        router = self.router
        generation = router.generation
        if generation != self.generation:
            verdicts = JoinVerdicts(router) if router.defines("allow_migrate") else False
            self.verdicts, self.generation = verdicts, generation
            self.idle_generation = generation if verdicts is False else None
        return self.verdicts

    def refuse(self, compiler, built):
        """
        Raise CrossDatabaseJoinError if the statement ``compiler`` compiled
        joins a table that the routers keep off the database it is for.
        ``built``: the statement was compiled here, so the query's FROM
        clause is complete; otherwise it came from the statement cache.
        """
        verdicts = self.current_verdicts()
        if verdicts is False:
            return
        memo = compiler.memo
        tables = memo.get(FROM_TABLES)
        if tables is None:
            if built:
                tables = from_tables(compiler)
            else:
                # Served from a cache filled while nothing was checked: set
                # the joins up once on a copy (select_related and ordering
                # add some).
                probe = compiler.query.clone().get_compiler(
                    compiler.db_alias, connection=compiler.connection
                )
                probe.pre_sql_setup()
                tables = from_tables(probe)
            memo[FROM_TABLES] = tables
        query = compiler.query
        base = None
        if query.model is not None and not query.subquery:
            base = query.model._meta.db_table
        # The alias the statement is for: two aliases may share a connection.
        alias = compiler.db_alias or compiler.connection.alias
        for table in tables:
            if table == base:
                continue
            found = verdicts.verdict(alias, table)
            if found is not None:
                raise _refusal(query, alias, table, *found)


def _refusal(query, alias, table, joined, reads):
    what = "a query on %s" % query.model._meta.label if query.model is not None else "a query"
    return CrossDatabaseJoinError(
        "Cannot run %s on the database %r: it joins the table %r of %s, whose "
        "reads the routers send to %r and whose table a router keeps off %r "
        "(allow_migrate() returned False). Query %s on %r separately instead."
        % (what, alias, table, joined._meta.label, reads, alias, joined._meta.label, reads)
    )
