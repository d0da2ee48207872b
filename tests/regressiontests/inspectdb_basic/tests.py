import datetime
import decimal
import io

from django.core.management import call_command
from django.db import get_connection
from django.test import SimpleTestCase, TransactionTestCase
from django.test.utils import isolate_apps

PEOPLE = "h8_inspect_people"
NOPK = "h8_inspect_nopk"


def create_tables():
    connection = get_connection()
    qn = connection.ops.quote_name
    statements = [
        "CREATE TABLE %s (%s integer NOT NULL PRIMARY KEY, %s varchar(20) NOT NULL, "
        "%s integer NULL, %s integer NULL, %s integer NULL, %s integer NULL, %s integer NULL, "
        "%s decimal(8, 2) NULL, %s date NULL, %s text NULL, %s varchar(10) NOT NULL, "
        "%s integer NOT NULL, %s integer NOT NULL, UNIQUE (%s, %s))"
        % (
            qn(PEOPLE), qn("id"), qn("Weird Name"), qn("class"), qn("_under"), qn("2nd"),
            qn("a__b"), qn("objects"), qn("amount"), qn("born"), qn("notes"), qn("code"),
            qn("x"), qn("y"), qn("x"), qn("y"),
        ),
        "CREATE UNIQUE INDEX %s ON %s (%s)" % (qn("h8_inspect_code_uniq"), qn(PEOPLE), qn("code")),
        "CREATE TABLE %s (%s varchar(5) NOT NULL, %s integer NULL)" % (qn(NOPK), qn("word"), qn("n")),
    ]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_tables():
    connection = get_connection()
    with connection.cursor() as cursor:
        for table in (PEOPLE, NOPK):
            if table in connection.introspection.table_names(cursor):
                cursor.execute("DROP TABLE %s" % connection.ops.quote_name(table))


class InspectDBTests(TransactionTestCase):
    available_apps = ["regressiontests.inspectdb_basic"]

    def setUp(self):
        drop_tables()
        create_tables()
        self.addCleanup(drop_tables)

    def inspect(self, *tables, **options):
        out = io.StringIO()
        call_command("inspectdb", *tables, stdout=out, **options)
        return out.getvalue()

    def test_output(self):
        output = self.inspect(PEOPLE)
        self.assertIn("from django.db import models", output)
        self.assertIn("class H8InspectPeople(models.Model):", output)
        # "id integer primary key" is Django's implicit pk on most backends;
        # where it is written out it must be the primary key.
        if "    id = " in output:
            self.assertIn("primary_key=True", output.split("    id = ")[1].splitlines()[0])
        self.assertIn(
            "weird_name = models.CharField(db_column='Weird Name', max_length=20)  "
            "# Field name made lowercase. Field renamed to remove unsuitable characters.", output,
        )
        self.assertIn("class_field = models.IntegerField(db_column='class', blank=True, null=True)  "
                      "# Field renamed because it was a Python reserved word.", output)
        self.assertIn("field_under = models.IntegerField(db_column='_under'", output)
        self.assertIn("number_2nd = models.IntegerField(db_column='2nd'", output)
        self.assertIn("a_b = models.IntegerField(db_column='a__b'", output)
        self.assertIn("objects_field = models.IntegerField(db_column='objects'", output)
        self.assertIn("amount = models.DecimalField(", output)
        self.assertIn("born = models.DateField(blank=True, null=True)", output)
        self.assertIn("notes = models.TextField(blank=True, null=True)", output)
        self.assertIn("code = models.CharField(unique=True, max_length=10)", output)
        self.assertIn("        managed = False", output)
        self.assertIn("        db_table = '%s'" % PEOPLE, output)
        self.assertIn("        unique_together = (('x', 'y'),)", output)
        self.assertNotIn(NOPK, output)

    def test_generated_models_work(self):
        connection = get_connection()
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO %s (%s, %s, %s, %s, %s, %s, %s) VALUES (%%s, %%s, %%s, %%s, %%s, %%s, %%s)"
                % (qn(PEOPLE), qn("id"), qn("Weird Name"), qn("class"), qn("amount"), qn("code"), qn("x"), qn("y")),
                [1, "Ann", 3, "12.50", "A", 1, 2],
            )
            cursor.execute(
                "INSERT INTO %s (%s, %s) VALUES (%%s, %%s)" % (qn(NOPK), qn("word"), qn("n")), ["hi", 5]
            )
        output = self.inspect(PEOPLE, NOPK)
        compile(output, "<inspectdb>", "exec")
        with isolate_apps("regressiontests.inspectdb_basic"):
            namespace = {"__name__": "regressiontests.inspectdb_basic.generated"}
            exec(output, namespace)
            People = namespace["H8InspectPeople"]
            Nopk = namespace["H8InspectNopk"]
            self.assertFalse(People._meta.managed)
            ann = People.objects.get(pk=1)
            self.assertEqual(ann.weird_name, "Ann")
            self.assertEqual(ann.class_field, 3)
            self.assertEqual(ann.amount, decimal.Decimal("12.50"))
            People.objects.create(id=2, weird_name="Bob", code="B", x=1, y=3, born=datetime.date(2000, 1, 2))
            self.assertEqual(
                list(People.objects.order_by("id").values_list("weird_name", flat=True)), ["Ann", "Bob"]
            )
            self.assertEqual(People.objects.get(code="B").born, datetime.date(2000, 1, 2))
            self.assertEqual(Nopk.objects.get().word, "hi")
            self.assertEqual(Nopk._meta.pk.name, "word")

    def test_table_filters(self):
        output = self.inspect(table_name_filter=lambda name: name.startswith("h8_inspect_"))
        self.assertIn("class H8InspectPeople(models.Model):", output)
        self.assertIn("class H8InspectNopk(models.Model):", output)
        self.assertIn("this column is used as one", output)
        output = self.inspect("h8_no_such_table")
        self.assertIn("# Unable to inspect table 'h8_no_such_table'", output)


