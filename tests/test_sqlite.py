"""Settings for running the test suite against SQLite.

Two aliases on SQLite: 'default' and 'other' (tests of several databases
use 'other'). Each test database is in memory (SQLite's test database is
never a file unless TEST NAME names one), so NAME is only a label.
The runner appends every test application to INSTALLED_APPS.
"""
DATABASES = {
    "default": {"ENGINE": "sqlite3", "NAME": "django_tests.sqlite3"},
    "other": {"ENGINE": "sqlite3", "NAME": "django_tests_other.sqlite3"},
}

SECRET_KEY = "test"
USE_TZ = False

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
