"""The staff prospects list, a prospect's page with its timeline, and their API."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.mail.outbox import queue_email
from portal.models import ProspectNote, StageChange
from portal.models.base import utcnow
from portal.prospects.lifecycle import LEAD_DEFINITION
from portal.prospects.priorities import record_priorities
from portal.prospects.signals import record_signal
from portal.prospects.staff_list import ProspectFilters, find_prospects
from portal.staff.api_tokens import issue_token
from portal.tours.capture import record_capture
from tests.factories import STAFF_PASSWORD, gen_agent, gen_property, gen_prospect, gen_staff
from tests.staff_helpers import check_schema, gen_site, gen_tour


@pytest.fixture
def site(app):
    s = gen_site()
    db.session.commit()
    return s


def _emails(page) -> list[str]:
    return [row.prospect.email for row in page.rows]


def test_an_agent_sees_prospects_of_their_properties_and_assigned_ones(site):
    """Toured or booked at their property, or assigned to them; nobody else's."""
    stranger = gen_prospect()
    gen_tour(gen_property(), utcnow(), prospect=stranger)
    assigned = gen_prospect(assigned_agent_id=site.agent.id)
    db.session.commit()
    page = find_prospects(site.agent, ProspectFilters(), now=utcnow())
    assert _emails(page) == [assigned.email, site.prospect.email]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ProspectFilters(stage="toured"), ["b"]),
        (ProspectFilters(q="BERTA"), ["b"]),
        (ProspectFilters(source="newsletter"), ["a"]),
        (ProspectFilters(upcoming_tour=True), ["c"]),
        (ProspectFilters(upcoming_tour=False), ["b", "a"]),
        (ProspectFilters(last_contact="week"), ["b"]),
        (ProspectFilters(last_contact="older"), ["a"]),
        (ProspectFilters(last_contact="never"), ["c"]),
    ],
)
def test_filters(app, filters, expected):
    """Each filter narrows the list as its name says."""
    now = utcnow()
    prop = gen_property()
    admin = gen_staff("admin")
    people = {
        "a": gen_prospect(
            name="Aino",
            first_touch={"utm_source": "newsletter"},
            last_contact_at=now - timedelta(days=40),
        ),
        "b": gen_prospect(name="Berta", stage="toured", last_contact_at=now - timedelta(days=2)),
        "c": gen_prospect(name="Cecilia"),
    }
    gen_tour(prop, now + timedelta(days=2), prospect=people["c"])
    db.session.commit()
    page = find_prospects(admin, filters, now=now)
    by_email = {p.email: k for k, p in people.items()}
    assert [by_email[e] for e in _emails(page)] == expected


def test_property_and_agent_filters(app):
    """By the property toured and by the agent (assigned or leading a tour)."""
    admin = gen_staff("admin")
    one, two = gen_property(), gen_property()
    agent = gen_agent(one)
    at_one, at_two, kept = gen_prospect(), gen_prospect(), gen_prospect()
    gen_tour(one, utcnow(), prospect=at_one, agent=agent)
    gen_tour(two, utcnow(), prospect=at_two)
    kept.assigned_agent_id = agent.id
    db.session.commit()
    now = utcnow()
    assert _emails(find_prospects(admin, ProspectFilters(property_id=two.id), now=now)) == [
        at_two.email
    ]
    assert _emails(find_prospects(admin, ProspectFilters(agent_id=agent.id), now=now)) == [
        kept.email,
        at_one.email,
    ]


