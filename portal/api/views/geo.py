"""/geocode, /commute and /neighbourhood: the same geo services as the pages."""

import re

from flask import jsonify, request

from portal.api.serializers import geocode_error, location_json
from portal.api.spec.geo import LAT_LON_PATTERN
from portal.api.views import bp
from portal.errors import api_error
from portal.extensions import limiter
from portal.geo.commute import commute_minutes
from portal.geo.geocoding import parse_lat_lon, resolve_address
from portal.geo.modes import COMMUTE_MODES
from portal.geo.neighbourhood import compute_neighbourhood
from portal.geo.regions import region_covering
from portal.input_limits import parse_json_number
from portal.settings import geo_settings


@bp.get("/geocode")
@limiter.limit("60 per minute")
def geocode():
    query = request.args.get("q", "")
    outcome = resolve_address(query, geo_settings())
    if not outcome.found:
        if outcome.status == "invalid":
            return api_error(400, "invalid_query", outcome.message, {"q": [outcome.message]})
        return geocode_error(outcome, "q")
    return jsonify({"query": query.strip(), "result": location_json(outcome.location)})


@bp.get("/commute")
@limiter.limit("60 per minute")
def commute():
    errors: dict[str, list[str]] = {}
    raw_origin = request.args.get("from", "")
    origin = parse_lat_lon(raw_origin) if re.fullmatch(LAT_LON_PATTERN, raw_origin) else None
    if origin is None:
        errors["from"] = ["Give the start as lat,lon, for example 60.1674,24.9366."]
    mode = request.args.get("mode", "walk")
    if mode not in COMMUTE_MODES:
        errors["mode"] = [f"Use one of {', '.join(COMMUTE_MODES)}."]
    target = request.args.get("to", "").strip()
    if not target:
        errors["to"] = ["Give the destination as an address or lat,lon."]
    if errors:
        return api_error(400, "invalid_request", "Some parameters are not valid.", errors)
    settings = geo_settings()
    if region_covering(*origin) is None:
        message = "The start is outside the area we cover."
        return api_error(422, "outside_coverage", message, {"from": [message]})
    outcome = resolve_address(target, settings)
    if not outcome.found:
        return geocode_error(outcome, "to")
    result = commute_minutes(origin, outcome.point, mode, settings)
    if result.status == "outside_coverage":
        message = "The start and the destination are not in the same area we cover."
        return api_error(422, "outside_coverage", message, {"from": [message]})
    return jsonify(
        {
            "from": {"lat": origin[0], "lon": origin[1]},
            "to": location_json(outcome.location),
            "mode": mode,
            "reachable": result.ok,
            "minutes": result.minutes,
            "metres": result.metres,
            "engine": result.engine,
            "estimate": result.estimate,
            "message": None if result.ok else "There is no route between these places.",
        }
    )


@bp.get("/neighbourhood")
@limiter.limit("30 per minute")
def neighbourhood():
    errors = {}
    values = {}
    for name, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        value = parse_json_number(request.args.get(name, ""))
        if value is None or not low <= value <= high:
            errors[name] = [f"Give {name} as a number between {low} and {high}."]
        else:
            values[name] = value
    if errors:
        return api_error(400, "invalid_request", "Some parameters are not valid.", errors)
    region = region_covering(values["lat"], values["lon"])
    if region is None:
        message = "That point is outside the area we cover."
        return api_error(422, "outside_coverage", message)
    facts = compute_neighbourhood(values["lat"], values["lon"], region, geo_settings())
    return jsonify({"lat": values["lat"], "lon": values["lon"]} | facts)
