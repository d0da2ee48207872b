"""The deletion collector: cascades, protection, updates, signals, counts."""
from unittest import mock

from django.db import connection, models
from django.db.models import signals
from django.test import TestCase

from .models import Guard, Item, Label, Node, Owner, Part, Peer, ProxyOwner, Restricted


class CascadeTests(TestCase):
    def setUp(self):
        self.owner = Owner.objects.create(name="o")
        self.other = Owner.objects.create(name="other")

    def test_cascade_counts(self):
        item = Item.objects.create(name="i", owner=self.owner)
        Part.objects.create(item=item)
        Part.objects.create(item=item)
        Item.objects.create(name="j", owner=self.other)
        deleted = self.owner.delete()
        self.assertEqual(deleted, (4, {
            "rel_delete.Part": 2, "rel_delete.Item": 1, "rel_delete.Owner": 1,
        }))
        self.assertEqual(Item.objects.count(), 1)
        self.assertIsNone(self.owner.pk)

    def test_m2m_rows_deleted(self):
        item = Item.objects.create(name="i", owner=self.owner)
        part = Part.objects.create(item=item)
        label = Label.objects.create(text="x")
        part.tags.add(label)
        deleted = label.delete()
        self.assertEqual(deleted, (2, {"rel_delete.Part_tags": 1, "rel_delete.Label": 1}))
        self.assertEqual(Part.objects.count(), 1)

    def test_queryset_delete_cascades(self):
        Item.objects.create(name="i", owner=self.owner)
        Item.objects.create(name="k", owner=self.other)
        deleted = Owner.objects.all().delete()
        self.assertEqual(deleted, (4, {"rel_delete.Item": 2, "rel_delete.Owner": 2}))

    def test_fast_delete_uses_few_queries(self):
        for i in range(5):
            Item.objects.create(name=str(i), owner=self.owner)
        items = Item.objects.filter(owner=self.owner)
        # Item rows are fetched (Parts/Restricted hang off them), then one
        # DELETE per related table and one for the items.
        with self.assertNumQueries(4):
            items.delete()
        # A table nothing points at, with no signal receivers: one query.
        Label.objects.create(text="a")
        Label.objects.create(text="b")
        # Rows of the m2m table point at labels: fetch, then two DELETEs.
        with self.assertNumQueries(3):
            self.assertEqual(Label.objects.all().delete()[0], 2)


class OnDeleteTests(TestCase):
    def setUp(self):
        self.owner = Owner.objects.create(name="o")

    def test_protect(self):
        item = Item.objects.create(name="i", owner=self.other_owner(), protected=self.owner)
        with self.assertRaises(models.ProtectedError) as cm:
            self.owner.delete()
        self.assertIn("'Item.protected'", str(cm.exception))
        self.assertEqual(cm.exception.protected_objects, {item})
        self.assertEqual(Owner.objects.count(), 2)
        self.assertEqual(Item.objects.count(), 1)

    def other_owner(self):
        return Owner.objects.create(name="x")

    def test_set_null(self):
        item = Item.objects.create(name="i", owner=self.other_owner(), set_null=self.owner)
        self.owner.delete()
        item.refresh_from_db()
        self.assertIsNone(item.set_null_id)

    def test_set_default_and_set(self):
        item = Item.objects.create(name="i", owner=self.other_owner(), set_default=self.owner, set_value=self.owner)
        self.owner.delete()
        item.refresh_from_db()
        self.assertIsNone(item.set_default_id)
        self.assertEqual(item.set_value.name, "default")

    def test_do_nothing(self):
        item = Item.objects.create(name="i", owner=self.other_owner(), do_nothing=self.owner)
        pk = self.owner.pk
        self.owner.delete()
        item.refresh_from_db()
        self.assertEqual(item.do_nothing_id, pk)

    def test_restrict(self):
        Restricted.objects.create(owner=self.owner)
        with self.assertRaises(models.RestrictedError) as cm:
            self.owner.delete()
        self.assertIn("'Restricted.owner'", str(cm.exception))
        self.assertEqual(Owner.objects.filter(pk=self.owner.pk).count(), 1)

    def test_restrict_allowed_when_cascaded_elsewhere(self):
        item = Item.objects.create(name="i", owner=self.owner)
        Restricted.objects.create(owner=self.owner, item=item)
        deleted, per_model = self.owner.delete()
        self.assertEqual(per_model["rel_delete.Restricted"], 1)

    def test_cycle(self):
        n = Node.objects.create(name="n")
        p = Peer.objects.create(node=n)
        n.peer = p
        n.save()
        deleted = n.delete()
        self.assertEqual(deleted[0], 2)
        self.assertEqual((Node.objects.count(), Peer.objects.count()), (0, 0))


