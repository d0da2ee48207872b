"""Imported by autodiscover_modules() in foundation_utils tests."""
DISCOVERED = True
