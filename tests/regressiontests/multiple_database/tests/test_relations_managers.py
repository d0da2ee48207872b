"""Related objects follow their instance (patch 0005, items 1, 2 and 8):
descriptors and related managers read and write on the database of the
instance they hang from, routers are asked with that instance as the one
hint, prefetched and select_related objects carry the parent's database,
get_next_by_FOO stays there, and deletion cascades on that database only.

Every test puts the objects on 'other' and twins with the same keys on
'default', so a statement that strays to the routed default database
finds the wrong row (or none) and fails here.
"""
import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import signals
from django.test import TestCase
from django.test.utils import override_settings

from ..models import Award, Biography, Draft, Library, Novel, NovelManager, Poem, Prize, Tag, Writer
from .test_using import WhereTheStatementsWent

HERE = __name__


def titles(alias):
    return sorted(Novel.objects.using(alias).values_list("title", flat=True))


WRITER_PK = 9001


class Cast:
    """The same small world on ``alias``: a writer with two novels, a
    draft, a biography, a library and a prize."""

    def __init__(self, alias, name):
        on = Writer.objects.db_manager(alias)
        # Explicit keys: the writers of two casts are twins on every backend
        # (sequences need not start at the same value on each database).
        self.writer = on.create(pk=WRITER_PK, name=name, born=datetime.date(1950, 1, 1))
        self.later = on.create(pk=WRITER_PK + 1, name=name + " Jr", born=datetime.date(1980, 1, 1))
        self.novel = Novel.objects.using(alias).create(title=name + " 1", writer=self.writer)
        Novel.objects.using(alias).create(title=name + " 2", writer=self.writer)
        self.loose = Novel.objects.using(alias).create(title=name + " loose")
        Draft.objects.using(alias).create(name=name + " draft", writer=self.writer)
        Biography.objects.using(alias).create(writer=self.writer, text=name + " bio")
        self.library = Library.objects.using(alias).create(name=name + " library")
        self.library.writers.add(self.writer)
        self.prize = Prize.objects.using(alias).create(name=name + " prize")
        self.prize.winners.add(self.writer, through_defaults={"year": 1990})


class OtherAndDefault:
    databases = {"default", "other"}

    def setUp(self):
        self.home = Cast("default", "Dee")
        self.away = Cast("other", "Ann")
        self.writer = Writer.objects.using("other").get(name="Ann")

    def assertOnlyOther(self, went):
        self.assertEqual(went.aliases, {"other"})


