"""Funnel insights on a constructed history whose answers are known (tests/insights_data.py)."""

from datetime import timedelta

import pytest

from portal.studio import followup_stats, funnel, outcome_mix, speed, tour_stats
from portal.studio.insights_query import NO_AGENT, NO_SOURCE, InsightsQuery
from portal.studio.insights_tables import hours, percent
from tests.insights_data import NOW, build_world

H = 3600.0


@pytest.fixture
def world(app):
    return build_world()


def query(world, **fields):
    return InsightsQuery.last_days(world.now, **fields)


def as_table(rows):
    return {r.cut: (r.leads, r.toured, r.applied, r.leased, r.lost) for r in rows}


def test_leads_are_first_contacts_per_property_counted_by_community(world):
    """Leads, toured, applied, leased and lost per community; a rebooking is not a second lead."""
    rows = funnel.funnel(query(world))
    assert as_table(rows) == {"Alpha House": (4, 3, 2, 1, 0), "Beta Court": (3, 2, 1, 1, 2)}
    all_ = funnel.total(rows)
    assert (all_.leads, all_.toured, all_.applied, all_.leased, all_.lost) == (7, 5, 3, 2, 2)
    assert all_.toured_rate == pytest.approx(5 / 7)
    assert all_.applied_rate == pytest.approx(3 / 5)
    assert all_.leased_rate == pytest.approx(2 / 3)
    assert all_.lead_to_lease == pytest.approx(2 / 7)


def test_an_application_belongs_to_the_property_toured_last_before_it(world):
    """p7 toured Alpha then Beta and applied: the application and lease count at Beta only."""
    rows = {r.cut: r for r in funnel.funnel(query(world, source="newsletter"))}
    assert (rows["Alpha House"].toured, rows["Alpha House"].applied) == (1, 0)
    assert (rows["Beta Court"].applied, rows["Beta Court"].leased) == (1, 1)


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (
            "first_touch",
            {"google": (3, 2, 2, 1, 0), "newsletter": (3, 2, 1, 1, 1), NO_SOURCE: (1, 1, 0, 0, 1)},
        ),
        (
            "last_touch",
            {
                "retargeting": (1, 1, 1, 1, 0),
                "google": (2, 1, 1, 0, 0),
                "newsletter": (3, 2, 1, 1, 1),
                NO_SOURCE: (1, 1, 0, 0, 1),
            },
        ),
        ("agent", {"Agent One": (4, 3, 2, 1, 0), "Agent Two": (3, 2, 1, 1, 2)}),
        (
            "month",
            {"2026-09": (1, 1, 1, 1, 0), "2026-10": (3, 3, 2, 1, 0), "2026-11": (3, 1, 0, 0, 2)},
        ),
    ],
)
def test_funnel_cuts(world, by, expected):
    """The same leads cut by first-touch and last-touch source, agent and month."""
    assert as_table(funnel.funnel(query(world, by=by))) == expected


def test_filters_narrow_the_leads(world):
    """Period, community, agent and source each narrow the leads counted."""
    assert funnel.total(funnel.funnel(InsightsQuery.last_days(NOW, 30))).leads == 3
    assert funnel.total(funnel.funnel(InsightsQuery.last_days(NOW, 365))).leads == 8
    assert as_table(funnel.funnel(query(world, property_id=world.beta.id))) == {
        "Beta Court": (3, 2, 1, 1, 2)
    }
    assert funnel.total(funnel.funnel(query(world, agent_id=world.one.id))).leads == 4
    assert funnel.total(funnel.funnel(query(world, source="google"))).leads == 3
    assert funnel.total(funnel.funnel(query(world, source=NO_SOURCE))).leads == 1


def test_outcomes_after_now_do_not_count(world):
    """Seen from before p7 applied, Beta has no application yet."""
    earlier = InsightsQuery(
        now=NOW - 31 * timedelta(days=1), start=NOW - 90 * timedelta(days=1), end=NOW
    )
    rows = {r.cut: r for r in funnel.funnel(earlier)}
    assert rows["Beta Court"].applied == 0
    assert rows["Alpha House"].applied == 1  # p1; p2 applied later


def test_show_rate_and_after_hours(world):
    """Booked tours that started in the period, attended ones, and those outside opening hours."""
    rows = {r.cut: r for r in tour_stats.tours(query(world))}
    alpha, beta = rows["Alpha House"], rows["Beta Court"]
    assert (alpha.booked, alpha.attended, alpha.no_show, alpha.scheduled, alpha.after_hours) == (
        3,
        3,
        0,
        3,
        1,
    )
    assert (beta.booked, beta.attended, beta.no_show, beta.scheduled, beta.after_hours) == (
        3,
        2,
        1,
        3,
        0,
    )
    all_ = tour_stats.total(list(rows.values()))
    assert all_.show_rate == pytest.approx(5 / 6)
    assert all_.after_hours_share == pytest.approx(1 / 6)


