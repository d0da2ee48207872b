"""Saving and deleting an instance on a chosen database (patch 0004, the
write side): where save() and delete() go, what ``_state.db`` says
afterwards, the ``using`` the model signals carry, the many-to-many links,
deserialized objects and loaddata, and which database full_clean() checks.

Every test states the alias each statement went to (WhereTheStatementsWent
or a capture of one connection), so that a write landing on the wrong
database fails here, not in production.
"""
import json
import os
import tempfile

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import ConnectionDoesNotExist, connections
from django.db.models import signals
from django.test import TestCase
from django.test.utils import CaptureQueriesContext, override_settings

from ..models import Card, Club, Editor, Member, Person, Tag
from .test_using import WhereTheStatementsWent, names_on

HERE = __name__


class WritesToOther:
    """Every write goes to 'other'; no opinion on reads."""

    def db_for_write(self, model, **hints):
        return "other"


class ReadsFromOther:
    """Every read goes to 'other'; no opinion on writes."""

    def db_for_read(self, model, **hints):
        return "other"


class ClubsOffOther:
    """Club's table does not belong on 'other' (loaddata must skip it there)."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if model_name == "club":
            return db != "other"
        return None


def statements(alias, block):
    """The SQL of the statements ``block()`` ran on ``alias``."""
    with CaptureQueriesContext(connections[alias]) as captured:
        block()
    return [query["sql"] for query in captured]


class SignalLog:
    """Receivers of the model signals, recording ``(signal, sender name,
    using)`` for the models of this module; ``using`` is '?' when a signal
    was sent without it. Disconnected when the test ends."""

    SIGNALS = ("pre_init", "post_init", "pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed")
    MODELS = {"Person", "Editor", "Member", "Club", "Card", "Club_members"}

    def __init__(self, test_case):
        self.entries = []
        for name in self.SIGNALS:
            signal = getattr(signals, name)
            receiver = self._receiver(name)
            signal.connect(receiver, weak=False, dispatch_uid=f"{HERE}.{name}")
            test_case.addCleanup(signal.disconnect, dispatch_uid=f"{HERE}.{name}")

    def _receiver(self, name):
        def record(sender, **kwargs):
            if sender.__name__ in self.MODELS:
                label = name if name != "m2m_changed" else kwargs["action"]
                self.entries.append((label, sender.__name__, kwargs.get("using", "?")))
        return record

    def of(self, *names):
        return [entry for entry in self.entries if entry[0] in names]

    def clear(self):
        del self.entries[:]


class SaveTests(TestCase):
    databases = {"default", "other"}

    def test_an_instance_saved_with_using_belongs_to_that_database(self):
        ann = Person(name="Ann")
        self.assertIsNone(ann._state.db)
        with WhereTheStatementsWent() as went:
            ann.save(using="other")
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual((ann._state.db, ann._state.adding), ("other", False))
        self.assertEqual(names_on("other"), ["Ann"])
        self.assertEqual(names_on("default"), [])

    def test_a_plain_save_without_routers_writes_to_default(self):
        ann = Person(name="Ann")
        ann.save()
        self.assertEqual(ann._state.db, "default")
        self.assertEqual(names_on("default"), ["Ann"])

    def test_a_later_plain_save_stays_on_the_instances_database(self):
        ann = Person(name="Ann")
        ann.save(using="other")
        ann.name = "Bea"
        with WhereTheStatementsWent() as went:
            ann.save()
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(names_on("other"), ["Bea"])
        self.assertEqual(names_on("default"), [])

    def test_creating_methods_return_instances_of_the_database_written(self):
        on_other = Person.objects.using("other")
        made = [
            on_other.create(name="Ann"),
            Person.objects.db_manager("other").create(name="Bob"),
            on_other.get_or_create(name="Cy")[0],
            on_other.update_or_create(name="Dee", defaults={"name": "Dee"})[0],
        ]
        for person in made:
            with self.subTest(person=person.name):
                self.assertEqual((person._state.db, person._state.adding), ("other", False))
        self.assertEqual(Person.objects.create(name="Eve")._state.db, "default")
        self.assertEqual(names_on("other"), ["Ann", "Bob", "Cy", "Dee"])

    def test_update_or_create_of_an_existing_row_keeps_it_on_its_database(self):
        ann = Person.objects.using("other").create(name="Ann")
        found, created = Person.objects.using("other").update_or_create(pk=ann.pk, defaults={"name": "Bea"})
        self.assertFalse(created)
        self.assertEqual(found._state.db, "other")
        self.assertEqual(names_on("other"), ["Bea"])

    def test_saving_to_another_database_inserts_the_row_there(self):
        ann = Person.objects.create(name="Ann")
        on_other = statements("other", lambda: ann.save(using="other"))
        self.assertTrue(any(sql.lstrip().upper().startswith("INSERT") for sql in on_other))
        self.assertEqual(ann._state.db, "other")
        self.assertEqual(Person.objects.using("other").get(pk=ann.pk).name, "Ann")
        # Moved, not copied back and forth: the next save goes to 'other'.
        ann.name = "Bea"
        ann.save()
        self.assertEqual(names_on("other"), ["Bea"])
        self.assertEqual(names_on("default"), ["Ann"])

    def test_saving_to_another_database_updates_the_row_it_has(self):
        ann = Person.objects.create(name="Ann")
        Person(pk=ann.pk, name="Old").save(using="other")
        on_other = statements("other", lambda: ann.save(using="other"))
        self.assertFalse(any(sql.lstrip().upper().startswith("INSERT") for sql in on_other))
        self.assertEqual(names_on("other"), ["Ann"])

    def test_a_deferred_instance_saved_to_another_database_writes_every_field(self):
        chess = Club.objects.create(name="Chess", motto="Think first")
        for partial in (Club.objects.only("name"), Club.objects.defer("motto")):
            club = partial.get(pk=chess.pk)
            self.assertEqual(club.get_deferred_fields(), {"motto"})
            club.name = "Chess club"
            club.save(using="other")
            self.assertEqual(club._state.db, "other")
            copied = Club.objects.using("other").get(pk=chess.pk)
            with self.subTest(queryset=partial.query.deferred_loading):
                self.assertEqual((copied.name, copied.motto), ("Chess club", "Think first"))
            Club.objects.using("other").filter(pk=chess.pk).delete()
        self.assertEqual(Club.objects.using("default").get(pk=chess.pk).name, "Chess")

    def test_a_deferred_instance_saved_to_its_own_database_writes_only_loaded_fields(self):
        chess = Club.objects.create(name="Chess", motto="Think first")
        club = Club.objects.only("name").get(pk=chess.pk)
        # Changed behind the instance's back: a full save would undo this.
        Club.objects.filter(pk=chess.pk).update(motto="Think twice")
        club.name = "Chess club"
        with WhereTheStatementsWent() as went:
            club.save()
        self.assertEqual(went.aliases, {"default"})
        fresh = Club.objects.get(pk=chess.pk)
        self.assertEqual((fresh.name, fresh.motto), ("Chess club", "Think twice"))

    def test_a_fetched_instance_is_saved_and_deleted_where_it_was_read(self):
        Person.objects.using("other").create(name="Ann")
        ann = Person.objects.using("other").get(name="Ann")
        ann.name = "Bea"
        with WhereTheStatementsWent() as went:
            ann.save()
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual((names_on("other"), names_on("default")), (["Bea"], []))
        with WhereTheStatementsWent() as went:
            ann.delete()
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(names_on("other"), [])

    def test_a_deferred_instance_from_other_saved_to_default_reads_the_rest_on_other(self):
        Club.objects.using("other").create(pk=7, name="Go", motto="Play on")
        club = Club.objects.using("other").only("name").get(pk=7)
        self.assertEqual(club._state.db, "other")
        club.name = "Go club"
        with WhereTheStatementsWent() as went:
            club.save(using="default")
        # The deferred motto was read where the instance came from, and the
        # whole row written to the target.
        self.assertEqual(went.aliases, {"other", "default"})
        copied = Club.objects.using("default").get(pk=7)
        self.assertEqual((copied.name, copied.motto), ("Go club", "Play on"))
        self.assertEqual(Club.objects.using("other").get(pk=7).name, "Go")
        self.assertEqual(club._state.db, "default")

    def test_a_proxy_is_saved_in_its_concrete_models_table_on_that_database(self):
        log = SignalLog(self)
        editor = Editor(name="Ed")
        editor.save(using="other")
        self.assertEqual(editor._state.db, "other")
        self.assertEqual(names_on("other"), ["Ed"])
        self.assertEqual(log.of("pre_save", "post_save"), [
            ("pre_save", "Editor", "other"), ("post_save", "Editor", "other"),
        ])

    def test_an_unknown_alias_is_refused_before_any_sql(self):
        ann = Person(name="Ann")
        with WhereTheStatementsWent() as went:
            with self.assertRaisesMessage(ConnectionDoesNotExist, "'nowhere'"):
                ann.save(using="nowhere")
        self.assertEqual(went.aliases, set())
        self.assertIsNone(ann._state.db)
        chess = Club.objects.create(name="Chess")
        club = Club.objects.only("name").get(pk=chess.pk)
        with WhereTheStatementsWent() as went:
            with self.assertRaisesMessage(ConnectionDoesNotExist, "'nowhere'"):
                club.save(using="nowhere")
        self.assertEqual(went.aliases, set())


class RoutedSaveTests(TestCase):
    databases = {"default", "other"}

    @override_settings(DATABASE_ROUTERS=[f"{HERE}.WritesToOther"])
    def test_a_plain_save_goes_where_the_routers_send_writes(self):
        ann = Person(name="Ann")
        ann.save()
        self.assertEqual(ann._state.db, "other")
        self.assertEqual(names_on("other"), ["Ann"])

    @override_settings(DATABASE_ROUTERS=[f"{HERE}.WritesToOther"])
    def test_the_routers_answer_wins_over_the_instances_database(self):
        bob = Person(name="Bob")
        bob.save(using="default")
        with WhereTheStatementsWent() as went:
            bob.save()
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(bob._state.db, "other")
        self.assertEqual(names_on("other"), ["Bob"])

    @override_settings(DATABASE_ROUTERS=[f"{HERE}.ReadsFromOther"])
    def test_a_routers_read_database_is_not_where_saves_go(self):
        ann = Person(name="Ann")
        ann.save()
        self.assertEqual(ann._state.db, "default")
        self.assertEqual(names_on("default"), ["Ann"])


class DeleteTests(TestCase):
    databases = {"default", "other"}

    def two_clubs(self):
        """A club with cards and a tag on each database, same names."""
        clubs = {}
        for alias in ("default", "other"):
            club = Club.objects.using(alias).create(name="Chess")
            holder = Member.objects.using(alias).create(handle="ann")
            Card.objects.using(alias).create(club=club, holder=holder, number=1)
            Card.objects.using(alias).create(club=club, number=2)
            # The content type of that database (its ids may differ).
            club_type = ContentType.objects.db_manager(alias).get_for_model(Club)
            Tag(label="n", content_type=club_type, object_id=club.pk).save(using=alias)
            club.members.add(holder)
            clubs[alias] = club
        return clubs

    def counts(self, alias):
        return {
            model.__name__: model.objects.using(alias).count()
            for model in (Club, Card, Member, Tag, Club.members.through)
        }

    def test_a_plain_delete_goes_to_the_instances_database(self):
        ann = Person(name="Ann")
        ann.save(using="other")
        Person.objects.create(name="Ann")
        with WhereTheStatementsWent() as went:
            deleted = ann.delete()
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(deleted, (1, {"multiple_database.Person": 1}))
        self.assertIsNone(ann.pk)
        self.assertEqual(names_on("other"), [])
        self.assertEqual(names_on("default"), ["Ann"])

    def test_cascades_run_on_the_deleted_instances_database(self):
        clubs = self.two_clubs()
        before = self.counts("default")
        with WhereTheStatementsWent() as went:
            deleted, per_model = clubs["other"].delete()
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(per_model, {
            "multiple_database.Club": 1, "multiple_database.Card": 2,
            "multiple_database.Tag": 1, "multiple_database.Club_members": 1,
        })
        self.assertEqual(self.counts("other"), {"Club": 0, "Card": 0, "Member": 1, "Tag": 0, "Club_members": 0})
        self.assertEqual(self.counts("default"), before)

    def test_collected_cascades_run_on_the_deleted_instances_database(self):
        # A receiver makes the collector fetch the cards instead of deleting
        # them with one statement.
        log = SignalLog(self)
        clubs = self.two_clubs()
        log.clear()
        with WhereTheStatementsWent() as went:
            clubs["other"].delete()
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(sorted(set(log.of("pre_delete", "post_delete"))), [
            ("post_delete", "Card", "other"), ("post_delete", "Club", "other"),
            ("pre_delete", "Card", "other"), ("pre_delete", "Club", "other"),
        ])
        self.assertEqual(Card.objects.using("other").count(), 0)
        self.assertEqual(Card.objects.using("default").count(), 2)

    def test_set_null_and_through_rows_on_the_deleted_instances_database(self):
        clubs = self.two_clubs()
        holder = Member.objects.using("other").get()
        with WhereTheStatementsWent() as went:
            holder.delete(using="other")
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(
            sorted(Card.objects.using("other").values_list("number", "holder")), [(1, None), (2, None)]
        )
        self.assertEqual(Club.members.through.objects.using("other").count(), 0)
        self.assertEqual(Card.objects.using("default").filter(holder__isnull=False).count(), 1)
        self.assertEqual(Club.members.through.objects.using("default").count(), 1)
        self.assertEqual(clubs["default"].members.count(), 1)

    def test_delete_using_another_database_deletes_the_row_there(self):
        ann = Person.objects.create(name="Ann")
        ann.save(using="other")
        twin = Person.objects.using("default").get(pk=ann.pk)
        with WhereTheStatementsWent() as went:
            twin.delete(using="other")
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(names_on("other"), [])
        self.assertEqual(names_on("default"), ["Ann"])

    @override_settings(DATABASE_ROUTERS=[f"{HERE}.WritesToOther"])
    def test_a_plain_delete_goes_where_the_routers_send_writes(self):
        ann = Person.objects.using("other").create(name="Ann")
        with WhereTheStatementsWent() as went:
            ann.delete()
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(names_on("other"), [])

    def test_an_unknown_alias_is_refused_before_any_signal_or_sql(self):
        log = SignalLog(self)
        ann = Person.objects.create(name="Ann")
        log.clear()
        with WhereTheStatementsWent() as went:
            with self.assertRaisesMessage(ConnectionDoesNotExist, "'nowhere'"):
                ann.delete(using="nowhere")
        self.assertEqual(went.aliases, set())
        self.assertEqual(log.entries, [])
        self.assertEqual(names_on("default"), ["Ann"])


class SignalUsingTests(TestCase):
    databases = {"default", "other"}

    def setUp(self):
        self.log = SignalLog(self)

    def test_save_and_delete_signals_name_the_database(self):
        for alias in ("default", "other"):
            with self.subTest(alias=alias):
                self.log.clear()
                ann = Person(name="Ann")
                ann.save(using=alias)
                ann.name = "Bea"
                ann.save()
                ann.delete()
                self.assertEqual(self.log.of("pre_save", "post_save", "pre_delete", "post_delete"), [
                    ("pre_save", "Person", alias), ("post_save", "Person", alias),
                    ("pre_save", "Person", alias), ("post_save", "Person", alias),
                    ("pre_delete", "Person", alias), ("post_delete", "Person", alias),
                ])

    def test_queryset_delete_signals_name_the_querysets_database(self):
        Person.objects.using("other").create(name="Ann")
        self.log.clear()
        Person.objects.using("other").delete()
        self.assertEqual(self.log.of("pre_delete", "post_delete"), [
            ("pre_delete", "Person", "other"), ("post_delete", "Person", "other"),
        ])

    def test_init_signals_are_unchanged(self):
        Person(name="Ann").save(using="other")
        self.assertEqual(self.log.of("pre_init", "post_init"), [
            ("pre_init", "Person", "?"), ("post_init", "Person", "?"),
        ])

    def test_m2m_changed_names_the_database_of_the_links(self):
        for alias in ("default", "other"):
            with self.subTest(alias=alias):
                club = Club.objects.using(alias).create(name="Chess")
                ann = Member.objects.using(alias).create(handle="ann")
                self.log.clear()
                with WhereTheStatementsWent() as went:
                    club.members.add(ann)
                    club.members.remove(ann)
                    club.members.set([ann])
                    club.members.clear()
                self.assertEqual(went.aliases, {alias})
                actions = [(action, using) for action, sender, using in self.log.entries
                           if sender == "Club_members" and not action.endswith("_init")]
                self.assertEqual(actions, [
                    (action, alias) for action in (
                        "pre_add", "post_add", "pre_remove", "post_remove",
                        "pre_add", "post_add", "pre_clear", "post_clear",
                    )
                ])

    def test_many_to_many_changes_stay_on_the_instances_database(self):
        club = Club.objects.using("other").create(name="Chess")
        ann = Member.objects.using("other").create(handle="ann")
        Club.objects.create(name="Chess")
        Member.objects.create(handle="ann")
        with WhereTheStatementsWent() as went:
            club.members.add(ann)
            bob = club.members.create(handle="bob")
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(bob._state.db, "other")
        links = Club.members.through.objects
        self.assertEqual(links.using("other").count(), 2)
        self.assertEqual(links.using("default").count(), 0)
        self.assertEqual(sorted(Member.objects.using("other").values_list("handle", flat=True)), ["ann", "bob"])
        self.assertEqual(list(Member.objects.using("default").values_list("handle", flat=True)), ["ann"])


class FullCleanTests(TestCase):
    """full_clean() asks the database the instance belongs to."""

    databases = {"default", "other"}

    def member_on(self, alias, **values):
        member = Member(**values)
        member.save(using=alias)
        return member

    def clash_messages(self, member):
        with self.assertRaises(ValidationError) as caught:
            member.full_clean()
        return caught.exception.message_dict

    def test_values_taken_only_on_another_database_are_free(self):
        self.member_on("default", handle="ann", team="red", seat=1, badge="b1")
        twin = self.member_on("other", handle="ann", team="red", seat=1, badge="b1")
        with WhereTheStatementsWent() as went:
            twin.full_clean()
        self.assertEqual(went.aliases, {"other"})

    def test_values_taken_on_the_instances_database_clash(self):
        self.member_on("other", handle="ann", team="red", seat=1, badge="b1")
        bob = self.member_on("other", handle="bob", team="blue", seat=2, badge="b2")
        bob.handle, bob.team, bob.seat, bob.badge = "ann", "red", 1, "b1"
        with WhereTheStatementsWent() as went:
            problems = self.clash_messages(bob)
        self.assertEqual(went.aliases, {"other"})
        self.assertEqual(problems, {
            "handle": ["Member with this Handle already exists."],
            "badge": ["Member with this Badge already exists."],
            "__all__": ["Member with this Team and Seat already exists."],
        })

    def test_a_fetched_instance_is_checked_on_the_database_it_was_read_from(self):
        self.member_on("default", handle="ann", team="red", seat=1, badge="b1")
        self.member_on("other", handle="bob", team="red", seat=2, badge="b2")
        bob = Member.objects.using("other").get(handle="bob")
        bob.handle = "ann"
        with WhereTheStatementsWent() as went:
            bob.full_clean()  # "ann" is taken on default only
        self.assertEqual(went.aliases, {"other"})
        self.member_on("other", handle="cy", team="blue", seat=3, badge="b3")
        bob.handle = "cy"
        self.assertEqual(self.clash_messages(bob), {"handle": ["Member with this Handle already exists."]})

    def test_an_unsaved_instance_is_checked_on_default_without_routers(self):
        self.member_on("other", handle="ann", team="red", seat=1)
        with WhereTheStatementsWent() as went:
            Member(handle="ann", team="red", seat=1).full_clean()
        self.assertEqual(went.aliases, {"default"})

    @override_settings(DATABASE_ROUTERS=[f"{HERE}.ReadsFromOther"])
    def test_an_unsaved_instance_is_checked_where_the_routers_send_reads(self):
        self.member_on("other", handle="ann", team="red", seat=1)
        problems = self.clash_messages(Member(handle="ann", team="blue", seat=2))
        self.assertEqual(problems, {"handle": ["Member with this Handle already exists."]})

    def test_a_foreign_key_target_is_looked_for_on_the_instances_database(self):
        club = Club.objects.using("other").create(name="Chess")
        holder = Member.objects.using("other").create(handle="ann")
        card = Card(club=club, holder=holder)
        card.save(using="other")
        with WhereTheStatementsWent() as went:
            card.full_clean()
        self.assertEqual(went.aliases, {"other"})
        # The same keys on an instance of 'default', where no such rows exist.
        stray = Card(club_id=club.pk, holder_id=holder.pk)
        with self.assertRaises(ValidationError) as caught:
            stray.full_clean()
        self.assertEqual(sorted(caught.exception.message_dict), ["club", "holder"])


def as_json(objects):
    return json.dumps(objects)


class DeserializedObjectTests(TestCase):
    databases = {"default", "other"}

    def fixture(self, objects):
        """A fixture file holding ``objects``; its absolute path."""
        handle, path = tempfile.mkstemp(suffix=".json")
        with os.fdopen(handle, "w") as stream:
            stream.write(as_json(objects))
        self.addCleanup(os.remove, path)
        return path

    CLUB = [
        {"model": "multiple_database.member", "pk": 7, "fields": {"handle": "ann", "team": "a", "seat": 1}},
        {"model": "multiple_database.club", "pk": 3,
         "fields": {"name": "Chess", "motto": "m", "members": [7]}},
    ]

    def test_save_using_writes_the_row_and_its_links_there(self):
        log = SignalLog(self)
        with WhereTheStatementsWent() as went:
            for deserialized in serializers.deserialize("json", as_json(self.CLUB)):
                deserialized.save(using="other")
        self.assertEqual(went.aliases, {"other"})
        club = Club.objects.using("other").get(pk=3)
        self.assertEqual([m.handle for m in Member.objects.using("other").filter(clubs=club)], ["ann"])
        self.assertFalse(Club.objects.using("default").exists())
        self.assertEqual(log.of("pre_save", "post_save", "pre_add", "post_add"), [
            ("pre_save", "Member", "other"), ("post_save", "Member", "other"),
            ("pre_save", "Club", "other"), ("post_save", "Club", "other"),
            ("pre_add", "Club_members", "other"), ("post_add", "Club_members", "other"),
        ])

    def test_save_without_using_writes_where_the_routers_say(self):
        for deserialized in serializers.deserialize("json", as_json(self.CLUB)):
            deserialized.save()
            self.assertEqual(deserialized.object._state.db, "default")
        self.assertEqual(Club.members.through.objects.using("default").count(), 1)
        self.assertFalse(Club.objects.using("other").exists())

    def test_natural_keys_are_looked_up_on_the_deserializers_database(self):
        ann = Member.objects.using("other").create(handle="ann", team="a", seat=1)
        Club.objects.using("other").create(name="Chess")
        club_id = Club.objects.using("other").get().pk
        card = [{"model": "multiple_database.card", "fields": {"club": club_id, "holder": ["ann"], "number": 5}}]
        # 'default' has no member 'ann': looked up there, the key fails.
        with self.assertRaises(serializers.base.DeserializationError):
            list(serializers.deserialize("json", as_json(card)))
        for deserialized in serializers.deserialize("json", as_json(card), using="other"):
            deserialized.save(using="other")
        self.assertEqual(Card.objects.using("other").get().holder_id, ann.pk)

    def test_an_unknown_alias_is_refused_by_the_deserializer(self):
        with self.assertRaisesMessage(ConnectionDoesNotExist, "'nowhere'"):
            serializers.deserialize("json", "[]", using="nowhere")

    def test_loaddata_database_loads_there(self):
        path = self.fixture(self.CLUB)
        with WhereTheStatementsWent() as went:
            call_command("loaddata", path, database="other", verbosity=0)
        self.assertEqual(went.aliases, {"other"})
        club = Club.objects.using("other").get(pk=3)
        self.assertEqual([m.handle for m in Member.objects.using("other").filter(clubs=club)], ["ann"])
        self.assertFalse(Member.objects.using("default").exists())

    def test_loaddata_resolves_natural_keys_on_its_database(self):
        path = self.fixture([
            {"model": "multiple_database.member", "fields": {"handle": "ann", "team": "a", "seat": 1}},
            {"model": "multiple_database.club", "pk": 3, "fields": {"name": "Chess", "members": [["ann"]]}},
            {"model": "multiple_database.card", "fields": {"club": 3, "holder": ["ann"], "number": 5}},
        ])
        call_command("loaddata", path, "--database=other", verbosity=0)
        ann = Member.objects.using("other").get(handle="ann")
        self.assertEqual(Card.objects.using("other").get().holder_id, ann.pk)
        self.assertEqual(list(Club.objects.using("other").get().members.using("other").all()), [ann])
        # Loading again updates the same member (found by its natural key).
        call_command("loaddata", path, database="other", verbosity=0)
        self.assertEqual(Member.objects.using("other").count(), 1)
        self.assertFalse(Member.objects.using("default").exists())

    @override_settings(DATABASE_ROUTERS=[f"{HERE}.ClubsOffOther"])
    def test_loaddata_skips_models_the_routers_keep_off_its_database(self):
        path = self.fixture(self.CLUB[:1] + [{"model": "multiple_database.club", "pk": 3, "fields": {"name": "C"}}])
        out = _Output()
        call_command("loaddata", path, database="other", stdout=out)
        self.assertEqual(out.text, "Installed 1 object(s) (of 2) from 1 fixture(s)\n")
        self.assertEqual(Member.objects.using("other").count(), 1)
        self.assertFalse(Club.objects.using("other").exists())

    def test_loaddata_refuses_an_unknown_alias(self):
        path = self.fixture(self.CLUB)
        with self.assertRaisesMessage(CommandError, "'nowhere'"):
            call_command("loaddata", path, database="nowhere", verbosity=0)


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