def test_keyset_pages_cover_everyone_once(app):
    """Following next_after walks every prospect exactly once, newest first."""
    admin = gen_staff("admin")
    made = [gen_prospect() for _ in range(7)]
    db.session.commit()
    seen, after = [], None
    while True:
        page = find_prospects(admin, ProspectFilters(), now=utcnow(), after=after, per_page=3)
        seen += [row.prospect.id for row in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == sorted((p.id for p in made), reverse=True)


def test_the_list_page_filters_and_pages(client, auth, site):
    """The page lists the agent's prospects, filters by stage and refuses a bad filter."""
    auth.login(site.agent.email, STAFF_PASSWORD)
    page = client.get("/staff/prospects").get_data(as_text=True)
    assert site.prospect.email in page
    assert site.prospect.email not in client.get("/staff/prospects?stage=applied").get_data(
        as_text=True
    )
    assert client.get("/staff/prospects?stage=royalty").status_code == 400
    assert client.get("/staff/prospects?property_id=999999").status_code == 400
    assert client.get("/staff/prospects?after=-4").status_code == 400


def test_marketers_see_counts_and_no_contact_data(client, auth, site):
    """A marketer's prospects page shows the funnel by stage, no names or addresses."""
    marketer = gen_staff("marketer")
    db.session.commit()
    auth.login(marketer.email, STAFF_PASSWORD)
    response = client.get("/staff/prospects")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Prospects by stage" in page
    assert site.prospect.email not in page
    assert site.prospect.name not in page
    assert client.get(f"/staff/prospects/{site.prospect.id}").status_code == 403


def test_the_timeline_shows_everything(client, auth, site):
    """Signals, priorities, tours, the capture, messages, stage changes and notes: one list."""
    now = utcnow()
    record_signal("listing_view", prospect=site.prospect, unit_id=site.units[0].id, now=now)
    record_priorities(
        {"importance": {"parks": "important"}},
        source="prospect",
        prospect=site.prospect,
        now=now - timedelta(hours=2),
    )
    queue_email(
        to=site.prospect.email,
        subject="Your tour is confirmed",
        text="See you",
        kind="tour_confirmed",
    )
    record_capture(
        site.tour,
        site.agent,
        {"interest_level": 5, "next_step": "apply", "objections": ["parking"]},
        expected_version=site.tour.version,
        now=now,
    )
    db.session.commit()
    auth.login(site.agent.email, STAFF_PASSWORD)
    client.post(f"/staff/prospects/{site.prospect.id}/notes", data={"body": "Call after 5"})
    page = client.get(f"/staff/prospects/{site.prospect.id}").get_data(as_text=True)
    for text in (
        "Viewed a listing",
        "Priorities updated (prospect)",
        "Tour booked",
        "Tour completed",
        "Tour recorded",
        "Objections: Parking",
        "Email: Your tour is confirmed",
        "Stage: lead → toured",
        "Stage: toured → applied",
        "Call after 5",
        LEAD_DEFINITION[:40],
    ):
        assert text in page, text


def test_notes_assignment_and_manual_stage(client, auth, site):
    """A note is stored and counts as contact; assignment and a manual stage are recorded."""
    colleague = gen_agent(site.prop)
    db.session.commit()
    auth.login(site.agent.email, STAFF_PASSWORD)
    base = f"/staff/prospects/{site.prospect.id}"
    assert client.post(f"{base}/notes", data={"body": "Prefers mornings"}).status_code == 303
    assert client.post(f"{base}/assign", data={"agent_id": str(colleague.id)}).status_code == 303
    assert (
        client.post(f"{base}/stage", data={"stage": "lost", "reason": "Moved abroad"}).status_code
        == 303
    )
    db.session.refresh(site.prospect)
    assert site.prospect.assigned_agent_id == colleague.id
    assert (site.prospect.stage, site.prospect.lost_reason) == ("lost", "Moved abroad")
    assert site.prospect.last_contact_at is not None
    change = db.session.scalar(sa.select(StageChange))
    assert (change.from_stage, change.to_stage, change.actor) == (
        "lead",
        "lost",
        f"staff:{site.agent.id}",
    )


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("notes", {"body": ""}),
        ("notes", {"body": "x" * 2001}),
        ("notes", {"body": "nul\x00"}),
        ("assign", {"agent_id": "999999"}),
        ("stage", {"stage": "lost", "reason": ""}),
        ("stage", {"stage": "royalty"}),
    ],
)
def test_bad_prospect_forms_store_nothing(client, auth, site, path, data):
    """Bad notes, agents and stages are refused with 422; nothing changes."""
    auth.login(site.agent.email, STAFF_PASSWORD)
    response = client.post(f"/staff/prospects/{site.prospect.id}/{path}", data=data)
    assert response.status_code == 422
    db.session.refresh(site.prospect)
    assert (site.prospect.stage, site.prospect.assigned_agent_id) == ("lead", None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProspectNote)) == 0


