import uuid

from django.db import models


class Note(models.Model):
    title = models.CharField(max_length=100)
    pages = models.IntegerField(default=0)

    class Meta:
        app_label = "insert_cache"


class Memo(models.Model):
    # Same column names as Note: its INSERTs must never be Note's.
    title = models.CharField(max_length=100)
    pages = models.IntegerField(default=0)

    class Meta:
        app_label = "insert_cache"


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        app_label = "insert_cache"


class Token(models.Model):
    # The key comes from a default, so the INSERT writes the pk column.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    label = models.CharField(max_length=50)

    class Meta:
        app_label = "insert_cache"


class Stamped(models.Model):
    title = models.CharField(max_length=100)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "insert_cache"


class ShoutField(models.CharField):
    """Stored upper-cased by SQL of its own (a placeholder per value)."""

    def get_placeholder(self, value, compiler, connection):
        return "UPPER(%s)"


class ReversedField(models.CharField):
    """Prepares values for saving in its own way."""

    def get_db_prep_save(self, value, connection):
        value = super().get_db_prep_save(value, connection)
        return value[::-1] if isinstance(value, str) else value


class Odd(models.Model):
    shout = ShoutField(max_length=50, default="")
    backwards = ReversedField(max_length=50, default="")

    class Meta:
        app_label = "insert_cache"


class CountingQuerySet(models.QuerySet):
    inserts = 0

    def _insert(self, *args, **kwargs):
        type(self).inserts += 1
        return super()._insert(*args, **kwargs)


class Counted(models.Model):
    # Saves go through this manager's queryset: its _insert() must run.
    title = models.CharField(max_length=50)
    objects = CountingQuerySet.as_manager()

    class Meta:
        app_label = "insert_cache"
        base_manager_name = "objects"
