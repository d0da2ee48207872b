"""A small catalogue: categories, products and their prices.

All three tables are in the snapshot; ``Category`` and ``Price`` are
shadowed (``SHADOWED_MODELS``), so their local copies win.
"""
from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Product(models.Model):
    sku = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    # Both tables are on the snapshot, so the constraint holds there; reading
    # product.category follows the router to the local, shadowing table.
    category = models.ForeignKey(Category, models.PROTECT, related_name="products")

    class Meta:
        ordering = ["sku"]

    def __str__(self):
        return self.sku


class Price(models.Model):
    # Local prices name snapshot products: a key that no database can check
    # (db_constraint=False). DO_NOTHING: on_delete runs on the database of
    # the deleted row, and the products' one is read-only anyway.
    product = models.ForeignKey(Product, models.DO_NOTHING, db_constraint=False, related_name="prices")
    amount = models.DecimalField(max_digits=8, decimal_places=2)

    def __str__(self):
        return f"{self.product_id}: {self.amount}"
