#!/usr/bin/env python3
"""Instructions per operation of our ORM, counted by callgrind, across revisions.

    python bench/instructions.py --backend sqlite|postgresql|mysql
                                 [--workloads W1,...,W8] [--revs .,main~1,...]
                                 [--n N] [--jobs J] [--markdown FILE] [--json FILE]

Wall time on a shared machine moves by several per cent from run to run;
the number of instructions a workload executes does not. For every
revision (``.`` or ``ours``: the working tree; anything else: a git
revision, built into a venv of its own like ``run.py``'s ``ours@REV``) and
workload, the bench's own child process (``child.py``, the workload code
of the current ``bench/`` tree, a fresh database) runs the workload body
at n and at 3n under

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=_CallPythonObject

The child calls the body through a ctypes callback (``child.through_marker``),
so callgrind counts only inside the body: start-up, schema, loading the
data (which grows with n) and verification are never collected. What the
body costs once whatever its n (beginning a transaction, compiling a
statement seen for the first time, the callback itself) cancels in the
difference: per operation = (count(3n) - count(n)) / 2n.

Counts include the C code running in the process (sqlite3, psycopg's
libpq, PyMySQL is pure Python) but not the database server. The hash seed
is fixed (PYTHONHASHSEED=0), so the same revision counts the same within
a few hundredths of a per cent (see bench/README.md).
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import child  # noqa: E402
import report  # noqa: E402
import revisions  # noqa: E402
import run  # noqa: E402

# id -> (what one operation is, default n). callgrind runs ~50x slower than
# the CPU: n is small, but large enough that the 2n operations dominate the
# few thousand instructions that do not cancel (garbage-collector passes).
OPERATIONS = {
    "W1": ("create()", 200),
    "W1b": ("create(group=g)", 200),
    "W2": ("row of bulk_create()", 1000),
    "W3": ("row fetched as an instance", 2000),
    "W4": ("values_list() row", 5000),
    "W5": ("get(pk=)", 200),
    "W6": ("select_related filter, 10 rows", 50),
    "W7": ("row updated", 5000),
    "W8": ("row deleted", 5000),
    "W9": ("create() routed over 3 databases", 200),
    "W10": ("row streamed by iterator()", 5000),
}
DEFAULT_WORKLOADS = ["W1", "W1b", "W2", "W3", "W4", "W5", "W6", "W7", "W8"]
FLAG_ABOVE = 1.03  # the project's limit on extra instructions for a hot-path change
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


class Column:
    """One entry of --revs: the working tree (``revision`` None) or a commit.

    ``impl`` names its venv and child (``ours``, ``ours@abc1234``); ``label``
    heads its column (``#2`` added when a revision is listed twice).
    """

    def __init__(self, revision, repeat=1):
        self.revision = revision
        self.impl = revision.label if revision else revisions.FAMILY
        self.label = self.impl + (" #%d" % repeat if repeat > 1 else "")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", required=True, choices=["sqlite", "postgresql", "mysql"])
    p.add_argument("--workloads", default=",".join(DEFAULT_WORKLOADS),
                   help="comma-separated ids (default %s; W9 and W10 too)" % ",".join(DEFAULT_WORKLOADS))
    p.add_argument("--revs", default=".",
                   help="comma-separated: '.' or 'ours' for the working tree, or any git revision "
                        "(sha, tag, main~3, HEAD); the same one twice checks repeatability")
    p.add_argument("--n", type=int, help="operations in the smaller run (the larger runs 3n); "
                   "default per workload: " + ", ".join("%s %d" % (w, op[1]) for w, op in OPERATIONS.items()))
    p.add_argument("--jobs", type=int, default=1, help="children under valgrind at once (default 1)")
    p.add_argument("--seeds", type=int, default=1,
                   help="count every run under this many hash seeds (PYTHONHASHSEED 0..K-1) and "
                        "report the mean per operation (default 1: seed 0 only)")
    p.add_argument("--timeout", type=float, default=3600, help="seconds allowed per child process")
    p.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    p.add_argument("--json", metavar="FILE", help="also write every count as JSON")
    p.add_argument("--fresh", action="store_true", help="rebuild the cached virtualenvs")
    p.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    run.add_database_options(p)
    args = p.parse_args(argv)
    # Ids are matched without regard to case ("w1b" names W1b).
    wanted = [run.workload_id(w) for w in args.workloads.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in OPERATIONS]
    if unknown:
        p.error("unknown or unmeasurable workload(s) %s; choose from %s"
                % (", ".join(unknown), ", ".join(OPERATIONS)))
    args.workloads = [w for w in OPERATIONS if w in wanted]
    if args.n is not None and args.n < 1 or args.jobs < 1 or args.seeds < 1:
        p.error("--n, --jobs and --seeds must be at least 1")
    try:
        args.columns = parse_revs(args.revs)
    except revisions.RevisionError as exc:
        p.error(str(exc))
    if not args.columns:
        p.error("--revs names no revision")
    if shutil.which("valgrind") is None:
        p.error("valgrind is not on PATH (Debian/Ubuntu: apt-get install valgrind)")
    return args


def parse_revs(text):
    """Columns in commit order (earliest first, the working tree right after
    HEAD); a revision listed twice gets a second column labelled ``#2``."""
    columns = []
    for entry in (e.strip() for e in text.split(",") if e.strip()):
        family, ref = revisions.split_impl(entry)
        if entry in revisions.WORKTREE_ALIASES:
            revision = None
        else:  # "main~1", or "ours@main~1" as run.py spells it
            revision = revisions.resolve(ref if family == revisions.FAMILY and ref else entry)
        impl = revision.label if revision else revisions.FAMILY
        columns.append(Column(revision, repeat=1 + sum(1 for c in columns if c.impl == impl)))
    return [columns[i] for i in revisions.commit_order([c.revision.time if c.revision else None
                                                        for c in columns])]


def callgrind_prefix(log_file):
    return ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--log-file=%s" % log_file,
            "--collect-atstart=no", "--toggle-collect=%s" % child.MARKER_FUNCTION]


