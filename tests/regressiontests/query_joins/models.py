from django.db import models


class Country(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Writer(models.Model):
    name = models.CharField(max_length=50)
    country = models.ForeignKey(Country, models.CASCADE, null=True)

    def __str__(self):
        return self.name


class Novel(models.Model):
    title = models.CharField(max_length=50)
    pages = models.IntegerField(default=100)
    writer = models.ForeignKey(Writer, models.CASCADE, related_name="novels")
    editor = models.ForeignKey(Writer, models.CASCADE, null=True, related_name="edited")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Category(models.Model):
    name = models.CharField(max_length=50)
    parent = models.ForeignKey("self", models.CASCADE, null=True)

    class Meta:
        # Ordering by the parent orders by the parent's parent, and so on.
        ordering = ["parent"]