class RelatedReadsFollowTheInstance(OtherAndDefault, TestCase):
    """No router: the instance's database."""

    def test_forward_foreign_key(self):
        novel = Novel.objects.using("other").get(title="Ann 1")
        with WhereTheStatementsWent() as went:
            writer = novel.writer
        self.assertOnlyOther(went)
        self.assertEqual((writer.name, writer._state.db), ("Ann", "other"))

    def test_forward_and_reverse_one_to_one(self):
        bio = Biography.objects.using("other").get()
        with WhereTheStatementsWent() as went:
            self.assertEqual(bio.writer.name, "Ann")
            self.assertEqual(self.writer.biography.text, "Ann bio")
        self.assertOnlyOther(went)
        self.assertEqual(self.writer.biography._state.db, "other")

    def test_reverse_foreign_key(self):
        with WhereTheStatementsWent() as went:
            novels = list(self.writer.novels.all())
            self.assertEqual(self.writer.novels.count(), 2)
            self.assertEqual([d.name for d in self.writer.drafts.all()], ["Ann draft"])
        self.assertOnlyOther(went)
        self.assertEqual([(n.title, n._state.db) for n in novels], [("Ann 1", "other"), ("Ann 2", "other")])

    def test_many_to_many_both_directions(self):
        with WhereTheStatementsWent() as went:
            libraries = list(self.writer.libraries.all())
            writers = list(libraries[0].writers.all())
            prizes = list(self.writer.prizes.all())
            winners = list(prizes[0].winners.all())
        self.assertOnlyOther(went)
        self.assertEqual([(x.name, x._state.db) for x in libraries], [("Ann library", "other")])
        self.assertEqual([(x.name, x._state.db) for x in writers], [("Ann", "other")])
        self.assertEqual([x.name for x in prizes], ["Ann prize"])
        self.assertEqual([x.name for x in winners], ["Ann"])

    def test_manager_db_is_the_instance_database(self):
        self.assertEqual(self.writer.novels.db, "other")
        self.assertEqual(self.writer.libraries.db, "other")
        self.assertEqual(self.home.writer.novels.db, "default")

    def test_db_manager_rebinds_a_related_manager(self):
        moved = self.writer.novels.db_manager("default")
        self.assertEqual(moved.db, "default")
        # The same query on 'default', where the twin writer's novels are.
        self.assertEqual(sorted(n.title for n in moved.all()), ["Dee 1", "Dee 2"])
        self.assertEqual(self.writer.libraries.db_manager("default").get().name, "Dee library")

    def test_related_manager_is_built_on_the_default_manager_class(self):
        self.assertIsInstance(self.writer.novels, NovelManager)
        self.assertEqual([n.title for n in self.writer.novels.titled("Ann 2")], ["Ann 2"])

    def test_get_next_and_previous_stay_on_the_instance_database(self):
        with WhereTheStatementsWent() as went:
            later = self.writer.get_next_by_born()
            earlier = later.get_previous_by_born()
        self.assertOnlyOther(went)
        self.assertEqual((later.name, later._state.db), ("Ann Jr", "other"))
        self.assertEqual((earlier.name, earlier._state.db), ("Ann", "other"))

    def test_select_related_objects_carry_the_parent_database(self):
        novel = Novel.objects.using("other").select_related("writer").get(title="Ann 1")
        self.assertEqual((novel.writer.name, novel.writer._state.db), ("Ann", "other"))

    def test_prefetch_related_runs_on_the_parents_database(self):
        parents = Writer.objects.using("other").filter(name="Ann")
        with WhereTheStatementsWent() as went:
            writer, = parents.prefetch_related("novels", "libraries", "prizes", "biography", "drafts")
        self.assertOnlyOther(went)
        with WhereTheStatementsWent() as went:
            fetched = list(writer.novels.all()) + list(writer.libraries.all()) + [writer.biography]
            fetched += list(writer.prizes.all()) + list(writer.drafts.all())
        self.assertEqual(went.aliases, set())
        self.assertEqual([str(x) for x in fetched[:3]], ["Ann 1", "Ann 2", "Ann library"])
        self.assertEqual({x._state.db for x in fetched}, {"other"})

    def test_prefetch_of_a_forward_foreign_key(self):
        with WhereTheStatementsWent() as went:
            novels = list(Novel.objects.using("other").filter(writer__isnull=False).prefetch_related("writer"))
        self.assertOnlyOther(went)
        self.assertEqual({(n.writer.name, n.writer._state.db) for n in novels}, {("Ann", "other")})


class RelatedWritesFollowTheInstance(OtherAndDefault, TestCase):
    def test_reverse_foreign_key_create_family(self):
        with WhereTheStatementsWent() as went:
            made = self.writer.novels.create(title="Ann 3")
            got, created = self.writer.novels.get_or_create(title="Ann 4")
            updated, _ = self.writer.novels.update_or_create(title="Ann 4", defaults={"title": "Ann 5"})
            self.writer.drafts.create(name="Ann draft 2")
        self.assertOnlyOther(went)
        self.assertTrue(created)
        self.assertEqual({made._state.db, got._state.db, updated._state.db}, {"other"})
        self.assertEqual(titles("other"), ["Ann 1", "Ann 2", "Ann 3", "Ann 5", "Ann loose"])
        self.assertEqual(titles("default"), ["Dee 1", "Dee 2", "Dee loose"])

    def test_custom_create_of_the_default_manager_runs(self):
        novel = self.writer.novels.create()
        self.assertEqual((novel.title, novel.writer_id, novel._state.db), ("Untitled", self.writer.pk, "other"))
        self.assertIn("Untitled", titles("other"))

    def test_reverse_foreign_key_add_remove_clear_set(self):
        loose = Novel.objects.using("other").get(title="Ann loose")
        with WhereTheStatementsWent() as went:
            self.writer.novels.add(loose)
            self.assertEqual(self.writer.novels.count(), 3)
            self.writer.novels.remove(loose)
            self.writer.novels.add(loose, bulk=False)
            self.writer.novels.set([loose])
            self.assertEqual([n.title for n in self.writer.novels.all()], ["Ann loose"])
            self.writer.novels.clear()
        self.assertOnlyOther(went)
        self.assertEqual(Novel.objects.using("other").filter(writer__isnull=False).count(), 0)
        self.assertEqual(Novel.objects.using("default").filter(writer__isnull=False).count(), 2)

    def test_all_update_and_delete(self):
        with WhereTheStatementsWent() as went:
            self.writer.novels.all().update(title="Renamed")
            self.writer.drafts.all().delete()
        self.assertOnlyOther(went)
        self.assertEqual(titles("other"), ["Ann loose", "Renamed", "Renamed"])
        self.assertEqual(Draft.objects.using("other").count(), 0)
        self.assertEqual(Draft.objects.using("default").count(), 1)

    def test_many_to_many_writes_both_directions(self):
        library = Library.objects.using("other").get()
        with WhereTheStatementsWent() as went:
            self.writer.libraries.clear()
            library.writers.add(self.writer)
            library.writers.remove(self.writer)
            self.writer.libraries.set([library])
            added = library.writers.create(name="Bo", born=datetime.date(1960, 1, 1))
            shelf, created = self.writer.libraries.get_or_create(name="Annex")
            self.writer.prizes.add(Prize.objects.using("other").create(name="Second"))
            library.writers.update_or_create(name="Bo", defaults={"born": datetime.date(1961, 1, 1)})
        self.assertOnlyOther(went)
        self.assertEqual((added._state.db, shelf._state.db, created), ("other", "other", True))
        self.assertEqual(sorted(w.name for w in library.writers.all()), ["Ann", "Bo"])
        self.assertEqual(sorted(x.name for x in self.writer.libraries.all()), ["Ann library", "Annex"])
        self.assertEqual(Writer.objects.using("other").get(name="Bo").born, datetime.date(1961, 1, 1))
        self.assertEqual(Award.objects.using("other").count(), 2)
        self.assertEqual(Award.objects.using("default").count(), 1)
        self.assertEqual(list(self.home.library.writers.all()), [self.home.writer])

    def test_deleting_the_related_object(self):
        novel = Novel.objects.using("other").get(title="Ann 1")
        with WhereTheStatementsWent() as went:
            novel.writer.delete()
        self.assertOnlyOther(went)
        self.assertEqual(titles("other"), ["Ann loose"])
        self.assertEqual(Writer.objects.using("default").count(), 2)


