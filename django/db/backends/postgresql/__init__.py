"""PostgreSQL database backend, on psycopg 3."""