class SignalTests(TestCase):
    def test_signals_for_every_object(self):
        owner = Owner.objects.create(name="o")
        Item.objects.create(name="a", owner=owner)
        Item.objects.create(name="b", owner=owner)
        seen = []

        def pre(sender, instance, origin, **kwargs):
            seen.append(("pre", sender.__name__, instance.pk is not None, origin))

        def post(sender, instance, **kwargs):
            seen.append(("post", sender.__name__))

        signals.pre_delete.connect(pre, sender=Item)
        signals.post_delete.connect(post, sender=Item)
        try:
            owner.delete()
        finally:
            signals.pre_delete.disconnect(pre, sender=Item)
            signals.post_delete.disconnect(post, sender=Item)
        self.assertEqual(seen, [
            ("pre", "Item", True, owner), ("pre", "Item", True, owner),
            ("post", "Item"), ("post", "Item"),
        ])


class ReceiverScope:
    """Connect ``receiver`` to ``signal`` for ``sender`` within a with block."""

    def __init__(self, signal, receiver, sender):
        self.signal, self.receiver, self.sender = signal, receiver, sender

    def __enter__(self):
        self.signal.connect(self.receiver, sender=self.sender)

    def __exit__(self, *exc):
        self.signal.disconnect(self.receiver, sender=self.sender)


