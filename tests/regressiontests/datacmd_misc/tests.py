import io

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import get_connection
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings

from .models import Counter


class SqlSequenceResetTests(TestCase):
    def test_statements_run(self):
        out, err = io.StringIO(), io.StringIO()
        call_command("sqlsequencereset", "datacmd_misc", stdout=out, stderr=err)
        connection = get_connection()
        statements = connection.ops.sequence_reset_sql(
            __import__("django.core.management.color", fromlist=["no_style"]).no_style(), [Counter]
        )
        if statements:
            text = out.getvalue()
            self.assertIn(connection.ops.quote_name("datacmd_misc_counter"), text)
            self.assertIn("BEGIN;", text)
            # The printed statements really reset the sequence.
            Counter.objects.create(pk=50)
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
            self.assertEqual(Counter.objects.create().pk, 51)
        else:
            self.assertEqual(err.getvalue().strip(), "No sequences found.")

    def test_unknown_app(self):
        with self.assertRaisesMessage(CommandError, "nosuchapp"):
            call_command("sqlsequencereset", "nosuchapp")
        with self.assertRaisesMessage(CommandError, "Enter at least one application label."):
            call_command("sqlsequencereset")


class DiffSettingsTests(SimpleTestCase):
    def diff(self, **options):
        out = io.StringIO()
        call_command("diffsettings", stdout=out, **options)
        return out.getvalue()

    @override_settings(H8_CUSTOM_SETTING=42, DEBUG=True)
    def test_hash(self):
        output = self.diff()
        self.assertIn("H8_CUSTOM_SETTING = 42  ###", output)
        self.assertIn("DEBUG = True\n", output)
        self.assertNotIn("### FIXTURE_DIRS", output)
        self.assertNotIn("FIXTURE_DIRS", output)
        everything = self.diff(all=True)
        self.assertIn("### FIXTURE_DIRS = []", everything)

    @override_settings(H8_CUSTOM_SETTING=42, DEBUG=True)
    def test_unified(self):
        output = self.diff(output="unified")
        self.assertIn("+ H8_CUSTOM_SETTING = 42", output)
        self.assertIn("- DEBUG = False\n+ DEBUG = True", output)
        self.assertNotIn("FIXTURE_DIRS", output)
        self.assertIn("  FIXTURE_DIRS = []", self.diff(output="unified", all=True))

    def test_default_module(self):
        output = self.diff(default="regressiontests.datacmd_misc.alt_defaults", all=True)
        # Settings(module) starts from Django's defaults too: only what the
        # module sets differently shows up as a difference.
        self.assertIn("### SECRET_KEY = 'test'", output)
        self.assertIn("### FIXTURE_DIRS = []", output)
        self.assertRegex(output, r"(?m)^DATABASES = \{'default': \{'ENGINE': ")

    def test_bad_output_choice(self):
        with self.assertRaisesMessage(CommandError, "invalid choice: 'xml'"):
            call_command("diffsettings", "--output=xml")


class SyncdbPlanTests(TransactionTestCase):
    available_apps = ["regressiontests.datacmd_misc"]

    def plan(self):
        out = io.StringIO()
        call_command("syncdb", plan=True, stdout=out)
        return out.getvalue()

    def test_nothing_to_do(self):
        self.assertEqual(self.plan(), "Planned operations:\n  No planned operations.\n")

    def test_missing_table_is_listed_not_created(self):
        connection = get_connection()
        with connection.schema_editor() as editor:
            editor.delete_model(Counter)
        try:
            output = self.plan()
            self.assertIn("  Create table datacmd_misc_counter (model datacmd_misc.Counter)", output)
            self.assertNotIn("not_created", output)  # unmanaged
            self.assertNotIn("datacmd_misc_counter", connection.introspection.table_names())
        finally:
            with connection.schema_editor() as editor:
                editor.create_model(Counter)
        out = io.StringIO()
        call_command("migrate", plan=True, stdout=out)
        self.assertIn("No planned operations.", out.getvalue())
