"""/staff/tours (the agent's day) and /staff/tours/{id}/brief (everything on the brief)."""

from portal.api.spec.common import (
    LISTING_ID,
    STAFF_SECURITY,
    UNAUTHORISED,
    json_body,
    or_empty,
)
from portal.geo.modes import COMMUTE_MODES
from portal.models.prospect import CONTACT_CHANNELS, CONTACT_PACES, LIFECYCLE_STAGES
from portal.models.tour import TOUR_KINDS, TOUR_STATUSES
from portal.prospects.topics import TOPICS

_INSTANT = {"type": "string", "format": "date-time"}
_MAYBE_INSTANT = {"type": ["string", "null"], "format": "date-time"}
_DAY = {"type": "string", "format": "date"}
_ID_NAME = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}


def _object(properties: dict, *, optional: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "required": [k for k in properties if k not in optional],
        "properties": properties,
    }


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


_DAY_TOUR = _object(
    {
        "id": {"type": "integer"},
        "kind": {"enum": list(TOUR_KINDS)},
        "status": {"enum": list(TOUR_STATUSES)},
        "version": {
            "type": "integer",
            "description": "The tour's version: send it with POST /staff/tours/{id}/capture",
        },
        "starts_at": {**_INSTANT, "description": "UTC"},
        "ends_at": {**_INSTANT, "description": "UTC"},
        "local_start": {**_INSTANT, "description": "In the property's zone, with its offset"},
        "local_end": _INSTANT,
        "time_zone": {"type": "string", "description": "IANA zone of the property"},
        "property": _ID_NAME,
        "unit": _nullable(_object({"id": {"type": "integer"}, "number": {"type": "string"}})),
        "agent": _nullable(_ID_NAME),
        "prospect": _ID_NAME,
        "checked_in_at": _MAYBE_INSTANT,
        "video_room_url": {"type": ["string", "null"]},
        "can_start_video": {
            "type": "boolean",
            "description": "A video tour with a room, from 10 minutes before its start to its end",
        },
        "can_check_in": {
            "type": "boolean",
            "description": "Confirmed, not checked in, from 30 minutes before the start to the end",
        },
        "brief_url": {"type": "string", "format": "uri"},
    }
)
_TOUCH = _nullable(
    _object(
        {
            "source": {
                "type": "string",
                "description": "utm_source, the referrer's host or direct",
            },
            "medium": {"type": ["string", "null"]},
            "campaign": {"type": ["string", "null"]},
            "referrer": {"type": ["string", "null"]},
            "at": {"type": ["string", "null"]},
        }
    )
)
_PROSPECT = _object(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "email": {"type": "string"},
        "phone": {"type": "string"},
        "channel": {"enum": list(CONTACT_CHANNELS)},
        "channel_rule": {
            "type": "string",
            "description": 'e.g. "Prefers email: do not call or text"',
        },
        "pace": {"enum": list(CONTACT_PACES)},
        "pace_rule": {"type": "string"},
        "unsubscribed": {"type": "boolean"},
        "stage": {"enum": list(LIFECYCLE_STAGES)},
        "stage_label": {"type": "string"},
        "first_touch": _TOUCH,
        "last_touch": _TOUCH,
        "previous_tours": {
            "type": "array",
            "items": _object(
                {
                    "id": {"type": "integer"},
                    "starts_at": _INSTANT,
                    "time_zone": {"type": "string"},
                    "property_name": {"type": "string"},
                    "kind": {"enum": list(TOUR_KINDS)},
                    "status": {"enum": list(TOUR_STATUSES)},
                }
            ),
        },
        "messages": {
            "type": "array",
            "items": _object(
                {
                    "subject": {"type": "string"},
                    "kind": {"type": "string"},
                    "status": {"type": "string"},
                    "created_at": _INSTANT,
                    "sent_at": _MAYBE_INSTANT,
                }
            ),
        },
    }
)
_INTEREST = _object(
    {
        "topic": {"type": "string"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "evidence": {"type": "string"},
        "listings": {"type": "integer"},
    }
)
_PRIORITIES = {
    "type": "object",
    "required": ["ranked", "by_importance", "budget_max", "bedrooms", "move_in", "notes"],
    "properties": {
        "ranked": {
            "type": "array",
            "description": "Stated topics, most important first",
            "items": _object(
                {
                    "topic": {"enum": list(TOPICS)},
                    "label": {"type": "string"},
                    "importance": {"enum": ["must_have", "important", "nice"]},
                    "importance_label": {"type": "string"},
                    "source": {"enum": ["prospect", "agent", "inferred"]},
                    "recorded_at": _MAYBE_INSTANT,
                }
            ),
        },
        "by_importance": {"type": "object"},
        "budget_min": {"type": ["integer", "null"], "description": "EUR a month"},
        "budget_max": {"type": ["integer", "null"], "description": "EUR a month"},
        "bedrooms": {"type": ["integer", "null"]},
        "move_in": {"type": ["string", "null"], "format": "date"},
        "commute_max_minutes": {"type": ["integer", "null"]},
        "notes": {"type": "string"},
        "recorded_at": _MAYBE_INSTANT,
        "recorded_by": {"type": ["string", "null"]},
        "most_viewed_unit_ids": {"type": "array", "items": {"type": "integer"}},
    },
}
_LOOKED_AT = _object(
    {
        "unit_id": {"type": "integer"},
        "title": {"type": "string"},
        "property_name": {"type": "string"},
        "views": {"type": "integer"},
        "dwell_seconds": {"type": "integer", "description": "Seconds on the listing page"},
        "photos": {"type": "integer"},
        "window_views": {"type": "integer"},
        "virtual_tours": {"type": "integer"},
        "commute_checks": {"type": "integer"},
        "favourite": {"type": "boolean"},
    }
)
_COMMUTE_RESULT = _object(
    {
        "mode": {"enum": list(COMMUTE_MODES)},
        "status": {"type": "string"},
        "minutes": {"type": ["integer", "null"]},
        "metres": {"type": ["integer", "null"]},
        "engine": {"type": "string"},
        "estimate": {"type": "boolean"},
    }
)
_FACT = _object(
    {
        "label": {"type": "string"},
        "value": {"type": ["integer", "number", "string", "boolean", "null"]},
        "unit": {
            "type": "string",
            "description": 'min, /100, Mbit/s, EUR/month, date, places, or "" (a name)',
        },
        "place": {"type": ["string", "null"], "description": "The place, line or destination"},
        "text": {"type": "string", "description": "The figure as the public page words it"},
    }
)
_TALKING_POINT = _object(
    {
        "topic": {"type": "string", "description": 'A priority topic, or "rent"'},
        "label": {"type": "string"},
        "importance": {"enum": ["must_have", "important", "nice", "inferred", None]},
        "section_anchor": {"type": "string"},
        "section": {"type": "string", "description": "The public listing page's section"},
        "listing_url": {"type": ["string", "null"], "format": "uri"},
        "facts": {"type": "array", "items": _FACT},
        "note": {"type": "string"},
    }
)
_UNIT = _object(
    {
        "unit_id": {"type": "integer"},
        "number": {"type": "string"},
        "title": {"type": "string"},
        "rent_eur": {"type": "integer"},
        "bedrooms": {"type": "integer"},
        "area_m2": {"type": "number"},
        "floor": {"type": "integer"},
        "available_from": _DAY,
        "score": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "concerns": {"type": "array", "items": {"type": "string"}},
        "deal_breakers": {"type": "array", "items": {"type": "string"}},
        "toured": {"type": "boolean", "description": "The home booked for this tour"},
    }
)
_BRIEF = _object(
    {
        "tour_id": {"type": "integer"},
        "kind": {"enum": list(TOUR_KINDS)},
        "status": {"enum": list(TOUR_STATUSES)},
        "version": {
            "type": "integer",
            "description": "The tour's version: send it with POST /staff/tours/{id}/capture",
        },
        "starts_at": _INSTANT,
        "ends_at": _INSTANT,
        "time_zone": {"type": "string"},
        "property_id": {"type": "integer"},
        "property_name": {"type": "string"},
        "property_address": {"type": "string"},
        "unit_id": {"type": ["integer", "null"]},
        "unit_title": {"type": ["string", "null"]},
        "video_room_url": {"type": ["string", "null"]},
        "checked_in_at": _MAYBE_INSTANT,
        "prospect": _PROSPECT,
        "priorities": _PRIORITIES,
        "interests": {"type": "array", "items": _INTEREST},
        "browsing": _object(
            {
                "listings": {"type": "array", "items": _LOOKED_AT},
                "categories_expanded": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                    "description": "Category -> on how many listings its list was opened",
                },
                "favourites": {"type": "array", "items": _LOOKED_AT},
                "comparisons": {"type": "integer"},
            }
        ),
        "commutes": {
            "type": "array",
            "items": _object(
                {
                    "destination": _object(
                        {
                            "label": {"type": "string"},
                            "address": {"type": "string"},
                            "mode": {"enum": list(COMMUTE_MODES)},
                            "arrive_by": {"type": ["string", "null"]},
                        }
                    ),
                    "by_mode": {"type": "object", "additionalProperties": _COMMUTE_RESULT},
                }
            ),
        },
        "talking_points": {"type": "array", "items": _TALKING_POINT},
        "units": {"type": "array", "items": _UNIT},
        "booking_topics": {"type": "array", "items": {"type": "string"}},
        "booking_note": {"type": "string"},
    }
)

