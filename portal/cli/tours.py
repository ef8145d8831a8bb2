"""`flask tours send-reminders`: the scheduled work of tour booking, for cron or a job runner."""

import time
from datetime import datetime

import click

from portal.extensions import db
from portal.models.base import utcnow
from portal.tours import request_keys
from portal.tours.booking import release_expired_requests
from portal.tours.reminders import send_due
from portal.tours.tour_settings import current_tour_settings


@click.group()
def tours() -> None:
    """Tour reminders and request expiry."""


def _now(value: str | None) -> datetime:
    if not value:
        return utcnow()
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise click.BadParameter("give the time with its offset, e.g. 2026-11-24T09:00:00+00:00")
    return parsed


@tours.command("send-reminders")
@click.option("--now", "now_text", help="Pretend it is this instant (ISO 8601 with offset).")
@click.option(
    "--every", type=click.IntRange(min=10), help="Keep running, once every this many seconds."
)
def send_reminders(now_text: str | None, every: int | None) -> None:
    """Queue every due reminder, release requests nobody confirmed in time, and forget
    expired idempotency keys.

    Run it from cron every minute, or once with ``--every 60`` as a small worker.
    """
    settings = current_tour_settings()
    while True:
        now = _now(now_text)
        counts = send_due(now, settings)
        expired = release_expired_requests(now)
        request_keys.purge_expired(now)
        db.session.commit()
        click.echo(
            f"Reminders: {counts['sent']} sent, {counts['skipped']} skipped; {expired} expired."
        )
        if not every:
            return
        time.sleep(every)
