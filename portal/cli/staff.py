"""`flask staff create`, `set-password` and `token`: staff accounts and their API tokens."""

import click

from portal.auth.services import change_staff_password, create_staff, staff_by_email
from portal.extensions import db
from portal.forms import FieldErrors
from portal.models import STAFF_ROLES
from portal.models.base import utcnow
from portal.staff.api_tokens import issue_token


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


@staff.command("token")
@click.argument("email")
@click.option("--name", default="API token", show_default=True, help="What the token is for.")
@click.option(
    "--expires-days",
    type=click.IntRange(min=1),
    default=None,
    help="Days until the token stops working (default: until revoked).",
)
def staff_token(email: str, name: str, expires_days: int | None) -> None:
    """Make a staff API token for EMAIL and print it once (only its hash is stored).

    Send it as ``Authorization: Bearer <token>``; it sees what the account sees in the
    staff pages. The account's profile page lists and revokes it.
    """
    user = staff_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"No active staff account {email}.")
    try:
        issued = issue_token(user, name, now=utcnow(), expires_days=expires_days)
    except FieldErrors as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(issued.secret)
    expiry = issued.token.expires_at
    until = f"until {expiry:%Y-%m-%d %H:%M} UTC" if expiry else "until revoked"
    click.echo(
        f"Token {issued.token.prefix}… for {user.email}, {until}. It is shown only once.", err=True
    )
