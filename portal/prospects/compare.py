"""Side-by-side comparison of up to four listings."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from portal.input_limits import parse_db_id
from portal.models import Unit
from portal.prospects.favourites import units_by_ids
from portal.prospects.fit.facts import ListingFacts
from portal.prospects.fit.score import Fit
from portal.templating import area, money

MAX_COMPARE = 4
MAX_ASKED = 50  # ids looked up at most: a URL with thousands of them costs one small query


@dataclass(frozen=True)
class Comparison:
    units: list[Unit]
    notes: list[str] = field(default_factory=list)


def _split(raw: Iterable[str]) -> list[str]:
    return [part.strip() for value in raw for part in value.split(",") if part.strip()]


def select_for_compare(raw_ids: Iterable[str], fallback: list[int]) -> Comparison:
    """The listed units asked for (or the saved ones), unknown ids left out with a note."""
    parts = _split(raw_ids)
    if not parts:
        return Comparison(units_by_ids(fallback[:MAX_COMPARE]))
    ids = {p: parse_db_id(p) for p in dict.fromkeys(parts)}
    wanted = list(dict.fromkeys(i for i in ids.values() if i is not None))[:MAX_ASKED]
    units = units_by_ids(wanted)
    found = {u.id for u in units}
    missing = [p for p, i in ids.items() if i not in found]
    notes = []
    if missing:
        shown = ", ".join(p if len(p) <= 12 else p[:12] + "…" for p in missing[:5])
        shown += "…" if len(missing) > 5 else ""
        notes.append(
            f"We left out {len(missing)} listing{'s' if len(missing) != 1 else ''} "
            f"we could not find or that is no longer available ({shown})."
        )
    if len(units) > MAX_COMPARE:
        notes.append(
            f"You can compare up to {MAX_COMPARE} homes; these are the first {MAX_COMPARE}."
        )
    return Comparison(units[:MAX_COMPARE], notes)


def _minutes(value) -> str:
    return "Not known yet" if value is None else f"{value:.0f} min"


def comparison_rows(facts: list[ListingFacts], fits: list[Fit]) -> list[tuple[str, list[str]]]:
    """(label, one cell per listing) for every compared attribute."""
    destinations = sorted({d for f in facts for d in (f.commute_minutes or {})})
    rows = [
        ("Rent", [f"{money(f.rent_eur)} / month" for f in facts]),
        ("Size", [area(f.area_m2) for f in facts]),
        ("Bedrooms", [str(f.bedrooms) if f.bedrooms else "Studio" for f in facts]),
        ("Available from", [f.available_from.strftime("%-d %b %Y") for f in facts]),
    ]
    if destinations:
        for d in destinations:
            rows.append(
                (f"Commute to {d}", [_minutes((f.commute_minutes or {}).get(d)) for f in facts])
            )
    else:
        rows.append(("Commute", ["Add destinations to compare commutes" for _ in facts]))
    rows += [
        (
            "Walkability",
            [
                f"{f.walkability} / 100" if f.walkability is not None else "Not known yet"
                for f in facts
            ],
        ),
        (
            "Nearest grocery",
            [_minutes((f.walk_minutes_to_nearest or {}).get("grocery")) for f in facts],
        ),
        (
            "Nearest public transport",
            [_minutes((f.walk_minutes_to_nearest or {}).get("transit")) for f in facts],
        ),
        (
            "Internet",
            [
                f"{f.internet_down_mbps} Mbit/s" if f.internet_down_mbps else "No details"
                for f in facts
            ],
        ),
        (
            "Fit for you",
            [
                f"{fit.score} / 100" if fit.score is not None else "Tell us what matters"
                for fit in fits
            ],
        ),
    ]
    return rows
