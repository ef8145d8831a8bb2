"""/staff/tours/{id}/capture: the agent's completion form as JSON."""

from portal.api.spec.common import (
    LISTING_ID,
    STAFF_SECURITY,
    UNAUTHORISED,
    json_body,
    text,
)
from portal.models import NEXT_STEPS, OBJECTIONS
from portal.prospects.priorities import IMPORTANCE_LEVELS, NOTES_MAX
from portal.prospects.topics import TOPICS
from portal.tours.capture import LIMITS

_NULLABLE_INT = {"type": ["integer", "null"]}

PRIORITIES = {
    "type": "object",
    "description": "The complete set of answers as learned in person; stored as a new "
    "priority version with source `agent` when it differs from the current one",
    "properties": {
        "importance": {
            "type": "object",
            "propertyNames": {"enum": list(TOPICS)},
            "additionalProperties": {"enum": list(IMPORTANCE_LEVELS)},
        },
        "commute_max_minutes": {**_NULLABLE_INT, "minimum": 5, "maximum": 180},
        "budget_min": {**_NULLABLE_INT, "minimum": 0, "maximum": 100_000},
        "budget_max": {**_NULLABLE_INT, "minimum": 1, "maximum": 100_000},
        "bedrooms": {**_NULLABLE_INT, "minimum": 0, "maximum": 10},
        "move_in": {"type": ["string", "null"], "format": "date"},
        "notes": text(max_length=NOTES_MAX, multiline=True),
    },
    "additionalProperties": False,
}

SCHEMAS = {
    "TourCaptureRequest": {
        "type": "object",
        "required": ["version", "interest_level", "next_step"],
        "properties": {
            "version": {
                "type": "integer",
                "minimum": 1,
                "description": "The tour `version` the form was built from; another "
                "version now is a 409",
            },
            "interest_level": {"type": "integer", "minimum": 1, "maximum": 5},
            "units_shown": {
                "type": "array",
                "items": LISTING_ID,
                "description": "Unit ids; each must belong to the tour's community",
            },
            "liked": text(max_length=LIMITS["liked"], multiline=True),
            "objections": {
                "type": "array",
                "items": {"enum": list(OBJECTIONS)},
                "description": "The shared objection taxonomy; `other` needs `objection_note`",
            },
            "objection_note": text(max_length=LIMITS["objection_note"]),
            "next_step": {"enum": list(NEXT_STEPS)},
            "decide_by": {
                "type": ["string", "null"],
                "format": "date",
                "description": "Required for `decide_by`: from today to a year ahead",
            },
            "lost_reason": {
                "anyOf": [text(max_length=LIMITS["lost_reason"]), {"type": "null"}],
                "description": "Required for `lost`",
            },
            "notes": text(max_length=LIMITS["notes"], multiline=True),
            "priorities": {"anyOf": [PRIORITIES, {"type": "null"}]},
        },
        "additionalProperties": False,
    },
    "TourCapture": {
        "type": "object",
        "required": [
            "tour_id",
            "tour_status",
            "version",
            "prospect_id",
            "prospect_stage",
            "interest_level",
            "objections",
            "next_step",
        ],
        "properties": {
            "tour_id": {"type": "integer"},
            "tour_status": {"const": "completed"},
            "version": {"type": "integer", "description": "The tour's version after saving"},
            "prospect_id": {"type": "integer"},
            "prospect_stage": {"type": "string"},
            "units_shown": {"type": "array", "items": {"type": "integer"}},
            "interest_level": {"type": "integer", "minimum": 1, "maximum": 5},
            "liked": {"type": "string"},
            "objections": {"type": "array", "items": {"enum": list(OBJECTIONS)}},
            "objection_note": {"type": "string"},
            "next_step": {"enum": list(NEXT_STEPS)},
            "decide_by": {"type": ["string", "null"], "format": "date"},
            "lost_reason": {"type": ["string", "null"]},
            "notes": {"type": "string"},
            "recorded_by": {"type": ["integer", "null"]},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "CaptureConflict": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "current_version", "status"],
                "properties": {
                    "code": {"const": "conflict"},
                    "message": {"type": "string"},
                    "current_version": {"type": "integer"},
                    "status": {"type": "string"},
                },
            }
        },
    },
}

PATHS = {
    "/staff/tours/{id}/capture": {
        "post": {
            "operationId": "captureTour",
            "summary": "Record a tour as completed with what was learned on it",
            "description": "The staff completion form as JSON, with its validation. Marks "
            "the tour completed, saves the priorities learned in person (source `agent`), "
            "moves the lead stage (toured; applied for `apply`; lost with the reason) and "
            "starts the follow-ups. Recording again edits the capture in place.",
            "security": STAFF_SECURITY,
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": LISTING_ID}],
            "requestBody": {"required": True, "content": json_body("TourCaptureRequest")},
            "responses": {
                "200": {"description": "Recorded", "content": json_body("TourCapture")},
                "400": {"description": "Not a JSON object", "content": json_body("Error")},
                **UNAUTHORISED,
                "404": {
                    "description": "No such tour among the token's",
                    "content": json_body("Error"),
                },
                "409": {
                    "description": "The tour is cancelled, a no-show, not started or "
                    "changed since `version`; nothing was stored",
                    "content": json_body("CaptureConflict"),
                },
                "422": {
                    "description": "A field is not valid (named in `fields`); nothing was stored",
                    "content": json_body("Error"),
                },
            },
        }
    }
}
