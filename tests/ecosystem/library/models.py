"""A small library: authors write books, books carry tags."""
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100, unique=True)
    email = models.EmailField(blank=True)
    born = models.DateField(null=True, blank=True)

    def __str__(self):
        return self.name


class Tag(models.Model):
    label = models.CharField(max_length=50, unique=True)

    def __str__(self):
        return self.label


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(Tag, related_name="books")
    pages = models.PositiveIntegerField(default=100)
    price = models.DecimalField(max_digits=6, decimal_places=2, default=10)
    published = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.title


class Review(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
    stars = models.SmallIntegerField(default=3)
    text = models.TextField(blank=True)


# FileField arrives with django.core.files (issue 20); the model exists
# once it does, and the tests that need it skip, saying so, until then.
if hasattr(models, "FileField"):

    class Cover(models.Model):
        book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="covers")
        image = models.FileField(upload_to="covers/")
