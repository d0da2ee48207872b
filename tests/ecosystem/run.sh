#!/usr/bin/env bash
# The compatibility suite: the project in this directory tested through
# pytest-django, factory_boy, model_bakery and dj-database-url, unmodified,
# on top of this repository's `django` package (never the real Django).
#
#   tests/ecosystem/run.sh [pytest args...]
#
# ECOSYSTEM_VENV: the venv to use (default tests/ecosystem/.venv, created
# if missing). ECOSYSTEM_PYTHON: the interpreter that creates it (python3).
# DJANGO_TEST_PG_NAME / DJANGO_TEST_MYSQL_NAME: database names on the
# PostgreSQL ('other') and MariaDB ('third') servers; ECOSYSTEM_*_URL
# override whole URLs (see ecoproject/settings.py).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${ECOSYSTEM_VENV:-$HERE/.venv}"

if [ ! -x "$VENV/bin/python" ]; then
    "${ECOSYSTEM_PYTHON:-python3}" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip install --quiet --disable-pip-version-check)

# The libraries, pinned, without their dependencies (which would bring in
# the real Django); what they need besides Django is listed explicitly.
"${PIP[@]}" pytest "psycopg[binary]" pymysql sqlparse
"${PIP[@]}" --no-deps \
    pytest-django==4.14.0 factory_boy==3.3.3 Faker==40.63.0 \
    model_bakery==1.24.2 dj-database-url==3.1.2
"${PIP[@]}" --no-deps -e "$ROOT"

# The `django` those libraries import must be ours.
"$PY" - "$ROOT" <<'PYEOF'
import importlib.metadata, os, sys
try:
    importlib.metadata.distribution("Django")
except importlib.metadata.PackageNotFoundError:
    pass
else:
    sys.exit("ecosystem: the real Django is installed in this venv; refusing to run")
import django
root = os.path.realpath(sys.argv[1])
if not os.path.realpath(django.__file__).startswith(root + os.sep):
    sys.exit("ecosystem: `django` is imported from %s, not from %s" % (django.__file__, root))
print("ecosystem: django %s from %s" % (django.get_version(), os.path.dirname(django.__file__)))
PYEOF

cd "$HERE"
export ECOSYSTEM_TMP="${ECOSYSTEM_TMP:-$(mktemp -d)}"
# --reuse-db: the first run creates and keeps the test databases, the
# second finds and reuses them; the last run (--create-db) recreates them
# and, without --reuse-db, drops them at its end.
kept() {  # does the test database of the alias 'other' exist? (yes/no)
    "$PY" - <<'PYEOF'
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecoproject.settings")
import django
django.setup()
from django.db import connections
creation = connections["other"].creation
with connections["other"]._nodb_cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [creation._get_test_db_name()])
    print("yes" if cursor.fetchone() else "no")
PYEOF
}
"$PY" -m pytest -q -rs --reuse-db "$@"
[ "$(kept)" = yes ] || { echo "ecosystem: --reuse-db did not keep the test database"; exit 1; }
"$PY" -m pytest -q -rs --reuse-db "$@"
"$PY" -m pytest -q -rs --create-db "$@"
[ "$(kept)" = no ] || { echo "ecosystem: the test database was kept without --reuse-db"; exit 1; }
