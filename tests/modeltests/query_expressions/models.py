from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.CharField(max_length=50)
    pages = models.IntegerField()
    price = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    rating = models.FloatField(null=True)
    published = models.DateField(null=True)
    stamp = models.DateTimeField(null=True)
    at = models.TimeField(null=True)
    data = models.JSONField(null=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Review(models.Model):
    book_title = models.CharField(max_length=100)
    stars = models.IntegerField()

    def __str__(self):
        return "%s:%s" % (self.book_title, self.stars)
