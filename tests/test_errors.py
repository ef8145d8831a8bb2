"""Friendly error pages for people and JSON errors under /api/."""

import pytest


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
