"""Models covering every on_delete behaviour."""
from django.db import models


def default_owner():
    return Owner.objects.get_or_create(name="default")[0].pk


class Owner(models.Model):
    name = models.CharField(max_length=30)

    def __str__(self):
        return self.name


class Item(models.Model):
    name = models.CharField(max_length=30)
    owner = models.ForeignKey(Owner, models.CASCADE, related_name="items")
    protected = models.ForeignKey(Owner, models.PROTECT, null=True, related_name="protected_items")
    set_null = models.ForeignKey(Owner, models.SET_NULL, null=True, related_name="nulled_items")
    set_default = models.ForeignKey(Owner, models.SET_DEFAULT, null=True, default=None, related_name="defaulted_items")
    set_value = models.ForeignKey(Owner, models.SET(default_owner), null=True, related_name="set_items")
    do_nothing = models.ForeignKey(Owner, models.DO_NOTHING, null=True, db_constraint=False, related_name="ignored_items")

    def __str__(self):
        return self.name


class Part(models.Model):
    # Cascades two levels: Owner -> Item -> Part.
    item = models.ForeignKey(Item, models.CASCADE)
    tags = models.ManyToManyField("Label")


class Label(models.Model):
    text = models.CharField(max_length=10)


class Restricted(models.Model):
    owner = models.ForeignKey(Owner, models.RESTRICT, related_name="restricted")
    item = models.ForeignKey(Item, models.CASCADE, null=True)


class Node(models.Model):
    # A cycle between two tables.
    name = models.CharField(max_length=10)
    peer = models.ForeignKey("Peer", models.SET_NULL, null=True, related_name="nodes")


class Peer(models.Model):
    node = models.ForeignKey(Node, models.CASCADE, null=True, related_name="peers")


class Guard(models.Model):
    # A second protecting relation: a refusal names every one.
    owner = models.ForeignKey(Owner, models.PROTECT, related_name="guards")


class ProxyOwner(Owner):
    class Meta:
        proxy = True
