"""
Settings of the compatibility project: DATABASES is built by dj-database-url
from URLs, one alias per backend, as a project configured from the
environment would do.

- 'default': ECOSYSTEM_DEFAULT_URL, SQLite unless set
  (``postgres://...`` or ``mysql://...`` run the suite on that server);
- 'other':   PostgreSQL, ECOSYSTEM_OTHER_URL;
- 'third':   MariaDB/MySQL, ECOSYSTEM_THIRD_URL.

The database names default to DJANGO_TEST_PG_NAME / DJANGO_TEST_MYSQL_NAME
(the test runner creates and drops ``test_<name>``).
"""
import os

import dj_database_url

PG_NAME = os.environ.get("DJANGO_TEST_PG_NAME", "ecosystem")
MYSQL_NAME = os.environ.get("DJANGO_TEST_MYSQL_NAME", "ecosystem")

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("ECOSYSTEM_DEFAULT_URL", "sqlite:///ecosystem.sqlite3")
    ),
    "other": dj_database_url.parse(
        os.environ.get("ECOSYSTEM_OTHER_URL", "postgres://postgres@127.0.0.1:5432/" + PG_NAME)
    ),
    "third": dj_database_url.parse(
        os.environ.get("ECOSYSTEM_THIRD_URL", "mysql://root@127.0.0.1:3306/" + MYSQL_NAME)
    ),
}

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "library",
]

SECRET_KEY = "ecosystem-tests"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# Uploaded files (FileField) of the tests go to a directory of their own.
MEDIA_ROOT = os.path.join(os.environ.get("ECOSYSTEM_TMP", "/tmp"), "ecosystem-media")
