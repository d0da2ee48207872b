"""The baseline era's import path of the generic relation classes:
``from django.contrib.contenttypes import generic``."""
from django.contrib.contenttypes.fields import (  # noqa: F401
    GenericForeignKey, GenericRel, GenericRelation, ReverseGenericManyToOneDescriptor,
    create_generic_related_manager,
)

__all__ = ["GenericForeignKey", "GenericRelation", "GenericRel"]
