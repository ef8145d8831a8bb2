"""Builders for test data: each returns a flushed row with sensible defaults."""

import itertools
from datetime import date
from decimal import Decimal

from portal.auth.services import create_staff
from portal.extensions import db
from portal.models import InternetService, Media, Property, Prospect, StaffUser, Unit

_seq = itertools.count(1)
STAFF_PASSWORD = "correct horse battery staple"


def gen_property(**fields) -> Property:
    n = next(_seq)
    values = {
        "slug": f"community-{n}",
        "name": f"Community {n}",
        "street": "Annankatu",
        "housenumber": str(n),
        "postcode": "00100",
        "city": "Helsinki",
        "lat": 60.1674,
        "lon": 24.9366,
        "time_zone": "Europe/Helsinki",
        "description": "A test community.",
        "amenities": ["Sauna"],
    }
    values.update(fields)
    prop = Property(**values)
    db.session.add(prop)
    db.session.flush()
    return prop


def gen_internet(prop: Property, **fields) -> InternetService:
    values = {"provider": "Elisa", "technology": "fibre", "max_down_mbps": 1000, "max_up_mbps": 500}
    values.update(fields)
    service = InternetService(property_id=prop.id, **values)
    db.session.add(service)
    db.session.flush()
    return service


def gen_unit(prop: Property | None = None, **fields) -> Unit:
    prop = prop or gen_property()
    n = next(_seq)
    values = {
        "number": f"A {n}",
        "floor": 3,
        "bedrooms": 1,
        "bathrooms": Decimal("1.0"),
        "area_m2": Decimal("42.5"),
        "rent_eur": 1400,
        "available_from": date(2026, 12, 1),
        "orientation": "S",
        "view": "Courtyard",
        "status": "available",
    }
    values.update(fields)
    unit = Unit(property_id=prop.id, **values)
    db.session.add(unit)
    db.session.flush()
    return unit


def gen_media(unit: Unit, **fields) -> Media:
    values = {"kind": "photo", "url": "img/demo/photo-living.svg", "alt_text": "Living room"}
    values.update(fields)
    media = Media(property_id=unit.property_id, unit_id=unit.id, **values)
    db.session.add(media)
    db.session.flush()
    return media


def gen_staff(role: str = "agent", **fields) -> StaffUser:
    n = next(_seq)
    return create_staff(
        fields.get("email", f"{role}{n}@doorstep.example"),
        fields.get("name", f"{role.title()} {n}"),
        role,
        fields.get("password", STAFF_PASSWORD),
    )


def gen_prospect(**fields) -> Prospect:
    n = next(_seq)
    values = {"email": f"prospect{n}@example.com", "name": f"Pia Prospect {n}"}
    values.update(fields)
    prospect = Prospect(**values)
    db.session.add(prospect)
    db.session.flush()
    return prospect
