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


class TrimmedField(models.CharField):
    """A text field whose own get_prep_value() must still run for str values."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value.strip() if isinstance(value, str) else value


class TenfoldField(models.IntegerField):
    """The same for int values."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else value * 10


class _UpperOnSet:
    """A data descriptor: assignments are stored upper-cased."""

    def __init__(self, attname):
        self.attname = attname

    def __get__(self, instance, owner=None):
        return self if instance is None else instance.__dict__[self.attname]

    def __set__(self, instance, value):
        instance.__dict__[self.attname] = value.upper() if isinstance(value, str) else value


class UpperOnSetField(models.CharField):
    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        setattr(cls, self.attname, _UpperOnSet(self.attname))


_serials = iter(range(1, 10**6))


class Prepared(models.Model):
    trimmed = TrimmedField(max_length=50, default="")
    tenfold = TenfoldField(default=0)
    serial = models.IntegerField(default=lambda: next(_serials))
    label = models.CharField(max_length=20, default="none")
    tag = models.ForeignKey(Tag, models.CASCADE, null=True)
    code = UpperOnSetField(max_length=20, default="dflt")

    class Meta:
        app_label = "insert_cache"


class Wide(models.Model):
    """Nullable columns of the types PostgreSQL sends as packed arrays."""

    big = models.BigIntegerField(null=True)
    small = models.IntegerField(null=True)
    ratio = models.FloatField(null=True)
    ok = models.BooleanField(null=True)
    note = models.TextField(null=True)

    class Meta:
        app_label = "insert_cache"