OTHER = ["h8_inspect_view", "h8_inspect_pair", "1h8_inspect_odd"]


class InspectDBMoreTests(TransactionTestCase):
    available_apps = ["regressiontests.inspectdb_basic"]

    def setUp(self):
        self.drop()
        connection = get_connection()
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE %s (%s integer NOT NULL, %s integer NOT NULL, %s varchar(5) NULL, "
                "%s integer NULL, %s integer NULL, %s integer NULL, PRIMARY KEY (%s, %s))"
                % (qn("h8_inspect_pair"), qn("a"), qn("b"), qn("end_"), qn("p_q"), qn("p q"),
                   qn("p-q"), qn("a"), qn("b"))
            )
            cursor.execute("CREATE TABLE %s (%s integer NOT NULL PRIMARY KEY, %s integer NULL)" % (
                qn("1h8_inspect_odd"), qn("id"), qn("!!")))
            cursor.execute("CREATE VIEW %s AS SELECT %s, %s FROM %s" % (
                qn("h8_inspect_view"), qn("a"), qn("b"), qn("h8_inspect_pair")))
        self.addCleanup(self.drop)

    def drop(self):
        connection = get_connection()
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            info = {t.name: t.type for t in connection.introspection.get_table_list(cursor)}
            if "h8_inspect_view" in info:
                cursor.execute("DROP VIEW %s" % qn("h8_inspect_view"))
            for table in ("h8_inspect_pair", "1h8_inspect_odd"):
                if table in info:
                    cursor.execute("DROP TABLE %s" % qn(table))

    def inspect(self, *tables, **options):
        out = io.StringIO()
        call_command("inspectdb", *tables, stdout=out, **options)
        return out.getvalue()

    def test_odd_names_composite_pk_and_views(self):
        output = self.inspect(
            include_views=True, table_name_filter=lambda name: name in OTHER
        )
        self.assertIn("class H8InspectPair(models.Model):", output)
        # SQLite reports an integer column of a primary key as an AutoField.
        self.assertRegex(
            output,
            r"a = models\.(Integer|Auto)Field\(primary_key=True\)  # The composite primary key "
            r"\(a, b\) found, that is not supported\. The first column is selected\.",
        )
        self.assertIn("end_field = models.CharField(db_column='end_'", output)
        self.assertIn("p_q = models.IntegerField(blank=True, null=True)", output)
        self.assertIn("p_q_0 = models.IntegerField(db_column='p q'", output)
        self.assertIn("p_q_1 = models.IntegerField(db_column='p-q'", output)
        self.assertIn("class Table1H8InspectOdd(models.Model):", output)
        self.assertIn("    field_field = models.IntegerField(db_column='!!'", output)
        self.assertIn("class H8InspectView(models.Model):", output)
        self.assertIn("managed = False  # Created from a view. Don't remove.", output)
        self.assertNotIn("H8InspectView", self.inspect(table_name_filter=lambda name: name in OTHER))
        compile(output, "<inspectdb>", "exec")

    def test_guessed_types(self):
        from collections import namedtuple

        from django.core.management.commands.inspectdb import Command

        Row = namedtuple("Row", "name type_code display_size internal_size precision scale null_ok")

        class Introspection:
            def get_field_type(self, type_code, row):
                if type_code == "?":
                    raise KeyError(type_code)
                return type_code

        connection = type("Connection", (), {"introspection": Introspection()})()
        command = Command()
        self.assertEqual(
            command.get_field_type(connection, "t", Row("c", "?", None, None, None, None, True)),
            ("TextField", {}, ["This field type is a guess."]),
        )
        self.assertEqual(
            command.get_field_type(connection, "t", Row("c", "CharField", None, None, None, None, True))[0],
            "TextField",
        )
        self.assertEqual(
            command.get_field_type(connection, "t", Row("c", "DecimalField", None, None, 7, 2, True))[1],
            {"max_digits": 7, "decimal_places": 2},
        )
        guessed = command.get_field_type(
            connection, "t", Row("c", "DecimalField", None, None, None, None, True)
        )
        self.assertEqual(guessed[1], {"max_digits": 10, "decimal_places": 5})
        self.assertEqual(len(guessed[2]), 1)
        self.assertEqual(
            command.get_field_type(connection, "t", Row("c", "CharField", None, 30, None, None, True)),
            ("CharField", {"max_length": 30}, []),
        )
        self.assertEqual(
            command.get_field_type(connection, "t", Row("c", "IntegerField", None, 4, None, None, True)),
            ("IntegerField", {}, []),
        )


