"""django.utils: functional, module_loading, dateparse, timezone, tree, crypto, ..."""
import copy
import datetime
import pickle
import sys
import zoneinfo
from decimal import Decimal

from django.test import SimpleTestCase
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.crypto import (
    InvalidAlgorithm,
    constant_time_compare,
    get_random_string,
    pbkdf2,
    salted_hmac,
)
from django.utils.datastructures import (
    CaseInsensitiveMapping,
    DictWrapper,
    ImmutableList,
    MultiValueDict,
    MultiValueDictKeyError,
    OrderedSet,
)
from django.utils.dateparse import parse_date, parse_datetime, parse_duration, parse_time
from django.utils.deconstruct import deconstructible
from django.utils.duration import duration_iso_string, duration_microseconds, duration_string
from django.utils.encoding import (
    DjangoUnicodeDecodeError,
    force_bytes,
    force_str,
    smart_bytes,
    smart_str,
)
from django.utils.functional import (
    LazyObject,
    Promise,
    SimpleLazyObject,
    cached_property,
    classproperty,
    empty,
    keep_lazy,
    lazy,
    lazystr,
    partition,
)
from django.utils.hashable import make_hashable
from django.utils.inspect import (
    func_accepts_kwargs,
    func_accepts_var_args,
    func_supports_parameter,
    get_func_args,
    get_func_full_args,
    method_has_no_args,
)
from django.utils.module_loading import (
    autodiscover_modules,
    import_string,
    module_dir,
    module_has_submodule,
)
from django.utils.termcolors import colorize, make_style, parse_color_setting
from django.utils.text import camel_case_to_spaces, capfirst, get_text_list, slugify
from django.utils.tree import Node


class FunctionalTests(SimpleTestCase):
    def test_cached_property(self):
        class Thing:
            calls = 0

            @cached_property
            def value(self):
                """Docs."""
                Thing.calls += 1
                return Thing.calls

        thing = Thing()
        self.assertEqual((thing.value, thing.value), (1, 1))
        del thing.value
        self.assertEqual(thing.value, 2)
        self.assertIsInstance(Thing.value, cached_property)
        self.assertEqual(Thing.value.__doc__, "Docs.")

    def test_cached_property_two_names_refused(self):
        prop = cached_property(lambda self: 1)
        # Python < 3.12 wraps errors from __set_name__ in a RuntimeError.
        with self.assertRaises((TypeError, RuntimeError)) as ctx:

            class Twice:
                a = prop
                b = prop

        error = ctx.exception
        error = error.__cause__ if isinstance(error, RuntimeError) else error
        self.assertIn("two different names ('a' and 'b')", str(error))

    def test_classproperty(self):
        class Thing:
            @classproperty
            def name(cls):
                return cls.__name__

        self.assertEqual(Thing.name, "Thing")
        self.assertEqual(Thing().name, "Thing")

    def test_lazy(self):
        calls = []

        def compute(x):
            calls.append(x)
            return "value %s" % x

        lazy_compute = lazy(compute, str)
        result = lazy_compute(1)
        self.assertEqual(calls, [])
        self.assertIsInstance(result, Promise)
        self.assertEqual(str(result), "value 1")
        self.assertEqual(result.upper(), "VALUE 1")
        self.assertEqual(result, "value 1")
        self.assertEqual(result + "!", "value 1!")
        self.assertEqual("> " + result, "> value 1")
        self.assertEqual(lazystr("%s!") % "x", "x!")
        self.assertLess(lazystr("a"), lazystr("b"))
        self.assertEqual(hash(lazystr("a")), hash("a"))
        self.assertIs(copy.deepcopy(result), result)
        self.assertEqual(repr(result), "'value 1'")
        with self.assertRaises(AttributeError):
            result.no_such_method

    def test_keep_lazy(self):
        @keep_lazy(str)
        def shout(text):
            return str(text).upper()

        self.assertEqual(shout("a"), "A")
        lazy_result = shout(lazystr("b"))
        self.assertIsInstance(lazy_result, Promise)
        self.assertEqual(str(lazy_result), "B")

    def test_simple_lazy_object(self):
        calls = []

        def make():
            calls.append(1)
            return [1, 2, 3]

        obj = SimpleLazyObject(make)
        self.assertIn("make", repr(obj))
        self.assertEqual(calls, [])
        self.assertEqual(len(obj), 3)
        self.assertEqual(obj[0], 1)
        self.assertIn(2, obj)
        self.assertEqual(list(obj), [1, 2, 3])
        self.assertEqual(obj, [1, 2, 3])
        self.assertIsInstance(obj, list)
        self.assertEqual(calls, [1])
        self.assertIn("[1, 2, 3]", repr(obj))
        obj.append(4)
        self.assertEqual(obj.count(4), 1)
        self.assertEqual(copy.copy(obj), [1, 2, 3, 4])
        self.assertEqual(copy.deepcopy(obj), [1, 2, 3, 4])
        self.assertEqual(pickle.loads(pickle.dumps(obj)), [1, 2, 3, 4])

    def test_simple_lazy_object_copies_unevaluated(self):
        calls = []
        obj = SimpleLazyObject(lambda: calls.append(1) or {"a": 1})
        self.assertIsInstance(copy.copy(obj), SimpleLazyObject)
        self.assertIsInstance(copy.deepcopy(obj), SimpleLazyObject)
        self.assertEqual(calls, [])

    def test_lazy_object_attribute_forwarding(self):
        class Box:
            pass

        class LazyBox(LazyObject):
            def _setup(self):
                self._wrapped = Box()

        box = LazyBox()
        self.assertIs(box._wrapped, empty)
        box.color = "red"
        self.assertEqual(box.color, "red")
        self.assertEqual(box._wrapped.color, "red")
        del box.color
        self.assertFalse(hasattr(box, "color"))
        with self.assertRaises(TypeError):
            del box._wrapped
        self.assertIsInstance(copy.copy(LazyBox()), LazyBox)
        self.assertIsInstance(copy.deepcopy(LazyBox()), LazyBox)
        with self.assertRaises(NotImplementedError):
            LazyObject()._setup()

    def test_partition(self):
        self.assertEqual(partition(lambda x: x > 2, [1, 2, 3, 4]), ([1, 2], [3, 4]))


