"""Which OSM tags make a place of which neighbourhood category.

Tag lists follow REFERENCE.md ("OSM tags per category"). Order matters: the first
matching rule wins, so a pharmacy is `health`, not `shopping`.
"""

CATEGORY_LABELS: dict[str, str] = {
    "grocery": "Groceries",
    "convenience": "Convenience stores",
    "cafe": "Cafés",
    "restaurant": "Restaurants",
    "bar": "Bars and pubs",
    "shopping": "Shopping",
    "errands": "Errands",
    "park": "Parks",
    "fitness": "Fitness",
    "school": "Schools and childcare",
    "library": "Libraries and books",
    "entertainment": "Entertainment",
    "health": "Health",
    "transit": "Transit stops",
    "parking": "Parking",
    "sharing": "Car and bike sharing",
}
CATEGORIES = tuple(CATEGORY_LABELS)

_RULES: list[tuple[str, str, frozenset[str]]] = [
    ("amenity", "health", frozenset({"doctors", "clinic", "hospital", "dentist", "pharmacy"})),
    ("shop", "health", frozenset({"chemist"})),
    ("shop", "grocery", frozenset({"supermarket", "greengrocer", "butcher", "bakery"})),
    ("amenity", "grocery", frozenset({"marketplace"})),
    ("shop", "convenience", frozenset({"convenience"})),
    ("amenity", "cafe", frozenset({"cafe"})),
    ("amenity", "restaurant", frozenset({"restaurant", "fast_food", "food_court"})),
    ("amenity", "bar", frozenset({"bar", "pub", "biergarten"})),
    ("amenity", "library", frozenset({"library"})),
    ("shop", "library", frozenset({"books"})),
    (
        "shop",
        "shopping",
        frozenset(
            {"mall", "department_store", "clothes", "hardware", "doityourself", "variety_store"}
        ),
    ),
    ("amenity", "errands", frozenset({"bank", "atm", "post_office"})),
    ("shop", "errands", frozenset({"laundry", "dry_cleaning"})),
    ("leisure", "park", frozenset({"park", "playground", "dog_park", "garden"})),
    ("leisure", "fitness", frozenset({"fitness_centre", "sports_centre"})),
    (
        "amenity",
        "school",
        frozenset({"school", "kindergarten", "childcare", "college", "university"}),
    ),
    (
        "amenity",
        "entertainment",
        frozenset({"cinema", "theatre", "arts_centre", "nightclub"}),
    ),
    ("tourism", "entertainment", frozenset({"museum"})),
    ("highway", "transit", frozenset({"bus_stop"})),
    ("railway", "transit", frozenset({"station", "halt", "tram_stop", "subway_entrance"})),
    ("public_transport", "transit", frozenset({"platform", "station"})),
    ("amenity", "transit", frozenset({"ferry_terminal"})),
    ("amenity", "parking", frozenset({"parking"})),
    ("amenity", "sharing", frozenset({"car_sharing", "bicycle_rental"})),
]


def classify(tags) -> tuple[str, str] | None:
    """(category, kind) for an OSM object's tags, or None when it is no place we list.

    :param tags: any mapping-like object with ``get`` (pyosmium TagList or dict).
    """
    for key, category, values in _RULES:
        value = tags.get(key)
        if value in values:
            if category == "park" and tags.get("access") == "private":
                return None
            return category, value
    return None
