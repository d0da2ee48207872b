"""Accounts and their orders, sharded by username.

Each model says which value is its shard key (``shard_key``): the router
reads it from the instance it is given as a hint.
"""
from django.db import models


class Account(models.Model):
    # The shard key is the primary key: a username lives on exactly one
    # shard, so it is unique across shards although each shard only checks
    # its own rows. An AUTO id would not be: every shard counts from 1.
    username = models.CharField(max_length=30, primary_key=True)
    name = models.CharField(max_length=100)
    country = models.CharField(max_length=2)

    class Meta:
        ordering = ["username"]

    def __str__(self):
        return self.username

    @property
    def shard_key(self):
        return self.username


class Order(models.Model):
    # Lives with its account: the account's key is the order's shard key, so
    # the foreign key never crosses shards. Its id is unique per shard only.
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="orders")
    item = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.item} for {self.account_id}"

    @property
    def shard_key(self):
        return self.account_id
