"""The application factory and its configuration."""

import pytest

from portal import create_app
from portal.config import _database_url
from tests.conftest import create_test_app


def test_overrides_are_applied(database_url):
    """A dict passed to create_app wins over the environment defaults."""
    app = create_test_app(SQLALCHEMY_DATABASE_URI=database_url, LISTINGS_PER_PAGE=3)
    assert app.config["LISTINGS_PER_PAGE"] == 3
    assert app.config["TESTING"] is True


def test_refuses_to_start_without_secret_key(database_url):
    """Outside development a missing SECRET_KEY stops start-up instead of signing with None."""
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": None})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url_names_the_driver(monkeypatch, given, expected):
    """DATABASE_URL as hosting platforms write it is turned into a SQLAlchemy URL."""
    monkeypatch.setenv("DATABASE_URL", given)
    assert _database_url() == expected


def test_default_database_is_a_local_sqlite_file(monkeypatch):
    """With nothing configured the portal runs on SQLite under instance/."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = _database_url()
    assert url.startswith("sqlite:///")
    assert url.endswith("instance/portal.sqlite3")


def test_no_blueprint_is_missing(app):
    """Every user-facing area is registered."""
    assert {"home", "listings", "auth", "staff", "api"} <= set(app.blueprints)
