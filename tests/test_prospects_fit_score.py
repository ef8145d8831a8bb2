"""Fit ranking: a 0–100 score with reasons and deal-breakers, on constructed listings."""

from dataclasses import replace
from datetime import date

import pytest

from portal.extensions import db
from portal.prospects.fit.facts import ListingFacts, build_listing_facts
from portal.prospects.fit.score import rank_by_fit, score_fit
from portal.prospects.interests import InferredInterest
from portal.prospects.priorities import Priorities, record_priorities
from tests.factories import gen_internet, gen_property, gen_unit
from tests.html import listed_ids

BASE = ListingFacts(
    unit_id=1,
    rent_eur=1400,
    bedrooms=1,
    area_m2=42.0,
    available_from=date(2026, 12, 1),
    floor=3,
    internet_down_mbps=1000,
    pets_allowed=False,
    laundry="shared",
    parking=False,
    step_free=False,
)


def _facts(unit_id: int, **changes) -> ListingFacts:
    return replace(BASE, unit_id=unit_id, **changes)


def _rank(listings, priorities, interests=()):
    return [r.facts.unit_id for r in rank_by_fit(listings, lambda f: f, priorities, interests)]


def test_a_must_have_commute_over_the_limit_is_a_deal_breaker():
    """Over the limit on a must-have commute: a deal-breaker naming the destination."""
    priorities = Priorities(importance={"commute": "must_have"}, commute_max_minutes=30)
    fit = score_fit(_facts(1, commute_minutes={"Office": 42}), priorities)
    assert fit.deal_breakers == ["Commute to Office is 42 min, over your 30-minute limit"]


def test_an_important_but_not_must_have_commute_over_the_limit_only_lowers_the_score():
    """Without must-have, a long commute costs points but breaks nothing."""
    priorities = Priorities(importance={"commute": "important"}, commute_max_minutes=30)
    near = score_fit(_facts(1, commute_minutes={"Office": 20}), priorities)
    far = score_fit(_facts(2, commute_minutes={"Office": 45}), priorities)
    assert far.deal_breakers == []
    assert near.score == 100
    assert far.score == 50


def test_a_deal_breaker_ranks_after_every_listing_without_one():
    """Even a high score with a deal-breaker ranks below a clean listing."""
    priorities = Priorities(
        importance={"commute": "must_have", "internet": "important"}, commute_max_minutes=30
    )
    slow_but_close = _facts(1, commute_minutes={"Office": 25}, internet_down_mbps=50)
    fast_but_far = _facts(2, commute_minutes={"Office": 31}, internet_down_mbps=1000)
    assert score_fit(fast_but_far, priorities).score > score_fit(slow_but_close, priorities).score
    assert _rank([fast_but_far, slow_but_close], priorities) == [1, 2]


def test_equal_listings_tie():
    """Two listings with the same facts get the same fit and stay in id order."""
    priorities = Priorities(importance={"internet": "important", "pets": "nice"}, budget_max=1500)
    first, second = _facts(7), _facts(3)
    assert score_fit(first, priorities) == score_fit(second, priorities)
    assert _rank([first, second], priorities) == [3, 7]


def test_a_listing_better_on_the_top_priority_ranks_first():
    """Better on the must-have beats better on a nice-to-have."""
    priorities = Priorities(importance={"internet": "must_have", "parking": "nice"})
    fast = _facts(1, internet_down_mbps=1000, parking=False)
    parking = _facts(2, internet_down_mbps=100, parking=True)
    assert _rank([parking, fast], priorities) == [1, 2]


def test_over_budget_is_always_a_deal_breaker():
    """A stated budget is a hard limit, with the rent in the message."""
    fit = score_fit(_facts(1, rent_eur=1800), Priorities(budget_max=1500))
    assert fit.deal_breakers == ["Over budget: €1\u202f800 (your limit €1\u202f500)"]
    assert fit.score == 0


def test_no_pets_is_a_deal_breaker_for_a_pet_owner():
    """Must-have pets and a building without them: deal-breaker."""
    fit = score_fit(_facts(1, pets_allowed=False), Priorities(importance={"pets": "must_have"}))
    assert fit.deal_breakers == ["No pets allowed"]


def test_too_few_bedrooms_is_a_deal_breaker():
    """Fewer bedrooms than asked for is a deal-breaker."""
    fit = score_fit(_facts(1, bedrooms=1), Priorities(bedrooms=2))
    assert fit.deal_breakers == ["Too few bedrooms: 1 (you asked for 2)"]


def test_top_reasons_are_the_best_met_heaviest_topics():
    """Reasons list the best-met topics weighted by importance, at most three."""
    priorities = Priorities(
        importance={"internet": "must_have", "pets": "important", "walkability": "nice"},
        budget_max=1500,
    )
    fit = score_fit(_facts(1, pets_allowed=True, walkability=90), priorities)
    assert fit.reasons == [
        "€1\u202f400 a month, within your €1\u202f500 budget",
        "Internet up to 1 Gbit/s",
        "Pets welcome",
    ]
    assert fit.score == 99


