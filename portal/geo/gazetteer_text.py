"""How street names, house numbers, postcodes and cities are compared, at import and lookup.

Both sides go through the same functions, so "Broad St" finds "Broad Street",
"Rue St-Martin" finds "Rue Saint-Martin" and "Hauptstr." finds "Hauptstraße": every
spelling of a street word is folded to one short form (``st`` stands for street and
for saint alike; a street called both ways is vanishingly rare, a visitor typing
either is not).
"""

import re
import unicodedata
from functools import lru_cache

_NUMBER = re.compile(r"^\s*(\d{1,6})(?!\d)")  # six digits at most: a number, not a phone
# Letters of their own in the languages that use them (Mäkelänkatu ≠ Makelankatu,
# Ørestad ≠ Orestad): kept, while other accents are dropped. ß is folded to "ss" by
# casefold(); œ is a typographic ligature of "oe" (Bœuf = Boeuf).
_OWN_LETTERS = {"ä": "\0a", "ö": "\0o", "å": "\0r", "ø": "\0s", "æ": "\0e"}
_LIGATURES = {"œ": "oe"}
_APOSTROPHES = re.compile(r"['’ʼ`´]")
# Italian abbreviations written with a dot inside the word ("P.za Venezia").
_DOTTED = [
    (re.compile(r"\bp\.\s?z?za\b"), "piazza"),
    (re.compile(r"\bp\.\s?le\b"), "piazzale"),
    (re.compile(r"\bv\.\s?le\b"), "viale"),
    (re.compile(r"\bv\.\s?lo\b"), "vicolo"),
    (re.compile(r"\bc\.\s?so\b"), "corso"),
    (re.compile(r"\bl\.\s?go\b"), "largo"),
]
# Each group: the short form every other spelling folds to.
_FOLDS = {
    "st": ("street", "saint", "st"),
    "ste": ("sainte",),
    "rd": ("road",),
    "ave": ("avenue", "av", "avda", "avenida"),
    "blvd": ("boulevard", "bd", "bld", "boul", "bvd"),
    "pl": ("place", "platz", "plein"),
    "sq": ("square",),
    "dr": ("drive",),
    "ln": ("lane",),
    "ct": ("court",),
    "cres": ("crescent",),
    "ter": ("terrace", "terr"),
    "hwy": ("highway",),
    "pkwy": ("parkway",),
    "mt": ("mount",),
    "fbg": ("faubourg", "fg"),
    "imp": ("impasse",),
    "all": ("allee",),
    "ch": ("chemin", "chem"),
    "rte": ("route",),
    "str": ("strasse", "straat"),
    "pza": ("piazza", "plaza"),
    "ple": ("piazzale",),
    "vle": ("viale",),
    "vlo": ("vicolo",),
    "cso": ("corso",),
    "lgo": ("largo",),
    "jln": ("jalan",),
    "lor": ("lorong",),
    "bt": ("bukit",),
    "upp": ("upper",),
}
FOLD = {spelling: short for short, spellings in _FOLDS.items() for spelling in spellings}
# Compound street words: Hauptstraße / Hauptstrasse / Hauptstr., Fizeaustraat.
_COMPOUND = re.compile(r"(?<=\w)(?:strasse|straat)$")


def plain_text(text: str) -> str:
    """Case-, accent-of-Latin-letters- and punctuation-insensitive form of any name.

    Finnish and Swedish ä, ö, å and Danish/Norwegian ø, æ are letters of their own
    and are kept; other accents, dots, dashes and apostrophes are dropped.
    """
    text = text.casefold()
    for letter, marker in _OWN_LETTERS.items():
        text = text.replace(letter, marker)
    for ligature, spelt in _LIGATURES.items():
        text = text.replace(ligature, spelt)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    for letter, marker in _OWN_LETTERS.items():
        text = text.replace(marker, letter)
    for pattern, spelt in _DOTTED:
        text = pattern.sub(spelt, text)
    text = _APOSTROPHES.sub("", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=65536)  # the same few thousand street names, over and over
def street_key(street: str) -> str:
    """The form two spellings of one street share ("Broad St." and "broad street")."""
    words = []
    for word in plain_text(street).split():
        word = _COMPOUND.sub("str", word)
        words.append(FOLD.get(word, word))
    return " ".join(words)


def place_key(name: str) -> str:
    """A city or region name as compared ("Zürich" = "zurich")."""
    return plain_text(name)


def postcode_key(postcode: str) -> str:
    """A postcode as compared: upper case, no spaces ("bs1 2hg" = "BS1 2HG")."""
    return "".join(postcode.split()).upper()


@lru_cache(maxsize=65536)
def housenumber_key(housenumber: str) -> str:
    """A house number as compared: "12 A" = "12a", "82 - 84" = "82-84", "4 bis" = "4bis"."""
    text = housenumber.casefold().replace("–", "-").replace("—", "-")
    return "".join(text.split())


def leading_number(housenumber: str) -> int | None:
    match = _NUMBER.match(housenumber)
    return int(match.group(1)) if match else None
