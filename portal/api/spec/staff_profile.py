"""/staff/me: whom a staff API token acts as."""

from portal.api.spec.common import STAFF_SECURITY, UNAUTHORISED, json_body

SCHEMAS = {
    "StaffMe": {
        "type": "object",
        "required": ["id", "name", "email", "role", "property_ids", "sees_personal_data"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "email": {"type": "string"},
            "role": {"enum": ["agent", "marketer", "admin"]},
            "property_ids": {
                "type": ["array", "null"],
                "items": {"type": "integer"},
                "description": "The properties whose tours and prospects the token sees; "
                "null for an admin, who sees every property",
            },
            "sees_personal_data": {
                "type": "boolean",
                "description": "False for marketers: no prospect's contact data",
            },
            "token": {
                "type": "object",
                "required": ["name", "prefix", "expires_at"],
                "properties": {
                    "name": {"type": "string"},
                    "prefix": {"type": "string"},
                    "expires_at": {"type": ["string", "null"], "format": "date-time"},
                },
            },
        },
    }
}

PATHS = {
    "/staff/me": {
        "get": {
            "operationId": "getStaffMe",
            "summary": "The staff user a token acts as, and what it may see",
            "security": STAFF_SECURITY,
            "responses": {
                "200": {"description": "The token's staff user", "content": json_body("StaffMe")},
                **UNAUTHORISED,
            },
        }
    }
}