class ModuleLoadingTests(SimpleTestCase):
    def test_import_string(self):
        self.assertIs(import_string("django.utils.tree.Node"), Node)

    def test_import_string_not_a_path(self):
        with self.assertRaisesMessage(ImportError, "'nodots' doesn't look like a module path"):
            import_string("nodots")
        for malformed in (".Thing", "django.utils.", None):
            with self.assertRaisesMessage(ImportError, "%r doesn't look like a module path" % (malformed,)):
                import_string(malformed)

    def test_import_string_missing_attribute(self):
        with self.assertRaisesMessage(
            ImportError, 'Module "django.utils.tree" does not define a "Missing" attribute'
        ):
            import_string("django.utils.tree.Missing")

    def test_import_string_missing_module(self):
        with self.assertRaises(ModuleNotFoundError) as ctx:
            import_string("foundation_missing_module_xyz.Thing")
        self.assertEqual(ctx.exception.name, "foundation_missing_module_xyz")

    def test_module_has_submodule(self):
        import django.utils as utils_pkg
        import django.utils.tree as tree_module

        self.assertTrue(module_has_submodule(utils_pkg, "tree"))
        self.assertTrue(module_has_submodule(utils_pkg, "termcolors"))
        self.assertFalse(module_has_submodule(utils_pkg, "no_such_module"))
        self.assertFalse(module_has_submodule(tree_module, "anything"))

    def test_module_has_submodule_of_unimportable_package(self):
        import types

        fake = types.ModuleType("foundation_fake_package_xyz")
        fake.__path__ = []
        self.assertFalse(module_has_submodule(fake, "sub"))

    def test_module_dir_without_location(self):
        import types

        with self.assertRaisesMessage(ValueError, "Cannot determine directory"):
            module_dir(types.ModuleType("nowhere"))

    def test_module_dir(self):
        import django.utils as utils_pkg
        import django.utils.tree as tree_module

        self.assertTrue(module_dir(utils_pkg).endswith("utils"))
        self.assertEqual(module_dir(tree_module), module_dir(utils_pkg))

    def test_autodiscover_modules(self):
        package = __name__.rpartition(".")[0]
        sys.modules.pop(package + ".discovered", None)
        autodiscover_modules("discovered", "no_such_submodule")
        self.assertIn(package + ".discovered", sys.modules)

    def test_autodiscover_modules_error_propagates(self):
        class Registry:
            _registry = {"kept": 1}

        registry = Registry()
        with self.assertRaisesMessage(RuntimeError, "discovery failed"):
            autodiscover_modules("broken_discovered", register_to=registry)
        self.assertEqual(registry._registry, {"kept": 1})


