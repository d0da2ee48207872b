"""Settings installing the runner fixture apps (for ``django-admin test``)."""
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
SECRET_KEY = "test"
INSTALLED_APPS = ["runner_fixtures.runnerfix_clean", "runner_fixtures.runnerfix_mixed"]
