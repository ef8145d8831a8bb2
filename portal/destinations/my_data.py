"""A prospect's places in their "my data": listed in the export, erased with the account."""

import sqlalchemy as sa

from portal.destinations.store import prospect_destinations
from portal.extensions import db
from portal.models import CommuteDestination, Prospect


def export_section(prospect: Prospect) -> list[dict]:
    return [
        {"label": d.label, "address": d.address, "mode": d.mode, "arrive_by": d.arrive_by}
        for d in prospect_destinations(prospect.id)
    ]


def erase(prospect: Prospect) -> None:
    """Erasure removes every place: an address is personal data."""
    db.session.execute(
        sa.delete(CommuteDestination).where(CommuteDestination.prospect_id == prospect.id)
    )
