"""Friendly error pages for people and JSON errors under /api/."""

import pytest
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests


@pytest.fixture
def failing_app(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("kaboom")

    return app


def test_unknown_page_is_a_friendly_404(client):
    """An unknown address shows our page with a way back, not a bare server message."""
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"We could not find that page" in response.data
    assert b"Browse homes" in response.data


def test_unknown_api_path_is_json(client):
    """Under /api/ even a 404 is JSON in the documented error shape."""
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_wrong_method_on_api_is_json(client):
    """A 405 under /api/ is JSON too."""
    response = client.delete("/api/v1/listings")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"


def test_crash_shows_friendly_500_page(failing_app, caplog):
    """An unexpected exception is logged and the visitor sees a calm 500 page."""
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.data
    assert b"kaboom" not in response.data
    assert "kaboom" in caplog.text


def test_crash_under_api_is_json_500(failing_app):
    """An unexpected exception under /api/ answers JSON without internals."""
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json["error"]["code"] == "internal_server_error"
    assert "kaboom" not in response.get_data(as_text=True)


@pytest.fixture
def retry_app(app_factory):
    """Routes that refuse with a Retry-After, as a busy or rate-limited service does."""
    app = app_factory()

    @app.get("/busy")
    def busy():
        raise ServiceUnavailable(retry_after=30)

    @app.get("/api/v1/busy")
    def api_busy():
        raise TooManyRequests(retry_after=120)

    return app


def test_wrong_method_on_a_page_says_which_are_allowed(client):
    """A 405 page carries `Allow`, as HTTP requires."""
    response = client.delete("/listings/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert b"<html" in response.data


def test_wrong_method_on_api_says_which_are_allowed(client):
    """A JSON 405 keeps the `Allow` header of the exception."""
    response = client.delete("/api/v1/listings")
    assert response.status_code == 405
    assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in response.headers["Allow"].split(",")}
    assert response.content_type == "application/json"


def test_json_errors_keep_the_exceptions_headers(retry_app):
    """An API refusal with Retry-After answers JSON and still tells the client when to retry."""
    response = retry_app.test_client().get("/api/v1/busy")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "120"
    assert response.json["error"]["code"] == "too_many_requests"
    assert response.content_type == "application/json"


def test_error_pages_keep_the_exceptions_headers(retry_app):
    """The friendly 503 page keeps Retry-After too."""
    response = retry_app.test_client().get("/busy")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.content_type.startswith("text/html")


def test_rate_limited_api_answer_is_json_with_retry_after(app_factory):
    """The 21st booking POST in a minute is a JSON 429 with Retry-After."""
    client = app_factory(RATELIMIT_ENABLED=True).test_client()
    statuses = [client.post("/api/v1/tours", json={}).status_code for _ in range(21)]
    assert 429 not in statuses[:20]
    response = client.post("/api/v1/tours", json={})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.json["error"]["code"] == "too_many_requests"
