"""DATABASES built by dj-database-url (see ecoproject/settings.py) is what
the ORM runs on, for each of the three backends."""
import dj_database_url
import pytest
from django.db import connections


@pytest.mark.parametrize("url, vendor", [
    ("sqlite:///some.sqlite3", "sqlite"),
    ("postgres://user:pw@db.example.com:5433/shop", "postgresql"),
    ("postgresql://user@db.example.com/shop", "postgresql"),
    ("mysql://user:pw@db.example.com:3307/shop", "mysql"),
])
def test_parsed_urls_load_our_backends(url, vendor):
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler({"default": dj_database_url.parse(url)})
    assert handler["default"].vendor == vendor


def test_parsed_url_fields_reach_the_connection_settings():
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler({"default": dj_database_url.parse(
        "postgres://user:pw@db.example.com:5433/shop", conn_max_age=60,
    )})
    settings_dict = handler["default"].settings_dict
    assert (settings_dict["USER"], settings_dict["PASSWORD"], settings_dict["HOST"],
            settings_dict["PORT"], settings_dict["NAME"], settings_dict["CONN_MAX_AGE"]) == (
        "user", "pw", "db.example.com", 5433, "shop", 60)


@pytest.mark.django_db(databases="__all__")
@pytest.mark.parametrize("alias, vendor", [
    ("default", "sqlite"), ("other", "postgresql"), ("third", "mysql"),
])
def test_project_aliases_run_queries(alias, vendor):
    from django.conf import settings

    if not settings.DATABASES[alias]["ENGINE"].endswith(
        {"sqlite": "sqlite3", "postgresql": "postgresql", "mysql": "mysql"}[vendor]
    ):
        pytest.skip("%r is configured for another backend here" % alias)
    from library.models import Author

    Author.objects.using(alias).create(name=alias)
    assert connections[alias].vendor == vendor
    assert list(Author.objects.using(alias).values_list("name", flat=True)) == [alias]
