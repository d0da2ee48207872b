"""
Caller-supplied identifiers cannot inject SQL.

Every input class of the published ORM SQL-injection advisories (quotes,
backticks, brackets, semicolons, comments, '#', '$', '%', ASCII and Unicode
whitespace, control characters, dotted table.column names, a smuggled
``_connector``) is fed through every API that takes a name: filter/exclude/
get/Q keywords, order_by, values/values_list, only/defer, annotate/alias/
aggregate aliases, F(), update(), distinct(), in_bulk(), select_for_update(of=),
bulk_update(), JSON key paths, Trunc/Extract kinds and explain() options.
Each must be refused with a clear error (or, for JSON keys, which are always
parameters, simply match nothing) and no table may be touched.
"""
import datetime

from django.core.exceptions import FieldError
from django.db import connection
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Extract, Trunc
from django.test import TestCase

from .models import Canary, Victim

HOSTILE_TAILS = [
    "'",
    '"',
    "`",
    "[",
    "]",
    ";",
    "--",
    "/*",
    "*/",
    "#",
    "$",
    "%",
    "%s",
    " ",
    "\u00a0",
    "\u2028",
    "\u3000",
    "\x00",
    "\t",
    "\n",
    "\r",
    "\x0b",
    ")",
    "; DROP TABLE query_injection_canary; --",
    "' OR '1'='1",
    '" OR 1=1 --',
    "` OR 1=1 #",
    "/**/OR/**/1=1",
]

HOSTILE_NAMES = (
    ["name" + tail for tail in HOSTILE_TAILS]
    + [tail + "name" for tail in HOSTILE_TAILS]
    + [
        "query_injection_victim.name",
        "victim.name",
        '"query_injection_victim"."name"',
        "name.id",
        "*",
        "1",
        "1=1",
        "(SELECT 1)",
        "__",
        "name__",
        "-name-",
        "--name",
        "+name",
        "NAME",
        "ＮＡＭＥ",
        "name__exact;",
        "name__in) OR (1",
        "n__gt=0 OR 1",
    ]
)

# Identifiers that are valid Python/SQL names but do not exist still fail;
# aliases must be plain identifiers.
HOSTILE_ALIASES = [name for name in HOSTILE_NAMES if not name.isidentifier()] + [
    "1abc",
    "é",
    "a b",
    "a-b",
]


class InjectionTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.v1 = Victim.objects.create(
            name="alice", n=1, day=datetime.datetime(2020, 1, 2, 3, 4, 5), data={"k": "v"}
        )
        cls.v2 = Victim.objects.create(name="bob", n=2, data={"k": "w", "a": {"b": 1}})
        Canary.objects.create(note="alive")

    def assertUntouched(self):
        tables = connection.introspection.table_names()
        self.assertIn(Canary._meta.db_table, tables)
        self.assertIn(Victim._meta.db_table, tables)
        self.assertEqual(Canary.objects.count(), 1)
        self.assertEqual(Canary.objects.get().note, "alive")
        self.assertEqual(
            sorted(Victim.objects.values_list("name", "n")), [("alice", 1), ("bob", 2)]
        )

    def assertRefused(self, exc_class, func, name, message=None):
        with self.subTest(name=name):
            with self.assertRaises(exc_class) as ctx:
                result = func()
                # Evaluate lazily-built querysets too.
                if hasattr(result, "__iter__") and not isinstance(result, (str, dict)):
                    list(result)
            if message is not None:
                self.assertIn(message, str(ctx.exception))
            self.assertUntouched()


