"""The schema editor and the syncdb/sqlall/flush/sqlflush commands."""
from io import StringIO

from django.core.management import call_command
from django.core.management.sql import sql_flush, should_create
from django.core.management.color import no_style
from django.db import get_connection, models
from django.test import TransactionTestCase
from django.test.utils import isolate_apps

from .models import Author, AuthorProxy, Legacy


def constraints_of(table):
    connection = get_connection()
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


class SchemaTests(TransactionTestCase):
    def test_tables_created_by_syncdb(self):
        tables = get_connection().introspection.table_names()
        self.assertIn("model_schema_author", tables)
        self.assertNotIn("schema_legacy_table", tables)  # unmanaged

    def test_indexes_exist(self):
        constraints = constraints_of("model_schema_author")
        by_columns = {tuple(c["columns"]): (name, c) for name, c in constraints.items()}
        name, info = by_columns[("rating", "name")]
        self.assertEqual(name, "author_rating_name_idx")
        self.assertTrue(info["index"])
        self.assertTrue(by_columns[("name", "rating")][1]["unique"])
        self.assertTrue(by_columns[("name",)][1]["index"])
        text_indexed = ("bio",) in by_columns
        self.assertEqual(text_indexed, get_connection().features.supports_index_on_text_field)

    def test_should_create(self):
        connection = get_connection()
        self.assertTrue(should_create(Author, connection))
        self.assertFalse(should_create(AuthorProxy, connection))
        self.assertFalse(should_create(Legacy, connection))

    def test_unmanaged_model_on_hand_made_table(self):
        connection = get_connection()
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE %s (%s varchar(10) PRIMARY KEY, %s integer NOT NULL)"
                           % (qn("schema_legacy_table"), qn("code"), qn("value")))
        try:
            Legacy.objects.create(code="a", value=1)
            self.assertEqual(Legacy.objects.get(pk="a").value, 1)
            # flush leaves unmanaged tables alone
            call_command("flush", interactive=False, verbosity=0)
            self.assertEqual(Legacy.objects.count(), 1)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE %s" % qn("schema_legacy_table"))

    def test_syncdb_output_and_skips_existing(self):
        out = StringIO()
        call_command("syncdb", verbosity=1, interactive=False, stdout=out)
        self.assertNotIn("Creating table model_schema_author", out.getvalue())
        connection = get_connection()
        with connection.schema_editor() as editor:
            editor.delete_model(Author)
        out = StringIO()
        call_command("syncdb", verbosity=1, interactive=False, stdout=out)
        self.assertIn("Creating table model_schema_author", out.getvalue())
        self.assertIn("Installing indexes", out.getvalue())
        self.assertIn("model_schema_author", connection.introspection.table_names())
        out = StringIO()
        call_command("migrate", run_syncdb=True, verbosity=0, interactive=False, stdout=out)
        self.assertEqual(out.getvalue(), "")

    def test_post_migrate_signal(self):
        from django.db.models.signals import post_migrate

        seen = []

        def receiver(sender, app_config, verbosity, interactive, **kwargs):
            seen.append((app_config.label, verbosity, interactive))

        post_migrate.connect(receiver)
        try:
            call_command("syncdb", verbosity=0, interactive=False)
        finally:
            post_migrate.disconnect(receiver)
        self.assertIn(("model_schema", 0, False), seen)

    def test_sqlall(self):
        out = StringIO()
        call_command("sqlall", "model_schema", stdout=out)
        sql = out.getvalue()
        qn = get_connection().ops.quote_name
        self.assertIn("CREATE TABLE %s" % qn("model_schema_author"), sql)
        self.assertIn("CREATE INDEX %s" % qn("author_rating_name_idx"), sql)
        self.assertIn("author_name_rating_uniq", sql)
        self.assertNotIn("schema_legacy_table", sql)
        with self.assertRaisesMessage(Exception, "nope"):
            call_command("sqlall", "nope", stdout=StringIO())

    def test_flush_and_sqlflush(self):
        Author.objects.create(name="a")
        call_command("flush", interactive=False, verbosity=0)
        self.assertEqual(Author.objects.count(), 0)
        # sequences restart
        a = Author.objects.create(name="b")
        self.assertEqual(a.pk, 1)
        out = StringIO()
        call_command("sqlflush", stdout=out)
        self.assertIn("model_schema_author", out.getvalue())
        statements = sql_flush(no_style(), get_connection())
        self.assertTrue(statements)

    def test_flush_interactive_cancel(self):
        from unittest import mock

        Author.objects.create(name="keep")
        out = StringIO()
        with mock.patch("builtins.input", return_value="no"):
            call_command("flush", stdout=out)
        self.assertIn("Flush cancelled.", out.getvalue())
        self.assertEqual(Author.objects.count(), 1)

    @isolate_apps("modeltests.model_schema")
    def test_schema_editor_collect_and_alter(self):
        class Temp(models.Model):
            name = models.CharField(max_length=10)
            n = models.IntegerField(default=0)

            class Meta:
                app_label = "model_schema"

        connection = get_connection()
        with connection.schema_editor(collect_sql=True) as editor:
            editor.create_model(Temp)
        self.assertEqual(len(editor.collected_sql), 1)
        self.assertTrue(editor.collected_sql[0].endswith(";"))
        self.assertNotIn("model_schema_temp", connection.introspection.table_names())
        with connection.schema_editor() as editor:
            editor.create_model(Temp)
        try:
            index = models.Index(fields=["n"], name="temp_n_idx")
            with connection.schema_editor() as editor:
                editor.add_index(Temp, index)
            self.assertIn("temp_n_idx", constraints_of("model_schema_temp"))
            with connection.schema_editor() as editor:
                editor.remove_index(Temp, index)
            self.assertNotIn("temp_n_idx", constraints_of("model_schema_temp"))
            uniq = models.UniqueConstraint(fields=["name"], name="temp_name_uniq")
            with connection.schema_editor() as editor:
                editor.add_constraint(Temp, uniq)
            self.assertTrue(constraints_of("model_schema_temp")["temp_name_uniq"]["unique"])
            with connection.schema_editor() as editor:
                editor.remove_constraint(Temp, uniq)
            self.assertNotIn("temp_name_uniq", constraints_of("model_schema_temp"))
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Temp)
        self.assertNotIn("model_schema_temp", connection.introspection.table_names())

    def test_index_name_generation(self):
        connection = get_connection()
        editor = connection.schema_editor()
        name = editor._generated_name("t" * 100, ["c" * 100], suffix="_idx")
        self.assertLessEqual(len(name), connection.ops.max_name_length() or 200)
        self.assertEqual(name, editor._generated_name("t" * 100, ["c" * 100], suffix="_idx"))
        self.assertNotEqual(name, editor._generated_name("t" * 100, ["c" * 99], suffix="_idx"))

    def test_quote_value(self):
        editor = get_connection().schema_editor()
        self.assertEqual(editor.quote_value(None), "NULL")
        self.assertEqual(editor.quote_value(3), "3")
        self.assertEqual(editor.quote_value("it's"), "'it''s'")


