"""Tests of the bench harness's own logic (no venvs, no valgrind, no servers).

    python -m unittest bench/test_bench.py    (or: python -m pytest bench)
"""
import os
import sys
import tempfile
import time
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import child  # noqa: E402
import database  # noqa: E402
import envs  # noqa: E402
import instructions  # noqa: E402
import report  # noqa: E402
import revisions  # noqa: E402
import run  # noqa: E402
from workloads import ours  # noqa: E402


class RevisionTests(unittest.TestCase):
    def test_resolve_names_the_commit_and_its_short_sha(self):
        rev = revisions.resolve("HEAD")
        self.assertEqual(len(rev.sha), 40)
        self.assertTrue(rev.sha.startswith(rev.short))
        self.assertEqual(rev.label, "ours@" + rev.short)

    def test_unknown_revision_is_named_in_the_error(self):
        with self.assertRaisesRegex(revisions.RevisionError, "no-such-branch-xyz"):
            revisions.resolve("no-such-branch-xyz")

    def test_option_like_revision_is_refused(self):
        with self.assertRaises(revisions.RevisionError):
            revisions.resolve("--all")

    def test_split_impl(self):
        self.assertEqual(revisions.split_impl("ours@main~1"), ("ours", "main~1"))
        self.assertEqual(revisions.split_impl("raw"), ("raw", None))

    def test_pairs_follow_commit_time_with_the_working_tree_after_head(self):
        # columns: working tree, a newer commit, an older commit (both older than HEAD)
        self.assertEqual(revisions.later_over_earlier([None, 200, 100]), [(1, 2), (0, 1)])

    def test_commit_made_after_head_is_later_than_the_working_tree(self):
        head = revisions.resolve("HEAD").time
        self.assertEqual(revisions.later_over_earlier([head + 60, None, head]), [(1, 2), (0, 1)])

    def test_equal_times_keep_the_listed_order(self):
        self.assertEqual(revisions.later_over_earlier([None, None]), [(1, 0)])


class RunImplsTests(unittest.TestCase):
    def parse(self, text):
        return run.parse_args(["--backend", "sqlite", "--impls", text])

    def test_revisions_are_labelled_by_short_sha(self):
        head = revisions.resolve("HEAD")
        args = self.parse("ours,ours@HEAD")
        self.assertEqual(args.impls, ["ours", head.label])
        self.assertEqual(args.revisions[head.label].sha, head.sha)

    def test_the_usual_implementations_are_unchanged(self):
        args = self.parse("raw,ours,django,sqlalchemy")
        self.assertEqual(args.impls, ["raw", "ours", "django", "sqlalchemy"])
        self.assertEqual(args.revisions, {})

    def test_unknown_implementation_or_revision_exits_with_a_message(self):
        for text in ("peewee", "raw@HEAD", "ours@no-such-branch-xyz"):
            with self.subTest(text=text), mock.patch("sys.stderr"), self.assertRaises(SystemExit):
                self.parse(text)

    def test_the_same_commit_twice_is_refused(self):
        with mock.patch("sys.stderr"), self.assertRaises(SystemExit):
            self.parse("ours@HEAD,ours@HEAD")

    def test_database_and_directory_names_have_no_at_sign(self):
        self.assertEqual(run.safe_name("ours@abc1234"), "ours_at_abc1234")


