"""JSON request bodies: one object whose fields have the JSON types the API document gives.

The fields then go through the same WTForms forms as the pages (text rules included), so
a body is checked against the document's types here and against the forms' rules there.
"""

from flask import abort, request
from werkzeug.datastructures import MultiDict

from portal.input_limits import MAX_DB_INT, MIN_DB_INT, json_integer


def json_object() -> dict:
    """The request's JSON object (a 400 for anything else, malformed or too deep)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, description="Send a JSON object.")
    return body


def _type_error(value, schema: dict) -> str | None:
    kind = schema.get("type")
    if kind == "array":
        if not isinstance(value, list):
            return "Send a list."
        item = schema.get("items", {})
        errors = (_type_error(v, item) for v in value)
        return next((e for e in errors if e), None)
    if kind == "integer":
        low, high = schema.get("minimum", MIN_DB_INT), schema.get("maximum", MAX_DB_INT)
        number = json_integer(value)
        if number is None or not low <= number <= high:
            return f"Send a whole number from {low} to {high}."
        return None
    if kind == "string" or "enum" in schema or "pattern" in schema:
        return None if isinstance(value, str) else "Send text."
    return None


def form_fields(body: dict, schema: dict) -> tuple[MultiDict, dict[str, list[str]]]:
    """The body's fields as form data for the shared validation, with a type error for each
    field that the document (``schema``, a request body's object schema) types otherwise.

    Fields the document does not describe are left out.
    """
    properties = schema.get("properties", {})
    pairs, errors = [], {}
    for name, value in body.items():
        field = properties.get(name)
        if field is None:
            continue
        message = _type_error(value, field)
        if message:
            errors[name] = [message]
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item if isinstance(item, str) else str(item)))
    return MultiDict(pairs), errors
