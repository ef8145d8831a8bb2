"""`flask prospects purge`: the retention job (run daily from cron or the job worker)."""

from datetime import timedelta

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.models.base import utcnow
from portal.prospects.retention import VISITOR_IDLE, purge_stale

prospects = AppGroup("prospects", help="Prospects' records.")


@prospects.command("purge")
@click.option(
    "--idle-days",
    type=click.IntRange(1, 3650),
    default=VISITOR_IDLE.days,
    show_default=True,
    help="Delete anonymous visitors' records after this many idle days.",
)
def purge(idle_days: int) -> None:
    """Delete idle anonymous visitors' records and expired sign-in links."""
    counts = purge_stale(utcnow(), visitor_idle=timedelta(days=idle_days))
    db.session.commit()
    click.echo(", ".join(f"{table}: {n}" for table, n in counts.items()))
