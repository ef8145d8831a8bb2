"""`flask demo load` and `flask demo credentials`: the demo city (central Helsinki)."""

import json
from datetime import date

import click
from flask import current_app

from portal.config import INSTANCE_DIR
from portal.demo.loader import database_is_empty, load_demo
from portal.demo.staff_day import load_staff_day
from portal.extensions import db

CREDENTIALS_FILE = INSTANCE_DIR / "demo-credentials.json"


@click.group()
def demo() -> None:
    """The demo city (central Helsinki)."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Only load into a database with no communities.")
def demo_load(if_empty: bool) -> None:
    """Add the demo communities, units and staff accounts that are missing."""
    if if_empty and not database_is_empty():
        # The agent's day is relative to the day it runs: top it up even so.
        added = load_staff_day(date.today())
        db.session.commit()
        click.echo(
            "Demo: the database already has communities; nothing loaded otherwise"
            f" ({added} tours added to the demo agent's day)."
        )
        return
    production = current_app.config["ENV_NAME"] == "production"
    report = load_demo(date.today(), with_staff=not production)
    db.session.commit()
    click.echo(
        f"Demo: added {report.properties} communities and {report.units} units;"
        f" {report.day_tours} tours in the demo agent's day."
    )
    if report.staff:
        # Development only: keep the generated passwords beside the SQLite file so
        # `make run` can show them again; they are random, never a default.
        INSTANCE_DIR.mkdir(exist_ok=True)
        saved = json.loads(CREDENTIALS_FILE.read_text()) if CREDENTIALS_FILE.exists() else {}
        saved.update(report.staff)
        CREDENTIALS_FILE.write_text(json.dumps(saved, indent=2))
        CREDENTIALS_FILE.chmod(0o600)


@demo.command("credentials")
def demo_credentials() -> None:
    """Print the demo staff sign-ins (development only)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo credentials are never shown in production.")
    if not CREDENTIALS_FILE.exists():
        click.echo("No demo staff credentials recorded on this machine.")
        return
    click.echo("Demo staff sign-ins (development only) at /auth/login:")
    for email, password in json.loads(CREDENTIALS_FILE.read_text()).items():
        click.echo(f"  {email:28} {password}")
