"""One corpus of hostile input, sent to every form field and API parameter (test_hostile_input).

Strings are what a form or a query can carry; JSON values add what only a body can.
"""

DEEP_JSON = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]

STRINGS = [
    "",
    " ",
    " \t ",
    "\x00",
    "Pia\x00",
    "\x01\x08\x1b[31m",
    "\x1f",
    "\x7f",
    "\x85",
    "\r\n",
    "first line\r\nSet-Cookie: a=b",
    "x" * 10_000,
    "-1",
    "0",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "9" * 5000,
    "1.5",
    "1e308",
    "NaN",
    "1_000",
    "٣",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "24:00",
    "\u202eevil\u202c",
    "👩‍👩‍👧‍👦 Zoë",
    "\ufeff",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --",
    "../../../etc/passwd",
    "/\\evil.example",
    "%00%0d%0a",
]

# For fields that take one of a few values (selects, radios, hidden ids): the shapes that
# have broken choice checks before, not every text.
CHOICE_STRINGS = [
    "",
    " ",
    "\x00",
    "\x1f",
    "\r\nSet-Cookie: a=b",
    "x" * 10_000,
    "9" * 5000,
    "-1",
    "<script>",
    "//evil.example",
    "/\\evil.example",
]

# JSON bodies can also carry other types than text, and lone surrogates.
JSON_VALUES = [
    *STRINGS,
    "\ud800",
    None,
    True,
    0,
    -1,
    2**31,
    2**63,
    1.5,
    1e308,
    [],
    [""],
    {},
    {"$gt": ""},
    DEEP_JSON,
]
