"""Plans start and stop on the right tour events, with the clock frozen by the caller."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.followups.planner import plan_messages
from portal.models import FollowupMessage, FollowupRun, FollowupStep
from portal.prospects.preferences import unsubscribe
from portal.tours.booking import cancel_tour
from tests.factories import gen_prospect
from tests.followups_helpers import TOUR_END, complete, gen_community, gen_tour, messages_of


def test_completed_tour_writes_the_recap_for_next_morning_in_the_property_zone(app):
    """The recap row is written with the outcome, due 09:30 Helsinki the next day."""
    prop, unit, tour_type = gen_community()
    prospect = gen_prospect()
    complete(gen_tour(tour_type, prospect, unit=unit))
    [recap] = messages_of(prospect)
    assert recap.step.content == "recap"
    assert recap.status == "scheduled"
    assert recap.scheduled_for == datetime(2026, 11, 24, 7, 30, tzinfo=UTC)  # 09:30 EET
    assert recap.message_id.startswith("<fu-")
    assert recap.message_id.endswith(">")


def test_a_reviewed_community_puts_the_message_in_the_agents_queue(app):
    """With agent review, the planned message waits for approval."""
    _, unit, tour_type = gen_community(send_mode="review")
    prospect = gen_prospect()
    complete(gen_tour(tour_type, prospect, unit=unit))
    assert [m.status for m in messages_of(prospect)] == ["awaiting_review"]


def test_the_same_event_twice_enrols_once(app):
    """A repeated "completed" (then "captured") for one tour does not start a second plan."""
    from portal.followups.enrolment import on_tour_event
    from portal.tours.events import TourEvent

    _, unit, tour_type = gen_community()
    prospect = gen_prospect()
    tour = gen_tour(tour_type, prospect, unit=unit)
    complete(tour)
    on_tour_event(TourEvent("captured", tour, TOUR_END + timedelta(minutes=5)))
    assert len(messages_of(prospect)) == 1
    assert db.session.scalar(sa.select(sa.func.count(FollowupRun.id))) == 1


def test_no_show_offers_one_rebooking(app):
    """A missed tour gets exactly one step: the offer to re-book."""
    _, unit, tour_type = gen_community()
    prospect = gen_prospect()
    complete(gen_tour(tour_type, prospect, unit=unit), outcome="no_show")
    [offer] = messages_of(prospect)
    assert offer.step.content == "rebook"
    assert len(offer.plan.steps) == 1


def test_cancelled_tour_gets_one_gentle_offer(app):
    """Cancelling a booked tour plans the gentle offer for the next day."""
    _, unit, tour_type = gen_community()
    prospect = gen_prospect()
    tour = gen_tour(tour_type, prospect, unit=unit, starts_at=TOUR_END + timedelta(days=3))
    cancel_tour(tour, now=TOUR_END)
    [offer] = messages_of(prospect)
    assert offer.step.content == "gentle_offer"
    assert offer.scheduled_for.date() == (TOUR_END + timedelta(days=1)).date()


def test_another_tour_booked_stops_the_plan_and_its_pending_messages(app):
    """Booking again skips what was planned after the old tour; the new tour's plan takes over."""
    from portal.followups.enrolment import on_tour_event
    from portal.tours.events import TourEvent

    _, unit, tour_type = gen_community()
    prospect = gen_prospect()
    complete(gen_tour(tour_type, prospect, unit=unit))
    new = gen_tour(tour_type, prospect, unit=unit, starts_at=TOUR_END + timedelta(days=4))
    on_tour_event(TourEvent("booked", new, TOUR_END + timedelta(hours=2)))
    [recap] = messages_of(prospect)
    assert recap.status == "skipped"
    assert recap.skip_reason == "plan stopped: another tour booked"
    assert recap.run.status == "stopped"


def test_planner_stops_runs_of_prospects_who_leased_lost_or_unsubscribed(app):
    """A final stage or an unsubscribe stops the plan in the next planning pass (set-based)."""
    _, unit, tour_type = gen_community()
    leased, lost, gone, staying = (gen_prospect() for _ in range(4))
    for prospect in (leased, lost, gone, staying):
        complete(gen_tour(tour_type, prospect, unit=unit))
    leased.stage, lost.stage = "leased", "lost"
    unsubscribe(gone, now=TOUR_END)
    db.session.flush()
    counts = plan_messages(TOUR_END + timedelta(hours=1))
    assert counts["stopped"] == 3
    reasons = {p.id: messages_of(p)[0].skip_reason for p in (leased, lost, gone)}
    assert reasons == {
        leased.id: "plan stopped: stage leased",
        lost.id: "plan stopped: stage lost",
        gone.id: "plan stopped: unsubscribed",
    }
    assert messages_of(staying)[0].status == "scheduled"


