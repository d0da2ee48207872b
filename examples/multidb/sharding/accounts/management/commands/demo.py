"""``manage.py demo``: accounts spread over two shards by username.

Creates the databases, writes the sample accounts and orders (each lands on
its key's shard), then prints what went where, reads with the key, reads
without it (fanned out over every shard and merged), and what is refused.
"""
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections
from django.db.models import Count, Sum

from accounts.models import Account, Order
from shardsite.routers import on_every_shard, shard_for

SAMPLE = [
    ("ada", "Ada Lovelace", "GB", [("Loom cards", "12.00"), ("Brass gears", "30.00")]),
    ("alan", "Alan Turing", "GB", [("Bombe rotor", "80.00"), ("Chess set", "22.00"), ("Tape", "5.00")]),
    ("edsger", "Edsger Dijkstra", "NL", [("Fountain pen", "45.00")]),
    ("grace", "Grace Hopper", "US", [("Nanosecond wire", "2.50"), ("Compiler manual", "35.00")]),
    ("linus", "Linus Torvalds", "FI", [("Penguin", "15.00")]),
    ("margaret", "Margaret Hamilton", "US", [("Rope memory", "120.00"), ("Listing paper", "8.00")]),
]


def table_counts(alias):
    """'table=rows ...' for every table of the database ``alias``."""
    connection = connections[alias]
    counts = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute("SELECT COUNT(*) FROM %s" % connection.ops.quote_name(table))
            counts.append(f"{table}={cursor.fetchone()[0]}")
    return " ".join(counts) or "(no tables)"


class Command(BaseCommand):
    help = "Run the sharding demo and print what went where."

    def handle(self, *args, **options):
        out = self.stdout.write
        aliases = ["default"] + settings.SHARDS

        def show_databases():
            for alias in aliases:
                out(f"  {alias:<8} {table_counts(alias)}")

        out("== 1. Create every database: the routers put the sharded tables on the shards only")
        for alias in aliases:
            call_command("syncdb", database=alias, verbosity=0, interactive=False)
            # Start from empty databases, so the demo can run again and again.
            call_command("flush", database=alias, interactive=False, verbosity=0)
        show_databases()

        out("== 2. Writes find their shard: the router reads the key from the instance")
        for username, name, country, orders in SAMPLE:
            account = Account(username=username, name=name, country=country)
            account.save()  # db_for_write(Account, instance=account)
            for item, amount in orders:
                # db_for_write(Order, instance=account): the manager's instance.
                account.orders.create(item=item, amount=Decimal(amount))
            out(f"  {username:<8} -> {account._state.db} (shard_for('{username}') = "
                f"{shard_for(username)}), orders: {len(orders)}")
        show_databases()

        out("== 3. Reads with the key: using(shard_for(key))")
        grace = Account.objects.using(shard_for("grace")).get(username="grace")
        out(f"  grace: {grace.name}, {grace.country} (read on {grace._state.db})")
        items = ", ".join(order.item for order in grace.orders.all())
        out(f"  her orders: {items} (read on {grace.orders.db}, the shard of the account)")
        order = Order.objects.using(shard_for("ada")).filter(account="ada").first()
        out(f"  order {order.item!r}: its account {order.account.name} read on {order.account._state.db}")

        out("== 4. Reads without the key: the router is not told the key, so ask every shard")
        try:
            Account.objects.get(username="ada")
        except DatabaseError as exc:
            out(f"  Account.objects.get(username='ada') -> {type(exc).__name__}: "
                f"the read went to default, which has no accounts table")
        found = []
        for alias, accounts in on_every_shard(Account.objects.filter(country="GB")):
            found += [f"{account.username} ({alias})" for account in accounts]
        out(f"  accounts in GB, merged: {', '.join(sorted(found))}")
        counts = {alias: accounts.count() for alias, accounts in on_every_shard(Account.objects.all())}
        out(f"  accounts: {sum(counts.values())} = "
            + " + ".join(f"{n} on {alias}" for alias, n in counts.items()))
        # Each shard's top 3 together hold the global top 3: merge, re-sort, re-cut.
        tops = []
        for alias, orders in on_every_shard(Order.objects.order_by("-amount")[:3]):
            tops += list(orders)
        tops = sorted(tops, key=lambda order: order.amount, reverse=True)[:3]
        out("  top 3 orders: " + ", ".join(
            f"{order.item} {order.amount} ({order.account_id}, {order._state.db})" for order in tops))
        # An average from the merged sums and counts; the mean of the shards'
        # averages weighs a shard of 5 orders like a shard of 6.
        totals = [orders.aggregate(n=Count("id"), total=Sum("amount"))
                  for _, orders in on_every_shard(Order.objects.all())]
        n = sum(t["n"] for t in totals)
        total = sum(t["total"] for t in totals)
        mean_of_means = sum(t["total"] / t["n"] for t in totals) / len(totals)
        out(f"  orders: {n}, total {total:.2f}, average {total / n:.2f} "
            f"(not the mean of the shards' averages, {mean_of_means:.2f})")

        out("== 5. What the routers refuse")
        try:
            Account.objects.create(username="barbara", name="Barbara Liskov", country="US")
        except DatabaseError as exc:
            out(f"  Account.objects.create(...) -> {type(exc).__name__}: the router got no "
                f"instance, so no key: the write went to default, which has no accounts table")
        ada = Account.objects.using(shard_for("ada")).get(username="ada")
        tape = Order.objects.using(shard_for("alan")).get(item="Tape")
        try:
            tape.account = ada
        except ValueError as exc:
            out(f"  an order of {tape._state.db} given an account of {ada._state.db} -> ValueError: {exc}")
        show_databases()
        self.stdout.write(self.style.SUCCESS("Demo finished."))
