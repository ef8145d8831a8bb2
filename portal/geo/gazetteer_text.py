"""How addresses are normalised and split, shared by the import and the geocoder."""

import re
import unicodedata

_NUMBER = re.compile(r"^\s*(\d+)")
# "Mannerheimintie 5", "Bulevardi 16b", "Fredrikinkatu 20 A 3", "Kaisaniemenkatu 1-3".
_STREET_AND_NUMBER = re.compile(
    r"^(?P<street>\D*?\S)\s+(?P<number>\d+\s?[a-zA-Z]?(?:\s?[-–]\s?\d+[a-zA-Z]?)?)\b"
)


def street_key(street: str) -> str:
    """Case-, accent-of-Latin-letters- and punctuation-insensitive form of a street name.

    Finnish ä and ö are letters of their own and are kept (Mäkelänkatu ≠ Makelankatu
    would be wrong to merge); other accents, dots and dashes are dropped.
    """
    text = street.casefold().replace("ä", "\0a").replace("ö", "\0o").replace("å", "\0r")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\0a", "ä").replace("\0o", "ö").replace("\0r", "å")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def leading_number(housenumber: str) -> int | None:
    match = _NUMBER.match(housenumber)
    return int(match.group(1)) if match else None


def split_query(query: str) -> tuple[str, str | None, str]:
    """(street, housenumber or None, rest) of a free-text address ("Bulevardi 16b, Helsinki")."""
    first, _, rest = query.strip().partition(",")
    match = _STREET_AND_NUMBER.match(first.strip())
    if match:
        number = re.sub(r"\s+", "", match.group("number")).replace("–", "-")
        return match.group("street").strip(), number.lower(), rest.strip()
    return first.strip(), None, rest.strip()