def test_planning_writes_the_next_step_for_every_waiting_run_in_batches(app):
    """Runs waiting for their next message get it from one INSERT per batch, due in order."""
    _, unit, tour_type = gen_community()
    prospects = [gen_prospect() for _ in range(7)]
    for prospect in prospects:
        complete(gen_tour(tour_type, prospect, unit=unit))
    second = db.session.scalar(sa.select(FollowupStep).where(FollowupStep.position == 2))
    runs = db.session.scalars(sa.select(FollowupRun)).all()
    moment = TOUR_END + timedelta(days=3)
    for run in runs:  # as if every recap had gone out
        run.next_due_at, run.next_expires_at = moment, moment + timedelta(days=7)
    db.session.flush()
    counts = plan_messages(TOUR_END, batch_size=3)
    assert counts["written"] == 7
    planned = db.session.scalars(
        sa.select(FollowupMessage).where(FollowupMessage.step_id == second.id)
    ).all()
    assert len(planned) == 7
    assert {m.scheduled_for for m in planned} == {moment}
    assert len({m.message_id for m in planned}) == 7
    assert {r.next_position for r in db.session.scalars(sa.select(FollowupRun))} == {3}


def test_erasure_deletes_the_prospects_follow_ups_and_stops_every_plan(app):
    """Deleting my data removes planned and sent follow-ups; nothing more is planned."""
    from portal.prospects.my_data import collect_my_data, erase_prospect

    _, unit, tour_type = gen_community()
    prospect = gen_prospect()
    complete(gen_tour(tour_type, prospect, unit=unit))
    upcoming = gen_tour(tour_type, prospect, unit=unit, starts_at=TOUR_END + timedelta(days=5))
    assert upcoming.is_active
    assert collect_my_data(prospect)["followups"][0]["plan"] == "After a tour"
    erase_prospect(prospect, now=TOUR_END + timedelta(hours=1))
    assert messages_of(prospect) == []
    assert db.session.scalar(sa.select(sa.func.count(FollowupRun.id))) == 0


def test_favourites_without_a_tour_start_a_plan_only_with_marketing_consent(app):
    """Saved homes and no tour: the favourites plan starts for consenting prospects only."""
    from portal.followups.enrolment import enrol_favourites
    from portal.models import ContactPreference, Favourite

    _, unit, tour_type = gen_community()
    consenting, silent, toured = gen_prospect(), gen_prospect(), gen_prospect()
    saved_at = TOUR_END - timedelta(days=3)
    for prospect in (consenting, silent, toured):
        db.session.add(Favourite(prospect_id=prospect.id, unit_id=unit.id, created_at=saved_at))
    for prospect in (consenting, toured):
        db.session.add(ContactPreference(prospect_id=prospect.id, marketing_consent_at=saved_at))
    gen_tour(tour_type, toured, unit=unit)
    db.session.flush()
    assert enrol_favourites(TOUR_END) == 1
    [offer] = messages_of(consenting)
    assert offer.step.content == "favourites"
    assert messages_of(silent) == []
    assert messages_of(toured) == []
    assert enrol_favourites(TOUR_END + timedelta(days=1)) == 0  # once


def test_the_contact_page_gives_and_withdraws_marketing_consent(client, app, fixed_clock):
    """The checkbox on /me/contact stores the consent's time, and clears it."""
    from portal.models import ContactPreference
    from tests.prospect_session import sign_in

    prospect = sign_in(client, "consent@example.com")
    data = {"channel": "email", "pace": "any", "marketing_consent": "y"}
    assert client.post("/me/contact", data=data).status_code == 303
    assert db.session.get(ContactPreference, prospect.id).marketing_consent_at is not None
    del data["marketing_consent"]
    client.post("/me/contact", data=data)
    db.session.expire_all()
    assert db.session.get(ContactPreference, prospect.id).marketing_consent_at is None
