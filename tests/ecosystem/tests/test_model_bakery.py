import pytest

from importing import import_or_skip

baker = import_or_skip("model_bakery.baker")

from library.models import Author, Book, Tag  # noqa: E402

pytestmark = pytest.mark.django_db


def test_make_saves_with_random_values():
    book = baker.make(Book)
    assert Book.objects.get(pk=book.pk).author.pk == book.author.pk
    assert book.title


def test_make_with_given_values():
    author = baker.make(Author, name="Given")
    assert Author.objects.get(pk=author.pk).name == "Given"


def test_prepare_does_not_save():
    book = baker.prepare(Book)
    assert book.pk is None
    assert not Book.objects.exists()


def test_quantity():
    books = baker.make(Book, _quantity=3)
    assert len(books) == 3
    assert Book.objects.count() == 3


def test_make_m2m():
    book = baker.make(Book, make_m2m=True)
    assert book.tags.count() > 0


def test_m2m_given():
    tags = baker.make(Tag, _quantity=2)
    book = baker.make(Book, tags=tags)
    assert set(book.tags.all()) == set(tags)


def test_bulk_create():
    baker.make(Author, _quantity=4, _bulk_create=True)
    assert Author.objects.count() == 4


@pytest.mark.django_db(databases=["default", "other"])
def test_using_another_database():
    book = baker.make(Book, _using="other")
    assert Book.objects.using("other").filter(pk=book.pk).exists()
    assert Author.objects.using("other").count() == 1
    assert not Book.objects.exists()


def test_related_reverse_fk():
    author = baker.make(Author, books=baker.prepare(Book, _quantity=2))
    assert author.books.count() == 2
