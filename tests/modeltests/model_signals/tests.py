"""Model signals: init, save, delete, lazy senders."""
from django.db.models import signals
from django.test import TestCase

from .models import Car, Plain


class SignalTests(TestCase):
    def setUp(self):
        self.log = []

    def connect(self, signal, sender=Car):
        def receiver(sender, **kwargs):
            kwargs.pop("signal")
            if "kwargs" in kwargs:  # snapshot: __init__ consumes the dict
                kwargs["kwargs"] = dict(kwargs["kwargs"])
            self.log.append((signal, sender, kwargs))

        signal.connect(receiver, sender=sender, weak=False)
        self.addCleanup(signal.disconnect, receiver, sender=sender)
        return receiver

    def test_init_signals(self):
        self.connect(signals.pre_init)
        self.connect(signals.post_init)
        car = Car(make="Volvo")
        (pre, pre_sender, pre_kwargs), (post, post_sender, post_kwargs) = self.log
        self.assertIs(pre, signals.pre_init)
        self.assertEqual(pre_kwargs, {"args": (), "kwargs": {"make": "Volvo"}})
        self.assertIs(post_kwargs["instance"], car)

    def test_init_signals_on_load(self):
        Car.objects.create(make="Saab")
        self.connect(signals.post_init)
        car = Car.objects.get()
        self.assertEqual(len(self.log), 1)
        self.assertIs(self.log[0][2]["instance"], car)
        self.assertFalse(car._state.adding)

    def test_save_signals(self):
        self.connect(signals.pre_save)
        self.connect(signals.post_save)
        car = Car(make="Fiat")
        car.save()
        self.assertEqual(
            [(s, kw["raw"], kw["update_fields"], kw.get("created")) for s, _, kw in self.log],
            [(signals.pre_save, False, None, None), (signals.post_save, False, None, True)],
        )
        self.assertIs(self.log[0][2]["instance"], car)
        self.log.clear()
        car.model = "500"
        car.save(update_fields=["model"])
        self.assertEqual(self.log[1][2]["created"], False)
        self.assertEqual(self.log[1][2]["update_fields"], frozenset({"model"}))

    def test_delete_signals(self):
        car = Car.objects.create(make="Kia")
        pk = car.pk
        self.connect(signals.pre_delete)
        self.connect(signals.post_delete)
        car.delete()
        self.assertEqual([s for s, _, _ in self.log], [signals.pre_delete, signals.post_delete])
        self.assertIs(self.log[0][2]["instance"], car)
        self.assertIs(self.log[0][2]["origin"], car)
        self.assertEqual(Car.objects.filter(pk=pk).count(), 0)

    def test_queryset_delete_sends_signals(self):
        Car.objects.create(make="a")
        Car.objects.create(make="b")
        self.connect(signals.pre_delete)
        self.assertEqual(Car.objects.all().delete(), (2, {"model_signals.Car": 2}))
        self.assertEqual(len(self.log), 2)

    def test_sender_filtering(self):
        self.connect(signals.post_save)
        Plain.objects.create(name="x")
        self.assertEqual(self.log, [])

    def test_lazy_sender(self):
        calls = []

        def receiver(sender, instance, **kwargs):
            calls.append(instance)

        signals.post_save.connect(receiver, sender="model_signals.Plain", weak=False)
        try:
            p = Plain.objects.create(name="lazy")
            Car.objects.create(make="x")
        finally:
            signals.post_save.disconnect(receiver, sender="model_signals.Plain")
        self.assertEqual(calls, [p])
        Plain.objects.create(name="after")
        self.assertEqual(len(calls), 1)

    def test_bad_lazy_sender(self):
        with self.assertRaisesMessage(ValueError, "app_label.ModelName"):
            signals.post_save.connect(lambda **kw: None, sender="nodot")
