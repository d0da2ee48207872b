#!/usr/bin/env python3
"""The multi-database branch as a patch series, exported from main's history.

The branch is built the way Django's 2009 branch reached trunk: an ordered
series of capability patches over a recorded base commit. On main, every
commit that touches a *patched path* (django/, tests/, docs/, setup.py)
after the base carries a trailer naming the patch it belongs to:

    Patch: 0001-databases-and-connections

A patch is one contiguous run of such commits, and the patches follow each
other in series order. Commits that touch no patched path (tools/, bench/,
patches/ itself) need no trailer and may sit anywhere. This tool turns that
history into files a reviewer (or a fork) can use:

    patches/BASELINE          the base: sha and subject (parent of the first trailer)
    patches/series            the patch names in order, quilt style
    patches/NNNN-name.patch   one patch in `git format-patch` form: subject,
                              description, diffstat, and the diff of the
                              patched paths from the end of the previous
                              patch (or the base) to the end of this one
    patches/MERGED            the last commit of the last patch
    patches/README            the reviewer's guide (written by hand): a section
                              "## NNNN-name: Subject" per patch, whose text
                              becomes that patch's description

Commands:

    python tools/patches.py export [--base REV]   write the files above from history
    python tools/patches.py check                 prove the series reproduces the tree
    python tools/patches.py build DIR [--upto N]  base + series (to patch N) into DIR
    python tools/patches.py test N|all            the SQLite suite at patch boundaries

`check` applies the series in order to BASELINE in a temporary directory
(any reject fails) and compares the result with MERGED on the patched
paths. While the series is open (patches/README does not contain the
sentence "The series is final."), it also requires MERGED to equal HEAD on
those paths (an unexported step fails), every commit in BASELINE..HEAD that
touches a patched path to carry a trailer, and the trailers to form
contiguous runs in series order.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PATCHED_PATHS = ("django", "tests", "docs", "setup.py")
TRAILER = "Patch"
PATCH_NAME = re.compile(r"^\d{4}-[a-z0-9][a-z0-9-]*$")
FINAL_SENTENCE = "The series is final."


class SeriesError(Exception):
    """The history or the patch files break a rule of the series."""


# --- git -------------------------------------------------------------------------------

class Repo:
    """The few git questions this tool asks, on one repository."""

    def __init__(self, root):
        self.root = Path(root)

    def git(self, *args, check=True, input=None):
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True,
                              input=input)
        if check and done.returncode != 0:
            raise SeriesError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def sha(self, rev):
        return self.git("rev-parse", "--verify", f"{rev}^{{commit}}").strip()

    def subject(self, rev):
        return self.git("log", "-1", "--format=%s", rev).strip()

    def commits(self, since=None):
        """[(sha, patch_name_or_None, touches_patched_path, subject)], oldest first."""
        fmt = "%H%x1f%(trailers:key=" + TRAILER + ",valueonly,separator=%x2C)%x1f%s%x1e"
        span = f"{since}..HEAD" if since else "HEAD"
        out = self.git("log", "--reverse", "--first-parent", f"--format={fmt}", span)
        touched = set(self.git("log", "--first-parent", "--format=%H", span, "--",
                               *PATCHED_PATHS).split())
        result = []
        for record in out.split("\x1e"):
            record = record.strip("\n")
            if not record:
                continue
            sha, trailer, subject = record.split("\x1f")
            names = [t.strip() for t in trailer.split(",") if t.strip()]
            if len(set(names)) > 1:
                raise SeriesError(f"{sha[:10]} names more than one patch: {', '.join(names)}")
            result.append((sha, names[0] if names else None, sha in touched, subject))
        return result

    def diff(self, start, end, *options):
        return self.git("diff", *options, start, end, "--", *PATCHED_PATHS)

    def tree_of(self, rev):
        """{path: blob sha} of the patched paths at rev."""
        out = self.git("ls-tree", "-r", rev, "--", *PATCHED_PATHS)
        tree = {}
        for line in out.splitlines():
            meta, path = line.split("\t", 1)
            tree[path] = meta.split()[2]
        return tree


# --- the series read from history --------------------------------------------------------

class Patch:
    """One patch: its name and the commits that make it, in order."""

    def __init__(self, name):
        self.name = name
        self.commits = []        # [(sha, subject)]

    @property
    def number(self):
        return int(self.name[:4])

    @property
    def last(self):
        return self.commits[-1][0]


def read_series(repo, base=None):
    """(base_sha, [Patch]) from the trailers of main's history.

    The base is the parent of the first commit with a trailer, unless one is
    given (an explicit base before any trailer exists). Raises SeriesError
    for a bad patch name or for patches out of order.
    """
    history = repo.commits()
    first = next((i for i, c in enumerate(history) if c[1]), None)
    if first is None:
        return (repo.sha(base) if base else None), []
    derived = repo.sha(history[first][0] + "^")
    if base and repo.sha(base) != derived:
        raise SeriesError(f"the base given ({base}) is not the parent of the first commit with a "
                          f"trailer ({history[first][0][:10]}, whose parent is {derived[:10]})")
    patches = []
    for sha, name, _touches, subject in history[first:]:
        if not name:
            continue
        if not PATCH_NAME.match(name):
            raise SeriesError(f"{sha[:10]}: trailer '{TRAILER}: {name}' is not NNNN-name "
                              f"(four digits, a dash, lower-case words)")
        if not patches or patches[-1].name != name:
            if any(p.name == name for p in patches):
                raise SeriesError(f"{sha[:10]}: patch {name} resumes after "
                                  f"{patches[-1].name}; a patch is one contiguous run of commits")
            if patches and name <= patches[-1].name:
                raise SeriesError(f"{sha[:10]}: patch {name} comes after {patches[-1].name}, "
                                  f"out of series order")
            patches.append(Patch(name))
        patches[-1].commits.append((sha, subject))
    return derived, patches


def untrailed_commits(repo, base):
    """Commits after base that touch a patched path but carry no trailer."""
    return [(sha, subject) for sha, name, touches, subject in repo.commits(since=base)
            if touches and not name]


# --- patches/README sections -------------------------------------------------------------

def readme_sections(text):
    """{patch name: (subject, description)} from '## NNNN-name: Subject' sections."""
    sections = {}
    current = None
    lines = []
    for line in text.splitlines():
        match = re.match(r"^##\s+(\d{4}-[a-z0-9-]+)\s*:\s*(.+?)\s*$", line)
        if match or line.startswith("## "):
            if current:
                sections[current[0]] = (current[1], "\n".join(lines).strip())
            current = (match.group(1), match.group(2)) if match else None
            lines = []
        elif current:
            lines.append(line)
    if current:
        sections[current[0]] = (current[1], "\n".join(lines).strip())
    return sections


def is_final(patch_dir):
    readme = patch_dir / "README"
    return readme.exists() and FINAL_SENTENCE in readme.read_text()


# --- export ------------------------------------------------------------------------------

def format_patch(repo, patch, start, index, total, subject, description):
    """The text of one patch file in git format-patch form."""
    author, date = repo.git("log", "-1", "--format=%an <%ae>%x1f%aD", patch.last).strip().split("\x1f")
    commits = "\n".join(f"  {sha[:10]} {subj}" for sha, subj in patch.commits)
    body = (description + "\n\n" if description else "") + f"Commits on main:\n{commits}\n"
    stat = repo.diff(start, patch.last, "--stat=72", "--summary")
    diff = repo.diff(start, patch.last, "--binary", "--full-index")
    return (f"From {patch.last} Mon Sep 17 00:00:00 2001\n"
            f"From: {author}\n"
            f"Date: {date}\n"
            f"Subject: [PATCH {index}/{total}] {subject}\n\n"
            f"{body}---\n{stat}\n{diff}-- \npatches.py\n\n")


def export(repo, patch_dir, base=None):
    """Write BASELINE, series, the patch files and MERGED; return the patches."""
    recorded = read_baseline(patch_dir)
    base_sha, patches = read_series(repo, base or recorded)
    if base_sha is None:
        raise SeriesError("no commit carries a 'Patch:' trailer yet: give --base REV to record "
                          "the patch base")
    patch_dir.mkdir(exist_ok=True)
    (patch_dir / "BASELINE").write_text(f"{base_sha} {repo.subject(base_sha)}\n")
    sections = readme_sections((patch_dir / "README").read_text()) \
        if (patch_dir / "README").exists() else {}
    for old in patch_dir.glob("[0-9][0-9][0-9][0-9]-*.patch"):
        old.unlink()
    start = base_sha
    for index, patch in enumerate(patches, 1):
        subject, description = sections.get(patch.name, (patch.commits[0][1], ""))
        text = format_patch(repo, patch, start, index, len(patches), subject, description)
        (patch_dir / f"{patch.name}.patch").write_text(text)
        start = patch.last
    (patch_dir / "series").write_text("".join(f"{p.name}.patch\n" for p in patches))
    merged = patches[-1].last if patches else base_sha
    (patch_dir / "MERGED").write_text(f"{merged} {repo.subject(merged)}\n")
    return patches


def read_baseline(patch_dir):
    path = patch_dir / "BASELINE"
    if not path.exists():
        return None
    return path.read_text().split()[0]


def read_recorded(patch_dir):
    """(base sha, merged sha, [patch file names]) as the files record them."""
    for required in ("BASELINE", "series", "MERGED"):
        if not (patch_dir / required).exists():
            raise SeriesError(f"patches/{required} is missing: run tools/patches.py export")
    names = [line.strip() for line in (patch_dir / "series").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    for name in names:
        if not (patch_dir / name).exists():
            raise SeriesError(f"patches/series names {name}, which does not exist")
    return read_baseline(patch_dir), (patch_dir / "MERGED").read_text().split()[0], names


# --- applying the series -----------------------------------------------------------------

def materialise(repo, patch_dir, dest, upto=None):
    """Write the base's whole tree to dest and apply the series (to patch upto) on it."""
    base, _merged, names = read_recorded(patch_dir)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", "--format=tar", base], cwd=repo.root,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    applied = []
    for name in names:
        if upto is not None and int(name[:4]) > upto:
            break
        done = subprocess.run(["git", "apply", "--whitespace=nowarn", "--binary",
                               str((patch_dir / name).resolve())],
                              cwd=dest, capture_output=True, text=True)
        if done.returncode != 0:
            raise SeriesError(f"{name} does not apply: {done.stderr.strip()}")
        applied.append(name)
    return applied


