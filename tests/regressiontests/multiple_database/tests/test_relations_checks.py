"""What is refused, and adoption (patch 0005): before two objects are
related, an unsaved side takes the database the routers write it to, then
the routers' allow_relation() (no router: the same database) decides; a
refusal is a ValueError raised before any statement.

Every kind of relation is covered (a foreign key, nullable or not, a
one-to-one from both sides, a many-to-many with an automatic and with an
explicit intermediary) with no router, with a router allowing relations
between 'default' and 'other', and with one forbidding every relation.
Refusals are checked by reading both databases back.
"""
from django.db import connections, transaction
from django.test import TestCase
from django.test.utils import override_settings

from django.contrib.contenttypes.models import ContentType

from ..models import Collar, DogShow, DogShowEntry, Hound, HoundLicense, Keeper, Kennel, Tag

HERE = __name__
CROSS = 'Cannot assign "%s": the current database router prevents this relation.'
M2M_CROSS = 'Cannot add "%s": instance is on database "%s", value is on database "%s"'
NOT_SAVED = "%s instance isn't saved. Use bulk=False or save the object first."


class AllowDefaultAndOther:
    """Objects of 'default' and 'other' (and unsaved ones) may be related."""

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {"default", "other", None}:
            return True
        return None


class ForbidAll:
    def allow_relation(self, obj1, obj2, **hints):
        return False


class HoundsWrittenToOther(AllowDefaultAndOther):
    """Hounds are written to 'other', whatever database they came from."""

    def db_for_write(self, model, **hints):
        return "other" if model is Hound else None


class Recorder:
    """Records the write and relation questions about this module's models
    and allows every relation (answers None to the rest)."""

    calls = []

    def db_for_write(self, model, **hints):
        if model._meta.app_label == "multiple_database":
            self.calls.append(("db_for_write", model.__name__, hints))
        return None

    def allow_relation(self, obj1, obj2, **hints):
        self.calls.append(("allow_relation", obj1, obj2, hints))
        return True


def rows_everywhere():
    """The rows of every model of this module, on both databases."""
    models = [Keeper, Hound, Collar, HoundLicense, Kennel, Kennel.guests.through, DogShow, DogShowEntry]
    return {
        (alias, model.__name__): sorted(model._base_manager.using(alias).values_list())
        for alias in ("default", "other")
        for model in models
    }


class RelationChecksBase(TestCase):
    databases = {"default", "other"}

    @classmethod
    def setUpTestData(cls):
        # Each keeper's primary key exists on both databases (under another
        # name), so that a row pointing across databases, where a router
        # allows it, still satisfies the foreign key constraints of each.
        for pk, (here, there) in enumerate([("ann", "bea"), ("cid", "dot")], start=101):
            Keeper.objects.using("default").create(pk=pk, name=here)
            Keeper.objects.using("other").create(pk=pk, name=there)
        cls.ann = Keeper.objects.using("default").get(name="ann")
        cls.bea = Keeper.objects.using("other").get(name="bea")

    def setUp(self):
        # Fresh copies: assignments change the objects in memory.
        self.ann = Keeper.objects.using("default").get(name="ann")
        self.bea = Keeper.objects.using("other").get(name="bea")
        self.cid = Keeper.objects.using("default").get(name="cid")
        self.dot = Keeper.objects.using("other").get(name="dot")

    def assertRefusedUnchanged(self, message, block, exception=ValueError):
        before = rows_everywhere()
        with self.assertRaisesMessage(exception, message):
            block()
        self.assertEqual(rows_everywhere(), before)