class DateParseTests(SimpleTestCase):
    def test_parse_date(self):
        self.assertEqual(parse_date("2012-04-23"), datetime.date(2012, 4, 23))
        self.assertEqual(parse_date("2009-5-4"), datetime.date(2009, 5, 4))
        self.assertIsNone(parse_date("2012/04/23"))
        self.assertIsNone(parse_date("not a date"))
        with self.assertRaises(ValueError):
            parse_date("2009-2-30")

    def test_parse_time(self):
        self.assertEqual(parse_time("09:15:00"), datetime.time(9, 15))
        self.assertEqual(parse_time("10:10"), datetime.time(10, 10))
        self.assertEqual(parse_time("4:8:16"), datetime.time(4, 8, 16))
        self.assertEqual(parse_time("10:20:30.400"), datetime.time(10, 20, 30, 400000))
        self.assertEqual(parse_time("4:8:16.5"), datetime.time(4, 8, 16, 500000))
        self.assertEqual(parse_time("10:20:30+02:00"), datetime.time(10, 20, 30))
        self.assertIsNone(parse_time("091500"[:3]))
        self.assertIsNone(parse_time("x"))
        with self.assertRaises(ValueError):
            parse_time("25:00")

    def test_parse_datetime(self):
        self.assertEqual(
            parse_datetime("2012-04-23T09:15:00"), datetime.datetime(2012, 4, 23, 9, 15)
        )
        self.assertEqual(
            parse_datetime("2009-5-4 3:4:5"), datetime.datetime(2009, 5, 4, 3, 4, 5)
        )
        utc_value = parse_datetime("2012-04-23T09:15:00Z")
        self.assertEqual(utc_value, datetime.datetime(2012, 4, 23, 9, 15, tzinfo=timezone.utc))
        offset_value = parse_datetime("2012-4-9 4:8:16.5-0320")
        self.assertEqual(offset_value.utcoffset(), -datetime.timedelta(hours=3, minutes=20))
        self.assertEqual(offset_value.microsecond, 500000)
        self.assertEqual(
            parse_datetime("2012-4-9 4:8:16+02").utcoffset(), datetime.timedelta(hours=2)
        )
        self.assertEqual(
            parse_datetime("2012-4-9 4:8:16Z"),
            datetime.datetime(2012, 4, 9, 4, 8, 16, tzinfo=timezone.utc),
        )
        self.assertEqual(
            parse_datetime("2012-04-23T10:20:30.400+02:30").utcoffset(),
            datetime.timedelta(hours=2, minutes=30),
        )
        self.assertIsNone(parse_datetime("2012-04-23"[:7]))
        self.assertIsNone(parse_datetime("tomorrow"))
        with self.assertRaises(ValueError):
            parse_datetime("2009-5-40 3:4:5")

    def test_parse_duration(self):
        cases = {
            "30": datetime.timedelta(seconds=30),
            "15:30": datetime.timedelta(minutes=15, seconds=30),
            "10:15:30": datetime.timedelta(hours=10, minutes=15, seconds=30),
            "4 15:30": datetime.timedelta(days=4, minutes=15, seconds=30),
            "4 days, 10:15:30": datetime.timedelta(days=4, hours=10, minutes=15, seconds=30),
            "-4 15:30": datetime.timedelta(days=-4, minutes=15, seconds=30),
            "-15:30": -datetime.timedelta(minutes=15, seconds=30),
            "15:30.1": datetime.timedelta(minutes=15, seconds=30, milliseconds=100),
            "P4DT1H15M20S": datetime.timedelta(days=4, hours=1, minutes=15, seconds=20),
            "-P1DT1H": -datetime.timedelta(days=1, hours=1),
            "PT0.5S": datetime.timedelta(milliseconds=500),
            "3 days 04:05:06": datetime.timedelta(days=3, hours=4, minutes=5, seconds=6),
            "-3 days -04:05:06": datetime.timedelta(days=-3, hours=-4, minutes=-5, seconds=-6),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_duration(text), expected)
        self.assertIsNone(parse_duration("forever"))

    def test_duration_round_trip(self):
        for delta in (
            datetime.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=5),
            datetime.timedelta(days=-1, seconds=3),
            datetime.timedelta(seconds=-1),
            datetime.timedelta(0),
        ):
            with self.subTest(delta=delta):
                self.assertEqual(parse_duration(duration_string(delta)), delta)
                self.assertEqual(parse_duration(duration_iso_string(delta)), delta)

    def test_duration_formats(self):
        delta = datetime.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=5)
        self.assertEqual(duration_string(delta), "1 02:03:04.000005")
        self.assertEqual(duration_iso_string(delta), "P1DT02H03M04.000005S")
        self.assertEqual(duration_iso_string(-delta), "-P1DT02H03M04.000005S")
        self.assertEqual(duration_microseconds(delta), 93784000005)
        self.assertEqual(duration_microseconds(datetime.timedelta(microseconds=-1)), -1)


