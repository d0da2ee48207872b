"""Settings installing the runner fixture apps (for ``django-admin test``)."""
DATABASE_ENGINE = "sqlite3"
DATABASE_NAME = ":memory:"
SECRET_KEY = "test"
INSTALLED_APPS = ["runner_fixtures.runnerfix_clean", "runner_fixtures.runnerfix_mixed"]