# -------------------------------------------------------------------------------
# No router: objects may be related on one database only
# -------------------------------------------------------------------------------
class AdoptionTests(RelationChecksBase):
    def test_unsaved_object_takes_the_database_of_the_saved_one_it_points_to(self):
        rex = Hound(name="rex")
        rex.keeper = self.bea
        self.assertEqual(rex._state.db, "other")
        rex.save()
        self.assertEqual(list(Hound.objects.using("other").values_list("name", "keeper_id")), [("rex", self.bea.pk)])
        self.assertFalse(Hound.objects.using("default").exists())

    def test_constructor_keyword_adopts_too(self):
        rex = Hound(name="rex", keeper=self.bea)
        self.assertEqual(rex._state.db, "other")
        rex.save()
        self.assertTrue(Hound.objects.using("other").filter(name="rex").exists())

    def test_unsaved_target_takes_the_database_of_the_saved_object(self):
        collar = Collar.objects.using("other").create(color="red")
        newcomer = Keeper(name="eve")
        collar.keeper = newcomer
        self.assertEqual(newcomer._state.db, "other")
        newcomer.save()
        self.assertTrue(Keeper.objects.using("other").filter(name="eve").exists())
        self.assertFalse(Keeper.objects.using("default").filter(name="eve").exists())

    def test_one_to_one_adopts_from_either_side(self):
        license = HoundLicense(number="L1")
        self.bea.license = license
        self.assertEqual(license._state.db, "other")
        newcomer = Keeper(name="eve")
        owned = HoundLicense.objects.using("other").create(number="L2")
        owned.keeper = newcomer
        self.assertEqual(newcomer._state.db, "other")

    def test_two_unsaved_objects_may_be_related_and_adopt_nothing(self):
        rex = Hound(name="rex", keeper=Keeper(name="eve"))
        self.assertIsNone(rex._state.db)
        self.assertIsNone(rex.keeper._state.db)


class RefusedWithoutRouterTests(RelationChecksBase):
    def test_foreign_key_to_another_database(self):
        rex = Hound.objects.using("default").create(name="rex", keeper=self.ann)
        self.assertRefusedUnchanged(CROSS % "<Keeper: bea>", lambda: setattr(rex, "keeper", self.bea))
        self.assertEqual(rex.keeper_id, self.ann.pk)

    def test_constructor_keyword_naming_another_database(self):
        saved = Hound.objects.using("default").create(name="rex", keeper=self.ann)
        collar = Collar.objects.using("other").create(color="red")
        self.assertRefusedUnchanged(CROSS % "<Keeper: ann>", lambda: setattr(collar, "keeper", saved.keeper))

    def test_one_to_one_from_either_side(self):
        on_default = HoundLicense.objects.using("default").create(number="L1")
        self.assertRefusedUnchanged(CROSS % "<Keeper: bea>", lambda: setattr(on_default, "keeper", self.bea))
        self.assertRefusedUnchanged(CROSS % "<HoundLicense: L1>", lambda: setattr(self.bea, "license", on_default))

    def test_reverse_foreign_key_add_names_the_instance(self):
        rex = Hound.objects.using("other").create(name="rex", keeper=self.bea)
        self.assertRefusedUnchanged(CROSS % "<Keeper: ann>", lambda: self.ann.hounds.add(rex))
        self.assertRefusedUnchanged(CROSS % "<Keeper: ann>", lambda: self.ann.hounds.add(rex, bulk=False))
        self.assertRefusedUnchanged(CROSS % "<Keeper: ann>", lambda: self.ann.hounds.set([rex]))

    def test_many_to_many_add_in_both_directions(self):
        kennel = Kennel.objects.using("default").create(name="k")
        self.assertRefusedUnchanged(
            M2M_CROSS % ("<Keeper: bea>", "default", "other"), lambda: kennel.guests.add(self.bea)
        )
        self.assertRefusedUnchanged(
            M2M_CROSS % ("<Kennel: k>", "other", "default"), lambda: self.bea.kennels.add(kennel)
        )
        self.assertRefusedUnchanged(
            M2M_CROSS % ("<Keeper: bea>", "default", "other"), lambda: kennel.guests.set([self.ann, self.bea])
        )

    def test_many_to_many_with_its_own_intermediary(self):
        show = DogShow.objects.using("default").create(name="s")
        self.assertRefusedUnchanged(
            M2M_CROSS % ("<Keeper: bea>", "default", "other"),
            lambda: show.entrants.add(self.bea, through_defaults={"rank": 1}),
        )

    def test_an_unsaved_object_is_on_no_database(self):
        kennel = Kennel.objects.using("default").create(name="k")
        self.assertRefusedUnchanged(
            M2M_CROSS % ("<Keeper: eve>", "default", "None"), lambda: kennel.guests.add(Keeper(name="eve"))
        )

    def test_the_type_check_comes_first(self):
        rex = Hound.objects.using("default").create(name="rex", keeper=self.ann)
        kennel = Kennel.objects.using("other").create(name="k")
        self.assertRefusedUnchanged(
            'Cannot assign "<Kennel: k>": "Hound.keeper" must be a "Keeper" instance.',
            lambda: setattr(rex, "keeper", kennel),
        )
        on_default = Kennel.objects.using("default").create(name="j")
        self.assertRefusedUnchanged(
            "'Keeper' instance expected, got <Kennel: k>",
            lambda: on_default.guests.add(kennel),
            exception=TypeError,
        )

    def test_the_enclosing_transaction_stays_usable(self):
        rex = Hound.objects.using("default").create(name="rex", keeper=self.ann)
        with transaction.atomic(using="default"):
            with self.assertRaises(ValueError):
                rex.keeper = self.bea
            with self.assertRaises(ValueError):
                self.ann.hounds.add(Hound.objects.using("other").create(name="sam", keeper=self.bea))
            Hound.objects.using("default").create(name="tom", keeper=self.ann)
        self.assertFalse(connections["default"].needs_rollback)
        self.assertEqual(list(self.ann.hounds.values_list("name", flat=True)), ["rex", "tom"])


