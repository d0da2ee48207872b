import pytest

from importing import STRICT, import_or_skip

factory = import_or_skip("factory")
factory_django = import_or_skip("factory.django")

from library.models import Author, Book, Tag  # noqa: E402

pytestmark = pytest.mark.django_db


class AuthorFactory(factory_django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: "Author %d" % n)
    email = factory.LazyAttribute(lambda o: "%s@example.com" % o.name.replace(" ", "."))


class TagFactory(factory_django.DjangoModelFactory):
    class Meta:
        model = Tag

    label = factory.Sequence(lambda n: "tag%d" % n)


class BookFactory(factory_django.DjangoModelFactory):
    class Meta:
        model = Book
        skip_postgeneration_save = True

    title = factory.Faker("sentence", nb_words=3)
    author = factory.SubFactory(AuthorFactory)
    pages = factory.Faker("pyint", min_value=10, max_value=900)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class AuthorWithBooksFactory(AuthorFactory):
    class Meta:
        skip_postgeneration_save = True

    book = factory.RelatedFactory(BookFactory, factory_related_name="author")


def test_create_saves_the_row():
    author = AuthorFactory(name="Ann")
    assert author.pk is not None
    assert Author.objects.get(pk=author.pk).email == "Ann@example.com"


def test_build_does_not_save():
    author = AuthorFactory.build()
    assert author.pk is None
    assert not Author.objects.exists()


def test_subfactory_creates_the_foreign_key_target():
    book = BookFactory()
    assert Book.objects.get(pk=book.pk).author == book.author
    assert Author.objects.count() == 1


def test_related_factory_creates_the_reverse_side():
    author = AuthorWithBooksFactory()
    assert list(author.books.values_list("author_id", flat=True)) == [author.pk]


def test_post_generation_fills_the_many_to_many():
    tags = TagFactory.create_batch(2)
    book = BookFactory(tags=tags)
    assert sorted(t.label for t in book.tags.all()) == sorted(t.label for t in tags)


def test_django_get_or_create_reuses_the_row():
    first = AuthorFactory(name="Same")
    second = AuthorFactory(name="Same")
    assert first.pk == second.pk
    assert Author.objects.filter(name="Same").count() == 1


def test_create_batch():
    BookFactory.create_batch(3)
    assert Book.objects.count() == 3


@pytest.mark.django_db(databases=["default", "other"])
def test_using_another_database():
    class OtherAuthorFactory(AuthorFactory):
        class Meta:
            database = "other"

    author = OtherAuthorFactory(name="Elsewhere")
    assert Author.objects.using("other").filter(pk=author.pk).exists()


def test_file_field():
    from library import models

    if not hasattr(models, "Cover") and not STRICT:
        pytest.skip("models.FileField is not available on this branch (issue 20 files)")

    class CoverFactory(factory_django.DjangoModelFactory):
        class Meta:
            model = models.Cover

        book = factory.SubFactory(BookFactory)
        image = factory_django.FileField(filename="front.txt", data=b"cover")

    cover = CoverFactory()
    cover.image.open("rb")
    try:
        assert cover.image.read() == b"cover"
    finally:
        cover.image.close()
    assert cover.image.name.startswith("covers/front")