class TimezoneTests(SimpleTestCase):
    def test_utc(self):
        self.assertIs(timezone.utc, datetime.timezone.utc)

    def test_default_timezone_follows_setting(self):
        with override_settings(TIME_ZONE="Europe/Paris"):
            self.assertEqual(timezone.get_default_timezone(), zoneinfo.ZoneInfo("Europe/Paris"))
            self.assertEqual(timezone.get_default_timezone_name(), "Europe/Paris")
            self.assertEqual(timezone.get_current_timezone_name(), "Europe/Paris")

    def test_unknown_time_zone(self):
        with override_settings(TIME_ZONE="Mars/Olympus_Mons"):
            with self.assertRaisesMessage(Exception, "Mars/Olympus_Mons"):
                timezone.get_default_timezone()

    def test_now(self):
        with override_settings(USE_TZ=True):
            self.assertTrue(timezone.is_aware(timezone.now()))
        with override_settings(USE_TZ=False):
            self.assertTrue(timezone.is_naive(timezone.now()))

    def test_make_aware_and_naive(self):
        naive = datetime.datetime(2011, 9, 1, 13, 20, 30)
        paris = zoneinfo.ZoneInfo("Europe/Paris")
        aware = timezone.make_aware(naive, paris)
        self.assertEqual(aware.utcoffset(), datetime.timedelta(hours=2))
        self.assertEqual(timezone.make_naive(aware, timezone.utc), datetime.datetime(2011, 9, 1, 11, 20, 30))
        with self.assertRaisesMessage(ValueError, "naive"):
            timezone.make_aware(aware, paris)
        with self.assertRaisesMessage(ValueError, "naive"):
            timezone.make_naive(naive, paris)
        with override_settings(TIME_ZONE="Asia/Tokyo"):
            self.assertEqual(timezone.make_aware(naive).utcoffset(), datetime.timedelta(hours=9))
            self.assertEqual(timezone.make_naive(aware), datetime.datetime(2011, 9, 1, 20, 20, 30))

    def test_activate_override_localtime(self):
        aware = datetime.datetime(2011, 9, 1, 12, 0, tzinfo=timezone.utc)
        try:
            timezone.activate("Asia/Kolkata")
            self.assertEqual(timezone.get_current_timezone_name(), "Asia/Kolkata")
            self.assertEqual(timezone.localtime(aware).hour, 17)
            with timezone.override(timezone.get_fixed_timezone(-300)):
                self.assertEqual(timezone.localtime(aware).hour, 7)
                self.assertEqual(timezone.get_current_timezone_name(), "-0500")
            with timezone.override(None):
                self.assertEqual(timezone.get_current_timezone(), timezone.get_default_timezone())
            self.assertEqual(timezone.get_current_timezone_name(), "Asia/Kolkata")
        finally:
            timezone.deactivate()
        self.assertEqual(timezone.get_current_timezone(), timezone.get_default_timezone())
        self.assertEqual(timezone.localdate(aware, timezone.utc), datetime.date(2011, 9, 1))
        with override_settings(USE_TZ=True):
            self.assertTrue(timezone.is_aware(timezone.localtime()))
        with self.assertRaisesMessage(ValueError, "naive"):
            timezone.localtime(datetime.datetime(2011, 1, 1))
        with self.assertRaises(ValueError):
            timezone.activate(42)

    def test_fixed_timezone(self):
        tz = timezone.get_fixed_timezone(datetime.timedelta(hours=5, minutes=30))
        self.assertEqual(tz.utcoffset(None), datetime.timedelta(hours=5, minutes=30))
        self.assertEqual(tz.tzname(None), "+0530")


