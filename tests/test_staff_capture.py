"""The completion form page and POST /api/v1/staff/tours/{id}/capture: same rules, same service."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import OBJECTIONS, PriorityVersion, TourCapture
from portal.models.base import utcnow
from portal.models.capture import OBJECTION_LABELS
from portal.staff.api_tokens import issue_token
from tests.factories import STAFF_PASSWORD, gen_agent, gen_property
from tests.staff_helpers import check_schema, gen_site


@pytest.fixture
def site(app):
    s = gen_site(starts_at=utcnow() - timedelta(minutes=40))
    db.session.commit()
    return s


def _form(site, **changes) -> dict:
    data = {
        "version": str(site.tour.version),
        "interest_level": "4",
        "units_shown": [str(site.units[0].id)],
        "objections": ["price", "other"],
        "objection_note": "Wants a bathtub",
        "next_step": "apply",
        "liked": "The balcony",
        "notes": "",
        "priorities-importance_parks": "must_have",
    }
    return data | changes


def test_the_form_offers_the_taxonomy_and_the_communitys_units(client, auth, site):
    """Every objection of the taxonomy and every unit of the community is a checkbox."""
    auth.login(site.agent.email, STAFF_PASSWORD)
    page = client.get(f"/staff/tours/{site.tour.id}/capture").get_data(as_text=True)
    for key in OBJECTIONS:
        assert f'value="{key}"' in page
        assert OBJECTION_LABELS[key] in page
    for unit in site.units:
        assert f'name="units_shown" type="checkbox" value="{unit.id}"' in page
    assert 'name="priorities-importance_parks"' in page


def test_posting_the_form_records_the_tour(client, auth, site, heard):
    """A valid form records the capture, an agent priority version and the stage; one event."""
    auth.login(site.agent.email, STAFF_PASSWORD)
    response = client.post(f"/staff/tours/{site.tour.id}/capture", data=_form(site))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/staff/prospects/{site.prospect.id}")
    capture = db.session.scalar(sa.select(TourCapture))
    assert capture.objections == ["price", "other"]
    assert capture.units_shown == [site.units[0].id]
    version = db.session.scalar(sa.select(PriorityVersion))
    assert (version.source, version.staff_user_id) == ("agent", site.agent.id)
    assert version.answers["importance"] == {"parks": "must_have"}
    db.session.refresh(site.prospect)
    assert site.prospect.stage == "applied"
    assert [e.kind for e in heard] == ["captured"]
    timeline = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tour recorded" in timeline
    assert "Objections: Price, Other" in timeline


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"interest_level": ""}, "Give the visitor&#39;s interest from 1 to 5."),
        ({"objections": ["price", "rent"]}, "Must be among"),
        ({"objection_note": ""}, "Say what the &#34;other&#34; objection was."),
        ({"next_step": "lost"}, "Say why the visitor is not going ahead."),
        ({"next_step": "decide_by"}, "Give the date the visitor will decide by."),
        ({"units_shown": ["999999"]}, "Every unit shown must belong"),
        ({"priorities-budget_min": "-5"}, "Enter €0 to €100,000."),
        ({"version": "x"}, "The form is incomplete"),
    ],
)
def test_bad_forms_show_the_message_and_store_nothing(client, auth, site, heard, changes, message):
    """Each bad answer is shown next to its field (422); nothing is stored."""
    auth.login(site.agent.email, STAFF_PASSWORD)
    response = client.post(f"/staff/tours/{site.tour.id}/capture", data=_form(site, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TourCapture)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PriorityVersion)) == 0
    assert heard == []


def test_a_stale_form_shows_the_conflict(client, auth, site):
    """A form built before someone else's change answers 409 with the tour as it is now."""
    auth.login(site.agent.email, STAFF_PASSWORD)
    stale = _form(site)
    site.tour.status = "cancelled_by_prospect"
    db.session.commit()
    response = client.post(f"/staff/tours/{site.tour.id}/capture", data=stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "The visitor cancelled this tour." in page
    assert "cancelled by prospect" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TourCapture)) == 0