class DeletionCascadesOnTheInstanceDatabase(OtherAndDefault, TestCase):
    def test_dependants_and_links_go_on_that_database_only(self):
        seen = []

        def record(sender, instance, using, **kwargs):
            seen.append((sender.__name__, using))

        for signal in (signals.pre_delete, signals.post_delete):
            signal.connect(record, weak=False, dispatch_uid=HERE)
            self.addCleanup(signal.disconnect, dispatch_uid=HERE)
        with WhereTheStatementsWent() as went:
            self.writer.delete()
        self.assertOnlyOther(went)
        self.assertEqual(
            {name for name, _ in seen}, {"Writer", "Novel", "Draft", "Biography", "Award"}
        )
        self.assertEqual({using for _, using in seen}, {"other"})
        on_other = [Novel, Draft, Biography, Award, Library.writers.through]
        self.assertEqual([m.objects.using("other").count() for m in on_other], [1, 0, 0, 0, 0])
        self.assertEqual([m.objects.using("default").count() for m in on_other], [3, 1, 1, 1, 1])
        self.assertEqual(Writer.objects.using("default").count(), 2)


# -- The calls routers receive --------------------------------------------------
class RecordingRouter:
    """Answers nothing; records, in order, every db_for_read/db_for_write
    call as (method, model name, hints), each hinted object shown as its
    class name, and every allow_relation call as ("allow", class of obj1,
    class of obj2)."""

    calls = []

    def _record(self, method, model, hints):
        assert isinstance(model, type), "a router was asked about %r, not a model class" % (model,)
        shown = tuple(sorted((key, type(value).__name__) for key, value in hints.items()))
        self.calls.append((method, model.__name__, shown))

    def db_for_read(self, model, **hints):
        self._record("read", model, hints)

    def db_for_write(self, model, **hints):
        self._record("write", model, hints)

    def allow_relation(self, obj1, obj2, **hints):
        self.calls.append(("allow", type(obj1).__name__, type(obj2).__name__))


def read(model, hinted=None):
    return ("read", model, () if hinted is None else (("instance", hinted),))


def write(model, hinted=None):
    return ("write", model, () if hinted is None else (("instance", hinted),))


def allow(obj1, obj2):
    return ("allow", obj1, obj2)


