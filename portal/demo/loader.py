"""Load the demo city: fictional communities at real Helsinki addresses.

Idempotent: communities are keyed by slug and units by (community, number), so a
second load adds nothing. Units are generated from a compact spec with a seed
derived from the slug, so every machine gets the same rents, floors and views.
"""

import json
import random
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from portal.auth.services import create_staff
from portal.demo.followups import load_demo_followup_tours, load_demo_followups
from portal.demo.staff_day import load_staff_day
from portal.demo.studio import load_studio_content
from portal.demo.tours import load_tour_setup
from portal.extensions import db
from portal.models import InternetService, Media, Property, StaffUser, Unit

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
COMMUNITIES_FILE = DEMO_DIR / "communities.json"
DEMO_TIME_ZONE = "Europe/Helsinki"
DEMO_STAFF = (
    ("agent@doorstep.example", "Aino Agent", "agent"),
    ("marketer@doorstep.example", "Mikko Marketer", "marketer"),
    ("admin@doorstep.example", "Anna Admin", "admin"),
)

# Typical sizes in central Helsinki, m² by bedrooms.
_AREA_RANGE = {0: (24, 34), 1: (36, 52), 2: (55, 75), 3: (78, 98)}
_ROOMS_WITH_WINDOWS = {
    0: ["Living room"],
    1: ["Living room", "Bedroom"],
    2: ["Living room", "Bedroom 1"],
    3: ["Living room", "Bedroom 1"],
}


@dataclass
class DemoReport:
    properties: int = 0
    units: int = 0
    staff: dict[str, str] = field(default_factory=dict)  # email -> new password
    prospects: int = 0
    tour_setup: int = 0  # tour types, hours, holidays and agent links added
    studio_revisions: int = 0  # first published revisions of the demo content
    day_tours: int = 0  # the demo agent's tours today and in the next days
    followups: int = 0  # follow-up plans, snippets and settings added
    history: int = 0  # prospects of the sales history behind the insights

    @property
    def added_anything(self) -> bool:
        return bool(
            self.properties
            or self.units
            or self.staff
            or self.prospects
            or self.tour_setup
            or self.studio_revisions
            or self.day_tours
            or self.followups
            or self.history
        )


def read_communities(path: Path = COMMUNITIES_FILE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["communities"]


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count(Property.id))) == 0


def load_demo(
    today: date, *, with_staff: bool = True, history_prospects: int | None = None
) -> DemoReport:
    """Add whatever part of the demo is missing (flushes; the caller commits).

    :param today: availability dates are spread over the weeks after this day.
    :param with_staff: also create the agent, marketer and admin accounts with
        fresh random passwords, returned in the report (never stored in clear).
    :param history_prospects: size of the sales history behind the insights (0: none;
        None: ``portal.demo.history.HISTORY_PROSPECTS``).
    """
    report = DemoReport()
    for spec in read_communities():
        prop = db.session.scalar(sa.select(Property).where(Property.slug == spec["slug"]))
        if prop is None:
            prop = _add_property(spec)
            report.properties += 1
        report.units += _add_missing_units(prop, spec, today)
    if with_staff:
        for email, name, role in DEMO_STAFF:
            if db.session.scalar(sa.select(StaffUser.id).where(StaffUser.email == email)):
                continue
            password = secrets.token_urlsafe(12)
            create_staff(email, name, role, password)
            report.staff[email] = password
    from portal.demo.prospects import load_demo_prospects  # the prospects area needs units

    report.prospects = load_demo_prospects(today)
    db.session.flush()
    report.tour_setup = load_tour_setup()
    report.studio_revisions = load_studio_content(today)
    report.day_tours = load_staff_day(today)
    report.followups = load_demo_followups() + load_demo_followup_tours(today)
    db.session.flush()
    from portal.demo.history import HISTORY_PROSPECTS, load_demo_history

    size = HISTORY_PROSPECTS if history_prospects is None else history_prospects
    report.history = load_demo_history(today, prospects=size)
    return report


def _add_property(spec: dict) -> Property:
    prop = Property(
        slug=spec["slug"],
        name=spec["name"],
        street=spec["street"],
        housenumber=spec["housenumber"],
        postcode=spec["postcode"],
        city=spec["city"],
        lat=spec["lat"],
        lon=spec["lon"],
        time_zone=DEMO_TIME_ZONE,
        tagline=spec["tagline"],
        description=spec["description"],
        amenities=list(spec["amenities"]),
        year_built=spec["year_built"],
        floors=spec["floors"],
        # Instant tours for an unconfirmed email: at once up to the caps, or by the link.
        unverified_instant=spec.get("unverified_instant", "capped"),
    )
    prop.internet_services = [InternetService(**offer) for offer in spec["internet"]]
    db.session.add(prop)
    db.session.flush()
    facade = f"img/demo/facade-{spec['facade']}.svg"
    db.session.add_all(
        [
            Media(
                property=prop,
                kind="photo",
                url=facade,
                position=0,
                alt_text=f"The street facade of {prop.name}",
                caption=prop.address,
            ),
            Media(
                property=prop,
                kind="virtual_tour",
                url="img/demo/panorama-living.svg",
                position=1,
                alt_text=f"360° panorama of a living room at {prop.name}",
                caption="360° panorama of a typical living room",
            ),
        ]
    )
    return prop


