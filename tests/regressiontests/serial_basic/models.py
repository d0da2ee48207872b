from django.db import models


class Point(models.Model):
    x = models.IntegerField()
    y = models.IntegerField(default=0)
    label = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["id"]


class Code(models.Model):
    """A model whose primary key is a natural string, not an auto field."""

    code = models.CharField(max_length=10, primary_key=True)
    title = models.CharField(max_length=30)