THROUGH = "Library_writers"
# Recorded with the same recording router, models and operations against
# Django 6.1 (run as a black box): the exact calls of each operation, in
# order. Routers are written against these; ours match them except as
# listed in OUR_DIFFERENCES.
EXPECTED_CALLS = {
    "forward fk": [read("Writer", "Novel")],
    "forward o2o": [read("Writer", "Biography")],
    "reverse o2o": [read("Biography", "Writer")],
    "reverse fk list": [
        read("Novel", "Writer"),
        read("Novel", "Writer"),
        allow("Writer", "Novel"),
        allow("Writer", "Novel"),
    ],
    "reverse fk count": [read("Novel", "Writer"), read("Novel", "Writer")],
    "reverse fk filter": [read("Novel", "Writer"), read("Novel", "Writer"), allow("Writer", "Novel")],
    "reverse fk add": [write("Novel", "Writer"), allow("Writer", "Novel")],
    "reverse fk add bulk=False": [write("Novel", "Writer"), allow("Writer", "Novel"), write("Novel", "Novel")],
    "reverse fk remove": [read("Novel", "Writer"), write("Novel", "Writer")],
    "reverse fk remove bulk=False": [
        read("Novel", "Writer"),
        write("Novel", "Writer"),
        allow("Writer", "Novel"),
        write("Novel", "Novel"),
    ],
    "reverse fk clear": [write("Novel", "Writer"), read("Novel", "Writer")],
    "reverse fk set": [
        write("Novel", "Writer"),
        read("Novel", "Writer"),
        allow("Writer", "Novel"),
        allow("Writer", "Novel"),
        read("Novel", "Writer"),
        write("Novel", "Writer"),
        write("Novel", "Writer"),
        allow("Writer", "Novel"),
    ],
    "reverse fk create": [write("Novel", "Writer"), write("Novel", "Writer"), allow("Writer", "Novel")],
    "reverse fk get_or_create": [write("Novel", "Writer"), write("Novel", "Writer"), allow("Writer", "Novel")],
    "reverse fk update_or_create": [write("Novel", "Writer"), write("Novel", "Writer"), allow("Writer", "Novel")],
    "reverse fk all().update()": [read("Novel", "Writer"), write("Novel", "Writer"), write("Novel", "Writer")],
    "reverse fk all().delete()": [read("Draft", "Writer"), write("Draft", "Writer")],
    "m2m list": [read("Writer", "Library")],
    "m2m add": [write(THROUGH, "Library"), allow("Writer", "Library")],
    "m2m remove": [write(THROUGH, "Library")],
    "m2m clear": [write(THROUGH, "Library")],
    "m2m set": [write(THROUGH, "Library"), allow("Writer", "Library")],
    "m2m set clear=True": [write(THROUGH, "Library"), allow("Writer", "Library"), allow("Writer", "Library")],
    "m2m create": [write("Library", "Library"), write(THROUGH, "Library"), allow("Writer", "Library")],
    "m2m get_or_create": [write("Library", "Library"), write(THROUGH, "Library"), allow("Writer", "Library")],
    "m2m update_or_create": [write("Library", "Library")],
    "m2m all().update()": [write("Writer", "Library"), write("Writer", "Library")],
    "reverse m2m list": [read("Library", "Writer")],
    "reverse m2m add": [write(THROUGH, "Writer"), allow("Library", "Writer")],
    "reverse m2m remove": [write(THROUGH, "Writer")],
    "reverse m2m clear": [write(THROUGH, "Writer")],
    "reverse m2m set": [write(THROUGH, "Writer")],
    "reverse m2m set clear=True": [write(THROUGH, "Writer"), allow("Library", "Writer")],
    "reverse m2m create": [write("Writer", "Writer"), write(THROUGH, "Writer"), allow("Library", "Writer")],
    "reverse m2m get_or_create": [write("Writer", "Writer"), write(THROUGH, "Writer"), allow("Library", "Writer")],
    "reverse m2m update_or_create": [write("Writer", "Writer")],
    "reverse m2m all().delete()": [write("Library", "Writer"), write("Library", "Writer")],
    "through add": [write("Award", "Prize"), allow("Writer", "Prize")],
    "through create": [write("Prize", "Prize"), write("Award", "Prize"), allow("Writer", "Prize")],
    "generic list": [read("Tag", "Poem")],
    "generic count": [read("Tag", "Poem")],
    "generic add": [write("Tag", "Poem"), allow("ContentType", "Tag")],
    "generic add bulk=False": [write("Tag", "Poem"), allow("ContentType", "Tag"), write("Tag", "Tag")],
    "generic remove": [read("Tag", "Poem"), write("Tag", "Poem")],
    "generic remove bulk=False": [read("Tag", "Poem"), write("Tag", "Poem"), write("Tag", "Tag")],
    "generic clear": [write("Tag", "Poem"), read("Tag", "Poem")],
    "generic clear bulk=False": [write("Tag", "Poem"), read("Tag", "Poem"), write("Tag", "Tag"), write("Tag", "Tag")],
    "generic set": [
        write("Tag", "Poem"),
        read("Tag", "Poem"),
        read("Tag", "Poem"),
        write("Tag", "Poem"),
        write("Tag", "Poem"),
        allow("ContentType", "Tag"),
    ],
    "generic set clear=True": [
        write("Tag", "Poem"),
        write("Tag", "Poem"),
        read("Tag", "Poem"),
        write("Tag", "Poem"),
        allow("ContentType", "Tag"),
    ],
    "generic create": [
        write("Tag", "Poem"),
        read("Tag", "Poem"),
        write("Tag", "ContentType"),
        allow("ContentType", "Tag"),
    ],
    "generic get_or_create": [
        write("Tag", "Poem"),
        read("Tag", "Poem"),
        write("Tag", "ContentType"),
        allow("ContentType", "Tag"),
    ],
    "generic update_or_create": [write("Tag", "Poem"), read("Tag", "Poem")],
    "generic all().delete()": [read("Tag", "Poem")],
    "generic all().update()": [read("Tag", "Poem")],
    "related object delete": [read("Writer", "Novel"), write("Writer", "Writer")],
    "delete with cascades": [write("Writer", "Writer")],
    "prefetch reverse fk": [read("Writer"), read("Novel", "Writer"), read("Novel", "Writer"), read("Novel", "Writer")],
    "prefetch forward fk": [read("Novel"), read("Writer", "Novel")],
    "prefetch m2m": [read("Library"), read("Writer", "Library"), read("Writer", "Library")],
    "prefetch generic": [read("Poem"), read("Tag", "Poem"), read("Tag", "Poem"), read("Tag", "Poem")],
    "prefetch generic fk": [read("Tag"), read("Poem")],
    "select_related": [read("Novel")],
    "get_next_by_born": [],
}


