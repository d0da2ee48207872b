"""Settings whose database backend does not exist (for the runner's crash test)."""
DATABASES = {"default": {"ENGINE": "runner_fixtures.h4-no-such-backend", "NAME": "x"}}
SECRET_KEY = "test"
INSTALLED_APPS = []