def tree_on_disk(root):
    """{path: blob sha} of the patched paths under root, as git would hash them."""
    root = Path(root)
    paths = []
    for top in PATCHED_PATHS:
        target = root / top
        if target.is_file():
            paths.append(top)
        elif target.is_dir():
            paths.extend(str(p.relative_to(root)) for p in sorted(target.rglob("*")) if p.is_file())
    if not paths:
        return {}
    out = subprocess.run(["git", "hash-object", "--no-filters", "--stdin-paths"], cwd=root,
                         input="\n".join(paths) + "\n", capture_output=True, text=True, check=True)
    return dict(zip(paths, out.stdout.split()))


def compare(expected, actual, what):
    """Raise SeriesError naming the first differences between two {path: blob} maps."""
    if expected == actual:
        return
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(p for p in set(expected) & set(actual) if expected[p] != actual[p])
    lines = [f"{what}:"]
    for label, paths in (("missing", missing), ("unexpected", extra), ("different", changed)):
        if paths:
            lines.append(f"  {label}: {', '.join(paths[:8])}" + (" ..." if len(paths) > 8 else ""))
    raise SeriesError("\n".join(lines))


def check(repo, patch_dir):
    """Every rule of the series; returns a list of lines saying what was proved."""
    proved = []
    base, merged, names = read_recorded(patch_dir)
    final = is_final(patch_dir)
    if not final:
        derived, patches = read_series(repo, base)
        if derived and derived != repo.sha(base):
            raise SeriesError(f"patches/BASELINE is {base[:10]} but the first trailer's parent is "
                              f"{derived[:10]}")
        bad = untrailed_commits(repo, base)
        if bad:
            listing = "\n".join(f"  {sha[:10]} {subject}" for sha, subject in bad[:10])
            raise SeriesError("commits after the base touch patched paths without a "
                              f"'{TRAILER}:' trailer:\n{listing}")
        expected = [f"{p.name}.patch" for p in patches]
        if expected != names:
            raise SeriesError(f"patches/series ({', '.join(names) or 'empty'}) is not the history's "
                              f"series ({', '.join(expected) or 'empty'}): run tools/patches.py export")
        last = patches[-1].last if patches else repo.sha(base)
        if repo.sha(merged) != last:
            raise SeriesError(f"patches/MERGED is {merged[:10]}, but the last patch ends at "
                              f"{last[:10]}: run tools/patches.py export")
        proved.append(f"history: {len(patches)} patches in order, every patched commit trailed")
        compare(repo.tree_of(merged), repo.tree_of("HEAD"),
                "MERGED and HEAD differ on the patched paths (an unexported step?)")
        proved.append("MERGED equals HEAD on the patched paths")
    with tempfile.TemporaryDirectory(prefix="patches-check-") as work:
        applied = materialise(repo, patch_dir, work)
        compare(repo.tree_of(merged), tree_on_disk(work),
                "BASELINE plus the series differs from MERGED")
    proved.append(f"BASELINE {base[:10]} + {len(applied)} patches = MERGED {merged[:10]}")
    return proved


