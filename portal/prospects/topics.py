"""What a prospect can say matters, and which neighbourhood places answer each topic.

One definition for the questionnaire, the tour booking's "what matters to you" step,
the fit checks and the interests inferred from browsing.
"""

# Topic key -> question label, in questionnaire order.
TOPICS = {
    "commute": "A short commute",
    "groceries": "Groceries nearby",
    "restaurants": "Restaurants & cafés",
    "nightlife": "Nightlife",
    "parks": "Parks & outdoors",
    "transit": "Public transport",
    "walkability": "Walkability",
    "internet": "Fast internet",
    "quiet": "A quiet street",
    "parking": "Parking",
    "pets": "Pets allowed",
    "laundry": "In-unit laundry",
    "accessibility": "Step-free access",
}

# The one table from place categories to topics. Keys are the neighbourhood summary's
# categories (portal.geo.categories); each gives the topic it answers and its name in
# the fit facts (ListingFacts.walk_minutes_to_nearest and places_within_10_min), or
# None when the fit does not measure it by walking distance (parking is an amenity).
PLACE_CATEGORIES: dict[str, tuple[str, str | None]] = {
    "grocery": ("groceries", "grocery"),
    "cafe": ("restaurants", "coffee"),
    "restaurant": ("restaurants", "restaurants"),
    "bar": ("nightlife", "bars"),
    "entertainment": ("nightlife", "entertainment"),
    "park": ("parks", "parks"),
    "transit": ("transit", "transit"),
    "parking": ("parking", None),
}
# Other names browsing signals have sent for the same categories.
_CATEGORY_ALIASES = {"restaurants_bars": "restaurant", "cafes": "cafe", "mobility": "parking"}

# Neighbourhood category -> its name in the fit facts, for reading a stored summary.
FACTS_KEYS = {category: key for category, (_, key) in PLACE_CATEGORIES.items() if key}
# Topic -> the fit facts names that answer it (the topics judged by a walk to a place).
TOPIC_FACTS_KEYS = {
    topic: tuple(k for t, k in PLACE_CATEGORIES.values() if t == topic and k)
    for topic, key in PLACE_CATEGORIES.values()
    if key
}

# Any category name a signal may carry (category, alias, fit facts name or the topic
# itself) -> its topic.
_CATEGORY_TOPICS = {
    **{topic: topic for topic, _ in PLACE_CATEGORIES.values()},
    **{key: topic for topic, key in PLACE_CATEGORIES.values() if key},
    **{alias: PLACE_CATEGORIES[category][0] for alias, category in _CATEGORY_ALIASES.items()},
    **{category: topic for category, (topic, _) in PLACE_CATEGORIES.items()},
}


def topic_of_category(name: str) -> str | None:
    """The topic a neighbourhood category answers, by any name it goes by; else None."""
    return _CATEGORY_TOPICS.get(name.lower())
