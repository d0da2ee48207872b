"""``manage.py demo``: three databases, one application each, and what went where."""
import io
import os
import re

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections, transaction
from django.db.models import F
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
        # One UPDATE takes the stock if there is enough; the router sends it
        # to 'legacy'.
        taken = Item.objects.filter(pk=item_code, qty_on_hand__gte=quantity).update(
            qty_on_hand=F("qty_on_hand") - quantity
        )
        if not taken:
            raise OutOfStock(f"{item_code}: fewer than {quantity} on hand")
        return Order.objects.create(customer=user, item_id=item_code, quantity=quantity)


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
        classes = re.findall(r"^class (\w+)\(", generated.getvalue(), re.M)
        unmanaged = len(re.findall(r"^        managed = False$", generated.getvalue(), re.M))
        out(f"inspectdb --database=legacy: {', '.join(classes)} ({unmanaged} with managed = False), "
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
        try:
            # The stock is taken on 'legacy', then the order is refused (a
            # PositiveIntegerField): both blocks roll back.
            place_order(grace, "GEAR-01", -1)
        except DatabaseError as exc:
            out(f"an order for -1 was refused after 'legacy' took the stock ({exc}): "
                f"both rolled back, GEAR-01 has {Item.objects.get(pk='GEAR-01').qty_on_hand} on hand")

        out("== What went where (table -> rows) ==")
        for alias in settings.DATABASES:
            counts = table_counts(alias)
            out(f"{alias}:")
            for table, rows in counts.items():
                out(f"  {table} -> {rows}")

        out("== Reads, each on its database ==")
        # No join: one query per relation, each on its model's database (the
        # orders on default, their customers on users, items and suppliers
        # on legacy).
        for order in Order.objects.prefetch_related("customer", "item__sup"):
            supplier = order.item.sup.sup_name if order.item.sup else "no supplier"
            out(f"  {order.customer.username} ({order.customer._state.db}) ordered "
                f"{order.quantity} x {order.item.descr} ({order.item._state.db}; {supplier}), "
                f"{order.item.qty_on_hand} left")
        out(f"ada's orders, read from her side: {[str(o) for o in ada.orders.all()]}")
        out("ada logs in on 'users': %s" % bool(authenticate(username="ada", password="analytical-engine")))
        auth_on_default = [t for t in connections["default"].introspection.table_names() if t.startswith("auth_")]
        out(f"permissions on 'users': {Permission.objects.count()}; auth tables on 'default': "
            f"{', '.join(auth_on_default) or 'none'}")
        try:
            list(Order.objects.select_related("customer"))
        except CrossDatabaseJoinError as exc:
            out(f"select_related('customer') is refused (a join across databases): {type(exc).__name__}")
        self.stdout.write(self.style.SUCCESS("Demo finished."))
