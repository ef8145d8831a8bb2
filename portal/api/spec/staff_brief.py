"""/staff/tours/{id}/brief: everything on the tour brief, as data (``brief_json``)."""

from portal.api.spec.common import (
    BAD_TEXT,
    DAY,
    INSTANT,
    LISTING_ID,
    MAYBE_INSTANT,
    STAFF_SECURITY,
    TOUR_NOT_FOUND,
    UNAUTHORISED,
    json_body,
    nullable,
    obj,
)
from portal.geo.modes import COMMUTE_MODES
from portal.models.prospect import CONTACT_CHANNELS, CONTACT_PACES, LIFECYCLE_STAGES
from portal.models.tour import TOUR_KINDS, TOUR_STATUSES
from portal.prospects.topics import TOPICS

_TOUCH = nullable(
    obj(
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
_PROSPECT = obj(
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
            "items": obj(
                {
                    "id": {"type": "integer"},
                    "starts_at": INSTANT,
                    "time_zone": {"type": "string"},
                    "property_name": {"type": "string"},
                    "kind": {"enum": list(TOUR_KINDS)},
                    "status": {"enum": list(TOUR_STATUSES)},
                }
            ),
        },
        "messages": {
            "type": "array",
            "items": obj(
                {
                    "subject": {"type": "string"},
                    "kind": {"type": "string"},
                    "status": {"type": "string"},
                    "created_at": INSTANT,
                    "sent_at": MAYBE_INSTANT,
                }
            ),
        },
    }
)
_INTEREST = obj(
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
            "items": obj(
                {
                    "topic": {"enum": list(TOPICS)},
                    "label": {"type": "string"},
                    "importance": {"enum": ["must_have", "important", "nice"]},
                    "importance_label": {"type": "string"},
                    "source": {"enum": ["prospect", "agent", "inferred"]},
                    "recorded_at": MAYBE_INSTANT,
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
        "recorded_at": MAYBE_INSTANT,
        "recorded_by": {"type": ["string", "null"]},
        "most_viewed_unit_ids": {"type": "array", "items": {"type": "integer"}},
    },
}
_LOOKED_AT = obj(
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
_COMMUTE_RESULT = obj(
    {
        "mode": {"enum": list(COMMUTE_MODES)},
        "status": {"type": "string"},
        "minutes": {"type": ["integer", "null"]},
        "metres": {"type": ["integer", "null"]},
        "engine": {"type": "string"},
        "estimate": {"type": "boolean"},
    }
)
_FACT = obj(
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
_TALKING_POINT = obj(
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
_UNIT = obj(
    {
        "unit_id": {"type": "integer"},
        "number": {"type": "string"},
        "title": {"type": "string"},
        "rent_eur": {"type": "integer"},
        "bedrooms": {"type": "integer"},
        "area_m2": {"type": "number"},
        "floor": {"type": "integer"},
        "available_from": DAY,
        "score": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "concerns": {"type": "array", "items": {"type": "string"}},
        "deal_breakers": {"type": "array", "items": {"type": "string"}},
        "toured": {"type": "boolean", "description": "The home booked for this tour"},
    }
)
_BRIEF = obj(
    {
        "tour_id": {"type": "integer"},
        "kind": {"enum": list(TOUR_KINDS)},
        "status": {"enum": list(TOUR_STATUSES)},
        "version": {
            "type": "integer",
            "description": "The tour's version: send it with POST /staff/tours/{id}/capture",
        },
        "starts_at": INSTANT,
        "ends_at": INSTANT,
        "time_zone": {"type": "string"},
        "property_id": {"type": "integer"},
        "property_name": {"type": "string"},
        "property_address": {"type": "string"},
        "unit_id": {"type": ["integer", "null"]},
        "unit_title": {"type": ["string", "null"]},
        "video_room_url": {"type": ["string", "null"]},
        "checked_in_at": MAYBE_INSTANT,
        "prospect": _PROSPECT,
        "priorities": _PRIORITIES,
        "interests": {"type": "array", "items": _INTEREST},
        "browsing": obj(
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
            "items": obj(
                {
                    "destination": obj(
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

SCHEMAS = {"StaffTourBrief": _BRIEF}

PATHS = {
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
                **BAD_TEXT,
                **UNAUTHORISED,
                **TOUR_NOT_FOUND,
            },
        }
    },
}
