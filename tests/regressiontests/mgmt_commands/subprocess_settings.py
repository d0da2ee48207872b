"""Settings for the management tests that run ``python -m django`` in a subprocess."""
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
SECRET_KEY = "test"
INSTALLED_APPS = ["regressiontests.mgmt_commands"]
