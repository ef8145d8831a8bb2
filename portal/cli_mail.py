"""`flask mail ...` and `flask jobs ...`: deliver the outbox and run background workers."""

import time

import click
from flask import current_app
from flask.cli import AppGroup

mail = AppGroup("mail", help="The email outbox.")
jobs = AppGroup("jobs", help="Background jobs.")


@mail.command("send")
def mail_send() -> None:
    """Deliver every due email once (for cron, or to flush by hand)."""
    from portal.mail.delivery import deliver_outbox

    if not current_app.config.get("MAIL_SMTP_HOST"):
        raise click.ClickException("MAIL_SMTP_HOST is not set; mail stays in the outbox.")
    counts = deliver_outbox()
    click.echo(f"sent {counts['sent']}, to retry {counts['retry']}, failed {counts['failed']}")


@mail.command("worker")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between passes.")
def mail_worker(interval: float) -> None:
    """Deliver due email in a loop (a deployment without Redis runs this)."""
    from portal.mail.delivery import deliver_outbox

    click.echo(f"Delivering the outbox every {interval:g}s; Ctrl-C stops.")
    while True:
        deliver_outbox()
        time.sleep(interval)


@jobs.command("worker")
def jobs_worker() -> None:
    """Run an RQ worker (with its scheduler) on REDIS_URL."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    from portal.jobs import QUEUE_NAME

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set; jobs run in-process without it.")
    connection = Redis.from_url(url)
    worker = SimpleWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection)
    worker.work(with_scheduler=True)
