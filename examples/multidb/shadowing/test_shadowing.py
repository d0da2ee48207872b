"""Runs ``manage.py demo`` of the shadowing example on SQLite files in a
temporary directory, then checks its output and the files themselves.

    python examples/multidb/shadowing/test_shadowing.py
"""
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def run_demo(data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULTIDB_")}
    env["MULTIDB_DATA_DIR"] = data_dir
    return subprocess.run(
        [sys.executable, os.path.join(HERE, "manage.py"), "demo"],
        cwd=HERE, env=env, capture_output=True, text=True, timeout=300,
    )


class ShadowingDemoTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.result = run_demo(cls.tmp.name)
        if cls.result.returncode != 0:
            raise AssertionError("demo failed:\n" + cls.result.stdout + cls.result.stderr)
        cls.out = cls.result.stdout

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def query(self, name, sql):
        with sqlite3.connect(os.path.join(self.tmp.name, name + ".sqlite3")) as db:
            return db.execute(sql).fetchall()

    def tables(self, name):
        return {table for (table,) in self.query(name, "SELECT name FROM sqlite_master WHERE type = 'table'")
                if not table.startswith("sqlite_")}

    def prices(self, name):
        # Decimal columns: compare in cents, whatever SQLite's storage class.
        return self.query(name, "SELECT product_id, CAST(ROUND(amount * 100) AS INTEGER) "
                                "FROM catalog_price ORDER BY product_id")

    def test_the_local_database_holds_the_shadowed_tables_only(self):
        self.assertEqual(self.tables("local"), {"catalog_category", "catalog_price"})
        self.assertEqual(self.tables("snapshot"), {"catalog_category", "catalog_price", "catalog_product"})
        # The local prices name snapshot products: no constraint can check that.
        (sql,), = self.query("local", "SELECT sql FROM sqlite_master WHERE name = 'catalog_price'")
        self.assertNotIn("REFERENCES", sql.upper())

    def test_local_changes_are_in_the_local_tables(self):
        self.assertEqual(self.query("local", "SELECT id, name FROM catalog_category ORDER BY id"),
                         [(1, "Tea & infusions"), (2, "Coffee")])
        self.assertEqual(self.prices("local"), [(1, 400), (2, 595), (3, 1200)])

    def test_the_snapshot_is_unchanged(self):
        self.assertEqual(self.query("snapshot", "SELECT id, name FROM catalog_category ORDER BY id"),
                         [(1, "Tea"), (2, "Coffee")])
        self.assertEqual(self.prices("snapshot"), [(1, 500), (2, 650), (3, 1200)])
        self.assertEqual(self.query("snapshot", "SELECT sku, name FROM catalog_product ORDER BY sku"),
                         [("COF-BEANS", "Coffee beans"), ("TEA-EARL", "Earl Grey"), ("TEA-GREEN", "Green tea")])

    def test_writes_to_the_snapshot_are_refused_by_its_connection(self):
        self.assertIn("routed update of a product: refused by the database "
                      "(OperationalError: attempt to write a readonly database)", self.out)
        self.assertIn("using('snapshot') update of a price: refused by the database "
                      "(OperationalError: attempt to write a readonly database)", self.out)

    def test_reads_combine_the_snapshot_and_the_shadowing_tables(self):
        self.assertIn("TEA-GREEN (snapshot): Green tea, Tea & infusions (default; snapshot: Tea), "
                      "4.00 (default; snapshot: 5.00)", self.out)
        self.assertIn("TEA-EARL (snapshot): Earl Grey, Tea & infusions (default; snapshot: Tea), "
                      "5.95 (default; snapshot: 6.50)", self.out)

    def test_what_went_where_is_printed_per_database(self):
        where = self.out.split("== What went where (table -> rows) ==")[1].split("==")[0]
        self.assertIn("default: catalog_category -> 2, catalog_price -> 3\n", where)
        self.assertIn("snapshot: catalog_category -> 2, catalog_price -> 3, catalog_product -> 3\n", where)

    def test_joins_across_the_two_databases(self):
        self.assertIn("prices of the TEA products in one query: refused (CrossDatabaseJoinError); "
                      "in two queries: 4.00, 5.95", self.out)
        self.assertIn("products in 'Tea & infusions': 0 by a join (the snapshot's categories), "
                      "2 in two queries (the local ones)", self.out)

    def test_the_demo_runs_again_from_a_fresh_copy(self):
        again = run_demo(self.tmp.name)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(self.prices("local"), [(1, 400), (2, 595), (3, 1200)])
        self.assertEqual(self.prices("snapshot"), [(1, 500), (2, 650), (3, 1200)])


if __name__ == "__main__":
    unittest.main()