class CollectorTests(TestCase):
    def setUp(self):
        self.owner = Owner.objects.create(name="o")

    def test_refusal_lists_every_protecting_relation(self):
        item = Item.objects.create(name="i", owner=Owner.objects.create(name="x"), protected=self.owner)
        guard = Guard.objects.create(owner=self.owner)
        with self.assertRaises(models.ProtectedError) as cm:
            self.owner.delete()
        message = str(cm.exception)
        self.assertIn("model 'Owner'", message)
        self.assertIn("'Item.protected'", message)
        self.assertIn("'Guard.owner'", message)
        self.assertEqual(cm.exception.protected_objects, {item, guard})
        self.assertTrue(Owner.objects.filter(pk=self.owner.pk).exists())

    def test_protected_rows_behind_a_cascade_refuse_too(self):
        # Owner -> Item (CASCADE) -> nothing protected; Owner <- Guard (PROTECT).
        Item.objects.create(name="i", owner=self.owner)
        Guard.objects.create(owner=self.owner)
        with self.assertRaises(models.ProtectedError):
            Owner.objects.all().delete()
        self.assertEqual(Item.objects.count(), 1)

    def test_filter_delete_without_dependents_is_one_statement(self):
        for name in "abc":
            Restricted.objects.create(owner=self.owner)
        with self.assertNumQueries(1):
            self.assertEqual(Restricted.objects.all().delete(), (3, {"rel_delete.Restricted": 3}))

    def test_empty_queryset_delete(self):
        with self.assertNumQueries(1):
            self.assertEqual(Restricted.objects.filter(pk=-1).delete(), (0, {}))

    def test_instance_without_dependents_is_one_statement(self):
        row = Restricted.objects.create(owner=self.owner)
        with self.assertNumQueries(1):
            self.assertEqual(row.delete(), (1, {"rel_delete.Restricted": 1}))
        self.assertIsNone(row.pk)

    def test_pre_delete_runs_before_any_statement(self):
        Item.objects.create(name="i", owner=self.owner)
        seen = []

        def pre(sender, instance, **kwargs):
            seen.append(("pre", Owner.objects.filter(pk=self.owner.pk).exists(),
                         Item.objects.filter(pk=instance.pk).exists()))

        def post(sender, instance, **kwargs):
            seen.append(("post", Item.objects.filter(pk=instance.pk).exists()))

        with ReceiverScope(signals.pre_delete, pre, Item), ReceiverScope(signals.post_delete, post, Item):
            self.owner.delete()
        self.assertEqual(seen, [("pre", True, True), ("post", False)])

    def test_queryset_is_the_origin(self):
        Item.objects.create(name="i", owner=self.owner)
        origins = []

        def pre(sender, origin, **kwargs):
            origins.append(origin)

        doomed = Owner.objects.filter(pk=self.owner.pk)
        with ReceiverScope(signals.pre_delete, pre, Item):
            doomed.delete()
        self.assertEqual(origins, [doomed])

    def test_set_callable_runs_only_when_rows_point_here(self):
        self.owner.delete()
        self.assertFalse(Owner.objects.filter(name="default").exists())

    def test_batches_of_the_backend_size(self):
        items = [Item.objects.create(name=str(i), owner=self.owner) for i in range(5)]
        for item in items:
            Part.objects.create(item=item)
        with mock.patch.object(connection.ops, "bulk_batch_size", return_value=2):
            deleted = self.owner.delete()
        self.assertEqual(deleted, (11, {
            "rel_delete.Part": 5, "rel_delete.Item": 5, "rel_delete.Owner": 1,
        }))
        self.assertEqual((Item.objects.count(), Part.objects.count()), (0, 0))

    def test_restrict_allowed_when_fetched_through_cascade(self):
        # A receiver forces Restricted rows to be fetched and collected (no
        # bulk DELETE): the RESTRICT check must find them among those.
        item = Item.objects.create(name="i", owner=self.owner)
        Restricted.objects.create(owner=self.owner, item=item)
        deleted = []

        def post(sender, instance, **kwargs):
            deleted.append(instance)

        with ReceiverScope(signals.post_delete, post, Restricted):
            self.assertEqual(self.owner.delete()[1]["rel_delete.Restricted"], 1)
        self.assertEqual(len(deleted), 1)

    def test_restricted_error_lists_rows(self):
        kept = Restricted.objects.create(owner=self.owner)
        with self.assertRaises(models.RestrictedError) as cm:
            Owner.objects.all().delete()
        self.assertEqual(cm.exception.restricted_objects, {kept})
        self.assertIn("model 'Owner'", str(cm.exception))

    def test_delete_through_a_proxy_cascades(self):
        Item.objects.create(name="i", owner=self.owner)
        proxy = ProxyOwner.objects.get(pk=self.owner.pk)
        total, per_model = proxy.delete()
        self.assertEqual(total, 2)
        self.assertEqual(per_model["rel_delete.Item"], 1)
        self.assertFalse(Owner.objects.filter(pk=self.owner.pk).exists())

    def test_cycle_through_set_null_on_the_database(self):
        # Node <- Peer (CASCADE) and Peer <- Node (SET_NULL): the UPDATE runs
        # first, then Peer, then Node, so every constraint holds.
        nodes = [Node.objects.create(name=str(i)) for i in range(3)]
        for node in nodes:
            node.peer = Peer.objects.create(node=node)
            node.save()
        total, per_model = Node.objects.all().delete()
        self.assertEqual(per_model, {"rel_delete.Peer": 3, "rel_delete.Node": 3})


class CollectorAPITests(TestCase):
    def test_an_object_collected_twice_is_deleted_once(self):
        from django.db.models.deletion import Collector

        owner = Owner.objects.create(name="o")
        collector = Collector("default")
        collector.collect([owner])
        collector.collect([Owner.objects.get(pk=owner.pk)])
        self.assertEqual(collector.delete(), (1, {"rel_delete.Owner": 1}))

    def test_can_fast_delete(self):
        from django.db.models.deletion import Collector

        collector = Collector("default")
        self.assertTrue(collector.can_fast_delete(Restricted))
        self.assertTrue(collector.can_fast_delete(Restricted.objects.all()))
        self.assertFalse(collector.can_fast_delete(Owner))
        self.assertFalse(collector.can_fast_delete([Restricted(pk=1)]))
        # Rows reached through a non-cascading key are updated, not deleted.
        self.assertFalse(collector.can_fast_delete(Restricted, from_field=Restricted._meta.get_field("owner")))
        self.assertTrue(collector.can_fast_delete(Restricted, from_field=Restricted._meta.get_field("item")))

    def test_do_nothing_and_set_deconstruct(self):
        self.assertIsNone(models.DO_NOTHING(None, None, [], None))
        handler = models.SET(42)
        self.assertEqual(handler.deconstruct(), ("django.db.models.SET", (42,), {}))
        self.assertTrue(handler.lazy_sub_objs)
        self.assertFalse(models.SET(lambda: 42).lazy_sub_objs)
