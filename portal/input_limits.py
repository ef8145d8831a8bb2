"""What a request may carry, checked in one place for every route, form and JSON body.

- **Integers** fit PostgreSQL's ``integer`` (every id and count is one): an ``<int:...>``
  in a URL beyond it cannot name a row and answers 404; form fields and JSON ids refuse it.
- **JSON bodies** are at most ``MAX_JSON_BYTES`` (413 unread) and ``MAX_JSON_DEPTH`` deep
  (400), so a body of 100,000 ``[`` never reaches the parser's recursion limit.
- **Text** carries no control characters (NUL, which PostgreSQL cannot store, the rest of
  C0 and C1, DEL) nor lone surrogates; multi-line fields keep tabs and line breaks. Paths
  with them answer 404, query values 400, form and JSON fields a message on the field.

``register(app)`` installs the URL converters, the JSON provider and the request checks;
forms get the text and integer rules by deriving from :class:`BoundedForm`.
"""

import re
from datetime import date
from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter, ValidationError
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms import ValidationError as FieldError

MAX_DB_INT = 2**31 - 1
MIN_DB_INT = -(2**31)
MAX_JSON_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32

_SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_MULTI_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_INTEGER = re.compile("-?[0-9]{1,20}")
_ISO_DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
_JSON_NUMBER = re.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
SINGLE_LINE_MESSAGE = "Remove the control characters (such as NUL, tabs or line breaks)."
MULTI_LINE_MESSAGE = "Remove the control characters (such as NUL); line breaks are fine."


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True if ``text`` has a character no text field of ours accepts."""
    pattern = _MULTI_LINE_FORBIDDEN if multiline else _SINGLE_LINE_FORBIDDEN
    return pattern.search(text) is not None


def json_integer(value: Any) -> int | None:
    """A JSON value as JSON Schema's ``integer`` reads it (``1.0`` is one, ``true`` is not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None


def db_id(value: Any) -> int | None:
    """A JSON value as a row id: a positive ``integer`` that PostgreSQL's ``integer`` holds."""
    number = json_integer(value)
    return number if number is not None and 1 <= number <= MAX_DB_INT else None


def parse_db_id(text: str) -> int | None:
    """``text`` as a row id if it is one written in ASCII digits, else None."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_DB_INT)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_DB_INT else None


def parse_iso_day(text: str) -> date | None:
    """A day written exactly YYYY-MM-DD in ASCII digits (not 20261124, 2026-W48 or 2026-1-5)."""
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_json_number(text: str) -> float | None:
    """``text`` as a number written as JSON writes one (not " 5", "nan", "1_0" or "٣")."""
    if len(text) > 40 or not _JSON_NUMBER.fullmatch(text):
        return None
    return float(text)


# -- URLs -------------------------------------------------------------------------------------


class DatabaseIntegerConverter(IntegerConverter):
    """``<int:...>`` that matches only what fits ``integer``: anything longer is a 404 before
    ``int()`` sees it (Python refuses to parse more than 4,300 digits). ASCII digits only:
    ``\\d`` would also take "١٢"."""

    regex = "[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DB_INT, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> Any:
        if len(value.lstrip("-")) > len(str(MAX_DB_INT)):
            raise ValidationError()
        return super().to_python(value)


_URL_TEXT = "[^/\x00-\x1f\x7f-\x9f]"


class PlainTextConverter(UnicodeConverter):
    """The default ``<name>`` converter without control characters: a URL with them matches
    no rule (a 404, not a 405 from a sibling rule of another method)."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", _URL_TEXT)


class PlainPathConverter(PathConverter):
    regex = f"{_URL_TEXT}(?:{_URL_TEXT}|/)*?"


def _check_request() -> None:
    for key, value in request.args.items(multi=True):
        if has_control_characters(key) or has_control_characters(value):
            abort(400, description="The address has control characters in it; remove them.")
    if request.is_json:
        configured = request.max_content_length
        request.max_content_length = min(configured or MAX_JSON_BYTES, MAX_JSON_BYTES)


# -- JSON -------------------------------------------------------------------------------------


def _deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading anything nested deeper than ``MAX_JSON_DEPTH`` as invalid JSON
    (so ``request.get_json`` answers 400, or None when ``silent``). Request bodies are
    also capped in size, before they are read (``_check_request``)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from exc
        if _deeper_than(value, MAX_JSON_DEPTH):
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        return value


# -- Forms ------------------------------------------------------------------------------------


class PlainText:
    """No control characters in a text field (line breaks allowed when ``multiline``)."""

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        values = field.raw_data or []
        if any(
            isinstance(v, str) and has_control_characters(v, multiline=self.multiline)
            for v in values
        ):
            raise FieldError(MULTI_LINE_MESSAGE if self.multiline else SINGLE_LINE_MESSAGE)


class DatabaseInteger:
    """An integer field takes ASCII digits (``int()`` would also take " 5", "1_0" and "٣")
    and a value that fits ``integer`` (ranges of its own may be narrower)."""

    def __call__(self, form, field) -> None:
        raw = field.raw_data[0] if field.raw_data else ""
        if raw and not _INTEGER.fullmatch(raw):
            raise FieldError("Enter a whole number, in digits.")
        if field.data is not None and not MIN_DB_INT <= field.data <= MAX_DB_INT:
            raise FieldError("Enter a smaller number.")


class IsoDateField(DateField):
    """A date field that takes exactly YYYY-MM-DD, as the API document's `format: date`."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0]:
            self.data = None
            return
        self.data = parse_iso_day(valuelist[0])
        if self.data is None:
            raise ValueError(self.gettext("Not a valid date value."))


class BoundedForm(FlaskForm):
    """A FlaskForm whose text fields refuse control characters and whose integer fields stay
    within the database's range; every form of the portal derives from it."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            rule = None
            if isinstance(field, StringField):
                rule = PlainText(multiline=isinstance(field, TextAreaField))
            elif isinstance(field, IntegerField):
                rule = DatabaseInteger()
            if rule is not None:
                # First, so that an Optional() that sees "\x1f" as blank cannot skip it.
                field.validators = [rule, *field.validators]
            return field

        def render_field(self, field, render_kw):
            """Hidden inputs render without an id (a page with several forms would repeat
            ``id="csrf_token"``) and without constraint attributes (``required``, ``min``,
            ``max`` ... are invalid HTML on ``type=hidden``); validation stays on the server."""
            kind = render_kw.get("type") or getattr(field.widget, "input_type", None)
            if kind == "hidden":
                render_kw = {**render_kw, "id": False, **dict.fromkeys(HIDDEN_INVALID, False)}
            return super().render_field(field, render_kw)


# Attributes the HTML standard does not allow on <input type=hidden>.
HIDDEN_INVALID = ("required", "min", "max", "minlength", "maxlength", "pattern", "step")


def register(app: Flask) -> None:
    """Install the limits; call before any blueprint so every rule uses these converters."""
    app.url_map.converters |= {
        "int": DatabaseIntegerConverter,
        "default": PlainTextConverter,
        "string": PlainTextConverter,
        "path": PlainPathConverter,
    }
    app.json = BoundedJSONProvider(app)
    app.before_request(_check_request)
