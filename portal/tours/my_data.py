"""Tours in the prospect's "my data": listed in the export, erased with the account.

Listed in ``portal.prospects.my_data.AREAS``.
"""

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Prospect, Tour
from portal.models.base import utcnow
from portal.tours import request_keys
from portal.tours.booking import cancel_tour


def export_section(prospect: Prospect) -> list[dict]:
    return [
        {
            "property": tour.tour_type.property.name,
            "tour_type": tour.tour_type.name,
            "starts_at": tour.starts_at.isoformat(),
            "status": tour.status,
            "name": tour.name,
            "email": tour.email,
            "phone": tour.phone,
            "contact_channel": tour.contact_channel,
            "what_matters": list(tour.priorities),
            "note": tour.priorities_note,
        }
        for tour in _tours_of(prospect)
    ]


def erase(prospect: Prospect) -> None:
    """Cancel the prospect's upcoming tours (freeing the agents' time) and blank their details."""
    now = utcnow()
    for tour in _tours_of(prospect):
        if tour.is_active and tour.starts_at > now:
            cancel_tour(tour, now=now, actor="prospect")
        tour.name, tour.email, tour.phone = "", "", ""
        tour.priorities_note = ""
        request_keys.forget_tour(tour)
    db.session.flush()


def _tours_of(prospect: Prospect) -> list[Tour]:
    return list(
        db.session.scalars(
            sa.select(Tour).where(Tour.prospect_id == prospect.id).order_by(Tour.starts_at)
        )
    )
