"""Content types: one row per installed model, and generic relations.

Add ``"django.contrib.contenttypes"`` to INSTALLED_APPS; ``syncdb`` then
creates a :class:`~django.contrib.contenttypes.models.ContentType` for every
installed model.
"""