def count(args, python, column, wid, n, workroot, serial, seed=0):
    """Instructions collected in one child running ``wid`` at ``n`` under
    the hash seed ``seed``: an int, or an error string."""
    # Every child gets a spec of the same length (the venv alone tells the
    # revisions apart): strings of other lengths would shift the heap and,
    # through id()-based hashes, change the counts by a few tenths of a per cent.
    workdir = Path(workroot) / ("s%04d" % serial)
    workdir.mkdir()
    log_file = workdir / "callgrind.log"
    spec = {"impl": revisions.FAMILY, "workdir": str(workdir), "marker": True,
            "db": run.db_spec(args, revisions.FAMILY, 0, "s%04d" % serial, workdir),
            "workloads": [[wid, n]]}
    # A fixed seed gives the same hashes, so the same dict probing, run after
    # run; another seed probes otherwise, and moves a count by up to 1-2 %
    # (more than many changes being measured): --seeds averages that out.
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    started = time.time()
    out = run.run_child(python, spec, args.timeout, prefix=callgrind_prefix(log_file), env=env)
    print("%-22s %-4s n=%-6d seed %-2d %5.0fs" % (column.label, wid, n, seed, time.time() - started),
          file=sys.stderr, flush=True)
    if "fatal" in out:
        return out["fatal"]
    result = out["workloads"].get(wid, {"error": "no result"})
    if "error" in result or "na" in result:
        return result.get("error") or result["na"]
    try:
        found = COLLECTED.findall(log_file.read_text())
    except OSError as exc:
        return "no callgrind log: %s" % exc
    if not found or int(found[-1]) == 0:
        return ("callgrind collected nothing inside %s (is the interpreter's _ctypes stripped?)"
                % child.MARKER_FUNCTION)
    return int(found[-1])


def per_operation(small, large, n):
    if isinstance(small, int) and isinstance(large, int):
        return (large - small) / (2 * n)
    return None


def mean_per_operation(pairs, n):
    """The mean of per_operation() over ``pairs`` of (count at n, count at
    3n), one pair per hash seed; None if any of them failed."""
    values = [per_operation(small, large, n) for small, large in pairs]
    if not values or any(v is None for v in values):
        return None
    return sum(values) / len(values)


def fmt_count(value):
    if value is None:
        return "error"
    return "%.1fk" % (value / 1000) if value >= 10000 else "%.0f" % value


