#!/usr/bin/env python
"""Command-line entry point of the shadowing example."""
import os
import sys

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    root = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    if os.path.isfile(os.path.join(root, "django", "__init__.py")):
        # Run from the checkout: use its package rather than an installed one.
        sys.path.insert(1, root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shadowsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
