"""One model whose table every test database has (rows on the second alias
are read and written with raw SQL: that alias has no queryset in 0001)."""
from django.db import models


class Gadget(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        db_table = "multidb_testfw_gadget"
