"""Runs ``manage.py demo`` of the functional example on SQLite files in a
temporary directory, then checks its output and the files themselves.

    python examples/multidb/functional/test_functional.py
"""
import os
import re
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


class FunctionalDemoTests(unittest.TestCase):
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

    def query(self, alias, sql, params=()):
        with sqlite3.connect(os.path.join(self.tmp.name, alias + ".sqlite3")) as db:
            return db.execute(sql, params).fetchall()

    def tables(self, alias):
        return {name for (name,) in self.query(alias, "SELECT name FROM sqlite_master WHERE type = 'table'")
                if not name.startswith("sqlite_")}

    def test_each_application_has_its_tables_on_its_database_only(self):
        self.assertEqual(self.tables("default"), {"shop_order"})
        self.assertEqual(self.tables("users"), {
            "auth_group", "auth_group_permissions", "auth_permission", "auth_user",
            "auth_user_groups", "auth_user_user_permissions", "django_content_type",
        })
        # syncdb --database=legacy created nothing: the other program's tables only.
        self.assertEqual(self.tables("legacy"), {"inv_item", "inv_supplier"})

    def test_contrib_rows_are_on_users(self):
        self.assertEqual(self.query("users", "SELECT username FROM auth_user ORDER BY username"),
                         [("ada",), ("grace",)])
        (permissions,), = self.query("users", "SELECT COUNT(*) FROM auth_permission")
        self.assertGreater(permissions, 0)
        self.assertIn("users created on 'users'", self.out)
        self.assertIn("ada logs in on 'users': True", self.out)
        self.assertIn("permissions on 'users': %d; auth tables on 'default': none" % permissions, self.out)

    def test_orders_on_default_point_at_rows_of_the_other_databases(self):
        orders = self.query("default", "SELECT customer_id, item_id, quantity FROM shop_order ORDER BY id")
        users = dict(self.query("users", "SELECT username, id FROM auth_user"))
        self.assertEqual(orders, [(users["ada"], "GEAR-01", 12), (users["grace"], "CARD-100", 5),
                                  (users["ada"], "MANUAL", 1)])
        # No constraint can check a key against another database's table.
        (sql,), = self.query("default", "SELECT sql FROM sqlite_master WHERE name = 'shop_order'")
        self.assertNotIn("REFERENCES", sql.upper())

    def test_the_legacy_stock_was_updated_and_the_refused_order_left_it(self):
        self.assertEqual(self.query("legacy", "SELECT item_code, qty_on_hand FROM inv_item ORDER BY item_code"),
                         [("CARD-100", 0), ("GEAR-01", 28), ("MANUAL", 1)])
        self.assertIn("refused, nothing written on either database: MANUAL: fewer than 3 on hand", self.out)
        self.assertRegex(self.out, r"an order for -1 was refused after 'legacy' took the stock \(.+\): "
                                   r"both rolled back, GEAR-01 has 28 on hand")

    def test_what_went_where_is_printed_per_database(self):
        where = self.out.split("== What went where (table -> rows) ==")[1].split("==")[0]
        self.assertIn("default:\n  shop_order -> 3\n", where)
        self.assertIn("  auth_user -> 2\n", where)
        self.assertIn("legacy:\n  inv_item -> 3\n  inv_supplier -> 2\n", where)

    def test_reads_go_to_each_database_and_joins_across_them_are_refused(self):
        self.assertIn("ada (users) ordered 12 x Brass gear (legacy; Analytical Engines Ltd), 28 left", self.out)
        self.assertIn("grace (users) ordered 5 x Punched cards, box of 100 (legacy; Hollerith Cards), 0 left",
                      self.out)
        self.assertIn("select_related('customer') is refused (a join across databases): CrossDatabaseJoinError",
                      self.out)

    def test_the_legacy_models_are_inspectdbs(self):
        self.assertIn("inspectdb --database=legacy: InvItem, InvSupplier (2 with managed = False)", self.out)
        with open(os.path.join(self.tmp.name, "legacy_models_generated.py")) as f:
            generated = f.read()
        # The one hand edit inside the field lines: the classes' new names.
        generated = generated.replace("'InvSupplier'", "'Supplier'").replace("'InvItem'", "'Item'")
        with open(os.path.join(HERE, "inventory", "models.py")) as f:
            ours = f.read()
        field_lines = re.findall(r"^    \w+ = models\.\w+\(.*$", generated, re.M)
        self.assertEqual(len(field_lines), 6)
        for line in field_lines + re.findall(r"^        (?:managed|db_table) = .*$", generated, re.M):
            self.assertIn(line, ours)

    def test_the_demo_runs_again_on_its_own_databases(self):
        again = run_demo(self.tmp.name)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("default:\n  shop_order -> 3\n", again.stdout)
        self.assertIn("  auth_user -> 2\n", again.stdout)
        self.assertIn("default: created nothing", again.stdout)


if __name__ == "__main__":
    unittest.main()
