"""Many-to-one and one-to-one relations: ForeignKey, OneToOneField."""
from django.db import models


class Person(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=100)
    # on_delete omitted: CASCADE, the baseline default.
    author = models.ForeignKey(Person)
    editor = models.ForeignKey(Person, models.SET_NULL, null=True, related_name="edited")
    pages = models.IntegerField(default=100)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Chapter(models.Model):
    # A lazy reference to a model defined later in the module.
    book = models.ForeignKey("Book", models.CASCADE, related_name="chapters")
    section = models.ForeignKey("Section", models.PROTECT, null=True, related_name="+")
    title = models.CharField(max_length=50)

    def __str__(self):
        return self.title


class Section(models.Model):
    name = models.CharField(max_length=20, unique=True)
    parent = models.ForeignKey("self", models.CASCADE, null=True, related_name="children")

    def __str__(self):
        return self.name


class Tag(models.Model):
    # to_field: points at the unique name instead of the primary key.
    section = models.ForeignKey(Section, models.CASCADE, to_field="name", related_query_name="tagged")
    label = models.CharField(max_length=20)

    def __str__(self):
        return self.label


class Place(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name


class Restaurant(models.Model):
    place = models.OneToOneField(Place, models.CASCADE, primary_key=True)
    serves_pizza = models.BooleanField(default=False)

    def __str__(self):
        return "%s the restaurant" % self.place.name


class UserProfile(models.Model):
    user = models.OneToOneField("rel_many_to_one.Person", models.CASCADE)
    flavor = models.CharField(max_length=20)


class Stamped(models.Model):
    # An abstract base: each child gets its own reverse accessor.
    owner = models.ForeignKey(Person, models.CASCADE, related_name="%(app_label)s_%(class)s_set",
                              related_query_name="%(class)s_owned", limit_choices_to={"name__startswith": "A"})

    class Meta:
        abstract = True


class Note(Stamped):
    text = models.CharField(max_length=20)


class Memo(Stamped):
    text = models.CharField(max_length=20)
