"""Merge the several OSM features of one stop (platform, stop position, pole) into one place."""

from portal.geo.distance import haversine_m

SAME_NAME_RADIUS_M = 150
UNNAMED_RADIUS_M = 40


def merge_transit_stops(places: list[dict]) -> list[dict]:
    """Places with nearby duplicate transit features folded into the first of each group.

    Features that share a name within 150 m, or an unnamed one within 40 m of a stop,
    are one stop; the merged stop sits at their average position. Other categories
    pass through untouched.
    """
    others = [p for p in places if p["category"] != "transit"]
    stops: list[dict] = []
    members: list[list[dict]] = []
    # Named features first, so unnamed poles join the named stop beside them.
    transit = sorted(
        (p for p in places if p["category"] == "transit"), key=lambda p: (p["name"] == "",)
    )
    for place in transit:
        key = place["name"].strip().casefold()
        for index, stop in enumerate(stops):
            distance = haversine_m(stop["lat"], stop["lon"], place["lat"], place["lon"])
            same_name = key and key == stop["name"].strip().casefold()
            if (same_name and distance <= SAME_NAME_RADIUS_M) or (
                not key and distance <= UNNAMED_RADIUS_M
            ):
                members[index].append(place)
                break
        else:
            stops.append(dict(place))
            members.append([place])
    for stop, group in zip(stops, members, strict=True):
        stop["lat"] = sum(p["lat"] for p in group) / len(group)
        stop["lon"] = sum(p["lon"] for p in group) / len(group)
        kinds = sorted({p["kind"] for p in group})
        stop["kind"] = kinds[0] if len(kinds) == 1 else "+".join(kinds)[:40]
    return others + stops
