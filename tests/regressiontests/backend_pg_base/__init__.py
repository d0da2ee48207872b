"""PostgreSQL backend (psycopg 3) tests, run against the server whatever the settings."""
