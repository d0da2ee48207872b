"""A model for iterating through the ORM with QuerySet.iterator()."""
from django.db import models


class StreamItem(models.Model):
    number = models.IntegerField()
    label = models.CharField(max_length=20)

    class Meta:
        ordering = ["number"]
