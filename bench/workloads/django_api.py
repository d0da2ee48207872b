"""Workload bodies written against the Django model API.

Both our ORM and real Django run exactly this code, so the two are
compared on the same calls. Every body touches what it fetched (sums an
attribute) and returns what the child verifies.
"""
from django.db import transaction
from django.db.models import F

import database

# W9's settings name this router by its dotted path (bench/ is on sys.path).
W9_ROUTER = "workloads.django_api.RoundRobinRouter"

MODELS_SOURCE = '''
from django.db import models


class Group(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        app_label = "benchapp"
        db_table = "bench_group"


class Item(models.Model):
    name = models.CharField(max_length=100)
    value = models.IntegerField()
    score = models.FloatField()
    flag = models.BooleanField(default=False)
    %(group_field)s

    class Meta:
        app_label = "benchapp"
        db_table = "bench_item"
'''
FK_FIELD = "group = models.ForeignKey(Group, on_delete=models.CASCADE, db_index=True)"
INT_FIELD = "group_id = models.IntegerField(db_index=True)  # relations not landed"


def write_app(workdir, with_fk):
    """Create the tiny ``benchapp`` package the settings install."""
    import os
    app = os.path.join(workdir, "benchapp")
    os.makedirs(app, exist_ok=True)
    with open(os.path.join(app, "__init__.py"), "w") as fh:
        fh.write("")
    with open(os.path.join(app, "models.py"), "w") as fh:
        fh.write(MODELS_SOURCE % {"group_field": FK_FIELD if with_fk else INT_FIELD})


class RoundRobinRouter:
    """W9's router: spreads the writes round robin over the three databases
    (``database.W9Rotation``: each ``db_for_write`` takes the next one), as
    a router balancing inserts over shards would. Reads, relations and the
    schema are left to the defaults (no opinion).

    Not by the instance: ``Model.objects.create()`` asks the routers for
    its queryset's database before the object exists, so ``db_for_write``
    gets no ``instance`` hint there (Django 6.1 and ours alike; only a
    plain ``save()`` passes one).
    """

    def __init__(self):
        self.rotation = database.W9Rotation()

    def db_for_write(self, model, **hints):
        return self.rotation.next_alias()


def new_item(Item, i):
    return Item(name="item%d" % i, value=i % 1000, score=i * 0.5, flag=i % 2 == 0, group_id=1 + i % 10)


class DjangoAPIWorkloads:
    """Mixin: needs ``self.Item`` (and ``self.Group``) set by the subclass."""

    def before_workload(self):
        pass

    def after_workload(self, failed=False):
        pass

    def w1(self, n):
        create = self.Item.objects.create
        total = 0
        with transaction.atomic():
            for i in range(n):
                obj = create(name="item%d" % i, value=i % 1000, score=i * 0.5,
                             flag=i % 2 == 0, group_id=1 + i % 10)
                total += obj.pk
        return {"sum_pk": total}

    def w1b(self, n):
        # W1 with the foreign key given as an instance, not as an id: the
        # path where a related object is checked and cached on assignment.
        groups = list(self.Group.objects.order_by("pk"))
        create = self.Item.objects.create
        total = 0
        with transaction.atomic():
            for i in range(n):
                obj = create(name="item%d" % i, value=i % 1000, score=i * 0.5,
                             flag=i % 2 == 0, group=groups[i % 10])
                total += obj.pk
        return {"sum_pk": total}

    def w2(self, n):
        objs = [new_item(self.Item, i) for i in range(n)]
        self.Item.objects.bulk_create(objs, batch_size=1000)
        pks = [o.pk for o in objs if o.pk is not None]
        return {"keys": len(pks), "sum_pk": sum(pks)}

    def w3(self, n):
        rows = total = 0
        for obj in self.Item.objects.all():
            rows += 1
            total += obj.value
        return {"rows": rows, "sum": total}

    def w4(self, n):
        rows = total = 0
        for _id, value, _score in self.Item.objects.values_list("id", "value", "score"):
            rows += 1
            total += value
        return {"rows": rows, "sum": total}

    def w5(self, pks):
        get = self.Item.objects.get
        total = 0
        for pk in pks:
            total += get(pk=pk).value
        return {"sum": total}

    def w6(self, names):
        rows = matched = total = 0
        qs = self.Item.objects.select_related("group")
        for name in names:
            for obj in qs.filter(group__name=name):
                rows += 1
                total += obj.value
                matched += obj.group.name == name
        return {"rows": rows, "matched": matched, "sum": total}

    def w7(self):
        return {"rows": self.Item.objects.all().update(value=F("value") + 1)}

    def w8(self):
        deleted, _per_model = self.Item.objects.filter(value__gte=0).delete()
        return {"rows": deleted}

    def w9(self, n):
        # W1 over three databases: the router sends each create() to the
        # next one, each database inside its own atomic block.
        create = self.Item.objects.create
        sums = dict.fromkeys(database.W9_ALIASES, 0)  # per database: sum of returned pks
        first, second, third = database.W9_ALIASES
        with transaction.atomic(using=first), transaction.atomic(using=second), \
                transaction.atomic(using=third):
            for i in range(n):
                obj = create(name="item%d" % i, value=i % 1000, score=i * 0.5,
                             flag=i % 2 == 0, group_id=1 + i % 10)
                sums[obj._state.db] += obj.pk
        return {"sum_pk": sums}

    def w10(self, n):
        rows = total = 0
        for obj in self.Item.objects.all().iterator(chunk_size=2000):
            rows += 1
            total += obj.value
        return {"rows": rows, "sum": total}
