"""The outcome buttons of /staff/tours use the capture page's service: one path, one event."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import StageChange
from portal.tours.capture import CaptureConflict, record_capture
from portal.tours.outcomes import record_outcome
from tests.conftest import FIXED_NOW
from tests.factories import STAFF_PASSWORD
from tests.staff_helpers import gen_site

NOW = FIXED_NOW
pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def site(app):
    s = gen_site(starts_at=NOW - timedelta(hours=1))
    db.session.commit()
    return s


def _form(**changes) -> dict:
    return {"interest_level": 4, "next_step": "second_visit"} | changes


def test_completed_moves_the_prospect_as_the_form_does(site, heard):
    """Completed without the form: status, stage "toured" by the agent, last contact."""
    record_outcome(site.tour, "completed", now=NOW, actor=f"staff:{site.agent.id}")
    db.session.commit()
    assert site.tour.status == "completed"
    assert site.prospect.stage == "toured"
    assert site.prospect.last_contact_at == NOW
    moves = db.session.scalars(sa.select(StageChange)).all()
    assert [(m.to_stage, m.actor) for m in moves] == [("toured", f"staff:{site.agent.id}")]
    assert [e.kind for e in heard] == ["completed"]


def test_completed_twice_is_a_conflict_and_publishes_once(site, heard):
    """A second press finds the tour completed: refused, no second event."""
    record_outcome(site.tour, "completed", now=NOW, actor="staff:1")
    with pytest.raises(CaptureConflict):
        record_outcome(site.tour, "completed", now=NOW, actor="staff:1")
    assert [e.kind for e in heard] == ["completed"]


def test_no_show_keeps_the_capture_pages_rules(site, heard):
    """A checked-in visitor is no no-show, whichever page the button is on."""
    site.tour.checked_in_at = NOW - timedelta(minutes=50)
    db.session.commit()
    with pytest.raises(CaptureConflict):
        record_outcome(site.tour, "no_show", now=NOW, actor="staff:1")
    assert heard == []


def test_completed_then_the_form_completes_once(site, heard):
    """The button, then the completion form: one status change to completed, one stage move."""
    record_outcome(site.tour, "completed", now=NOW, actor=f"staff:{site.agent.id}")
    record_capture(site.tour, site.agent, _form(), expected_version=site.tour.version, now=NOW)
    db.session.commit()
    assert [e.kind for e in heard] == ["completed", "captured"]
    assert [c.to_status for c in site.tour.history] == ["confirmed", "completed"]
    assert db.session.scalar(sa.select(sa.func.count(StageChange.id))) == 1


def test_the_old_button_shows_a_conflict_instead_of_a_second_outcome(client, auth, site):
    """/staff/tours: "completed" on a completed tour flashes why and changes nothing."""
    record_outcome(site.tour, "completed", now=NOW, actor="staff:1")
    db.session.commit()
    auth.login(site.agent.email, STAFF_PASSWORD)
    response = client.post(f"/staff/tours/{site.tour.id}/outcome/completed", follow_redirects=True)
    assert response.status_code == 200
    assert "This tour cannot be recorded now." in response.get_data(as_text=True)
    assert len(site.tour.history) == 2  # booked, completed
