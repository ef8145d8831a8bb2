"""`flask mail send|worker|status|suppress|unsuppress`: deliver and inspect the outbox."""

import time
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db
from portal.mail.outbox_leases import backlog
from portal.mail.sender import deliver_due
from portal.mail.suppression import is_suppressed, lift, suppress
from portal.models import SUPPRESSION_REASONS
from portal.models.base import utcnow

mail = AppGroup("mail", help="The email outbox.")


class Moment(click.ParamType):
    """An ISO-8601 moment; without an offset it is taken as UTC."""

    name = "ISO-8601"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not an ISO-8601 date and time", param, ctx)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _require_smtp() -> None:
    if not current_app.config.get("MAIL_SMTP_HOST"):
        raise click.ClickException("MAIL_SMTP_HOST is not set; mail stays in the outbox.")


def _echo_report(report) -> None:
    click.echo(
        f"sent {report.sent}, to retry {report.retry}, failed {report.failed}, "
        f"suppressed {report.suppressed}"
    )


@mail.command("send")
@click.option("--now", "now", type=Moment(), help="Send as if it were this moment.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), help="Rows claimed at a time.")
@click.option("--worker-id", help="This sender's name in the rows it holds.")
def mail_send(now: datetime | None, batch_size: int | None, worker_id: str | None) -> None:
    """Deliver every due email once (for cron, or to flush by hand)."""
    _require_smtp()
    _echo_report(deliver_due(now or utcnow(), batch_size=batch_size, worker_id=worker_id))


@mail.command("worker")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between passes.")
@click.option("--once", is_flag=True, help="One pass, then exit (for cron).")
def mail_worker(interval: float, once: bool) -> None:
    """Deliver due email in a loop (a deployment without Redis runs this)."""
    _require_smtp()
    if once:
        _echo_report(deliver_due(utcnow()))
        return
    click.echo(f"Delivering the outbox every {interval:g}s; Ctrl-C stops.")
    while True:
        deliver_due(utcnow())
        time.sleep(interval)


@mail.command("status")
def mail_status() -> None:
    """How many messages are due and waiting (the backlog staff are warned about)."""
    due = backlog(utcnow())
    limit = current_app.config.get("MAIL_BACKLOG_WARNING", 50)
    click.echo(f"due and not sent: {due}" + (" (backlog warning)" if due > limit else ""))


@mail.command("suppress")
@click.argument("address")
@click.option("--reason", type=click.Choice(SUPPRESSION_REASONS), default="bounced")
@click.option("--detail", help="The bounce report or complaint, for the record.")
def mail_suppress(address: str, reason: str, detail: str | None) -> None:
    """Put ADDRESS on the do-not-contact list (a hard bounce reported by the provider)."""
    if "@" not in address:
        raise click.BadParameter("is not an email address", param_hint="ADDRESS")
    added = suppress(address, reason=reason, now=utcnow(), detail=detail)
    db.session.commit()
    click.echo(f"{address}: {'suppressed' if added else 'was already suppressed'}")


@mail.command("unsuppress")
@click.argument("address")
def mail_unsuppress(address: str) -> None:
    """Take ADDRESS off the do-not-contact list (the mailbox works again)."""
    if not is_suppressed(address):
        raise click.ClickException(f"{address} is not on the do-not-contact list")
    lift(address)
    db.session.commit()
    click.echo(f"{address}: mail may go to it again")