class ReverseForeignKeyAddTests(RelationChecksBase):
    def test_unsaved_objects_are_refused_without_bulk_and_with_bulk(self):
        rex = Hound(name="rex")
        self.assertRefusedUnchanged(NOT_SAVED % "<Hound: rex>", lambda: self.ann.hounds.add(rex))
        self.assertRefusedUnchanged(NOT_SAVED % "<Hound: rex>", lambda: self.ann.hounds.add(rex, bulk=True))

    def test_bulk_false_saves_unsaved_objects_on_the_instance_database(self):
        rex = Hound(name="rex")
        self.bea.hounds.add(rex, bulk=False)
        self.assertEqual(rex._state.db, "other")
        self.assertEqual(list(Hound.objects.using("other").values_list("name", "keeper_id")), [("rex", self.bea.pk)])

    def test_saved_objects_are_updated_where_they_are(self):
        rex = Hound.objects.using("other").create(name="rex", keeper=self.dot)
        self.bea.hounds.add(rex)
        self.assertEqual(Hound.objects.using("other").get(name="rex").keeper_id, self.bea.pk)
        self.assertFalse(Hound.objects.using("default").exists())


# -------------------------------------------------------------------------------
# Direct assignment to a related manager: 1.2's meaning
# -------------------------------------------------------------------------------
class DirectAssignmentTests(RelationChecksBase):
    def test_nullable_foreign_key_rows_not_assigned_are_detached(self):
        red = Collar.objects.using("other").create(color="red", keeper=self.bea)
        blue = Collar.objects.using("other").create(color="blue", keeper=self.bea)
        green = Collar.objects.using("other").create(color="green")
        self.bea.collars = [blue, green]
        self.assertEqual(list(Collar.objects.using("other").filter(keeper=self.bea)), [blue, green])
        self.assertIsNone(Collar.objects.using("other").get(pk=red.pk).keeper_id)

    def test_rows_that_cannot_be_detached_stay(self):
        rex = Hound.objects.using("default").create(name="rex", keeper=self.ann)
        sam = Hound.objects.using("default").create(name="sam", keeper=self.cid)
        self.ann.hounds = [sam]
        self.assertEqual(list(self.ann.hounds.all()), [rex, sam])

    def test_many_to_many_is_replaced(self):
        kennel = Kennel.objects.using("other").create(name="k")
        kennel.guests.add(self.bea)
        kennel.guests = [self.dot]
        guests = Keeper.objects.using("other").filter(kennels=kennel)
        self.assertEqual(list(guests), [self.dot])
        self.bea.kennels = [kennel]
        self.assertEqual(list(guests.all()), [self.bea, self.dot])

    def test_many_to_many_with_its_own_intermediary(self):
        show = DogShow.objects.using("default").create(name="s")
        show.entrants = [self.ann, self.cid]
        self.assertEqual(list(show.entrants.all()), [self.ann, self.cid])

    def test_a_refused_object_changes_nothing(self):
        Collar.objects.using("default").create(color="red", keeper=self.ann)
        kennel = Kennel.objects.using("default").create(name="k")
        kennel.guests.add(self.ann)
        stray = Collar.objects.using("other").create(color="blue")
        self.assertRefusedUnchanged(CROSS % "<Keeper: ann>", lambda: setattr(self.ann, "collars", [stray]))
        self.assertRefusedUnchanged(
            M2M_CROSS % ("<Keeper: bea>", "default", "other"), lambda: setattr(kennel, "guests", [self.cid, self.bea])
        )
        self.assertRefusedUnchanged(
            NOT_SAVED % "<Collar: new>", lambda: setattr(self.ann, "collars", [Collar(color="new")])
        )