class TreeTests(SimpleTestCase):
    def test_basics(self):
        node = Node([("a", 1), ("b", 2)])
        self.assertEqual(node.connector, "DEFAULT")
        self.assertEqual(len(node), 2)
        self.assertTrue(node)
        self.assertFalse(Node())
        self.assertIn(("a", 1), node)
        self.assertEqual(str(node), "(DEFAULT: ('a', 1), ('b', 2))")
        self.assertEqual(repr(node), "<Node: (DEFAULT: ('a', 1), ('b', 2))>")
        node.negate()
        self.assertEqual(str(node), "(NOT (DEFAULT: ('a', 1), ('b', 2)))")

    def test_add_same_connector_appends(self):
        node = Node([("a", 1)], "AND")
        self.assertEqual(node.add(("b", 2), "AND"), ("b", 2))
        self.assertEqual(node.children, [("a", 1), ("b", 2)])

    def test_add_other_connector_pushes_down(self):
        node = Node([("a", 1), ("b", 2)], "AND")
        node.add(("c", 3), "OR")
        self.assertEqual(node.connector, "OR")
        self.assertEqual(len(node.children), 2)
        self.assertEqual(node.children[0], Node([("a", 1), ("b", 2)], "AND"))
        self.assertEqual(node.children[1], ("c", 3))

    def test_add_squashes_compatible_nodes(self):
        node = Node([("a", 1)], "AND")
        result = node.add(Node([("b", 2), ("c", 3)], "AND"), "AND")
        self.assertIs(result, node)
        self.assertEqual(node.children, [("a", 1), ("b", 2), ("c", 3)])
        node.add(Node([("d", 4)], "OR"), "AND")  # One child: connector irrelevant.
        self.assertEqual(node.children[-1], ("d", 4))
        negated = Node([("e", 5)], "AND", negated=True)
        self.assertIs(node.add(negated, "AND"), negated)
        self.assertIs(node.children[-1], negated)

    def test_copies(self):
        node = Node([("a", [1])], "AND")
        shallow = copy.copy(node)
        self.assertIs(shallow.children, node.children)
        deep = copy.deepcopy(node)
        self.assertEqual(deep, node)
        self.assertIsNot(deep.children[0][1], node.children[0][1])

    def test_subclass_create_and_hash(self):
        class Sub(Node):
            default = "AND"

            def __init__(self, *args, **kwargs):
                super().__init__(children=list(kwargs.items()))

        made = Sub.create([("x", 1)], negated=True)
        self.assertIsInstance(made, Sub)
        self.assertEqual(made.connector, "AND")
        self.assertTrue(made.negated)
        self.assertEqual(hash(Sub(x=1)), hash(Sub(x=1)))
        self.assertEqual(Sub(x=[1]), Sub(x=[1]))
        self.assertNotEqual(Sub(x=1), Node([("x", 1)], "AND"))
        self.assertEqual(len({Sub(x=[1]), Sub(x=[1])}), 1)


