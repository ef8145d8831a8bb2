"""/staff/prospects/{id}/followups: a prospect's follow-up messages for staff tokens."""

from portal.api.spec.common import STAFF_SECURITY, UNAUTHORISED, json_body
from portal.models import FOLLOWUP_TRIGGERS, MESSAGE_STATUSES, STEP_CONTENTS

_INSTANT = {"type": "string", "format": "date-time"}

SCHEMAS = {
    "FollowupMessage": {
        "type": "object",
        "required": [
            "id",
            "plan",
            "step",
            "channel",
            "status",
            "skip_reason",
            "scheduled_for",
            "sent_at",
            "subject",
            "text",
            "facts",
        ],
        "properties": {
            "id": {"type": "integer"},
            "plan": {
                "type": "object",
                "required": ["id", "name", "trigger"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "trigger": {"enum": list(FOLLOWUP_TRIGGERS)},
                },
            },
            "step": {
                "type": "object",
                "required": ["position", "content", "topic"],
                "properties": {
                    "position": {"type": "integer", "minimum": 1},
                    "content": {"enum": list(STEP_CONTENTS)},
                    "topic": {
                        "type": ["string", "null"],
                        "description": "The priority topic or content the message speaks to",
                    },
                },
            },
            "channel": {"enum": ["email", "sms", "phone"]},
            "status": {
                "enum": list(MESSAGE_STATUSES),
                "description": "`sending`: handed to the outbox, not yet accepted by the mail "
                "server; `awaiting_review` also holds phone tasks for the agent",
            },
            "skip_reason": {
                "type": ["string", "null"],
                "description": "Why it was skipped (or failed); for a pending message, why "
                "it would be skipped if nothing changes",
            },
            "scheduled_for": {**_INSTANT, "description": "When it goes (or went) out"},
            "sent_at": {"anyOf": [_INSTANT, {"type": "null"}]},
            "subject": {"type": ["string", "null"]},
            "text": {
                "type": ["string", "null"],
                "description": "The plain-text body: as sent, or as it would be sent now",
            },
            "facts": {
                "type": "array",
                "description": "Every fact the message states, from the listing's facts",
                "items": {
                    "type": "object",
                    "required": ["key", "value"],
                    "properties": {"key": {"type": "string"}, "value": {"type": "string"}},
                },
            },
        },
    },
    "FollowupList": {
        "type": "object",
        "required": ["prospect_id", "followups"],
        "properties": {
            "prospect_id": {"type": "integer"},
            "followups": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/FollowupMessage"},
            },
        },
    },
}

PATHS = {
    "/staff/prospects/{prospect_id}/followups": {
        "get": {
            "operationId": "listProspectFollowups",
            "summary": "A prospect's follow-ups: queued (with the text as it would go now), "
            "sent and skipped with the reason",
            "security": STAFF_SECURITY,
            "parameters": [
                {
                    "name": "prospect_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                }
            ],
            "responses": {
                "200": {
                    "description": "The prospect's follow-ups",
                    "content": json_body("FollowupList"),
                },
                **UNAUTHORISED,
                "404": {
                    "description": "No such prospect among the token's (same rule as the pages)",
                    "content": json_body("Error"),
                },
            },
        }
    }
}
