"""Browsing signals: recorded only with consent, through a CSRF-protected beacon; interests."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import BrowsingSignal
from portal.prospects.interests import infer_interests
from portal.prospects.signals import record_signal, signals_of
from tests.factories import gen_prospect, gen_staff, gen_unit
from tests.prospect_session import give_consent, sign_in


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(BrowsingSignal.id)))


def test_nothing_is_recorded_without_consent(client):
    """Before the visitor chooses, and after "only necessary", the beacon records nothing."""
    unit = gen_unit()
    db.session.commit()
    data = {"kind": "listing_view", "unit_id": unit.id, "dwell_seconds": 40}
    response = client.post("/me/signals", data=data)
    assert response.status_code == 204
    assert response.headers["X-Signal-Recorded"] == "0"
    give_consent(client, "necessary")
    client.post("/me/signals", data=data)
    assert _count() == 0


def test_with_consent_the_beacon_records_the_event(client):
    """After "allow", a listing view with its dwell time is stored for this visitor."""
    unit = gen_unit()
    db.session.commit()
    give_consent(client)
    response = client.post(
        "/me/signals", data={"kind": "listing_view", "unit_id": unit.id, "dwell_seconds": 40}
    )
    assert response.headers["X-Signal-Recorded"] == "1"
    signal = db.session.scalar(sa.select(BrowsingSignal))
    assert (signal.kind, signal.unit_id, signal.dwell_seconds) == ("listing_view", unit.id, 40)
    assert signal.visitor_id is not None


def test_bad_beacon_input_is_a_400_with_fields(client):
    """Unknown kinds, listings and missing topics are refused clearly; nothing stored."""
    give_consent(client)
    unknown_kind = client.post("/me/signals", data={"kind": "mind_read"})
    assert unknown_kind.status_code == 400
    assert "kind" in unknown_kind.get_json()["error"]["fields"]
    assert (
        client.post("/me/signals", data={"kind": "listing_view", "unit_id": 999999}).status_code
        == 400
    )
    no_topic = client.post("/me/signals", data={"kind": "category_expanded"})
    assert no_topic.status_code == 400
    assert (
        client.post("/me/signals", data={"kind": "listing_view", "dwell_seconds": -3}).status_code
        == 400
    )
    assert _count() == 0


def test_the_beacon_needs_the_csrf_token(app, app_factory):
    """With CSRF on, a beacon without the token is rejected; with the header it works."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        page = client.get("/me/consent").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/me/consent", data={"choice": "all", "csrf_token": token})
        assert client.post("/me/signals", data={"kind": "compare_used"}).status_code == 400
        ok = client.post(
            "/me/signals", data={"kind": "compare_used"}, headers={"X-CSRFToken": token}
        )
        assert ok.status_code == 204
        assert ok.headers["X-Signal-Recorded"] == "1"
        db.session.rollback()


def test_staff_browsing_is_never_recorded(client, auth):
    """Agents looking at listings do not become signals."""
    from tests.factories import STAFF_PASSWORD

    user = gen_staff("agent")
    db.session.commit()
    give_consent(client)
    auth.login(user.email, STAFF_PASSWORD)
    client.post("/me/signals", data={"kind": "compare_used"})
    assert _count() == 0


def test_signed_in_prospect_signals_belong_to_the_account(client):
    """A prospect's signals carry the account, not a visitor id."""
    give_consent(client)
    prospect = sign_in(client, "pia@example.com")
    client.post("/me/signals", data={"kind": "commute_checked", "topic": "Office"})
    assert [s.kind for s in signals_of(prospect)] == ["commute_checked"]


def test_dwell_time_is_capped(app):
    """A tab left open overnight does not count as hours of interest."""
    signal = record_signal("listing_view", visitor_id="v1", dwell_seconds=10**6)
    assert signal.dwell_seconds == 6 * 3600


def test_interests_are_inferred_with_confidence_and_evidence(app):
    """Opening the restaurants list on four listings is a 0.67-confident restaurants interest."""
    prospect = gen_prospect()
    units = [gen_unit() for _ in range(4)]
    for unit in units:
        record_signal("category_expanded", prospect=prospect, unit_id=unit.id, topic="restaurants")
    record_signal("category_expanded", prospect=prospect, unit_id=units[0].id, topic="restaurants")
    record_signal("commute_checked", prospect=prospect, unit_id=units[0].id, topic="Office")
    interests = infer_interests(signals_of(prospect))
    assert [(i.topic, i.confidence) for i in interests] == [
        ("restaurants", 0.67),
        ("commute", 0.33),
    ]
    assert interests[0].evidence == "opened the restaurants list on 4 listings"
    assert interests[1].evidence == "checked the commute on 1 listing (to Office)"


def test_unrelated_signals_infer_nothing(app):
    """Views and favourites alone suggest no neighbourhood interest."""
    unit = gen_unit()
    record_signal("listing_view", visitor_id="v2", unit_id=unit.id, dwell_seconds=30)
    record_signal("favourite_added", visitor_id="v2", unit_id=unit.id)
    assert infer_interests(signals_of(visitor_id="v2")) == []


def test_consent_banner_offers_a_real_choice(client):
    """Until chosen, every page shows the banner with two equal buttons; then it goes."""
    page = client.get("/").get_data(as_text=True)
    assert "Your privacy choice" in page
    assert 'value="all" class="button"' in page
    assert 'value="necessary" class="button"' in page
    give_consent(client, "necessary")
    assert "Your privacy choice" not in client.get("/").get_data(as_text=True)


def test_consent_by_htmx_swaps_in_a_confirmation(client):
    """The htmx banner post returns the small confirmation fragment."""
    response = client.post("/me/consent", data={"choice": "all"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "browsing to suggest" in response.get_data(as_text=True)
    assert client.post("/me/consent", data={"choice": "everything"}).status_code == 400


def test_beacon_script_loads_only_with_consent(client):
    """The listing page includes the beacon only after "allow"."""
    unit = gen_unit()
    db.session.commit()
    assert "js/signals." not in client.get(f"/listings/{unit.id}").get_data(as_text=True)
    give_consent(client)
    assert "js/signals." in client.get(f"/listings/{unit.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("geo_key", "topic"),
    [
        ("grocery", "groceries"),
        ("cafe", "restaurants"),
        ("restaurant", "restaurants"),
        ("bar", "nightlife"),
        ("park", "parks"),
        ("transit", "transit"),
    ],
)
def test_geo_panel_categories_map_to_priority_topics(app, geo_key, topic):
    """The neighbourhood panel's own category keys infer the questionnaire's topics."""
    prospect = gen_prospect()
    for unit in (gen_unit(), gen_unit()):
        record_signal("category_expanded", prospect=prospect, unit_id=unit.id, topic=geo_key)
    assert [i.topic for i in infer_interests(signals_of(prospect))] == [topic]
