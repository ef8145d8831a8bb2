"""Flask CLI commands: `flask demo load`, `flask staff create`."""

import json
from datetime import date

import click
from flask import Flask, current_app

from portal.config import INSTANCE_DIR
from portal.extensions import db
from portal.geo.cli import geo

CREDENTIALS_FILE = INSTANCE_DIR / "demo-credentials.json"


def register(app: Flask) -> None:
    from portal.cli_mail import jobs, mail
    from portal.cli_tours import tours

    app.cli.add_command(demo)
    app.cli.add_command(staff)
    app.cli.add_command(mail)
    app.cli.add_command(jobs)
    app.cli.add_command(tours)
    app.cli.add_command(geo)


@click.group()
def demo() -> None:
    """The demo city (central Helsinki)."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Only load into a database with no communities.")
def demo_load(if_empty: bool) -> None:
    """Add the demo communities, units and staff accounts that are missing."""
    from portal.demo.loader import database_is_empty, load_demo

    if if_empty and not database_is_empty():
        click.echo("Demo: the database already has communities; nothing loaded.")
        return
    production = current_app.config["ENV_NAME"] == "production"
    report = load_demo(date.today(), with_staff=not production)
    db.session.commit()
    click.echo(f"Demo: added {report.properties} communities and {report.units} units.")
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


@click.group()
def staff() -> None:
    """Staff accounts."""


@staff.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["agent", "marketer", "admin"]), required=True)
@click.password_option()
def staff_create(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account with a password (at least 12 characters)."""
    from portal.auth.services import create_staff

    try:
        create_staff(email, name, role, password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {role} {email}.")
