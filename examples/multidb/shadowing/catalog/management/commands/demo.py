"""``manage.py demo``: a local database shadowing some tables of a read-only snapshot."""
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections
from django.db.models import F
from django.db.models.sql.db_checks import CrossDatabaseJoinError

from catalog.models import Category, Price, Product

SHADOWED = [Category, Price]


def table_counts(alias):
    """``table -> row count`` of every table of the database ``alias``."""
    connection = connections[alias]
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            # Table names come from the database itself, quoted: no user input.
            cursor.execute("SELECT COUNT(*) FROM " + connection.ops.quote_name(table))
            counts[table] = cursor.fetchone()[0]
    return counts


class Command(BaseCommand):
    help = "Build a snapshot, shadow two of its tables locally, and print what is read from where."

    def handle(self, *args, **options):
        out = self.stdout.write

        out("== The snapshot (last night's restore, played through 'snapshot_build') ==")
        call_command("syncdb", database="snapshot_build", verbosity=0, interactive=False)
        call_command("flush", database="snapshot_build", verbosity=0, interactive=False)
        call_command("loaddata", "catalog_snapshot", database="snapshot_build", verbosity=0)
        out("snapshot: " + ", ".join(f"{t} -> {n}" for t, n in table_counts("snapshot").items()))

        out("== syncdb --database=default: the shadowing tables only ==")
        call_command("syncdb", database="default", verbosity=0, interactive=False)
        out("default: " + ", ".join(connections["default"].introspection.table_names()))

        out("== Shadowing: copy the snapshot's rows of the shadowed tables ==")
        # dumpdata reads the snapshot, loaddata writes the local copy. The
        # local tables are emptied first (so that the demo can run again) by
        # flush, which empties the tables the router places on 'default'.
        # Category.objects.all().delete() would not do: the deletion
        # collector looks for the products that PROTECT a category on
        # 'default', where there is no product table.
        path = os.path.join(settings.DATA_DIR, "shadowed.json")
        labels = [model._meta.label for model in SHADOWED]
        call_command("dumpdata", *labels, database="snapshot", output=path, verbosity=0)
        call_command("flush", database="default", verbosity=0, interactive=False)
        call_command("loaddata", path, database="default", verbosity=0)
        out("default: " + ", ".join(f"{t} -> {n}" for t, n in table_counts("default").items()))

        out("== Local changes, routed to 'default' (no using()) ==")
        Category.objects.filter(name="Tea").update(name="Tea & infusions")
        green_tea = Product.objects.get(sku="TEA-GREEN")  # read from the snapshot
        Price.objects.filter(product=green_tea).update(amount=F("amount") - 1)  # no join: the key
        earl_grey = Product.objects.get(sku="TEA-EARL")
        earl_grey.prices.update(amount="5.95")  # a related manager follows the router: local
        out("renamed Tea, lowered two prices")

        out("== Reads: products from the snapshot, their category and price from default ==")
        for product in Product.objects.all():
            category = product.category  # the router sends Category's reads to default
            price = product.prices.get()
            original = Price.objects.using("snapshot").get(pk=price.pk)
            original_category = Category.objects.using("snapshot").get(pk=category.pk)
            out(f"  {product.sku} ({product._state.db}): {product.name}, "
                f"{category.name} ({category._state.db}; snapshot: {original_category.name}), "
                f"{price.amount} ({price._state.db}; snapshot: {original.amount})")

        out("== What went where (table -> rows) ==")
        for alias in ("default", "snapshot"):
            out(f"{alias}: " + ", ".join(f"{t} -> {n}" for t, n in table_counts(alias).items()))

        out("== The snapshot refuses writes ==")
        try:
            Product.objects.filter(sku="COF-BEANS").update(name="Decaf")  # routed to snapshot
        except DatabaseError as exc:
            out(f"routed update of a product: refused by the database ({type(exc).__name__}: {exc})")
        try:
            Price.objects.using("snapshot").filter(pk=1).update(amount=0)
        except DatabaseError as exc:
            out(f"using('snapshot') update of a price: refused by the database ({type(exc).__name__}: {exc})")

        out("== Joins run on one database ==")
        try:
            list(Price.objects.filter(product__sku__startswith="TEA"))
        except CrossDatabaseJoinError as exc:
            out(f"prices of the TEA products in one query: refused ({type(exc).__name__}); in two queries: "
                + ", ".join(str(p.amount) for p in Price.objects.filter(
                    product__in=list(Product.objects.filter(sku__startswith="TEA").values_list("pk", flat=True))
                ).order_by("product_id")))
        # A snapshot query joining a shadowed table reads the snapshot's copy
        # of it: the local rename is invisible to the join.
        joined = Product.objects.filter(category__name="Tea & infusions").count()
        in_two = Product.objects.filter(
            category__in=list(Category.objects.filter(name="Tea & infusions").values_list("pk", flat=True))
        ).count()
        out(f"products in 'Tea & infusions': {joined} by a join (the snapshot's categories), "
            f"{in_two} in two queries (the local ones)")
        self.stdout.write(self.style.SUCCESS("Demo finished."))
