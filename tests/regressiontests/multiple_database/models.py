"""Plain models: the test runner builds their tables on every test database."""
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Person(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Person, models.CASCADE, related_name="books", null=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Shelf(models.Model):
    """A many-to-many field: routers judge its intermediary table by the
    auto-created through model (see test_routers)."""

    label = models.CharField(max_length=30)
    readers = models.ManyToManyField(Person, related_name="shelves")


class PenNameManager(models.Manager):
    """A manager method of its own: db_manager() copies must keep it."""

    def register(self, name):
        # self._db: the alias db_manager() bound, None when routed.
        pen = self.model(name=name)
        pen.save(using=self._db)
        return pen


class PenName(models.Model):
    name = models.CharField(max_length=50)

    objects = PenNameManager()

    # The aliases from_db() was handed, newest last (see test_using).
    loaded_from = []

    @classmethod
    def from_db(cls, db, field_names, values):
        cls.loaded_from.append(db)
        instance = super().from_db(db, field_names, values)
        instance.built_for = db
        return instance


class Manuscript(models.Model):
    """Read with select_related("pen_name"): each object notes the alias
    from_db() built it for (see test_using.SharedConnectionTests)."""

    title = models.CharField(max_length=50)
    pen_name = models.ForeignKey(PenName, models.CASCADE, related_name="manuscripts")

    class Meta:
        ordering = ["title"]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.built_for = db
        return instance


class Tag(models.Model):
    """A label on any object (a generic foreign key)."""

    label = models.CharField(max_length=30)
    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["label"]


class Poem(models.Model):
    """Its tags are deleted with it (a GenericRelation)."""

    title = models.CharField(max_length=50)
    tags = GenericRelation(Tag)


class Editor(Person):
    """A proxy: its rows are Person's, in Person's table."""

    class Meta:
        proxy = True


class Archive(models.Model):
    """Unmanaged: nothing creates its table, the routers are never asked
    about it (see test_cross_db_joins)."""

    name = models.CharField(max_length=30)

    class Meta:
        managed = False
        db_table = "multiple_database_archive"


class Review(models.Model):
    """Joins a plain model, a proxy and an unmanaged model. Its queries are
    only compiled, never run: unmanaged too, so that syncdb (and the
    tests that count this app's tables) never see it."""

    # DO_NOTHING and no constraints: the table never exists, so deleting a
    # Book or a Person must not look for reviews to cascade to.
    book = models.ForeignKey(Book, models.DO_NOTHING, related_name="reviews", db_constraint=False)
    editor = models.ForeignKey(
        Editor, models.DO_NOTHING, null=True, related_name="reviews", db_constraint=False
    )
    archive = models.ForeignKey(Archive, models.DO_NOTHING, null=True, db_constraint=False)

    class Meta:
        managed = False
        db_table = "multiple_database_review"


# -- Patch 0004, the write side (test_instance_writes) ---------------------------
# Self-contained: nothing here points at Person, Book or Shelf, whose tables
# test_routers drops and recreates on 'other'.
class MemberManager(models.Manager):
    def get_by_natural_key(self, handle):
        return self.get(handle=handle)


class Member(models.Model):
    """Three kinds of unique values, which full_clean() checks on the
    member's own database; ``handle`` is also its natural key."""

    handle = models.CharField(max_length=30, unique=True)
    # NULLs never clash: members without a seat or a badge are fine.
    team = models.CharField(max_length=30, null=True, blank=True)
    seat = models.IntegerField(null=True, blank=True)
    badge = models.CharField(max_length=30, null=True, blank=True)

    objects = MemberManager()

    class Meta:
        ordering = ["handle"]
        unique_together = [("team", "seat")]
        constraints = [models.UniqueConstraint(fields=["badge"], name="multiple_database_member_badge")]

    def natural_key(self):
        return (self.handle,)

    def __str__(self):
        return self.handle


class Club(models.Model):
    name = models.CharField(max_length=30)
    motto = models.CharField(max_length=60, default="")
    members = models.ManyToManyField(Member, related_name="clubs")
    tags = GenericRelation(Tag)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Card(models.Model):
    """Deleted with its club (CASCADE); outlives its holder (SET_NULL)."""

    club = models.ForeignKey(Club, models.CASCADE, related_name="cards")
    holder = models.ForeignKey(Member, models.SET_NULL, null=True, related_name="cards")
    number = models.IntegerField(default=0)


# Helper G (patch 0005, rows that point to another database): a depot the
# constraint tests' routers keep off 'other', and parcels pointing to it.
class Depot(models.Model):
    city = models.CharField(max_length=30)


class Parcel(models.Model):
    """Its foreign key keeps the default db_constraint=True."""

    depot = models.ForeignKey(Depot, models.DO_NOTHING, related_name="parcels")
    label = models.CharField(max_length=30, default="")
    handlers = models.ManyToManyField(Depot, related_name="handled_parcels")


# -- Patch 0005, helper E: related objects follow their instance ---------------
# (test_relations_managers) Self-contained, like the 0004 models above.
class NovelManager(models.Manager):
    """A default manager with methods of its own: related managers of
    Novel are built on this class, so these run for writer.novels too."""

    def create(self, **kwargs):
        kwargs.setdefault("title", "Untitled")
        return super().create(**kwargs)

    def titled(self, title):
        return self.filter(title=title)


class Writer(models.Model):
    name = models.CharField(max_length=30)
    born = models.DateField()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Novel(models.Model):
    title = models.CharField(max_length=30)
    writer = models.ForeignKey(Writer, models.CASCADE, null=True, related_name="novels")

    objects = NovelManager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Draft(models.Model):
    """A foreign key that cannot be NULL: no remove()/clear() on writer.drafts."""

    name = models.CharField(max_length=30)
    writer = models.ForeignKey(Writer, models.CASCADE, related_name="drafts")


class Biography(models.Model):
    writer = models.OneToOneField(Writer, models.CASCADE, related_name="biography")
    text = models.CharField(max_length=60, default="")


class Library(models.Model):
    name = models.CharField(max_length=30)
    writers = models.ManyToManyField(Writer, related_name="libraries")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Prize(models.Model):
    name = models.CharField(max_length=30)
    winners = models.ManyToManyField(Writer, through="Award", related_name="prizes")


class Award(models.Model):
    prize = models.ForeignKey(Prize, models.CASCADE)
    writer = models.ForeignKey(Writer, models.CASCADE)
    year = models.IntegerField(default=2000)


# -- Helper F: what is refused, and adoption (test_relations_checks) ------------
# Self-contained. Every kind of relation the checks guard: a foreign key that
# cannot be NULL (Hound.keeper) and one that can (Collar.keeper), a
# one-to-one (HoundLicense.keeper), a many-to-many with an automatic
# intermediary (Kennel.guests) and one with its own (DogShow.entrants).
class Keeper(models.Model):
    name = models.CharField(max_length=30)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Hound(models.Model):
    name = models.CharField(max_length=30)
    keeper = models.ForeignKey(Keeper, models.CASCADE, related_name="hounds")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Collar(models.Model):
    color = models.CharField(max_length=30)
    keeper = models.ForeignKey(Keeper, models.SET_NULL, null=True, related_name="collars")

    class Meta:
        ordering = ["color"]

    def __str__(self):
        return self.color


class HoundLicense(models.Model):
    number = models.CharField(max_length=30)
    keeper = models.OneToOneField(Keeper, models.CASCADE, null=True, related_name="license")

    def __str__(self):
        return self.number


class Kennel(models.Model):
    name = models.CharField(max_length=30)
    guests = models.ManyToManyField(Keeper, related_name="kennels")

    def __str__(self):
        return self.name


class DogShow(models.Model):
    name = models.CharField(max_length=30)
    entrants = models.ManyToManyField(Keeper, through="DogShowEntry", related_name="shows")

    def __str__(self):
        return self.name


class DogShowEntry(models.Model):
    show = models.ForeignKey(DogShow, models.CASCADE)
    keeper = models.ForeignKey(Keeper, models.CASCADE)
    rank = models.IntegerField(default=0)
