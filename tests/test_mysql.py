"""Settings for running the test suite against MariaDB/MySQL (PyMySQL).

The runner creates the test database 'test_django_tests' (utf8mb4, binary
collation; one left over from a killed run is dropped first) and drops it
at the end. The server defaults to the development machines' one;
environment variables override it: DJANGO_TEST_MYSQL_HOST,
DJANGO_TEST_MYSQL_PORT, DJANGO_TEST_MYSQL_USER, DJANGO_TEST_MYSQL_PASSWORD,
DJANGO_TEST_MYSQL_NAME.
"""
import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": os.environ.get("DJANGO_TEST_MYSQL_NAME", "django_tests"),
        "HOST": os.environ.get("DJANGO_TEST_MYSQL_HOST", "127.0.0.1"),
        "PORT": os.environ.get("DJANGO_TEST_MYSQL_PORT", "3306"),
        "USER": os.environ.get("DJANGO_TEST_MYSQL_USER", "root"),
        "PASSWORD": os.environ.get("DJANGO_TEST_MYSQL_PASSWORD", ""),
        # Fail fast instead of waiting for the OS timeout on a dead host.
        "OPTIONS": {"connect_timeout": 10},
    },
}

SECRET_KEY = "test"
USE_TZ = False

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
