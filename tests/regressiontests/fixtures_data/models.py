"""Models for the serializer and fixture tests (no relations)."""
from django.db import models


class Thing(models.Model):
    """One column of each scalar type, to prove round trips are lossless."""

    name = models.CharField(max_length=50)
    num = models.IntegerField(default=0)
    big = models.BigIntegerField(null=True)
    price = models.DecimalField(max_digits=10, decimal_places=3, null=True)
    ratio = models.FloatField(null=True)
    flag = models.BooleanField(default=False)
    moment = models.DateTimeField(null=True)
    day = models.DateField(null=True)
    clock = models.TimeField(null=True)
    span = models.DurationField(null=True)
    uid = models.UUIDField(null=True)
    blob = models.BinaryField(null=True)
    data = models.JSONField(null=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class TagManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Tag(models.Model):
    """A model with a natural key (its unique name)."""

    name = models.CharField(max_length=30, unique=True)
    weight = models.IntegerField(default=1)

    objects = TagManager()

    class Meta:
        ordering = ["name"]

    def natural_key(self):
        return (self.name,)


class Stamp(models.Model):
    """auto_now must not rewrite a loaded value (raw saves skip pre_save)."""

    title = models.CharField(max_length=20)
    modified = models.DateTimeField(auto_now=True)


class HiddenManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(visible=True)


class Note(models.Model):
    """Its default manager hides rows: dumpdata --all must still see them."""

    text = models.CharField(max_length=20)
    visible = models.BooleanField(default=True)

    objects = HiddenManager()
    everything = models.Manager()


class Row(models.Model):
    """Many small rows for the streaming test."""

    n = models.IntegerField()
    label = models.CharField(max_length=40)


class TagProxy(Tag):
    class Meta:
        proxy = True