def test_tours_without_an_agent_are_shown_apart(world):
    """A self-guided tour has no agent: its row is labelled, not dropped."""
    world.tours["t4"].agent_id = None
    rows = {r.cut: r.booked for r in tour_stats.tours(query(world, by="agent"))}
    assert rows == {"Agent One": 3, "Agent Two": 2, NO_AGENT: 1}


def test_medians_of_response_lead_to_tour_and_tour_to_application(world):
    """Medians overall and per community, in seconds, from the stories' dates."""
    overall, rows = speed.speed(query(world))
    assert (overall.leads, overall.responded, overall.toured, overall.applied) == (7, 4, 5, 3)
    assert overall.response_s == pytest.approx(26 * H)  # 2 h, 4 h, 48 h, 49 h
    assert overall.lead_to_tour_s == pytest.approx(27 * H)  # 24, 24, 27, 48, 82 h
    assert overall.tour_to_application_s == pytest.approx(182 * H)  # 96, 182, 192 h
    by_cut = {r.cut: r for r in rows}
    assert by_cut["Alpha House"].response_s == pytest.approx(3 * H)
    assert by_cut["Alpha House"].lead_to_tour_s == pytest.approx(48 * H)
    assert by_cut["Alpha House"].tour_to_application_s == pytest.approx(187 * H)
    assert by_cut["Beta Court"].response_s == pytest.approx(48.5 * H)
    assert by_cut["Beta Court"].lead_to_tour_s == pytest.approx(25.5 * H)
    assert by_cut["Beta Court"].tour_to_application_s == pytest.approx(96 * H)


def test_priorities_among_leased_and_lost(world):
    """Important and must-have topics of the latest version, leased (p1, p7) vs lost (p3, p4)."""
    rows = {r.key: (r.leased, r.lost) for r in outcome_mix.priorities(query(world))}
    assert rows == {"commute": (2, 1), "pets": (1, 0), "quiet": (0, 1)}
    commute = outcome_mix.priorities(query(world))[0]
    assert (commute.key, commute.leased_share, commute.lost_share) == ("commute", 1.0, 0.5)


def test_objections_among_leased_and_lost(world):
    """Objections captured on the leads' tours, leased vs lost."""
    rows = {r.key: (r.leased, r.lost) for r in outcome_mix.objections(query(world))}
    assert rows == {"price": (1, 1), "noise": (0, 1), "layout": (1, 0)}


def test_follow_up_performance(world):
    """Sent, recipients, unsubscribed, replied, leased after, per plan step; a message not
    yet sent is not counted."""
    rows = {r.kind: r for r in followup_stats.follow_ups(query(world))}
    assert set(rows) == {"After a tour: recap", "After a tour: priority"}
    thanks = rows["After a tour: recap"]
    assert (
        thanks.sent,
        thanks.recipients,
        thanks.unsubscribed,
        thanks.replied,
        thanks.leased_after,
    ) == (2, 2, 1, 2, 1)
    nudge = rows["After a tour: priority"]
    assert (
        nudge.sent,
        nudge.recipients,
        nudge.unsubscribed,
        nudge.replied,
        nudge.leased_after,
    ) == (1, 1, 0, 1, 0)  # the agent marked p4's reply


def test_follow_ups_of_one_community_are_its_plans_messages(world):
    """The community filter keeps the messages of that community's plans."""
    rows = followup_stats.follow_ups(query(world, property_id=world.beta.id))
    assert [(r.kind, r.sent) for r in rows] == [("After a tour: priority", 1)]


def test_an_empty_period_gives_empty_tables(world):
    """A period with nothing in it: no rows, no division by zero."""
    q = InsightsQuery(now=NOW, start=NOW - timedelta(days=400), end=NOW - timedelta(days=300))
    assert funnel.funnel(q) == []
    assert funnel.total([]).toured_rate is None
    assert speed.speed(q)[0].response_s is None
    assert tour_stats.tours(q) == []
    assert outcome_mix.priorities(q) == []
    assert followup_stats.follow_ups(q) == []


@pytest.mark.parametrize("by", ["community", "agent", "first_touch", "last_touch", "month"])
def test_the_page_and_the_export_count_the_same_funnel(world, by):
    """The page's one-statement funnel equals the plain GROUP BY the CSV export runs."""
    q = query(world, by=by)
    assert speed.lead_figures(q)[0] == funnel.funnel(q)


@pytest.mark.parametrize(
    ("value", "n", "shown"),
    [
        (0.5, 2, "n < 5"),
        (1.0, 4, "n < 5"),
        (0.4, 5, "40.0%"),
        (None, 0, "–"),
        (0.25, None, "25.0%"),
    ],
)
def test_a_share_over_fewer_than_five_reads_as_too_small(value, n, shown):
    """Shares over 1–4 cases are not printed as 50 % or 100 %; none at all is a dash."""
    assert percent(value, n) == shown


def test_a_median_of_fewer_than_five_reads_as_too_small():
    """A median of 4 durations is not shown; of 5 it is, in hours."""
    assert hours(7200.0, 4) == "n < 5"
    assert hours(7200.0, 5) == "2.0"
