"""The models of docs/ref/differences.txt: an author and her books."""
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=50)


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, models.CASCADE)
    published = models.DateField(null=True)

    class Meta:
        ordering = ["title"]
