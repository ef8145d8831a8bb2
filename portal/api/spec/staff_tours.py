"""/staff/tours: the tours of one day (the agent's day as data)."""

from portal.api.spec.common import (
    BAD_TEXT,
    ID_NAME,
    INSTANT,
    MAYBE_INSTANT,
    STAFF_SECURITY,
    UNAUTHORISED,
    json_body,
    nullable,
    obj,
    or_empty,
)
from portal.models.tour import TOUR_KINDS, TOUR_STATUSES

_DAY_TOUR = obj(
    {
        "id": {"type": "integer"},
        "kind": {"enum": list(TOUR_KINDS)},
        "status": {"enum": list(TOUR_STATUSES)},
        "version": {
            "type": "integer",
            "description": "The tour's version: send it with POST /staff/tours/{id}/capture",
        },
        "starts_at": {**INSTANT, "description": "UTC"},
        "ends_at": {**INSTANT, "description": "UTC"},
        "local_start": {**INSTANT, "description": "In the property's zone, with its offset"},
        "local_end": INSTANT,
        "time_zone": {"type": "string", "description": "IANA zone of the property"},
        "property": ID_NAME,
        "unit": nullable(obj({"id": {"type": "integer"}, "number": {"type": "string"}})),
        "agent": nullable(ID_NAME),
        "prospect": ID_NAME,
        "checked_in_at": MAYBE_INSTANT,
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
SCHEMAS = {"StaffDayTour": _DAY_TOUR}

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
                            "schema": obj(
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
                **BAD_TEXT,
                **UNAUTHORISED,
                "422": {
                    "description": "Not a real day written YYYY-MM-DD (code invalid_date)",
                    "content": json_body("Error"),
                },
            },
        }
    },
}