class RatioColumnTests(unittest.TestCase):
    def test_default_implementations_keep_the_usual_columns(self):
        headers = [h for h, _fill in report.ratio_columns(run.IMPLS, [])]
        self.assertEqual(headers, ["ours/raw", "ours/django", "ours/django (mins)", "goal", "django/raw",
                                   "sqlalchemy/raw", "sqlalchemy/django"])

    def test_revision_pair_gets_later_over_earlier(self):
        columns = report.ratio_columns(["ours", "ours@abc1234"], [("ours", "ours@abc1234")])
        self.assertEqual([h for h, _ in columns], ["ours / ours@abc1234", "ours / ours@abc1234 (mins)"])
        summaries = {"ours": ("ok", 1.0, 0.5, []), "ours@abc1234": ("ok", 2.0, 2.0, [])}
        self.assertEqual([fill(summaries, "W1") for _, fill in columns], ["0.50", "0.25"])

    def test_table_of_revisions_renders(self):
        meta = {"backend": "sqlite", "scale": 0.01, "repeat": 1, "date": "d", "command": "c", "machine": "m",
                "wall": 1.0, "load": (0.0, 0.0), "source": "s", "versions": {}, "unavailable": {},
                "notes": [], "revisions": {"ours@abc1234": "commit abc1234 (x)"},
                "revision_pairs": [("ours", "ours@abc1234")]}
        results = {"W1": {"ours": [{"seconds": 1.0}], "ours@abc1234": [{"seconds": 2.0}]}}
        text = report.render(meta, ["W1"], {"W1": 10}, run.WORKLOADS, run.NOT_YET,
                             ["ours", "ours@abc1234"], results)
        self.assertIn("| W1 | 0.50 | 0.50 |", text)
        self.assertIn("ours@abc1234 measured from: commit abc1234 (x)", text)


class InstructionsTests(unittest.TestCase):
    def test_columns_in_commit_order_and_repeats_numbered(self):
        columns = instructions.parse_revs(".,HEAD~1,ours,ours@HEAD~1")
        self.assertEqual([c.revision is None for c in columns], [False, False, True, True])
        self.assertEqual(columns[0].label, revisions.resolve("HEAD~1").label)
        self.assertEqual(columns[1].label, columns[0].label + " #2")
        self.assertEqual([c.label for c in columns[2:]], ["ours", "ours #2"])
        self.assertEqual(columns[1].impl, columns[0].impl)

    def test_per_operation_is_the_difference_over_2n(self):
        self.assertEqual(instructions.per_operation(1000, 5000, 100), 20.0)
        self.assertIsNone(instructions.per_operation("timeout", 5000, 100))
        # One pair of counts per hash seed: their per-operation mean.
        self.assertEqual(instructions.mean_per_operation([(1000, 5000), (1000, 7000)], 100), 25.0)
        self.assertIsNone(instructions.mean_per_operation([(1000, 5000), ("timeout", 7000)], 100))

    def test_ratio_over_the_limit_is_flagged(self):
        self.assertEqual(instructions.fmt_ratio(104.0, 100.0), "**1.040** (over 1.03)")
        self.assertEqual(instructions.fmt_ratio(102.0, 100.0), "1.020")
        self.assertEqual(instructions.fmt_ratio(None, 100.0), "-")

    def test_callgrind_is_told_to_count_inside_the_marker_only(self):
        prefix = instructions.callgrind_prefix("/tmp/x.log")
        self.assertIn("--collect-atstart=no", prefix)
        self.assertIn("--toggle-collect=" + child.MARKER_FUNCTION, prefix)


class MarkerTests(unittest.TestCase):
    def test_body_result_comes_back_through_the_callback(self):
        self.assertEqual(child.through_marker(lambda a, b: {"sum": a + b}, (2, 3)), {"sum": 5})

    def test_body_exception_is_raised_in_the_caller(self):
        def body():
            raise KeyError("boom")
        with self.assertRaisesRegex(KeyError, "boom"):
            child.through_marker(body, ())


class VenvNameTests(unittest.TestCase):
    def test_revision_venv_path_is_as_long_as_the_working_trees(self):
        key = "0123456789ab"
        sha = "77a3d081ce4b807faba51a385d6ee3978ad66532"
        self.assertEqual(envs.venv_name("ours", key), "ours-0123456789ab")
        self.assertEqual(envs.venv_name("ours", key, sha), "rev-77a3d08-01234")


