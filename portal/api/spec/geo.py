"""/geocode, /commute, and the commute parts of /listings."""

from portal.api.spec.common import json_body, or_empty, text
from portal.geo.geocoding import MAX_QUERY
from portal.geo.modes import COMMUTE_MODES
from portal.listings.forms import MAX_COMMUTE_MINUTES

_MODES = list(COMMUTE_MODES)
_LAT = "-?(?:90(?:\\.0+)?|[1-8]?[0-9](?:\\.[0-9]+)?)"
_LON = "-?(?:180(?:\\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\\.[0-9]+)?)"
# `lat,lon` in decimal degrees within range; the API checks `from` with this very pattern.
LAT_LON_PATTERN = f"^ *{_LAT} *, *{_LON} *$"
_ADDRESS = text(max_length=MAX_QUERY, required=True)

_LOCATION = {
    "type": "object",
    "required": ["address", "lat", "lon", "match"],
    "properties": {
        "address": {"type": "string"},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
        "match": {
            "enum": ["exact", "fuzzy", "interpolated", "street", "candidate", "coordinates"],
            "description": "How the local gazetteer found it: `exact` street and number, "
            "`fuzzy` (misspelt street), `interpolated` between known numbers on the same "
            "street, `street` (no number), `candidate` (a nearby number offered instead), "
            "`coordinates` (lat,lon given).",
        },
        "region": {
            "type": ["string", "null"],
            "description": "The imported region the address lies in (local gazetteer only)",
        },
        "city": {"type": ["string", "null"]},
        "unit": {
            "type": ["string", "null"],
            "description": "A flat or unit read from the query (`Flat 2`, `A 12`, `as. 5`), "
            "kept apart from the house number",
        },
        "used": {
            "type": "object",
            "description": "The parts of the query that matched, as typed: `street`, "
            "`housenumber`, `postcode`, `city`",
            "additionalProperties": {"type": "string"},
        },
        "ignored": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Parts of the query that matched nothing (a house number the "
            "street lacks, a postcode or city of no matching street)",
        },
    },
    "additionalProperties": False,
}

_GEOCODE_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "candidates"],
            "properties": {
                "code": {
                    "enum": [
                        "outside_coverage",
                        "unknown_address",
                        "ambiguous_address",
                        "invalid_address",
                    ]
                },
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "candidates": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/GeocodedLocation"},
                    "description": "The best guesses, when there are any",
                },
            },
        }
    },
}

_COMMUTE = {
    "type": "object",
    "required": ["from", "to", "mode", "reachable", "minutes", "metres", "engine", "estimate"],
    "properties": {
        "from": {
            "type": "object",
            "required": ["lat", "lon"],
            "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
        },
        "to": {"$ref": "#/components/schemas/GeocodedLocation"},
        "mode": {"enum": _MODES},
        "reachable": {"type": "boolean", "description": "False when the network has no path"},
        "minutes": {"type": ["integer", "null"], "minimum": 0},
        "metres": {"type": ["integer", "null"], "minimum": 0},
        "engine": {
            "type": "string",
            "description": "`osrm` (in-process), `osrm-http` or `osm-routes-estimate` (transit)",
        },
        "estimate": {
            "type": "boolean",
            "description": "True for public transport: estimated from OSM route relations "
            "(walk, half the headway, ride at mode speed, at most one transfer), no timetable",
        },
        "message": {"type": ["string", "null"]},
    },
    "additionalProperties": False,
}

_LISTING_COMMUTE = {
    "type": "object",
    "required": ["mode", "status", "minutes", "metres", "engine", "estimate"],
    "properties": {
        "mode": {"enum": _MODES},
        "status": {"enum": ["ok", "unreachable", "outside_coverage"]},
        "minutes": {"type": ["integer", "null"]},
        "metres": {"type": ["integer", "null"]},
        "engine": {"type": "string"},
        "estimate": {"type": "boolean"},
    },
    "additionalProperties": False,
}

COMMUTE_PARAMETERS = [
    {
        "name": "commute_to",
        "in": "query",
        "description": "Destination address or `lat,lon` for commute filtering and sorting",
        "schema": text(max_length=MAX_QUERY),
    },
    {
        "name": "mode",
        "in": "query",
        "schema": {"enum": _MODES, "default": "walk"},
    },
    {
        "name": "max_minutes",
        "in": "query",
        "description": "Only homes within this many minutes of `commute_to` (which it needs)",
        "schema": or_empty({"type": "integer", "minimum": 1, "maximum": MAX_COMMUTE_MINUTES}),
    },
    {
        "name": "sort",
        "in": "query",
        "description": "`commute` (needs `commute_to`) or `rent` (empty: rent); `fit`, the "
        "pages' sort for a visitor's priorities, sorts by rent here",
        "schema": {"enum": ["", "rent", "commute", "fit"], "default": "rent"},
    },
]

INVALID_PARAMETER = {"description": "A parameter is not valid", "content": json_body("Error")}
_ERRORS = {
    "400": INVALID_PARAMETER,
    "422": {
        "description": "The address is unknown, ambiguous or outside the area we cover "
        "(`outside_coverage`, with candidates only for an address)",
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/GeocodeError"},
                        {"$ref": "#/components/schemas/Error"},
                    ]
                }
            }
        },
    },
}

PATHS = {
    "/geocode": {
        "get": {
            "operationId": "geocode",
            "summary": "Find an address in the area we cover (offline gazetteer by default)",
            "parameters": [
                {
                    "name": "q",
                    "in": "query",
                    "required": True,
                    "description": "An address as people write it, in either order: "
                    "`27 Broad St, Bristol BS1 2HG`, `Via Gaeta 23`, `Flat 2, 157 Rue "
                    "Saint-Martin`; or `lat,lon`",
                    "schema": _ADDRESS,
                }
            ],
            "responses": {
                "200": {
                    "description": "The address found",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["query", "result"],
                                "properties": {
                                    "query": {"type": "string"},
                                    "result": {"$ref": "#/components/schemas/GeocodedLocation"},
                                },
                            }
                        }
                    },
                },
                **_ERRORS,
            },
        }
    },
    "/commute": {
        "get": {
            "operationId": "commute",
            "summary": "Door-to-door minutes and metres between two places",
            "parameters": [
                {
                    "name": "from",
                    "in": "query",
                    "required": True,
                    "description": "`lat,lon`",
                    "schema": {"type": "string", "pattern": LAT_LON_PATTERN},
                },
                {
                    "name": "to",
                    "in": "query",
                    "required": True,
                    "description": "An address or `lat,lon`",
                    "schema": _ADDRESS,
                },
                {"name": "mode", "in": "query", "schema": {"enum": _MODES, "default": "walk"}},
            ],
            "responses": {
                "200": {
                    "description": "The trip; `reachable` false when no route exists",
                    "content": json_body("Commute"),
                },
                **_ERRORS,
            },
        }
    },
}

SCHEMAS = {
    "GeocodedLocation": _LOCATION,
    "GeocodeError": _GEOCODE_ERROR,
    "Commute": _COMMUTE,
    "ListingCommute": _LISTING_COMMUTE,
}