class CryptoTests(SimpleTestCase):
    def test_constant_time_compare(self):
        self.assertTrue(constant_time_compare("spam", "spam"))
        self.assertTrue(constant_time_compare(b"spam", "spam"))
        self.assertFalse(constant_time_compare("spam", "eggs"))
        self.assertFalse(constant_time_compare("spam", "spa"))

    def test_get_random_string(self):
        value = get_random_string(20)
        self.assertEqual(len(value), 20)
        self.assertTrue(value.isalnum())
        self.assertEqual(set(get_random_string(30, "ab")) - {"a", "b"}, set())

    def test_pbkdf2_known_vector(self):
        # RFC 6070, test case 2 (SHA-1).
        import hashlib

        result = pbkdf2("password", "salt", 2, 20, hashlib.sha1)
        self.assertEqual(result.hex(), "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957")
        self.assertEqual(len(pbkdf2("p", "s", 1)), 32)  # SHA-256 by default.

    @override_settings(SECRET_KEY="secret")
    def test_salted_hmac(self):
        first = salted_hmac("salt", "value").hexdigest()
        self.assertEqual(first, salted_hmac("salt", "value", secret="secret").hexdigest())
        self.assertNotEqual(first, salted_hmac("salt", "value", secret="other").hexdigest())
        self.assertEqual(len(salted_hmac("s", "v", algorithm="sha256").hexdigest()), 64)
        with self.assertRaises(InvalidAlgorithm):
            salted_hmac("s", "v", algorithm="nope")


class DataStructureTests(SimpleTestCase):
    def test_ordered_set(self):
        s = OrderedSet([3, 1, 3, 2])
        self.assertEqual(list(s), [3, 1, 2])
        s.add(0)
        s.discard(1)
        s.discard(99)
        s.remove(3)
        self.assertEqual(list(reversed(s)), [0, 2])
        self.assertIn(2, s)
        self.assertEqual(len(s), 2)
        self.assertTrue(s)
        self.assertEqual(repr(s), "OrderedSet([2, 0])")

    def test_multi_value_dict(self):
        d = MultiValueDict({"name": ["Adrian", "Simon"], "empty": []})
        self.assertEqual(d["name"], "Simon")
        self.assertEqual(d["empty"], [])
        self.assertEqual(d.get("empty", "dflt"), "dflt")
        self.assertEqual(d.getlist("name"), ["Adrian", "Simon"])
        self.assertEqual(d.getlist("missing"), [])
        self.assertEqual(d.get("missing", "x"), "x")
        with self.assertRaises(MultiValueDictKeyError):
            d["missing"]
        d.appendlist("name", "Jacob")
        d["single"] = 1
        self.assertEqual(d.setdefault("single", 2), 1)
        self.assertEqual(d.setdefault("new", 3), 3)
        self.assertEqual(d.dict()["name"], "Jacob")
        d.update({"single": 5}, other=6)
        self.assertEqual(d.getlist("single"), [1, 5])
        d.update(MultiValueDict({"single": [7]}))
        self.assertEqual(d.getlist("single"), [1, 5, 7])
        with self.assertRaises(TypeError):
            d.update({}, {})
        self.assertEqual(dict(d.items())["other"], 6)
        self.assertIn("Jacob", list(d.values()))
        self.assertEqual(dict(d.lists())["name"], ["Adrian", "Simon", "Jacob"])
        c = d.copy()
        c.appendlist("name", "X")
        self.assertEqual(len(d.getlist("name")), 3)
        deep = copy.deepcopy(d)
        self.assertEqual(deep.getlist("name"), d.getlist("name"))
        self.assertIn("MultiValueDict", repr(d))

    def test_immutable_list(self):
        items = ImmutableList([1, 2], warning="Read only!")
        self.assertEqual(items[0], 1)
        with self.assertRaisesMessage(AttributeError, "Read only!"):
            items.append(3)
        with self.assertRaisesMessage(AttributeError, "Read only!"):
            items[0] = 5

    def test_dict_wrapper(self):
        wrapper = DictWrapper({"name": "col"}, lambda v: '"%s"' % v, "qn_")
        self.assertEqual("%(name)s %(qn_name)s" % wrapper, 'col "col"')

    def test_case_insensitive_mapping(self):
        mapping = CaseInsensitiveMapping({"Content-Type": "text"})
        self.assertEqual(mapping["content-type"], "text")
        self.assertEqual(list(mapping), ["Content-Type"])
        self.assertEqual(len(mapping), 1)
        self.assertEqual(mapping, {"CONTENT-TYPE": "text"})
        self.assertIs(mapping.copy(), mapping)
        self.assertEqual(repr(mapping), "{'Content-Type': 'text'}")


