"""Git revisions of our ORM as benchmark implementations.

``ours`` is the working tree; ``ours@REV`` is the ``django`` package of any
git revision (a sha, a tag, ``main~3``, ``HEAD``). Only the package comes
from the revision: the workload code always comes from the current
``bench/`` tree, so a revision older than today's bench API runs the same
calls as the working tree.

A revision is resolved to its full commit sha once, at start-up, so a
moving ref (``main``, ``HEAD``) measures the commit it names now and its
cached venv (``envs.py``) is keyed by that sha, not by the ref.
"""
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FAMILY = "ours"  # the implementation whose revisions can be compared
WORKTREE_ALIASES = (".", FAMILY)  # how instructions.py names the working tree


class RevisionError(Exception):
    pass


class Revision:
    """One resolved commit: full ``sha``, ``short`` sha, commit ``time``."""

    def __init__(self, ref, sha, short, time, subject):
        self.ref, self.sha, self.short, self.time, self.subject = ref, sha, short, time, subject

    @property
    def label(self):
        return "%s@%s" % (FAMILY, self.short)


def _git(*args):
    try:
        proc = subprocess.run(["git"] + list(args), cwd=REPO, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RevisionError("git %s failed: %s" % (" ".join(args), exc))
    if proc.returncode != 0:
        raise RevisionError(proc.stderr.strip() or "git %s exited %d" % (" ".join(args), proc.returncode))
    return proc.stdout.strip()


def resolve(ref):
    """The commit ``ref`` names now; RevisionError naming the ref if none."""
    if not ref or ref.startswith("-"):
        raise RevisionError("%r is not a git revision" % ref)
    try:
        sha = _git("rev-parse", "--verify", "--quiet", ref + "^{commit}")
    except RevisionError:
        raise RevisionError("unknown git revision %r (in %s)" % (ref, REPO))
    out = _git("show", "-s", "--format=%h%n%ct%n%s", "--abbrev=7", sha).split("\n", 2)
    return Revision(ref, sha, out[0], int(out[1]), out[2] if len(out) > 2 else "")


def split_impl(name):
    """``'ours@main~1'`` -> ``('ours', 'main~1')``; ``'raw'`` -> ``('raw', None)``."""
    family, sep, ref = name.partition("@")
    return family, (ref if sep else None)


def family_of(label):
    return split_impl(label)[0]


def archive(sha, dest):
    """Extract the tree of commit ``sha`` into the existing directory ``dest``."""
    try:
        tar = subprocess.Popen(["git", "archive", "--format=tar", sha], cwd=REPO, stdout=subprocess.PIPE)
        untar = subprocess.run(["tar", "-x", "-C", str(dest)], stdin=tar.stdout, capture_output=True,
                               timeout=300)
        tar.stdout.close()
        tar_rc = tar.wait(timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RevisionError("could not extract %s: %s" % (sha[:12], exc))
    if tar_rc != 0 or untar.returncode != 0:
        raise RevisionError("could not extract %s: %s" % (sha[:12], untar.stderr.decode().strip()))
    return dest


def commit_order(times):
    """Column indices, earliest first.

    ``times`` holds one commit time per column, None for the working tree,
    which comes right after HEAD: later than HEAD and its ancestors, earlier
    than a commit made after HEAD (main having moved on, say). Equal times
    keep the columns' order, so a revision listed twice compares with itself.
    """
    head = resolve("HEAD").time if None in times else 0
    return sorted(range(len(times)), key=lambda i: (head if times[i] is None else times[i], times[i] is None, i))


def later_over_earlier(times):
    """Index pairs (later, earlier) of neighbouring columns in commit order."""
    order = commit_order(times)
    return [(later, earlier) for earlier, later in zip(order, order[1:])]
