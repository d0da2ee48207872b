"""``python -m django <command>``: the same as ``django-admin <command>``."""
from django.core import management

if __name__ == "__main__":
    management.execute_from_command_line()
