"""The one table from neighbourhood place categories to priority topics."""

import pytest

from portal.geo.categories import CATEGORY_LABELS
from portal.prospects.topics import PLACE_CATEGORIES, TOPIC_FACTS_KEYS, TOPICS, topic_of_category


def test_every_place_category_is_one_the_geo_summary_counts():
    """The table's keys are the neighbourhood summary's own category keys."""
    assert set(PLACE_CATEGORIES) <= set(CATEGORY_LABELS)


def test_every_place_category_answers_a_questionnaire_topic():
    """Each category maps to a topic the questionnaire asks about."""
    assert {topic for topic, _ in PLACE_CATEGORIES.values()} <= set(TOPICS)


@pytest.mark.parametrize(
    ("name", "topic"),
    [("Cafe", "restaurants"), ("coffee", "restaurants"), ("mobility", "parking"), ("gym", None)],
)
def test_a_category_is_known_by_any_of_its_names(name, topic):
    """Signals may name a category by its geo key, fit facts name or an older alias."""
    assert topic_of_category(name) == topic


def test_walking_topics_read_the_fit_facts_names():
    """A topic judged by a walk reads exactly the facts names of its categories."""
    assert TOPIC_FACTS_KEYS["nightlife"] == ("bars", "entertainment")
    assert "parking" not in TOPIC_FACTS_KEYS