# -------------------------------------------------------------------------------
# A router allowing relations between 'default' and 'other'
# -------------------------------------------------------------------------------
@override_settings(DATABASE_ROUTERS=[f"{HERE}.AllowDefaultAndOther"])
class AllowedAcrossDatabasesTests(RelationChecksBase):
    def test_assignment_works_and_leaves_the_database_alone(self):
        rex = Hound.objects.using("default").create(name="rex", keeper=self.ann)
        rex.keeper = self.bea
        self.assertEqual(rex._state.db, "default")
        self.assertEqual(rex.keeper_id, self.bea.pk)
        license = HoundLicense.objects.using("default").create(number="L1")
        self.bea.license = license
        self.assertEqual(license._state.db, "default")

    def test_many_to_many_links_across_databases(self):
        kennel = Kennel.objects.using("default").create(name="k")
        # (bea's key is also ann's: the link row's constraint holds.)
        kennel.guests.add(self.bea)
        through = Kennel.guests.through.objects.using("default")
        self.assertEqual(list(through.values_list("keeper_id", flat=True)), [self.bea.pk])

    def test_unsaved_object_still_has_no_key(self):
        kennel = Kennel.objects.using("default").create(name="k")
        self.assertRefusedUnchanged(
            'Cannot add "<Keeper: eve>": the value for field "id" is None', lambda: kennel.guests.add(Keeper(name="eve"))
        )

    def test_add_without_bulk_saves_objects_of_another_database_onto_the_write_database(self):
        rex = Hound.objects.using("other").create(name="rex", keeper=self.bea)
        self.ann.hounds.add(rex)
        self.assertEqual(rex._state.db, "default")
        self.assertEqual(list(Hound.objects.using("default").values_list("name", "keeper_id")), [("rex", self.ann.pk)])

    def test_bulk_add_and_set_refuse_objects_of_another_database(self):
        rex = Hound.objects.using("other").create(name="rex", keeper=self.bea)
        self.assertRefusedUnchanged(NOT_SAVED % "<Hound: rex>", lambda: self.ann.hounds.add(rex, bulk=True))
        self.assertRefusedUnchanged(NOT_SAVED % "<Hound: rex>", lambda: self.ann.hounds.set([rex]))

    def test_bulk_false_saves_each_where_the_routers_send_it(self):
        rex = Hound.objects.using("other").create(name="rex", keeper=self.bea)
        self.ann.hounds.add(rex, bulk=False)
        self.assertEqual(rex._state.db, "other")
        self.assertEqual(Hound.objects.using("other").get(name="rex").keeper_id, self.ann.pk)
        self.assertFalse(Hound.objects.using("default").exists())

    def test_direct_assignment_brings_objects_of_another_database(self):
        blue = Collar.objects.using("other").create(color="blue")
        self.ann.collars = [blue]
        self.assertEqual(list(self.ann.collars.values_list("color", flat=True)), ["blue"])
        self.assertEqual(blue._state.db, "default")


