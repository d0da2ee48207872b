from django.db import models


class Entry(models.Model):
    title = models.CharField(max_length=50)
    rank = models.IntegerField(default=0)

    class Meta:
        app_label = "kept_cursor"
