"""django.dispatch: connect/disconnect, weak references, send/send_robust."""
import gc
import threading

from django.core import signals as core_signals
from django.dispatch import Signal, receiver
from django.test import SimpleTestCase


def plain_receiver(sender, **kwargs):
    return ("plain", sender)


class Listener:
    def __init__(self):
        self.calls = []

    def handle(self, sender, **kwargs):
        self.calls.append((sender, kwargs.get("value")))
        return "handled"

    def __call__(self, sender, **kwargs):
        return "called"


class Sender:
    pass


class SignalTests(SimpleTestCase):
    def setUp(self):
        self.signal = Signal()

    def test_send_without_receivers(self):
        self.assertEqual(self.signal.send(sender=self), [])
        self.assertEqual(self.signal.send_robust(sender=self), [])
        self.assertFalse(self.signal.has_listeners())

    def test_send_passes_signal_sender_and_arguments(self):
        received = {}

        def capture(**kwargs):
            received.update(kwargs)
            return 42

        self.signal.connect(capture)
        result = self.signal.send(sender="me", value=1)
        self.assertEqual(result, [(capture, 42)])
        self.assertEqual(received, {"signal": self.signal, "sender": "me", "value": 1})

    def test_receivers_called_in_connection_order(self):
        order = []
        first = lambda **kw: order.append(1)  # noqa: E731
        second = lambda **kw: order.append(2)  # noqa: E731
        self.signal.connect(first)
        self.signal.connect(second)
        self.signal.send(None)
        self.assertEqual(order, [1, 2])

    def test_connect_twice_is_one_connection(self):
        self.signal.connect(plain_receiver)
        self.signal.connect(plain_receiver)
        self.assertEqual(len(self.signal.send(None)), 1)

    def test_sender_filter(self):
        a, b = Sender(), Sender()
        self.signal.connect(plain_receiver, sender=a)
        self.assertEqual(self.signal.send(sender=a), [(plain_receiver, ("plain", a))])
        self.assertEqual(self.signal.send(sender=b), [])
        self.assertTrue(self.signal.has_listeners(a))
        self.assertFalse(self.signal.has_listeners(b))

    def test_dispatch_uid_dedupes(self):
        calls = []

        def one(**kw):
            calls.append(1)

        def two(**kw):
            calls.append(2)

        self.signal.connect(one, dispatch_uid="uid")
        self.signal.connect(two, dispatch_uid="uid", weak=False)
        self.signal.send(None)
        self.assertEqual(calls, [1])
        self.assertEqual(len(self.signal.receivers), 1)
        self.assertTrue(self.signal.disconnect(dispatch_uid="uid"))
        self.assertFalse(self.signal.has_listeners())

    def test_dead_weak_receiver_frees_its_dispatch_uid(self):
        self.signal.connect(lambda **kw: 1, dispatch_uid="uid")  # Dies at once.
        gc.collect()
        self.signal.connect(plain_receiver, dispatch_uid="uid")
        self.assertEqual(self.signal.send("s"), [(plain_receiver, ("plain", "s"))])

    def test_dispatch_uid_keeps_first_receiver(self):
        calls = []

        def first(**kw):
            calls.append("first")

        def second(**kw):
            calls.append("second")

        self.signal.connect(first, dispatch_uid="same")
        self.signal.connect(second, dispatch_uid="same")
        self.signal.send(None)
        self.assertEqual(calls, ["first"])

    def test_disconnect_returns_bool(self):
        self.signal.connect(plain_receiver)
        self.assertTrue(self.signal.disconnect(plain_receiver))
        self.assertFalse(self.signal.disconnect(plain_receiver))
        self.assertEqual(self.signal.send(None), [])

    def test_disconnect_needs_matching_sender(self):
        a = Sender()
        self.signal.connect(plain_receiver, sender=a)
        self.assertFalse(self.signal.disconnect(plain_receiver))
        self.assertTrue(self.signal.disconnect(plain_receiver, sender=a))

    def test_weak_function_receiver_is_dropped(self):
        def temporary(**kwargs):
            return "temp"

        self.signal.connect(temporary)
        self.assertTrue(self.signal.has_listeners())
        del temporary
        gc.collect()
        self.assertFalse(self.signal.has_listeners())
        self.assertEqual(self.signal.send(None), [])
        self.assertEqual(self.signal.receivers, [])

    def test_weak_bound_method_is_dropped(self):
        listener = Listener()
        self.signal.connect(listener.handle)
        self.assertEqual(self.signal.send("s", value=3), [(listener.handle, "handled")])
        self.assertEqual(listener.calls, [("s", 3)])
        del listener
        gc.collect()
        self.assertEqual(self.signal.send("s"), [])

    def test_bound_method_kept_alive_by_instance(self):
        listener = Listener()
        self.signal.connect(listener.handle)
        gc.collect()  # The bound-method object itself is gone; the receiver is not.
        self.assertEqual(len(self.signal.send(None)), 1)
        self.assertTrue(self.signal.disconnect(listener.handle))

    def test_strong_reference_kept(self):
        def temporary(**kwargs):
            return "kept"

        self.signal.connect(temporary, weak=False)
        del temporary
        gc.collect()
        self.assertEqual([response for _, response in self.signal.send(None)], ["kept"])

    def test_callable_instance(self):
        listener = Listener()
        self.signal.connect(listener)
        self.assertEqual(self.signal.send(None), [(listener, "called")])

    def test_receiver_must_accept_kwargs(self):
        def no_kwargs(sender):
            pass

        with self.assertRaisesMessage(ValueError, "keyword arguments"):
            self.signal.connect(no_kwargs)
        with self.assertRaisesMessage(TypeError, "callable"):
            self.signal.connect("not callable")

    def test_send_propagates_exceptions(self):
        def failing(**kwargs):
            raise ValueError("boom")

        self.signal.connect(failing)
        with self.assertRaisesMessage(ValueError, "boom"):
            self.signal.send(None)

    def test_send_robust_returns_exceptions(self):
        def failing(**kwargs):
            raise ValueError("boom")

        self.signal.connect(failing)
        self.signal.connect(plain_receiver)
        with self.assertLogs("django.dispatch", "ERROR") as logs:
            result = self.signal.send_robust(sender="x")
        self.assertIn("failing", logs.output[0])
        (first, error), second = result
        self.assertIs(first, failing)
        self.assertIsInstance(error, ValueError)
        self.assertIsNotNone(error.__traceback__)
        self.assertEqual(second, (plain_receiver, ("plain", "x")))

    def test_caching_signal(self):
        signal = Signal(use_caching=True)
        a, b = Sender(), Sender()
        self.assertEqual(signal.send(a), [])
        signal.connect(plain_receiver, sender=a)
        self.assertEqual(len(signal.send(a)), 1)
        self.assertEqual(signal.send(b), [])
        self.assertEqual(signal.send(b), [])  # From the cache.
        self.assertEqual(len(signal.send(None)), 0)  # Unhashable-ish senders are not cached.
        signal.connect(plain_receiver, sender=b)  # Connecting clears the cache.
        self.assertEqual(len(signal.send(b)), 1)
        self.assertTrue(signal.disconnect(plain_receiver, sender=a))
        self.assertEqual(signal.send(a), [])

    def test_caching_signal_drops_dead_receivers(self):
        signal = Signal(use_caching=True)
        a = Sender()

        def temporary(**kwargs):
            return 1

        signal.connect(temporary, sender=a)
        self.assertEqual(len(signal.send(a)), 1)
        del temporary
        gc.collect()
        self.assertEqual(signal.send(a), [])


