"""`flask mail send` and `flask mail worker`: deliver the outbox."""

import time

import click
from flask import current_app
from flask.cli import AppGroup

from portal.mail.delivery import deliver_outbox

mail = AppGroup("mail", help="The email outbox.")


@mail.command("send")
def mail_send() -> None:
    """Deliver every due email once (for cron, or to flush by hand)."""
    if not current_app.config.get("MAIL_SMTP_HOST"):
        raise click.ClickException("MAIL_SMTP_HOST is not set; mail stays in the outbox.")
    counts = deliver_outbox()
    click.echo(f"sent {counts['sent']}, to retry {counts['retry']}, failed {counts['failed']}")


@mail.command("worker")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between passes.")
def mail_worker(interval: float) -> None:
    """Deliver due email in a loop (a deployment without Redis runs this)."""
    click.echo(f"Delivering the outbox every {interval:g}s; Ctrl-C stops.")
    while True:
        deliver_outbox()
        time.sleep(interval)
