from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)
    qty = models.IntegerField(default=0)
    score = models.FloatField(null=True)

    def __str__(self):
        return self.name
