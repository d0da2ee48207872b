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

# The databases, by alias; 'default' is required unless the dict is empty.
# Each alias: ENGINE ('sqlite3', 'postgresql' (or 'postgresql_psycopg2'),
# 'mysql', or a dotted path to a backend package), NAME, USER, PASSWORD,
# HOST, PORT, OPTIONS, ATOMIC_REQUESTS, AUTOCOMMIT, CONN_MAX_AGE,
# CONN_HEALTH_CHECKS, TIME_ZONE and TEST (NAME, MIRROR, DEPENDENCIES,
# CHARSET, COLLATION). Missing keys are filled in when settings are read
# (django.conf.databases).
DATABASES = {}
# Routers (dotted paths or objects) that django.db.router asks, in order,
# which alias a model's queries and tables belong to.
DATABASE_ROUTERS = []

# Deprecated: the single-database spelling of DATABASES['default'], used
# (with a DeprecationWarning) only when DATABASES is not set.
DATABASE_ENGINE = ""
DATABASE_NAME = ""
DATABASE_USER = ""
DATABASE_PASSWORD = ""
DATABASE_HOST = ""
DATABASE_PORT = ""
DATABASE_OPTIONS = {}
TEST_DATABASE_NAME = None

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