def fmt_ratio(later, earlier):
    if later is None or not earlier:
        return "-"
    r = later / earlier
    return "**%.3f** (over %.2f)" % (r, FLAG_ABOVE) if r > FLAG_ABOVE else "%.3f" % r


def render(args, columns, sizes, per_op, meta):
    pairs = revisions.later_over_earlier([c.revision.time if c.revision else None for c in columns])
    out = ["## Instructions per operation: %s" % args.backend, ""]
    out.append("- date: %s; command: `%s`" % (meta["date"], meta["command"]))
    out.append("- wall time %.0f s; python %s" % (meta["wall"], meta["python"]))
    for c in columns:
        if c.revision is None:
            out.append("- %s: the working tree, %s" % (c.label, run.source_state()))
        else:
            out.append("- %s: %s, commit %s (%s)" % (c.label, c.revision.ref, c.revision.sha, c.revision.subject))
    out.append("- counted by callgrind inside the workload body only; per operation = "
               "(count(3n) - count(n)) / 2n%s; ratios later / earlier, flagged above %.2f"
               % (", the mean over hash seeds 0-%d" % (args.seeds - 1) if args.seeds > 1 else "", FLAG_ABOVE))
    out.append("")
    header = ["id", "operation", "n, 3n"] + [c.label for c in columns]
    header += ["%s / %s" % (columns[a].label, columns[b].label) for a, b in pairs]
    rows = []
    for wid in args.workloads:
        values = [per_op[(i, wid)] for i in range(len(columns))]
        rows.append([wid, OPERATIONS[wid][0], "%d, %d" % (sizes[wid], 3 * sizes[wid])]
                    + [fmt_count(v) for v in values] + [fmt_ratio(values[a], values[b]) for a, b in pairs])
    out.append(report.table(header, rows))
    out.append("")
    return "\n".join(out) + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    columns = args.columns
    started = time.time()
    revs = {c.impl: c.revision for c in columns if c.revision}
    impls = list(dict.fromkeys(c.impl for c in columns))
    pythons, versions, unavailable = run.build_envs(impls, revs, args.fresh)
    sizes = {w: args.n or OPERATIONS[w][1] for w in args.workloads}

    jobs = []  # (column index, workload, n, hash seed)
    for wid in args.workloads:
        for i, column in enumerate(columns):
            if column.impl in pythons:
                for seed in range(args.seeds):
                    jobs += [(i, wid, sizes[wid], seed), (i, wid, 3 * sizes[wid], seed)]
    workroot = tempfile.mkdtemp(prefix="django-orm-instructions-")
    counts, errors = {}, []
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {pool.submit(count, args, pythons[columns[i].impl], columns[i], wid, n, workroot, serial,
                                   seed): (i, wid, n, seed) for serial, (i, wid, n, seed) in enumerate(jobs)}
            for future in concurrent.futures.as_completed(futures):
                counts[futures[future]] = result = future.result()
                if not isinstance(result, int):
                    i, wid, n, seed = futures[future]
                    errors.append("%s %s n=%d seed %d: %s" % (columns[i].label, wid, n, seed, result))
    finally:
        if not args.keep:
            shutil.rmtree(workroot, ignore_errors=True)
    for impl, why in unavailable.items():
        errors.append("%s: unavailable: %s" % (impl, why.splitlines()[0]))
    for line in errors:
        print("error: " + line, file=sys.stderr)

    per_op = {(i, w): mean_per_operation([(counts.get((i, w, sizes[w], seed)),
                                            counts.get((i, w, 3 * sizes[w], seed)))
                                           for seed in range(args.seeds)], sizes[w])
              for i in range(len(columns)) for w in args.workloads}
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "command": "python bench/instructions.py " + " ".join(argv), "wall": time.time() - started,
            "python": next((v.get("python", "?") for v in versions.values()), "?")}
    text = render(args, columns, sizes, per_op, meta)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "meta": meta, "sizes": sizes,
            "columns": [{"label": c.label, "sha": c.revision.sha if c.revision else None} for c in columns],
            "counts": [{"column": columns[i].label, "workload": w, "n": n, "seed": seed, "collected": v}
                       for (i, w, n, seed), v in sorted(counts.items())],
            "per_operation": [{"column": columns[i].label, "workload": w, "instructions": v}
                              for (i, w), v in sorted(per_op.items())]}, indent=1))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
