"""The legacy inventory, as ``manage.py inspectdb --database=legacy`` wrote it.

Changed by hand, as inspectdb's header asks: the classes are renamed (their
``db_table`` is kept), put in dependency order, and given a ``__str__``.
The field lines are inspectdb's own (the test checks it).
``managed = False``: syncdb never creates, alters or flushes these tables;
the other program owns them. The router sends their queries to ``legacy``.
"""
from django.db import models


class Supplier(models.Model):
    sup_id = models.AutoField(primary_key=True)
    sup_name = models.CharField(max_length=60)

    class Meta:
        managed = False
        db_table = 'inv_supplier'

    def __str__(self):
        return self.sup_name


class Item(models.Model):
    item_code = models.CharField(primary_key=True, max_length=12)
    descr = models.CharField(max_length=80)
    qty_on_hand = models.IntegerField()
    sup = models.ForeignKey('Supplier', models.DO_NOTHING, blank=True, null=True)

    class Meta:
        managed = False
        db_table = 'inv_item'

    def __str__(self):
        return self.item_code
