"""GET /healthz."""


def test_health_reports_database_and_version(client):
    """A healthy portal says so, with the database state and its version."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["database"] == "ok"
    assert response.json["version"]


def test_health_reports_unreachable_database(tmp_path, app_factory):
    """A database that cannot be opened turns the answer into 503, not a crash."""
    missing = tmp_path / "no" / "such" / "dir" / "db.sqlite3"
    app = app_factory(f"sqlite:///{missing}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"
