"""Builders for the staff-view tests: tours placed directly (no booking flow) and sign-in."""

import itertools
from datetime import datetime, timedelta

from portal.extensions import db
from portal.models import Property, Prospect, StaffUser, Tour, TourType
from tests.factories import STAFF_PASSWORD, gen_prospect, gen_tour_type

_seq = itertools.count(1)


def gen_tour(
    prop: Property,
    starts_at: datetime,
    *,
    kind: str = "guided",
    agent: StaffUser | None = None,
    prospect: Prospect | None = None,
    status: str = "confirmed",
    **fields,
) -> Tour:
    """A tour of ``prop`` at ``starts_at`` (30 minutes), of the property's ``kind`` type."""
    import sqlalchemy as sa

    n = next(_seq)
    tour_type = db.session.scalar(
        sa.select(TourType).where(TourType.property_id == prop.id, TourType.kind == kind)
    ) or gen_tour_type(prop, kind)
    prospect = prospect or gen_prospect()
    values = {
        "token": f"staff-test-token-{n:014d}"[:32],
        "uid": f"staff-test-{n}@doorstep.test",
        "property_id": prop.id,
        "tour_type_id": tour_type.id,
        "agent_id": agent.id if agent and kind != "self_guided" else None,
        "prospect_id": prospect.id,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=30),
        "status": status,
        "name": prospect.name,
        "email": prospect.email,
    }
    if kind == "video":
        values["video_room_url"] = f"https://meet.example/room-{n}"
    values.update(fields)
    tour = Tour(**values)
    db.session.add(tour)
    db.session.flush()
    return tour


def sign_in_staff(auth, user: StaffUser) -> None:
    db.session.commit()
    response = auth.login(user.email, STAFF_PASSWORD)
    assert response.status_code in (302, 303), response.get_data(as_text=True)
