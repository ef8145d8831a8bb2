"""`flask insights rebuild`: recompute the insights' per-lead outcome table from scratch."""

import time

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.studio.lead_outcomes import refresh

insights = AppGroup("insights", help="The marketers' funnel insights.")


@insights.command("rebuild")
def rebuild() -> None:
    """Recompute every lead's outcome row and topics (after a bulk import that bypassed
    the session, or to check nothing drifted); one transaction."""
    started = time.perf_counter()
    leads = refresh(db.session.connection())
    db.session.commit()
    click.echo(f"{leads} leads recomputed in {time.perf_counter() - started:.1f} s")
