"""Routers of the primary/replicas example.

``PrimaryReplicaRouter`` is the pattern: every write goes to the primary,
every read to one of the replicas, in turn. Replicas lag: a row written on
the primary reaches them only when replication (here ``manage.py
replicate``) has run, so a read right after a write may not see it.

``ReadYourWritesRouter`` is the recipe for that: once a thread has written,
its reads go to the primary for ``REPLICATION_PIN_SECONDS`` (the lag you
expect at worst), then back to the replicas. Other threads are not pinned:
they may still read the old rows until replication catches up. A read that
must see a given write can also say so itself, with ``using(PRIMARY)``.
"""
import itertools
import threading
import time

from django.conf import settings


class PrimaryReplicaRouter:
    def __init__(self):
        self.primary = settings.PRIMARY
        self.replicas = list(settings.REPLICAS)
        # Round robin, so the demo's output is the same on every run;
        # next() on an itertools.cycle is atomic under the GIL, so threads
        # may share it (random.choice() would do as well).
        self._turns = itertools.cycle(self.replicas)

    def db_for_read(self, model, **hints):
        # Objects reached from an instance (order.product, product.orders)
        # are read on the replica the instance came from, so one page shows
        # one replica's state of the data, not a mix of two.
        instance = hints.get("instance")
        if instance is not None and instance._state.db in self.replicas:
            return instance._state.db
        return next(self._turns)

    def db_for_write(self, model, **hints):
        return self.primary

    def allow_relation(self, obj1, obj2, **hints):
        # The primary and its replicas hold the same rows: an order read
        # from a replica may point at a product read from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Every table on every database: the replicas are copies.
        return True


class ReadYourWritesRouter(PrimaryReplicaRouter):
    def __init__(self, pin_seconds=None):
        super().__init__()
        if pin_seconds is None:
            pin_seconds = getattr(settings, "REPLICATION_PIN_SECONDS", 5.0)
        self.pin_seconds = pin_seconds
        # Per thread: in a web application one thread serves one request at
        # a time. To follow a user across requests (and processes), keep the
        # time of the last write in the session or a cookie instead.
        self._local = threading.local()

    def db_for_write(self, model, **hints):
        # Asked before every write (save(), create(), update(), delete()...),
        # which is the moment a replica starts to lag behind this thread.
        self._local.pinned_until = time.monotonic() + self.pin_seconds
        return super().db_for_write(model, **hints)

    def db_for_read(self, model, **hints):
        if time.monotonic() < getattr(self._local, "pinned_until", 0.0):
            return self.primary
        return super().db_for_read(model, **hints)
