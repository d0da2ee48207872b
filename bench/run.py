#!/usr/bin/env python3
"""Benchmark the ORM against the raw driver, Django 6.1 and SQLAlchemy 2.

    python bench/run.py --backend sqlite|postgresql|mysql
                        [--workloads W1,W5] [--scale 0.1] [--repeat 5]
                        [--impls raw,ours,django,sqlalchemy,ours@REV]
                        [--markdown FILE] [--fresh] [--timeout SECONDS]

Each implementation runs in its own cached virtualenv (bench/envs.py);
every (implementation, repetition) is a fresh process with a fresh
database (bench/child.py), implementations interleaved and rotated
across repetitions. W10 (streaming, peak memory) gets a process of its
own so its memory high-water mark is not inflated by the workloads
before it; so does W9 (three more databases and a router). Only workload bodies are timed. ``ours@REV`` adds our ORM as
of any git revision (bench/revisions.py), run like the others and
compared with ``ours``. See bench/README.md.
"""
import argparse
import concurrent.futures
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import envs  # noqa: E402
import report  # noqa: E402
import revisions  # noqa: E402

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CHILD = str(BENCH / "child.py")
IMPLS = ["raw", "ours", "django", "sqlalchemy"]

# id -> (description, n at scale 1.0).
WORKLOADS = {
    "W1": ("n single-row create() in one transaction", 10_000),
    "W1b": ("W1 with the foreign key given as an instance: create(group=g)", 10_000),
    "W2": ("bulk_create, batch 1000, keys read back", 100_000),
    "W3": ("fetch all rows as model instances", 100_000),
    "W4": ("values_list of 3 columns", 100_000),
    "W5": ("n get(pk=...)", 10_000),
    "W6": ("n select_related filters across the FK, 10 rows each", 1_000),
    "W7": ("one update(value=F('value') + 1)", 100_000),
    "W8": ("one filter(value__gte=0).delete()", 100_000),
    "W9": ("W1's creates spread over 3 databases by a router", 10_000),
    "W10": ("stream rows with iterator(chunk_size=2000)", 1_000_000),
}
NOT_YET = {}  # id -> what its cells read, for a workload not written yet
# Workloads run in a process of their own: W9 configures three more
# databases and a router (which must not route the others), W10's memory
# high-water mark must not be the one left by W3.
OWN_PROCESS = ("W9", "W10")
DEFAULTS = {
    "postgresql": {"host": "127.0.0.1", "port": 5432, "user": "postgres"},
    "mysql": {"host": "127.0.0.1", "port": 3306, "user": "root"},
}


def workload_id(text):
    """The id of WORKLOADS that ``text`` names, whatever its case (else
    ``text`` upper-cased, which the caller reports as unknown)."""
    wanted = text.strip().upper()
    return next((wid for wid in WORKLOADS if wid.upper() == wanted), wanted)


def add_database_options(parser):
    """Where the PostgreSQL/MariaDB server is (DEFAULTS when not given)."""
    parser.add_argument("--host"), parser.add_argument("--port", type=int), parser.add_argument("--user")
    parser.add_argument("--password", default="")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", required=True, choices=["sqlite", "postgresql", "mysql"])
    p.add_argument("--workloads", default=",".join(WORKLOADS),
                   help="comma-separated ids (default: all): " + ",".join(WORKLOADS))
    p.add_argument("--scale", type=float, default=1.0, help="multiplies every n (CI smoke run: 0.01)")
    p.add_argument("--repeat", type=int, default=5, help="repetitions per implementation")
    p.add_argument("--impls", default=",".join(IMPLS),
                   help="comma-separated subset of %s, plus ours@REV for any git revision REV"
                   % ",".join(IMPLS))
    p.add_argument("--markdown", metavar="FILE", help="also write the tables as Markdown")
    p.add_argument("--json", metavar="FILE", help="also write every repetition's raw results as JSON")
    p.add_argument("--fresh", action="store_true", help="rebuild the cached virtualenvs")
    p.add_argument("--timeout", type=float, default=1800, help="seconds allowed per child process")
    add_database_options(p)
    p.add_argument("--profile", action="store_true",
                   help="also run each workload once under cProfile; top functions go to stderr")
    p.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    args = p.parse_args(argv)
    # Ids are matched without regard to case ("w1b" names W1b).
    wanted = [workload_id(w) for w in args.workloads.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in WORKLOADS]
    if unknown:
        p.error("unknown workload(s) %s; choose from %s" % (", ".join(unknown), ", ".join(WORKLOADS)))
    args.workloads = [w for w in WORKLOADS if w in wanted]
    args.impls, args.revisions = parse_impls(p, args.impls)
    if args.scale <= 0 or args.repeat < 1:
        p.error("--scale must be > 0 and --repeat >= 1")
    return args