def _add_missing_units(prop: Property, spec: dict, today: date) -> int:
    existing = set(db.session.scalars(sa.select(Unit.number).where(Unit.property_id == prop.id)))
    added = 0
    for unit in _generate_units(spec, today):
        if unit["number"] in existing:
            continue
        media = unit.pop("media")
        row = Unit(property_id=prop.id, **unit)
        db.session.add(row)
        db.session.flush()
        db.session.add_all(Media(property_id=prop.id, unit_id=row.id, **m) for m in media)
        added += 1
    return added


def _generate_units(spec: dict, today: date) -> list[dict]:
    rng = random.Random(spec["slug"])  # same demo on every machine
    lowest, highest = spec["units"]["floors"]
    views = spec["units"]["views"]
    orientations = sorted(views)
    rent_per_m2 = spec["units"]["rent_per_m2"]
    units = []
    index = 0
    for bedrooms_key, count in sorted(spec["units"]["mix"].items()):
        bedrooms = int(bedrooms_key)
        for _ in range(count):
            index += 1
            floor = rng.randint(lowest, highest)
            orientation = orientations[index % len(orientations)]
            view_kind, view_text = views[orientation]
            area = Decimal(rng.randint(*_AREA_RANGE[bedrooms])) + Decimal("0.5") * rng.randint(0, 1)
            # Higher floors and smaller homes cost more per m², as on the real market.
            per_m2 = rent_per_m2 * (1 + 0.015 * (floor - lowest)) * (1.12 if bedrooms == 0 else 1)
            rent = int(round(float(area) * per_m2 / 10) * 10)
            number = f"{chr(ord('A') + (index - 1) // 4)} {floor}{index:02d}"
            room = _ROOMS_WITH_WINDOWS[bedrooms][index % len(_ROOMS_WITH_WINDOWS[bedrooms])]
            units.append(
                {
                    "number": number,
                    "floor": floor,
                    "bedrooms": bedrooms,
                    "bathrooms": Decimal("2.0") if bedrooms == 3 else Decimal("1.0"),
                    "area_m2": area,
                    "rent_eur": rent,
                    "available_from": today + timedelta(days=7 * rng.randint(0, 12)),
                    "orientation": orientation,
                    "view": view_text,
                    "status": "reserved" if rng.random() < 0.1 else "available",
                    "description": _unit_description(bedrooms, floor, orientation, view_text),
                    "media": _unit_media(bedrooms, floor, room, view_kind, view_text, orientation),
                }
            )
    return units


def _unit_description(bedrooms: int, floor: int, orientation: str, view: str) -> str:
    rooms = "studio" if bedrooms == 0 else f"{bedrooms}-bedroom home"
    return (
        f"A {rooms} on floor {floor}. The windows face {orientation}, towards {view}. "
        "Dishwasher, induction hob and storage in the basement."
    )


def _unit_media(
    bedrooms: int, floor: int, room: str, view_kind: str, view_text: str, orientation: str
) -> list[dict]:
    photos = (
        ["living", "kitchen", "bedroom", "bathroom"]
        if bedrooms
        else ["living", "kitchen", "bathroom"]
    )
    alt = {
        "living": "Bright living room with a sofa and a big window",
        "kitchen": "Kitchen with white cabinets and a dark worktop",
        "bedroom": "Bedroom with a double bed",
        "bathroom": "Tiled bathroom with a shower",
    }
    media = [
        {"kind": "photo", "url": f"img/demo/photo-{name}.svg", "alt_text": alt[name], "position": i}
        for i, name in enumerate(photos)
    ]
    media.append(
        {
            "kind": "floor_plan",
            "url": f"img/demo/plan-{bedrooms}.svg",
            "position": 10,
            "alt_text": f"Floor plan of the {bedrooms_text(bedrooms)} home",
        }
    )
    media.append(
        {
            "kind": "window_view",
            "url": f"img/demo/view-{view_kind}.svg",
            "position": 20,
            "room": room,
            "floor": floor,
            "orientation": orientation,
            "caption": f"From the {room.lower()}, floor {floor}",
            "alt_text": f"View from the {room.lower()} window on floor {floor}: {view_text}",
        }
    )
    return media


def bedrooms_text(bedrooms: int) -> str:
    return "studio" if bedrooms == 0 else f"{bedrooms}-bedroom"
