"""Models with relations for the serializer and fixture tests."""
from django.db import models


class AuthorManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Author(models.Model):
    name = models.CharField(max_length=30, unique=True)

    objects = AuthorManager()

    class Meta:
        ordering = ["name"]

    def natural_key(self):
        return (self.name,)


class Genre(models.Model):
    name = models.CharField(max_length=30)


class BookManager(models.Manager):
    def get_by_natural_key(self, title, author_name):
        return self.get(title=title, author=Author.objects.get_by_natural_key(author_name))


class Book(models.Model):
    title = models.CharField(max_length=50)
    author = models.ForeignKey(Author, models.CASCADE)
    genres = models.ManyToManyField(Genre)
    fans = models.ManyToManyField(Author, related_name="favourites")

    objects = BookManager()

    class Meta:
        ordering = ["title"]
        unique_together = [("title", "author")]

    def natural_key(self):
        return (self.title,) + self.author.natural_key()

    natural_key.dependencies = ["fixtures_rel.author"]


class Chapter(models.Model):
    book = models.ForeignKey(Book, models.CASCADE, null=True)
    number = models.IntegerField()


class Profile(models.Model):
    author = models.OneToOneField(Author, models.CASCADE)
    bio = models.TextField(blank=True)


class Node(models.Model):
    parent = models.ForeignKey("self", models.CASCADE, null=True)
    name = models.CharField(max_length=10)