def test_unknown_facts_are_left_out_not_guessed():
    """Without commute or neighbourhood facts the topic is listed as unknown, not scored."""
    priorities = Priorities(importance={"commute": "must_have", "groceries": "important"})
    fit = score_fit(_facts(1), priorities)
    assert fit.score is None
    assert fit.unknown == ["A short commute", "Groceries nearby"]
    assert fit.deal_breakers == []


def test_neighbourhood_facts_score_by_walking_minutes():
    """A grocery store within five minutes is full marks; beyond twenty, none."""
    priorities = Priorities(importance={"groceries": "important"})
    near = score_fit(_facts(1, walk_minutes_to_nearest={"grocery": 4}), priorities)
    far = score_fit(_facts(2, walk_minutes_to_nearest={"grocery": 25}), priorities)
    assert (near.score, far.score) == (100, 0)
    assert near.reasons == ["A grocery store 4 min walk away"]


def test_inferred_interests_only_fill_unanswered_topics():
    """Browsing never overrides what the prospect said, and weighs less than stated topics."""
    said_no = Priorities(importance={"parks": "not_important", "pets": "important"})
    parks = InferredInterest("parks", 0.67, "opened the parks list on 4 listings", 4)
    facts = _facts(1, walk_minutes_to_nearest={"parks": 3}, pets_allowed=False)
    assert score_fit(facts, said_no, [parks]).score == 0
    unanswered = Priorities(importance={"pets": "important"})
    fit = score_fit(facts, unanswered, [parks])
    assert fit.score == round(100 * 0.67 / (2 + 0.67))
    assert "A park 3 min walk away (from your browsing)" in fit.reasons


def test_listing_facts_come_from_the_unit_and_property(app):
    """Amenities answer pets, laundry, parking and step-free access; internet from services."""
    prop = gen_property(amenities=["Pets welcome", "Laundry room", "Lift", "Step-free access"])
    gen_internet(prop, max_down_mbps=600)
    unit = gen_unit(prop, floor=5, rent_eur=1234)
    facts = build_listing_facts(unit)
    assert facts.rent_eur == 1234
    assert facts.internet_down_mbps == 600
    assert facts.pets_allowed
    assert facts.laundry == "shared"
    assert facts.step_free
    assert not facts.parking
    assert facts.commute_minutes is None  # filled by the geo services, never invented


@pytest.fixture
def three_listings(app):
    cheap_no_pets = gen_unit(gen_property(amenities=["Sauna"]), rent_eur=1100)
    pets = gen_unit(gen_property(amenities=["Pets welcome"]), rent_eur=1300)
    too_dear = gen_unit(gen_property(amenities=["Pets welcome"]), rent_eur=2500)
    db.session.commit()
    return cheap_no_pets, pets, too_dear


def test_listings_index_has_a_best_fit_sort(client, three_listings):
    """`sort=fit` ranks by the visitor's priorities and shows reasons and deal-breakers."""
    cheap_no_pets, pets, too_dear = three_listings
    client.post("/me/priorities", data={"importance_pets": "must_have", "budget_max": "2000"})
    page = client.get("/listings/?sort=fit").get_data(as_text=True)
    assert listed_ids(page) == [pets.id, cheap_no_pets.id, too_dear.id]
    assert "Pets welcome" in page
    assert "Over budget: €2\u202f500" in page
    cheapest_first = client.get("/listings/").get_data(as_text=True)
    assert listed_ids(cheapest_first) == [cheap_no_pets.id, pets.id, too_dear.id]


def test_best_fit_sort_without_priorities_invites_to_answer(client, three_listings):
    """With nothing to rank by, the page says so and links the questionnaire."""
    page = client.get("/listings/?sort=fit").get_data(as_text=True)
    assert "tell us what matters to you" in page
    assert len(listed_ids(page)) == 3


def test_listing_page_explains_why_it_fits(client, three_listings):
    """The listing page shows the fit, its reasons and deal-breakers."""
    _, pets, too_dear = three_listings
    client.post("/me/priorities", data={"importance_pets": "must_have", "budget_max": "2000"})
    page = client.get(f"/listings/{pets.id}").get_data(as_text=True)
    assert "Why this fits you" in page
    assert "100</strong> / 100 fit for you" in page
    dear = client.get(f"/listings/{too_dear.id}").get_data(as_text=True)
    assert "Deal-breakers" in dear


def test_agent_priorities_rank_for_the_prospect(app):
    """Priorities recorded by an agent on the tour rank listings like the prospect's own."""
    from tests.factories import gen_prospect

    prospect = gen_prospect()
    record_priorities(
        Priorities(importance={"parking": "must_have"}), source="agent", prospect=prospect
    )
    from portal.prospects.priorities import current_priorities

    parking = _facts(1, parking=True)
    none = _facts(2)
    assert _rank([none, parking], current_priorities(prospect)) == [1, 2]
