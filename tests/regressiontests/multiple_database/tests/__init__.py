"""
User-level tests of patches 0001 (several databases and their connections),
0002 (routers), 0003 (queries on a chosen database: QuerySet.using(),
routed reads and writes, joins across databases) 0004 (the database
an instance belongs to: reading, saving, deleting, signals, fixtures,
validation), 0005 (relations across databases) and 0008 (contrib
applications and the settings checks on each database).

The runner imports ``<app>.tests`` and loads the tests found in it; this
package gathers its modules through the ``load_tests`` protocol, so a label
such as ``multiple_database.test_threads.ThreadTests`` works too.
"""
import importlib

# In the order they run. Importing each makes it an attribute of this
# package, which labels such as ``multiple_database.test_threads`` need.
_MODULES = tuple(
    importlib.import_module("%s.%s" % (__name__, name))
    for name in (
        "test_connections", "test_routers", "test_settings", "test_threads", "test_transactions",
        "test_test_databases",
        "test_using",
        "test_cross_db_joins",
        "test_vendor_caches",
        "test_instance_state",
        "test_instance_writes",
        "test_relations_constraints",
        "test_relations_contenttypes",
        "test_relations_managers",
        "test_relations_checks",
        "test_contrib_per_database",
        "test_settings_checks",
    )
)


def load_tests(loader, tests, pattern):
    for module in _MODULES:
        tests.addTests(loader.loadTestsFromModule(module))
    return tests
