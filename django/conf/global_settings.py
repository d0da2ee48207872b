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

# --- email (django.core.mail) ---
# The backend get_connection() builds when none is named; the test runner
# swaps in the locmem backend while tests run.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# The smtp backend's server, credentials and transport security
# (EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other). EMAIL_TIMEOUT is in
# seconds; None waits as long as the socket does.
EMAIL_HOST = "localhost"
EMAIL_PORT = 25
EMAIL_HOST_USER = ""
EMAIL_HOST_PASSWORD = ""
EMAIL_USE_TLS = False
EMAIL_USE_SSL = False
EMAIL_SSL_CERTFILE = None
EMAIL_SSL_KEYFILE = None
EMAIL_TIMEOUT = None
# Date headers in local time instead of UTC.
EMAIL_USE_LOCALTIME = False
# Charset of message bodies and headers.
DEFAULT_CHARSET = "utf-8"
# Sender of send_mail() when from_email is None, and of mail_admins().
DEFAULT_FROM_EMAIL = "webmaster@localhost"
SERVER_EMAIL = "root@localhost"
# Recipients of mail_admins() / mail_managers(): a list of addresses.
ADMINS = []
MANAGERS = []
EMAIL_SUBJECT_PREFIX = "[Django] "

# Directory (absolute path) where FileSystemStorage keeps uploaded files; it
# must be set before any file is stored. MEDIA_URL is the URL prefix that
# serves them (empty: files have no URL).
MEDIA_ROOT = ""
MEDIA_URL = ""
# Permission bits for new uploaded files and directories (None: the umask).
FILE_UPLOAD_PERMISSIONS = None
FILE_UPLOAD_DIRECTORY_PERMISSIONS = None
