"""Settings for running the test suite against SQLite.

The test database is in memory (SQLite's test database is never a file
unless TEST NAME names one), so NAME is only a label.
The runner appends every test application to INSTALLED_APPS.
"""
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "django_tests.sqlite3",
    },
}

SECRET_KEY = "test"
USE_TZ = False

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
