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


def test_health_without_redis_configured(client):
    """No REDIS_URL is a supported set-up (one machine), not a fault."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["redis"] == "not_configured"


def test_health_reports_a_running_redis(app_factory, redis_server):
    """With Redis answering, everything is ok."""
    app = app_factory(REDIS_URL=redis_server.url)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["redis"] == "ok"


def test_health_reports_a_stopped_redis_as_degraded(app_factory, redis_server):
    """Redis down: the portal still serves (200) on its fallbacks and says it is degraded."""
    app = app_factory(REDIS_URL=redis_server.url)
    redis_server.stop()
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
    assert response.json["redis"] == "degraded"
    assert response.json["database"] == "ok"
    assert response.json["version"]
