"""Follow-ups in the prospect's "my data": listed in the export, deleted with the account.

Listed in ``portal.prospects.my_data.AREAS`` after the tours, so the plan that cancelling
their upcoming tours would start is gone too.
"""

import sqlalchemy as sa

from portal.extensions import db
from portal.models import FollowupMessage, FollowupRun, Prospect


def export_section(prospect: Prospect) -> list[dict]:
    rows = db.session.scalars(
        sa.select(FollowupMessage)
        .where(FollowupMessage.prospect_id == prospect.id)
        .order_by(FollowupMessage.scheduled_for, FollowupMessage.id)
    )
    return [
        {
            "plan": m.plan.name,
            "step": m.position,
            "channel": m.channel,
            "status": m.status,
            "skip_reason": m.skip_reason,
            "scheduled_for": m.scheduled_for.isoformat(),
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            "subject": m.subject,
            "text": m.text_body,
        }
        for m in rows
    ]


def erase(prospect: Prospect) -> None:
    """Delete every planned and sent follow-up of the prospect, and their plans' runs."""
    db.session.execute(sa.delete(FollowupMessage).where(FollowupMessage.prospect_id == prospect.id))
    db.session.execute(sa.delete(FollowupRun).where(FollowupRun.prospect_id == prospect.id))
    db.session.flush()
