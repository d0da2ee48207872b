"""DDL for relations on every backend: REFERENCES constraints (deferred
where the backend can), FK indexes, many-to-many tables, cycles, flush."""
from django.core.management import call_command
from django.db import IntegrityError, get_connection, transaction
from django.test import TestCase, TransactionTestCase
from io import StringIO

from .models import Player, Team


class SchemaTests(TestCase):
    def relations(self, table):
        connection = get_connection()
        with connection.cursor() as cursor:
            return connection.introspection.get_relations(cursor, table)

    def test_fk_constraints_created(self):
        rels = self.relations("rel_schema_player")
        self.assertEqual(rels["team_id"], ("id", "rel_schema_team"))
        self.assertNotIn("loose_id", rels)  # db_constraint=False
        # The cycle's other half exists too.
        self.assertEqual(self.relations("rel_schema_team")["captain_id"], ("id", "rel_schema_player"))

    def test_m2m_table(self):
        through = Player.mates.through
        self.assertEqual(through._meta.db_table, "rel_schema_player_mates")
        connection = get_connection()
        self.assertIn("rel_schema_player_mates", connection.introspection.table_names())
        rels = self.relations("rel_schema_player_mates")
        self.assertEqual(rels["from_player_id"], ("id", "rel_schema_player"))
        self.assertEqual(rels["to_player_id"], ("id", "rel_schema_player"))

    def test_fk_index(self):
        connection = get_connection()
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "rel_schema_player")
        self.assertTrue(any(c["columns"] == ["team_id"] and c["index"] for c in constraints.values()))

    def test_column_type_follows_target(self):
        connection = get_connection()
        fk = Player._meta.get_field("team")
        self.assertEqual(fk.db_type(connection), Team._meta.pk.rel_db_type(connection))

    def test_sqlall(self):
        out = StringIO()
        call_command("sqlall", "rel_schema", stdout=out)
        sql = out.getvalue()
        self.assertIn("REFERENCES", sql)
        self.assertIn("rel_schema_player_mates", sql)
        connection = get_connection()
        if connection.features.can_defer_constraint_checks:
            self.assertIn("DEFERRABLE INITIALLY DEFERRED", sql)


class ConstraintTests(TransactionTestCase):
    available_apps = ["regressiontests.rel_schema"]

    def test_bad_reference_refused(self):
        with self.assertRaises(IntegrityError):
            with transaction.atomic():
                Player.objects.create(team_id=9999, number=1)
        self.assertEqual(Player.objects.count(), 0)

    def test_cycle_rows_and_flush(self):
        with transaction.atomic():
            team = Team.objects.create(name="t")
            player = Player.objects.create(team=team, number=7)
            team.captain = player
            team.save()
            player.mates.add(Player.objects.create(team=team, number=8))
        call_command("flush", interactive=False, verbosity=0)
        self.assertEqual((Team.objects.count(), Player.objects.count()), (0, 0))
        self.assertEqual(Player.mates.through.objects.count(), 0)
