"""Models whose table and column names contain '%' in every shape a
format-style driver could misread ('%', '%s', '%%', '%(x)s'), and models for
JSON keys and time-zone-aware truncation."""
from django.db import models


class PercentOwner(models.Model):
    label = models.CharField(max_length=30, db_column="la%bel")

    class Meta:
        db_table = "idf_owner%"


class PercentItem(models.Model):
    name = models.CharField(max_length=30, db_column="na%sme")
    rate = models.IntegerField(db_column="rate%%")
    note = models.CharField(max_length=30, db_column="no%(x)ste", default="", db_index=True)
    owner = models.ForeignKey(PercentOwner, models.CASCADE, db_column="own%er", null=True)

    class Meta:
        db_table = "idf_it%s_em%%_%(x)s"
        ordering = ["rate"]
        unique_together = [("name", "note")]


class KeyedDocument(models.Model):
    data = models.JSONField(null=True)


class TruncMoment(models.Model):
    when = models.DateTimeField()
