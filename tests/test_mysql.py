"""Settings for running the test suite against MariaDB/MySQL (PyMySQL).

Two aliases on the same server: 'default' (NAME 'django_tests') and
'other' (NAME 'django_tests_other'). The runner creates a test database
for each ('test_' + NAME; utf8mb4, binary collation; one left over from a
killed run is dropped first) and drops them at the end. The server
defaults to the development machines' one; environment variables override
it: DJANGO_TEST_MYSQL_HOST, DJANGO_TEST_MYSQL_PORT, DJANGO_TEST_MYSQL_USER,
DJANGO_TEST_MYSQL_PASSWORD, DJANGO_TEST_MYSQL_NAME (the default's NAME;
'other' appends '_other').
"""
import os

_NAME = os.environ.get("DJANGO_TEST_MYSQL_NAME", "django_tests")


def _mysql(name):
    return {
        "ENGINE": "mysql",
        "NAME": name,
        "HOST": os.environ.get("DJANGO_TEST_MYSQL_HOST", "127.0.0.1"),
        "PORT": os.environ.get("DJANGO_TEST_MYSQL_PORT", "3306"),
        "USER": os.environ.get("DJANGO_TEST_MYSQL_USER", "root"),
        "PASSWORD": os.environ.get("DJANGO_TEST_MYSQL_PASSWORD", ""),
        "OPTIONS": {"connect_timeout": 10},
    }


DATABASES = {"default": _mysql(_NAME), "other": _mysql(_NAME + "_other")}

SECRET_KEY = "test"
USE_TZ = False

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
