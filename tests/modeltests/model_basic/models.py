import datetime

from django.db import models


class Article(models.Model):
    headline = models.CharField(max_length=100, default="Default headline")
    pub_date = models.DateTimeField()

    class Meta:
        ordering = ("pub_date", "headline")

    def __str__(self):
        return self.headline


class Counted(models.Model):
    """pk supplied by the application, with a default."""

    code = models.IntegerField(primary_key=True, default=7)
    label = models.CharField(max_length=20, blank=True)


class Event(models.Model):
    name = models.CharField(max_length=30)
    when = models.DateField()
    maybe = models.DateField(null=True)


def default_when():
    return datetime.date(2000, 1, 1)


class Note(models.Model):
    text = models.TextField()
    when = models.DateField(default=default_when)
    rank = models.IntegerField(default=0)
