"""Models whose fields each refuse one kind of value (see storage_checks)."""
from django.db import models


class Amount(models.Model):
    value = models.DecimalField(max_digits=10, decimal_places=2, null=True)


class Reading(models.Model):
    value = models.FloatField(null=True)


class Label(models.Model):
    name = models.CharField(max_length=100)
    notes = models.TextField(blank=True)
    short_notes = models.TextField(max_length=5, blank=True)


class Counter(models.Model):
    num = models.IntegerField(null=True)
    small = models.SmallIntegerField(null=True)
    big = models.BigIntegerField(null=True)
    pos = models.PositiveIntegerField(null=True)
    pos_small = models.PositiveSmallIntegerField(null=True)
    pos_big = models.PositiveBigIntegerField(null=True)


class Moment(models.Model):
    when = models.DateTimeField(null=True)
    day = models.DateField(null=True)


class Child(models.Model):
    parent = models.ForeignKey(Counter, models.CASCADE, null=True)
    label = models.ForeignKey(Label, models.CASCADE, null=True)
