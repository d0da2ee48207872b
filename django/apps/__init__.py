"""The application registry: which apps are installed and which models they define."""
from django.apps.config import AppConfig
from django.apps.registry import apps

__all__ = ["AppConfig", "apps"]
