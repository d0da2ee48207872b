"""Settings for running the test suite on three vendors at once.

'default' is SQLite (in memory during tests), 'other' PostgreSQL and
'third' MariaDB/MySQL, so a test that names an alias really reaches a
different server. The servers and names come from the same environment
variables as test_postgres and test_mysql (DJANGO_TEST_PG_* for 'other',
DJANGO_TEST_MYSQL_* for 'third'); the runner creates 'test_' + NAME on
each and drops them at the end.
"""
import os

DATABASES = {
    "default": {"ENGINE": "sqlite3", "NAME": "django_tests.sqlite3"},
    "other": {
        "ENGINE": "postgresql",
        "NAME": os.environ.get("DJANGO_TEST_PG_NAME", "django_tests"),
        "HOST": os.environ.get("DJANGO_TEST_PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("DJANGO_TEST_PG_PORT", "5432"),
        "USER": os.environ.get("DJANGO_TEST_PG_USER", "postgres"),
        "PASSWORD": os.environ.get("DJANGO_TEST_PG_PASSWORD", ""),
        "OPTIONS": {"connect_timeout": 10},
    },
    "third": {
        "ENGINE": "mysql",
        "NAME": os.environ.get("DJANGO_TEST_MYSQL_NAME", "django_tests"),
        "HOST": os.environ.get("DJANGO_TEST_MYSQL_HOST", "127.0.0.1"),
        "PORT": os.environ.get("DJANGO_TEST_MYSQL_PORT", "3306"),
        "USER": os.environ.get("DJANGO_TEST_MYSQL_USER", "root"),
        "PASSWORD": os.environ.get("DJANGO_TEST_MYSQL_PASSWORD", ""),
        "OPTIONS": {"connect_timeout": 10},
    },
}

SECRET_KEY = "test"
USE_TZ = False

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
