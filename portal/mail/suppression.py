"""The do-not-contact list: addresses whose server refused them for good.

A 5xx answer or a hard bounce puts the address here; from then on the sender sends it
nothing it was not asked for (a sign-in link the person requests still goes), and the
follow-up rules skip it when planning (``suppressed_addresses`` is a subquery for a
set-based ``NOT IN``).
"""

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from portal.auth.services import normalise_email
from portal.extensions import db
from portal.models import SUPPRESSION_REASONS, MailSuppression
from portal.sql import insert_ignoring_conflict


def is_suppressed(address: str) -> bool:
    """Is ``address`` (any spelling) on the do-not-contact list?"""
    return (
        db.session.scalar(
            sa.select(MailSuppression.address).where(
                MailSuppression.address == normalise_email(address)
            )
        )
        is not None
    )


def suppressed_among(addresses: Iterable[str], *, session=None) -> set[str]:
    """The normalised addresses of ``addresses`` that are suppressed (one query)."""
    wanted = {normalise_email(a) for a in addresses}
    if not wanted:
        return set()
    return set(
        (session or db.session).scalars(
            sa.select(MailSuppression.address).where(MailSuppression.address.in_(wanted))
        )
    )


def suppressed_addresses() -> sa.Select:
    """``SELECT address FROM mail_suppression``: for ``column.not_in(...)`` in set-based rules."""
    return sa.select(MailSuppression.address)


def suppress(
    address: str,
    *,
    reason: str,
    now: datetime,
    detail: str | None = None,
    outbox_email_id: int | None = None,
    session=None,
) -> bool:
    """Put ``address`` on the list (flushes); False if it already was.

    :param reason: ``rejected`` (5xx), ``bounced`` (a bounce report) or ``complaint``.
    """
    if reason not in SUPPRESSION_REASONS:
        raise ValueError(f"reason must be one of {', '.join(SUPPRESSION_REASONS)}")
    return insert_ignoring_conflict(
        MailSuppression,
        {
            "address": normalise_email(address),
            "reason": reason,
            "detail": detail,
            "outbox_email_id": outbox_email_id,
            "created_at": now,
        },
        ["address"],
        session=session,
    )


def lift(address: str) -> bool:
    """Take ``address`` off the list (the person fixed their mailbox); flushes."""
    result = db.session.execute(
        sa.delete(MailSuppression).where(MailSuppression.address == normalise_email(address))
    )
    return result.rowcount == 1
