"""Tests of the primary/replicas example: ``python test_replication.py``.

Each test runs ``manage.py`` in a subprocess, on SQLite files in a temporary
directory, and checks what it printed and what the files hold.
"""
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class ReplicationExampleTests(unittest.TestCase):
    def setUp(self):
        self.data_dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.data_dir.cleanup)

    def manage(self, *args, check=True):
        env = dict(os.environ, REPLICATION_DATA_DIR=self.data_dir.name)
        env.pop("REPLICATION_DATABASE_ENGINE", None)
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=HERE, env=env,
                              capture_output=True, text=True, timeout=300)
        if check and done.returncode != 0:
            self.fail(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def rows(self, alias, sql):
        db = sqlite3.connect(os.path.join(self.data_dir.name, f"{alias}.sqlite3"))
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def orders(self, alias):
        return self.rows(alias, "SELECT id, customer, quantity FROM shop_order ORDER BY id")

    def test_demo_spreads_reads_over_the_replicas(self):
        out = self.manage("demo").stdout
        self.assertIn("Demo finished.", out)
        reads = out.split("== 2.")[1].split("== 3.")[0]
        first = re.search(r"products: Kettle, Tea tin, Teapot \(read on (replica[12])\)", reads)
        second = re.search(r"ada's orders: 2 \(read on (replica[12])\)", reads)
        self.assertTrue(first and second, reads)
        self.assertNotEqual(first.group(1), second.group(1), "two reads in a row on one replica")

    def test_demo_follows_a_relation_on_the_replica_of_its_instance(self):
        out = self.manage("demo").stdout
        self.assertRegex(out, r"order 3 read on (replica[12]); its product, Tea tin, read on \1 too")

    def test_demo_shows_the_lag_after_a_write(self):
        out = self.manage("demo").stdout
        lag = out.split("== 3.")[1].split("== 4.")[0]
        self.assertIn("order 3 saved with quantity 6 on default", lag)
        self.assertIn("order 3 read back: quantity 5 (read on replica", lag)
        self.assertIn("order 4 for linus written on default", lag)
        self.assertIn("order 4 exists -> False (read on replica1)", lag)
        self.assertIn("order 4 exists -> False (read on replica2)", lag)
        self.assertIn("default   shop_order=4 shop_product=3", lag)
        self.assertIn("replica1  shop_order=3 shop_product=3", lag)
        self.assertIn("replica2  shop_order=3 shop_product=3", lag)

    def test_demo_shows_both_recipes(self):
        out = self.manage("demo").stdout
        self.assertIn("using('default'): order 4 exists -> True (read on default)", out)
        pinned = out.split("== 5.")[1].split("== 6.")[0]
        self.assertIn("this thread: order 5 exists -> True (read on default)", pinned)
        self.assertRegex(pinned, r"another thread: order 5 exists -> False \(read on replica[12]\)")
        self.assertRegex(pinned, r"1.0 s later, this thread: order 5 exists -> False \(read on replica[12]\)")
        caught_up = out.split("== 6.")[1]
        self.assertRegex(caught_up, r"order 5 exists -> True \(read on replica[12]\)")
        self.assertIn("order 3 now has quantity 6", caught_up)

    def test_demo_leaves_every_database_with_the_primary_rows(self):
        self.manage("demo")
        expected = [(1, "ada", 1), (2, "grace", 2), (3, "ada", 6), (4, "linus", 2), (5, "grace", 1)]
        for alias in ["default", "replica1", "replica2"]:
            with self.subTest(alias=alias):
                self.assertEqual(self.orders(alias), expected)
                self.assertEqual(self.rows(alias, "SELECT COUNT(*) FROM shop_product"), [(3,)])

    def test_demo_runs_again_with_the_same_output(self):
        self.assertEqual(self.manage("demo").stdout, self.manage("demo").stdout)

    def test_replicate_refreshes_only_the_replicas_named(self):
        self.manage("demo")
        db = sqlite3.connect(os.path.join(self.data_dir.name, "default.sqlite3"))
        with db:
            db.execute("INSERT INTO shop_order (product_id, quantity, customer) VALUES (1, 9, 'new')")
        db.close()
        out = self.manage("replicate", "replica1").stdout
        self.assertEqual(out.strip(), "replicated default -> replica1")
        self.assertEqual(len(self.orders("replica1")), 6)
        self.assertEqual(len(self.orders("replica2")), 5)

    def test_replicate_refuses_an_alias_that_is_no_replica(self):
        done = self.manage("replicate", "default", check=False)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("Not a replica: 'default'; settings.REPLICAS is 'replica1', 'replica2'.", done.stderr)


if __name__ == "__main__":
    unittest.main()
