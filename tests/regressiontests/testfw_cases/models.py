"""A model for the TransactionTestCase flush tests (rows go in with raw SQL)."""
from django.db import models


class FlushItem(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        db_table = "testfw_flushitem"
