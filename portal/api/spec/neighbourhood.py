"""/neighbourhood: the places, walkability and transit around a point."""

from portal.api.spec.common import json_body
from portal.api.spec.geo import INVALID_PARAMETER

_PLACE = {
    "type": "object",
    "required": ["name", "kind", "minutes", "metres", "lat", "lon"],
    "properties": {
        "name": {"type": "string"},
        "kind": {"type": "string", "description": "The OSM tag value, e.g. supermarket"},
        "minutes": {"type": "integer", "minimum": 0, "description": "Walking, on the network"},
        "metres": {"type": "integer", "minimum": 0},
        "lat": {"type": "number"},
        "lon": {"type": "number"},
    },
}

_NEIGHBOURHOOD = {
    "type": "object",
    "description": "Nearest places per category with walking minutes along the street "
    "network, counts within 5/10/15 minutes, the 0-100 walkability score (our own measure "
    "modelled on the published Walk Score method; formula in README) and transit access.",
    "required": ["region", "walkability", "transit", "categories", "attribution"],
    "properties": {
        "lat": {"type": "number"},
        "lon": {"type": "number"},
        "region": {"type": "string"},
        "attribution": {"const": "© OpenStreetMap contributors"},
        "walkability": {
            "type": "object",
            "required": ["score", "band", "points", "penalties"],
            "properties": {
                "score": {"type": "integer", "minimum": 0, "maximum": 100},
                "band": {"type": "string"},
                "points": {"type": "object", "additionalProperties": {"type": "number"}},
                "intersection_density_per_sq_mi": {"type": ["integer", "null"]},
                "average_block_m": {"type": ["integer", "null"]},
                "penalties": {
                    "type": "object",
                    "properties": {
                        "intersection_density": {"type": "number"},
                        "block_length": {"type": "number"},
                    },
                },
            },
        },
        "transit": {
            "type": "object",
            "required": ["score", "routes"],
            "properties": {
                "score": {"type": "integer", "minimum": 0, "maximum": 100},
                "routes": {
                    "type": "array",
                    "description": "Lines with a stop within 10 minutes' walk",
                    "items": {
                        "type": "object",
                        "required": ["mode", "ref", "minutes"],
                        "properties": {
                            "mode": {"type": "string"},
                            "ref": {"type": "string"},
                            "minutes": {"type": "integer"},
                        },
                    },
                },
            },
        },
        "categories": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["label", "nearest", "within"],
                "properties": {
                    "label": {"type": "string"},
                    "nearest": {"type": "array", "items": {"$ref": "#/components/schemas/Place"}},
                    "within": {
                        "type": "object",
                        "required": ["5", "10", "15"],
                        "additionalProperties": {"type": "integer", "minimum": 0},
                    },
                },
            },
        },
    },
}


PATHS = {
    "/neighbourhood": {
        "get": {
            "operationId": "neighbourhood",
            "summary": "Neighbourhood facts around a point",
            "parameters": [
                {
                    "name": "lat",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "number", "minimum": -90, "maximum": 90},
                },
                {
                    "name": "lon",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "number", "minimum": -180, "maximum": 180},
                },
            ],
            "responses": {
                "200": {"description": "The facts", "content": json_body("Neighbourhood")},
                "400": INVALID_PARAMETER,
                "422": {
                    "description": "Outside the area we cover",
                    "content": json_body("Error"),
                },
            },
        }
    },
}

SCHEMAS = {"Place": _PLACE, "Neighbourhood": _NEIGHBOURHOOD}
