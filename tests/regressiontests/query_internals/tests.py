"""Unit tests of the SQL layer's building blocks and rarely used paths."""
import copy
import pickle

from django.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from django.db import connection, connections, models
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.expressions import Col, CombinedExpression, ExpressionList, Ref, Star
from django.db.models.functions import Abs, Greatest, Least, Mod, NullIf, Random, Replace, Round
from django.db.models.query import EmptyQuerySet
from django.db.models.query_utils import FilteredRelation, RegisterLookupMixin
from django.db.models.sql import Query
from django.db.models.sql.datastructures import BaseTable, Join
from django.db.models.sql.subqueries import DeleteQuery, UpdateQuery
from django.db.models.sql.where import AND, OR, NothingNode, WhereNode
from django.db.utils import NotSupportedError
from django.test import SimpleTestCase, TestCase

from .models import Item


class DataStructureTests(SimpleTestCase):
    def test_base_table_and_join(self):
        compiler = Query(Item).get_compiler(connection=connection)
        qn = connection.ops.quote_name
        table = BaseTable("t", "t")
        self.assertEqual(table.as_sql(compiler, connection), (qn("t"), []))
        aliased = table.relabeled_clone({"t": "U0"})
        self.assertEqual(aliased.as_sql(compiler, connection), ("%s %s" % (qn("t"), qn("U0")), []))
        self.assertNotEqual(table, aliased)
        self.assertEqual(hash(table), hash(BaseTable("t", "t")))
        self.assertIn("BaseTable", repr(table))
        join = Join("u", "t", "T2", "LEFT OUTER JOIN", None, True, join_cols=[("a_id", "id")])
        sql, params = join.as_sql(compiler, connection)
        self.assertEqual(
            sql,
            "LEFT OUTER JOIN %s %s ON (%s.%s = %s.%s)"
            % (qn("u"), qn("T2"), qn("t"), qn("a_id"), qn("T2"), qn("id")),
        )
        relabeled = join.relabeled_clone({"t": "X", "T2": "T3"})
        self.assertEqual((relabeled.parent_alias, relabeled.table_alias), ("X", "T3"))
        self.assertFalse(join.equals(relabeled))
        same = join.relabeled_clone({})
        self.assertTrue(join.equals(same))
        self.assertEqual(join, same)
        self.assertEqual(hash(join), hash(same))
        self.assertEqual(join.demote().join_type, "INNER JOIN")
        self.assertEqual(join.demote().promote().join_type, "LEFT OUTER JOIN")


class WhereNodeTests(SimpleTestCase):
    def compile(self, node):
        compiler = Query(Item).get_compiler(connection=connection)
        return compiler.compile(node)

    def test_empty_and_full(self):
        with self.assertRaises(FullResultSet):
            self.compile(WhereNode())
        with self.assertRaises(EmptyResultSet):
            self.compile(WhereNode([NothingNode()]))
        with self.assertRaises(FullResultSet):
            self.compile(WhereNode([NothingNode()], negated=True))
        with self.assertRaises(EmptyResultSet):
            self.compile(WhereNode([WhereNode()], negated=True))
        with self.assertRaises(EmptyResultSet):
            self.compile(WhereNode([NothingNode(), NothingNode()], OR))
        with self.assertRaises(FullResultSet):
            self.compile(WhereNode([WhereNode(), NothingNode()], OR))
        with self.assertRaises(EmptyResultSet):
            self.compile(WhereNode([WhereNode(), NothingNode()], OR, negated=True))

    def test_split_having(self):
        q = Query(Item)
        q.add_annotation(Count("id"), "n")
        q.add_q(Q(n__gt=1) & Q(qty=2))
        where, having = q.where.split_having()
        self.assertFalse(where.contains_aggregate)
        self.assertTrue(having.contains_aggregate)
        q2 = Query(Item)
        q2.add_annotation(Count("id"), "n")
        q2.add_q(Q(n__gt=1) | Q(qty=2))
        where, having = q2.where.split_having()
        self.assertIsNone(where)
        self.assertTrue(having.contains_aggregate)
        q3 = Query(Item)
        q3.add_q(Q(qty=2))
        self.assertEqual(q3.where.split_having(), (q3.where, None))

    def test_relabel_clone_flatten(self):
        q = Query(Item)
        q.add_q(Q(qty=1) | Q(name="x"))
        table = Item._meta.db_table
        clone = q.where.relabeled_clone({table: "U0"})
        cols = [c for c in clone.flatten() if isinstance(c, Col)]
        self.assertTrue(cols and all(c.alias == "U0" for c in cols))
        self.assertTrue(all(c.alias == table for c in q.where.flatten() if isinstance(c, Col)))
        self.assertEqual(len(list(q.where.leaves())), 2)
        self.assertEqual(q.where.get_refs(), set())
        self.assertFalse(q.where.is_summary)
        self.assertFalse(q.where.contains_over_clause)
        self.assertEqual(len(q.where.get_group_by_cols()), 2)
        self.assertEqual(q.where.get_source_expressions(), q.where.children)
        self.assertEqual(NothingNode().get_group_by_cols(), [])
        self.assertIs(NothingNode().relabeled_clone({}).__class__, NothingNode)
        self.assertEqual(NothingNode().get_refs(), set())


