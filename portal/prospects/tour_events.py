"""What a tour booking means for the prospect record: one lifecycle, one set of priorities.

The tour booking calls these inside its own transaction, so the lead stage, the
"tour booked" signal and the answers of the booking's "what matters to you" step
land (or roll back) together with the tour itself.

Only a booker who showed the address is theirs speaks for the prospect
(``tour.email_confirmed_at``, see ``portal.tours.address_check``): until then the
booking's channel and answers stay on the tour, and ``address_confirmed`` brings them
over once the address is confirmed.
"""

from datetime import datetime

from portal.extensions import db
from portal.models import ContactPreference, Prospect, Tour
from portal.prospects.lifecycle import advance_lifecycle
from portal.prospects.priorities import (
    NOTES_MAX,
    Priorities,
    current_priorities,
    record_priorities,
)
from portal.prospects.signals import record_signal

# Answers that already say "this matters" are not downgraded by a booking checkbox.
_STRONG = ("important", "must_have")


def tour_booked(tour: Tour, *, now: datetime) -> None:
    """A booked tour makes the prospect a lead and records why (flushes)."""
    prospect = tour.prospect
    advance_lifecycle(prospect, "lead", now=now)
    record_signal("tour_booked", prospect=prospect, unit_id=tour.unit_id, now=now)
    if tour.email_confirmed_at is not None:
        _adopt_contact_channel(prospect, tour)
        tour_answers_given(tour)


def address_confirmed(tour: Tour) -> None:
    """The booker confirmed the tour's address: what the booking said now counts (flushes).

    The channel becomes the first contact preference, the answers join the priorities,
    and the name and phone fill the prospect's blanks (never overwriting them).
    """
    prospect = tour.prospect
    if tour.name and not prospect.name:
        prospect.name = tour.name
    if tour.phone and not prospect.phone:
        prospect.phone = tour.phone
    _adopt_contact_channel(prospect, tour)
    tour_answers_given(tour)


def tour_answers_given(tour: Tour) -> None:
    """Fold the booking's "what matters to you" answers into the prospect's priorities.

    Each ticked topic becomes at least "important"; the free text is added to the
    notes. A new priority version is written only if something changed, and only
    once the tour's address is confirmed (until then the answers stay on the tour).
    """
    if tour.email_confirmed_at is None:
        return
    if not tour.priorities and not tour.priorities_note:
        return
    prospect = tour.prospect
    current = current_priorities(prospect, None)
    importance = dict(current.importance)
    for topic in tour.priorities:
        if importance.get(topic) not in _STRONG:
            importance[topic] = "important"
    notes = current.notes
    note = (tour.priorities_note or "").strip()
    if note and note not in notes:
        notes = f"{notes}\n{note}".strip()[-NOTES_MAX:]  # the newest words matter most
    answers = Priorities(**{**current.__dict__, "importance": importance, "notes": notes})
    record_priorities(answers.to_json(), source="prospect", prospect=prospect)


def _adopt_contact_channel(prospect: Prospect, tour: Tour) -> None:
    # The channel picked at booking is the prospect's first stated preference; a
    # preference they already saved on their account is theirs and is kept. Until they
    # choose a time zone, theirs is the toured community's (quiet hours are read in it).
    if db.session.get(ContactPreference, prospect.id) is None:
        db.session.add(
            ContactPreference(
                prospect_id=prospect.id,
                channel=tour.contact_channel,
                time_zone=tour.property.time_zone,
            )
        )
        db.session.flush()
