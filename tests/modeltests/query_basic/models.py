from django.db import models


class Article(models.Model):
    headline = models.CharField(max_length=100)
    pub_date = models.DateTimeField(null=True)
    views = models.IntegerField(default=0)
    rating = models.FloatField(null=True)
    body = models.TextField(blank=True, default="")
    data = models.JSONField(null=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.headline


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    weight = models.IntegerField(null=True)
    day = models.DateField(null=True)
    at = models.TimeField(null=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True)

    def __str__(self):
        return self.name
