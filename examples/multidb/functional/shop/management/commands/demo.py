"""``manage.py demo``: three databases, one application each, and what went where."""
import io
import os

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections, transaction
from django.db.models.sql.db_checks import CrossDatabaseJoinError

from inventory.legacy_schema import create_legacy_database
from inventory.models import Item
from shop.models import Order


class OutOfStock(Exception):
    pass


def place_order(user, item_code, quantity):
    """Take the stock on ``legacy`` and write the order on ``default``.

    Two databases are two transactions: one atomic block per database, nested,
    so that an error in either rolls both back. (Were the process to die
    between the two commits, the stock would be taken without an order: the
    usual limit of writing to two databases without two-phase commit.)
    """
    with transaction.atomic(using="legacy"), transaction.atomic(using="default"):
        # select_for_update() is a write: the router sends it to 'legacy'.
        item = Item.objects.select_for_update().get(pk=item_code)
        if item.qty_on_hand < quantity:
            raise OutOfStock(f"{item_code}: {item.qty_on_hand} on hand, {quantity} asked")
        item.qty_on_hand -= quantity
        item.save(update_fields=["qty_on_hand"])
        return Order.objects.create(customer=user, item=item, quantity=quantity)


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
    help = "Create the three databases, load sample data and print what went where."

    def handle(self, *args, **options):
        out = self.stdout.write

        out("== The legacy database, made by 'another program' (plain SQL) ==")
        create_legacy_database(connections["legacy"])
        generated = io.StringIO()
        call_command("inspectdb", database="legacy", stdout=generated)
        path = os.path.join(settings.DATA_DIR, "legacy_models_generated.py")
        with open(path, "w") as f:
            f.write(generated.getvalue())
        classes = [line.split("(")[0][6:] for line in generated.getvalue().splitlines() if line.startswith("class ")]
        out(f"inspectdb --database=legacy: {', '.join(classes)} "
            f"({generated.getvalue().count('        managed = False')} with managed = False), "
            f"written to {os.path.basename(path)}; inventory/models.py holds them, renamed")

        out("== syncdb --database=<alias>, for each alias ==")
        for alias in settings.DATABASES:
            before = set(connections[alias].introspection.table_names())
            call_command("syncdb", database=alias, verbosity=0, interactive=False)
            created = sorted(set(connections[alias].introspection.table_names()) - before)
            out(f"{alias}: created {', '.join(created) or 'nothing'}")

        # Start from a clean slate so the demo can run again and again (the
        # legacy tables were just recreated).
        Order.objects.all().delete()
        User.objects.filter(username__in=["ada", "grace"]).delete()

        out("== Sample data ==")
        # create_user() saves through the router: auth lives on 'users'.
        ada = User.objects.create_user("ada", "ada@example.com", "analytical-engine")
        grace = User.objects.create_user("grace", "grace@example.com", "cobol")
        out(f"users created on {ada._state.db!r}")
        for user, code, quantity in [(ada, "GEAR-01", 12), (grace, "CARD-100", 5), (ada, "MANUAL", 1)]:
            order = place_order(user, code, quantity)
            out(f"order {order.pk} on {order._state.db!r}: {quantity} x {code} for {user.username}")
        try:
            place_order(grace, "MANUAL", 3)
        except OutOfStock as exc:
            out(f"refused, nothing written on either database: {exc}")

        out("== What went where (table -> rows) ==")
        for alias in settings.DATABASES:
            counts = table_counts(alias)
            out(f"{alias}:")
            for table, rows in counts.items():
                out(f"  {table} -> {rows}")

        out("== Reads, each on its database ==")
        # One query per database: the orders on default, then their customers
        # on users and their items on legacy (prefetch, no join).
        for order in Order.objects.prefetch_related("customer", "item__sup"):
            supplier = order.item.sup.sup_name if order.item.sup else "no supplier"
            out(f"  {order.customer.username} ({order.customer._state.db}) ordered "
                f"{order.quantity} x {order.item.descr} ({order.item._state.db}; {supplier}), "
                f"{order.item.qty_on_hand} left")
        out(f"ada's orders, read from her side: {[str(o) for o in ada.orders.all()]}")
        out("ada logs in on 'users': %s" % bool(authenticate(username="ada", password="analytical-engine")))
        out(f"permissions on 'users': {Permission.objects.count()}; on 'default': "
            f"{'auth_permission' in connections['default'].introspection.table_names()}")
        try:
            list(Order.objects.select_related("customer"))
        except CrossDatabaseJoinError as exc:
            out(f"select_related('customer') is refused (a join across databases): {type(exc).__name__}")
        self.stdout.write(self.style.SUCCESS("Demo finished."))