# --- commands ----------------------------------------------------------------------------

def run_suite(tree, settings="test_sqlite"):
    """Run tests/runtests.py in tree; return (exit status, closing line)."""
    done = subprocess.run([sys.executable, "tests/runtests.py", f"--settings={settings}", "--noinput"],
                          cwd=tree, capture_output=True, text=True)
    closing = [line for line in done.stdout.splitlines() + done.stderr.splitlines()
               if re.match(r"^\d+ passed, \d+ failed, \d+ skipped$", line)]
    return done.returncode, (closing[-1] if closing else "no closing line")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", default=str(Path(__file__).resolve().parent.parent))
    sub = parser.add_subparsers(dest="command", required=True)
    p_export = sub.add_parser("export", help="write patches/ from history")
    p_export.add_argument("--base", help="record this revision as the base (before any trailer)")
    sub.add_parser("check", help="prove the series reproduces MERGED (and HEAD while open)")
    p_build = sub.add_parser("build", help="write the base plus the series into DIR")
    p_build.add_argument("dir")
    p_build.add_argument("--upto", type=int, help="stop after patch N")
    p_test = sub.add_parser("test", help="run the SQLite suite at the end of patch N (or all)")
    p_test.add_argument("n")
    p_test.add_argument("--settings", default="test_sqlite")
    args = parser.parse_args(argv)

    repo = Repo(args.repo)
    patch_dir = repo.root / "patches"
    try:
        if args.command == "export":
            patches = export(repo, patch_dir, args.base)
            print(f"exported {len(patches)} patches over {read_baseline(patch_dir)[:10]}")
        elif args.command == "check":
            for line in check(repo, patch_dir):
                print(f"ok: {line}")
        elif args.command == "build":
            dest = Path(args.dir)
            if dest.exists() and any(dest.iterdir()):
                raise SeriesError(f"{dest} is not empty")
            applied = materialise(repo, patch_dir, dest, args.upto)
            print(f"built base + {len(applied)} patches in {dest}")
        elif args.command == "test":
            _base, _merged, names = read_recorded(patch_dir)
            points = [0] + [int(n[:4]) for n in names] if args.n == "all" else [int(args.n)]
            status = 0
            for point in points:
                with tempfile.TemporaryDirectory(prefix="patches-test-") as work:
                    materialise(repo, patch_dir, work, point)
                    rc, closing = run_suite(work, args.settings)
                label = "base" if point == 0 else next(n for n in names if int(n[:4]) == point)
                print(f"{label}: {closing}" + ("" if rc == 0 else f" (exit {rc})"))
                status |= rc != 0
            return status
    except SeriesError as error:
        print(f"patches: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