class MiscUtilsTests(SimpleTestCase):
    def test_encoding(self):
        self.assertEqual(force_str(b"caf\xc3\xa9"), "café")
        self.assertEqual(force_str("plain"), "plain")
        self.assertEqual(force_str(1), "1")
        self.assertIs(force_str(None, strings_only=True), None)
        self.assertEqual(force_bytes("café"), b"caf\xc3\xa9")
        self.assertEqual(force_bytes("café", "latin-1"), b"caf\xe9")
        self.assertEqual(force_bytes(b"caf\xc3\xa9", "latin-1"), b"caf\xe9")
        self.assertEqual(force_bytes(memoryview(b"ab")), b"ab")
        self.assertEqual(force_bytes(Decimal("1.5"), strings_only=True), Decimal("1.5"))
        self.assertEqual(force_bytes(3), b"3")
        lazy_value = lazystr("x")
        self.assertIs(smart_str(lazy_value), lazy_value)
        self.assertIs(smart_bytes(lazy_value), lazy_value)
        self.assertEqual(smart_str(b"y"), "y")
        self.assertEqual(smart_bytes("y"), b"y")
        with self.assertRaises(DjangoUnicodeDecodeError) as ctx:
            force_str(b"\xff")
        self.assertIn("You passed in", str(ctx.exception))

    def test_text(self):
        self.assertEqual(capfirst("hello world"), "Hello world")
        self.assertEqual(capfirst(""), "")
        self.assertEqual(get_text_list(["a", "b", "c"]), "a, b or c")
        self.assertEqual(get_text_list(["a", "b"], "and"), "a and b")
        self.assertEqual(get_text_list(["a"]), "a")
        self.assertEqual(get_text_list([]), "")
        self.assertEqual(camel_case_to_spaces("CamelCaseName"), "camel case name")
        self.assertEqual(camel_case_to_spaces("HTTPResponseCode"), "http response code")
        self.assertEqual(slugify(" Héllo, World! "), "hello-world")

    def test_hashable(self):
        self.assertEqual(make_hashable({"b": [1, {2}], "a": 1}), (("a", 1), ("b", (1, (2,)))))
        self.assertEqual(make_hashable("x"), "x")

    def test_unhashable_non_iterable(self):
        nohash = type("NoHash", (), {"__hash__": None})()
        with self.assertRaisesMessage(TypeError, "Cannot make a hashable value"):
            make_hashable(nohash)

    def test_termcolors(self):
        self.assertEqual(colorize("x", fg="red"), "\x1b[31mx\x1b[0m")
        self.assertEqual(colorize("x", opts=("bold",), bg="blue"), "\x1b[44;1mx\x1b[0m")
        self.assertEqual(colorize(opts=("reset",)), "\x1b[0m")
        self.assertEqual(colorize("x", opts=("noreset",), fg="green"), "\x1b[32mx")
        self.assertEqual(make_style(fg="yellow")("w"), "\x1b[33mw\x1b[0m")
        self.assertIsNone(parse_color_setting("nocolor"))
        self.assertIn("ERROR", parse_color_setting(""))
        self.assertEqual(parse_color_setting("light")["NOTICE"], {"fg": "red"})

    def test_inspect(self):
        def func(a, b=1, *args, c, **kwargs):
            pass

        class Thing:
            def method(self, x):
                pass

            def no_args(self):
                pass

        self.assertEqual(get_func_args(func), ["a", "b"])
        self.assertEqual(
            get_func_full_args(func), [("a",), ("b", 1), ("*args",), ("c",), ("**kwargs",)]
        )
        self.assertTrue(func_accepts_kwargs(func))
        self.assertTrue(func_accepts_var_args(func))
        self.assertFalse(func_accepts_kwargs(Thing().method))
        self.assertEqual(get_func_args(Thing().method), ["x"])
        self.assertTrue(method_has_no_args(Thing().no_args))
        self.assertFalse(method_has_no_args(Thing().method))
        self.assertTrue(func_supports_parameter(func, "c"))
        self.assertFalse(func_supports_parameter(func, "d"))

    def test_deconstructible(self):
        from django.core.validators import MaxValueValidator

        @deconstructible(path="somewhere.Public")
        class Private:
            def __init__(self, *args, **kwargs):
                pass

        self.assertEqual(
            MaxValueValidator(5, message="m").deconstruct(),
            ("django.core.validators.MaxValueValidator", (5,), {"message": "m"}),
        )
        self.assertEqual(Private(1, k=2).deconstruct(), ("somewhere.Public", (1,), {"k": 2}))

        @deconstructible
        class Hidden:
            pass

        with self.assertRaisesMessage(ValueError, "Could not find object Hidden"):
            Hidden().deconstruct()

    def test_version_helpers(self):
        from django.utils.version import get_complete_version

        self.assertEqual(get_complete_version(), (1, 2, 0, "alpha", 0))

    def test_deprecation_classes(self):
        from django.utils.deprecation import (
            RemovedAfterNextVersionWarning,
            RemovedInNextVersionWarning,
        )

        self.assertTrue(issubclass(RemovedInNextVersionWarning, DeprecationWarning))
        self.assertTrue(issubclass(RemovedAfterNextVersionWarning, PendingDeprecationWarning))


