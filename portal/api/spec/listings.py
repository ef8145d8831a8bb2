"""/listings and /listings/{id}."""

from portal.api.spec.common import LISTING_ID, json_body, or_empty
from portal.api.spec.geo import COMMUTE_PARAMETERS
from portal.listings.forms import MAX_PAGE, MAX_RENT_LIMIT

_INTERNET = {
    "type": "object",
    "required": ["provider", "technology", "max_down_mbps", "max_up_mbps"],
    "properties": {
        "provider": {"type": "string"},
        "technology": {"enum": ["fibre", "cable", "dsl", "5g", "4g"]},
        "max_down_mbps": {"type": "integer", "minimum": 1},
        "max_up_mbps": {"type": "integer", "minimum": 1},
    },
    "additionalProperties": False,
}

_MEDIA = {
    "type": "object",
    "required": ["kind", "url", "alt_text"],
    "properties": {
        "kind": {"enum": ["photo", "floor_plan", "window_view", "virtual_tour", "video"]},
        "url": {"type": "string", "format": "uri"},
        "alt_text": {"type": "string"},
        "caption": {"type": "string"},
        "room": {"type": ["string", "null"]},
        "floor": {"type": ["integer", "null"]},
    },
    "additionalProperties": False,
}

_PROPERTY = {
    "type": "object",
    "required": ["id", "slug", "name", "address", "lat", "lon", "time_zone"],
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "address": {"type": "string"},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
        "time_zone": {"type": "string", "description": "IANA time zone name"},
        "tagline": {"type": "string"},
        "description": {"type": "string"},
        "amenities": {"type": "array", "items": {"type": "string"}},
        "year_built": {"type": ["integer", "null"]},
        "floors": {"type": ["integer", "null"]},
        "internet": {"type": "array", "items": {"$ref": "#/components/schemas/InternetService"}},
        "media": {"type": "array", "items": {"$ref": "#/components/schemas/Media"}},
    },
    "additionalProperties": False,
}

_LISTING = {
    "type": "object",
    "required": [
        "id",
        "title",
        "number",
        "floor",
        "bedrooms",
        "bathrooms",
        "area_m2",
        "rent_eur",
        "available_from",
        "orientation",
        "view",
        "status",
        "url",
        "property",
    ],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "number": {"type": "string"},
        "floor": {"type": "integer"},
        "bedrooms": {"type": "integer", "minimum": 0},
        "bathrooms": {"type": "number", "minimum": 1},
        "area_m2": {"type": "number", "exclusiveMinimum": 0},
        "rent_eur": {"type": "integer", "minimum": 1, "description": "Monthly rent in euros"},
        "available_from": {"type": "string", "format": "date"},
        "orientation": {"enum": ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]},
        "view": {"type": "string"},
        "status": {"enum": ["available", "reserved"]},
        "url": {"type": "string", "format": "uri"},
        "property": {"$ref": "#/components/schemas/Property"},
        "description": {"type": "string"},
        "media": {"type": "array", "items": {"$ref": "#/components/schemas/Media"}},
        "commute": {
            "$ref": "#/components/schemas/ListingCommute",
            "description": "Present when the search had `commute_to` with a filter or sort",
        },
        "neighbourhood": {
            "oneOf": [{"$ref": "#/components/schemas/Neighbourhood"}, {"type": "null"}],
            "description": "Detail only; null outside the area we cover",
        },
    },
    "additionalProperties": False,
}

_LISTING_PAGE = {
    "type": "object",
    "required": ["items", "total", "page", "pages", "per_page"],
    "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Listing"}},
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
    },
    "additionalProperties": False,
}


_FILTER_PARAMETERS = [
    {
        "name": "bedrooms",
        "in": "query",
        "description": "At least this many bedrooms (0 = studio); empty: any",
        "schema": or_empty({"type": "integer", "minimum": 0, "maximum": 3}),
    },
    {
        "name": "max_rent",
        "in": "query",
        "description": "Highest monthly rent in euros",
        "schema": or_empty({"type": "integer", "minimum": 1, "maximum": MAX_RENT_LIMIT}),
    },
    {
        "name": "available_by",
        "in": "query",
        "description": "Available on or before this date",
        "schema": or_empty({"type": "string", "format": "date"}),
    },
    *COMMUTE_PARAMETERS,
    {
        "name": "page",
        "in": "query",
        "schema": or_empty({"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
    },
]


PATHS = {
    "/listings": {
        "get": {
            "operationId": "listListings",
            "summary": "Search listed units",
            "parameters": _FILTER_PARAMETERS,
            "responses": {
                "200": {
                    "description": "One page of listings",
                    "content": json_body("ListingPage"),
                },
                "400": {"description": "A filter is not valid", "content": json_body("Error")},
                "422": {
                    "description": "`commute_to` is unknown, ambiguous or outside coverage",
                    "content": json_body("GeocodeError"),
                },
            },
        }
    },
    "/listings/{id}": {
        "get": {
            "operationId": "getListing",
            "summary": "One listing with its property, media and internet service",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": LISTING_ID},
            ],
            "responses": {
                "200": {"description": "The listing", "content": json_body("ListingDetail")},
                "404": {"description": "No such listing", "content": json_body("Error")},
            },
        }
    },
}

SCHEMAS = {
    "InternetService": _INTERNET,
    "Media": _MEDIA,
    "Property": _PROPERTY,
    "Listing": _LISTING,
    "ListingDetail": {
        "allOf": [{"$ref": "#/components/schemas/Listing"}],
        "required": ["description", "media", "neighbourhood"],
    },
    "ListingPage": _LISTING_PAGE,
}
