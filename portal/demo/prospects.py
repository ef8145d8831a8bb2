"""Demo prospects with recorded priorities, saved homes and browsing, for agents to see.

Idempotent: prospects are keyed by email; an existing one is left as it is.
Addresses use example.com (reserved), so no real person gets mail.
"""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.listings.services import LISTED_STATUSES
from portal.models import Favourite, Prospect, Unit
from portal.prospects.lifecycle import advance_lifecycle
from portal.prospects.magic_links import find_or_create_prospect
from portal.prospects.priorities import Priorities, record_priorities
from portal.prospects.signals import record_signal

DEMO_PROSPECTS = (
    {
        "email": "sara.demo@example.com",
        "name": "Sara Demo",
        "stage": "prospect",
        "touch": {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "winter"},
        "priorities": Priorities(
            importance={"commute": "must_have", "restaurants": "important", "pets": "must_have"},
            commute_max_minutes=25,
            budget_max=1600,
            bedrooms=1,
            notes="Moving with a cat; I cycle to work.",
        ),
        "browsed": ("restaurants", "parks"),
    },
    {
        "email": "jonas.demo@example.com",
        "name": "Jonas Demo",
        "stage": "lead",
        "touch": {
            "utm_source": "google",
            "utm_medium": "cpc",
            "referrer": "https://www.google.com/",
        },
        "priorities": Priorities(
            importance={"internet": "must_have", "quiet": "important", "transit": "nice"},
            budget_max=2200,
            bedrooms=2,
        ),
        "browsed": ("transit",),
    },
)


def load_demo_prospects(today: date) -> int:
    """Add the demo prospects that are missing (flushes). Returns how many were added."""
    units = list(
        db.session.scalars(
            sa.select(Unit).where(Unit.status.in_(LISTED_STATUSES)).order_by(Unit.rent_eur).limit(6)
        )
    )
    added = 0
    recorded_at = datetime.combine(today, time(9), UTC) - timedelta(days=3)
    for n, spec in enumerate(DEMO_PROSPECTS):
        if db.session.scalar(sa.select(Prospect.id).where(Prospect.email == spec["email"])):
            continue
        prospect = find_or_create_prospect(spec["email"], now=recorded_at)
        prospect.name = spec["name"]
        prospect.first_touch = prospect.last_touch = {
            **spec["touch"],
            "at": recorded_at.isoformat(),
        }
        version = record_priorities(spec["priorities"], source="prospect", prospect=prospect)
        version.created_at = recorded_at
        if spec["stage"] != "prospect":
            advance_lifecycle(prospect, spec["stage"], now=recorded_at)
        for unit in units[n * 2 : n * 2 + 2]:
            db.session.add(Favourite(prospect_id=prospect.id, unit_id=unit.id))
            for category in spec["browsed"]:
                record_signal(
                    "category_expanded", prospect=prospect, unit_id=unit.id, topic=category
                )
        added += 1
    db.session.flush()
    return added
