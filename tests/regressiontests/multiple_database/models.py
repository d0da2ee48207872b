"""Plain models: the test runner builds their tables on every test database."""
from django.db import models


class Person(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Person, models.CASCADE, related_name="books", null=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Shelf(models.Model):
    """A many-to-many field: routers judge its intermediary table by the
    auto-created through model (see test_routers)."""

    label = models.CharField(max_length=30)
    readers = models.ManyToManyField(Person, related_name="shelves")
