"""Settings for running the test suite against MariaDB/MySQL (PyMySQL).

The runner creates the test database 'test_django_tests' (utf8mb4, binary
collation; one left over from a killed run is dropped first) and drops it
at the end. The server defaults to the development machines' one;
environment variables override it: DJANGO_TEST_MYSQL_HOST,
DJANGO_TEST_MYSQL_PORT, DJANGO_TEST_MYSQL_USER, DJANGO_TEST_MYSQL_PASSWORD,
DJANGO_TEST_MYSQL_NAME.
"""
import os

DATABASE_ENGINE = "mysql"
DATABASE_NAME = os.environ.get("DJANGO_TEST_MYSQL_NAME", "django_tests")
DATABASE_HOST = os.environ.get("DJANGO_TEST_MYSQL_HOST", "127.0.0.1")
DATABASE_PORT = os.environ.get("DJANGO_TEST_MYSQL_PORT", "3306")
DATABASE_USER = os.environ.get("DJANGO_TEST_MYSQL_USER", "root")
DATABASE_PASSWORD = os.environ.get("DJANGO_TEST_MYSQL_PASSWORD", "")
DATABASE_OPTIONS = {"connect_timeout": 10}

SECRET_KEY = "test"
USE_TZ = False

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