class PruneTests(unittest.TestCase):
    def setUp(self):
        self.root = Path(tempfile.mkdtemp())
        patcher = mock.patch.object(envs, "CACHE_ROOT", self.root)
        patcher.start()
        self.addCleanup(patcher.stop)

    def venv(self, name, marker="reqs\n", hours_ago=0.0):
        path = self.root / name
        path.mkdir()
        ready = path / envs.READY
        ready.write_text(marker)
        stamp = time.time() - hours_ago * 3600
        os.utime(ready, (stamp, stamp))
        return path

    def test_older_build_of_the_same_worktree_goes_once_unused(self):
        keep = self.venv("ours-new")
        old = self.venv("ours-old", hours_ago=envs.IN_USE_HOURS + 1)
        recent = self.venv("ours-recent", hours_ago=1)
        other_tree = self.venv("ours-other", marker="other reqs\n", hours_ago=envs.IN_USE_HOURS + 1)
        envs._prune(keep, "ours-*", same_build="reqs\n")
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())  # maybe serving a running benchmark
        self.assertTrue(other_tree.exists())  # another worktree's

    def test_venv_being_built_is_left_alone(self):
        keep = self.venv("rev-a")
        building = self.root / "rev-b"
        building.mkdir()
        envs._prune(keep, "rev-*")
        self.assertTrue(building.exists())

    def test_revisions_beyond_the_newest_few_go(self):
        keep = self.venv("rev-keep")
        old = [self.venv("rev-%02d" % i, hours_ago=envs.IN_USE_HOURS + 1 + i)
               for i in range(envs.KEEP_REVISIONS + 2)]
        envs._prune(keep, "rev-*")
        self.assertEqual([p.exists() for p in old],
                         [True] * envs.KEEP_REVISIONS + [False, False])


class OurSettingsTests(unittest.TestCase):
    """ours.py configures the working tree and old revisions alike."""

    SERVER = {"backend": "postgresql", "name": "bench_x", "host": "127.0.0.1", "port": 5432,
              "user": "postgres", "password": None}

    def test_databases_for_a_django_with_connections(self):
        got = ours.database_settings(self.SERVER, multi_db=True)
        self.assertEqual(got, {"DATABASES": {"default": {
            "ENGINE": "postgresql", "NAME": "bench_x", "HOST": "127.0.0.1", "PORT": "5432",
            "USER": "postgres", "PASSWORD": ""}}})

    def test_flat_settings_for_an_older_revision(self):
        got = ours.database_settings({"backend": "sqlite", "path": "/tmp/b.sqlite3"}, multi_db=False)
        self.assertEqual(got, {"DATABASE_ENGINE": "sqlite3", "DATABASE_NAME": "/tmp/b.sqlite3",
                               "DATABASE_HOST": "", "DATABASE_PORT": "", "DATABASE_USER": "",
                               "DATABASE_PASSWORD": ""})


