"""Priorities: the questionnaire, validation, and a version for every change."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import PriorityVersion
from portal.models.base import utcnow
from portal.prospects.priorities import (
    MAX_VISITOR_VERSIONS_PER_HOUR,
    InvalidPriorities,
    Priorities,
    TooManyChanges,
    current_priorities,
    priority_history,
    record_priorities,
)
from tests.factories import gen_prospect, gen_staff
from tests.prospect_session import sign_in

pytestmark = pytest.mark.usefixtures("app")


def test_every_change_is_a_new_version_with_its_source():
    """Changes append versions; the latest is current; sources and authors are kept."""
    prospect = gen_prospect()
    agent = gen_staff("agent")
    first = record_priorities(
        {"importance": {"commute": "important"}}, source="prospect", prospect=prospect
    )
    second = record_priorities(
        {"importance": {"commute": "must_have"}, "commute_max_minutes": 25},
        source="agent",
        prospect=prospect,
        staff_user_id=agent.id,
    )
    history = priority_history(prospect)
    assert [v.id for v in history] == [first.id, second.id]
    assert [v.source for v in history] == ["prospect", "agent"]
    assert history[1].staff_user_id == agent.id
    assert current_priorities(prospect).level("commute") == "must_have"
    assert history[0].answers["importance"] == {"commute": "important"}  # never rewritten


def test_unchanged_answers_add_no_version():
    """Saving the same answers twice records one version."""
    prospect = gen_prospect()
    answers = Priorities(importance={"pets": "must_have"}, budget_max=1500)
    assert record_priorities(answers, source="prospect", prospect=prospect) is not None
    assert record_priorities(answers, source="prospect", prospect=prospect) is None
    assert len(priority_history(prospect)) == 1


def test_unknown_source_is_refused():
    """Only prospect, agent and inferred are sources."""
    with pytest.raises(ValueError, match="source"):
        record_priorities(Priorities(), source="guess", prospect=gen_prospect())


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"importance": {"commute": "very"}}, "commute"),
        ({"importance": {"swimming pool": "nice"}}, "swimming pool"),
        ({"budget_max": -5}, "budget_max"),
        ({"budget_min": 2000, "budget_max": 1000}, "budget_min"),
        ({"bedrooms": 11}, "bedrooms"),
        ({"commute_max_minutes": 600}, "commute_max_minutes"),
        ({"move_in": "31.12.2026"}, "move_in"),
        ({"notes": "x" * 2001}, "notes"),
        ({"favourite_colour": "green"}, "favourite_colour"),
    ],
)
def test_out_of_range_answers_name_the_field(answers, field):
    """Every bad answer is reported by name, and nothing is stored."""
    prospect = gen_prospect()
    with pytest.raises(InvalidPriorities) as caught:
        record_priorities(answers, source="prospect", prospect=prospect)
    assert field in caught.value.fields
    assert priority_history(prospect) == []


def test_json_round_trip_keeps_every_answer():
    """What is stored reads back equal."""
    answers = Priorities(
        importance={"internet": "important", "quiet": "nice"},
        commute_max_minutes=35,
        budget_min=900,
        budget_max=1600,
        bedrooms=1,
        move_in=date(2027, 1, 15),
        notes="A bathtub would be lovely",
    )
    assert Priorities.from_json(answers.to_json()) == answers


def test_visitor_answers_the_questionnaire_without_an_account(client):
    """An anonymous visitor saves priorities; the page shows them back and the history."""
    response = client.post(
        "/me/priorities",
        data={"importance_restaurants": "important", "budget_max": "1600", "move_in": "2027-01-01"},
    )
    assert response.status_code == 303
    assert "sort=fit" in response.headers["Location"]
    page = client.get("/me/priorities").get_data(as_text=True)
    assert 'value="1600"' in page
    assert "Restaurants &amp; cafés: not answered → Important" in page
    versions = db.session.scalars(sa.select(PriorityVersion)).all()
    assert len(versions) == 1
    assert versions[0].visitor_id
    assert versions[0].prospect_id is None


def test_questionnaire_out_of_range_values_are_field_errors(client):
    """Bad values come back as field errors with a 400 and nothing is saved."""
    response = client.post(
        "/me/priorities",
        data={
            "budget_min": "3000",
            "budget_max": "1000",
            "bedrooms": "42",
            "commute_max_minutes": "2",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "must not be below the lower one" in page
    assert "Enter 0 (studio) to 10." in page
    assert "Enter 5 to 180 minutes." in page
    assert db.session.scalar(sa.select(sa.func.count(PriorityVersion.id))) == 0


def test_questionnaire_rejects_an_unknown_importance(client):
    """A tampered select value is a field error, not a crash."""
    response = client.post("/me/priorities", data={"importance_pets": "desperately"})
    assert response.status_code == 400


def test_signed_in_prospect_versions_belong_to_the_account(client):
    """A prospect's answers are stored against the account, and can follow `next`."""
    prospect = sign_in(client, "pia@example.com")
    response = client.post("/me/priorities?next=/listings/", data={"importance_pets": "must_have"})
    assert response.headers["Location"].endswith("/listings/")
    assert current_priorities(prospect).level("pets") == "must_have"


def test_questionnaire_is_reachable_from_home_and_listing_pages(client):
    """Home and listing pages link to the questionnaire."""
    from tests.factories import gen_unit

    unit = gen_unit()
    db.session.commit()
    assert "/me/priorities" in client.get("/").get_data(as_text=True)
    assert "/me/priorities" in client.get(f"/listings/{unit.id}").get_data(as_text=True)


