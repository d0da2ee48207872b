#!/usr/bin/env python
"""Command-line entry point of the sharding example project."""
import os
import sys

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    # Run from a checkout without installing: fall back to the repository's
    # own package (three levels up) when no installed one is importable.
    checkout = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    try:
        import django  # noqa: F401
    except ImportError:
        if os.path.isfile(os.path.join(checkout, "django", "__init__.py")):
            sys.path.insert(1, checkout)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shardsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