SCHEMAS = {"StaffDayTour": _DAY_TOUR, "StaffTourBrief": _BRIEF}

_BAD_REQUEST = {
    "400": {
        "description": "The request's text is not valid (control characters, too long)",
        "content": json_body("Error"),
    }
}
_NOT_FOUND = {
    "404": {
        "description": "No such tour, or a tour of a property the token's user does not see",
        "content": json_body("Error"),
    }
}

PATHS = {
    "/staff/tours": {
        "get": {
            "operationId": "listStaffTours",
            "summary": "The tours of one day that the token's staff user sees",
            "description": "Agents: their own tours and the self-guided tours of their "
            "properties. Admins: every tour. Marketers: none (no personal data).",
            "security": STAFF_SECURITY,
            "parameters": [
                {
                    "name": "date",
                    "in": "query",
                    "required": False,
                    "description": "YYYY-MM-DD, the local day in each property's zone; "
                    "default: today in each property's zone",
                    "schema": or_empty(
                        {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
                    ),
                }
            ],
            "responses": {
                "200": {
                    "description": "The day's tours, by start",
                    "content": {
                        "application/json": {
                            "schema": _object(
                                {
                                    "date": {"type": ["string", "null"], "format": "date"},
                                    "tours": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/StaffDayTour"},
                                    },
                                }
                            )
                        }
                    },
                },
                **_BAD_REQUEST,
                **UNAUTHORISED,
                "422": {
                    "description": "Not a real day written YYYY-MM-DD (code invalid_date)",
                    "content": json_body("Error"),
                },
            },
        }
    },
    "/staff/tours/{tour_id}/brief": {
        "get": {
            "operationId": "getStaffTourBrief",
            "summary": "Everything on the tour brief, as data",
            "security": STAFF_SECURITY,
            "parameters": [
                {"name": "tour_id", "in": "path", "required": True, "schema": LISTING_ID}
            ],
            "responses": {
                "200": {"description": "The brief", "content": json_body("StaffTourBrief")},
                **_BAD_REQUEST,
                **UNAUTHORISED,
                **_NOT_FOUND,
            },
        }
    },
}
