"""Settings for running the test suite against PostgreSQL (psycopg 3).

The runner creates the test database 'test_django_tests' (dropping one
left over from a killed run) and drops it at the end. The server defaults
to the development machines' one; environment variables override it:
DJANGO_TEST_PG_HOST, DJANGO_TEST_PG_PORT, DJANGO_TEST_PG_USER,
DJANGO_TEST_PG_PASSWORD, DJANGO_TEST_PG_NAME.
"""
import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DJANGO_TEST_PG_NAME", "django_tests"),
        "HOST": os.environ.get("DJANGO_TEST_PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("DJANGO_TEST_PG_PORT", "5432"),
        "USER": os.environ.get("DJANGO_TEST_PG_USER", "postgres"),
        "PASSWORD": os.environ.get("DJANGO_TEST_PG_PASSWORD", ""),
        # Fail fast instead of waiting for the OS timeout on a dead host.
        "OPTIONS": {"connect_timeout": 10},
    },
}

SECRET_KEY = "test"
USE_TZ = False

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
