"""Configuration fails closed: a mistyped PORTAL_ENV or a half-set production refuses to start."""

import os
import subprocess
import sys

import pytest

from portal import create_app
from portal.config import PROJECT_DIR, ConfigurationError, config_for_environment


@pytest.mark.parametrize("name", ["Production", "prod", "staging", "test", "PRODUCTION", ""])
def test_unknown_environment_refuses_to_start(monkeypatch, database_url, name):
    """Any PORTAL_ENV but the two we know stops start-up and names the allowed values."""
    monkeypatch.setenv("PORTAL_ENV", name)
    with pytest.raises(ConfigurationError, match="one of: development, production"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def test_unset_environment_is_development(monkeypatch):
    """Without PORTAL_ENV the portal runs its development settings (`make run`)."""
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    assert config_for_environment().ENV_NAME == "development"


def test_production_requires_a_secret_key(production_app_factory):
    """Production never signs sessions with a missing key."""
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        production_app_factory(SECRET_KEY=None)


def test_production_refuses_the_development_key(production_app_factory):
    """The development key is public, so a production started with it could be forged."""
    with pytest.raises(ConfigurationError, match="development key"):
        production_app_factory(SECRET_KEY="dev-only-not-secret")


def test_production_requires_its_public_address(production_app_factory):
    """Production refuses to start without PORTAL_BASE_URL, the start of every absolute link."""
    with pytest.raises(ConfigurationError, match="PORTAL_BASE_URL"):
        production_app_factory(PORTAL_BASE_URL=None)


def test_complete_production_starts_without_development_tools(production_app_factory):
    """With its secrets set, production runs with secure cookies and no /dev/outbox."""
    app = production_app_factory()
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert "devtools" not in app.blueprints
    assert app.test_client().get("/dev/outbox").status_code == 404


def test_development_keeps_csrf_and_rate_limits_on(monkeypatch, database_url):
    """Only the test suite's own settings switch CSRF and limits off; no environment does."""
    monkeypatch.setenv("PORTAL_ENV", "development")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config["RATELIMIT_ENABLED"] is True
    assert app.config.get("TESTING", False) is False


def test_a_mistyped_environment_stops_the_server_process(tmp_path):
    """`PORTAL_ENV=prod gunicorn wsgi:app` exits at import with the message, serving nothing."""
    env = {
        **os.environ,
        "PORTAL_ENV": "prod",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603  (our own interpreter and a fixed script)
        [sys.executable, "-c", "import wsgi"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "PORTAL_ENV='prod' is not an environment" in result.stderr
    assert "development, production" in result.stderr
