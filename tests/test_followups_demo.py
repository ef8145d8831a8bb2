"""The demo shows follow-ups at work: plans and snippets everywhere, one plan running."""

import sqlalchemy as sa

from portal.demo.followups import DEFAULT_PLANS, DEFAULT_SNIPPETS
from portal.extensions import db
from portal.followups.placeholders import validate_snippet
from portal.models import FollowupPlan, FollowupSnippet, Property, Prospect, Tour
from portal.prospects.topics import TOPICS
from tests.followups_helpers import messages_of


def test_every_community_has_every_plan_and_a_snippet_for_every_topic(demo):
    """Four plans and one valid snippet per topic and step content, in every community."""
    assert set(TOPICS) <= set(DEFAULT_SNIPPETS)
    for prop in db.session.scalars(sa.select(Property)):
        triggers = set(
            db.session.scalars(
                sa.select(FollowupPlan.trigger).where(FollowupPlan.property_id == prop.id)
            )
        )
        assert triggers == set(DEFAULT_PLANS)
        snippets = db.session.scalars(
            sa.select(FollowupSnippet).where(FollowupSnippet.property_id == prop.id)
        ).all()
        assert {s.topic for s in snippets} == set(DEFAULT_SNIPPETS)
        assert all(validate_snippet(s.subject) == validate_snippet(s.body) == [] for s in snippets)


def test_a_demo_prospect_toured_yesterday_and_his_plan_runs(demo):
    """Olli's completed tour started the plan; the agent's tours today wait for the agent."""
    olli = db.session.scalar(sa.select(Prospect).where(Prospect.email == "olli.demo@example.com"))
    [recap] = messages_of(olli)
    assert recap.step.content == "recap"
    assert recap.status == "awaiting_review" or recap.status == "scheduled"
    sara = db.session.scalar(sa.select(Prospect).where(Prospect.email == "sara.demo@example.com"))
    assert (
        db.session.scalar(sa.select(Tour.status).where(Tour.prospect_id == sara.id)) == "confirmed"
    )
    assert messages_of(sara) == []


def test_loading_twice_adds_nothing(demo):
    """Idempotent: a second load adds no plan, snippet or tour."""
    from datetime import date

    from portal.demo.loader import load_demo

    assert load_demo(date(2026, 11, 23)).followups == 0
