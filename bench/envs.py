"""Virtualenvs for the four implementations, built once and cached.

Our package is importable as ``django``, so it can never share an
environment with real Django: every implementation gets its own venv. The
venvs live in a stable temporary directory, named by a hash of what went
into them (interpreter, requirements and, for our ORM, the source tree or
the commit sha of a revision), so a rerun with nothing changed reuses
them and an edited source tree gets a new one. ``fresh=True`` rebuilds
them.

The cache is shared by every worktree on the machine, and several
benchmarks may run at once: a venv is built under a lock, and pruning
only removes a venv nobody has used for IN_USE_HOURS (see ``_prune``).
"""
import contextlib
import hashlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no locking between concurrent runs
    fcntl = None

import revisions

REPO = Path(__file__).resolve().parent.parent
CACHE_ROOT = Path(tempfile.gettempdir()) / "django-orm-bench-venvs"
DRIVERS = ["psycopg[binary]>=3.1", "PyMySQL>=1.0"]

# Implementation name -> extra requirements ("{repo}" is our source tree).
REQUIREMENTS = {
    "raw": [],
    "ours": ["{repo}"],
    "django": ["Django>=6.1,<6.2"],
    "sqlalchemy": ["SQLAlchemy>=2,<3"],
}
INSTALL_TIMEOUT = 900  # seconds for one pip install
READY = ".bench-ready"  # written last: the venv is complete; its mtime is the last use
KEEP_REVISIONS = 8  # revision venvs kept besides the ones just used
UNUSED_DAYS = 3  # any venv unused this long goes (worktrees come and go)
IN_USE_HOURS = 6  # a venv used this recently may serve a running benchmark


class EnvError(Exception):
    pass


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def _version_of(python):
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout.split()
        return out[0], tuple(int(p) for p in out[1].split("."))
    except (OSError, subprocess.SubprocessError, IndexError, ValueError):
        return None, None


def find_python():
    """Return (executable, version) of a Python >= 3.12 (Django 6 needs it).

    Looks at ``python3.12``/``python3.13`` on PATH, then pyenv's versions;
    falls back to the running interpreter with a warning.
    """
    candidates = [shutil.which(n) for n in ("python3.12", "python3.13")]
    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(pyenv_root, "versions", "3.1[2-9]*", "bin", "python")))
    for cand in filter(None, candidates):
        exe, version = _version_of(cand)
        if exe and version >= (3, 12):
            return exe, version
    log("warning: no Python >= 3.12 found; using %s (Django 6.1 may not install)" % sys.executable)
    return sys.executable, sys.version_info[:3]


def _source_hash():
    """Hash of our package's source files (so an edit rebuilds our venv)."""
    h = hashlib.sha256()
    for path in sorted(REPO.joinpath("django").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".txt", ".json", ".html", ".cfg") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(REPO)).encode())
            h.update(path.read_bytes())
    for extra in ("setup.py", "setup.cfg", "pyproject.toml"):
        if REPO.joinpath(extra).exists():
            h.update(REPO.joinpath(extra).read_bytes())
    return h.hexdigest()


def _requirements(impl):
    return [r.format(repo=REPO) for r in REQUIREMENTS[impl]] + DRIVERS


def env_key(impl, python, version, revision=None):
    """Hash naming a venv: interpreter, requirements and our sources.

    For a revision the sources are the commit itself, so its full sha
    stands for them (a moving ref that moved gets a new venv).
    """
    h = hashlib.sha256()
    if revision is not None:
        h.update(repr((impl, python, version, revision, DRIVERS)).encode())
        return h.hexdigest()[:12]
    h.update(repr((impl, python, version, _requirements(impl))).encode())
    if impl == "ours":
        h.update(_source_hash().encode())
    return h.hexdigest()[:12]


def venv_python(venv_dir):
    sub = "Scripts" if os.name == "nt" else "bin"
    return str(Path(venv_dir) / sub / ("python.exe" if os.name == "nt" else "python"))


def _clean_copy(dest):
    """Copy the files a pip install of the repo needs into ``dest``.

    Installing from the working tree itself would leave build/ and
    *.egg-info there, and a stale build/lib can carry deleted modules
    into later installs.
    """
    for name in ("setup.py", "setup.cfg", "pyproject.toml", "MANIFEST.in", "README.md", "LICENSE"):
        if REPO.joinpath(name).exists():
            shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / "django", dest / "django",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return str(dest)


