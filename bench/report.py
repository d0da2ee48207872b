"""Turn the per-repetition results into Markdown tables (printed and saved)."""
import statistics

# Goals from the issue: our median time / Django's median time.
GOALS = {"W1": 0.5, "W1b": 0.5, "W2": 0.5, "W3": 0.5, "W5": 0.5, "W6": 0.5, "W9": 0.5,
         "W4": 1.1, "W7": 1.1, "W8": 1.1}
W10_MEMORY_GOAL_MB = 100
# Issue 19: our create() routed over three databases (W9) at most this much
# slower per create than our create() on one (W1).
W9_OVER_W1_GOAL = 1.05


def memory_total():
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
        return "%.1f GiB RAM" % (kb / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        return "RAM unknown"


def fmt_time(seconds):
    if seconds < 1:
        return "%.1f ms" % (seconds * 1000)
    return "%.2f s" % seconds


def summarise(entries):
    """-> ('ok', median, min, entries) | ('error', msg) | ('na', text) | ('none',)."""
    if not entries:
        return ("none",)
    errors = [e["error"] for e in entries if "error" in e]
    if errors:
        return ("error", errors[0])
    if any("na" in e for e in entries):
        return ("na", next(e["na"] for e in entries if "na" in e))
    times = [e["seconds"] for e in entries]
    return ("ok", statistics.median(times), min(times), entries)


def cell(summary):
    kind = summary[0]
    if kind == "ok":
        return "%s / %s" % (fmt_time(summary[1]), fmt_time(summary[2]))
    if kind == "error":
        return "error"
    if kind == "na":
        return summary[1]
    return "-"


def ratio(a, b, index=1):
    """a/b of medians (index 1) or of minimums (index 2)."""
    if a[0] == "ok" and b[0] == "ok" and b[index] > 0:
        return a[index] / b[index]
    return None


def fmt_ratio(r):
    return "-" if r is None else "%.2f" % r


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def ratio_columns(impls, revision_pairs):
    """(header, fill(summaries of one workload, its id)) for each ratio
    whose implementations were asked for: the usual ones, then each
    revision comparison as later / earlier (medians, then minimums)."""
    none = ("none",)

    def of(a, b, index=1):
        return lambda s, _w: fmt_ratio(ratio(s.get(a, none), s.get(b, none), index))

    def goal(s, w):
        if w not in GOALS:
            return "memory, below"
        r = ratio(s.get("ours", none), s.get("django", none))
        return "%s (%s)" % (GOALS[w], "-" if r is None else ("met" if r <= GOALS[w] else "not met"))

    wanted = [("ours/raw", ("ours", "raw"), of("ours", "raw")),
              ("ours/django", ("ours", "django"), of("ours", "django")),
              ("ours/django (mins)", ("ours", "django"), of("ours", "django", 2)),
              ("goal", ("ours", "django"), goal),
              ("django/raw", ("django", "raw"), of("django", "raw")),
              ("sqlalchemy/raw", ("sqlalchemy", "raw"), of("sqlalchemy", "raw")),
              ("sqlalchemy/django", ("sqlalchemy", "django"), of("sqlalchemy", "django"))]
    for later, earlier in revision_pairs:
        wanted.append(("%s / %s" % (later, earlier), (later, earlier), of(later, earlier)))
        wanted.append(("%s / %s (mins)" % (later, earlier), (later, earlier), of(later, earlier, 2)))
    return [(header, fill) for header, needs, fill in wanted if all(i in impls for i in needs)]


def render(meta, wids, n_of, workloads, not_yet, impls, results):
    out = ["## Benchmark: %s, scale %g, %d repetitions" % (meta["backend"], meta["scale"], meta["repeat"]), ""]
    out.append("- date: %s; command: `%s`" % (meta["date"], meta["command"]))
    out.append("- machine: %s; wall time %.0f s; load average %.1f at start, %.1f at end" % (
        meta["machine"], meta["wall"], meta["load"][0], meta["load"][1]))
    out.append("- ours measured from: %s" % meta["source"])
    for label, commit in sorted(meta.get("revisions", {}).items()):
        out.append("- %s measured from: %s" % (label, commit))
    for impl in impls:
        if impl in meta["unavailable"]:
            out.append("- %s: unavailable (%s)" % (impl, meta["unavailable"][impl].splitlines()[0]))
        elif meta["versions"].get(impl):
            out.append("- %s: %s" % (impl, ", ".join("%s %s" % kv for kv in sorted(meta["versions"][impl].items()))))
    for note in meta["notes"]:
        out.append("- note: " + note)
    out.append("")

    summaries = {w: {i: summarise(results.get(w, {}).get(i, [])) for i in impls} for w in wids}
    out.append("### Time of the workload body (median / min)")
    out.append("")
    rows = []
    for w in wids:
        if w in not_yet:
            rows.append([w, workloads[w][0], n_of[w]] + [not_yet[w]] * len(impls))
            continue
        rows.append([w, workloads[w][0], n_of[w]] + [cell(summaries[w][i]) for i in impls])
    out.append(table(["id", "workload", "n"] + impls, rows))
    out.append("")

    columns = ratio_columns(impls, meta.get("revision_pairs", []))
    if columns:
        goal = "goal: ours/django median at most the goal; " if any(h == "goal" for h, _ in columns) else ""
        out.append("### Ratios of medians (%sthe ratio of minimums is shown too, as it is less "
                   "sensitive to a busy machine)" % goal)
        out.append("")
        rows = [[w] + [fill(summaries[w], w) for _header, fill in columns] for w in wids if w not in not_yet]
        out.append(table(["id"] + [header for header, _fill in columns], rows))
        out.append("")

    if "W10" in wids:
        out.append("### W10 memory: process peak RSS (getrusage ru_maxrss), median over repetitions")
        out.append("")
        out.append("W10 runs in a process of its own; 'before' is the peak after imports, "
                   "schema and data loading, 'peak' after streaming n=%d rows; goal: peak < %d MB "
                   "and flat as n grows." % (n_of["W10"], W10_MEMORY_GOAL_MB))
        out.append("")
        rows = []
        for impl in impls:
            s = summaries["W10"][impl]
            if s[0] != "ok":
                rows.append([impl, cell(s), "-", "-"])
                continue
            before = statistics.median(e["rss_before_mb"] for e in s[3])
            peak = statistics.median(e["rss_peak_mb"] for e in s[3])
            rows.append([impl, "%.1f" % before, "%.1f" % peak, "%.1f" % (peak - before)])
        out.append(table(["impl", "before MB", "peak MB", "growth MB"], rows))
        out.append("")

    if "W1" in wids and "W9" in wids:
        out.extend(w9_over_w1(summaries, n_of, impls))

    keyless = [(w, i) for w in wids for i in impls
               if summaries[w][i][0] == "ok" and any(e.get("keys") == 0 for e in summaries[w][i][3])]
    for w, i in keyless:
        out.append("- %s %s: primary keys were not read back" % (w, i))
    return "\n".join(out) + "\n"


def w9_over_w1(summaries, n_of, impls):
    """The lines of the "W9 against W1" table: time per create of each
    implementation measured on both, medians, and W9 / W1 (our goal:
    W9_OVER_W1_GOAL)."""
    rows = []
    for impl in impls:
        w1, w9 = summaries["W1"][impl], summaries["W9"][impl]
        if w1[0] != "ok" or w9[0] != "ok":
            continue
        per_w1, per_w9 = w1[1] / n_of["W1"], w9[1] / n_of["W9"]
        r = per_w9 / per_w1
        goal = "-"
        if impl.partition("@")[0] == "ours":
            goal = "%s (%s)" % (W9_OVER_W1_GOAL, "met" if r <= W9_OVER_W1_GOAL else "not met")
        rows.append([impl, "%.1f µs" % (per_w1 * 1e6), "%.1f µs" % (per_w9 * 1e6), "%.3f" % r, goal])
    if not rows:
        return []
    return ["### W9 against W1: time per create (medians)", "",
            table(["impl", "W1 per create", "W9 per create", "W9 / W1", "goal"], rows), ""]