# Where our calls differ from 6.1's, and why (docs/topics/db/multi-db.txt,
# "The calls routers receive"):
# * 6.1 assigns the instance to each row a reverse foreign key manager
#   fetches, asking allow_relation(instance, row) once per row; our rows get
#   the instance cached, unasked: no per-row router call on fetching.
# * set() checks the objects it links before it unlinks anything, so a
#   refusal finds nothing written; 6.1 checks them inside its add(), after
#   the removal, asking db_for_write again for that add().
# * 6.1's many-to-many prefetch asks db_for_read for the related model
#   twice; we ask once (the same question, the same answer).
# * 6.1's generic relation manager asks db_for_read(Tag, instance=poem)
#   whenever it builds its queryset, and pins the queryset there: remove(),
#   clear(), set(), create(), get_or_create() and update_or_create() ask it
#   too, then ask db_for_write and write there, so the read answer goes
#   unused; and all().delete() (or update()) asks only db_for_read and
#   writes on the read database. Ours asks only the question whose answer
#   is used: db_for_write for every write, as 6.1's reverse foreign key
#   manager does (a read/replica router must not receive writes).
# * Generic set(): the objects are checked before anything is removed (as
#   reverse foreign key set() above); clear=True changes nothing, since
#   clearing first would delete the very rows asked for (6.1 deletes them,
#   then its add() finds no row to update).
# * 6.1's generic prefetch asks db_for_read(Tag, instance=poem) once per
#   parent, plus once; we ask once.
# * Prefetching a generic foreign key reads the objects on the database
#   the rows were read from, unasked, as tag.content_object does (in
#   both); 6.1's prefetch asks db_for_read(Poem) without hints and reads
#   there, so a prefetched content_object could differ from the fetched one.
OUR_DIFFERENCES = {
    "reverse fk list": [read("Novel", "Writer"), read("Novel", "Writer")],
    "reverse fk filter": [read("Novel", "Writer"), read("Novel", "Writer")],
    "reverse fk remove bulk=False": [read("Novel", "Writer"), write("Novel", "Writer"), write("Novel", "Novel")],
    "reverse fk set": [
        write("Novel", "Writer"),
        read("Novel", "Writer"),
        allow("Writer", "Novel"),
        read("Novel", "Writer"),
        write("Novel", "Writer"),
    ],
    "prefetch m2m": [read("Library"), read("Writer", "Library")],
    "generic remove": [write("Tag", "Poem")],
    "generic remove bulk=False": [write("Tag", "Poem"), write("Tag", "Tag")],
    "generic clear": [write("Tag", "Poem")],
    "generic clear bulk=False": [write("Tag", "Poem"), write("Tag", "Tag"), write("Tag", "Tag")],
    "generic set": [write("Tag", "Poem"), allow("ContentType", "Tag"), write("Tag", "Poem")],
    "generic set clear=True": [write("Tag", "Poem"), allow("ContentType", "Tag"), write("Tag", "Poem")],
    "generic create": [write("Tag", "Poem"), write("Tag", "ContentType"), allow("ContentType", "Tag")],
    "generic get_or_create": [write("Tag", "Poem"), write("Tag", "ContentType"), allow("ContentType", "Tag")],
    "generic update_or_create": [write("Tag", "Poem")],
    "generic all().delete()": [write("Tag", "Poem")],
    "generic all().update()": [write("Tag", "Poem"), write("Tag", "Poem")],
    "prefetch generic": [read("Poem"), read("Tag", "Poem")],
    "prefetch generic fk": [read("Tag")],
}


