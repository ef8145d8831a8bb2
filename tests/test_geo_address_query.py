"""The query parser: every way of writing an address, and no string that makes it fail."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.geo.address_query import MAX_CHARS, parse_address
from portal.geo.address_style import AddressStyle
from portal.geo.gazetteer_text import housenumber_key, postcode_key, street_key

AMS = "Amsterdam"
CONTROL = "\x00\x01\x1b\x7f\u200b"


@pytest.mark.parametrize(
    ("query", "street", "number", "unit", "postcode", "city"),
    [
        ("27 Broad Street", "Broad Street", "27", None, None, None),
        ("Broad Street 27", "Broad Street", "27", None, None, None),
        ("27, Broad Street", "Broad Street", "27", None, None, None),
        ("Via Gaeta 23", "Via Gaeta", "23", None, None, None),
        ("157 Rue Saint-Martin", "Rue Saint-Martin", "157", None, None, None),
        ("Broad Street 27, BS1 2HG Bristol", "Broad Street", "27", None, "BS1 2HG", "Bristol"),
        ("Bulevardi 16b", "Bulevardi", "16b", None, None, None),
        ("Mannerheimintie 12 A", "Mannerheimintie", "12a", None, None, None),
        ("82-84 Broad Street", "Broad Street", "82-84", None, None, None),
        ("82 - 84 Broad Street", "Broad Street", "82-84", None, None, None),
        ("4bis Rue Oberkampf", "Rue Oberkampf", "4bis", None, None, None),
        ("4 bis Rue Oberkampf", "Rue Oberkampf", "4bis", None, None, None),
        ("Apt 4, 27 Broad Street", "Broad Street", "27", "Apt 4", None, None),
        ("Flat 2, 27 Broad Street", "Broad Street", "27", "Flat 2", None, None),
        ("Fredrikinkatu 20 A 12", "Fredrikinkatu", "20", "A 12", None, None),
        ("Bulevardi 16 as. 5", "Bulevardi", "16", "as. 5", None, None),
        ("Via Gaeta 23 / 3", "Via Gaeta", "23", "/ 3", None, None),
        ("Mannerheimintie 5, 00100 Helsinki", "Mannerheimintie", "5", None, "00100", "Helsinki"),
        ("1 Bayfront Ave, Singapore 018971", "Bayfront Ave", "1", None, "018971", "Singapore"),
        ("Darwinplantsoen 25, 1097 EZ Amsterdam", "Darwinplantsoen", "25", None, "1097 EZ", AMS),
        ("Via Gaeta n. 23, 00185 Roma", "Via Gaeta", "23", None, "00185", "Roma"),
    ],
)
def test_each_convention_reads_the_same_parts(query, street, number, unit, postcode, city):
    """Number first or last, with units, postcodes and cities: the first reading is right."""
    first = parse_address(query)[0]
    assert (first.street, first.housenumber, first.unit) == (street, number, unit)
    assert (first.postcode, first.city) == (postcode, city)


@pytest.mark.parametrize(
    "query", ["", "   ", "12345", "!!!", "…", "😀🏠", CONTROL, "-- / ,,", "BS1 2HG"]
)
def test_no_street_word_means_no_reading(query):
    """Only digits, punctuation, emoji, control characters or a postcode: nothing to look up."""
    assert parse_address(query) == []


def test_long_text_is_cut_not_scanned():
    """10,000 characters are read as their first MAX_CHARS."""
    readings = parse_address("Broad Street 27 " + "x" * 10_000)
    assert all(len(r.street) <= MAX_CHARS for r in readings)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Broad St", "Broad Street"),
        ("Rue St-Martin", "Rue Saint-Martin"),
        ("Hauptstr.", "Hauptstraße"),
        ("Hauptstrasse", "Hauptstraße"),
        ("Fizeaustr", "Fizeaustraat"),
        ("Bd de Sébastopol", "Boulevard de Sebastopol"),
        ("P.za Venezia", "Piazza Venezia"),
        ("Raffles Blvd", "Raffles Boulevard"),
        ("Saint Stephen's Street", "Saint Stephens St"),
        ("Impasse du Bœuf", "Impasse du Boeuf"),
        ("Jln Besar", "Jalan Besar"),
    ],
)
def test_street_spellings_fold_together(a, b):
    """Abbreviations, ß, œ, accents and apostrophes fold both ways."""
    assert street_key(a) == street_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Mäkelänkatu", "Makelankatu"), ("Ørestads Boulevard", "Orestads Boulevard")]
)
def test_letters_of_their_own_are_kept(a, b):
    """Finnish ä/ö and Danish/Norwegian ø/æ are letters, not accents."""
    assert street_key(a) != street_key(b)


@settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.text(max_size=300))
def test_parser_never_raises_on_any_string(text):
    """Any string at all gives a list of readings, never an exception."""
    readings = parse_address(text)
    assert isinstance(readings, list)
    for reading in readings:
        assert any(c.isalpha() for c in reading.street)


# Street words as regions print them: letters (any script with case), not the few
# words the parser reads as a unit or number marker.
_RESERVED = {"bis", "ter", "quater", "no", "nr", "n", "as", "apt", "flat", "unit", "top", "int"}
_word = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=2, max_size=12
).filter(
    lambda w: (
        w.casefold() not in _RESERVED
        and not w.casefold().startswith(("apt", "app"))
        and w == unicodedata.normalize("NFC", w)
    )  # printed text is NFC, as the parser reads it
)
_street = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_number = st.from_regex(r"[1-9][0-9]{0,3}([a-c]|-[1-9][0-9]{0,2})?", fullmatch=True)
_postcode = st.one_of(
    st.just(""),
    st.from_regex(r"[1-9][0-9]{4}", fullmatch=True),
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.from_regex(r"[A-Z]{2}[0-9] [0-9][A-Z]{2}", fullmatch=True),
    st.from_regex(r"[1-9][0-9]{3}[A-Z]{2}", fullmatch=True),
)
_styles = st.builds(AddressStyle, st.booleans(), st.booleans())


@settings(max_examples=300, deadline=None, database=None)
@given(_street, _number, _postcode, st.one_of(st.just(""), _word), _styles)
def test_a_printed_address_parses_back_to_itself(street, number, postcode, city, style):
    """Parsing what Location.address prints (in any region's style) gives the same parts."""
    printed = style.format(street, number, postcode, city)
    first = parse_address(printed)[0]
    assert first.street == street
    assert housenumber_key(first.housenumber) == housenumber_key(number)
    assert postcode_key(first.postcode or "") == postcode_key(postcode)
    assert (first.city or "") == city
