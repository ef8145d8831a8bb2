"""/listings/{id}/tour-slots, /tours and /tours/{token} (reschedule, cancel)."""

from portal.api.spec.common import BLANK, LISTING_ID, json_body, text
from portal.models.tour import TOUR_CONTACT_CHANNELS, TOUR_STATUSES
from portal.tours.forms import PRIORITIES

_INSTANT = {"type": "string", "format": "date-time"}
_TOKEN = {
    "name": "token",
    "in": "path",
    "required": True,
    "description": "The tour's 128-bit manage token (from the booking response or the email)",
    "schema": {"type": "string", "minLength": 22, "maxLength": 22},
}
_KINDS = {"enum": ["guided", "self_guided", "video"]}
_PRIORITIES = {"type": "array", "items": {"enum": list(PRIORITIES)}}
_IDEMPOTENCY_KEY = {"type": "string", "pattern": "^(?:[A-Za-z0-9_-]{16,64})?$"}
_NOTE = text(max_length=500, multiline=True)
# The email validator refuses the special-use domains of RFC 6761 and friends, in any case.
_RESERVED_DOMAIN = "\\.(?:{})\\.?$".format(
    "|".join(
        "".join(f"[{c}{c.upper()}]" for c in tld)
        for tld in ("arpa", "invalid", "local", "localhost", "onion", "test")
    )
)

_SLOT = {
    "type": "object",
    "required": ["start", "end", "start_utc"],
    "properties": {
        "start": {**_INSTANT, "description": "Local start with the property's UTC offset"},
        "end": {**_INSTANT, "description": "Local end with the property's UTC offset"},
        "start_utc": {**_INSTANT, "description": "The value to send back when booking"},
        "remaining": {"type": "integer", "minimum": 1, "description": "Self-guided places left"},
    },
    "additionalProperties": False,
}

_SLOT_LIST = {
    "type": "object",
    "required": ["listing_id", "type", "time_zone", "slots"],
    "properties": {
        "listing_id": {"type": "integer"},
        "type": _KINDS,
        "time_zone": {"type": "string", "description": "IANA time zone of the property"},
        "slots": {"type": "array", "items": {"$ref": "#/components/schemas/TourSlot"}},
    },
    "additionalProperties": False,
}

_KEY_RULES = (
    "Or the Idempotency-Key header. Kept for 24 hours per client address with a hash of "
    "the request: a retry with the same body returns the same tour (200); the same key "
    "with a different body is refused (422, code idempotency_key_reused); after 24 hours "
    "the key books anew."
)

_BOOKING_REQUEST = {
    "type": "object",
    "required": ["listing_id", "type", "start", "name", "email"],
    "properties": {
        "listing_id": LISTING_ID,
        "type": _KINDS,
        "start": {**_INSTANT, "description": "A slot start from tour-slots, with its offset"},
        "name": text(max_length=120, required=True),
        "email": {
            "type": "string",
            "format": "email",
            "maxLength": 254,
            "not": {"pattern": _RESERVED_DOMAIN},
            "description": "Deliverable: addresses at the reserved domains (.test, .local, "
            ".localhost, .invalid, .onion, .arpa) are refused",
        },
        "phone": {
            "type": "string",
            "maxLength": 40,
            "pattern": f"^(?:[{BLANK}]*|\\+?[0-9 ()-]{{5,40}})$",
            "description": "Needed for the `phone` and `sms` contact channels",
        },
        "contact_channel": {"enum": list(TOUR_CONTACT_CHANNELS), "default": "email"},
        "priorities": _PRIORITIES,
        "priorities_note": _NOTE,
        "idempotency_key": {
            **_IDEMPOTENCY_KEY,
            "description": _KEY_RULES,
        },
    },
}

_TOUR = {
    "type": "object",
    "required": [
        "status",
        "type",
        "type_name",
        "start",
        "end",
        "time_zone",
        "sequence",
        "property",
        "name",
        "email",
        "contact_channel",
        "priorities",
        "manage_url",
        "calendar_url",
    ],
    "properties": {
        "status": {"enum": list(TOUR_STATUSES)},
        "type": _KINDS,
        "type_name": {"type": "string"},
        "start": _INSTANT,
        "end": _INSTANT,
        "time_zone": {"type": "string"},
        "sequence": {"type": "integer", "minimum": 0},
        "listing_id": {"type": ["integer", "null"]},
        "property": {
            "type": "object",
            "required": ["id", "name", "address"],
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "address": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "agent_name": {"type": ["string", "null"]},
        "video_room_url": {"type": ["string", "null"], "format": "uri"},
        "access_code": {
            "type": ["string", "null"],
            "description": "Self-guided door code, only shortly before the tour",
        },
        "name": {"type": "string"},
        "email": {"type": "string"},
        "phone": {"type": "string"},
        "contact_channel": {"enum": list(TOUR_CONTACT_CHANNELS)},
        "priorities": {"type": "array", "items": {"type": "string"}},
        "priorities_note": {"type": "string"},
        "manage_url": {"type": "string", "format": "uri"},
        "calendar_url": {"type": "string", "format": "uri"},
    },
    "additionalProperties": False,
}

_SLOT_TAKEN = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "alternatives"],
            "properties": {
                "code": {"const": "slot_taken"},
                "message": {"type": "string"},
                "alternatives": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/TourSlot"},
                },
            },
        }
    },
}