class TranslationStubTests(SimpleTestCase):
    def test_identity_translations(self):
        from django.utils import translation
        from django.utils.translation import gettext_lazy as _

        label = _("Name")
        self.assertIsInstance(label, Promise)
        self.assertEqual(str(label), "Name")
        self.assertEqual(translation.gettext("x"), "x")
        self.assertEqual(translation.gettext_noop("x"), "x")
        self.assertEqual(translation.pgettext("ctx", "x"), "x")
        self.assertEqual(translation.ngettext("item", "items", 1), "item")
        self.assertEqual(translation.npgettext("ctx", "item", "items", 2), "items")
        self.assertEqual(str(translation.ngettext_lazy("a", "b", 3)), "b")
        self.assertEqual(str(translation.pgettext_lazy("c", "m")), "m")
        self.assertEqual(translation.get_language(), "en-us")
        translation.activate("fr")
        translation.deactivate()
        with translation.override("de"):
            self.assertEqual(translation.get_language(), "en-us")


class IterCompatTests(SimpleTestCase):
    def test_is_iterable(self):
        from django.utils.itercompat import is_iterable

        self.assertTrue(is_iterable([1]))
        self.assertTrue(is_iterable("ab"))
        self.assertFalse(is_iterable(1))

        class OldStyleSequence:
            # iter() accepts __getitem__ alone (the sequence protocol).
            def __getitem__(self, index):
                if index > 1:
                    raise IndexError(index)
                return index

        self.assertTrue(is_iterable(OldStyleSequence()))
        self.assertEqual(list(OldStyleSequence()), [0, 1])


class MoreFunctionalTests(SimpleTestCase):
    def test_classproperty_getter(self):
        class Thing:
            name = classproperty()

            @name.getter
            def name(cls):
                return cls.__name__.lower()

        self.assertEqual(Thing.name, "thing")

    def test_lazy_object_bool_and_comparisons(self):
        obj = SimpleLazyObject(lambda: 5)
        self.assertTrue(obj)
        self.assertTrue(obj > 4)
        self.assertTrue(obj < 6)
        self.assertTrue(obj != 4)
        self.assertEqual(hash(obj), hash(5))
        self.assertEqual(str(obj), "5")
        self.assertIn("real", dir(obj))

    def test_lazy_object_unevaluated_set_and_delete(self):
        class Box:
            color = "blue"

        class LazyBox(LazyObject):
            def _setup(self):
                self._wrapped = Box()

        box = LazyBox()
        box.size = 3  # Sets up the wrapped object first.
        self.assertEqual(box.size, 3)
        other = LazyBox()
        with self.assertRaises(AttributeError):
            del other.color  # Class attribute: not deletable on the instance.
        self.assertIsNot(other._wrapped, empty)
        self.assertIsInstance(copy.copy(other), Box)
        self.assertIsInstance(copy.deepcopy(other), Box)
        self.assertFalse(hasattr(other, "__getitem__"))

    def test_lazy_equality_between_promises(self):
        self.assertEqual(lazystr("a"), lazystr("a"))

    def test_lazy_object_item_access(self):
        obj = SimpleLazyObject(dict)
        obj["a"] = 1
        self.assertEqual(obj["a"], 1)
        del obj["a"]
        self.assertEqual(len(obj), 0)
        self.assertEqual(bytes(SimpleLazyObject(lambda: b"xy")), b"xy")
