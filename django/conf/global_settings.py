"""Default values of every setting; a project's settings override these.

Only UPPER-CASE names are settings.
"""

DEBUG = False

# Apps whose models the registry loads, as module paths or AppConfig paths.
INSTALLED_APPS = []

TIME_ZONE = "America/Chicago"
USE_TZ = False
USE_I18N = False
LANGUAGE_CODE = "en-us"

SECRET_KEY = ""

# Field class used for implicit primary keys.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# The single database (this baseline predates multiple databases).
# DATABASE_ENGINE: 'sqlite3', 'postgresql' (or 'postgresql_psycopg2'),
# 'mysql', or a dotted path to a backend package.
DATABASE_ENGINE = ""
DATABASE_NAME = ""  # Database name, or path to the database file for sqlite3.
DATABASE_USER = ""
DATABASE_PASSWORD = ""
DATABASE_HOST = ""  # Empty means localhost (or the default socket).
DATABASE_PORT = ""  # Empty means the backend's default port.
DATABASE_OPTIONS = {}  # Extra keyword arguments for the driver's connect().
TEST_DATABASE_NAME = None  # None means 'test_' + DATABASE_NAME.

# Tablespaces for tables and indexes; empty means the database's default.
DEFAULT_TABLESPACE = ""
DEFAULT_INDEX_TABLESPACE = ""

# Extra directories loaddata searches, besides each app's "fixtures".
FIXTURE_DIRS = []

AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PROFILE_MODULE = None
AUTH_USER_MODEL = "auth.User"

TEST_RUNNER = "django.test.runner.DiscoverRunner"

# Check ids (e.g. 'models.W042') whose messages run_checks() drops.
SILENCED_SYSTEM_CHECKS = []
