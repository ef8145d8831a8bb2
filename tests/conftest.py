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

import shutil
import socket
import subprocess
import tempfile
import threading
import time

import pytest
import sqlalchemy as sa
from redis import Redis
from redis.exceptions import RedisError

from portal import create_app
from portal.extensions import db, limiter

# Fixtures shared by the staff tests (`heard`: the tour events a test published).
pytest_plugins = ["tests.staff_helpers"]

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


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    """Messages received by the local SMTP server, parsed."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback (aiosmtpd); `.inbox.messages` holds what arrived."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    controller.inbox = inbox
    controller.config = {"MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": port}
    yield controller
    controller.stop()


@pytest.fixture(scope="session")
def geo_prepared(tmp_path_factory):
    """The demo extract read and its routing prepared once per session (seconds, not per test)."""
    from portal.config import Config
    from portal.geo.importer import prepare_region

    return prepare_region(Config.DEMO_PBF, tmp_path_factory.mktemp("geo"), "helsinki")


@pytest.fixture
def geo_region(app, geo_prepared):
    """The demo region's rows stored as `flask geo import` stores them (tables empty per test)."""
    from portal.geo.importer import store_region

    report = store_region("helsinki", geo_prepared)
    db.session.commit()
    return report.region


class RedisServer:
    """A redis-server of the test's own, on a free loopback port, that the test may stop."""

    def __init__(self, binary: str, workdir):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(workdir)]
        self.process = subprocess.Popen(  # noqa: S603  (the redis-server binary, fixed arguments)
            [binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def wait_until_up(self, timeout: float = 10) -> None:
        client = Redis.from_url(self.url, socket_timeout=0.5)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                client.close()
                return
            except RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    """A private Redis (skipped when redis-server is not installed); `.stop()` kills it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(binary, tmp_path)
    server.wait_until_up()
    yield server
    server.stop()
    # The limiter is one object for every app of the process: forget this outage.
    limiter._storage_dead = False


@pytest.fixture
def hung_redis():
    """A Redis URL whose port accepts connections and never answers (a hung Redis)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stopped = threading.Event()

    def accept():
        while not stopped.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    stopped.set()
    thread.join(timeout=5)
    listener.close()
    for conn in held:
        conn.close()
    limiter._storage_dead = False


CITY_DATA = os.path.join(os.path.dirname(__file__), "data", "cities")
CITY_EXTRACTS = {
    "bristol": "whitelion_bristol_uk.osm.pbf",
    "singapore": "bayfront_singapore.osm.pbf",
    "paris": "paris_bss.osm.pbf",
    "roma": "via_montebello_roma_italy.osm.pbf",
    "amsterdam": "amsterdam.osm.pbf",
}


@pytest.fixture(scope="session")
def cities_prepared(tmp_path_factory):
    """The five city extracts (tests/data/cities) read and routed once per session."""
    from portal.geo.importer import prepare_region

    root = tmp_path_factory.mktemp("cities")
    return {
        name: prepare_region(os.path.join(CITY_DATA, file), root, name)
        for name, file in CITY_EXTRACTS.items()
    }


@pytest.fixture
def city_regions(app, cities_prepared):
    """All five city regions stored side by side, as five `flask geo import` runs leave them."""
    from portal.geo.importer import store_region

    regions = {name: store_region(name, p).region for name, p in cities_prepared.items()}
    db.session.commit()
    return regions
