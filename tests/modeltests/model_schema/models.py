from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=40, db_index=True)
    bio = models.TextField(db_index=True, blank=True)
    rating = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["rating", "-name"], name="author_rating_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["name", "rating"], name="author_name_rating_uniq"),
        ]


class Legacy(models.Model):
    """Points at a table created by hand; syncdb and flush leave it alone."""

    code = models.CharField(max_length=10, primary_key=True)
    value = models.IntegerField()

    class Meta:
        managed = False
        db_table = "schema_legacy_table"


class AuthorProxy(Author):
    class Meta:
        proxy = True