def parse_impls(parser, text):
    """-> (labels, {label: Revision}); ``ours@REV`` is labelled by its short sha."""
    labels, revs = [], {}
    for name in (i.strip() for i in text.split(",") if i.strip()):
        family, ref = revisions.split_impl(name)
        if ref is None and family in IMPLS:
            label = name
        elif ref is not None and family == revisions.FAMILY:
            try:
                rev = revisions.resolve(ref)
            except revisions.RevisionError as exc:
                parser.error("%s: %s" % (name, exc))
            label = rev.label
            revs[label] = rev
        else:
            parser.error("unknown implementation %r; choose from %s, or %s@REV for a git revision"
                         % (name, ", ".join(IMPLS), revisions.FAMILY))
        if label in labels:
            parser.error("%s is listed twice (%s)" % (label, name))
        labels.append(label)
    return labels, revs


def revision_pairs(impls, revs):
    """(later, earlier) labels of neighbouring ``ours`` columns in commit order."""
    ours = [i for i in impls if revisions.family_of(i) == revisions.FAMILY]
    times = [revs[i].time if i in revs else None for i in ours]
    return [(ours[a], ours[b]) for a, b in revisions.later_over_earlier(times)]


def sizes(args):
    return {w: max(1, int(round(WORKLOADS[w][1] * args.scale))) for w in args.workloads}


def db_spec(args, impl, rep, part, workdir):
    spec = {"backend": args.backend}
    if args.backend == "sqlite":
        spec["path"] = str(Path(workdir) / "bench.sqlite3")
    else:
        d = DEFAULTS[args.backend]
        spec.update(host=args.host or d["host"], port=args.port or d["port"],
                    user=args.user or d["user"], password=args.password,
                    name="bench_%s_%d_%s_%d" % (safe_name(impl), rep, part, os.getpid()))
    return spec


def safe_name(label):
    """``ours@abc1234`` -> ``ours_at_abc1234`` (database and directory names)."""
    return label.replace("@", "_at_")


def run_child(py, spec, timeout, prefix=(), env=None):
    """Run one child; returns its JSON result or {'fatal': reason}.

    ``prefix`` goes before the command (instructions.py: valgrind) and
    ``env`` replaces the environment.
    """
    cmd = list(prefix) + [py, CHILD, json.dumps(spec)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=spec["workdir"],
                              env=env)
    except subprocess.TimeoutExpired as exc:
        sys.stderr.write((exc.stderr or b"").decode() if isinstance(exc.stderr, bytes) else (exc.stderr or ""))
        # The killed child could not drop its database: do it now.
        subprocess.run([py, CHILD, "--drop", json.dumps(spec)], capture_output=True, timeout=120)
        return {"fatal": "timeout after %ds" % timeout}
    if proc.stderr.strip():
        sys.stderr.write("--- %s stderr ---\n%s\n" % (spec["impl"], proc.stderr.rstrip()))
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    if not lines:
        return {"fatal": "child exited %d without a result" % proc.returncode}
    return json.loads(lines[-1])


