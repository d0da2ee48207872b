"""Settings for the management tests that run ``python -m django`` in a subprocess."""
DATABASE_ENGINE = "sqlite3"
DATABASE_NAME = ":memory:"
SECRET_KEY = "test"
INSTALLED_APPS = ["regressiontests.mgmt_commands"]
