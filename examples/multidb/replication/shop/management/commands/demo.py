"""``manage.py demo``: a primary, two replicas, and the replication lag.

Creates the three databases, loads the sample data on the primary, copies it
to the replicas, then prints where each read and write went, what a read
right after a write sees, and the two recipes for it.
"""
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django.test.utils import override_settings

from replicasite.routers import ReadYourWritesRouter
from shop.models import Order, Product

PIN_SECONDS = 1.0


def routed(queryset):
    """The queryset fixed on the database the routers pick for it now.

    ``queryset.db`` asks the routers (and moves the round robin on); fixing
    that answer with using() lets the demo print where the read really ran.
    """
    return queryset.using(queryset.db)


def table_counts(alias):
    """'table=rows ...' for every table of the database ``alias``."""
    connection = connections[alias]
    counts = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute("SELECT COUNT(*) FROM %s" % connection.ops.quote_name(table))
            counts.append(f"{table}={cursor.fetchone()[0]}")
    return " ".join(counts)


class Command(BaseCommand):
    help = "Run the primary/replicas demo and print what went where."

    def handle(self, *args, **options):
        out = self.stdout.write
        aliases = [settings.PRIMARY] + settings.REPLICAS

        def show_databases():
            for alias in aliases:
                out(f"  {alias:<9} {table_counts(alias)}")

        def exists(label, queryset):
            queryset = routed(queryset)
            out(f"  {label} -> {queryset.exists()} (read on {queryset.db})")

        out("== 1. Create every database, load the primary, replicate")
        for alias in aliases:
            call_command("syncdb", database=alias, verbosity=0, interactive=False)
            # Start from empty databases, so the demo can run again and again.
            call_command("flush", database=alias, interactive=False, verbosity=0)
        call_command("loaddata", "shop_sample", database=settings.PRIMARY, verbosity=0)
        call_command("replicate", stdout=self.stdout)
        show_databases()

        out("== 2. Reads go to the replicas in turn, writes to the primary")
        products = routed(Product.objects.all())
        out(f"  products: {', '.join(p.name for p in products)} (read on {products.db})")
        adas = routed(Order.objects.filter(customer="ada"))
        out(f"  ada's orders: {adas.count()} (read on {adas.db})")
        order = Order.objects.get(pk=3)
        out(f"  order 3 read on {order._state.db}; its product, {order.product.name}, "
            f"read on {order.product._state.db} too")

        out("== 3. The lag: a read right after a write")
        order.quantity = 6
        order.save()
        out(f"  order 3 saved with quantity 6 on {order._state.db}")
        stale = Order.objects.get(pk=3)
        out(f"  order 3 read back: quantity {stale.quantity} (read on {stale._state.db})")
        new = Order(product=Product.objects.using(settings.PRIMARY).get(name="Teapot"),
                    quantity=2, customer="linus")
        new.save()
        out(f"  order {new.pk} for linus written on {new._state.db}")
        exists(f"order {new.pk} exists", Order.objects.filter(pk=new.pk))
        exists(f"order {new.pk} exists", Order.objects.filter(pk=new.pk))
        out("  (the replicas do not have it yet)")
        show_databases()

        out("== 4. Recipe: read where the write went")
        exists(f"using('{settings.PRIMARY}'): order {new.pk} exists",
               Order.objects.using(settings.PRIMARY).filter(pk=new.pk))

        out("== 5. Recipe: ReadYourWritesRouter pins a writer's reads to the primary")
        # A project names the recipe in DATABASE_ROUTERS; the demo swaps it in
        # for this part only, to show both routers in one run, with a short
        # pin so that it can show the pin ending too.
        with override_settings(DATABASE_ROUTERS=[ReadYourWritesRouter(pin_seconds=PIN_SECONDS)]):
            pinned = Order(product=new.product, quantity=1, customer="grace")
            pinned.save()
            out(f"  order {pinned.pk} for grace written on {pinned._state.db}")
            exists(f"this thread: order {pinned.pk} exists", Order.objects.filter(pk=pinned.pk))
            # Another thread stands for another request or user: not pinned.
            other = threading.Thread(target=exists, args=(
                f"another thread: order {pinned.pk} exists", Order.objects.filter(pk=pinned.pk)))
            other.start()
            other.join()
            # Once the pin ends, this thread reads the replicas again: the pin
            # must outlast the worst lag, or the lag shows through.
            time.sleep(PIN_SECONDS)
            exists(f"{PIN_SECONDS} s later, this thread: order {pinned.pk} exists",
                   Order.objects.filter(pk=pinned.pk))

        out("== 6. Replication catches up")
        call_command("replicate", stdout=self.stdout)
        exists(f"order {pinned.pk} exists", Order.objects.filter(pk=pinned.pk))
        out(f"  order 3 now has quantity {routed(Order.objects.filter(pk=3)).get().quantity}")
        show_databases()
        self.stdout.write(self.style.SUCCESS("Demo finished."))