def test_another_propertys_agent_gets_404(client, auth, site):
    """An agent of another property cannot open or post the form."""
    other = gen_agent(gen_property())
    db.session.commit()
    auth.login(other.email, STAFF_PASSWORD)
    assert client.get(f"/staff/tours/{site.tour.id}/capture").status_code == 404
    assert client.post(f"/staff/tours/{site.tour.id}/capture", data=_form(site)).status_code == 404


def test_no_show_button(client, auth, site, heard):
    """The no-show button marks the tour and publishes no_show."""
    auth.login(site.agent.email, STAFF_PASSWORD)
    response = client.post(
        f"/staff/tours/{site.tour.id}/no-show", data={"version": str(site.tour.version)}
    )
    assert response.status_code == 303
    db.session.refresh(site.tour)
    assert site.tour.status == "no_show"
    assert [e.kind for e in heard] == ["no_show"]


def _api(client, site, secret, **changes):
    body = {
        "version": site.tour.version,
        "interest_level": 3,
        "objections": ["commute"],
        "next_step": "second_visit",
        "units_shown": [site.units[1].id],
    } | changes
    return client.post(
        f"/api/v1/staff/tours/{site.tour.id}/capture",
        json=body,
        headers={"Authorization": f"Bearer {secret}"},
    )


@pytest.fixture
def secret(site):
    value = issue_token(site.agent, "test", now=utcnow()).secret
    db.session.commit()
    return value


def test_api_capture_records_and_answers_the_new_version(client, site, secret, heard):
    """The API stores the same capture and answers it with the tour's new version."""
    before = site.tour.version
    response = _api(client, site, secret, priorities={"importance": {"internet": "important"}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    check_schema("TourCapture", body)
    assert body["version"] > before
    assert (body["tour_status"], body["prospect_stage"]) == ("completed", "toured")
    assert [e.kind for e in heard] == ["captured"]
    assert db.session.scalar(sa.select(PriorityVersion.source)) == "agent"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"interest_level": None}, "interest_level"),
        ({"interest_level": 9}, "interest_level"),
        ({"objections": ["smell"]}, "objections"),
        ({"next_step": "lost"}, "lost_reason"),
        ({"next_step": "decide_by", "decide_by": None}, "decide_by"),
        ({"units_shown": [10**6]}, "units_shown"),
        ({"version": "one"}, "version"),
        ({"priorities": {"bedrooms": 99}}, "priorities.bedrooms"),
    ],
)
def test_api_422_names_the_field(client, site, secret, heard, changes, field):
    """Bad input answers 422 naming the field; nothing is stored."""
    response = _api(client, site, secret, **changes)
    assert response.status_code == 422
    check_schema("Error", response.get_json())
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TourCapture)) == 0
    assert heard == []


def test_api_conflict_carries_the_current_version(client, site, secret):
    """A stale version answers 409 with the tour's current version and status."""
    seen = site.tour.version
    first = _api(client, site, secret, version=seen)
    assert first.status_code == 200
    again = _api(client, site, secret, version=seen, interest_level=1)
    assert again.status_code == 409
    body = again.get_json()
    check_schema("CaptureConflict", body)
    assert body["error"]["current_version"] == first.get_json()["version"]
    assert db.session.scalar(sa.select(TourCapture.interest_level)) == 3


def test_api_cancelled_tour_is_409_and_foreign_tour_404(client, site, secret):
    """A cancelled tour is a conflict; a tour of another property is a 404."""
    site.tour.status = "cancelled_by_staff"
    db.session.commit()
    assert _api(client, site, secret).status_code == 409
    other = issue_token(gen_agent(gen_property()), "other", now=utcnow()).secret
    db.session.commit()
    assert _api(client, site, other).status_code == 404
