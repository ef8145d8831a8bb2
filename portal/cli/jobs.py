"""`flask jobs worker`: the RQ worker for background jobs."""

import click
from flask import current_app
from flask.cli import AppGroup
from redis import Redis
from rq import Queue, SimpleWorker

from portal.jobs import QUEUE_NAME

jobs = AppGroup("jobs", help="Background jobs.")


@jobs.command("worker")
def jobs_worker() -> None:
    """Run an RQ worker (with its scheduler) on REDIS_URL."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set; jobs run in-process without it.")
    connection = Redis.from_url(url)
    worker = SimpleWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection)
    worker.work(with_scheduler=True)
