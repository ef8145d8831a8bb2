"""Listing facts as JSON: the exact shapes documented in openapi.py."""

from dataclasses import asdict
from datetime import date, datetime

from flask import jsonify

from portal.errors import api_error
from portal.geo.commute import CommuteResult
from portal.geo.geocoding import GeocodeOutcome
from portal.links import external_url
from portal.models import InternetService, Media, Property, Unit
from portal.tours.agent_day import DayTour
from portal.tours.brief import TourBrief


def internet_json(service: InternetService) -> dict:
    return {
        "provider": service.provider,
        "technology": service.technology,
        "max_down_mbps": service.max_down_mbps,
        "max_up_mbps": service.max_up_mbps,
    }


def _media_url(media: Media) -> str:
    if media.asset is not None:  # a studio upload: its largest size
        asset = media.asset
        return external_url(
            "studio_public.media_file",
            key=asset.key,
            width=asset.largest_width,
            ext=asset.extension,
        )
    if media.url.startswith(("http://", "https://")):  # a video embed
        return media.url
    return external_url("static", filename=media.url)


def media_json(media: Media) -> dict:
    return {
        "kind": media.kind,
        "url": _media_url(media),
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
        "url": external_url("listings.detail", unit_id=unit.id),
        "property": property_json(unit.property, full=full),
    }
    if full:
        data["description"] = unit.description
        data["media"] = [media_json(m) for m in unit.media]
    return data


def commute_json(result: CommuteResult) -> dict:
    return {
        "mode": result.mode,
        "status": result.status,
        "minutes": result.minutes,
        "metres": result.metres,
        "engine": result.engine,
        "estimate": result.estimate,
    }


def location_json(location) -> dict:
    raw = location.raw or {}
    return {
        "address": location.address,
        "lat": round(location.latitude, 7),
        "lon": round(location.longitude, 7),
        "match": raw.get("match", "exact"),
        "region": raw.get("region") or None,
        "city": raw.get("city") or None,
        "unit": raw.get("unit") or None,
        "used": {k: v for k, v in (raw.get("used") or {}).items() if isinstance(v, str)},
        "ignored": [p for p in raw.get("ignored") or [] if isinstance(p, str)],
    }


def geocode_error(outcome: GeocodeOutcome, field: str):
    """The API's answer to an address that did not resolve: 422 with the best candidates."""
    code = {
        "outside_coverage": "outside_coverage",
        "ambiguous": "ambiguous_address",
        "invalid": "invalid_address",
    }.get(outcome.status, "unknown_address")
    response, status = api_error(422, code, outcome.message, {field: [outcome.message]})
    body = response.get_json()
    body["error"]["candidates"] = [location_json(c) for c in outcome.candidates]
    return jsonify(body), status


# The staff API: the agent's day and the tour brief (portal/tours/agent_day.py, brief.py).


def _plain(value):
    """Dataclass trees as JSON: instants and days in ISO 8601, everything else as is."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def day_tour_json(item: DayTour) -> dict:
    return {
        "id": item.id,
        "kind": item.kind,
        "status": item.status,
        "version": item.version,
        "starts_at": item.starts_at.isoformat(),
        "ends_at": item.ends_at.isoformat(),
        "local_start": item.local_start.isoformat(),
        "local_end": item.local_end.isoformat(),
        "time_zone": item.time_zone,
        "property": {"id": item.property_id, "name": item.property_name},
        "unit": {"id": item.unit_id, "number": item.unit_number} if item.unit_id else None,
        "agent": {"id": item.agent_id, "name": item.agent_name} if item.agent_id else None,
        "prospect": {"id": item.prospect_id, "name": item.name},
        "checked_in_at": item.checked_in_at.isoformat() if item.checked_in_at else None,
        "video_room_url": item.video_room_url,
        "can_start_video": item.can_start_video,
        "can_check_in": item.can_check_in,
        "brief_url": external_url("api.staff_tour_brief", tour_id=item.id),
    }


def brief_json(brief: TourBrief) -> dict:
    """Everything on the brief page, as data: numbers with units and the place names."""
    data = _plain(asdict(brief))
    data["priorities"].pop("interests", None)  # the same list as data["interests"]
    data["commutes"] = [
        {
            "destination": {
                "label": dc.destination.label,
                "address": dc.destination.address,
                "mode": dc.destination.mode,
                "arrive_by": dc.destination.arrive_by,
            },
            "by_mode": {mode: commute_json(r) for mode, r in dc.by_mode.items()},
        }
        for dc in brief.commutes
    ]
    for point, raw in zip(brief.talking_points, data["talking_points"], strict=True):
        raw["section"] = point.section
        raw["listing_url"] = (
            f"{external_url('listings.detail', unit_id=brief.unit_id)}#{point.section_anchor}"
            if brief.unit_id
            else None
        )
    return data
