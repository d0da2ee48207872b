import pytest

from library.models import Author, Book


def test_db_fixture_creates_and_sees_rows(db):
    Author.objects.create(name="A")
    assert Author.objects.count() == 1


def test_db_fixture_rolls_back_between_tests(db):
    assert Author.objects.count() == 0


@pytest.mark.django_db
def test_django_db_marker(author):
    assert Author.objects.get().name == "Ursula K. Le Guin"


def test_transactional_db_commits_and_flushes(transactional_db):
    from django.db import transaction

    with transaction.atomic():
        Author.objects.create(name="T")
    assert Author.objects.filter(name="T").exists()


def test_transactional_db_left_nothing(transactional_db):
    assert not Author.objects.exists()


def test_django_assert_num_queries(db, django_assert_num_queries):
    author = Author.objects.create(name="Q")
    with django_assert_num_queries(1):
        list(Book.objects.filter(author=author))


def test_django_assert_num_queries_fails_on_mismatch(db, django_assert_num_queries):
    with pytest.raises(pytest.fail.Exception, match="Expected to perform 2 queries"):
        with django_assert_num_queries(2):
            Author.objects.count()


def test_django_assert_max_num_queries(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        Author.objects.count()


def test_settings_fixture_overrides_and_restores(settings):
    from django.conf import settings as live

    settings.SECRET_KEY = "changed"
    assert live.SECRET_KEY == "changed"


def test_settings_fixture_restored():
    from django.conf import settings as live

    assert live.SECRET_KEY == "ecosystem-tests"


def test_django_user_model(db, django_user_model):
    user = django_user_model.objects.create_user(username="alice", password="pw")
    assert user.check_password("pw")
    assert django_user_model.objects.filter(username="alice").exists()


def test_admin_user_fixture(admin_user):
    assert admin_user.is_superuser


@pytest.mark.django_db(databases=["default", "other"])
def test_several_databases(django_db_setup):
    Author.objects.using("other").create(name="On other")
    assert Author.objects.using("other").count() == 1
    assert Author.objects.count() == 0


@pytest.mark.django_db(databases=["default", "other"])
def test_conftest_fixture_on_other_database(other_db_author):
    assert Author.objects.using("other").get().name == "Elsewhere"
    assert not Author.objects.exists()


def test_mailoutbox_collects_what_is_sent(mailoutbox):
    # pytest-django's mailoutbox: the locmem backend's outbox, empty per test.
    from django.core import mail

    assert mailoutbox == []
    sent = mail.send_mail("Hello", "Body", "from@example.com", ["to@example.com"])
    assert sent == 1
    assert [m.subject for m in mailoutbox] == ["Hello"]
    assert mailoutbox[0].to == ["to@example.com"]


def test_mailoutbox_is_empty_again(mailoutbox):
    assert mailoutbox == []
