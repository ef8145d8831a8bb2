"""Properties of the fit and the answers parser over generated inputs."""

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from portal.prospects.fit.facts import ListingFacts
from portal.prospects.fit.score import score_fit
from portal.prospects.priorities import IMPORTANCE_LEVELS, TOPICS, InvalidPriorities, Priorities

facts_strategy = st.builds(
    ListingFacts,
    unit_id=st.integers(1, 10_000),
    rent_eur=st.integers(1, 10_000),
    bedrooms=st.integers(0, 10),
    area_m2=st.floats(10, 300),
    available_from=st.dates(date(2026, 1, 1), date(2028, 1, 1)),
    floor=st.integers(0, 30),
    internet_down_mbps=st.none() | st.integers(1, 10_000),
    pets_allowed=st.booleans(),
    laundry=st.sampled_from(["in_unit", "shared", "none"]),
    parking=st.booleans(),
    step_free=st.booleans(),
    commute_minutes=st.none()
    | st.dictionaries(st.sampled_from(["Office", "School"]), st.none() | st.integers(0, 240)),
    walkability=st.none() | st.integers(0, 100),
    walk_minutes_to_nearest=st.none()
    | st.dictionaries(
        st.sampled_from(["grocery", "parks", "transit", "coffee"]), st.none() | st.floats(0, 60)
    ),
    places_within_10_min=st.none()
    | st.dictionaries(st.sampled_from(["bars", "entertainment"]), st.integers(0, 50)),
    transit_access=st.none() | st.integers(0, 100),
)
priorities_strategy = st.builds(
    Priorities,
    importance=st.dictionaries(
        st.sampled_from(list(TOPICS)), st.sampled_from(list(IMPORTANCE_LEVELS))
    ),
    commute_max_minutes=st.none() | st.integers(5, 180),
    budget_max=st.none() | st.integers(1, 10_000),
    bedrooms=st.none() | st.integers(0, 10),
    move_in=st.none() | st.dates(date(2026, 1, 1), date(2028, 1, 1)),
)


@given(facts_strategy, priorities_strategy)
def test_score_is_between_0_and_100_or_unknown(facts, priorities):
    """Any facts and answers give a score from 0 to 100, or None, never an error."""
    fit = score_fit(facts, priorities)
    assert fit.score is None or 0 <= fit.score <= 100
    assert len(fit.reasons) <= 3


@given(facts_strategy, priorities_strategy)
def test_a_cheaper_rent_never_lowers_the_fit(facts, priorities):
    """All else equal, paying less never makes a home fit worse."""
    cheaper = replace(facts, rent_eur=max(1, facts.rent_eur // 2))
    before, after = score_fit(facts, priorities), score_fit(cheaper, priorities)
    assert after.sort_key <= before.sort_key


@given(
    st.dictionaries(
        st.text(max_size=12), st.none() | st.integers() | st.text(max_size=20) | st.booleans()
    )
)
def test_any_answers_document_is_parsed_or_refused_by_field(data):
    """Arbitrary JSON never crashes the parser: it is read, or refused naming fields."""
    try:
        parsed, fields = Priorities.from_json(data), {}
    except InvalidPriorities as exc:
        parsed, fields = None, exc.fields
    assert (parsed is None) == bool(fields)