def source_state():
    """Which of our source trees was measured (commit + dirty flag + hash)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "django", "setup.py"], cwd=REPO,
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        head, dirty = "", ""
    return "commit %s%s, django/ tree hash %s" % (
        head or "unknown", " + uncommitted changes" if dirty else "", envs._source_hash()[:12])


def build_envs(impls, revs, fresh):
    """Venvs for ``impls`` (labels; ``revs`` maps ``ours@...`` ones to their
    Revision) -> ({label: python}, {label: library versions}, {label: why not})."""
    python, version = envs.find_python()
    print("python for the venvs: %s (%s)" % (python, ".".join(map(str, version))), file=sys.stderr)
    pythons, versions, unavailable = {}, {}, {}

    def build(impl):
        rev = revs.get(impl)
        try:
            py = envs.ensure_env(revisions.family_of(impl), python, version, fresh=fresh,
                                 revision=rev.sha if rev else None)
            return impl, py, envs.library_versions(py), None
        except envs.EnvError as exc:
            return impl, None, None, str(exc)

    # The venvs are independent: building them side by side saves most of a
    # cold start (pip mostly waits on downloads and unpacking).
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(impls))) as pool:
        for impl, py, vers, error in pool.map(build, impls):
            if error:
                print("warning: %s is unavailable: %s" % (impl, error), file=sys.stderr)
                unavailable[impl] = error
            else:
                pythons[impl], versions[impl] = py, vers
    return pythons, versions, unavailable


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    n_of = sizes(args)
    runnable = [w for w in args.workloads if w not in NOT_YET]
    pythons, versions, unavailable = build_envs(args.impls, args.revisions, args.fresh)
    impls = [i for i in args.impls if i in pythons]
    workroot = tempfile.mkdtemp(prefix="django-orm-bench-")
    parts = [("main", [w for w in runnable if w not in OWN_PROCESS])]
    parts += [(w.lower(), [w]) for w in OWN_PROCESS if w in runnable]
    # results[wid][impl] -> list of per-repetition entries
    results = {w: {i: [] for i in impls} for w in args.workloads}
    notes = set()
    started = time.time()
    load_before = os.getloadavg()[0]
    try:
        for rep in range(args.repeat):
            order = impls[rep % len(impls):] + impls[:rep % len(impls)] if impls else []
            for impl in order:
                for part, wids in parts:
                    if not wids:
                        continue
                    workdir = Path(workroot) / ("%s-r%d-%s" % (safe_name(impl), rep, part))
                    workdir.mkdir()
                    spec = {"impl": impl, "workdir": str(workdir),
                            "db": db_spec(args, impl, rep, part, workdir),
                            "workloads": [[w, n_of[w]] for w in wids], "profile": args.profile}
                    t0 = time.time()
                    out = run_child(pythons[impl], spec, args.timeout)
                    print("rep %d/%d %-10s %-4s %.1fs" % (rep + 1, args.repeat, impl, part, time.time() - t0),
                          file=sys.stderr, flush=True)
                    notes.update(out.get("notes", []))
                    for w in wids:
                        if "fatal" in out:
                            entry = {"error": out["fatal"]}
                        else:
                            entry = out["workloads"].get(w, {"error": "no result"})
                        results[w][impl].append(entry)
    finally:
        if not args.keep:
            shutil.rmtree(workroot, ignore_errors=True)

    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "backend": args.backend, "scale": args.scale, "repeat": args.repeat,
        "command": "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": "%s, %d CPUs, %s" % (platform.platform(), os.cpu_count() or 0, report.memory_total()),
        "source": source_state(),
        "revisions": {label: "commit %s (%s)" % (rev.sha, rev.subject) for label, rev in args.revisions.items()},
        "revision_pairs": revision_pairs(impls, args.revisions),
        "versions": versions, "unavailable": unavailable, "notes": sorted(notes),
        "wall": time.time() - started,
        "load": (load_before, os.getloadavg()[0]),
    }
    text = report.render(meta, args.workloads, n_of, WORKLOADS, NOT_YET, args.impls, results)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text)
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "sizes": n_of, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
