"""Child-process entry: run some workloads of ONE implementation.

    python bench/child.py SPEC_JSON         # run; prints one JSON line
    python bench/child.py --drop SPEC_JSON  # drop the spec's database

The parent starts one fresh process per implementation and repetition,
inside that implementation's own virtualenv. The process creates a fresh
database, builds the schema with the implementation's own tools, and for
each workload: resets and loads data through the raw driver (not timed),
times only the workload body, then verifies the row counts and sums
through the raw driver. A workload that raises or verifies wrong is
recorded as an error (traceback on stderr) and the next one runs.
"""
import gc
import importlib
import json
import os
import resource
import sys
import time
import traceback

import database

# Implementation name -> module under workloads/ (no module is called
# "django": the Django-API ones import the real package of that name).
MODULES = {"raw": "raw", "ours": "ours", "django": "django_orm", "sqlalchemy": "sqlalchemy_orm"}
W5_STRIDE = 7919  # a prime: i * stride % n visits every pk once, scattered
WARMUP_N = 20  # untimed first pass: imports, lazy setup, statement caches
# The C function every ctypes callback runs in: instructions.py has
# callgrind count only inside it (--toggle-collect), see through_marker().
MARKER_FUNCTION = "_CallPythonObject"


def rss_peak_mb():
    """Peak resident set size of this process so far (getrusage, MB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class VerifyError(AssertionError):
    pass


def check(what, got, expected):
    if got != expected:
        raise VerifyError("%s: got %r, expected %r" % (what, got, expected))


def prepare(db, wid, n):
    """Untimed setup; returns (args for the workload, verifier)."""
    database.reset(db)
    if wid in ("W1", "W1b", "W2"):
        database.load(db, items=0)

        def verify(obs):
            check("rows in table", database.item_count(db), n)
            if wid == "W2" and obs.get("keys"):
                check("objects given a pk", obs["keys"], n)
            if wid in ("W1", "W1b") or obs.get("keys"):
                check("sum of returned pks", obs["sum_pk"], n * (n + 1) // 2)
        return (n,), verify
    if wid in ("W3", "W4", "W10"):
        database.load(db, items=n)
        expected = database.expected_value_sum(range(1, n + 1))

        def verify(obs):
            check("rows fetched", obs["rows"], n)
            check("sum of value", obs["sum"], expected)
        return (n,), verify
    if wid == "W5":
        database.load(db, items=n)
        pks = [1 + (i * W5_STRIDE) % n for i in range(n)]
        expected = database.expected_value_sum(pks)

        def verify(obs):
            check("sum of value", obs["sum"], expected)
        return (pks,), verify
    if wid == "W6":
        database.load(db, items=10 * n, groups=n)
        names = ["g%d" % (1 + i) for i in range(n)]
        expected = database.expected_value_sum(range(1, 10 * n + 1))

        def verify(obs):
            check("rows fetched", obs["rows"], 10 * n)
            check("rows whose related group matched", obs["matched"], 10 * n)
            check("sum of value", obs["sum"], expected)
        return (names,), verify
    if wid == "W9":
        # Three databases (db["w9"], see database.w9_databases), each with
        # the ten groups; the router spreads the creates over them.
        targets = dict(zip(database.W9_ALIASES, db["w9"]))
        for target in targets.values():
            database.reset(target)
            database.load(target, items=0)

        def verify(obs):
            counts = {alias: database.item_count(target) for alias, target in targets.items()}
            problems = database.w9_spread_problems(n, counts, obs["sum_pk"])
            if problems:
                raise VerifyError("; ".join(problems))
        return (n,), verify
    if wid == "W7":
        database.load(db, items=n)
        before = database.expected_value_sum(range(1, n + 1))

        def verify(obs):
            check("rows updated", obs["rows"], n)
            check("sum of value after", database.value_sum(db), before + n)
        return (), verify
    if wid == "W8":
        database.load(db, items=n)

        def verify(obs):
            check("rows deleted", obs["rows"], n)
            check("rows left", database.item_count(db), 0)
        return (), verify
    raise ValueError("unknown workload %r" % wid)


def through_marker(body, args):
    """Run ``body(*args)`` inside MARKER_FUNCTION, a C function nothing
    else in the process enters: a ctypes callback called from Python.

    Under ``valgrind --tool=callgrind --collect-atstart=no
    --toggle-collect=_CallPythonObject`` only the body's instructions (plus
    a constant for the call) are collected, not the start-up, schema, data
    loading or verification around it.
    """
    import ctypes
    outcome = {}

    def call():
        try:
            outcome["obs"] = body(*args)
        except BaseException as exc:  # a callback cannot raise into its caller: carried out
            outcome["error"] = exc

    ctypes.CFUNCTYPE(None)(call)()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["obs"]


def profiled(body, args, label):
    """Run ``body`` once under cProfile and print the top functions (the
    caller re-prepares the data before the timed run)."""
    import cProfile
    import io
    import pstats
    prof = cProfile.Profile()
    obs = prof.runcall(body, *args)
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("tottime")
    stats.print_stats(25)
    print("=== profile: %s (sorted by own time) ===\n%s" % (label, buf.getvalue()), file=sys.stderr)
    return obs


def warm_up(db, impl, workloads):
    """Run every workload once at a tiny n, untimed, results discarded.

    The first query of a process pays one-off costs (lazy imports, SQL
    compiler set-up, SQLAlchemy's statement cache); without this they
    would land on whichever workload happens to run first. Failures are
    ignored here: the timed run reports them.
    """
    for wid, n in workloads:
        try:
            args, _verify = prepare(db, wid, min(n, WARMUP_N))
            impl.before_workload()
            getattr(impl, wid.lower())(*args)
            impl.after_workload()
        except Exception:
            try:
                impl.after_workload(failed=True)
            except Exception:
                pass


def with_w9(spec):
    """The spec's database; with W9 among the workloads, its three extra
    databases too, under the key ``w9`` (the implementations configure them)."""
    db = spec["db"]
    if any(wid == "W9" for wid, _n in spec["workloads"]):
        db = dict(db, w9=database.w9_databases(db))
    return db


def all_databases(db):
    return [db] + db.get("w9", [])


def run(spec):
    db = with_w9(spec)
    sys.path.insert(0, spec["workdir"])  # the generated benchapp lives there
    results = {"workloads": {}, "notes": []}
    for each in all_databases(db):
        database.create_database(each)
    impl = None
    try:
        family = spec["impl"].partition("@")[0]  # ours@abc1234 runs the ours module
        module = importlib.import_module("workloads." + MODULES[family])
        impl = module.Implementation(db, spec["workdir"])
        # Prefixed with the label: ours@abc1234 and ours may differ.
        results["notes"].extend("%s: %s" % (spec["impl"], note) for note in getattr(impl, "notes", []))
        unsupported = getattr(impl, "unsupported", {})
        warm_up(db, impl, [(w, n) for w, n in spec["workloads"] if w not in unsupported])
        for wid, n in spec["workloads"]:
            if wid in unsupported:
                results["workloads"][wid] = {"na": unsupported[wid]}
                continue
            try:
                args, verify = prepare(db, wid, n)
                body = getattr(impl, wid.lower())
                if spec.get("profile"):
                    impl.before_workload()
                    profiled(body, args, "%s %s" % (spec["impl"], wid))
                    impl.after_workload()
                    args, verify = prepare(db, wid, n)  # the timed run starts from fresh data
                impl.before_workload()
                gc.collect()
                rss_before = rss_peak_mb()
                start = time.perf_counter()
                obs = through_marker(body, args) if spec.get("marker") else body(*args)
                elapsed = time.perf_counter() - start
                rss_after = rss_peak_mb()
                impl.after_workload()
                verify(obs)
                entry = {"seconds": elapsed, "rss_before_mb": rss_before, "rss_peak_mb": rss_after}
                if "keys" in obs:
                    entry["keys"] = obs["keys"]
                results["workloads"][wid] = entry
            except Exception as exc:  # one failing workload must not stop the others
                print("[%s %s] %s" % (spec["impl"], wid, "".join(
                    traceback.format_exception(type(exc), exc, exc.__traceback__))), file=sys.stderr)
                results["workloads"][wid] = {"error": "%s: %s" % (type(exc).__name__, exc)}
                try:
                    impl.after_workload(failed=True)
                except Exception:
                    traceback.print_exc()
    finally:
        if impl is not None:
            try:
                impl.close()
            except Exception:
                traceback.print_exc()
        for each in all_databases(db):
            database.drop_database(each)
    return results


def main(argv):
    if argv[:1] == ["--drop"]:
        for each in all_databases(with_w9(json.loads(argv[1]))):
            database.drop_database(each)
        return 0
    spec = json.loads(argv[0])
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # anything the libraries print must not corrupt the JSON line
    try:
        results = run(spec)
    except Exception as exc:
        traceback.print_exc()
        results = {"fatal": "%s: %s" % (type(exc).__name__, exc)}
    real_stdout.write(json.dumps(results) + "\n")
    real_stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
