"""Background jobs: RQ on Redis when REDIS_URL is set, a thread otherwise.

Jobs are plain functions named by their dotted path; they run inside an app
context. Without Redis the portal still works on one machine: the job runs in a
daemon thread of the process that scheduled it. Tests use the ``sync`` backend.

When Redis is configured but down or hung, ``run_later`` does not fail the request
that already committed: the job runs in a thread instead (logged), and Redis is not
asked again for ``RQ_RETRY_AFTER`` so every request does not wait out the timeout.
Nothing is lost either way: mail waits in the outbox until a delivery run sends it.
"""

import importlib
import logging
import threading
import time
from datetime import timedelta

from flask import Flask, current_app
from redis.exceptions import RedisError
from rq import Queue

from portal import create_app
from portal.redis_client import connection

log = logging.getLogger(__name__)
QUEUE_NAME = "portal"
RQ_RETRY_AFTER = 30.0  # seconds
_worker_app: Flask | None = None


def backend(app: Flask) -> str:
    return app.config.get("JOBS_BACKEND") or ("rq" if app.config.get("REDIS_URL") else "thread")


def run_later(path: str, *args, delay: timedelta | None = None) -> None:
    """Run the function at ``path`` (``"module:function"``) soon, or after ``delay``."""
    app = current_app._get_current_object()
    kind = backend(app)
    if kind == "sync":
        # A fresh app context gets its own database session: the caller's may be mid-commit.
        _in_app_context(app, path, *args)
        return
    if kind == "rq" and _enqueue(app, path, args, delay):
        return
    seconds = delay.total_seconds() if delay else 0
    timer = threading.Timer(seconds, _in_app_context, args=(app, path, *args))
    timer.daemon = True
    timer.start()


def _enqueue(app: Flask, path: str, args: tuple, delay: timedelta | None) -> bool:
    """Put the job on the RQ queue; False (and logged) when Redis cannot take it."""
    down_until = app.extensions.get("rq_down_until", 0.0)
    if time.monotonic() < down_until:
        return False
    queue = Queue(QUEUE_NAME, connection=connection(app))
    try:
        if delay:
            queue.enqueue_in(delay, rq_entry, path, *args)
        else:
            queue.enqueue(rq_entry, path, *args)
    except (RedisError, OSError):
        log.warning(
            "Redis unreachable: job %s runs in this process; RQ is tried again in %gs",
            path,
            RQ_RETRY_AFTER,
            exc_info=True,
        )
        app.extensions["rq_down_until"] = time.monotonic() + RQ_RETRY_AFTER
        return False
    app.extensions.pop("rq_down_until", None)
    return True


def _call(path: str, *args):
    module_name, _, name = path.partition(":")
    return getattr(importlib.import_module(module_name), name)(*args)


def _in_app_context(app: Flask, path: str, *args) -> None:
    with app.app_context():
        try:
            _call(path, *args)
        except Exception:
            log.exception("background job %s failed", path)


def rq_entry(path: str, *args):
    """What RQ runs: the job inside an app built once per worker process."""
    global _worker_app
    if _worker_app is None:
        _worker_app = create_app()
    with _worker_app.app_context():
        return _call(path, *args)
