"""The shop: the new application, on ``default``.

An order points at a user (on ``users``) and at a legacy item (on
``legacy``). Both foreign keys are plain key columns with
``db_constraint=False``: a database can only check a key against its own
tables, so the ORM keeps the relation and nothing enforces it below.

Both are ``DO_NOTHING``: ``on_delete`` runs on the database of the row
deleted, and a user deleted on ``users`` cannot find (let alone protect or
cascade to) orders that live on ``default``. Delete a user's orders first.
"""
from django.contrib.auth.models import User
from django.db import models

from inventory.models import Item


class Order(models.Model):
    customer = models.ForeignKey(User, models.DO_NOTHING, db_constraint=False, related_name="orders")
    item = models.ForeignKey(Item, models.DO_NOTHING, db_constraint=False, related_name="orders")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"order {self.pk}: {self.quantity} x {self.item_id}"
