"""Shared fixtures: an app on a fresh schema per session, cleaned after every test.

The suite runs on SQLite by default; `PORTAL_TEST_DATABASE_URL` (set by `make test`
from `TEST_DATABASE_URL`) runs the very same tests on PostgreSQL.

The test settings (`TEST_CONFIG`) live here and reach the portal only as the overrides
every test app is built with: no environment variable switches CSRF or limits off.
"""

import os
from datetime import UTC, datetime

# Development underneath the test settings, whatever the shell exports.
os.environ["PORTAL_ENV"] = "development"

import tempfile

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.extensions import db

pytest_plugins = [
    # Fixtures shared by the staff tests (`heard`: the tour events a test published).
    "tests.staff_helpers",
    # `smtp_server`, `redis_server`, `hung_redis`.
    "tests.loopback_servers",
    # `geo_region` (the demo city) and `city_regions` (the five city extracts).
    "tests.imported_regions",
    # `admin` for the staff search tests (and `found`, imported by them).
    "tests.prospect_search_helpers",
]

POSTGRES_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
# Tuesday 24 November 2026, 09:00 in Helsinki: a working morning far from any DST change.
FIXED_NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-only-not-secret",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "RATELIMIT_STORAGE_URI": "memory://",
    "REDIS_URL": None,
    "JOBS_BACKEND": "sync",
    "DEV_OUTBOX": True,
    # Tests create hundreds of properties; the precompute on save has tests of its own.
    "GEO_NEIGHBOURHOOD_ON_SAVE": False,
    # The test client's host (SERVER_NAME) is the public address every link is built on.
    "SERVER_NAME": "portal.test",
    "PORTAL_BASE_URL": "http://portal.test",
    # Studio uploads (and the demo's panoramas) never land in the checkout's instance/.
    "MEDIA_DIR": os.path.join(tempfile.gettempdir(), f"portal-test-media-{os.getpid()}"),
}


def create_test_app(**overrides):
    """``create_app`` with the test settings, then ``overrides``."""
    return create_app({**TEST_CONFIG, **overrides})


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + POSTGRES_URL if POSTGRES_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal-test.sqlite3'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the schema once per session, from scratch."""
    app = create_test_app(SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            db.drop_all()
        db.create_all()
        db.engine.dispose()
    return database_url


def make_app(database_url: str, **overrides):
    config = {"SQLALCHEMY_DATABASE_URI": database_url}
    config.update(overrides)
    app = create_test_app(**config)

    @app.teardown_request
    def _forget_signed_in_user(exc):
        # Tests run requests inside one app context, so Flask-Login's cache in `g` would
        # carry one client's user into the next request (of another client, too).
        from flask import g

        g.pop("_login_user", None)

    return app


@pytest.fixture
def app_factory(_schema):
    """Build extra apps (other settings or databases); their connections close afterwards."""
    apps = []

    def build(database_url: str | None = None, **overrides):
        app = make_app(database_url or _schema, **overrides)
        apps.append(app)
        return app

    yield build
    for built in apps:
        with built.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def production_app_factory(monkeypatch, _schema):
    """Build apps as `PORTAL_ENV=production` does (with its secrets set) on the test database."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    apps = []

    def build(**overrides):
        settings = {
            "SQLALCHEMY_DATABASE_URI": _schema,
            "SECRET_KEY": "a-real-secret-from-the-vault",
            "PORTAL_BASE_URL": "https://homes.example.com",
            "RATELIMIT_STORAGE_URI": "memory://",
            "REDIS_URL": None,
        }
        app = create_app({**settings, **overrides})
        apps.append(app)
        return app

    yield build
    for built in apps:
        with built.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change settings for its app."""
    return {}


@pytest.fixture
def app(_schema, app_config):
    app = make_app(_schema, **app_config)
    with app.app_context():
        yield app
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def fixed_clock(time_machine) -> datetime:
    """The clock of the app and the test starts at ``FIXED_NOW`` and runs on from there.

    Time-dependent HTTP tests use it so that "two days ahead at 10:00" is the same
    day, weekday and UTC offset on every run, whatever the real date.
    """
    time_machine.move_to(FIXED_NOW, tick=True)
    return FIXED_NOW


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """The demo city, loaded as `make run` loads it."""
    from datetime import date

    from portal.demo.loader import load_demo

    # A small sales history keeps this fixture fast; `make run` loads the full one.
    report = load_demo(date(2026, 11, 23), history_prospects=40)
    db.session.commit()
    return report


class StaffAuth:
    """Signs staff in and out through the real form."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str):
        return self.client.post(
            "/auth/login", data={"email": email, "password": password}, follow_redirects=False
        )

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client) -> StaffAuth:
    return StaffAuth(client)