def test_a_browsing_suggestion_can_be_adopted_as_an_inferred_version(client):
    """Suggestions are offered for unanswered topics; adopting one records source "inferred"."""
    from tests.factories import gen_unit
    from tests.prospect_session import give_consent

    units = [gen_unit() for _ in range(2)]
    db.session.commit()
    give_consent(client)
    for unit in units:
        client.post(
            "/me/signals", data={"kind": "category_expanded", "topic": "parks", "unit_id": unit.id}
        )
    page = client.get("/me/priorities").get_data(as_text=True)
    assert "you opened the parks list on 2 listings (50 % confident)" in page
    assert client.post("/me/priorities/adopt/parks").status_code == 303
    version = db.session.scalar(sa.select(PriorityVersion))
    assert version.source == "inferred"
    assert version.answers["importance"] == {"parks": "nice"}
    assert "What your browsing suggests" not in client.get("/me/priorities").get_data(as_text=True)
    assert client.post("/me/priorities/adopt/parks").status_code == 303  # already stated: no-op
    assert db.session.scalar(sa.select(sa.func.count(PriorityVersion.id))) == 1
    assert client.post("/me/priorities/adopt/moon").status_code == 404


def test_old_versions_stay_readable_when_questions_change():
    """A stored answer to a question no longer asked is skipped, not an error."""
    prospect = gen_prospect()
    db.session.add(
        PriorityVersion(
            prospect_id=prospect.id,
            source="prospect",
            answers={
                "importance": {"pets": "nice", "balcony": "must_have"},
                "bedrooms": 99,
                "hot_tub": 1,
            },
        )
    )
    db.session.flush()
    assert current_priorities(prospect) == Priorities(importance={"pets": "nice"})


def _fill_visitor_hour(visitor_id: str, now, count: int = MAX_VISITOR_VERSIONS_PER_HOUR) -> None:
    for i in range(count):
        record_priorities(
            {"budget_max": 1000 + i}, source="prospect", visitor_id=visitor_id, now=now
        )


def test_a_visitor_may_add_a_limited_number_of_versions_an_hour():
    """An anonymous visitor's next change in the same hour is refused and stores nothing."""
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    _fill_visitor_hour("v-capped", now)
    with pytest.raises(TooManyChanges, match="last hour"):
        record_priorities(
            {"budget_max": 9999},
            source="prospect",
            visitor_id="v-capped",
            now=now + timedelta(minutes=59),
        )
    history = priority_history(visitor_id="v-capped")
    assert len(history) == MAX_VISITOR_VERSIONS_PER_HOUR
    assert current_priorities(visitor_id="v-capped").budget_max != 9999


def test_the_visitor_cap_counts_only_the_last_hour():
    """An hour after the burst the visitor may change their answers again."""
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    _fill_visitor_hour("v-later", now)
    later = now + timedelta(hours=1, seconds=1)
    assert record_priorities(
        {"budget_max": 9999}, source="prospect", visitor_id="v-later", now=later
    )


def test_a_signed_in_prospect_has_no_hourly_cap():
    """A prospect's own history is theirs: many changes in an hour are all kept."""
    prospect = gen_prospect()
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    for i in range(MAX_VISITOR_VERSIONS_PER_HOUR + 5):
        record_priorities({"budget_max": 1000 + i}, source="prospect", prospect=prospect, now=now)
    assert len(priority_history(prospect)) == MAX_VISITOR_VERSIONS_PER_HOUR + 5


def _visitor_id(client) -> str:
    with client.session_transaction() as session:
        return session["visitor_id"]


def test_the_questionnaire_says_so_when_the_visitor_is_over_the_cap(client, fixed_clock):
    """Over the cap the page answers 429 with a clear message, keeps the answers typed, and
    stores nothing."""
    assert client.post("/me/priorities", data={"budget_max": "900"}).status_code == 303
    _fill_visitor_hour(_visitor_id(client), utcnow(), MAX_VISITOR_VERSIONS_PER_HOUR - 1)
    db.session.commit()
    response = client.post("/me/priorities", data={"budget_max": "4321"})
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "many times in the last hour" in page
    assert 'value="4321"' in page
    versions = db.session.scalar(sa.select(sa.func.count(PriorityVersion.id)))
    assert versions == MAX_VISITOR_VERSIONS_PER_HOUR


def test_adopting_a_suggestion_over_the_cap_stores_nothing(client, fixed_clock):
    """The one-click "nice to have" is refused the same way, with the message shown."""
    assert client.post("/me/priorities", data={"budget_max": "900"}).status_code == 303
    _fill_visitor_hour(_visitor_id(client), utcnow(), MAX_VISITOR_VERSIONS_PER_HOUR - 1)
    db.session.commit()
    response = client.post("/me/priorities/adopt/quiet", follow_redirects=True)
    assert "many times in the last hour" in response.get_data(as_text=True)
    assert current_priorities(visitor_id=_visitor_id(client)).level("quiet") is None


def test_questionnaire_posts_are_limited_per_address(app_factory):
    """New cookies do not dodge the cap: the 61st POST in an hour from one address is 429."""
    limited = app_factory(RATELIMIT_ENABLED=True)
    with limited.app_context():
        codes = [
            limited.test_client().post("/me/priorities", data={"budget_max": "-1"}).status_code
            for _ in range(61)
        ]
    assert codes[:60] == [400] * 60
    assert codes[60] == 429
