"""The model of docs/topics/db/multi-db.txt: one table, on ``default``."""
from django.db import models


class Entry(models.Model):
    headline = models.CharField(max_length=100)
