""" "What to look at on your tour": the confirmation's section from the prospect's priorities.

The booking confirmation (``portal.tours.notices``) adds one line per top priority: the
topic, the fit check's sentence for the booked home (the same facts the listing page
shows) and what to check in person. Only what the booker said counts until the address
is confirmed as theirs; then the prospect's stored priorities do too.
"""

from dataclasses import dataclass

from portal.followups.compose import ranked_topics
from portal.geo.settings import GeoSettings
from portal.models import Tour
from portal.prospects.fit.checks import check_topic
from portal.prospects.fit.facts import geo_facts_of
from portal.prospects.priorities import Priorities, current_priorities
from portal.prospects.topics import TOPICS

SHOWN = 3
# What to check in person, per topic.
ON_THE_TOUR = {
    "commute": "walk or ride the first stretch of your commute from the door",
    "groceries": "ask where the nearest shop is and when it is open",
    "restaurants": "look at the cafés and restaurants on the street",
    "nightlife": "ask how lively the street is on a weekend evening",
    "parks": "walk to the nearest park",
    "transit": "find the nearest stop and its lines",
    "walkability": "walk around the block",
    "internet": "ask about the connection in the home and test your phone's signal",
    "quiet": "listen with the windows closed and open",
    "parking": "ask about parking spaces and their waiting list",
    "pets": "ask about the house rules for pets",
    "laundry": "look at the laundry connections or the laundry room",
    "accessibility": "check the entrance, the lift and the doorways",
}


@dataclass(frozen=True)
class FocusLine:
    topic: str
    label: str
    fact: str  # the fit check's sentence for the home, or ""
    look_at: str


def what_to_look_at(tour: Tour, settings: GeoSettings) -> list[FocusLine]:
    """Up to three lines for the booked tour, most important priority first."""
    owner_confirmed = tour.email_confirmed_at is not None
    priorities = current_priorities(tour.prospect, None) if owner_confirmed else Priorities()
    topics = ranked_topics(priorities, tour)[:SHOWN]
    if not topics:
        return []
    facts = geo_facts_of([], settings)(tour.unit) if tour.unit is not None else None
    lines = []
    for topic in topics:
        fact = ""
        if facts is not None and topic != "commute":
            must = priorities.level(topic) == "must_have"
            fact = check_topic(topic, facts, priorities, must_have=must).text
        lines.append(FocusLine(topic, TOPICS[topic], fact, ON_THE_TOUR[topic]))
    return lines
