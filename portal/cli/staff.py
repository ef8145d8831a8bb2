"""`flask staff create`: staff accounts."""

import click

from portal.auth.services import create_staff
from portal.extensions import db
from portal.models import STAFF_ROLES


@click.group()
def staff() -> None:
    """Staff accounts."""


@staff.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True)
@click.password_option()
def staff_create(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account with a password (at least 12 characters)."""
    try:
        create_staff(email, name, role, password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {role} {email}.")
