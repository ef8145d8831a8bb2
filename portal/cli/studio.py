"""`flask studio prune-media`: remove uploads nothing uses (run daily from cron)."""

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db
from portal.models.base import utcnow
from portal.studio.media_prune import GRACE, prune_media

studio = AppGroup("studio", help="The marketer studio's stored media.")


@studio.command("prune-media")
@click.option(
    "--grace-hours",
    type=click.IntRange(1, 24 * 365),
    default=int(GRACE.total_seconds() // 3600),
    show_default=True,
    help="Leave uploads younger than this (an upload in flight has files before its row).",
)
@click.option("--dry-run", is_flag=True, help="List what would go; delete nothing.")
def prune(grace_hours: int, dry_run: bool) -> None:
    """Delete uploads no page, draft or revision names, and files in MEDIA_DIR without a row."""
    report = prune_media(
        current_app.config["MEDIA_DIR"],
        now=utcnow(),
        grace=timedelta(hours=grace_hours),
        dry_run=dry_run,
    )
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for path in report.orphan_files:
        click.echo(f"{'would remove' if dry_run else 'removed'} {path}")
    for key in report.unused_assets:
        click.echo(f"{'would remove' if dry_run else 'removed'} upload {key}")
    click.echo(report.summary())
