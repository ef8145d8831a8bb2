"""The tour brief's view of a prospect: priorities by importance, interests, most viewed."""

import pytest

from portal.prospects.brief import prospect_brief
from portal.prospects.priorities import Priorities, record_priorities
from portal.prospects.signals import record_signal
from tests.factories import gen_prospect, gen_unit

pytestmark = pytest.mark.usefixtures("app")


def test_brief_groups_priorities_and_adds_unstated_interests():
    """Must-haves first; interests only for topics the prospect did not answer."""
    prospect = gen_prospect()
    record_priorities(
        Priorities(
            importance={"pets": "must_have", "commute": "must_have", "parks": "nice"},
            budget_max=1500,
            notes="Cat",
        ),
        source="prospect",
        prospect=prospect,
    )
    a, b = gen_unit(), gen_unit()
    record_signal("category_expanded", prospect=prospect, unit_id=a.id, topic="restaurants")
    record_signal("category_expanded", prospect=prospect, unit_id=a.id, topic="parks")
    record_signal("listing_view", prospect=prospect, unit_id=a.id, dwell_seconds=30)
    record_signal("listing_view", prospect=prospect, unit_id=b.id, dwell_seconds=200)
    brief = prospect_brief(prospect)
    assert brief.by_importance == {
        "Must have": ["A short commute", "Pets allowed"],
        "Nice to have": ["Parks & outdoors"],
    }
    assert (brief.budget_max, brief.notes, brief.recorded_by) == (1500, "Cat", "prospect")
    assert [i.topic for i in brief.interests] == ["restaurants"]
    assert brief.most_viewed_unit_ids == [b.id, a.id]


def test_brief_of_a_new_prospect_is_empty():
    """Nothing recorded yet: an empty brief, not an error."""
    brief = prospect_brief(gen_prospect())
    assert brief.by_importance == {}
    assert brief.recorded_at is None
    assert brief.interests == []
