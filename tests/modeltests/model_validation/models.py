from django.core.exceptions import ValidationError
from django.db import models


class Product(models.Model):
    sku = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=10)
    price = models.DecimalField(max_digits=6, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=1, choices=[("a", "A"), ("b", "B")], default="a")

    def clean(self):
        if self.name == "forbidden":
            raise ValidationError("That name is forbidden.")


class Shelf(models.Model):
    room = models.CharField(max_length=10)
    number = models.IntegerField()
    low = models.IntegerField(default=0)
    high = models.IntegerField(default=10)
    label = models.CharField(max_length=10, null=True, blank=True)

    class Meta:
        unique_together = [("room", "number")]
        constraints = [
            models.CheckConstraint(check=models.Q(low__lte=models.F("high")), name="shelf_low_lte_high"),
            models.CheckConstraint(check=models.Q(number__gte=0), name="shelf_number_gte_0",
                                   violation_error_message="Shelf numbers start at zero."),
            models.UniqueConstraint(fields=["label"], name="shelf_label_uniq"),
        ]