@override_settings(DATABASE_ROUTERS=[f"{HERE}.HoundsWrittenToOther"])
class ObjectMovesTests(RelationChecksBase):
    def test_a_later_save_goes_where_the_routers_write(self):
        rex = Hound.objects.using("default").create(name="rex", keeper=self.ann)
        rex.keeper = self.bea
        self.assertEqual(rex._state.db, "default")
        rex.save()
        self.assertEqual(rex._state.db, "other")
        self.assertEqual(Hound.objects.using("other").get(name="rex").keeper_id, self.bea.pk)


# -------------------------------------------------------------------------------
# A router forbidding every relation
# -------------------------------------------------------------------------------
@override_settings(DATABASE_ROUTERS=[f"{HERE}.ForbidAll"])
class ForbiddenTests(RelationChecksBase):
    def test_even_on_one_database(self):
        rex = Hound.objects.using("default").create(name="rex", keeper_id=self.cid.pk)
        self.assertRefusedUnchanged(CROSS % "<Keeper: ann>", lambda: setattr(rex, "keeper", self.ann))
        self.assertRefusedUnchanged(CROSS % "<Keeper: ann>", lambda: self.ann.hounds.add(rex))
        kennel = Kennel.objects.using("default").create(name="k")
        self.assertRefusedUnchanged(
            M2M_CROSS % ("<Keeper: ann>", "default", "default"), lambda: kennel.guests.add(self.ann)
        )

    def test_unsaved_objects_are_asked_about_too(self):
        with self.assertRaisesMessage(ValueError, CROSS % "<Keeper: eve>"):
            Hound(name="rex", keeper=Keeper(name="eve"))
        self.assertRefusedUnchanged(CROSS % "<Keeper: ann>", lambda: self.ann.hounds.add(Hound(name="rex")))
        self.assertRefusedUnchanged(CROSS % "<HoundLicense: L1>", lambda: setattr(self.ann, "license", HoundLicense(number="L1")))

    def test_generic_foreign_key_names_the_content_type(self):
        # The check runs on the generic foreign key's content_type key.
        content_type = ContentType.objects.get_for_model(Keeper)
        tag = Tag(label="t")
        self.assertRefusedUnchanged(CROSS % repr(content_type), lambda: setattr(tag, "content_object", self.ann))
        self.assertIsNone(tag.object_id)

    def test_refused_adoption_still_chose_a_database(self):
        rex = Hound(name="rex")
        with self.assertRaises(ValueError):
            rex.keeper = self.bea
        self.assertEqual(rex._state.db, "other")
        self.assertFalse(Hound.objects.using("other").exists())


