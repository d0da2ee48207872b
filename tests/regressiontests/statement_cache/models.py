from django.db import models


class Shelf(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        app_label = "statement_cache"


class Book(models.Model):
    title = models.CharField(max_length=100)
    pages = models.IntegerField()
    shelf = models.ForeignKey(Shelf, models.CASCADE, null=True)
    read_on = models.DateTimeField(null=True)

    class Meta:
        app_label = "statement_cache"
        ordering = ["title"]


class Pamphlet(models.Model):
    # Same column names as Book: its statements must never be Book's.
    title = models.CharField(max_length=100)
    pages = models.IntegerField()

    class Meta:
        app_label = "statement_cache"
