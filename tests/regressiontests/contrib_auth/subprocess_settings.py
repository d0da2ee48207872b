"""Settings for the createsuperuser subprocess test (no database is used:
the command fails on its arguments first)."""
DATABASE_ENGINE = "sqlite3"
DATABASE_NAME = ":memory:"
SECRET_KEY = "test"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
