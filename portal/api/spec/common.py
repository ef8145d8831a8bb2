"""Schemas shared by every section of the API document."""

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}


def json_body(ref: str) -> dict:
    """A JSON response or request body given by a schema in components."""
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