class _Undo(Exception):
    pass


@override_settings(DATABASE_ROUTERS=[f"{HERE}.RecordingRouter"])
class RouterCallsTests(TestCase):
    databases = {"default", "other"}

    def setUp(self):
        RecordingRouter.calls = []
        Cast("default", "Ann")
        # Two poems: 6.1's generic prefetch asks once per parent, and more.
        poem = Poem.objects.create(title="Ode")
        Poem.objects.create(title="Other ode")
        for label in ("a", "b"):
            poem.tags.create(label=label)
        Tag.objects.create(label="loose", content_type=ContentType.objects.get_for_model(Poem), object_id=999)

    def operations(self):
        """(name, setup, operation) in EXPECTED_CALLS order; setup() reads
        or builds the objects (its calls are not recorded) and returns the
        operation's argument. Each runs in a savepoint rolled back after it
        (see run()), so each starts from the same rows."""
        on = "default"
        writer = lambda: Writer.objects.using(on).get(name="Ann")  # noqa: E731
        library = lambda: Library.objects.using(on).get(name="Ann library")  # noqa: E731

        def loose():
            return writer(), Novel.objects.using(on).get(title="Ann loose")

        def attached():
            w, n = loose()
            w.novels.add(n)
            return w, n

        ode = lambda: Poem.objects.using(on).get(title="Ode")  # noqa: E731

        def tagged(label):
            return lambda: (ode(), Tag.objects.using(on).get(label=label))

        born = datetime.date(1970, 1, 1)
        return [
            ("forward fk", lambda: Novel.objects.using(on).get(title="Ann 1"), lambda n: n.writer),
            ("forward o2o", lambda: Biography.objects.using(on).get(), lambda b: b.writer),
            ("reverse o2o", writer, lambda w: w.biography),
            ("reverse fk list", writer, lambda w: list(w.novels.all())),
            ("reverse fk count", writer, lambda w: w.novels.count()),
            ("reverse fk filter", writer, lambda w: list(w.novels.filter(title="Ann 2"))),
            ("reverse fk add", loose, lambda a: a[0].novels.add(a[1])),
            ("reverse fk add bulk=False", loose, lambda a: a[0].novels.add(a[1], bulk=False)),
            ("reverse fk remove", attached, lambda a: a[0].novels.remove(a[1])),
            ("reverse fk remove bulk=False", attached, lambda a: a[0].novels.remove(a[1], bulk=False)),
            ("reverse fk clear", writer, lambda w: w.novels.clear()),
            ("reverse fk set", loose, lambda a: a[0].novels.set([a[1]])),
            ("reverse fk create", writer, lambda w: w.novels.create(title="c")),
            ("reverse fk get_or_create", writer, lambda w: w.novels.get_or_create(title="d")),
            ("reverse fk update_or_create", writer,
             lambda w: w.novels.update_or_create(title="d", defaults={"title": "e"})),
            ("reverse fk all().update()", writer, lambda w: w.novels.all().update(title="z")),
            ("reverse fk all().delete()", writer, lambda w: w.drafts.all().delete()),
            ("m2m list", library, lambda x: list(x.writers.all())),
            ("m2m add", library, lambda x: x.writers.add(Writer.objects.using(on).get(name="Ann Jr"))),
            ("m2m remove", library, lambda x: x.writers.remove(Writer.objects.using(on).get(name="Ann"))),
            ("m2m clear", library, lambda x: x.writers.clear()),
            ("m2m set", library, lambda x: x.writers.set(list(Writer.objects.using(on).all()))),
            ("m2m set clear=True", library,
             lambda x: x.writers.set(list(Writer.objects.using(on).all()), clear=True)),
            ("m2m create", library, lambda x: x.writers.create(name="q", born=born)),
            ("m2m get_or_create", library, lambda x: x.writers.get_or_create(name="r", born=born)),
            ("m2m update_or_create", library, lambda x: x.writers.update_or_create(name="Ann", defaults={"born": born})),
            ("m2m all().update()", library, lambda x: x.writers.all().update(name="n")),
            ("reverse m2m list", writer, lambda w: list(w.libraries.all())),
            ("reverse m2m add", writer, lambda w: w.libraries.add(Library.objects.using(on).create(name="t"))),
            ("reverse m2m remove", writer, lambda w: w.libraries.remove(Library.objects.using(on).get())),
            ("reverse m2m clear", writer, lambda w: w.libraries.clear()),
            ("reverse m2m set", writer, lambda w: w.libraries.set([Library.objects.using(on).get()])),
            ("reverse m2m set clear=True", writer,
             lambda w: w.libraries.set([Library.objects.using(on).get()], clear=True)),
            ("reverse m2m create", writer, lambda w: w.libraries.create(name="u")),
            ("reverse m2m get_or_create", writer, lambda w: w.libraries.get_or_create(name="v")),
            ("reverse m2m update_or_create", writer,
             lambda w: w.libraries.update_or_create(name="Ann library", defaults={"name": "w"})),
            ("reverse m2m all().delete()", writer, lambda w: w.libraries.all().delete()),
            ("through add", lambda: Prize.objects.using(on).get(),
             lambda p: p.winners.add(Writer.objects.using(on).get(name="Ann Jr"), through_defaults={"year": 1})),
            ("through create", lambda: Prize.objects.using(on).get(),
             lambda p: p.winners.create(name="tt", born=born, through_defaults={"year": 2})),
            ("generic list", ode, lambda p: list(p.tags.all())),
            ("generic count", ode, lambda p: p.tags.count()),
            ("generic add", tagged("loose"), lambda a: a[0].tags.add(a[1])),
            ("generic add bulk=False", tagged("loose"), lambda a: a[0].tags.add(a[1], bulk=False)),
            ("generic remove", tagged("a"), lambda a: a[0].tags.remove(a[1])),
            ("generic remove bulk=False", tagged("a"), lambda a: a[0].tags.remove(a[1], bulk=False)),
            ("generic clear", ode, lambda p: p.tags.clear()),
            ("generic clear bulk=False", ode, lambda p: p.tags.clear(bulk=False)),
            ("generic set", tagged("loose"), lambda a: a[0].tags.set([a[1]])),
            ("generic set clear=True", tagged("loose"), lambda a: a[0].tags.set([a[1]], clear=True)),
            ("generic create", ode, lambda p: p.tags.create(label="c")),
            ("generic get_or_create", ode, lambda p: p.tags.get_or_create(label="d")),
            ("generic update_or_create", ode, lambda p: p.tags.update_or_create(label="a", defaults={"label": "e"})),
            ("generic all().delete()", ode, lambda p: p.tags.all().delete()),
            ("generic all().update()", ode, lambda p: p.tags.all().update(label="z")),
            ("related object delete", lambda: Novel.objects.using(on).get(title="Ann 1"), lambda n: n.writer.delete()),
            ("delete with cascades", writer, lambda w: w.delete()),
            ("prefetch reverse fk", lambda: None, lambda _: list(Writer.objects.prefetch_related("novels"))),
            ("prefetch forward fk", lambda: None, lambda _: list(Novel.objects.prefetch_related("writer"))),
            ("prefetch m2m", lambda: None, lambda _: list(Library.objects.prefetch_related("writers"))),
            ("prefetch generic", lambda: None, lambda _: list(Poem.objects.prefetch_related("tags"))),
            ("prefetch generic fk", lambda: None, lambda _: list(Tag.objects.prefetch_related("content_object"))),
            ("select_related", lambda: None, lambda _: [n.writer for n in Novel.objects.select_related("writer")]),
            ("get_next_by_born", writer, lambda w: w.get_next_by_born()),
        ]

    def test_every_operation_asks_the_calls_django_makes(self):
        operations = self.operations()
        self.assertEqual([name for name, _, _ in operations], list(EXPECTED_CALLS))
        for name, setup, operation in operations:
            with self.subTest(name):
                expected = OUR_DIFFERENCES.get(name, EXPECTED_CALLS[name])
                self.assertEqual(self.run_undone(setup, operation), expected)

    def run_undone(self, setup, operation):
        """The calls ``operation`` made; its writes are rolled back."""
        try:
            with transaction.atomic(using="default"):
                argument = setup()
                RecordingRouter.calls = []
                operation(argument)
                raise _Undo
        except _Undo:
            pass
        return RecordingRouter.calls

    def test_the_only_hint_is_the_instance(self):
        seen = []
        for name, setup, operation in self.operations():
            seen += self.run_undone(setup, operation)
        self.assertEqual(
            {hints for method, _, hints in seen if method != "allow"} - {()},
            {
                (("instance", cls),)
                for cls in ("Writer", "Novel", "Library", "Prize", "Biography", "Poem", "Tag", "ContentType")
            },
        )


