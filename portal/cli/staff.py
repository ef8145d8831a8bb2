"""`flask staff create`: staff accounts."""

import click

from portal.auth.services import change_staff_password, create_staff, staff_by_email
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


@staff.command("set-password")
@click.argument("email")
@click.password_option()
def staff_set_password(email: str, password: str) -> None:
    """Give a staff account a new password; every session it had ends."""
    user = staff_by_email(email)
    if user is None:
        raise click.ClickException(f"No staff account {email}.")
    try:
        change_staff_password(user, password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"New password set for {user.email}; its sessions have ended.")
