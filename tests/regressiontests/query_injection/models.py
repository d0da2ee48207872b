from django.db import models


class Victim(models.Model):
    name = models.CharField(max_length=100)
    n = models.IntegerField(default=0)
    day = models.DateTimeField(null=True)
    data = models.JSONField(null=True)

    def __str__(self):
        return self.name


class Canary(models.Model):
    """A table that must survive every hostile input."""

    note = models.CharField(max_length=20)
