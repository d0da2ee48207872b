"""Database plumbing shared by every implementation's child process.

Creating/dropping the per-process database, resetting the two tables and
loading read-workload data all go through the raw DB-API driver on a
short-lived connection of their own, never through the code under test,
so setup costs and data are identical for every implementation and none
of it is timed. Verification counts use the same path.

Data rows are generated inside the database (recursive CTE,
generate_series, MariaDB's sequence engine) so loading a million rows
costs the child no memory and is the same for all.
"""
import itertools
import os

GROUP_TABLE = "bench_group"
ITEM_TABLE = "bench_item"
ITEM_COLUMNS = "id, name, value, score, flag, group_id"


def connect(db, database=True):
    """A raw autocommit connection (``database=False``: the server only)."""
    backend = db["backend"]
    if backend == "sqlite":
        import sqlite3
        return sqlite3.connect(db["path"], isolation_level=None)
    if backend == "postgresql":
        import psycopg
        return psycopg.connect(
            host=db["host"], port=db["port"], user=db["user"], password=db["password"] or None,
            dbname=db["name"] if database else "postgres", autocommit=True, connect_timeout=10,
        )
    if backend == "mysql":
        import pymysql
        kwargs = dict(host=db["host"], port=int(db["port"]), user=db["user"],
                      password=db["password"] or "", autocommit=True, connect_timeout=10,
                      charset="utf8mb4")
        if database:
            kwargs["database"] = db["name"]
        return pymysql.connect(**kwargs)
    raise ValueError("unknown backend %r (choose sqlite, postgresql or mysql)" % backend)


def _run(conn, *statements):
    cur = conn.cursor()
    for sql in statements:
        cur.execute(sql)
    cur.close()


def create_database(db):
    """Start from an empty database (dropping a leftover of a killed run)."""
    if db["backend"] == "sqlite":
        for suffix in ("", "-journal", "-wal", "-shm"):
            if os.path.exists(db["path"] + suffix):
                os.remove(db["path"] + suffix)
        return
    drop_database(db)
    conn = connect(db, database=False)
    try:
        if db["backend"] == "postgresql":
            _run(conn, 'CREATE DATABASE "%s"' % db["name"])
        else:
            _run(conn, "CREATE DATABASE `%s` CHARACTER SET utf8mb4" % db["name"])
    finally:
        conn.close()


def drop_database(db):
    if db["backend"] == "sqlite":
        return
    conn = connect(db, database=False)
    try:
        if db["backend"] == "postgresql":
            _run(conn, 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db["name"])
        else:
            _run(conn, "DROP DATABASE IF EXISTS `%s`" % db["name"])
    finally:
        conn.close()


def reset(db):
    """Empty both tables and restart their key sequences at 1."""
    conn = connect(db)
    try:
        if db["backend"] == "postgresql":
            _run(conn, "TRUNCATE %s, %s RESTART IDENTITY CASCADE" % (ITEM_TABLE, GROUP_TABLE))
        elif db["backend"] == "mysql":
            _run(conn, "SET FOREIGN_KEY_CHECKS = 0", "TRUNCATE TABLE %s" % ITEM_TABLE,
                 "TRUNCATE TABLE %s" % GROUP_TABLE, "SET FOREIGN_KEY_CHECKS = 1")
        else:
            _run(conn, "DELETE FROM %s" % ITEM_TABLE, "DELETE FROM %s" % GROUP_TABLE)
            cur = conn.cursor()
            if cur.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
                cur.execute("DELETE FROM sqlite_sequence")
    finally:
        conn.close()


def _series(backend, count, expr_of_x):
    """SQL selecting ``expr_of_x`` for x = 1..count, generated server-side."""
    if backend == "postgresql":
        return "SELECT %s FROM generate_series(1, %d) AS s(x)" % (expr_of_x, count)
    if backend == "mysql":
        return "SELECT %s FROM (SELECT seq AS x FROM seq_1_to_%d) AS s" % (expr_of_x, count)
    return ("WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < %d) "
            "SELECT %s FROM s" % (count, expr_of_x))


def _concat(backend, prefix):
    return "CONCAT('%s', x)" % prefix if backend == "mysql" else "'%s' || x" % prefix


