"""MariaDB/MySQL backend (PyMySQL) tests, run against the server whatever the settings."""
