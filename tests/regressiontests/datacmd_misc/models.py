from django.db import models


class Counter(models.Model):
    value = models.IntegerField(default=0)


class Unmanaged(models.Model):
    value = models.IntegerField(default=0)

    class Meta:
        managed = False
        db_table = "datacmd_misc_not_created"
