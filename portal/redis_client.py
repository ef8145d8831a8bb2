"""The one way the portal talks to Redis: short timeouts, no retries, never required.

Redis carries rate-limit counters and the RQ job queue. Both have an in-process
fallback (Flask-Limiter's in-memory storage, a thread for jobs), so a Redis that is
down or hung must cost a request at most ``REDIS_TIMEOUT_SECONDS``, not redis-py's
default of waiting forever and retrying three times with back-off.
"""

from flask import Flask
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry


def client_options(timeout_seconds: float) -> dict:
    """Keyword arguments for ``redis.Redis`` (also Flask-Limiter's storage options)."""
    return {
        "socket_timeout": timeout_seconds,
        "socket_connect_timeout": timeout_seconds,
        "retry": Retry(NoBackoff(), 0),
    }


def connection(app: Flask) -> Redis:
    """The app's Redis client on ``REDIS_URL`` (one connection pool per app)."""
    client = app.extensions.get("redis")
    if client is None:
        options = client_options(app.config["REDIS_TIMEOUT_SECONDS"])
        client = Redis.from_url(app.config["REDIS_URL"], **options)
        app.extensions["redis"] = client
    return client


def redis_state(app: Flask) -> str:
    """``ok``, ``degraded`` (configured but not answering) or ``not_configured``."""
    if not app.config.get("REDIS_URL"):
        return "not_configured"
    try:
        connection(app).ping()
    except (RedisError, OSError):
        return "degraded"
    return "ok"
