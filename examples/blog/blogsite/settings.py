"""Settings of the example blog project.

SQLite is the default and needs nothing. Switch database with environment
variables, for example:

    BLOG_DATABASE_ENGINE=postgresql BLOG_DATABASE_NAME=blog \
        BLOG_DATABASE_HOST=127.0.0.1 BLOG_DATABASE_USER=postgres python manage.py demo
    BLOG_DATABASE_ENGINE=mysql BLOG_DATABASE_NAME=blog \
        BLOG_DATABASE_HOST=127.0.0.1 BLOG_DATABASE_USER=root python manage.py demo

(the PostgreSQL or MariaDB database must exist: ``createdb blog`` or
``CREATE DATABASE blog``).
"""
import os

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DEBUG = False
SECRET_KEY = "example-only-not-secret"
TIME_ZONE = "UTC"
USE_TZ = True

# One database, the alias "default" (docs/topics/db/multi-db.txt).
DATABASES = {
    "default": {
        "ENGINE": os.environ.get("BLOG_DATABASE_ENGINE", "sqlite3"),
        "NAME": os.environ.get("BLOG_DATABASE_NAME", os.path.join(HERE, "blog.sqlite3")),
        "USER": os.environ.get("BLOG_DATABASE_USER", ""),
        "PASSWORD": os.environ.get("BLOG_DATABASE_PASSWORD", ""),
        "HOST": os.environ.get("BLOG_DATABASE_HOST", ""),
        "PORT": os.environ.get("BLOG_DATABASE_PORT", ""),
    },
}

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "blog"]