class FieldNameTests(InjectionTestCase):
    def test_filter_exclude_get_keywords(self):
        for name in HOSTILE_NAMES:
            for method in ("filter", "exclude", "get"):
                self.assertRefused(
                    FieldError,
                    lambda: getattr(Victim.objects, method)(**{name: 1}),
                    (method, name),
                )
            self.assertRefused(FieldError, lambda: Victim.objects.filter(Q(**{name: 1})), ("Q", name))
            self.assertRefused(
                FieldError, lambda: Victim.objects.filter(Q(n=1) | Q(**{name: 1})), ("Q|", name)
            )

    def test_unknown_field_message_lists_choices(self):
        with self.assertRaisesMessage(
            FieldError,
            "Cannot resolve keyword 'name;' into field. Choices are: data, day, id, n, name",
        ):
            Victim.objects.filter(**{"name;": "x"})

    def test_lookup_and_transform_names(self):
        for tail in HOSTILE_TAILS:
            self.assertRefused(
                FieldError,
                lambda: Victim.objects.filter(**{"name__" + "exact" + tail: 1}),
                ("lookup", tail),
                "Unsupported lookup",
            )
            self.assertRefused(
                FieldError,
                lambda: Victim.objects.filter(**{"day__year" + tail: 1}),
                ("transform", tail),
            )

    def test_order_by(self):
        for name in HOSTILE_NAMES:
            self.assertRefused(FieldError, lambda: Victim.objects.order_by(name), ("order_by", name))
            self.assertRefused(
                FieldError, lambda: Victim.objects.order_by("-" + name), ("order_by -", name)
            )
            self.assertRefused(
                FieldError, lambda: Victim.objects.order_by(F(name).desc()), ("order_by F", name)
            )
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'query_injection_victim.name' into field."):
            Victim.objects.order_by("query_injection_victim.name")

    def test_values_only_defer_distinct(self):
        for name in HOSTILE_NAMES:
            self.assertRefused(FieldError, lambda: Victim.objects.values(name), ("values", name))
            self.assertRefused(
                FieldError, lambda: Victim.objects.values_list(name, flat=True), ("values_list", name)
            )
            self.assertRefused(FieldError, lambda: Victim.objects.only(name), ("only", name))
            self.assertRefused(FieldError, lambda: Victim.objects.defer(name), ("defer", name))
            self.assertRefused(FieldError, lambda: Victim.objects.distinct(name), ("distinct", name))

    def test_f_expressions(self):
        for name in HOSTILE_NAMES:
            self.assertRefused(
                FieldError, lambda: Victim.objects.annotate(x=F(name)), ("annotate F", name)
            )
            self.assertRefused(
                FieldError, lambda: Victim.objects.filter(n=F(name)), ("filter F", name)
            )
            self.assertRefused(
                FieldError, lambda: Victim.objects.update(n=F(name)), ("update F", name)
            )
            self.assertRefused(
                FieldError, lambda: Victim.objects.aggregate(x=Sum(name)), ("aggregate", name)
            )
            if name != "*":  # Count("*") is COUNT(*), documented.
                self.assertRefused(
                    FieldError, lambda: Victim.objects.annotate(x=Count(name)), ("Count", name)
                )

    def test_update_and_write_helpers(self):
        for name in HOSTILE_NAMES:
            self.assertRefused(FieldError, lambda: Victim.objects.update(**{name: 1}), ("update", name))
            self.assertRefused(
                FieldError, lambda: Victim.objects.in_bulk([1], field_name=name), ("in_bulk", name)
            )
            self.assertRefused(
                FieldError,
                lambda: Victim.objects.get_or_create(name="zed", defaults={name: 1}),
                ("get_or_create", name),
            )
            self.assertRefused(
                FieldError,
                lambda: Victim.objects.bulk_update([self.v1], [name]),
                ("bulk_update", name),
            )
            self.assertRefused(
                FieldError,
                lambda: Victim.objects.select_for_update(of=(name,)),
                ("select_for_update of", name),
            )
        self.assertFalse(Victim.objects.filter(name="zed").exists())


class AliasTests(InjectionTestCase):
    msg = "Column aliases cannot contain whitespace characters, quotation marks, semicolons, or SQL comments"

    def test_annotate_alias_aggregate_values(self):
        for alias in HOSTILE_ALIASES:
            self.assertRefused(
                ValueError, lambda: Victim.objects.annotate(**{alias: F("n")}), ("annotate", alias), self.msg
            )
            self.assertRefused(
                ValueError, lambda: Victim.objects.alias(**{alias: F("n")}), ("alias", alias), self.msg
            )
            self.assertRefused(
                ValueError, lambda: Victim.objects.aggregate(**{alias: Count("id")}), ("aggregate", alias), self.msg
            )
            self.assertRefused(
                ValueError, lambda: Victim.objects.values(**{alias: F("n")}), ("values", alias), self.msg
            )
            self.assertRefused(
                ValueError, lambda: Victim.objects.annotate(**{alias: Value(1)}), ("annotate Value", alias), self.msg
            )

    def test_valid_alias_is_quoted(self):
        sql = str(Victim.objects.annotate(select=F("n")).query)
        self.assertIn(connection.ops.quote_name("select"), sql)
        self.assertEqual(Victim.objects.annotate(select=F("n")).get(name="alice").select, 1)