class QueryObjectTests(SimpleTestCase):
    def test_q_behaviour(self):
        q = Q(a=1) | Q(b=2)
        self.assertEqual(q.deconstruct(), ("django.db.models.Q", (("a", 1), ("b", 2)), {"_connector": "OR"}))
        self.assertEqual((~Q(a=1)).deconstruct()[2], {"_negated": True})
        self.assertEqual(q.referenced_base_fields(), {"a", "b"})
        self.assertEqual(len(list(q.flatten())), 3)
        self.assertEqual(Q() & q, q)
        self.assertEqual(q & Q(), q)
        with self.assertRaisesMessage(TypeError, "Cannot combine a Q object with 1"):
            Q(a=1) & 1
        self.assertEqual(Q(a=1), Q(a=1))
        self.assertEqual(hash(Q(a=1)), hash(Q(a=1)))
        self.assertEqual(pickle.loads(pickle.dumps(q)), q)
        self.assertEqual(copy.deepcopy(q), q)

    def test_register_instance_lookup(self):
        field = models.IntegerField()

        class Twice(models.Transform):
            lookup_name = "twice"
            template = "(%(expressions)s * 2)"

        field.register_lookup(Twice)
        self.assertIs(field.get_transform("twice"), Twice)
        self.assertIsNone(models.IntegerField().get_transform("twice"))
        self.assertIsNone(field.get_lookup("twice"))
        field._unregister_lookup(Twice)
        self.assertIsNone(field.get_transform("twice"))
        self.assertIn("exact", models.IntegerField.get_lookups())
        self.assertIsNone(models.IntegerField().get_transform("exact"))

    def test_placeholders(self):
        with self.assertRaisesMessage(ValueError, "relation_name cannot be empty."):
            FilteredRelation("")
        with self.assertRaisesMessage(TypeError, "EmptyQuerySet can't be instantiated"):
            EmptyQuerySet()
        self.assertEqual(Item.objects.prefetch_related("x")._prefetch_related_lookups, ("x",))
        self.assertEqual(list(Item.objects.prefetch_related(None)._prefetch_related_lookups), [])
        with self.assertRaisesMessage(FieldError, "Non-relational field given in select_related: 'name'"):
            Item.objects.select_related("name")
        with self.assertRaisesMessage(FieldError, "Invalid field name(s) given in select_related: 'nope'"):
            Item.objects.select_related("nope")
        Item.objects.select_related()
        Item.objects.select_related(None)

    def test_expression_basics(self):
        self.assertEqual(F("a"), F("a"))
        self.assertNotEqual(F("a"), F("b"))
        self.assertEqual(repr(F("a")), "F(a)")
        self.assertEqual(Value(1), Value(1))
        self.assertNotEqual(Value(1), Value(2))
        self.assertEqual(repr(Value("x")), "Value('x')")
        self.assertIn("+", repr(F("a") + 1))
        self.assertEqual(repr(Star()), "'*'")
        with self.assertRaisesMessage(NotImplementedError, "Use .bitand(), .bitor(), and .bitxor()"):
            F("a") & F("b")
        with self.assertRaisesMessage(NotImplementedError, "Use .bitand()"):
            F("a") | F("b")
        with self.assertRaisesMessage(NotImplementedError, "Use .bitand()"):
            F("a") ^ F("b")
        with self.assertRaisesMessage(ValueError, "ExpressionList requires at least one expression."):
            ExpressionList()
        with self.assertRaisesMessage(ValueError, "nulls_first and nulls_last are mutually exclusive"):
            F("a").asc(nulls_first=True, nulls_last=True)
        with self.assertRaisesMessage(ValueError, "expression must be an expression type"):
            models.OrderBy("a")
        with self.assertRaisesMessage(TypeError, "'Abs' takes exactly 1 argument (2 given)"):
            Abs("a", "b")
        with self.assertRaisesMessage(ValueError, "Coalesce must take at least two expressions"):
            models.functions.Coalesce("a")
        with self.assertRaisesMessage(ValueError, "Concat must take at least two expressions"):
            models.functions.Concat("a")
        with self.assertRaisesMessage(ValueError, "Star cannot be used with filter"):
            Count("*", filter=Q(a=1))
        self.assertEqual(Count("x").default_alias, "x__count")
        with self.assertRaisesMessage(TypeError, "Complex expressions require an alias"):
            Count(F("a") + 1).default_alias
        self.assertIn("distinct=True", repr(Count("x", distinct=True)))
        self.assertIn("filter=", repr(Sum("x", filter=Q(a=1))))


class QueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a = Item.objects.create(name="a", qty=1, score=1.0)
        cls.b = Item.objects.create(name="b", qty=2, score=None)
        cls.c = Item.objects.create(name="c", qty=3, score=3.5)

    def names(self, qs):
        return sorted(i.name for i in qs)

    def test_delete_and_update_batches(self):
        q = UpdateQuery(Item)
        self.assertEqual(q.update_batch([self.a.pk, self.b.pk], {"qty": 10}, "default"), 2)
        self.assertEqual(sorted(Item.objects.values_list("qty", flat=True)), [3, 10, 10])
        with self.assertRaisesMessage(FieldError, "Cannot resolve keyword 'nope' into field."):
            UpdateQuery(Item).add_update_values({"nope": 1})
        self.assertEqual(DeleteQuery(Item).delete_batch([self.a.pk, self.c.pk], "default"), 2)
        self.assertEqual(self.names(Item.objects.all()), ["b"])
        self.assertEqual(DeleteQuery(Item).delete_batch([self.b.pk], using="default"), 1)

    def test_sticky_and_complex_filter(self):
        qs = Item.objects.all()._reuse_joins_in_next_filter().filter(qty__gt=1)
        self.assertEqual(self.names(qs), ["b", "c"])
        self.assertEqual(self.names(Item.objects.complex_filter({"qty": 1})), ["a"])
        self.assertEqual(self.names(Item.objects.complex_filter(Q(qty=3))), ["c"])
        self.assertEqual(self.names(copy.deepcopy(Item.objects.filter(qty=2))), ["b"])

    def test_subquery_variants(self):
        inner = Item.objects.filter(qty__gt=OuterRef("qty")).order_by("qty").values("name")[:1]
        rows = Item.objects.annotate(next_name=Subquery(inner)).order_by("qty")
        self.assertEqual([r.next_name for r in rows], ["b", "c", None])
        nested = Item.objects.filter(pk__in=Item.objects.filter(pk__in=Item.objects.filter(qty__gte=2).values("pk")))
        self.assertEqual(self.names(nested), ["b", "c"])
        grouped = Item.objects.values("qty").annotate(
            bigger=Exists(Item.objects.filter(qty__gt=OuterRef("qty")))
        ).order_by("qty")
        self.assertEqual([r["bigger"] for r in grouped], [True, True, False])
        self.assertEqual(self.names(Item.objects.filter(qty=Subquery(Item.objects.filter(name="c").values("qty")))), ["c"])
        with self.assertRaisesMessage(ValueError, "The QuerySet value for an exact lookup must be limited to one result"):
            Item.objects.filter(qty=Item.objects.values("qty"))
        self.assertEqual(self.names(Item.objects.filter(pk=Item.objects.filter(name="a")[:1])), ["a"])

    def test_functions(self):
        row = Item.objects.annotate(
            g=Greatest("qty", Value(2)), l=Least("qty", Value(2)), n=NullIf("qty", Value(1)),
            m=Mod("qty", Value(2)), r=Round("score"), a=Abs(F("qty") * -1),
            rep=Replace("name", Value("a"), Value("z")),
        ).get(name="a")
        self.assertEqual((row.g, row.l, row.n, row.a, row.rep), (2, 1, None, 1, "z"))
        self.assertEqual(row.m, 1)
        self.assertEqual(row.r, 1)
        self.assertEqual(len(list(Item.objects.annotate(r=Random()).order_by("r"))), 3)

    def test_aggregation_shapes(self):
        self.assertEqual(Item.objects.annotate(n=Count("id")).aggregate(Max("n")), {"n__max": 1})
        self.assertEqual(Item.objects.filter(qty__gt=5).aggregate(Max("qty")), {"qty__max": None})
        self.assertEqual(Item.objects.annotate(d=F("qty") * 2).filter(d__gt=2).count(), 2)
        with self.assertRaisesMessage(FieldError, "Cannot aggregate over the 'x' alias. Use annotate() to promote it."):
            Item.objects.alias(x=F("qty")).aggregate(Sum("x"))
        self.assertEqual(Item.objects.values("name").order_by("name").distinct().count(), 3)
        self.assertEqual(list(Item.objects.annotate(n=Count("id")).order_by("-n", "name").values_list("name", flat=True)), ["a", "b", "c"])
        self.assertEqual(Item.objects.none().aggregate(n=Count("id")), {"n": 0})
        self.assertEqual(Item.objects.filter(qty__in=[]).count(), 0)
        with self.assertRaisesMessage(TypeError, "Cannot use QuerySet.first() on an unordered queryset performing aggregation."):
            Item.objects.values("qty").annotate(n=Count("id")).first()

    def test_combined_errors(self):
        union = Item.objects.filter(qty=1).union(Item.objects.filter(qty=3))
        with self.assertRaisesMessage(NotSupportedError, "Calling QuerySet.filter() after union() is not supported."):
            union.filter(qty=1)
        with self.assertRaisesMessage(NotSupportedError, "Calling QuerySet.get(...) with filters after union() is not supported."):
            union.get(qty=1)
        self.assertEqual(len(union), 2)
        with self.assertRaisesMessage(TypeError, "Cannot use & operator with combined queryset."):
            union & Item.objects.all()
        with self.assertRaisesMessage(FieldError, "ORDER BY term does not match any column in the result set: score2"):
            list(union.order_by(F("score2")))
        self.assertEqual(list(Item.objects.none().union(Item.objects.filter(qty=1))), [self.a])
        self.assertEqual(list(Item.objects.filter(qty=1).union(Item.objects.none())), [self.a])
        self.assertEqual(Item.objects.none().union(Item.objects.none()).count(), 0)
        self.assertEqual(list(Item.objects.none().intersection(Item.objects.all())), [])
        self.assertEqual(list(Item.objects.all().intersection(Item.objects.none())), [])
        self.assertEqual(list(Item.objects.none().difference(Item.objects.all())), [])
        values_union = Item.objects.filter(qty=1).values_list("name", flat=True).union(
            Item.objects.filter(qty=2).values_list("name", flat=True)
        )
        self.assertEqual(sorted(values_union), ["a", "b"])
        self.assertEqual(list(union.order_by("-name").values_list("name", flat=True)), ["c", "a"])

    def test_queryset_operator_edge_cases(self):
        none = Item.objects.none()
        self.assertIs(Item.objects.all() & none, none)
        self.assertEqual(list(none | Item.objects.filter(qty=1)), [self.a])
        self.assertEqual(list(Item.objects.filter(qty=1) | none), [self.a])
        self.assertEqual(list(none ^ Item.objects.filter(qty=1)), [self.a])
        with self.assertRaisesMessage(TypeError, "Merging 'QuerySet' classes must involve the same values in each case."):
            Item.objects.values("name") | Item.objects.values("qty")
        with self.assertRaisesMessage(TypeError, "Cannot combine queries once a slice has been taken."):
            Item.objects.all()[:1] | Item.objects.all()
        with self.assertRaisesMessage(TypeError, "Cannot combine a unique query with a non-unique query."):
            Item.objects.distinct() | Item.objects.all()

    def test_misc_queryset_paths(self):
        qs = Item.objects.all()
        list(qs)
        self.assertEqual(qs.count(), 3)  # from the cache
        self.assertTrue(qs.exists())
        self.assertTrue(qs.contains(self.a))
        self.assertEqual(qs[0], self.a)
        with self.assertRaisesMessage(TypeError, "Cannot reorder a query once a slice has been taken."):
            Item.objects.all()[:1].order_by("qty")
        with self.assertRaisesMessage(TypeError, "Cannot reverse a query once a slice has been taken."):
            Item.objects.all()[:1].reverse()
        with self.assertRaisesMessage(TypeError, "Cannot create distinct fields once a slice has been taken."):
            Item.objects.all()[:1].distinct()
        with self.assertRaisesMessage(TypeError, "Cannot change a query once a slice has been taken."):
            Item.objects.all()[:1].latest("qty")
        with self.assertRaisesMessage(TypeError, "Cannot change a query once a slice has been taken."):
            Item.objects.all()[:1].earliest("qty")
        with self.assertRaisesMessage(TypeError, "Cannot use 'limit' or 'offset' with in_bulk()."):
            Item.objects.all()[:1].in_bulk()
        with self.assertRaisesMessage(TypeError, "Cannot call delete() after .distinct()."):
            Item.objects.distinct().delete()
        with self.assertRaisesMessage(TypeError, "Cannot call QuerySet.contains() after .values() or .values_list()."):
            Item.objects.values("id").contains(self.a)
        with self.assertRaisesMessage(TypeError, "'obj' must be a model instance."):
            Item.objects.contains(1)
        with self.assertRaisesMessage(TypeError, "Cannot call only() after .values() or .values_list()"):
            Item.objects.values("id").only("name")
        with self.assertRaisesMessage(TypeError, "Cannot call defer() after .values() or .values_list()"):
            Item.objects.values("id").defer("name")
        with self.assertRaisesMessage(TypeError, "Cannot call select_related() after .values() or .values_list()"):
            Item.objects.values("id").select_related()
        with self.assertRaisesMessage(ValueError, "Slice step must be a positive integer."):
            Item.objects.all()[::0]
        self.assertEqual(self.names(Item.objects.filter(Q(qty=1) | Q(qty=2), ~Q(name="b"))), ["a"])
        self.assertEqual(self.names(Item.objects.filter(Exists(Item.objects.filter(qty=99)) | Q(qty=3))), ["c"])
        self.assertEqual(Item.objects.order_by("qty").reverse().first(), self.c)
        self.assertEqual(Item.objects.last(), self.c)
        self.assertEqual(Item.objects.earliest("qty", "name"), self.a)
        only_again = Item.objects.only("name").only("qty").get(pk=self.a.pk)
        self.assertEqual(only_again.get_deferred_fields(), {"name", "score"})
        deferred = Item.objects.only("name", "qty").defer("qty").get(pk=self.a.pk)
        self.assertEqual(deferred.get_deferred_fields(), {"qty", "score"})
        deferred = Item.objects.only("name").defer("name").get(pk=self.a.pk)
        self.assertEqual(deferred.get_deferred_fields(), set())
        self.assertEqual(Item.objects.only("pk").get(pk=self.a.pk).get_deferred_fields(), {"name", "qty", "score"})
        self.assertEqual(pickle.loads(pickle.dumps(Item.objects.values_list("name", named=True).get(pk=self.a.pk))).name, "a")
        self.assertEqual(Item.objects.values_list("name", "qty").get(pk=self.a.pk), ("a", 1))
        raw = Item.objects.raw("SELECT * FROM %s" % connection.ops.quote_name(Item._meta.db_table))
        self.assertEqual(len(raw), 3)
        self.assertTrue(raw)
        self.assertIn(raw[0].name, ("a", "b", "c"))
        self.assertEqual(Item.objects.filter(name__in=("a", "b")).update(score=F("qty") + 0.5), 2)
        self.assertEqual(Item.objects.get(pk=self.b.pk).score, 2.5)
        self.assertEqual(Item.objects.filter(qty__in=Item.objects.filter(qty__gt=2).values_list("qty", flat=True)).count(), 1)

    def test_query_helpers(self):
        q = Query(Item)
        self.assertIsNone(q.output_field)
        q.add_fields(["name"])
        self.assertEqual(q.output_field, Item._meta.get_field("name"))
        with self.assertRaisesMessage(ValueError, "Need either using or connection"):
            q.get_compiler()
        self.assertIs(q.get_compiler(connection=connection).connection, connection)
        # An alias gives this thread's wrapper of it.
        self.assertIs(q.get_compiler("default").connection, connections["default"])
        self.assertFalse(q.is_empty())
        q.set_empty()
        self.assertTrue(q.is_empty())
        q2 = Query(Item)
        q2.set_limits(2, 5)
        q2.set_limits(1, 2)
        self.assertEqual((q2.low_mark, q2.high_mark), (3, 4))
        q2.clear_limits()
        self.assertFalse(q2.is_sliced)
        with self.assertRaisesMessage(FieldError, "Invalid order_by arguments: [1]"):
            Query(Item).add_ordering(1)
        with self.assertRaisesMessage(FieldError, "Cannot parse keyword query as dict"):
            Query(Item).build_filter({"a": 1})
        with self.assertRaisesMessage(FieldError, "Cannot parse keyword query"):
            Query(Item).build_filter(("", 1))
        self.assertIn("SELECT", str(Item.objects.all().query))
        self.assertEqual(Query(Item).count_active_tables(), 0)
        with self.assertRaisesMessage(FieldError, "F() expressions need a field name"):
            Query(Item).resolve_ref(1)
        with self.assertRaisesMessage(TypeError, "Field names must be strings"):
            Query(Item).add_fields([1])


class CompilerPathTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Item.objects.create(name="a", qty=1)
        Item.objects.create(name="b", qty=2)
        Item.objects.create(name="c", qty=3)

    def test_sliced_distinct_subquery_keeps_one_column(self):
        inner = Item.objects.values("pk").distinct().order_by("-qty")[:2]
        self.assertEqual(
            sorted(Item.objects.filter(pk__in=inner).values_list("name", flat=True)), ["b", "c"]
        )

    def test_empty_subqueries_in_select(self):
        row = Item.objects.annotate(
            e=Exists(Item.objects.none()),
            s=Subquery(Item.objects.none().values("qty")[:1]),
        ).get(name="a")
        self.assertEqual((row.e, row.s), (False, None))

    def test_empty_writes(self):
        self.assertEqual(Item.objects.none().delete(), (0, {}))
        self.assertEqual(Item.objects.none().update(qty=5), 0)
        self.assertEqual(Item.objects.none()._delete_without_collecting(), 0)

    def test_insert_expressions(self):
        item = Item.objects.create(name=Value("made"), qty=Value(4) + 1)
        self.assertEqual(Item.objects.get(pk=item.pk).qty, 5)
        with self.assertRaisesMessage(ValueError, "F() expressions can only be used to update, not to insert."):
            Item.objects.create(name="x", qty=F("qty"))
        with self.assertRaisesMessage(FieldError, "Aggregate functions are not allowed in this query"):
            Item.objects.create(name="x", qty=Sum(Value(1)))

    def test_execute_sql_result_types(self):
        from django.db.models.sql.constants import CURSOR, MULTI, NO_RESULTS, ROW_COUNT, SINGLE

        def compiler(queryset):
            return queryset.query.get_compiler(connection=connection)

        names = Item.objects.order_by("name").values_list("name")
        cursor = compiler(names).execute_sql(CURSOR)
        try:
            self.assertEqual([row[0] for row in cursor.fetchall()], ["a", "b", "c"])
        finally:
            cursor.close()
        self.assertIsNone(compiler(names).execute_sql(NO_RESULTS))
        self.assertIsNone(compiler(names).execute_sql(None))
        self.assertEqual(compiler(names).execute_sql(SINGLE), ("a",))
        chunks = list(compiler(names).execute_sql(MULTI, chunked_fetch=True, chunk_size=2))
        self.assertEqual([[row[0] for row in chunk] for chunk in chunks], [["a", "b"], ["c"]])
        # A query that can match nothing sends no statement.
        nothing = compiler(Item.objects.none())
        with self.assertNumQueries(0):
            self.assertEqual(list(nothing.execute_sql(MULTI)), [])
            self.assertEqual(nothing.execute_sql(ROW_COUNT), 0)
            self.assertIsNone(nothing.execute_sql(SINGLE))
            self.assertIsNone(nothing.execute_sql(CURSOR))

    def test_several_converters_of_a_column_run_in_order(self):
        compiler = Item.objects.all().query.get_compiler(connection=connection)

        def plus_one(value, expression, connection):
            return value + 1

        def doubled(value, expression, connection):
            return value * 2

        rows = compiler.apply_converters([(1, "x"), (5, "y")], {0: ([plus_one, doubled], None)})
        self.assertEqual(list(rows), [[4, "x"], [12, "y"]])

    def test_select_related_names_are_checked_when_compiled(self):
        query = Item.objects.all().query.clone()
        query.add_select_related(["name"])
        with self.assertRaisesMessage(FieldError, "Non-relational field given in select_related: 'name'. Choices are: (none)"):
            str(query)
