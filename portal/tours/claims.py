"""Take and give back a tour's time, with the database as the referee.

Each function runs plain INSERT/UPDATE/DELETE statements at once (not at the next
flush), so a lost race surfaces here: an ``IntegrityError`` from the unique
``(agent_id, cell_start)`` claim, or ``PlaceTaken`` when the conditional capacity
update matches no row. The request boundary rolls back and answers "just taken".
"""

from datetime import datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.models import SlotCapacity, SlotClaim, Tour, TourType
from portal.sql import insert_ignoring_conflict
from portal.tours.slots import SlotRules, grid_cells, occupied


class PlaceTaken(Exception):
    """The last self-guided place at this time went to someone else."""


def claim_agent_time(tour: Tour, agent_id: int, rules: SlotRules) -> None:
    """Claim every grid cell the tour occupies for ``agent_id`` (raises IntegrityError if taken)."""
    cells = grid_cells(occupied(tour.starts_at, rules))
    db.session.execute(
        sa.insert(SlotClaim),
        [{"agent_id": agent_id, "cell_start": cell, "tour_id": tour.id} for cell in cells],
    )


def release_agent_time(tour: Tour) -> None:
    db.session.execute(
        sa.delete(SlotClaim)
        .where(SlotClaim.tour_id == tour.id)
        .execution_options(synchronize_session=False)
    )


def take_place(tour_type: TourType, start: datetime) -> None:
    """Count one more self-guided party at ``start``, or raise ``PlaceTaken`` when full."""
    insert_ignoring_conflict(
        SlotCapacity,
        {"tour_type_id": tour_type.id, "slot_start": start, "capacity": tour_type.capacity},
        ["tour_type_id", "slot_start"],
    )
    # The WHERE is re-checked under the row lock (PostgreSQL) or the write lock
    # (SQLite), so two bookings for the last place cannot both succeed.
    result = db.session.execute(
        sa.update(SlotCapacity)
        .where(
            SlotCapacity.tour_type_id == tour_type.id,
            SlotCapacity.slot_start == start,
            SlotCapacity.booked < SlotCapacity.capacity,
        )
        .values(booked=SlotCapacity.booked + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise PlaceTaken


def give_back_place(tour_type_id: int, start: datetime) -> None:
    db.session.execute(
        sa.update(SlotCapacity)
        .where(
            SlotCapacity.tour_type_id == tour_type_id,
            SlotCapacity.slot_start == start,
            SlotCapacity.booked > 0,
        )
        .values(booked=SlotCapacity.booked - 1)
        .execution_options(synchronize_session=False)
    )


def hold(tour: Tour, rules: SlotRules, agent_id: int | None) -> None:
    """Take the tour's time: an agent's cells, or a self-guided place."""
    if tour.tour_type.needs_agent:
        claim_agent_time(tour, agent_id, rules)
    else:
        take_place(tour.tour_type, tour.starts_at)


def release(tour: Tour) -> None:
    """Give the tour's time back (cancel, expiry, before a move)."""
    if tour.tour_type.needs_agent:
        release_agent_time(tour)
    else:
        give_back_place(tour.tour_type_id, tour.starts_at)