@contextlib.contextmanager
def _locked(name):
    """Hold an exclusive lock on ``name`` in the cache: two runs (other
    worktrees, say) wanting the same venv build it once, and none prunes a
    venv another is building."""
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    with open(CACHE_ROOT / (name + ".lock"), "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _last_used(venv_dir):
    try:
        return (venv_dir / READY).stat().st_mtime
    except OSError:
        return None


def _prune(keep, pattern, same_build=None):
    """Remove venvs matching ``pattern`` other than ``keep``.

    A venv goes when it was built for the same requirements (``same_build``:
    the text of its ready marker; an older tree of the same worktree), or
    is the oldest beyond the newest KEEP_REVISIONS (revision venvs), or has
    not been used for UNUSED_DAYS. Venvs in use by another run survive: a
    run marks its venvs used when it starts, and nothing used in the last
    IN_USE_HOURS is removed.
    """
    now = time.time()
    candidates = [(p, _last_used(p)) for p in CACHE_ROOT.glob(pattern) if p.is_dir() and p != keep]
    built = sorted(((used, p) for p, used in candidates if used is not None), reverse=True)
    surplus = {p for _used, p in built[KEEP_REVISIONS:]} if same_build is None else set()
    for path, used in candidates:
        if used is None or now - used < IN_USE_HOURS * 3600:
            continue  # being built by another run, or maybe in use
        try:
            same = same_build is not None and (path / READY).read_text() == same_build
        except OSError:
            continue  # another run pruned it meanwhile
        if same or path in surplus or now - used > UNUSED_DAYS * 86400:
            shutil.rmtree(path, ignore_errors=True)


def venv_name(impl, key, revision=None):
    """``<impl>-<key>``, or ``rev-<short sha>-<key, cut>`` for a revision.

    Both are the same length: paths of the same length lay out the
    interpreter's heap alike, so instructions.py counts the same code the
    same in either venv (object addresses feed id()-based hashes; a longer
    path moved some counts by half a per cent).
    """
    name = "%s-%s" % (impl, key)
    if revision is None:
        return name
    prefix = "rev-%s-" % revision[:7]
    return prefix + key[:len(name) - len(prefix)]


def ensure_env(impl, python, version, fresh=False, revision=None):
    """Return the venv's python for ``impl``, creating the venv if needed.

    ``revision`` (a full commit sha, ``impl`` being ``"ours"``) builds our
    package from that commit (``git archive``) instead of the working tree.
    """
    name = venv_name(impl, env_key(impl, python, version, revision), revision)
    venv_dir = CACHE_ROOT / name
    ready = venv_dir / READY
    with _locked(name):
        if fresh and venv_dir.exists():
            shutil.rmtree(venv_dir)
        if ready.exists():
            ready.touch()  # marks it used, so no concurrent prune takes it
            return venv_python(venv_dir)
        if venv_dir.exists():
            shutil.rmtree(venv_dir)  # a half-built one from an interrupted run
        log("creating venv for %s in %s" % (impl + ("@" + revision[:12] if revision else ""), venv_dir))
        py = _build(venv_dir, impl, python, revision)
        marker = " ".join(_requirements(impl)) + "\n" if not revision else "%s@%s\n" % (impl, revision)
        ready.write_text(marker)
    if revision:
        _prune(venv_dir, "rev-*")
    else:
        _prune(venv_dir, impl + "-*", same_build=marker)
    return py


def _build(venv_dir, impl, python, revision):
    try:
        subprocess.run([python, "-m", "venv", str(venv_dir)], check=True, timeout=300,
                       stdout=subprocess.DEVNULL)
        py = venv_python(venv_dir)
        with tempfile.TemporaryDirectory(prefix="bench-src-") as src:
            reqs = _requirements(impl)
            if revision:
                reqs = [str(revisions.archive(revision, Path(src)))] + DRIVERS
            elif impl == "ours":
                reqs = [_clean_copy(Path(src))] + DRIVERS
            cmd = [py, "-m", "pip", "install", "-q", "--disable-pip-version-check"] + reqs
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, cwd=src)
    except (OSError, subprocess.SubprocessError, revisions.RevisionError) as exc:
        shutil.rmtree(venv_dir, ignore_errors=True)
        raise EnvError("could not create the %s venv: %s" % (impl, exc))
    if proc.returncode != 0:
        shutil.rmtree(venv_dir, ignore_errors=True)
        errors = [l for l in proc.stderr.splitlines() if "ignored: it is neither" not in l]
        raise EnvError("pip install for %s failed:\n%s" % (impl, "\n".join(errors[-15:])))
    return py


def library_versions(py):
    """Versions of the interesting distributions inside a venv."""
    code = (
        "import importlib.metadata as m, json, sys, sqlite3\n"
        "out = {'python': '%d.%d.%d' % sys.version_info[:3], 'sqlite': sqlite3.sqlite_version}\n"
        "for d in ('Django', 'django-multidb-orm', 'SQLAlchemy', 'psycopg', 'PyMySQL'):\n"
        "    try: out[d] = m.version(d)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))\n"
    )
    import json
    try:
        out = subprocess.run([py, "-c", code], capture_output=True, text=True, timeout=60, check=True,
                             cwd=tempfile.gettempdir())  # not the repo: its metadata would show up
        return json.loads(out.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        return {}
