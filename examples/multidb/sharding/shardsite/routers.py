"""Sharding by key: which shard a key lives on, the router, fan-out reads.

``shard_for(key)`` is the whole placement policy: a stable hash of the key,
modulo the number of shards. Everything else asks it.

Writes find their shard by themselves: ``save()`` and ``delete()`` hand the
router the instance (``hints["instance"]``), and a related manager
(``account.orders.create()``) the instance it hangs from; both carry their
``shard_key``. Reads are different: a queryset gives the router no values
from its filters (``Account.objects.get(username="ada")`` is asked about
with no hints at all), so the router cannot find the shard of a read. Send
a read with the key yourself, ``using(shard_for(key))``; a read without a
key must ask every shard and merge (``on_every_shard()``).
"""
import zlib

from django.conf import settings


def shard_for(key):
    """The alias of the shard that holds ``key``.

    crc32, not hash(): Python salts str hashes per process, and a key must
    land on the same shard in every process, forever.
    """
    return settings.SHARDS[zlib.crc32(str(key).encode("utf-8")) % len(settings.SHARDS)]


def on_every_shard(queryset):
    """The queryset once per shard: [(alias, queryset.using(alias)), ...].

    What a read without the key must do. Each shard answers for its own rows
    only: merge lists, add counts and sums; re-sort what is ordered and
    re-cut what is sliced (each shard's top 3 together hold the global top
    3, not in order); compute an average from the merged sums and counts,
    never as the average of the shards' averages.
    """
    return [(alias, queryset.using(alias)) for alias in settings.SHARDS]


class ShardRouter:
    def _is_sharded(self, model):
        return model._meta.app_label in settings.SHARDED_APPS

    def _shard_of(self, instance):
        # An instance read from a shard belongs to it; a new one goes where
        # its key says.
        if instance._state.db in settings.SHARDS:
            return instance._state.db
        key = getattr(instance, "shard_key", None)
        return None if key is None else shard_for(key)

    def db_for_write(self, model, **hints):
        if not self._is_sharded(model):
            return "default"
        instance = hints.get("instance")
        return None if instance is None else self._shard_of(instance)

    def db_for_read(self, model, **hints):
        if not self._is_sharded(model):
            return "default"
        # No instance, no key: no answer (in db_for_write too). The query
        # then goes to default, which has no sharded tables (allow_migrate),
        # so it fails loudly instead of quietly reading an empty table.
        # Raising here would be clearer but breaks the ORM's own questions
        # without hints: the one-database check of a join asks
        # db_for_read(<joined model>), the system checks db_for_write(model).
        instance = hints.get("instance")
        return None if instance is None else self._shard_of(instance)

    def allow_relation(self, obj1, obj2, **hints):
        # Only within a shard: a foreign key cannot point at another database.
        return obj1._state.db == obj2._state.db

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Sharded tables on every shard and nowhere else, the rest on default.
        if app_label in settings.SHARDED_APPS:
            return db in settings.SHARDS
        return db == "default"
