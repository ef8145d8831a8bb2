"""What `/healthz` reports: the database, Redis and the version.

Only an unreachable database makes the portal unhealthy (503). Redis down or hung is
``degraded``: rate limits and jobs carry on in-process, so a load balancer must keep
sending traffic.
"""

import logging

import sqlalchemy as sa
from flask import Flask

from portal.extensions import db
from portal.redis_client import redis_state

log = logging.getLogger(__name__)


def database_state() -> str:
    """``ok`` or ``unreachable`` (logged, and the session rolled back)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        log.exception("health check: database unreachable")
        db.session.rollback()
        return "unreachable"
    return "ok"


def health_report(app: Flask) -> tuple[dict, bool]:
    """The JSON body of `/healthz` and whether the portal can serve (the database answers)."""
    database = database_state()
    redis = redis_state(app)
    if redis == "degraded":
        log.warning("health check: Redis at REDIS_URL does not answer; running on fallbacks")
    healthy = database == "ok"
    body = {
        "status": "ok" if healthy and redis != "degraded" else "degraded",
        "database": database,
        "redis": redis,
        "version": app.config["VERSION"],
    }
    return body, healthy
