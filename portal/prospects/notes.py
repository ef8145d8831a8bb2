"""Staff notes on a prospect and who looks after them (flush, never commit).

A note or a recorded tour is contact between staff and the prospect: both set
``Prospect.last_contact_at``, which the prospects list filters on.
"""

from datetime import datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.forms import FieldErrors
from portal.input_limits import has_control_characters
from portal.models import PropertyAgent, Prospect, ProspectNote, StaffUser
from portal.staff.visibility import property_ids_of, sees_everything

NOTE_MAX = 2000


def note_contact(prospect: Prospect, now: datetime) -> None:
    """Staff and ``prospect`` were in touch at ``now``."""
    if prospect.last_contact_at is None or prospect.last_contact_at < now:
        prospect.last_contact_at = now


def add_note(prospect: Prospect, staff: StaffUser, body: str, *, now: datetime) -> ProspectNote:
    """Add ``staff``'s note to ``prospect``; raises ``FieldErrors`` on ``body``."""
    body = (body or "").strip()
    if not body:
        raise FieldErrors({"body": "write the note first"})
    if len(body) > NOTE_MAX:
        raise FieldErrors({"body": f"at most {NOTE_MAX} characters"})
    if has_control_characters(body, multiline=True):
        raise FieldErrors({"body": "remove the control characters"})
    note = ProspectNote(prospect_id=prospect.id, staff_user_id=staff.id, body=body, created_at=now)
    db.session.add(note)
    note_contact(prospect, now)
    db.session.flush()
    return note


def assignable_agents(staff: StaffUser) -> list[StaffUser]:
    """Whom ``staff`` may assign a prospect to: any active agent for an admin, else the
    active agents of the properties ``staff`` belongs to (themselves included)."""
    stmt = sa.select(StaffUser).where(StaffUser.role == "agent", StaffUser.active.is_(True))
    if not sees_everything(staff):
        colleagues = sa.select(PropertyAgent.staff_id).where(
            PropertyAgent.property_id.in_(property_ids_of(staff))
        )
        stmt = stmt.where(sa.or_(StaffUser.id.in_(colleagues), StaffUser.id == staff.id))
    return list(db.session.scalars(stmt.order_by(StaffUser.name)))


def assign_agent(prospect: Prospect, staff: StaffUser, agent_id: int | None) -> None:
    """Give ``prospect`` to the agent ``agent_id`` (None: nobody); flushes.

    :raises FieldErrors: the agent is not one ``staff`` may assign to.
    """
    if agent_id is not None and agent_id not in {a.id for a in assignable_agents(staff)}:
        raise FieldErrors({"agent_id": "choose an agent from the list"})
    prospect.assigned_agent_id = agent_id
    db.session.flush()