def load(db, items, groups=10):
    """Load ``groups`` groups (id k, name 'g<k>') and ``items`` items.

    Item x: name 'item<x>', value x % 1000, score x * 0.5, flag x even,
    group 1 + x % groups (so every group gets items // groups rows).
    """
    backend = db["backend"]
    conn = connect(db)
    try:
        _run(conn, "INSERT INTO %s (id, name) %s" % (
            GROUP_TABLE, _series(backend, groups, "x, " + _concat(backend, "g"))))
        if items:
            exprs = "x, %s, x %% 1000, x * 0.5, x %% 2 = 0, 1 + x %% %d" % (
                _concat(backend, "item"), groups)
            if backend == "postgresql":
                exprs = exprs.replace("x * 0.5", "x * 0.5::float8")
            _run(conn, "INSERT INTO %s (%s) %s" % (ITEM_TABLE, ITEM_COLUMNS, _series(backend, items, exprs)))
        if backend == "postgresql":
            # Explicit ids do not advance the sequences; later inserts must not collide.
            for table, count in ((GROUP_TABLE, groups), (ITEM_TABLE, items)):
                # setval(seq, 1, false): an empty table's next key is 1, not 2.
                _run(conn, "SELECT setval(pg_get_serial_sequence('%s', 'id'), %d, %s)" % (
                    table, max(count, 1), "true" if count else "false"))
            # Set the rows' hint bits and statistics now: otherwise the first
            # statement to touch the new rows writes the hint bits, and
            # autovacuum may start in the middle of a timed body, whichever
            # implementation happens to run then (W8, a 30 ms DELETE, moved
            # by a third from run to run).
            for table in (GROUP_TABLE, ITEM_TABLE):
                _run(conn, "VACUUM (ANALYZE) %s" % table)
    finally:
        conn.close()


def scalar(db, sql):
    conn = connect(db)
    try:
        cur = conn.cursor()
        cur.execute(sql)
        value = cur.fetchone()[0]
        cur.close()
        return value
    finally:
        conn.close()


def item_count(db):
    return scalar(db, "SELECT COUNT(*) FROM %s" % ITEM_TABLE)


def value_sum(db):
    return int(scalar(db, "SELECT COALESCE(SUM(value), 0) FROM %s" % ITEM_TABLE))


def expected_value_sum(ids):
    return sum(x % 1000 for x in ids)


# -- W9: three databases, writes spread by a router ----------------------------

W9_ALIASES = ("w9a", "w9b", "w9c")


class W9Rotation:
    """W9's routing decision: each call to ``next_alias()`` names the next
    of W9_ALIASES, round robin (w9a, w9b, w9c, w9a, ...)."""

    def __init__(self, aliases=W9_ALIASES):
        self.next_alias = itertools.cycle(aliases).__next__


def w9_databases(db):
    """The three databases of W9, derived from the run's one ``db``: the
    SQLite file ``bench.sqlite3`` -> ``bench_w9a.sqlite3`` ... beside it, a
    server database ``NAME`` -> ``NAME_w9a`` ... on the same server."""
    found = []
    for alias in W9_ALIASES:
        spec = {key: value for key, value in db.items() if key != "w9"}
        if db["backend"] == "sqlite":
            stem, ext = os.path.splitext(db["path"])
            spec["path"] = "%s_%s%s" % (stem, alias, ext)
        else:
            spec["name"] = "%s_%s" % (db["name"], alias)
        found.append(spec)
    return found


def w9_spread_problems(n, counts, pk_sums):
    """What is wrong with W9's outcome (empty: nothing): ``counts`` and
    ``pk_sums`` map each alias to its rows and to the sum of the pks the
    creates sent there returned. The n rows must be spread evenly (n/3 per
    database, give or take one: the rotation may start anywhere), and each
    database's keys must be 1..rows, as in W1."""
    problems = []
    if sum(counts.values()) != n:
        problems.append("%d rows in all, expected %d" % (sum(counts.values()), n))
    low, high = n // len(W9_ALIASES), -(-n // len(W9_ALIASES))
    for alias in W9_ALIASES:
        rows = counts.get(alias, 0)
        if not low <= rows <= high:
            problems.append("%d rows in %s, expected %s" % (
                rows, alias, low if low == high else "%d or %d" % (low, high)))
        if pk_sums.get(alias) != rows * (rows + 1) // 2:
            problems.append("sum of pks returned from %s %r, expected %d" % (
                alias, pk_sums.get(alias), rows * (rows + 1) // 2))
    return problems
