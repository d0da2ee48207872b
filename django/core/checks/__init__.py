"""The system check framework: registered functions that report problems."""
from django.core.checks.messages import (
    CRITICAL,
    DEBUG,
    ERROR,
    INFO,
    WARNING,
    CheckMessage,
    Critical,
    Debug,
    Error,
    Info,
    Warning,
)
from django.core.checks.registry import Tags, register, registry, run_checks, tag_exists

# Import the built-in checks so they register themselves.
import django.core.checks.model_checks  # noqa: E402, F401  isort:skip
import django.core.checks.cross_database  # noqa: E402, F401  isort:skip
import django.core.checks.database_settings  # noqa: E402, F401  isort:skip

__all__ = [
    "CheckMessage", "Debug", "Info", "Warning", "Error", "Critical",
    "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL",
    "register", "run_checks", "tag_exists", "Tags", "registry",
]
