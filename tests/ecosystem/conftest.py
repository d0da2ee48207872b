"""Fixtures shared by the project's tests.

pytest-django finds the settings through DJANGO_SETTINGS_MODULE in
pytest.ini, creates the test databases once per session and provides db,
transactional_db, settings, django_user_model, django_assert_num_queries
and the django_db marker; a project's conftest.py only adds its own.
"""
import pytest


@pytest.fixture
def author(db):
    """An author saved in the test database (rolled back after the test)."""
    from library.models import Author

    return Author.objects.create(name="Ursula K. Le Guin")


@pytest.fixture
def other_db_author():
    """An author on the 'other' database; the test must declare it with
    @pytest.mark.django_db(databases=["default", "other"])."""
    from library.models import Author

    return Author.objects.using("other").create(name="Elsewhere")
