from django.db import models


class Reporter(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "query_extra"


class Article(models.Model):
    headline = models.CharField(max_length=100)
    pages = models.IntegerField()
    reporter = models.ForeignKey(Reporter, models.CASCADE, null=True)

    class Meta:
        app_label = "query_extra"
        ordering = ["headline"]

    def __str__(self):
        return self.headline