class W9Tests(unittest.TestCase):
    """W9: three databases named after the run's one, a round-robin router."""

    SQLITE = {"backend": "sqlite", "path": "/tmp/run/bench.sqlite3"}

    def test_sqlite_files_sit_beside_the_runs_one(self):
        got = database.w9_databases(self.SQLITE)
        self.assertEqual([d["path"] for d in got], ["/tmp/run/bench_w9a.sqlite3", "/tmp/run/bench_w9b.sqlite3",
                                                    "/tmp/run/bench_w9c.sqlite3"])
        self.assertTrue(all(d["backend"] == "sqlite" for d in got))

    def test_server_databases_take_a_suffix_on_the_same_server(self):
        got = database.w9_databases(dict(OurSettingsTests.SERVER, w9=["ignored"]))
        self.assertEqual([d["name"] for d in got], ["bench_x_w9a", "bench_x_w9b", "bench_x_w9c"])
        for d in got:
            self.assertEqual((d["host"], d["port"], d["user"]), ("127.0.0.1", 5432, "postgres"))
            self.assertNotIn("w9", d)

    def test_child_adds_the_databases_only_when_w9_runs(self):
        spec = {"db": self.SQLITE, "workloads": [["W1", 10]]}
        self.assertEqual(child.all_databases(child.with_w9(spec)), [self.SQLITE])
        spec["workloads"].append(["W9", 10])
        self.assertEqual(len(child.all_databases(child.with_w9(spec))), 4)

    def test_rotation_is_round_robin(self):
        rotation = database.W9Rotation()
        self.assertEqual([rotation.next_alias() for _ in range(7)],
                         ["w9a", "w9b", "w9c", "w9a", "w9b", "w9c", "w9a"])

    def test_router_sends_each_write_to_the_next_database(self):
        # django_api imports django at the top; the router itself needs none of it.
        fake = {name: mock.MagicMock() for name in ("django", "django.db", "django.db.models")}
        with mock.patch.dict(sys.modules, fake):
            sys.modules.pop("workloads.django_api", None)
            from workloads import django_api
            sys.modules.pop("workloads.django_api", None)
        router = django_api.RoundRobinRouter()
        got = [router.db_for_write(object, **hints) for hints in ({}, {"instance": object()}, {}, {})]
        self.assertEqual(got, ["w9a", "w9b", "w9c", "w9a"])
        self.assertFalse(hasattr(router, "db_for_read"))  # reads: no opinion
        self.assertEqual(django_api.W9_ROUTER, "workloads.django_api.RoundRobinRouter")

    def test_even_spread_with_keys_from_one_passes(self):
        counts = {"w9a": 4, "w9b": 3, "w9c": 3}
        sums = {alias: rows * (rows + 1) // 2 for alias, rows in counts.items()}
        self.assertEqual(database.w9_spread_problems(10, counts, sums), [])

    def test_uneven_spread_or_wrong_keys_are_named(self):
        counts = {"w9a": 5, "w9b": 3, "w9c": 2}
        sums = {"w9a": 15, "w9b": 6, "w9c": 4}
        problems = database.w9_spread_problems(10, counts, sums)
        self.assertEqual(problems, ["5 rows in w9a, expected 3 or 4", "2 rows in w9c, expected 3 or 4",
                                    "sum of pks returned from w9c 4, expected 3"])
        self.assertEqual(database.w9_spread_problems(9, {"w9a": 9}, {"w9a": 45, "w9b": 0, "w9c": 0}),
                         ["9 rows in w9a, expected 3", "0 rows in w9b, expected 3",
                          "0 rows in w9c, expected 3"])

    def test_our_settings_name_the_three_aliases(self):
        db = dict(self.SQLITE, w9=database.w9_databases(self.SQLITE))
        got = ours.database_settings(db, multi_db=True)["DATABASES"]
        self.assertEqual(list(got), ["default", "w9a", "w9b", "w9c"])
        self.assertEqual(got["w9b"]["NAME"], "/tmp/run/bench_w9b.sqlite3")
        self.assertEqual(got["default"]["NAME"], "/tmp/run/bench.sqlite3")

    def test_w9_runs_in_a_process_of_its_own(self):
        self.assertIn("W9", run.OWN_PROCESS)
        self.assertNotIn("W9", run.NOT_YET)
        self.assertIn("W9", instructions.OPERATIONS)

    def test_report_compares_w9_with_w1_per_create(self):
        summaries = {"W1": {"ours": ("ok", 1.0, 1.0, []), "raw": ("ok", 0.5, 0.5, [])},
                     "W9": {"ours": ("ok", 1.2, 1.2, []), "raw": ("error", "x")}}
        lines = report.w9_over_w1(summaries, {"W1": 1000, "W9": 1000}, ["raw", "ours"])
        text = "\n".join(lines)
        self.assertIn("\n| ours | 1000.0 µs | 1200.0 µs | 1.200 | 1.05 (not met) |\n", text)
        self.assertNotIn("| raw", text)  # no W9 figure to compare


if __name__ == "__main__":
    unittest.main()
