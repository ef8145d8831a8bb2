"""With REDIS_URL, background jobs go through RQ and rate limits are shared in Redis."""

import uuid

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.mail.outbox import queue_email
from portal.models import OutboxEmail

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def redis_connection():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    yield connection
    connection.close()


def test_commit_enqueues_delivery_on_rq_and_a_worker_sends_it(
    app_factory, redis_connection, smtp_server
):
    """The after-commit hook puts a job on the RQ queue; an RQ worker delivers the mail."""
    from rq import Queue, SimpleWorker

    from portal.jobs import QUEUE_NAME

    app = app_factory(JOBS_BACKEND="rq", REDIS_URL=REDIS_URL, **smtp_server.config)
    queue = Queue(QUEUE_NAME, connection=redis_connection)
    queue.empty()
    with app.app_context():
        queue_email(to="pia@example.com", subject="Via RQ", text="hello", kind="test")
        db.session.commit()
        assert queue.count == 1
        assert smtp_server.inbox.messages == []

        import portal.jobs

        portal.jobs._worker_app = app  # the worker runs jobs in this app (same database)
        SimpleWorker([queue], connection=redis_connection).work(burst=True)
        portal.jobs._worker_app = None
        assert [m["Subject"] for m in smtp_server.inbox.messages] == ["Via RQ"]
        status = db.session.scalar(sa.select(OutboxEmail.status))
        assert status == "sent"


def test_rate_limits_are_counted_in_redis(app_factory, redis_connection):
    """Two app instances (two gunicorn workers) share one login budget through Redis."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    first, second = app_factory(**settings), app_factory(**settings)
    data = {"email": "x@example.com", "password": "nope"}
    statuses = [
        (first if i % 2 else second).test_client().post("/auth/login", data=data).status_code
        for i in range(11)
    ]
    assert statuses[-1] == 429
    assert statuses[:10] == [401] * 10
    for key in redis_connection.scan_iter(f"*{prefix}*"):
        redis_connection.delete(key)
