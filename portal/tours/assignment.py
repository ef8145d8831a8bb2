"""Staff actions on tours: confirm a request, reassign the agent.

Outcomes (completed, no-show) are ``portal.tours.outcomes``.

Confirming and reassigning go through the same claim rows as booking, so neither
can create an overlap: a request already holds its time, and a reassignment claims
the new agent's cells under the same unique constraint.
"""

from datetime import datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.models import PropertyAgent, SlotClaim, StaffUser, Tour
from portal.tours import claims, notices
from portal.tours.address_check import confirm_address
from portal.tours.booking import record_status
from portal.tours.booking_errors import BookingError, TourClosed
from portal.tours.free_slots import rules_for
from portal.tours.slots import grid_cells, occupied


class AgentBusy(BookingError):
    """The chosen agent is not free at the tour's time."""


def confirm_request(tour: Tour, *, now: datetime, actor: str) -> Tour:
    """Confirm a pending request before it expires; its held time becomes a confirmed tour.

    :param actor: ``prospect`` (allowed only for a request that waits for the visitor's
        emailed link, ``Tour.awaits_visitor``; it confirms the address too) or
        ``staff:<id>`` (always allowed).
    """
    if tour.status != "requested":
        raise TourClosed("Only a pending request can be confirmed.")
    if actor == "prospect" and not tour.awaits_visitor:
        raise TourClosed("Our team confirms this request; we will email you.")
    if tour.expires_at is not None and tour.expires_at <= now:
        raise TourClosed("This request has expired; its time has been released.")
    if tour.tour_type.needs_agent:
        # The request's claim is the guarantee; make sure it is still there.
        held = db.session.scalar(
            sa.select(sa.func.count(SlotClaim.id)).where(SlotClaim.tour_id == tour.id)
        )
        if not held:
            raise TourClosed("This request no longer holds its time.")
    tour.expires_at = None
    tour.sequence += 1
    record_status(tour, "confirmed", actor)
    if actor == "prospect":
        confirm_address(tour, now=now)
    notices.queue(tour, "confirmed", now=now)
    return tour


def confirm_from_link(tour: Tour, *, now: datetime) -> Tour:
    """The visitor pressed confirm on the page the emailed link opens (flushes).

    A request waiting for them becomes a confirmed tour; any other active tour only
    has its address confirmed (so its channel and answers now reach the prospect).
    """
    if tour.awaits_visitor:
        return confirm_request(tour, now=now, actor="prospect")
    if tour.status == "requested":
        raise TourClosed("Our team confirms this request; we will email you.")
    if not tour.is_active:
        raise TourClosed("This tour has been cancelled or has already taken place.")
    confirm_address(tour, now=now)
    return tour


def reassign_tour(tour: Tour, agent_id: int, *, now: datetime, actor: str) -> Tour:
    """Give an agent-led tour to another agent of the property, who must be free then."""
    if not tour.is_active or tour.starts_at <= now:
        raise TourClosed("Only an upcoming active tour can be reassigned.")
    if not tour.tour_type.needs_agent:
        raise BookingError("Self-guided tours have no agent.")
    if agent_id == tour.agent_id:
        raise BookingError("That agent already has this tour.")
    serves = db.session.scalar(
        sa.select(PropertyAgent.id)
        .join(StaffUser, StaffUser.id == PropertyAgent.staff_id)
        .where(
            PropertyAgent.property_id == tour.property_id,
            PropertyAgent.staff_id == agent_id,
            StaffUser.active.is_(True),
        )
    )
    if serves is None:
        raise BookingError("That agent does not lead tours at this property.")
    cells = grid_cells(occupied(tour.starts_at, rules_for(tour.tour_type)))
    if db.session.scalar(
        sa.select(SlotClaim.id).where(
            SlotClaim.agent_id == agent_id, SlotClaim.cell_start.in_(cells)
        )
    ):
        raise AgentBusy("That agent has another tour at this time.")
    claims.release_agent_time(tour)
    # A concurrent booking that wins meanwhile raises IntegrityError here (409 at the boundary).
    claims.claim_agent_time(tour, agent_id, rules_for(tour.tour_type))
    previous = tour.agent_id
    tour.agent_id = agent_id
    record_status(tour, tour.status, actor, f"reassigned from agent {previous} to {agent_id}")
    return tour