# -------------------------------------------------------------------------------
# The questions routers are asked (as Django 6.1 asks them)
# -------------------------------------------------------------------------------
@override_settings(DATABASE_ROUTERS=[f"{HERE}.Recorder"])
class RouterCallsTests(RelationChecksBase):
    def setUp(self):
        super().setUp()
        Recorder.calls = []

    def test_adoption_then_allow_relation_value_first(self):
        rex = Hound(name="rex")
        rex.keeper = self.bea
        self.assertEqual(Recorder.calls, [
            ("db_for_write", "Hound", {"instance": self.bea}),
            ("allow_relation", self.bea, rex, {}),
        ])

    def test_the_unsaved_target_is_adopted(self):
        collar = Collar.objects.using("other").create(color="red")
        Recorder.calls = []
        eve = Keeper(name="eve")
        collar.keeper = eve
        self.assertEqual(Recorder.calls, [
            ("db_for_write", "Keeper", {"instance": collar}),
            ("allow_relation", eve, collar, {}),
        ])

    def test_saved_objects_are_only_asked_about(self):
        rex = Hound.objects.using("default").create(name="rex", keeper=self.ann)
        Recorder.calls = []
        rex.keeper = self.bea
        self.assertEqual(Recorder.calls, [("allow_relation", self.bea, rex, {})])

    def test_reverse_one_to_one(self):
        license = HoundLicense(number="L1")
        self.bea.license = license
        self.assertEqual(Recorder.calls, [
            ("db_for_write", "HoundLicense", {"instance": self.bea}),
            ("allow_relation", license, self.bea, {}),
        ])

    def test_reverse_foreign_key_add_asks_about_each_object_with_the_instance_first(self):
        rex = Hound.objects.using("default").create(name="rex", keeper=self.cid)
        Recorder.calls = []
        self.ann.hounds.add(rex)
        relation_calls = [call for call in Recorder.calls if call[0] == "allow_relation"]
        self.assertEqual(relation_calls, [("allow_relation", self.ann, rex, {})])

    def test_many_to_many_add_asks_with_the_object_first(self):
        # The same key on both databases: each link row's constraints hold.
        Kennel.objects.using("other").create(pk=7, name="k")
        kennel = Kennel.objects.using("default").create(pk=7, name="k")
        Recorder.calls = []
        kennel.guests.add(self.bea)
        self.bea.kennels.add(kennel)
        relation_calls = [call for call in Recorder.calls if call[0] == "allow_relation"]
        self.assertEqual(relation_calls, [
            ("allow_relation", self.bea, kennel, {}),
            ("allow_relation", kennel, self.bea, {}),
        ])

    def relation_calls(self):
        return [call for call in Recorder.calls if call[0] == "allow_relation"]

    def test_set_and_assignment_ask_once_about_each_object_they_link(self):
        # Every object is checked before anything changes, and asked about
        # once (6.1's set() asks once too). set() keeps an object already
        # related, unasked; direct assignment (1.2) adds every object given.
        kept = Collar.objects.using("default").create(color="green", keeper=self.ann)
        red, blue = (Collar.objects.using("default").create(color=c) for c in ("red", "blue"))
        for name, link, asked in [
            ("set", lambda objs: self.ann.collars.set(objs), [red, blue]),
            ("assignment", lambda objs: setattr(self.ann, "collars", objs), [kept, red, blue]),
        ]:
            with self.subTest(name):
                Collar.objects.using("default").filter(pk__in=[red.pk, blue.pk]).update(keeper=None)
                Recorder.calls = []
                link([kept, red, blue])
                self.assertEqual(self.relation_calls(), [("allow_relation", self.ann, obj, {}) for obj in asked])
                self.assertEqual([c.color for c in self.ann.collars.all()], ["blue", "green", "red"])

    def test_many_to_many_set_and_assignment_ask_once_about_each_object(self):
        Kennel.objects.using("other").create(pk=7, name="k")
        kennel = Kennel.objects.using("default").create(pk=7, name="k")
        Recorder.calls = []
        kennel.guests.set([self.ann, self.cid])
        self.assertEqual(self.relation_calls(), [
            ("allow_relation", self.ann, kennel, {}),
            ("allow_relation", self.cid, kennel, {}),
        ])
        Recorder.calls = []
        kennel.guests = [self.ann, self.cid]
        self.assertEqual(self.relation_calls(), [
            ("allow_relation", self.ann, kennel, {}),
            ("allow_relation", self.cid, kennel, {}),
        ])
        self.assertEqual(list(kennel.guests.all()), [self.ann, self.cid])
