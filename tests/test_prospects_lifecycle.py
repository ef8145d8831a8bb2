"""The lead lifecycle and first/last-touch attribution."""

import pytest

from portal.models import LIFECYCLE_STAGES
from portal.prospects.lifecycle import FUNNEL, advance_lifecycle, stage_counts
from portal.prospects.visitor import (
    VisitorState,
    merge_visitor_into_prospect,
    touch_from_request,
)
from tests.factories import gen_prospect
from tests.prospect_session import sign_in

pytestmark = pytest.mark.usefixtures("app")


def test_one_shared_definition_in_funnel_order():
    """visitor → prospect → lead → toured → applied → leased, or lost."""
    assert LIFECYCLE_STAGES == (
        "visitor",
        "prospect",
        "lead",
        "toured",
        "applied",
        "leased",
        "lost",
    )
    assert FUNNEL[-1] == "leased"


def test_stages_only_move_forward():
    """A late "lead" event after a tour changes nothing."""
    prospect = gen_prospect()
    assert advance_lifecycle(prospect, "lead")
    assert advance_lifecycle(prospect, "toured")
    assert not advance_lifecycle(prospect, "lead")
    assert prospect.stage == "toured"
    assert prospect.stage_changed_at is not None


def test_lost_needs_a_reason_and_a_comeback_reopens():
    """Lost records why; booking again brings the prospect back into the funnel."""
    prospect = gen_prospect()
    with pytest.raises(ValueError, match="reason"):
        advance_lifecycle(prospect, "lost")
    assert advance_lifecycle(prospect, "lost", reason="Chose a flat in Tampere")
    assert prospect.lost_reason == "Chose a flat in Tampere"
    assert advance_lifecycle(prospect, "lead")
    assert (prospect.stage, prospect.lost_reason) == ("lead", None)


def test_unknown_stage_is_refused():
    """Only the defined stages exist."""
    with pytest.raises(ValueError, match="stage"):
        advance_lifecycle(gen_prospect(), "hot")


def test_stage_counts_cover_every_stage():
    """Marketing counts per stage, zero where empty."""
    advance_lifecycle(gen_prospect(), "lead")
    gen_prospect()
    counts = stage_counts()
    assert counts["lead"] == 1
    assert counts["prospect"] == 1
    assert set(counts) == set(LIFECYCLE_STAGES)


def test_touch_reads_utm_and_foreign_referrer_only():
    """UTM parameters and another site's referrer make a touch; our own pages do not."""
    touch = touch_from_request(
        {"utm_source": "google", "utm_medium": "cpc"}, "https://www.google.com/", "portal.test"
    )
    assert touch["utm_source"] == "google"
    assert touch["referrer"] == "https://www.google.com/"
    assert touch_from_request({}, "http://portal.test/listings/", "portal.test") is None


def test_first_visit_source_is_stored_on_the_prospect_at_sign_in(client):
    """First touch stays the first campaign; last touch follows the latest."""
    client.get("/?utm_source=newsletter&utm_campaign=autumn")
    client.get("/listings/?utm_source=instagram", headers={"Referer": "https://instagram.com/"})
    client.get("/listings/")  # an internal page view is not a touch
    prospect = sign_in(client, "pia@example.com")
    assert prospect.first_touch["utm_source"] == "newsletter"
    assert prospect.first_touch["utm_campaign"] == "autumn"
    assert prospect.last_touch["utm_source"] == "instagram"
    assert prospect.last_touch["referrer"] == "https://instagram.com/"


def test_merge_keeps_an_existing_first_touch():
    """A returning prospect's first touch is not overwritten by a later visit."""
    prospect = gen_prospect(first_touch={"utm_source": "print"})
    merge_visitor_into_prospect(
        prospect, VisitorState(first_touch={"utm_source": "ads"}, last_touch={"utm_source": "ads"})
    )
    assert prospect.first_touch == {"utm_source": "print"}
    assert prospect.last_touch == {"utm_source": "ads"}


def test_demo_prospects_load_once(demo):
    """The demo adds prospects with priorities, saved homes and browsing, idempotently."""
    from datetime import date

    import sqlalchemy as sa

    from portal.demo.loader import load_demo
    from portal.extensions import db
    from portal.models import Prospect
    from portal.prospects.interests import infer_interests
    from portal.prospects.priorities import current_priorities
    from portal.prospects.signals import signals_of

    assert demo.prospects == 2
    sara = db.session.scalar(sa.select(Prospect).where(Prospect.email == "sara.demo@example.com"))
    assert current_priorities(sara).level("pets") == "must_have"
    evidence = {i.evidence for i in infer_interests(signals_of(sara))}
    assert "opened the restaurants list on 2 listings" in evidence
    assert load_demo(date(2026, 11, 23)).prospects == 0


def test_refusing_consent_drops_the_campaign_source(client):
    """ "Only necessary" forgets the noted touch and notes no more."""
    from tests.prospect_session import give_consent

    client.get("/?utm_source=newsletter")
    give_consent(client, "necessary")
    client.get("/?utm_source=instagram")
    prospect = sign_in(client, "pia@example.com")
    assert prospect.first_touch is None
    assert prospect.last_touch is None


def test_a_prospect_created_meanwhile_is_reused():
    """If the email exists already (e.g. created by a booking), sign-in uses that prospect."""
    from portal.prospects.magic_links import find_or_create_prospect

    existing = gen_prospect(email="pia@example.com")
    assert find_or_create_prospect("PIA@example.com") is existing