class NovelsFromOther:
    """Reads of Novel go to 'other'; no other opinion."""

    def db_for_read(self, model, **hints):
        return "other" if model is Novel else None


@override_settings(DATABASE_ROUTERS=[f"{HERE}.NovelsFromOther"])
class RouterAnswersWinTests(OtherAndDefault, TestCase):
    def test_a_router_answer_overrides_the_instance_database(self):
        # The writer lives on 'default'; the router sends its novels' reads
        # to 'other', where the rows pointing at the same key are Ann's.
        self.assertEqual(self.home.writer.novels.db, "other")
        self.assertEqual([n.title for n in self.home.writer.novels.all()], ["Ann 1", "Ann 2"])
        # Not Novel: no opinion, so the instance's database.
        self.assertEqual([d.name for d in self.home.writer.drafts.all()], ["Dee draft"])


class LinksToOther(RecordingRouter):
    """Records; writes the links of libraries and writers to 'other'."""

    calls = []

    def db_for_write(self, model, **hints):
        super().db_for_write(model, **hints)
        return "other" if model is Library.writers.through else None


class LinksToOtherRefused(LinksToOther):
    def allow_relation(self, obj1, obj2, **hints):
        super().allow_relation(obj1, obj2, **hints)
        return False


class ManyToManyCreateAcrossDatabasesTests(TestCase):
    """library.writers.create(): the new writer goes where
    db_for_write(Library, instance=library) says (6.1's question), the link
    where db_for_write(<through>, instance=library) says. The routers below
    put them apart."""

    databases = {"default", "other"}

    def setUp(self):
        # Twins on 'other' keep the link row's constraints satisfied there.
        for alias in ("default", "other"):
            Library.objects.using(alias).create(pk=7001, name="Lib")
        Writer.objects.using("other").create(pk=7005, name="zed", born=datetime.date(1990, 1, 1))
        self.library = Library.objects.using("default").get()
        LinksToOther.calls = []

    def links(self, alias):
        return list(Library.writers.through.objects.using(alias).values_list("library_id", "writer_id"))

    @override_settings(DATABASE_ROUTERS=[f"{HERE}.LinksToOther"])
    def test_object_and_link_each_go_where_the_routers_say(self):
        zed = self.library.writers.create(pk=7005, name="zed", born=datetime.date(1990, 1, 1))
        self.assertEqual(zed._state.db, "default")
        self.assertEqual(Writer.objects.using("default").get(pk=7005).name, "zed")
        self.assertEqual(self.links("other"), [(7001, 7005)])
        self.assertEqual(self.links("default"), [])
        # The calls and their order are 6.1's ("m2m create" above).
        self.assertEqual(
            LinksToOther.calls, [write("Library", "Library"), write(THROUGH, "Library"), allow("Writer", "Library")]
        )

    @override_settings(DATABASE_ROUTERS=[f"{HERE}.LinksToOtherRefused"])
    def test_a_refused_link_leaves_no_new_object_behind(self):
        message = 'Cannot add "<Writer: zed>": instance is on database "default", value is on database "default"'
        for method in ("create", "get_or_create"):
            with self.subTest(method), self.assertRaisesMessage(ValueError, message):
                getattr(self.library.writers, method)(pk=7005, name="zed", born=datetime.date(1990, 1, 1))
            # (6.1 keeps the new writer on 'default'.) The enclosing
            # transaction is still usable: these reads run in it.
            self.assertFalse(Writer.objects.using("default").filter(pk=7005).exists())
            self.assertEqual(self.links("default") + self.links("other"), [])
