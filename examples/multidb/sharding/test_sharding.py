"""Tests of the sharding example: ``python test_sharding.py``.

Each test runs ``manage.py`` in a subprocess, on SQLite files in a temporary
directory, and checks what it printed and what the files hold.
"""
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SHARDS = ["shard0", "shard1"]


class ShardingExampleTests(unittest.TestCase):
    def setUp(self):
        self.data_dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.data_dir.cleanup)

    def demo(self):
        env = dict(os.environ, SHARDING_DATA_DIR=self.data_dir.name)
        env.pop("SHARDING_DATABASE_ENGINE", None)
        done = subprocess.run([sys.executable, "manage.py", "demo"], cwd=HERE, env=env,
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            self.fail(f"manage.py demo failed:\n{done.stdout}\n{done.stderr}")
        self.assertEqual(done.stderr, "", "the demo warns or fails")
        return done.stdout

    def rows(self, alias, sql):
        db = sqlite3.connect(os.path.join(self.data_dir.name, f"{alias}.sqlite3"))
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def section(self, out, number):
        return out.split(f"== {number}.")[1].split(f"== {number + 1}.")[0]

    def test_each_account_and_its_orders_live_on_the_shard_of_its_key(self):
        self.demo()
        seen = set()
        for alias in SHARDS:
            accounts = [name for (name,) in self.rows(alias, "SELECT username FROM accounts_account")]
            owners = {name for (name,) in self.rows(alias, "SELECT DISTINCT account_id FROM accounts_order")}
            for username in accounts:
                # The placement rule, recomputed here: crc32 of the key modulo the shards.
                self.assertEqual(SHARDS[zlib.crc32(username.encode()) % len(SHARDS)], alias, username)
            self.assertLessEqual(owners, set(accounts), f"orders on {alias} of accounts elsewhere")
            seen |= set(accounts)
        self.assertEqual(seen, {"ada", "alan", "edsger", "grace", "linus", "margaret"})

    def test_the_sharded_tables_exist_on_the_shards_only(self):
        out = self.demo()
        self.assertEqual(self.rows("default", "SELECT name FROM sqlite_master WHERE type = 'table'"), [])
        self.assertEqual(self.rows("shard0", "SELECT COUNT(*) FROM accounts_order"), [(5,)])
        self.assertEqual(self.rows("shard1", "SELECT COUNT(*) FROM accounts_order"), [(6,)])
        self.assertIn("default  (no tables)\n"
                      "  shard0   accounts_account=3 accounts_order=5\n"
                      "  shard1   accounts_account=3 accounts_order=6\n", self.section(out, 2))

    def test_writes_are_routed_by_the_key_on_the_instance(self):
        writes = self.section(self.demo(), 2)
        self.assertIn("ada      -> shard0 (shard_for('ada') = shard0), orders: 2", writes)
        self.assertIn("grace    -> shard1 (shard_for('grace') = shard1), orders: 2", writes)

    def test_reads_with_the_key_and_related_objects_stay_on_the_shard(self):
        reads = self.section(self.demo(), 3)
        self.assertIn("grace: Grace Hopper, US (read on shard1)", reads)
        self.assertIn("her orders: Nanosecond wire, Compiler manual (read on shard1", reads)
        self.assertIn("order 'Loom cards': its account Ada Lovelace read on shard0", reads)

    def test_reads_without_the_key_fail_or_fan_out_and_merge(self):
        fan_out = self.section(self.demo(), 4)
        self.assertIn("Account.objects.get(username='ada') -> ProgrammingError: the read went to default", fan_out)
        self.assertIn("accounts in GB, merged: ada (shard0), alan (shard1)", fan_out)
        self.assertIn("accounts: 6 = 3 on shard0 + 3 on shard1", fan_out)
        self.assertIn("top 3 orders: Rope memory 120.00 (margaret, shard0), Bombe rotor 80.00 (alan, shard1), "
                      "Fountain pen 45.00 (edsger, shard0)", fan_out)
        self.assertIn("orders: 11, total 374.50, average 34.05 (not the mean of the shards' averages, 34.79)",
                      fan_out)

    def test_a_write_without_key_and_a_relation_across_shards_are_refused(self):
        out = self.demo()
        refused = self.section(out, 5)
        self.assertIn("Account.objects.create(...) -> ProgrammingError: the router got no instance", refused)
        self.assertIn("an order of shard1 given an account of shard0 -> ValueError", refused)
        for alias in SHARDS:
            self.assertEqual(self.rows(alias, "SELECT COUNT(*) FROM accounts_account WHERE username = 'barbara'"),
                             [(0,)])

    def test_demo_runs_again_with_the_same_output(self):
        self.assertEqual(self.demo(), self.demo())


if __name__ == "__main__":
    unittest.main()
