#!/usr/bin/env python3
"""Clean-room audit: find code of ours that stands verbatim in Django's source.

The project is a clean-room reimplementation: Django's public API is the
spec, its source is never copied. Writing from memory can still reproduce
it line by line, so this tool measures it. It downloads Django's wheel into
a cache directory (it is never installed or imported), and reports every
run of at least --min consecutive non-blank lines of ours that appear
verbatim in Django's source. Only our file names and line numbers are
printed, so the person rewriting a run never reads Django's code.

    python tools/cleanroom_audit.py                 # summary per file
    python tools/cleanroom_audit.py --runs FILE...  # line ranges to rewrite
    python tools/cleanroom_audit.py --check         # fail above the ceiling

The ceiling (tools/cleanroom_ceiling.txt) is the number of lines in runs
that is tolerated today; lower it whenever a rewrite lands, never raise it.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CEILING_FILE = ROOT / "tools" / "cleanroom_ceiling.txt"
REFERENCE_VERSION = "5.2.19"
# Lines this short or this generic match by coincidence, not by copying.
MIN_LINE = 12
GENERIC = {"else:", "try:", "return", "pass", "finally:", '"""', ")", "]", "}", "),", "],", "},",
           "return None", "return False", "return True", "raise", "continue", "break"}


def reference_lines(cache):
    wheel_dir = Path(cache) / f"django-{REFERENCE_VERSION}"
    wheel_dir.mkdir(parents=True, exist_ok=True)
    wheels = list(wheel_dir.glob("*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
             "-d", str(wheel_dir), f"Django=={REFERENCE_VERSION}"],
            check=True,
        )
        wheels = list(wheel_dir.glob("*.whl"))
    lines = set()
    with zipfile.ZipFile(wheels[0]) as wheel:
        for name in wheel.namelist():
            if name.startswith("django/") and name.endswith(".py"):
                for line in wheel.read(name).decode("utf-8", "ignore").splitlines():
                    lines.add(line.strip())
    return lines


def runs_in(path, reference, min_run):
    """Yield (first_line, last_line, length) of each verbatim run in path."""
    lines = path.read_text(encoding="utf-8", errors="ignore").splitlines()
    current = []

    def close():
        substantial = [n for n in current if len(lines[n - 1].strip()) >= 20 and lines[n - 1].strip() not in GENERIC]
        if len(current) >= min_run and len(substantial) >= min_run - 1:
            yield current[0], current[-1], len(current)

    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if line in reference and (len(line) >= MIN_LINE or current):
            current.append(number)
        else:
            yield from close()
            current = []
    yield from close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="files or directories (default: django/)")
    parser.add_argument("--min", type=int, default=4, help="shortest run reported (default 4)")
    parser.add_argument("--runs", action="store_true", help="list every run's line range")
    parser.add_argument("--check", action="store_true", help="exit 1 if the total exceeds the ceiling")
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "cleanroom-audit"))
    args = parser.parse_args()

    reference = reference_lines(args.cache)
    targets = [Path(p) for p in args.paths] or [ROOT / "django"]
    files = sorted(f for t in targets for f in ([t] if t.is_file() else t.rglob("*.py")))
    total = 0
    report = []
    for path in files:
        runs = list(runs_in(path, reference, args.min))
        if runs:
            size = sum(r[2] for r in runs)
            total += size
            report.append((size, path, runs))
    for size, path, runs in sorted(report, key=lambda r: -r[0]):
        rel = os.path.relpath(path, ROOT)
        print(f"{size:6d} lines in {len(runs):3d} runs  {rel}")
        if args.runs:
            for first, last, length in runs:
                print(f"         {rel}:{first}-{last} ({length} lines)")
    print(f"{total} lines of ours stand verbatim in Django {REFERENCE_VERSION} (runs of >= {args.min} lines)")
    if args.check:
        ceiling = int(CEILING_FILE.read_text().split()[0])
        if total > ceiling:
            print(f"clean-room audit: {total} lines exceed the ceiling of {ceiling}; rewrite them in our own words")
            return 1
        print(f"clean-room audit: within the ceiling of {ceiling} (lower it as rewrites land)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
