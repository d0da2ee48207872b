import uuid

from django.db import models


class AllTypes(models.Model):
    big = models.BigIntegerField(null=True)
    small = models.SmallIntegerField(null=True)
    pos = models.PositiveIntegerField(null=True)
    pos_small = models.PositiveSmallIntegerField(null=True)
    pos_big = models.PositiveBigIntegerField(null=True)
    flag = models.BooleanField(default=False)
    nflag = models.BooleanField(null=True)
    ratio = models.FloatField(null=True)
    amount = models.DecimalField(max_digits=8, decimal_places=3, null=True)
    text = models.TextField(blank=True)
    slug = models.SlugField(blank=True)
    email = models.EmailField(blank=True)
    url = models.URLField(blank=True)
    day = models.DateField(null=True)
    moment = models.DateTimeField(null=True)
    clock = models.TimeField(null=True)
    span = models.DurationField(null=True)
    uid = models.UUIDField(null=True)
    blob = models.BinaryField(null=True)
    ip = models.GenericIPAddressField(null=True)
    ip4 = models.GenericIPAddressField(protocol="both", unpack_ipv4=True, null=True)
    data = models.JSONField(null=True)


class Person(models.Model):
    GENDER = [("m", "Male"), ("f", "Female")]
    name = models.CharField(max_length=10)
    age = models.IntegerField(null=True)
    gender = models.CharField(max_length=1, choices=GENDER, blank=True)
    grouped = models.IntegerField(
        choices=[("Low", [(1, "one"), (2, "two")]), ("High", [(9, "nine")])], null=True
    )


class Stamped(models.Model):
    title = models.CharField(max_length=20)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    day = models.DateField(auto_now_add=True)


class WithUUIDPk(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=10)


class BigPk(models.Model):
    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=10)


class Suit(models.IntegerChoices):
    HEARTS = 1, "Hearts"
    SPADES = 2


class Card(models.Model):
    suit = models.IntegerField(choices=Suit.choices)
    color = models.CharField(max_length=5, choices=[("r", "Red")], default="r")


class Reserved(models.Model):
    """SQL keywords as table and column names: everything must be quoted."""

    order = models.IntegerField(db_index=True)
    select = models.CharField(max_length=10, db_column="where")
    group = models.TextField(blank=True)

    class Meta:
        db_table = "select"
        unique_together = [("order", "select")]
        indexes = [models.Index(fields=["-order", "select"], name="reserved_order_idx")]


class Color(models.TextChoices):
    RED = "R", "Red"
    GREEN = "G"
    __empty__ = "(unknown)"
