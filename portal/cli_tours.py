"""`flask tours ...`: the scheduled work of tour booking, for cron or a job runner."""

from datetime import datetime

import click
from flask import current_app

from portal.extensions import db
from portal.models.base import utcnow


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
def send_reminders(now_text: str | None) -> None:
    """Queue every due reminder, then release requests nobody confirmed in time."""
    from portal.tours.booking import release_expired_requests
    from portal.tours.reminders import send_due
    from portal.tours.settings import TourSettings

    now = _now(now_text)
    counts = send_due(now, TourSettings.from_config(current_app.config))
    expired = release_expired_requests(now)
    db.session.commit()
    click.echo(f"Reminders: {counts['sent']} sent, {counts['skipped']} skipped; {expired} expired.")
