"""Files for storage and FileField: ``File`` and ``ContentFile`` (from
``django.core.files.base``); storage in ``django.core.files.storage``."""
from django.core.files.base import ContentFile, File

__all__ = ["File", "ContentFile"]