class ColumnNameTests(SimpleTestCase):
    """How a column's name becomes an attribute name, and what is noted."""

    def normalize(self, column, used=(), is_relation=False):
        from django.core.management.commands.inspectdb import NOTES, Command

        name, kwargs, notes = Command().normalize_col_name(column, list(used), is_relation)
        reverse = {text: key for key, text in NOTES.items()}
        return name, kwargs, [reverse[note] for note in notes]

    def test_each_rule(self):
        cases = {
            "plain": ("plain", {}, []),
            "Upper": ("upper", {"db_column": "Upper"}, ["lowercase"]),
            "with space": ("with_space", {"db_column": "with space"}, ["characters"]),
            "a__b": ("a_b", {"db_column": "a__b"}, ["double_underscore"]),
            "_lead": ("field_lead", {"db_column": "_lead"}, ["leading"]),
            "trail_": ("trail_field", {"db_column": "trail_"}, ["trailing"]),
            "class": ("class_field", {"db_column": "class"}, ["keyword"]),
            "pk": ("pk_field", {"db_column": "pk"}, ["reserved"]),
            "1st": ("number_1st", {"db_column": "1st"}, ["digit"]),
            "Price ($)": (
                "price_field", {"db_column": "Price ($)"},
                ["lowercase", "characters", "double_underscore", "trailing"],
            ),
            "_": ("field_field", {"db_column": "_"}, ["leading", "trailing"]),
        }
        for column, expected in cases.items():
            with self.subTest(column=column):
                self.assertEqual(self.normalize(column), expected)

    def test_conflicts_get_the_first_free_number(self):
        self.assertEqual(
            self.normalize("Name", used=["name", "name_0"]),
            ("name_1", {"db_column": "Name"}, ["lowercase", "conflict"]),
        )

    def test_relations(self):
        self.assertEqual(self.normalize("author_id", is_relation=True), ("author", {}, []))
        self.assertEqual(
            self.normalize("writer", is_relation=True), ("writer", {"db_column": "writer"}, [])
        )
        self.assertEqual(
            self.normalize("Owner_ID", is_relation=True),
            ("owner", {"db_column": "Owner_ID"}, ["lowercase"]),
        )
