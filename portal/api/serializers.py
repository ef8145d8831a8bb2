"""Listing facts as JSON: the exact shapes documented in openapi.py."""

from flask import url_for

from portal.models import InternetService, Media, Property, Unit


def internet_json(service: InternetService) -> dict:
    return {
        "provider": service.provider,
        "technology": service.technology,
        "max_down_mbps": service.max_down_mbps,
        "max_up_mbps": service.max_up_mbps,
    }


def media_json(media: Media) -> dict:
    return {
        "kind": media.kind,
        "url": url_for("static", filename=media.url, _external=True)
        if not media.url.startswith(("http://", "https://"))
        else media.url,
        "alt_text": media.alt_text,
        "caption": media.caption,
        "room": media.room,
        "floor": media.floor,
    }


def property_json(prop: Property, *, full: bool = False) -> dict:
    data = {
        "id": prop.id,
        "slug": prop.slug,
        "name": prop.name,
        "address": prop.address,
        "lat": prop.lat,
        "lon": prop.lon,
        "time_zone": prop.time_zone,
    }
    if full:
        data |= {
            "tagline": prop.tagline,
            "description": prop.description,
            "amenities": list(prop.amenities),
            "year_built": prop.year_built,
            "floors": prop.floors,
            "internet": [internet_json(s) for s in prop.internet_services],
            "media": [media_json(m) for m in prop.media],
        }
    return data


def listing_json(unit: Unit, *, full: bool = False) -> dict:
    data = {
        "id": unit.id,
        "title": unit.title,
        "number": unit.number,
        "floor": unit.floor,
        "bedrooms": unit.bedrooms,
        "bathrooms": float(unit.bathrooms),
        "area_m2": float(unit.area_m2),
        "rent_eur": unit.rent_eur,
        "available_from": unit.available_from.isoformat(),
        "orientation": unit.orientation,
        "view": unit.view,
        "status": unit.status,
        "url": url_for("listings.detail", unit_id=unit.id, _external=True),
        "property": property_json(unit.property, full=full),
    }
    if full:
        data["description"] = unit.description
        data["media"] = [media_json(m) for m in unit.media]
    return data
