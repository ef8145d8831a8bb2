"""Read an address as people write it: number first or last, flats, postcodes, cities.

``parse_address("Flat 2, 27 Broad St, Bristol BS1 2HG")`` gives the readings of a
query, most likely first; each names its street text, house number, unit, postcode
and city. The gazetteer tries them in order against the streets it knows, so the
parser never has to be sure which words are the street: "27 Broad Street Bristol"
reads as number 27 on "Broad Street Bristol", and the gazetteer drops trailing words
("Bristol") until a street matches, keeping them as the city.

Pure and total: any string gives a list (empty when there is no street-like word),
never an exception, in time linear in at most MAX_CHARS characters. Control and
format characters count as spaces; longer text is cut, never scanned.
"""

import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 200
MAX_READINGS = 8

# Words that introduce a flat or unit: English, Finnish (as., asunto), Swedish (lgh),
# French, Italian (int., scala, piano), German (Whg., Top), Dutch/Belgian (bus, bte).
_UNIT_WORDS = (
    "apartment|appartement|appt|apt|app|flat|unit|suite|room|rm|floor|fl|level|lvl|"
    "asunto|as|bostad|lgh|interno|int|scala|piano|etage|étage|wohnung|whg|top|bte|boîte"
)
_UNIT = re.compile(
    rf"(?<![\w#])(?:(?:{_UNIT_WORDS})(?:\.?\s*(?:no\.?\s*)?#?\s*(?=\d)|\.\s*|\s+#?\s*)|#\s*)"
    r"(?P<id>[0-9a-z]{0,6}\d[0-9a-z]{0,6}(?:[-/][0-9a-z]{1,6})?)(?![\w/-])",
    re.IGNORECASE,
)
# "Via Gaeta 23 / 3": a slash with a space beside it parts a flat from the number.
_SLASH_UNIT = re.compile(r"(\d[a-z]?)(?:\s+/\s*|\s*/\s+)([0-9a-z]{1,6})(?![\w/])", re.I | re.A)
_LETTER_UNIT = re.compile(r"^[a-z]\s*\d{1,4}$", re.I | re.A)  # "A 12" on its own
_NUMBER_MARK = re.compile(r"(?<!\w)(?:n[°º]|no\.?|nr\.?|n\.)\s*(?=\d)", re.I)
_RANGE = re.compile(r"(?<=\d)\s*-\s*(?=\d)")
_SUFFIX = re.compile(r"(?<=\d)\s+(bis|ter|quater)(?!\w)", re.I)
_HOUSE = re.compile(
    r"^\d{1,5}(?:[a-z]{1,2}|bis|ter|quater)?(?:[-/](?:\d{1,5}[a-z]?|[a-z]))?$", re.I | re.A
)
# Postcodes by shape: UK (BS1 2HG), Dutch (1097 EZ), and 4-6 digit ones.
_UK = re.compile(r"(?<!\w)([a-z]{1,2}\d[a-z\d]?)\s*(\d[a-z]{2})(?!\w)", re.I | re.A)
_NL = re.compile(r"(?<!\w)(\d{4})\s?([a-z]{2})(?!\w)", re.I | re.A)
_DIGITS = re.compile(r"(?<![\w/-])(\d{4,6})(?![\w/-])", re.A)
_NOT_NL_LETTERS = {"st", "rd", "dr", "ln", "ct", "av", "bd", "pl", "sq", "de", "la", "le", "du"}
_SEPARATORS = re.compile(r"[,;\n\r]+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


@dataclass(frozen=True)
class AddressQuery:
    """One reading of a query.

    :param street: the street words as typed (tidied); may carry trailing words the
        gazetteer will try without.
    :param housenumber: as typed, tidied ("27", "16b", "82-84", "4bis"), or None.
    :param extra: words after the house number in the street part (a city, or noise).
    """

    street: str
    housenumber: str | None = None
    unit: str | None = None
    postcode: str | None = None
    city: str | None = None
    extra: str | None = None
    number_first: bool = False


def clean(text: str) -> str:
    """At most MAX_CHARS characters, control characters as spaces, dashes as "-"."""
    text = str(text)[: MAX_CHARS * 2]
    text = "".join(
        "\n" if c in "\n\r" else " " if unicodedata.category(c)[0] in "CZ" else c for c in text
    )
    text = unicodedata.normalize("NFC", text)[:MAX_CHARS].translate(_DASHES)
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def _has_letters(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _take_postcode(segment: str, first: bool, numbers_elsewhere: bool) -> tuple[str, str | None]:
    """(segment without its postcode, the postcode) by the shapes above."""
    match = _UK.search(segment)
    if match:
        code = f"{match.group(1)} {match.group(2)}".upper()
        return _cut(segment, match), code
    for match in _NL.finditer(segment):
        # In the street part, "1000 St Kilda Rd" is a number and a street, not a postcode.
        street_like = first and (match.start() == 0 or match.group(2).lower() in _NOT_NL_LETTERS)
        if not street_like:
            return _cut(segment, match), match.group(0).upper()
    for match in _DIGITS.finditer(segment):
        digits = match.group(1)
        rest = _cut(segment, match)
        if len(digits) == 4:
            # Four digits are a house number as often as a postcode: only beside a
            # city word, in a part of their own ("8001 Zürich").
            if not first and _has_letters(rest):
                return rest, digits
            continue
        if not first or numbers_elsewhere or digits.startswith("0"):
            return rest, digits
    return segment, None


def _cut(text: str, match: re.Match) -> str:
    return " ".join((text[: match.start()] + " " + text[match.end() :]).split())


def _take_unit(segment: str) -> tuple[str, str | None]:
    match = _UNIT.search(segment)
    if match:
        return _cut(segment, match), " ".join(match.group(0).split())
    match = _SLASH_UNIT.search(segment)
    if match:
        rest = segment[: match.start()] + match.group(1) + segment[match.end() :]
        return " ".join(rest.split()), f"/ {match.group(2)}"
    return segment, None


def _tokens(segment: str) -> list[str]:
    segment = _NUMBER_MARK.sub("", segment)
    segment = _RANGE.sub("-", segment)
    segment = _SUFFIX.sub(r"\1", segment)
    return segment.split()


def _is_number(token: str) -> bool:
    return bool(_HOUSE.match(token))


def parse_address(text: str) -> list[AddressQuery]:
    """The readings of ``text``, most likely first (see the module docstring)."""
    text = clean(text)
    segments = [s.strip() for s in _SEPARATORS.split(text) if s.strip()]
    unit = postcode = None
    housenumber = None
    words: list[str] = []
    for index, segment in enumerate(segments):
        # Postcodes first: "FL0 0AA" is a postcode, not floor 0.
        if postcode is None:
            others = sum(_is_number(t) for t in _tokens(segment)) > 1 or housenumber is not None
            segment, postcode = _take_postcode(segment, index == 0, others)
        if unit is None:
            segment, unit = _take_unit(segment)
        if not segment:
            continue
        tokens = _tokens(segment)
        if len(tokens) == 1 and _is_number(tokens[0]) and housenumber is None:
            housenumber = tokens[0]
        elif unit is None and _LETTER_UNIT.match(segment) and index > 0:
            unit = segment
        elif _has_letters(segment):
            words.append(segment)
    readings: list[AddressQuery] = []
    # Any word part can be the street ("Bristol, 27 Broad Street"); the first most likely.
    for position, street_part in enumerate(words):
        others = [w for i, w in enumerate(words) if i != position]
        city = others[0] if others else None
        readings.extend(_street_readings(street_part, housenumber, unit, postcode, city))
    unique = list(dict.fromkeys(readings))
    return unique[:MAX_READINGS]


def _street_readings(
    part: str, housenumber: str | None, unit: str | None, postcode: str | None, city: str | None
) -> list[AddressQuery]:
    tokens = _tokens(part)
    readings = []

    def add(street_tokens, number, unit=unit, extra=None, number_first=False):
        street = " ".join(street_tokens)
        if _has_letters(street):
            place = city or extra
            readings.append(
                AddressQuery(street, number, unit, postcode, place, extra, number_first)
            )

    if housenumber is not None:
        add(tokens, housenumber)
    numbers = [i for i, t in enumerate(tokens) if _is_number(t)]
    if tokens and numbers and numbers[0] == 0 and len(tokens) > 1:
        add(tokens[1:], tokens[0], number_first=True)
    for i in numbers:
        if i == 0:
            continue
        number, after, flat = tokens[i], tokens[i + 1 :], unit
        if after and len(after[0]) == 1 and after[0].isascii() and after[0].isalpha():
            if len(after) >= 2 and after[1].isascii() and after[1].isdigit() and flat is None:
                flat, after = f"{after[0]} {after[1]}", after[2:]
            else:
                number, after = number + after[0].lower(), after[1:]
        add(tokens[:i], number, flat, " ".join(after) or None)
    if housenumber is None:
        add(tokens, None)
    return readings
