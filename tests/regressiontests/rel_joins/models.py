"""Models for lookups, ordering, values and aggregates across relations
(also used by rel_select_related and rel_prefetch)."""
from django.db import models


class Country(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Publisher(models.Model):
    name = models.CharField(max_length=30)
    country = models.ForeignKey(Country, models.CASCADE, related_name="publishers")

    class Meta:
        ordering = ["-name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserProfile(models.Model):
    user = models.OneToOneField(Person, models.CASCADE)
    flavor = models.CharField(max_length=20)

    def __str__(self):
        return "%s likes %s" % (self.user_id, self.flavor)


class Book(models.Model):
    title = models.CharField(max_length=30)
    pages = models.IntegerField(default=100)
    publisher = models.ForeignKey(Publisher, models.SET_NULL, null=True)
    editor = models.ForeignKey(Person, models.SET_NULL, null=True, related_name="edited")
    authors = models.ManyToManyField(Person)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Chapter(models.Model):
    book = models.ForeignKey(Book, models.CASCADE, related_name="chapters")
    title = models.CharField(max_length=30)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title
