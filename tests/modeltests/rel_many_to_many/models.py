"""Many-to-many relations: auto-created and explicit intermediary models,
symmetrical self-relations."""
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=50)
    # A symmetrical self-relation: friendship goes both ways.
    friends = models.ManyToManyField("self")
    # Not symmetrical: following someone is one-way.
    follows = models.ManyToManyField("self", symmetrical=False, related_name="followers")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Publication(models.Model):
    title = models.CharField(max_length=50)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Article(models.Model):
    headline = models.CharField(max_length=100)
    authors = models.ManyToManyField(Author, related_name="articles")
    publications = models.ManyToManyField(Publication)

    class Meta:
        ordering = ["headline"]

    def __str__(self):
        return self.headline


class Group(models.Model):
    name = models.CharField(max_length=50)
    members = models.ManyToManyField(Author, through="Membership", related_name="groups")

    def __str__(self):
        return self.name


class Membership(models.Model):
    author = models.ForeignKey(Author, models.CASCADE)
    group = models.ForeignKey(Group, models.CASCADE)
    role = models.CharField(max_length=20, default="member")