class SchemaAlterTests(TransactionTestCase):
    @isolate_apps("modeltests.model_schema")
    def test_add_remove_field_and_partial_unique(self):
        from django.db import IntegrityError, NotSupportedError, transaction
        from django.db.models import Q

        class Temp2(models.Model):
            name = models.CharField(max_length=10)
            flag = models.BooleanField(default=False)

            class Meta:
                app_label = "model_schema"

        connection = get_connection()
        with connection.schema_editor() as editor:
            editor.create_model(Temp2)
        try:
            extra = models.IntegerField(null=True, db_index=True)
            extra.set_attributes_from_name("extra")
            with connection.schema_editor() as editor:
                editor.add_field(Temp2, extra)
            with connection.cursor() as cursor:
                columns = [c.name for c in connection.introspection.get_table_description(cursor, "model_schema_temp2")]
            self.assertIn("extra", columns)
            with connection.schema_editor() as editor:
                editor.remove_field(Temp2, extra)
            with connection.cursor() as cursor:
                columns = [c.name for c in connection.introspection.get_table_description(cursor, "model_schema_temp2")]
            self.assertNotIn("extra", columns)

            partial = models.UniqueConstraint(fields=["name"], name="temp2_name_flag_uniq", condition=Q(flag=True))
            with connection.schema_editor() as editor:
                editor.add_constraint(Temp2, partial)
            Temp2.objects.create(name="a", flag=False)
            Temp2.objects.create(name="a", flag=False)
            Temp2.objects.create(name="a", flag=True)
            if connection.features.supports_partial_indexes:
                with self.assertRaises(IntegrityError):
                    with transaction.atomic():
                        Temp2.objects.create(name="a", flag=True)
                with connection.schema_editor() as editor:
                    editor.remove_constraint(Temp2, partial)
            Temp2.objects.create(name="a", flag=True)

            check = models.CheckConstraint(check=Q(name__startswith="a"), name="temp2_name_a")
            Temp2.objects.all().delete()
            if connection.vendor == "sqlite":
                with self.assertRaises(NotSupportedError):
                    with connection.schema_editor() as editor:
                        editor.add_constraint(Temp2, check)
            else:
                with connection.schema_editor() as editor:
                    editor.add_constraint(Temp2, check)
                with self.assertRaises(IntegrityError):
                    with transaction.atomic():
                        Temp2.objects.create(name="b")
                with connection.schema_editor() as editor:
                    editor.remove_constraint(Temp2, check)
                Temp2.objects.create(name="b")
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Temp2)

    def test_vendor_quote_value(self):
        editor = get_connection().schema_editor()
        self.assertIn(editor.quote_value(True), ("1", "true"))
        self.assertIn("00ff", editor.quote_value(b"\x00\xff"))
        self.assertEqual(editor.quote_value(1.5), "1.5")
        self.assertIn("2020-01-02", editor.quote_value(__import__("datetime").date(2020, 1, 2)))


class FlushTests(TransactionTestCase):
    def test_flush_without_sequence_reset_only_touches_non_empty_tables(self):
        connection = get_connection()
        # Only the rows post_migrate creates (content types, permissions)
        # and the tables referencing theirs are there at the start.
        baseline = " ".join(sql_flush(no_style(), connection, reset_sequences=False))
        self.assertNotIn("model_schema_author", baseline)
        self.assertNotIn("model_basic_article", baseline)
        Author.objects.create(name="x")
        statements = sql_flush(no_style(), connection, reset_sequences=False)
        self.assertTrue(statements)
        joined = " ".join(statements)
        self.assertIn("model_schema_author", joined)
        self.assertNotIn("model_basic_article", joined)
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
        self.assertEqual(Author.objects.count(), 0)
