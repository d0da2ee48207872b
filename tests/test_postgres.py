"""Settings for running the test suite against PostgreSQL (psycopg 3).

Two aliases on the same server: 'default' (NAME 'django_tests') and
'other' (NAME 'django_tests_other'). The runner creates a test database
for each ('test_' + NAME, dropping one left over from a killed run) and
drops them at the end. The server defaults to the development machines'
one; environment variables override it: DJANGO_TEST_PG_HOST,
DJANGO_TEST_PG_PORT, DJANGO_TEST_PG_USER, DJANGO_TEST_PG_PASSWORD,
DJANGO_TEST_PG_NAME (the default's NAME; 'other' appends '_other').
"""
import os

_NAME = os.environ.get("DJANGO_TEST_PG_NAME", "django_tests")


def _postgres(name):
    return {
        "ENGINE": "postgresql",
        "NAME": name,
        "HOST": os.environ.get("DJANGO_TEST_PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("DJANGO_TEST_PG_PORT", "5432"),
        "USER": os.environ.get("DJANGO_TEST_PG_USER", "postgres"),
        "PASSWORD": os.environ.get("DJANGO_TEST_PG_PASSWORD", ""),
        # Fail fast instead of waiting for the OS timeout on a dead host.
        "OPTIONS": {"connect_timeout": 10},
    }


DATABASES = {"default": _postgres(_NAME), "other": _postgres(_NAME + "_other")}

SECRET_KEY = "test"
USE_TZ = False

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
