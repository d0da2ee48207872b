"""A --default settings module for the diffsettings tests."""
SECRET_KEY = "test"
USE_TZ = False
