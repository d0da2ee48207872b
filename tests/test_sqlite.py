"""Settings for running the test suite against SQLite.

The test database is in memory (SQLite's test database is never a file
unless TEST_DATABASE_NAME names one), so DATABASE_NAME is only a label.
The runner appends every test application to INSTALLED_APPS.
"""
DATABASE_ENGINE = "sqlite3"
DATABASE_NAME = "django_tests.sqlite3"

SECRET_KEY = "test"
USE_TZ = False

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