def test_another_propertys_agent_gets_404_on_the_prospect(client, auth, site):
    """An agent of another property cannot see or change the prospect."""
    other = gen_agent(gen_property())
    db.session.commit()
    auth.login(other.email, STAFF_PASSWORD)
    base = f"/staff/prospects/{site.prospect.id}"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/notes", data={"body": "hi"}).status_code == 404
    assert site.prospect.email not in client.get("/staff/prospects").get_data(as_text=True)


def _bearer(user) -> dict:
    secret = issue_token(user, "t", now=utcnow()).secret
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_api_list_and_timeline(client, site):
    """The API lists the token's prospects with the page's filters and gives the timeline."""
    headers = _bearer(site.agent)
    body = client.get("/api/v1/staff/prospects?stage=lead&limit=10", headers=headers).get_json()
    check_schema("StaffProspectList", body)
    assert [p["id"] for p in body["items"]] == [site.prospect.id]
    assert client.get("/api/v1/staff/prospects?stage=won", headers=headers).status_code == 400
    timeline = client.get(
        f"/api/v1/staff/prospects/{site.prospect.id}/timeline", headers=headers
    ).get_json()
    check_schema("StaffTimeline", timeline)
    assert [e["kind"] for e in timeline["entries"]] == ["tour"]


def test_api_visibility(client, site):
    """Another property's token gets 404; a marketer's 403; no token 401."""
    path = f"/api/v1/staff/prospects/{site.prospect.id}/timeline"
    assert client.get(path, headers=_bearer(gen_agent(gen_property()))).status_code == 404
    assert client.get(path, headers=_bearer(gen_staff("marketer"))).status_code == 403
    assert (
        client.get("/api/v1/staff/prospects", headers=_bearer(gen_staff("marketer"))).status_code
        == 403
    )
    assert client.get(path).status_code == 401
    assert client.get(path, headers=_bearer(gen_staff("admin"))).status_code == 200


def test_my_data_exports_and_erases_what_staff_recorded(site):
    """Notes, stage reasons and tour-record texts are in the export and gone on erasure;
    the anonymous facts (interest, objections, stages) stay for the funnel."""
    from portal.models import TourCapture
    from portal.prospects.my_data import collect_my_data, erase_prospect
    from portal.prospects.notes import add_note

    now = utcnow()
    add_note(site.prospect, site.agent, "Her sister lives nearby", now=now)
    record_capture(
        site.tour,
        site.agent,
        {
            "interest_level": 2,
            "next_step": "lost",
            "lost_reason": "Found a flat via a friend",
            "objections": ["price"],
            "liked": "The sauna",
        },
        expected_version=site.tour.version,
        now=now,
    )
    db.session.commit()
    section = collect_my_data(site.prospect)["staff_records"]
    assert section["notes"][0]["text"] == "Her sister lives nearby"
    assert section["tour_records"][0]["liked"] == "The sauna"
    assert [s["to"] for s in section["stage_changes"]] == ["toured", "lost"]
    erase_prospect(site.prospect, now)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProspectNote)) == 0
    capture = db.session.scalar(sa.select(TourCapture))
    assert (capture.liked, capture.lost_reason) == ("", "(erased)")
    assert (capture.interest_level, capture.objections) == (2, ["price"])
    assert db.session.scalars(sa.select(StageChange.reason)).all() == [None, None]
