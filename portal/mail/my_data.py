"""A prospect's place on the do-not-contact list in their "my data": shown in the export,
removed with the account (the address is personal data; a new account starts afresh)."""

import sqlalchemy as sa

from portal.auth.services import normalise_email
from portal.extensions import db
from portal.models import MailSuppression, Prospect


def _entries(prospect: Prospect) -> sa.Select:
    return sa.select(MailSuppression).where(
        MailSuppression.address == normalise_email(prospect.email or "")
    )


def export_section(prospect: Prospect) -> list[dict]:
    if not prospect.email:
        return []
    return [
        {"address": s.address, "reason": s.reason, "since": s.created_at.isoformat()}
        for s in db.session.scalars(_entries(prospect))
    ]


def erase(prospect: Prospect) -> None:
    if prospect.email:
        db.session.execute(
            sa.delete(MailSuppression).where(
                MailSuppression.address == normalise_email(prospect.email)
            )
        )