class ReceiverDecoratorTests(SimpleTestCase):
    def test_single_signal(self):
        signal = Signal()

        @receiver(signal)
        def handler(sender, **kwargs):
            return "decorated"

        self.assertEqual(signal.send(None), [(handler, "decorated")])

    def test_list_of_signals_and_kwargs(self):
        one, two = Signal(), Signal()
        a = Sender()

        @receiver([one, two], sender=a, dispatch_uid="deco")
        def handler(sender, **kwargs):
            return kwargs["signal"]

        self.assertEqual(one.send(a), [(handler, one)])
        self.assertEqual(two.send(a), [(handler, two)])
        self.assertEqual(one.send(None), [])
        self.assertTrue(two.disconnect(sender=a, dispatch_uid="deco"))


class ThreadSafetyTests(SimpleTestCase):
    def test_concurrent_connect_disconnect_send(self):
        signal = Signal()
        errors = []
        keep = []

        def worker(index):
            try:
                for step in range(100):
                    def handler(sender, _i=index, _s=step, **kwargs):
                        return _i

                    keep.append(handler)
                    signal.connect(handler, dispatch_uid=(index, step))
                    signal.send(sender=None)
                    if step % 2:
                        signal.disconnect(dispatch_uid=(index, step))
            except Exception as err:  # pragma: no cover - reported below
                errors.append(err)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        # Half of each thread's connections were disconnected.
        self.assertEqual(len(signal.receivers), 8 * 50)


class CoreSignalsTests(SimpleTestCase):
    def test_request_signals_exist(self):
        for signal in (core_signals.request_started, core_signals.request_finished):
            self.assertIsInstance(signal, Signal)
