"""Tests of tools/patches.py, on small throwaway git repositories.

    python -m unittest tools/test_patches.py    (or: python -m pytest tools)
"""
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import patches  # noqa: E402


class History:
    """A throwaway repository whose commits the tests write one by one."""

    def __init__(self, root):
        self.root = Path(root)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test")
        self.git("config", "user.email", "test@example.com")
        self.repo = patches.Repo(self.root)

    def git(self, *args):
        return subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True,
                              text=True).stdout

    def commit(self, message, files, patch=None):
        for path, text in files.items():
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if text is None:
                target.unlink()
            else:
                target.write_text(text)
        self.git("add", "-A")
        if patch:
            message += f"\n\nPatch: {patch}"
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    @property
    def patch_dir(self):
        return self.root / "patches"

    def commit_export(self):
        patches.export(self.repo, self.patch_dir)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", "patches: export")


def baseline(history):
    history.commit("Baseline", {"django/__init__.py": "VERSION = 1\n", "setup.py": "# setup\n",
                                "tools/x.py": "tool\n", "README.md": "readme\n"})
    return history.commit("Baseline, hardened", {"django/db.py": "connection = None\n"})


class SeriesTests(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.h = History(self.tmp.name)
        self.base = baseline(self.h)

    def tearDown(self):
        self.tmp.cleanup()

    def two_patches(self):
        self.h.commit("DATABASES setting", {"django/db.py": "DATABASES = {}\n"},
                      patch="0001-databases")
        self.h.commit("connections handler", {"django/db.py": "DATABASES = {}\nconnections = {}\n",
                                              "tests/test_db.py": "# tests\n"},
                      patch="0001-databases")
        self.h.commit("tool change, no trailer needed", {"tools/x.py": "tool 2\n"})
        self.h.commit("routers", {"django/router.py": "class Router: pass\n",
                                  "docs/multi-db.txt": "Routers\n"}, patch="0002-routers")
        self.h.commit_export()

    def test_export_writes_the_series_files(self):
        self.two_patches()
        d = self.h.patch_dir
        self.assertEqual((d / "series").read_text(), "0001-databases.patch\n0002-routers.patch\n")
        self.assertTrue((d / "BASELINE").read_text().startswith(self.base))
        self.assertIn("Baseline, hardened", (d / "BASELINE").read_text())
        text = (d / "0001-databases.patch").read_text()
        self.assertIn("Subject: [PATCH 1/2] DATABASES setting", text)
        self.assertIn("tests/test_db.py", text)
        self.assertNotIn("tools/x.py", text)
        second = (d / "0002-routers.patch").read_text()
        self.assertIn("django/router.py", second)
        self.assertNotIn("tests/test_db.py", second)   # a patch holds only its own diff

    def test_readme_sections_give_subject_and_description(self):
        self.h.commit("README", {"patches/README": "# Guide\n\n## 0001-databases: The DATABASES "
                                 "setting\n\nWhy we need it.\n\n## Boundaries\n\nall green\n"})
        self.two_patches()
        text = (self.h.patch_dir / "0001-databases.patch").read_text()
        self.assertIn("Subject: [PATCH 1/2] The DATABASES setting", text)
        self.assertIn("Why we need it.", text)
        self.assertNotIn("all green", text)

    def test_check_passes_on_a_consistent_series(self):
        self.two_patches()
        proved = patches.check(self.h.repo, self.h.patch_dir)
        self.assertTrue(any("+ 2 patches = MERGED" in line for line in proved))

    def test_check_fails_on_an_unexported_step(self):
        self.two_patches()
        self.h.commit("more routers", {"django/router.py": "class Router: x = 1\n"},
                      patch="0002-routers")
        with self.assertRaisesRegex(patches.SeriesError, "run tools/patches.py export"):
            patches.check(self.h.repo, self.h.patch_dir)

    def test_check_fails_on_a_commit_without_trailer(self):
        self.two_patches()
        self.h.commit("sneaky", {"django/other.py": "x = 1\n"})
        with self.assertRaisesRegex(patches.SeriesError, "without a 'Patch:' trailer"):
            patches.check(self.h.repo, self.h.patch_dir)

    def test_interleaved_patches_are_refused(self):
        self.two_patches()
        self.h.commit("back to 0001", {"django/db.py": "DATABASES = {1: 2}\n"},
                      patch="0001-databases")
        with self.assertRaisesRegex(patches.SeriesError, "contiguous"):
            patches.read_series(self.h.repo)

    def test_out_of_order_patches_are_refused(self):
        self.h.commit("later first", {"django/a.py": "a\n"}, patch="0002-routers")
        self.h.commit("earlier second", {"django/b.py": "b\n"}, patch="0001-databases")
        with self.assertRaisesRegex(patches.SeriesError, "out of series order"):
            patches.read_series(self.h.repo)

    def test_bad_patch_name_is_refused(self):
        self.h.commit("bad", {"django/a.py": "a\n"}, patch="routers")
        with self.assertRaisesRegex(patches.SeriesError, "NNNN-name"):
            patches.read_series(self.h.repo)

    def test_check_fails_when_a_patch_does_not_apply(self):
        self.two_patches()
        p = self.h.patch_dir / "0002-routers.patch"
        p.write_text(p.read_text().replace("+class Router: pass", "+class Router: broken"))
        with self.assertRaises(patches.SeriesError):
            patches.check(self.h.repo, self.h.patch_dir)

    def test_final_series_allows_ordinary_commits(self):
        self.two_patches()
        readme = self.h.patch_dir / "README"
        readme.write_text("Guide.\n\nThe series is final.\n")
        self.h.commit("final", {})
        self.h.commit("trunk work after the merge", {"django/later.py": "x\n"})
        proved = patches.check(self.h.repo, self.h.patch_dir)
        self.assertEqual(len(proved), 1)   # only the reproduction is proved

    def test_base_before_any_trailer(self):
        patches.export(self.h.repo, self.h.patch_dir, base="HEAD")
        self.assertEqual((self.h.patch_dir / "series").read_text(), "")
        self.h.commit("record base", {})
        self.assertTrue(patches.check(self.h.repo, self.h.patch_dir))

    def test_build_writes_base_plus_series(self):
        self.two_patches()
        with tempfile.TemporaryDirectory() as out:
            patches.materialise(self.h.repo, self.h.patch_dir, out)
            self.assertEqual((Path(out) / "django/db.py").read_text(),
                             "DATABASES = {}\nconnections = {}\n")
            self.assertTrue((Path(out) / "django/router.py").exists())
            self.assertEqual((Path(out) / "README.md").read_text(), "readme\n")
        with tempfile.TemporaryDirectory() as out:
            patches.materialise(self.h.repo, self.h.patch_dir, out, upto=1)
            self.assertFalse((Path(out) / "django/router.py").exists())


if __name__ == "__main__":
    unittest.main()
