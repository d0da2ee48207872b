"""Settings whose database backend does not exist (for the runner's crash test)."""
DATABASE_ENGINE = "runner_fixtures.h4-no-such-backend"
DATABASE_NAME = "x"
SECRET_KEY = "test"
INSTALLED_APPS = []
