"""Schemas shared by every section of the API document."""

from portal.input_limits import MAX_DB_INT

# Ids are PostgreSQL integers; a larger one in a path answers 404.
LISTING_ID = {"type": "integer", "minimum": 1, "maximum": MAX_DB_INT}

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


# Text rules of portal.input_limits, as patterns (ECMA-262 and Python read them alike).
_CONTROL = "\\x00-\\x1f\\x7f-\\x9f"
_CONTROL_BUT_LINES = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
# What str.strip() removes besides control characters: a field of only these is empty.
BLANK = " \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"


def text(*, max_length: int | None = None, required: bool = False, multiline: bool = False) -> dict:
    """A text field: no control characters (line breaks allowed when ``multiline``), and
    with ``required`` at least one character that is not blank."""
    control = _CONTROL_BUT_LINES if multiline else _CONTROL
    pattern = f"^[^{control}]*[^{control}{BLANK}][^{control}]*$" if required else f"^[^{control}]*$"
    schema: dict = {"type": "string", "pattern": pattern}
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema


def or_empty(schema: dict) -> dict:
    """A query parameter that may also be sent empty (as a page's form sends it): no filter."""
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


# The staff API authenticates with a staff user's token (`flask staff token EMAIL`).
SECURITY_SCHEMES = {
    "staffToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A staff API token (`flask staff token EMAIL`, or the staff profile "
        "page). It sees what its staff user sees in the staff pages.",
    }
}
STAFF_SECURITY = [{"staffToken": []}]
UNAUTHORISED = {
    "401": {
        "description": "No token, or a token that is unknown, revoked or expired, or whose "
        "account is deactivated (`WWW-Authenticate: Bearer`)",
        "content": json_body("Error"),
    }
}

# Shapes the staff sections share.
INSTANT = {"type": "string", "format": "date-time"}
MAYBE_INSTANT = {"type": ["string", "null"], "format": "date-time"}
DAY = {"type": "string", "format": "date"}
ID_NAME = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}


def obj(properties: dict, *, optional: tuple[str, ...] = ()) -> dict:
    """An object schema requiring every property but the ``optional`` ones."""
    return {
        "type": "object",
        "required": [k for k in properties if k not in optional],
        "properties": properties,
    }


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


BAD_TEXT = {
    "400": {
        "description": "The request's text is not valid (control characters, too long)",
        "content": json_body("Error"),
    }
}
TOUR_NOT_FOUND = {
    "404": {
        "description": "No such tour, or a tour of a property the token's user does not see",
        "content": json_body("Error"),
    }
}
