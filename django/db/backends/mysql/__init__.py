"""MariaDB / MySQL database backend, on PyMySQL."""
