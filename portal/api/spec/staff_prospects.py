"""/staff/prospects and /staff/prospects/{id}/timeline: the staff prospects pages as data."""

from portal.api.spec.common import (
    LISTING_ID,
    STAFF_SECURITY,
    UNAUTHORISED,
    json_body,
    or_empty,
    text,
)
from portal.models import LIFECYCLE_STAGES
from portal.prospects.staff_list import LAST_CONTACT_CHOICES, MAX_PER_PAGE
from portal.prospects.timeline import TIMELINE_KINDS

_ID = LISTING_ID
_TIME = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS = {
    "StaffProspect": {
        "type": "object",
        "required": ["id", "name", "email", "phone", "stage", "next_tour"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "email": {"type": ["string", "null"]},
            "phone": {"type": "string"},
            "stage": {"enum": list(LIFECYCLE_STAGES)},
            "lost_reason": {"type": ["string", "null"]},
            "source": {"type": ["string", "null"], "description": "First-touch utm_source"},
            "assigned_agent_id": {"type": ["integer", "null"]},
            "created_at": _TIME,
            "last_contact_at": {**_TIME, "description": "A tour recorded or a note"},
            "last_seen_at": _TIME,
            "next_tour": {
                "type": ["object", "null"],
                "properties": {
                    "id": {"type": "integer"},
                    "starts_at": {"type": "string", "format": "date-time"},
                    "property_id": {"type": "integer"},
                    "status": {"type": "string"},
                },
            },
        },
    },
    "StaffProspectList": {
        "type": "object",
        "required": ["items", "next_after"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/StaffProspect"}},
            "next_after": {
                "type": ["integer", "null"],
                "description": "Pass as `after` for the next page; null on the last page",
            },
        },
    },
    "StaffTimeline": {
        "type": "object",
        "required": ["prospect", "entries"],
        "properties": {
            "prospect": {"$ref": "#/components/schemas/StaffProspect"},
            "entries": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["at", "kind", "title", "details", "actor", "ref"],
                    "properties": {
                        "at": {"type": "string", "format": "date-time"},
                        "kind": {"enum": list(TIMELINE_KINDS)},
                        "title": {"type": "string"},
                        "details": {"type": "array", "items": {"type": "string"}},
                        "actor": {"type": ["string", "null"]},
                        "ref": {"type": "object", "description": "Ids of the rows behind it"},
                    },
                },
            },
        },
    },
}

_FORBIDDEN = {
    "403": {"description": "A marketer's token: no personal data", "content": json_body("Error")}
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "schema": or_empty(schema), "description": description}


PATHS = {
    "/staff/prospects": {
        "get": {
            "operationId": "listStaffProspects",
            "summary": "Prospects the token sees, filtered as on /staff/prospects, newest first",
            "security": STAFF_SECURITY,
            "parameters": [
                _query(
                    "q",
                    text(max_length=100),
                    "Part of the name, email or phone, case-insensitive: three or more "
                    "characters match anywhere, one or two the start of a word (a word is "
                    "a run of letters and digits; `jo` finds John and jo.k@example.com)",
                ),
                _query("stage", {"enum": list(LIFECYCLE_STAGES)}, "Lead stage"),
                _query(
                    "property_id",
                    {"type": "string", "pattern": "^[0-9]{1,10}$"},
                    "Toured or booked at this property (one of the token's)",
                ),
                _query(
                    "agent_id",
                    {"type": "string", "pattern": "^[0-9]{1,10}$"},
                    "Assigned to this agent or toured with them",
                ),
                _query("source", text(max_length=100), "First-touch utm_source"),
                _query("last_contact", {"enum": list(LAST_CONTACT_CHOICES)}, "Last contact"),
                _query("upcoming_tour", {"enum": ["yes", "no"]}, "Has an upcoming tour"),
                _query("after", {**_ID, "type": "integer"}, "`next_after` of the page before"),
                _query(
                    "limit",
                    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                    "Page size (25 by default)",
                ),
            ],
            "responses": {
                "200": {"description": "One page", "content": json_body("StaffProspectList")},
                "400": {"description": "A filter is not valid", "content": json_body("Error")},
                **UNAUTHORISED,
                **_FORBIDDEN,
            },
        }
    },
    "/staff/prospects/{id}/timeline": {
        "get": {
            "operationId": "getStaffProspectTimeline",
            "summary": "Everything recorded about a prospect, newest first",
            "security": STAFF_SECURITY,
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": _ID}],
            "responses": {
                "200": {"description": "The timeline", "content": json_body("StaffTimeline")},
                **UNAUTHORISED,
                **_FORBIDDEN,
                "404": {
                    "description": "No such prospect among the token's",
                    "content": json_body("Error"),
                },
            },
        }
    },
}
