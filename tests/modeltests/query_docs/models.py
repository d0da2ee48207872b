"""The models used by the examples in docs/topics/db/queries.txt and
docs/ref/models/querysets.txt (the examples are run by tests.py)."""
from django.db import models


class Entry(models.Model):
    headline = models.CharField(max_length=100)
    body = models.TextField(blank=True, default="")
    pub_date = models.DateField()
    rating = models.IntegerField(default=0)
    views = models.IntegerField(default=0)
    data = models.JSONField(null=True)

    class Meta:
        ordering = ["pub_date", "headline"]

    def __str__(self):
        return self.headline