def _errors(*codes: str) -> dict:
    texts = {
        "400": "The request is not valid",
        "404": "No such listing, tour type or tour",
        "409": "The time was just taken (alternatives enclosed) or the tour cannot change",
        "422": "A field is not valid; nothing was stored",
        "429": "Too many requests",
    }
    return {c: {"description": texts[c], "content": json_body("Error")} for c in codes}


def _taken() -> dict:
    return {"409": {"description": "The time was just taken", "content": json_body("SlotTaken")}}


PATHS = {
    "/listings/{id}/tour-slots": {
        "get": {
            "operationId": "listTourSlots",
            "summary": "Free tour times of a listing, in the property's time zone (agent-free)",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": LISTING_ID},
                {"name": "type", "in": "query", "required": True, "schema": _KINDS},
                {
                    "name": "from",
                    "in": "query",
                    "description": "First local day (default: today)",
                    "schema": {"type": "string", "format": "date"},
                },
                {
                    "name": "to",
                    "in": "query",
                    "description": "Last local day (default: the booking horizon, at most 31 days)",
                    "schema": {"type": "string", "format": "date"},
                },
            ],
            "responses": {
                "200": {"description": "Free slots", "content": json_body("TourSlotList")},
                **_errors("400", "404"),
            },
        }
    },
    "/tours": {
        "post": {
            "operationId": "bookTour",
            "summary": "Book a tour; no account needed",
            "description": (
                "The same limits as the booking page, shared with it: bookings per client "
                "address, per email address and per listing and day, and open tours per "
                "email address. An instant tour type confirms at once for a signed-in "
                "prospect booking with their own address; for any other address the tour "
                "may come back as `requested` until the visitor confirms it from the "
                'emailed link (the property\'s choice, README "Booking limits").'
            ),
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "description": _KEY_RULES,
                    "schema": _IDEMPOTENCY_KEY,
                }
            ],
            "requestBody": {"required": True, "content": json_body("TourBookingRequest")},
            "responses": {
                "201": {"description": "Booked", "content": json_body("TourCreated")},
                "200": {
                    "description": "Already booked by this request (same key, same body)",
                    "content": json_body("TourCreated"),
                },
                **_errors("400"),
                "422": {
                    "description": (
                        "A field is not valid (code invalid_booking), or the idempotency key "
                        "was used with a different request (code idempotency_key_reused); "
                        "nothing was stored"
                    ),
                    "content": json_body("Error"),
                },
                "429": {
                    "description": (
                        "Too many requests, too many bookings from this client, email "
                        "address or listing, or too many open tours for this email address "
                        "(code too_many_bookings); try again after Retry-After seconds"
                    ),
                    "headers": {
                        "Retry-After": {
                            "description": "Seconds until a booking may be tried again",
                            "schema": {"type": "integer", "minimum": 1},
                        }
                    },
                    "content": json_body("Error"),
                },
                **_taken(),
            },
        }
    },
    "/tours/{token}": {
        "get": {
            "operationId": "getTour",
            "summary": "The tour behind a manage token",
            "parameters": [_TOKEN],
            "responses": {
                "200": {"description": "The tour", "content": json_body("Tour")},
                **_errors("404"),
            },
        },
        "post": {
            "operationId": "updateTourAnswers",
            "summary": "Update the 'what matters to you' answers",
            "parameters": [_TOKEN],
            "requestBody": {"required": True, "content": json_body("TourAnswers")},
            "responses": {
                "200": {"description": "The tour", "content": json_body("Tour")},
                **_errors("400", "404", "422", "429"),
            },
        },
    },
    "/tours/{token}/reschedule": {
        "post": {
            "operationId": "rescheduleTour",
            "summary": "Move the tour to another free slot (calendar SEQUENCE goes up)",
            "parameters": [_TOKEN],
            "requestBody": {"required": True, "content": json_body("TourReschedule")},
            "responses": {
                "200": {"description": "The moved tour", "content": json_body("Tour")},
                **_errors("400", "404", "422", "429"),
                **_taken(),
            },
        }
    },
    "/tours/{token}/cancel": {
        "post": {
            "operationId": "cancelTour",
            "summary": "Cancel the tour (a METHOD:CANCEL invitation is emailed)",
            "parameters": [_TOKEN],
            "responses": {
                "200": {"description": "The cancelled tour", "content": json_body("Tour")},
                **_errors("404", "409", "429"),
            },
        }
    },
}

SCHEMAS = {
    "TourSlot": _SLOT,
    "TourSlotList": _SLOT_LIST,
    "TourBookingRequest": _BOOKING_REQUEST,
    "Tour": _TOUR,
    "TourCreated": {
        "type": "object",
        "required": ["token", "tour"],
        "properties": {"token": {"type": "string"}, "tour": {"$ref": "#/components/schemas/Tour"}},
        "additionalProperties": False,
    },
    "TourReschedule": {
        "type": "object",
        "required": ["start"],
        "properties": {"start": _INSTANT},
    },
    "TourAnswers": {
        "type": "object",
        "properties": {
            "priorities": _PRIORITIES,
            "priorities_note": _NOTE,
        },
    },
    "SlotTaken": _SLOT_TAKEN,
}