class ConnectorSmugglingTests(InjectionTestCase):
    def test_filter_exclude_get_refuse_connector(self):
        for method in ("filter", "exclude", "get"):
            for kwargs in (
                {"_connector": "OR 1=1 --"},
                {"_connector": "OR"},
                {"_negated": True},
                {"name": "alice", "_connector": "OR 1=1 --"},
            ):
                self.assertRefused(
                    TypeError,
                    lambda: getattr(Victim.objects, method)(**kwargs),
                    (method, kwargs),
                    "The following kwargs are invalid",
                )

    def test_q_refuses_bad_connector(self):
        for connector in ("OR 1=1 --", "AND;", " OR", "or", "", "XOR)"):
            self.assertRefused(
                ValueError, lambda: Victim.objects.filter(Q(name="x", _connector=connector)), connector, "_connector"
            )
        self.assertRefused(ValueError, lambda: Q(_negated="1 OR 1=1"), "_negated", "_negated")
        # The documented connectors still work.
        self.assertEqual(
            sorted(Victim.objects.filter(Q(name="alice", n=2, _connector=Q.OR)).values_list("name", flat=True)),
            ["alice", "bob"],
        )


class KindAndOptionTests(InjectionTestCase):
    def test_trunc_extract_kinds(self):
        for tail in HOSTILE_TAILS:
            for kind in ("day" + tail, tail + "day", tail):
                self.assertRefused(ValueError, lambda: Victim.objects.annotate(t=Trunc("day", kind)), ("Trunc", kind))
                self.assertRefused(ValueError, lambda: Victim.objects.annotate(t=Extract("day", kind)), ("Extract", kind))
                self.assertRefused(ValueError, lambda: Victim.objects.dates("day", kind), ("dates", kind))
                self.assertRefused(ValueError, lambda: Victim.objects.datetimes("day", kind), ("datetimes", kind))

    def test_explain_options(self):
        if not connection.features.supports_explaining_query_execution:
            self.skipTest("This database has no EXPLAIN.")
        for name in HOSTILE_NAMES:
            self.assertRefused(
                ValueError, lambda: Victim.objects.explain(**{name: True}), ("option", name)
            )
            self.assertRefused(
                ValueError, lambda: Victim.objects.explain(format=name), ("format", name)
            )


class JSONKeyTests(InjectionTestCase):
    def test_keys_are_parameters(self):
        for tail in HOSTILE_TAILS:
            key = "k" + tail
            with self.subTest(key=key):
                if "\x00" in key:
                    self.assertRefused(
                        ValueError, lambda: Victim.objects.filter(**{"data__" + key: "v"}), key, "NUL"
                    )
                    continue
                self.assertEqual(list(Victim.objects.filter(**{"data__" + key: "v"})), [])
                self.assertEqual(list(Victim.objects.filter(**{"data__" + key + "__isnull": False})), [])
                self.assertEqual(list(Victim.objects.filter(**{"data__a__" + key: 1})), [])
                self.assertEqual(list(Victim.objects.filter(data__has_key=key)), [])
                self.assertEqual(list(Victim.objects.filter(data__has_keys=["k", key])), [])
                self.assertEqual(
                    list(Victim.objects.filter(data__has_any_keys=[key]).values_list("name", flat=True)), []
                )
                self.assertUntouched()
        # The keys still work when they exist.
        self.assertEqual(list(Victim.objects.filter(data__k="v")), [self.v1])
        self.assertEqual(list(Victim.objects.filter(data__a__b=1)), [self.v2])

    def test_key_never_in_sql_text(self):
        key = "k'); DROP TABLE query_injection_canary; --"
        sql, params = Victim.objects.filter(**{"data__" + key: 1}).query.sql_with_params()
        self.assertNotIn("DROP TABLE", sql)
        self.assertTrue(any("DROP TABLE" in str(p) for p in params))


class ValueTests(InjectionTestCase):
    def test_values_are_parameters(self):
        for tail in HOSTILE_TAILS:
            value = "alice" + tail
            if "\x00" in value and connection.vendor == "postgresql":
                continue  # PostgreSQL text cannot hold NUL at all.
            with self.subTest(value=value):
                if "\x00" in value:
                    # SQLite compares text up to a NUL: still only a value.
                    self.assertIn(list(Victim.objects.filter(name=value)), ([], [self.v1]))
                    self.assertUntouched()
                    continue
                self.assertEqual(list(Victim.objects.filter(name=value)), [])
                self.assertEqual(list(Victim.objects.filter(name__contains=value)), [])
                self.assertEqual(list(Victim.objects.filter(name__in=[value, "x"])), [])
                sql, params = Victim.objects.filter(name=value).query.sql_with_params()
                self.assertIn(value, params)
                self.assertUntouched()

    def test_identifiers_are_quoted(self):
        qn = connection.ops.quote_name
        sql, _ = Victim.objects.filter(n__gt=0).order_by("name").values("name").query.sql_with_params()
        self.assertIn(qn(Victim._meta.db_table), sql)
        self.assertIn("%s.%s" % (qn(Victim._meta.db_table), qn("name")), sql)
